// gongkai-opinion-demo: loads a few opinion events (data/events.json) into a running
// opinion service through its public gRPC API, each taken as far through the OPI-1
// workflow as its "steps" say (consult, assess, respond, decline, evaluate, close), as
// the general office and the units' staff. Unit codes are looked up in the catalog
// (--catalog, default 127.0.0.1:50051), whose demo data must be loaded first (./gongkai
// up loads services in name order: catalog before opinion). Safe to run again: the
// collection and answers carry request ids, and steps already taken are skipped.
//
//   gongkai-opinion-demo --target=127.0.0.1:50054 --secret-file=jwt-hs256.key
//       --issuer=gongkai-dev --audience=gongkai [--catalog=127.0.0.1:50051]
//
// Exit status: 0 loaded, 1 a call failed (the message names it), 2 bad flags.
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "gongkai/catalog/v1/catalog.grpc.pb.h"
#include "gongkai/opinion/v1/opinion.grpc.pb.h"
#include "libs/clock/clock.h"
#include "libs/config/flag_names.h"
#include "libs/demo/actor_call.h"
#include "libs/demo/actor_tokens.h"
#include "libs/demo/data_files.h"
#include "libs/protoconv/protoconv.h"
#include "libs/status/status_macros.h"

ABSL_FLAG(std::string, target, "127.0.0.1:50054", "The opinion service's gRPC address");
ABSL_FLAG(std::string, catalog, "127.0.0.1:50051", "The catalog's gRPC address (units)");
ABSL_FLAG(std::string, secret_file, "", "The services' HS256 key: mints a token per demo user");
ABSL_FLAG(std::string, issuer, "gongkai-dev", "Issuer of minted tokens");
ABSL_FLAG(std::string, audience, "gongkai", "Audience of minted tokens, comma-separated");
ABSL_FLAG(absl::Duration, call_timeout, absl::Seconds(15), "Deadline of each call");

