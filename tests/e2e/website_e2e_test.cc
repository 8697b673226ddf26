// The website-supervision service end to end (issue 12): the real gongkai-website binary
// beside the real catalog (its calendar and unit directory) and the real gateway, on
// MariaDB, probing sites this test serves on loopback. Proves: unit ids come from the
// catalog; the scheduled prober probes a registered site on its own and its content
// check feeds the evaluation (NAT-13, NAT-14, named rule set); a supervision run
// completes as an operation (WEB-2); notices (WEB-4); the compliance evidence of item
// 6; the authorization table (each RPC x role x own/other unit); REST through the
// gateway with 400/404 answers; and the business metrics.
#include <httplib.h>

#include <cstdlib>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gongkai/catalog/v1/catalog.grpc.pb.h"
#include "gongkai/common/v1/compliance_evidence.grpc.pb.h"
#include "gongkai/website/v1/website.grpc.pb.h"
#include "gtest/gtest.h"
#include "libs/protoconv/protoconv.h"
#include "nlohmann/json.hpp"
#include "services/website/prober/local_sites.h"
#include "tests/e2e/catalog_under_test.h"
#include "tests/e2e/e2e_database.h"
#include "tests/e2e/gateway_under_test.h"
#include "tests/e2e/grpc_call.h"
#include "tests/e2e/rpc_coverage.h"
#include "tests/e2e/service_process.h"
#include "tests/e2e/stand_in_calendar.h"
#include "tests/e2e/website_under_test.h"

#ifndef GONGKAI_WEBSITE_DEMO_BINARY
#error "GONGKAI_WEBSITE_DEMO_BINARY must be defined by the build"
#endif
#ifndef GONGKAI_WEBSITE_BINARY
#error "GONGKAI_WEBSITE_BINARY must be defined by the build"
#endif

namespace gongkai::e2e {
namespace {

namespace v1 = ::gongkai::website::v1;
using Stub = v1::WebsiteService::Stub;
using ::testing::Contains;
using ::testing::HasSubstr;
using website::prober::testing::LocalSite;

class WebsiteE2eTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // The catalog first; the gateway last, once both of its backends serve (its
    // /readyz needs every backend of the routes it was built with).
    absl::StatusOr<std::unique_ptr<CatalogUnderTest>> started =
        CatalogUnderTest::Start("webcat", {{"GONGKAI_CALENDAR_DIR", StandInCalendarDir()}});
    ASSERT_TRUE(started.ok()) << started.status();
    catalog_ = started->release();
    CatalogUnderTest& catalog = *catalog_;
    admin_ = catalog.Token("e2e-admin", std::nullopt, {"ADMIN"});
    office_ = catalog.Token("e2e-office", std::nullopt, {"OFFICE"});
    inspector_ = catalog.Token("e2e-inspector", std::nullopt, {"INSPECTOR"});
    auto catalog_stub = catalog.NewStub();
    for (int i = 0; i < 3; ++i) {
      catalog::v1::CreateUnitRequest request;
      request.mutable_unit()->set_code(absl::StrCat("WEB-E2E-", i));
      request.mutable_unit()->set_name(i == 0 ? "市政府办公室" : i == 1 ? "市教育局" : "青龙镇");
      request.mutable_unit()->set_level(catalog::v1::UNIT_LEVEL_DEPARTMENT);
      absl::StatusOr<catalog::v1::Unit> unit =
          UnaryCall(*catalog_stub, &catalog::v1::CatalogService::Stub::CreateUnit, admin_, request);
      ASSERT_TRUE(unit.ok()) << unit.status();
      units_.push_back(unit->id());
    }
    absl::StatusOr<std::unique_ptr<E2eDatabase>> database = E2eDatabase::Create("website");
    ASSERT_TRUE(database.ok()) << database.status();
    database_ = database->release();
    ServiceProcess::Options options = WebsiteOptions(*database_, catalog);
    options.env["GONGKAI_METRICS_REFRESH"] = "1s";
    options.env["GONGKAI_PROBER_HOST_INTERVAL"] = "0s";
    options.env["GONGKAI_PROBER_WORKERS"] = "2";
    absl::StatusOr<std::unique_ptr<ServiceProcess>> service =
        ServiceProcess::Start(std::move(options));
    ASSERT_TRUE(service.ok()) << service.status();
    website_ = service->release();
    absl::StatusOr<std::unique_ptr<ServiceProcess>> routed = StartGatewayProcess({
        {"GONGKAI_HTTP_ADDRESS", "127.0.0.1:0"},
        {"GONGKAI_METRICS_ADDRESS", "127.0.0.1:0"},
        {"GONGKAI_BACKENDS", absl::StrCat("catalog=", catalog.service().grpc_address(),
                                          ",website=", website_->grpc_address())},
        {"GONGKAI_JWT_HS256_SECRET", catalog.jwt_secret()},
        {"GONGKAI_JWT_ISSUER", kE2eIssuer},
        {"GONGKAI_JWT_AUDIENCE", kE2eAudience},
        {"GONGKAI_IO_THREADS", "2"},
        {"GONGKAI_RATE_LIMIT_AUTHENTICATED", "0:0"},
        {"GONGKAI_RATE_LIMIT_ANONYMOUS_READ", "0:0"},
        {"GONGKAI_RATE_LIMIT_ANONYMOUS_WRITE", "0:0"},
        {"GONGKAI_SHUTDOWN_GRACE", "2s"},
    });
    ASSERT_TRUE(routed.ok()) << routed.status();
    routed_gateway_ = routed->release();
  }

