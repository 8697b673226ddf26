// gongkai-website-demo: loads demo data into a running website-supervision service
// through its public gRPC API (run once by `./gongkai up`): a portal with columns and
// messages (one unanswered for over 3 months: a NAT-13 veto), a department site taken
// through its lifecycle up to FILING, one migrated onto the portal (WEB-5), a WeChat
// account with its procedures (WEB-6) and a Weibo account not updated for a month
// (NAT-14), a notice of criticism (WEB-4) and a monthly monitoring run (WEB-2). The
// units are the catalog's (ListUnits, public). Demo URLs point at loopback port 9,
// where nothing listens: the prober shows an unreachable site, never the internet.
// Safe to run again: creates carry fixed request ids and state changes are skipped
// when already made.
//
//   gongkai-website-demo --target=127.0.0.1:50055 --secret-file=jwt.key
//       [--issuer=gongkai-dev --audience=gongkai] [--catalog=127.0.0.1:50051]
//   gongkai-website-demo --target=127.0.0.1:50055 --token=<ADMIN JWT>
//
// Exit status: 0 loaded, 1 a call failed (the message names it), 2 bad flags.
#include <grpcpp/grpcpp.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "gongkai/catalog/v1/catalog.grpc.pb.h"
#include "gongkai/website/v1/website.grpc.pb.h"
#include "libs/clock/clock.h"
#include "libs/config/flag_names.h"
#include "libs/demo/actor_tokens.h"
#include "libs/protoconv/protoconv.h"
#include "libs/status/grpc_status.h"

ABSL_FLAG(std::string, target, "127.0.0.1:50055", "The website service's gRPC address");
ABSL_FLAG(std::string, catalog, "",
          "The catalog's gRPC address (its units); default 127.0.0.1 and "
          "GONGKAI_CATALOG_GRPC_PORT (50051), as ./gongkai up runs it");
ABSL_FLAG(std::string, token, "", "A bearer token with role ADMIN or OFFICE");
ABSL_FLAG(std::string, secret_file, "", "The services' HS256 key: mint a token instead");
ABSL_FLAG(std::string, issuer, "gongkai-dev", "Issuer of minted tokens");
ABSL_FLAG(std::string, audience, "gongkai", "Audience of minted tokens, comma-separated");

namespace {

namespace v1 = ::gongkai::website::v1;
using Stub = v1::WebsiteService::Stub;

[[noreturn]] void Fail(int code, const std::string& message) {
  std::cerr << "gongkai-website-demo: " << message << "\n";
  std::exit(code);
}

class Loader {
 public:
  Loader(Stub* stub, std::string token) : stub_(stub), token_(std::move(token)) {}

  template <typename Request, typename Response>
  Response Call(const char* what,
                grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
                const Request& request) {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(20)));
    context.AddMetadata("authorization", "Bearer " + token_);
    Response response;
    grpc::Status status = (stub_->*method)(&context, request, &response);
    if (!status.ok()) {
      Fail(1, absl::StrCat(what, ": ", gongkai::FromGrpcStatus(status).ToString()));
    }
    return response;
  }

  v1::Site Site(const std::string& id, int64_t unit, const std::string& name, v1::SiteKind kind,
                const std::string& url, v1::SiteState state) {
    v1::CreateSiteRequest r;
    r.set_request_id(id);
    r.mutable_site()->set_unit_id(unit);
    r.mutable_site()->set_name(name);
    r.mutable_site()->set_kind(kind);
    r.mutable_site()->set_url(url);
    r.mutable_site()->set_state(state);
    if (kind == v1::PORTAL) r.mutable_site()->add_leader_names("张明");
    v1::Site created = Call(id.c_str(), &Stub::CreateSite, r);
    // A second run gets the first answer back: read the site as it is now.
    v1::GetSiteRequest get;
    get.set_id(created.id());
    v1::Site site = Call("GetSite", &Stub::GetSite, get);
    std::cerr << "  site " << site.id() << " " << name << " (" << v1::SiteState_Name(site.state())
              << ")\n";
    return site;
  }

  // Moves `site` to `state` unless it is there or past it already (a second run).
  v1::Site Move(v1::Site site, v1::SiteState state, const std::string& filing = "",
                int64_t migrated_to = 0) {
    if (site.state() >= state) return site;
    v1::ChangeSiteStateRequest r;
    r.set_id(site.id());
    r.set_version(site.version());
    r.set_state(state);
    r.set_filing_number(filing);
    r.set_migrated_to_site_id(migrated_to);
    r.set_note("demo");
    return Call("ChangeSiteState", &Stub::ChangeSiteState, r);
  }

 private:
  Stub* stub_;
  std::string token_;
};