namespace gongkai::opinion::demo {

const std::vector<gongkai::demo::DataFile>& EmbeddedDataFiles();

namespace {

namespace v1 = ::gongkai::opinion::v1;
namespace catalog_v1 = ::gongkai::catalog::v1;
using gongkai::demo::Actor;
using gongkai::demo::CallAs;

struct EventSpec {
  v1::CollectEventRequest request;  // Units still as codes, below.
  std::vector<std::string> localities, concerned, steps;
  std::vector<std::pair<std::string, std::string>> facts;
  int64_t minutes_ago = 0;
};

absl::StatusOr<std::vector<EventSpec>> ReadEvents() {
  namespace d = gongkai::demo;
  return d::ReadDataFile<std::vector<EventSpec>>(
      EmbeddedDataFiles(), "events.json", [](const nlohmann::json& file) {
        std::vector<EventSpec> events;
        for (const nlohmann::json& e : file) {
          d::CheckFields(
              e, {"request_id", "title", "summary", "source", "category", "grade", "territory",
                  "localities", "concerned", "evidence", "minutes_ago", "wide_impact",
                  "heavy_casualties", "instruction", "leader", "steps", "facts"});
          EventSpec spec;
          v1::CollectEventRequest& r = spec.request;
          r.set_request_id(d::TextField(e, "request_id"));
          r.set_title(d::TextField(e, "title"));
          r.set_summary(d::TextField(e, "summary"));
          r.set_source(d::EnumField(e, "source", &v1::EventSource_Parse));
          r.set_category(d::EnumField(e, "category", &v1::EventCategory_Parse));
          r.set_grade(d::EnumField(e, "grade", &v1::EventGrade_Parse));
          r.set_territory(d::EnumField(e, "territory", &v1::TerritoryScope_Parse));
          r.set_wide_impact(d::BoolField(e, "wide_impact"));
          r.set_heavy_casualties(d::BoolField(e, "heavy_casualties"));
          r.set_leader_instruction(d::TextField(e, "instruction"));
          r.set_instructing_leader(d::TextField(e, "leader"));
          for (const auto& link : e.value("evidence", nlohmann::json::array())) {
            v1::EvidenceLink* l = r.add_evidence();
            l->set_url(link.at("url").get<std::string>());
            l->set_excerpt(link.value("excerpt", ""));
          }
          spec.localities = e.value("localities", std::vector<std::string>());
          spec.concerned = e.value("concerned", std::vector<std::string>());
          spec.steps = e.value("steps", std::vector<std::string>());
          for (const auto& f : e.value("facts", nlohmann::json::array())) {
            spec.facts.emplace_back(f.at(0).get<std::string>(), f.at(1).get<std::string>());
          }
          spec.minutes_ago = d::IntField(e, "minutes_ago");
          events.push_back(std::move(spec));
        }
        return events;
      });
}

absl::StatusOr<std::map<std::string, int64_t>> UnitIds(catalog_v1::CatalogService::Stub& stub,
                                                       gongkai::demo::TokenSource& tokens) {
  std::map<std::string, int64_t> ids;
  catalog_v1::ListUnitsRequest request;
  request.set_page_size(100);
  while (true) {
    ASSIGN_OR_RETURN(
        catalog_v1::ListUnitsResponse page,
        CallAs(&stub, &catalog_v1::CatalogService::Stub::ListUnits, "ListUnits", tokens,
               Actor::Office("demo.office"), request, "units", absl::GetFlag(FLAGS_call_timeout)));
    for (const auto& unit : page.units()) ids[unit.code()] = unit.id();
    if (page.next_page_token().empty()) break;
    request.set_page_token(page.next_page_token());
  }
  return ids;
}

// The events an earlier run collected, by title. A later run takes them up where they
// are instead of collecting again: their first_seen_time is relative to the time of the
// run, so a second CollectEvent would be another request under the same request id
// (refused as such by the service).
absl::StatusOr<std::map<std::string, v1::OpinionEvent>> CollectedEvents(
    v1::OpinionService::Stub& stub, gongkai::demo::TokenSource& tokens, const Actor& office,
    absl::Duration timeout) {
  std::map<std::string, v1::OpinionEvent> by_title;
  v1::ListEventsRequest request;
  request.set_page_size(100);
  while (true) {
    ASSIGN_OR_RETURN(v1::ListEventsResponse page,
                     CallAs(&stub, &v1::OpinionService::Stub::ListEvents, "ListEvents", tokens,
                            office, request, "events", timeout));
    for (const v1::OpinionEvent& event : page.events()) by_title[event.title()] = event;
    if (page.next_page_token().empty()) break;
    request.set_page_token(page.next_page_token());
  }
  return by_title;
}

absl::Status Load(v1::OpinionService::Stub& stub, catalog_v1::CatalogService::Stub& catalog,
                  gongkai::demo::TokenSource& tokens) {
  ASSIGN_OR_RETURN(std::vector<EventSpec> events, ReadEvents());
  ASSIGN_OR_RETURN(auto units, UnitIds(catalog, tokens));
  auto unit = [&](const std::string& code) -> absl::StatusOr<int64_t> {
    auto it = units.find(code);
    if (it == units.end()) {
      return absl::FailedPreconditionError(
          absl::StrCat("unit ", code, " is not in the catalog: load the catalog demo data first"));
    }
    return it->second;
  };
  const absl::Duration timeout = absl::GetFlag(FLAGS_call_timeout);
  const Actor office{"huang.min", "OFFICE", std::nullopt};
  ASSIGN_OR_RETURN(const int64_t office_unit, unit("NN-GOV-OFFICE"));
  ASSIGN_OR_RETURN(const auto collected_before, CollectedEvents(stub, tokens, office, timeout));
  int collected = 0, steps_taken = 0;
  for (EventSpec& spec : events) {
    v1::CollectEventRequest request = spec.request;
    for (const auto& code : spec.localities) {
      ASSIGN_OR_RETURN(int64_t id, unit(code));
      request.add_locality_unit_ids(id);
    }
    for (const auto& code : spec.concerned) {
      ASSIGN_OR_RETURN(int64_t id, unit(code));
      request.add_concerned_unit_ids(id);
    }
    request.set_collecting_unit_id(office_unit);
    const absl::Time seen = absl::Now() - absl::Minutes(spec.minutes_ago);
    *request.mutable_first_seen_time() = ToTimestamp(seen);
    v1::OpinionEvent event;
    if (auto before = collected_before.find(request.title());
        before != collected_before.end() &&
        before->second.collecting_unit_id() == request.collecting_unit_id()) {
      event = before->second;
    } else {
      ASSIGN_OR_RETURN(event, CallAs(&stub, &v1::OpinionService::Stub::CollectEvent, "CollectEvent",
                                     tokens, office, request, request.title(), timeout));
      ++collected;
    }
    v1::GetEventRequest get;
    get.set_id(event.id());
    ASSIGN_OR_RETURN(event, CallAs(&stub, &v1::OpinionService::Stub::GetEvent, "GetEvent", tokens,
                                   office, get, request.title(), timeout));
    const int64_t lead = event.responsibility().lead_unit_id();
    const Actor lead_staff{absl::StrCat("staff@unit-", lead), "STAFF", lead};
    const Actor lead_head{absl::StrCat("head@unit-", lead), "HEAD", lead};
    for (const std::string& step : spec.steps) {
      const v1::EventState state = event.state();
      if (step == "consult" && state == v1::EVENT_COLLECTED) {
        v1::RecordConsultationRequest r;
        r.set_id(event.id());
        r.add_participants("市委宣传部");
        r.add_participants("市政府办公室");
        r.add_participants("责任单位");
        r.set_conclusion("核实情况，统一口径，由责任单位发布。");
        ASSIGN_OR_RETURN(event,
                         CallAs(&stub, &v1::OpinionService::Stub::RecordConsultation,
                                "RecordConsultation", tokens, office, r, request.title(), timeout));
      } else if (step == "assess" && state == v1::EVENT_CONSULTED) {
        v1::RecordAssessmentRequest r;
        r.set_id(event.id());
        r.set_risk("热度上升，需及时回应。");
        r.set_grade(request.grade());
        r.set_wide_impact(request.wide_impact());
        r.set_heavy_casualties(request.heavy_casualties());
        ASSIGN_OR_RETURN(
            event, CallAs(&stub, &v1::OpinionService::Stub::RecordAssessment, "RecordAssessment",
                          tokens, office, r, request.title(), timeout));
      } else if (step == "respond" && state == v1::EVENT_ASSESSED) {
        v1::RecordResponseRequest r;
        r.set_id(event.id());
        r.set_request_id(absl::StrCat(request.request_id(), "-answer"));
        r.set_channel(v1::CHANNEL_WEIBO);
        r.set_content("经核实，相关情况如下：责任单位已介入处置，后续进展将及时发布。");
        *r.mutable_publish_time() = ToTimestamp(absl::Now());
        r.set_spokesperson("新闻发言人");
        r.set_link("https://www.nanning.gov.cn/xwfb/");
        r.set_authoritative(true);
        for (const auto& [fact, value] : spec.facts) {
          v1::StatedFact* f = r.add_facts();
          f->set_fact(fact);
          f->set_value(value);
        }
        ASSIGN_OR_RETURN(event,
                         CallAs(&stub, &v1::OpinionService::Stub::RecordResponse, "RecordResponse",
                                tokens, lead_staff, r, request.title(), timeout));
      } else if (step == "decline" && state == v1::EVENT_ASSESSED) {
        v1::DecideNotToRespondRequest r;
        r.set_id(event.id());
        r.set_reason("经研判，咨询已由12345热线逐一答复，无需公开回应。");
        ASSIGN_OR_RETURN(
            event, CallAs(&stub, &v1::OpinionService::Stub::DecideNotToRespond,
                          "DecideNotToRespond", tokens, lead_head, r, request.title(), timeout));
      } else if (step == "evaluate" && state == v1::EVENT_RESPONDING) {
        v1::RecordEvaluationRequest r;
        r.set_id(event.id());
        r.set_effect("网民情绪平稳，相关话题热度下降。");
        r.set_lessons("首次发布可再提前，口径需提前会商。");
        ASSIGN_OR_RETURN(
            event, CallAs(&stub, &v1::OpinionService::Stub::RecordEvaluation, "RecordEvaluation",
                          tokens, lead_staff, r, request.title(), timeout));
      } else if (step == "close" && state == v1::EVENT_EVALUATED) {
        v1::CloseEventRequest r;
        r.set_id(event.id());
        ASSIGN_OR_RETURN(event, CallAs(&stub, &v1::OpinionService::Stub::CloseEvent, "CloseEvent",
                                       tokens, lead_head, r, request.title(), timeout));
      } else {
        continue;  // Already taken.
      }
      ++steps_taken;
      std::cerr << "event " << event.id() << " " << step << " → "
                << v1::EventState_Name(event.state()) << "\n";
    }
  }
  std::cout << "opinion: " << collected << " events collected ("
            << events.size() - static_cast<size_t>(collected) << " by an earlier run), "
            << steps_taken << " workflow steps\n";
  return absl::OkStatus();
}

std::string ReadTrimmedFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cerr << "gongkai-opinion-demo: --secret-file=" << path << " cannot be read\n";
    std::exit(2);
  }
  std::stringstream contents;
  contents << in.rdbuf();
  return std::string(absl::StripAsciiWhitespace(contents.str()));
}

}  // namespace
}  // namespace gongkai::opinion::demo