  static void TearDownTestSuite() {
    delete routed_gateway_;
    delete website_;
    delete database_;
    delete catalog_;
  }

  static std::unique_ptr<Stub> NewStub() {
    return v1::WebsiteService::NewStub(
        grpc::CreateChannel(website_->grpc_address(), grpc::InsecureChannelCredentials()));
  }
  static std::string StaffOf(int64_t unit) {
    return catalog_->Token(absl::StrCat("staff-", unit), unit, {"STAFF"});
  }
  static std::string Token(const std::string& role, std::optional<int64_t> unit) {
    return catalog_->Token(absl::StrCat("user-", role), unit, {role});
  }

  absl::StatusOr<v1::Site> CreateSite(int64_t unit, const std::string& url,
                                      const std::string& token) {
    v1::CreateSiteRequest request;
    request.set_request_id(absl::StrCat("e2e-site-", ++counter_));
    request.mutable_site()->set_unit_id(unit);
    request.mutable_site()->set_name("门户网站");
    request.mutable_site()->set_kind(v1::PORTAL);
    request.mutable_site()->set_url(url);
    request.mutable_site()->set_state(v1::OPERATION);
    return UnaryCall(*stub_, &Stub::CreateSite, token, request);
  }

  static CatalogUnderTest* catalog_;
  static E2eDatabase* database_;
  static ServiceProcess* website_;
  static ServiceProcess* routed_gateway_;
  static std::vector<int64_t> units_;
  static std::string admin_, office_, inspector_;
  std::unique_ptr<Stub> stub_ = NewStub();
  static int counter_;
};

CatalogUnderTest* WebsiteE2eTest::catalog_ = nullptr;
E2eDatabase* WebsiteE2eTest::database_ = nullptr;
ServiceProcess* WebsiteE2eTest::website_ = nullptr;
ServiceProcess* WebsiteE2eTest::routed_gateway_ = nullptr;
int WebsiteE2eTest::counter_ = 0;
std::vector<int64_t> WebsiteE2eTest::units_;
std::string WebsiteE2eTest::admin_, WebsiteE2eTest::office_, WebsiteE2eTest::inspector_;