std::vector<int64_t> CatalogUnits(const std::string& address) {
  auto catalog = gongkai::catalog::v1::CatalogService::NewStub(
      grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(20)));
  gongkai::catalog::v1::ListUnitsRequest request;
  request.set_page_size(10);
  gongkai::catalog::v1::ListUnitsResponse response;
  grpc::Status status = catalog->ListUnits(&context, request, &response);
  if (!status.ok()) Fail(1, "ListUnits at the catalog " + address + ": " + status.error_message());
  std::vector<int64_t> units;
  for (const auto& unit : response.units()) units.push_back(unit.id());
  if (units.size() < 3) Fail(1, "the catalog has fewer than 3 units: load its demo data first");
  return units;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> storage;
  std::vector<char*> args = gongkai::config::NormalizeFlagNames(argc, argv, storage);
  absl::ParseCommandLine(static_cast<int>(args.size()), args.data());
  std::string token = absl::GetFlag(FLAGS_token);
  const std::string secret_file = absl::GetFlag(FLAGS_secret_file);
  if (token.empty() == secret_file.empty()) Fail(2, "give exactly one of --token, --secret-file");
  gongkai::RealClock clock;
  if (!secret_file.empty()) {
    std::ifstream in(secret_file);
    std::stringstream secret;
    secret << in.rdbuf();
    std::vector<std::string> audience =
        absl::StrSplit(absl::GetFlag(FLAGS_audience), ',', absl::SkipWhitespace());
    gongkai::demo::MintingTokenSource minting(std::string(absl::StripAsciiWhitespace(secret.str())),
                                              absl::GetFlag(FLAGS_issuer), audience, &clock);
    absl::StatusOr<std::string> minted =
        minting.TokenFor(gongkai::demo::Actor::Office("huang.li@office"));
    if (!minted.ok()) Fail(2, minted.status().ToString());
    token = *minted;
  }
  std::string catalog_address = absl::GetFlag(FLAGS_catalog);
  if (catalog_address.empty()) {
    const char* port = std::getenv("GONGKAI_CATALOG_GRPC_PORT");
    catalog_address = absl::StrCat("127.0.0.1:", port != nullptr ? port : "50051");
  }
  const std::vector<int64_t> units = CatalogUnits(catalog_address);
  auto channel =
      grpc::CreateChannel(absl::GetFlag(FLAGS_target), grpc::InsecureChannelCredentials());
  auto stub = v1::WebsiteService::NewStub(channel);
  Loader load(stub.get(), token);
  std::cerr << "gongkai-website-demo: loading into " << absl::GetFlag(FLAGS_target) << "\n";

  const v1::Site portal = load.Site("demo-portal", units[0], "市人民政府门户网站", v1::PORTAL,
                                    "http://127.0.0.1:9/", v1::OPERATION);
  const char* columns[][2] = {{"要闻动态", "news/"}, {"通知公告", "tzgg/"}, {"政策文件", "zcwj/"}};
  const v1::ColumnClass classes[] = {v1::NEWS, v1::NOTICES, v1::POLICIES};
  for (int i = 0; i < 3; ++i) {
    v1::CreateColumnRequest r;
    r.set_request_id(absl::StrCat("demo-column-", i));
    r.mutable_column()->set_site_id(portal.id());
    r.mutable_column()->set_name(columns[i][0]);
    r.mutable_column()->set_column_class(classes[i]);
    r.mutable_column()->set_url(absl::StrCat("http://127.0.0.1:9/", columns[i][1]));
    r.mutable_column()->mutable_extraction()->set_item_selector("ul.list li");
    load.Call("CreateColumn", &Stub::CreateColumn, r);
  }
  // NAT-13 interaction: one message unanswered for over 3 months, two answered.
  v1::SubmitMessagesRequest messages;
  messages.set_site_id(portal.id());
  const absl::Time now = absl::Now();
  for (int i = 0; i < 3; ++i) {
    v1::Message* m = messages.add_messages();
    m->set_external_id(absl::StrCat("demo-msg-", i));
    *m->mutable_received_time() = gongkai::ToTimestamp(now - absl::Hours(24 * (100 - 40 * i)));
    if (i > 0) {
      *m->mutable_answered_time() = gongkai::ToTimestamp(now - absl::Hours(24 * (95 - 40 * i)));
    }
  }
  load.Call("SubmitMessages", &Stub::SubmitMessages, messages);

  // WEB-1: a department site on its way to operation.
  v1::Site building = load.Site("demo-edu-site", units[1], "市教育局网站", v1::DEPARTMENT_SITE,
                                "http://127.0.0.1:9/edu/", v1::OPENING);
  building = load.Move(building, v1::BUILDING);
  building = load.Move(building, v1::GRADING);
  building = load.Move(building, v1::FILING, "桂ICP备2026000001号");
  // WEB-5: a grassroots site without staff migrated onto the portal.
  v1::Site township = load.Site("demo-township-site", units[2], "青龙镇政府网站",
                                v1::DEPARTMENT_SITE, "http://127.0.0.1:9/qlz/", v1::OPERATION);
  load.Move(township, v1::MIGRATED, "", portal.id());
  // WEB-6 and NAT-14: accounts.
  v1::Site wechat = load.Site("demo-wechat", units[1], "教育发布（微信公众号）", v1::WECHAT,
                              "wechat:jiaoyufabu", v1::OPERATION);
  v1::UpdateAccountProceduresRequest procedures;
  procedures.set_id(wechat.id());
  procedures.set_version(wechat.version());
  procedures.set_editing_procedure("编辑初审、科室复审、分管领导终审（三审三校）后发布");
  procedures.set_inquiry_procedure("留言 1 个工作日内登记，5 个工作日内答复");
  *procedures.mutable_last_update_date() =
      gongkai::ToProtoDate(absl::ToCivilDay(now, gongkai::ShanghaiTimeZone()) - 3);
  procedures.set_inquiries_answered(42);
  if (wechat.version() == 1) {
    load.Call("UpdateAccountProcedures", &Stub::UpdateAccountProcedures, procedures);
  }
  load.Site("demo-weibo", units[2], "青龙镇发布（微博）", v1::WEIBO, "weibo:qinglongzhen",
            v1::OPERATION);

  // WEB-4 and WEB-2.
  v1::CreateNoticeRequest notice;
  notice.set_request_id("demo-notice");
  notice.mutable_notice()->set_site_id(portal.id());
  notice.mutable_notice()->set_reason("门户网站首页无法访问，留言超过 3 个月未回复");
  const v1::Notice issued = load.Call("CreateNotice", &Stub::CreateNotice, notice);
  if (!issued.has_rectify_by()) {
    // NAT-1: 15 working days from a December day can reach a year not loaded yet.
    std::cerr << "  notice " << issued.id()
              << ": the rectification deadline is pending until the calendar of the year it "
                 "reaches is loaded\n";
  }
  v1::StartSupervisionRunRequest run;
  run.set_request_id("demo-monthly-run");
  run.set_kind(v1::MONTHLY_MONITORING);
  v1::SupervisionRun started = load.Call("StartSupervisionRun", &Stub::StartSupervisionRun, run);
  std::cout << "gongkai-website-demo: 5 sites and accounts, 3 columns, 3 messages, 1 notice, run "
            << started.id() << " (" << v1::RunState_Name(started.state()) << ")" << std::endl;
  return 0;
}