int main(int argc, char** argv) {
  namespace demo = gongkai::opinion::demo;
  absl::SetProgramUsageMessage(
      "loads the opinion demo data: gongkai-opinion-demo --target=HOST:PORT --secret-file=F "
      "[--issuer=I --audience=A --catalog=HOST:PORT]");
  std::vector<std::string> storage;
  std::vector<char*> args = gongkai::config::NormalizeFlagNames(argc, argv, storage);
  absl::ParseCommandLine(static_cast<int>(args.size()), args.data());
  if (absl::GetFlag(FLAGS_secret_file).empty()) {
    std::cerr << "gongkai-opinion-demo: --secret-file is required\n";
    return 2;
  }
  gongkai::RealClock clock;
  gongkai::demo::MintingTokenSource tokens(
      demo::ReadTrimmedFile(absl::GetFlag(FLAGS_secret_file)), absl::GetFlag(FLAGS_issuer),
      absl::StrSplit(absl::GetFlag(FLAGS_audience), ','), &clock);
  auto opinion = gongkai::opinion::v1::OpinionService::NewStub(
      grpc::CreateChannel(absl::GetFlag(FLAGS_target), grpc::InsecureChannelCredentials()));
  auto catalog = gongkai::catalog::v1::CatalogService::NewStub(
      grpc::CreateChannel(absl::GetFlag(FLAGS_catalog), grpc::InsecureChannelCredentials()));
  absl::Status status = demo::Load(*opinion, *catalog, tokens);
  if (!status.ok()) {
    std::cerr << "gongkai-opinion-demo: " << status << "\n";
    return 1;
  }
  return 0;
}