TEST_F(WebsiteE2eTest, UnitsComeFromTheCatalog) {
  EXPECT_TRUE(CreateSite(units_[0], "http://127.0.0.1:9/", office_).ok());
  absl::StatusOr<v1::Site> unknown = CreateSite(987654, "http://127.0.0.1:9/", office_);
  EXPECT_EQ(unknown.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ViolatedFields(unknown.status()), Contains("site.unit_id"));
}

TEST_F(WebsiteE2eTest, Nat13TheScheduledProberProbesARegisteredSiteOnItsOwn) {
  LocalSite local;
  local.Page("/",
             "<h1>某市教育局</h1><p>更新 2026-01-01</p><a href='/news/'>要闻</a>"
             "<a href='/gone'>旧</a>");
  local.Page("/news/", "<ul><li>新闻 2026-01-01</li></ul>");
  local.Robots("User-agent: *\nDisallow: /private/\n");
  ASSERT_TRUE(local.Start().ok());
  absl::StatusOr<v1::Site> site = CreateSite(units_[1], local.Url("/"), StaffOf(units_[1]));
  ASSERT_TRUE(site.ok()) << site.status();
  v1::CreateColumnRequest column;
  column.set_request_id("col-1");
  column.mutable_column()->set_site_id(site->id());
  column.mutable_column()->set_name("要闻");
  column.mutable_column()->set_column_class(v1::NEWS);
  column.mutable_column()->set_url(local.Url("/news/"));
  ASSERT_TRUE(UnaryCall(*stub_, &Stub::CreateColumn, StaffOf(units_[1]), column).ok());
  // The first slot is due at once; the prober claims it within its poll period.
  v1::ListProbesRequest list;
  list.set_site_id(site->id());
  absl::StatusOr<v1::ListProbesResponse> probes;
  for (int i = 0; i < 60; ++i) {
    probes = UnaryCall(*stub_, &Stub::ListProbes, inspector_, list);
    ASSERT_TRUE(probes.ok()) << probes.status();
    if (probes->probes_size() > 0) break;
    absl::SleepFor(absl::Milliseconds(500));
  }
  ASSERT_GT(probes->probes_size(), 0) << website_->LogTail();
  const v1::Probe& probe = probes->probes(0);
  EXPECT_TRUE(probe.scheduled());
  EXPECT_TRUE(probe.home_ok()) << probe.error();
  EXPECT_TRUE(probe.content_checked());
  EXPECT_EQ(probe.broken_links_size(), 1);
  EXPECT_GE(local.RequestsFor("/robots.txt"), 1);
  v1::EvaluateSiteRequest evaluate;
  evaluate.set_site_id(site->id());
  absl::StatusOr<v1::SiteEvaluation> e =
      UnaryCall(*stub_, &Stub::EvaluateSite, StaffOf(units_[1]), evaluate);
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_EQ(e->rule_set(), "website.national@1");
  EXPECT_TRUE(e->vetoed());  // The home page's latest date is months old.
  bool home_veto = false;
  for (const v1::Finding& f : e->findings()) {
    if (f.item() == "home_not_updated") {
      home_veto = f.veto();
      EXPECT_THAT(f.rules(), Contains(HasSubstr("NAT-13")));
    }
  }
  EXPECT_TRUE(home_veto);
}

TEST_F(WebsiteE2eTest, Web2ASupervisionRunCompletesAsAnOperation) {
  ASSERT_TRUE(CreateSite(units_[0], "http://127.0.0.1:9/run", office_).ok());
  v1::StartSupervisionRunRequest start;
  start.set_request_id("e2e-run");
  start.set_kind(v1::WEEKLY_CHECK);
  absl::StatusOr<v1::SupervisionRun> run =
      UnaryCall(*stub_, &Stub::StartSupervisionRun, office_, start);
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(run->state(), v1::RUNNING);
  v1::GetSupervisionRunRequest get;
  get.set_id(run->id());
  for (int i = 0; i < 60 && run->state() == v1::RUNNING; ++i) {
    absl::SleepFor(absl::Milliseconds(500));
    run = UnaryCall(*stub_, &Stub::GetSupervisionRun, inspector_, get);
    ASSERT_TRUE(run.ok());
  }
  EXPECT_EQ(run->state(), v1::SUCCEEDED);
  EXPECT_EQ(run->sites_done(), run->sites_total());
  EXPECT_EQ(run->rule_set(), "website.national@1");

  common::v1::GetComplianceEvidenceRequest evidence;
  evidence.set_unit_id(units_[0]);
  *evidence.mutable_period_start() = ToProtoDate(absl::CivilDay(2026, 1, 1));
  *evidence.mutable_period_end() = ToProtoDate(absl::CivilDay(2026, 12, 31));
  auto evidence_stub = common::v1::ComplianceEvidenceService::NewStub(
      grpc::CreateChannel(website_->grpc_address(), grpc::InsecureChannelCredentials()));
  absl::StatusOr<common::v1::ComplianceEvidence> answer =
      UnaryCall(*evidence_stub, &common::v1::ComplianceEvidenceService::Stub::GetComplianceEvidence,
                inspector_, evidence);
  ASSERT_TRUE(answer.ok()) << answer.status();
  EXPECT_EQ(answer->service(), "website");
  ASSERT_EQ(answer->items_size(), 1);
  EXPECT_EQ(answer->items(0).item(), common::v1::OPENNESS_PLATFORMS);
}

// The authorization table: every RPC of WebsiteService x role x own/other unit. An
// allowed call gets past authorization (its outcome is then whatever the request
// deserves: a stale version is ABORTED, a missing run NOT_FOUND); a refused one is
// PERMISSION_DENIED; without a token every RPC is UNAUTHENTICATED. Unit-scoped roles
// (STAFF, REVIEWER, HEAD) act on their own unit's sites, notices and lists only: each
// unit-scoped RPC is called by another unit's staff and refused.
TEST_F(WebsiteE2eTest, AuthorizationTableCoversEveryRpc) {
  const int64_t own = units_[0];
  const int64_t other = units_[1];
  absl::StatusOr<v1::Site> site = CreateSite(own, "http://127.0.0.1:9/auth", office_);
  ASSERT_TRUE(site.ok()) << site.status();
  v1::CreateSiteRequest account_request;
  account_request.set_request_id("auth-account");
  account_request.mutable_site()->set_unit_id(own);
  account_request.mutable_site()->set_name("政务微信");
  account_request.mutable_site()->set_kind(v1::WECHAT);
  account_request.mutable_site()->set_url("wechat:auth");
  account_request.mutable_site()->set_state(v1::OPERATION);
  absl::StatusOr<v1::Site> account = UnaryCall(*stub_, &Stub::CreateSite, office_, account_request);
  ASSERT_TRUE(account.ok()) << account.status();
  v1::CreateNoticeRequest notice_request;
  notice_request.set_request_id("auth-notice");
  notice_request.mutable_notice()->set_site_id(site->id());
  notice_request.mutable_notice()->set_reason("栏目长期未更新");
  absl::StatusOr<v1::Notice> notice =
      UnaryCall(*stub_, &Stub::CreateNotice, office_, notice_request);
  ASSERT_TRUE(notice.ok()) << notice.status();

  // Who may call: a role with any unit, or a unit-scoped role on its own unit.
  enum Who {
    kReaders,
    kWriters,
    kSubmitters,
    kSevere,
    kSupervisors,
    kRunReaders,
    kRectifiers,
    kAnyone
  };
  const std::map<Who, std::set<std::string>> any_unit = {
      {kReaders, {"OFFICE", "INSPECTOR", "SUPERVISION", "ADMIN"}},
      {kWriters, {"OFFICE", "ADMIN"}},
      {kSubmitters, {"OFFICE", "ADMIN"}},
      {kSevere, {"INSPECTOR", "OFFICE", "ADMIN"}},
      {kSupervisors, {"OFFICE", "SUPERVISION", "ADMIN"}},
      {kRunReaders, {"OFFICE", "SUPERVISION", "ADMIN", "INSPECTOR"}},
      {kRectifiers, {"OFFICE", "ADMIN"}},
      {kAnyone, {"OFFICE", "INSPECTOR", "SUPERVISION", "ADMIN"}},
  };
  const std::map<Who, std::set<std::string>> own_unit = {
      {kReaders, {"STAFF", "REVIEWER", "HEAD"}},
      {kWriters, {"STAFF"}},
      {kSubmitters, {"STAFF"}},
      {kSevere, {}},
      {kSupervisors, {}},
      {kRunReaders, {}},
      {kRectifiers, {"STAFF", "HEAD"}},
      {kAnyone, {"STAFF", "REVIEWER", "HEAD"}},
  };
  int sequence = 0;
  using Call = std::function<absl::Status(const std::string& token)>;
  struct Rpc {
    std::string name;
    Who who;
    bool unit_scoped;  // The call names the own unit's site, notice or list.
    Call call;
  };
  const std::vector<Rpc> rpcs = {
      {"CreateSite", kWriters, true,
       [&](const std::string& t) {
         return CreateSite(own, "http://127.0.0.1:9/auth-new", t).status();
       }},
      {"GetSite", kReaders, true,
       [&](const std::string& t) {
         v1::GetSiteRequest r;
         r.set_id(site->id());
         return UnaryCall(*stub_, &Stub::GetSite, t, r).status();
       }},
      {"ListSites", kReaders, true,
       [&](const std::string& t) {
         v1::ListSitesRequest r;
         r.set_unit_id(own);
         return UnaryCall(*stub_, &Stub::ListSites, t, r).status();
       }},
      {"ChangeSiteState", kWriters, true,
       [&](const std::string& t) {
         v1::ChangeSiteStateRequest r;  // A stale version: ABORTED once authorized.
         r.set_id(site->id());
         r.set_version(999);
         r.set_state(v1::SHUTDOWN);
         return UnaryCall(*stub_, &Stub::ChangeSiteState, t, r).status();
       }},
      {"UpdateAccountProcedures", kWriters, true,
       [&](const std::string& t) {
         v1::UpdateAccountProceduresRequest r;  // Stale: ABORTED once authorized.
         r.set_id(account->id());
         r.set_version(999);
         r.set_editing_procedure("三审三校");
         return UnaryCall(*stub_, &Stub::UpdateAccountProcedures, t, r).status();
       }},
      {"ListSiteHistory", kReaders, true,
       [&](const std::string& t) {
         v1::ListSiteHistoryRequest r;
         r.set_id(site->id());
         return UnaryCall(*stub_, &Stub::ListSiteHistory, t, r).status();
       }},
      {"CreateColumn", kWriters, true,
       [&](const std::string& t) {
         v1::CreateColumnRequest r;
         r.set_request_id(absl::StrCat("auth-col-", ++sequence));
         r.mutable_column()->set_site_id(site->id());
         r.mutable_column()->set_name("要闻");
         r.mutable_column()->set_column_class(v1::NEWS);
         r.mutable_column()->set_url("http://127.0.0.1:9/auth/news");
         return UnaryCall(*stub_, &Stub::CreateColumn, t, r).status();
       }},
      {"ListColumns", kReaders, true,
       [&](const std::string& t) {
         v1::ListColumnsRequest r;
         r.set_site_id(site->id());
         return UnaryCall(*stub_, &Stub::ListColumns, t, r).status();
       }},
      {"TestExtraction", kAnyone, false,
       [&](const std::string& t) {
         v1::TestExtractionRequest r;
         r.set_page("<li>一 2026-12-01</li>");
         return UnaryCall(*stub_, &Stub::TestExtraction, t, r).status();
       }},
      {"ProbeSiteNow", kWriters, true,
       [&](const std::string& t) {
         v1::ProbeSiteNowRequest r;
         r.set_site_id(site->id());
         return UnaryCall(*stub_, &Stub::ProbeSiteNow, t, r).status();
       }},
      {"ListProbes", kReaders, true,
       [&](const std::string& t) {
         v1::ListProbesRequest r;
         r.set_site_id(site->id());
         return UnaryCall(*stub_, &Stub::ListProbes, t, r).status();
       }},
      {"SubmitMessages", kSubmitters, true,
       [&](const std::string& t) {
         v1::SubmitMessagesRequest r;
         r.set_site_id(site->id());
         v1::Message* m = r.add_messages();
         m->set_external_id("auth-m");
         *m->mutable_received_time() = ToTimestamp(absl::Now() - absl::Hours(1));
         return UnaryCall(*stub_, &Stub::SubmitMessages, t, r).status();
       }},
      {"RecordSevereError", kSevere, false,
       [&](const std::string& t) {
         v1::RecordSevereErrorRequest r;
         r.mutable_severe_error()->set_request_id(absl::StrCat("auth-se-", ++sequence));
         r.mutable_severe_error()->set_site_id(site->id());
         r.mutable_severe_error()->set_kind(v1::FALSE_CONTENT);
         r.mutable_severe_error()->set_page_url("http://127.0.0.1:9/auth/x");
         r.mutable_severe_error()->set_evidence("截图 1");
         *r.mutable_severe_error()->mutable_found_on() = ToProtoDate(absl::CivilDay(2026, 1, 5));
         return UnaryCall(*stub_, &Stub::RecordSevereError, t, r).status();
       }},
      {"EvaluateSite", kReaders, true,
       [&](const std::string& t) {
         v1::EvaluateSiteRequest r;
         r.set_site_id(site->id());
         return UnaryCall(*stub_, &Stub::EvaluateSite, t, r).status();
       }},
      {"StartSupervisionRun", kSupervisors, false,
       [&](const std::string& t) {
         v1::StartSupervisionRunRequest r;
         r.set_request_id(absl::StrCat("auth-run-", ++sequence));
         r.set_kind(v1::WEEKLY_CHECK);
         return UnaryCall(*stub_, &Stub::StartSupervisionRun, t, r).status();
       }},
      {"GetSupervisionRun", kRunReaders, false,
       [&](const std::string& t) {
         v1::GetSupervisionRunRequest r;  // Missing: NOT_FOUND once authorized.
         r.set_id(999999);
         return UnaryCall(*stub_, &Stub::GetSupervisionRun, t, r).status();
       }},
      {"CancelSupervisionRun", kSupervisors, false,
       [&](const std::string& t) {
         v1::CancelSupervisionRunRequest r;
         r.set_id(999999);
         return UnaryCall(*stub_, &Stub::CancelSupervisionRun, t, r).status();
       }},
      {"ListSupervisionResults", kRunReaders, false,
       [&](const std::string& t) {
         v1::ListSupervisionResultsRequest r;
         r.set_run_id(999999);
         return UnaryCall(*stub_, &Stub::ListSupervisionResults, t, r).status();
       }},
      {"CreateNotice", kSupervisors, false,
       [&](const std::string& t) {
         v1::CreateNoticeRequest r = notice_request;
         r.set_request_id(absl::StrCat("auth-notice-", ++sequence));
         return UnaryCall(*stub_, &Stub::CreateNotice, t, r).status();
       }},
      {"GetNotice", kReaders, true,
       [&](const std::string& t) {
         v1::GetNoticeRequest r;
         r.set_id(notice->id());
         return UnaryCall(*stub_, &Stub::GetNotice, t, r).status();
       }},
      {"ListNotices", kReaders, true,
       [&](const std::string& t) {
         v1::ListNoticesRequest r;
         r.set_unit_id(own);
         return UnaryCall(*stub_, &Stub::ListNotices, t, r).status();
       }},
      {"ReportRectification", kRectifiers, true,
       [&](const std::string& t) {
         v1::ReportRectificationRequest r;  // Stale: ABORTED once authorized.
         r.set_id(notice->id());
         r.set_version(999);
         r.set_report("已整改");
         return UnaryCall(*stub_, &Stub::ReportRectification, t, r).status();
       }},
      {"RecheckNotice", kSupervisors, false,
       [&](const std::string& t) {
         v1::RecheckNoticeRequest r;
         r.set_id(notice->id());
         r.set_version(999);
         return UnaryCall(*stub_, &Stub::RecheckNotice, t, r).status();
       }},
      {"EscalateNotice", kSupervisors, false,
       [&](const std::string& t) {
         v1::EscalateNoticeRequest r;
         r.set_id(notice->id());
         r.set_version(999);
         r.set_finding("省级抽查发现严重问题");
         return UnaryCall(*stub_, &Stub::EscalateNotice, t, r).status();
       }},
  };
  // Every RPC of the service is in the table.
  const google::protobuf::ServiceDescriptor* service =
      v1::Site::descriptor()->file()->FindServiceByName("WebsiteService");
  ASSERT_NE(service, nullptr);
  std::vector<std::string> names;
  for (const Rpc& rpc : rpcs) names.push_back(rpc.name);
  ASSERT_THAT(e2e::RpcCoverageProblems(*service, names), ::testing::IsEmpty());

  struct Case {
    std::string role;
    std::optional<int64_t> unit;
  };
  const std::vector<Case> cases = {
      {"STAFF", own},
      {"STAFF", other},
      {"REVIEWER", own},
      {"REVIEWER", other},
      {"HEAD", own},
      {"HEAD", other},
      {"OFFICE", std::nullopt},
      {"INSPECTOR", std::nullopt},
      {"SUPERVISION", std::nullopt},
      {"ADMIN", std::nullopt},
  };
  int unit_scoped_refusals = 0;
  for (const Rpc& rpc : rpcs) {
    EXPECT_EQ(rpc.call("").code(), absl::StatusCode::kUnauthenticated) << rpc.name;
    for (const Case& c : cases) {
      SCOPED_TRACE(absl::StrCat(rpc.name, " as ", c.role, " of unit ", c.unit.value_or(0)));
      const bool allowed = c.unit.has_value() ? own_unit.at(rpc.who).count(c.role) > 0 &&
                                                    (*c.unit == own || !rpc.unit_scoped)
                                              : any_unit.at(rpc.who).count(c.role) > 0;
      const absl::Status status = rpc.call(catalog_->Token(
          absl::StrCat("auth-", c.role, "-", c.unit.value_or(0)), c.unit, {c.role}));
      EXPECT_NE(status.code(), absl::StatusCode::kUnauthenticated) << status;
      EXPECT_EQ(status.code() == absl::StatusCode::kPermissionDenied, !allowed) << status;
      if (rpc.unit_scoped && c.unit == other && own_unit.at(rpc.who).count(c.role) > 0) {
        ++unit_scoped_refusals;
      }
    }
  }
  // Another unit's staff (and heads, reviewers where they read) were refused on each of
  // the 15 unit-scoped RPCs.
  EXPECT_GE(unit_scoped_refusals, 15);
}

struct Answer {
  int status = 0;
  nlohmann::json body;
};

Answer Http(int port, const std::string& method, const std::string& path, const std::string& token,
            const std::string& body = "") {
  httplib::Client client("127.0.0.1", port);
  httplib::Headers headers;
  if (!token.empty()) headers.emplace("Authorization", "Bearer " + token);
  httplib::Result r = method == "GET"
                          ? client.Get(path.c_str(), headers)
                          : client.Post(path.c_str(), headers, body, "application/json");
  Answer a;
  if (!r) return a;
  a.status = r->status;
  a.body = nlohmann::json::parse(r->body, nullptr, false);
  return a;
}

TEST_F(WebsiteE2eTest, RestThroughTheGateway) {
  const int port = routed_gateway_->port("http_port");
  nlohmann::json site = {{"unit_id", units_[0]},
                         {"name", "门户"},
                         {"kind", "PORTAL"},
                         {"url", "http://127.0.0.1:9/rest"},
                         {"state", "OPERATION"}};
  Answer created = Http(port, "POST", "/v1/sites?request_id=rest-1", office_, site.dump());
  ASSERT_EQ(created.status, 200) << created.body.dump();
  const std::string id = created.body["id"].get<std::string>();
  Answer got = Http(port, "GET", "/v1/sites/" + id, inspector_);
  EXPECT_EQ(got.status, 200);
  EXPECT_EQ(got.body["url"], "http://127.0.0.1:9/rest");
  site["url"] = "gopher://x";
  Answer bad = Http(port, "POST", "/v1/sites", office_, site.dump());
  EXPECT_EQ(bad.status, 400) << bad.body.dump();
  EXPECT_THAT(bad.body.dump(), HasSubstr("site.url"));
  EXPECT_EQ(Http(port, "GET", "/v1/sites/99999999", inspector_).status, 404);
  EXPECT_EQ(Http(port, "GET", "/v1/sites/" + id, "").status, 401);
  Answer evaluated = Http(port, "GET", "/v1/sites/" + id + ":evaluate", inspector_);
  EXPECT_EQ(evaluated.status, 200) << evaluated.body.dump();
  EXPECT_EQ(evaluated.body["ruleSet"], "website.national@1") << evaluated.body.dump();
}

// The demo loader `./gongkai up` runs: it loads through the public API, and a second
// run changes nothing and succeeds.
TEST_F(WebsiteE2eTest, DemoLoaderLoadsAndCanRunAgain) {
  const std::string command =
      absl::StrCat(GONGKAI_WEBSITE_DEMO_BINARY, " --target=", website_->grpc_address(),
                   " --catalog=", catalog_->service().grpc_address(), " --token=", admin_, " 2>&1");
  EXPECT_EQ(std::system(command.c_str()), 0);
  EXPECT_EQ(std::system(command.c_str()), 0);
  v1::ListSitesRequest list;  // Every unit: no other test migrates a site.
  list.set_page_size(100);
  absl::StatusOr<v1::ListSitesResponse> sites =
      UnaryCall(*stub_, &Stub::ListSites, inspector_, list);
  ASSERT_TRUE(sites.ok()) << sites.status();
  int migrated = 0;
  for (const v1::Site& site : sites->sites()) migrated += site.state() == v1::MIGRATED;
  EXPECT_EQ(migrated, 1);
}

TEST_F(WebsiteE2eTest, MetricsCarryTheBusinessGauges) {
  httplib::Client client("127.0.0.1", website_->metrics_port());
  std::string text;
  for (int i = 0; i < 20; ++i) {
    httplib::Result r = client.Get("/metrics");
    ASSERT_TRUE(r);
    text = r->body;
    if (text.find("website_sites{state=\"OPERATION\"} 0") == std::string::npos) break;
    absl::SleepFor(absl::Milliseconds(500));
  }
  EXPECT_THAT(text, HasSubstr("website_probes_total{outcome=\"ok\"}"));
  EXPECT_THAT(text, HasSubstr("website_probes_overdue"));
  EXPECT_THAT(text, HasSubstr("website_notices_overdue"));
  EXPECT_THAT(text, HasSubstr("grpc_server_handled_total"));
}

}  // namespace
}  // namespace gongkai::e2e
