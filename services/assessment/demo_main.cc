// gongkai-assessment-demo: realistic demo data for the assessment service, entered
// through its public API only (run once by `./gongkai up`, DEMO in service.env):
//
//   gongkai-assessment-demo --target=127.0.0.1:50056 --secret-file=jwt-hs256.key
//
// It assesses last year over the units the catalog holds (a first run, which also tells
// it the units), then for up to six of them enters what the people of the suite would:
// training plans and sessions (ASM-4), inspectors' evidence for items 1, 2 and 15,
// third-party scores (ASM-5); a "three randoms" draw over them with a spot-check result
// and its notice (ASM-2); a second run that includes all of it, and the ASM-3 triggers
// that run supports. Every create has a fixed request id, so a second load changes
// nothing. Exit code 0 on success, 1 with the failing call named.
#include <grpcpp/grpcpp.h>

#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "gongkai/assessment/v1/assessment.grpc.pb.h"
#include "libs/clock/clock.h"
#include "libs/config/flag_names.h"
#include "libs/demo/actor_call.h"
#include "libs/demo/actor_tokens.h"
#include "libs/protoconv/protoconv.h"
#include "libs/status/status_macros.h"

ABSL_FLAG(std::string, target, "127.0.0.1:50056", "The assessment service's gRPC address");
ABSL_FLAG(std::string, secret_file, "", "The suite's HS256 secret (tokens are minted per actor)");
ABSL_FLAG(std::string, issuer, "gongkai-dev", "Issuer of minted tokens");
ABSL_FLAG(std::string, audience, "gongkai", "Audience of minted tokens, comma-separated");
ABSL_FLAG(absl::Duration, call_timeout, absl::Seconds(15), "Deadline of each call");

namespace gongkai::assessment {
namespace {

using Stub = v1::AssessmentService::Stub;
using demo::Actor;
using demo::CallAs;

const Actor kOffice = Actor::Office("wang.min@nn-gov-office");
const Actor kInspector{"zhao.lei@nn-inspection", "INSPECTOR", std::nullopt};

class Loader {
 public:
  Loader(Stub* stub, demo::TokenSource* tokens) : stub_(stub), tokens_(tokens) {}

  absl::Status Load() {
    const int year = static_cast<int>(absl::ToCivilYear(absl::Now(), ShanghaiTimeZone()).year());
    ASSIGN_OR_RETURN(v1::AssessmentRun first, Run(year - 1, "demo-run-1"));
    v1::ListUnitScoresRequest list;
    list.set_run_id(first.id());
    list.set_page_size(6);
    ASSIGN_OR_RETURN(v1::ListUnitScoresResponse units,
                     Call(&Stub::ListUnitScores, "ListUnitScores", kOffice, list, "run"));
    std::vector<int64_t> unit_ids;
    for (const v1::UnitScore& score : units.scores()) unit_ids.push_back(score.unit_id());
    if (unit_ids.empty()) {
      std::cout << "no units in the catalog yet: nothing to assess\n";
      return absl::OkStatus();
    }
    for (size_t i = 0; i < unit_ids.size(); ++i) RETURN_IF_ERROR(UnitData(unit_ids[i], i, year));
    RETURN_IF_ERROR(DrawAndSpotCheck(unit_ids, year));
    ASSIGN_OR_RETURN(v1::AssessmentRun second, Run(year - 1, "demo-run-2"));
    v1::RaiseAccountabilityTriggersRequest raise;
    raise.set_run_id(second.id());
    ASSIGN_OR_RETURN(v1::ListAccountabilityTriggersResponse triggers,
                     Call(&Stub::RaiseAccountabilityTriggers, "RaiseAccountabilityTriggers",
                          kOffice, raise, "run"));
    std::cout << "assessment demo: " << unit_ids.size() << " units, run " << second.id() << " ("
              << v1::AssessmentRunState_Name(second.state()) << "), " << triggers.triggers_size()
              << " accountability triggers\n";
    return absl::OkStatus();
  }

 private:
  template <typename Request, typename Response>
  absl::StatusOr<Response> Call(grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&,
                                                             Response*),
                                const char* rpc, const Actor& actor, const Request& request,
                                const std::string& what) {
    return CallAs(stub_, method, rpc, *tokens_, actor, request, what,
                  absl::GetFlag(FLAGS_call_timeout));
  }

  // Starts (or, with the same request id, finds) a run and waits for it to finish; a
  // run waiting for a service that is not up yet is reported as it stands.
  absl::StatusOr<v1::AssessmentRun> Run(int year, const std::string& request_id) {
    v1::StartAssessmentRunRequest start;
    start.set_request_id(request_id);
    start.set_year(year);
    ASSIGN_OR_RETURN(v1::AssessmentRun run, Call(&Stub::StartAssessmentRun, "StartAssessmentRun",
                                                 kOffice, start, request_id));
    v1::GetAssessmentRunRequest get;
    get.set_id(run.id());
    for (const absl::Time give_up = absl::Now() + absl::Seconds(60);
         absl::Now() < give_up && (run.state() == v1::RUNNING && run.attempts() == 0);) {
      absl::SleepFor(absl::Milliseconds(200));
      ASSIGN_OR_RETURN(run,
                       Call(&Stub::GetAssessmentRun, "GetAssessmentRun", kOffice, get, request_id));
    }
    return run;
  }

  absl::Status UnitData(int64_t unit, size_t i, int year) {
    const Actor clerk = Actor::Staff(absl::StrCat("li.na@unit-", unit), unit);
    const std::vector<std::string> staff = {"li.na", "chen.jie", "huang.yu", "zhou.qiang"};
    v1::CreateTrainingPlanRequest plan;
    plan.set_request_id(absl::StrCat("demo-plan-", unit, "-", year));
    plan.set_unit_id(unit);
    plan.set_year(year);
    plan.set_planned_sessions(3);
    for (const std::string& s : staff) plan.add_openness_staff(s);
    RETURN_IF_ERROR(
        Call(&Stub::CreateTrainingPlan, "CreateTrainingPlan", clerk, plan, "plan").status());
    for (size_t s = 0; s <= i % 3; ++s) {
      v1::RecordTrainingSessionRequest session;
      session.set_request_id(absl::StrCat("demo-session-", unit, "-", year, "-", s));
      session.set_unit_id(unit);
      *session.mutable_date() = ToProtoDate(absl::CivilDay(year, 3 + 3 * static_cast<int>(s), 15));
      session.set_topic(s == 0 ? "《政府信息公开条例》逐条解读" : "政策解读与回应关切实务");
      session.set_hours(3);
      for (size_t a = 0; a < staff.size() - (i % 2); ++a) session.add_attendees(staff[a]);
      RETURN_IF_ERROR(
          Call(&Stub::RecordTrainingSession, "RecordTrainingSession", clerk, session, "session")
              .status());
    }
    const std::vector<std::pair<common::v1::InspectionItem, std::string>> evidence = {
        {common::v1::LEADERSHIP_AND_STAFFING, "设立政务公开领导小组，办公室配备专职人员 2 名"},
        {common::v1::LEADERS_ATTENTION, "主要领导年内 2 次专题研究政务公开工作（会议纪要附后）"},
        {common::v1::HIGHER_GOVERNMENT_TASKS, "上级年度政务公开工作要点 12 项任务完成 11 项"}};
    for (const auto& [item, text] : evidence) {
      v1::RecordInspectorEvidenceRequest request;
      request.set_request_id(absl::StrCat("demo-evidence-", unit, "-", year - 1, "-", item));
      request.set_unit_id(unit);
      request.set_year(year - 1);
      request.set_item(item);
      request.set_points(item == common::v1::HIGHER_GOVERNMENT_TASKS ? 3 : 5 - 0.5 * (i % 3));
      request.set_text(text);
      request.add_attachments(
          absl::StrCat("file/", year - 1, "/unit-", unit, "-item-", item, ".pdf"));
      RETURN_IF_ERROR(Call(&Stub::RecordInspectorEvidence, "RecordInspectorEvidence", kInspector,
                           request, "evidence")
                          .status());
    }
    v1::RecordThirdPartyScoreRequest third;
    third.set_request_id(absl::StrCat("demo-third-party-", unit, "-", year - 1));
    third.set_unit_id(unit);
    third.set_year(year - 1);
    third.set_evaluator("广西社会科学院政务公开第三方评估组");
    third.set_total(70 + 3.5 * static_cast<double>(i));
    third.set_report_reference(absl::StrCat("report/third-party/", year - 1, ".pdf"));
    return Call(&Stub::RecordThirdPartyScore, "RecordThirdPartyScore", kOffice, third, "score")
        .status();
  }

  absl::Status DrawAndSpotCheck(const std::vector<int64_t>& units, int year) {
    v1::CreateDrawRequest create;
    create.set_request_id(absl::StrCat("demo-draw-", year));
    create.set_title(absl::StrCat(year, " 年政务公开“三随机”抽查"));
    for (int64_t unit : units) create.mutable_inputs()->add_unit_ids(unit);
    for (int item : {3, 4, 5, 9, 11, 14}) {
      create.mutable_inputs()->add_items(static_cast<common::v1::InspectionItem>(item));
    }
    for (int quarter = 0; quarter < 4; ++quarter) {
      v1::TimeWindow* window = create.mutable_inputs()->add_windows();
      *window->mutable_start() = ToProtoDate(absl::CivilDay(year, 1 + 3 * quarter, 1));
      *window->mutable_end() = ToProtoDate(absl::CivilDay(year, 1 + 3 * quarter + 3, 1) - 1);
    }
    create.mutable_inputs()->set_units_to_pick(std::min<int>(2, static_cast<int>(units.size())));
    create.mutable_inputs()->set_items_to_pick(2);
    create.mutable_inputs()->set_windows_to_pick(1);
    ASSIGN_OR_RETURN(v1::Draw draw, Call(&Stub::CreateDraw, "CreateDraw", kOffice, create, "draw"));
    v1::GetDrawRequest get;
    get.set_id(draw.id());
    ASSIGN_OR_RETURN(draw, Call(&Stub::GetDraw, "GetDraw", kOffice, get, "draw"));
    if (draw.state() == v1::COMMITTED) {
      v1::PerformDrawRequest perform;
      perform.set_id(draw.id());
      ASSIGN_OR_RETURN(draw, Call(&Stub::PerformDraw, "PerformDraw", kOffice, perform, "draw"));
    }
    v1::RecordSpotCheckResultRequest result;
    result.set_request_id(absl::StrCat("demo-spot-check-", year));
    result.set_draw_id(draw.id());
    result.set_unit_id(draw.picked_unit_ids(0));
    result.set_item(draw.picked_items(0));
    result.set_passed(false);
    result.set_finding("抽查 10 件公文，其中 2 件未在起草时认定公开属性");
    RETURN_IF_ERROR(
        Call(&Stub::RecordSpotCheckResult, "RecordSpotCheckResult", kInspector, result, "result")
            .status());
    v1::PublishNoticeRequest notice;
    notice.set_request_id(absl::StrCat("demo-notice-", year));
    notice.set_kind(v1::SPOT_CHECK);
    notice.set_title(absl::StrCat("关于", year, "年政务公开“三随机”抽查情况的通报"));
    notice.set_body("本次抽查随机确定被检查单位、检查事项和时段，抽取种子已公布，可自行复核。");
    notice.set_draw_id(draw.id());
    return Call(&Stub::PublishNotice, "PublishNotice", kOffice, notice, "notice").status();
  }

  Stub* stub_;
  demo::TokenSource* tokens_;
};

}  // namespace
}  // namespace gongkai::assessment

int main(int argc, char** argv) {
  // `./gongkai up` passes --secret-file etc. (dashes); absl flags are spelled with '_'.
  std::vector<std::string> storage;
  std::vector<char*> args = gongkai::config::NormalizeFlagNames(argc, argv, storage);
  absl::ParseCommandLine(static_cast<int>(args.size()), args.data());
  std::ifstream in(absl::GetFlag(FLAGS_secret_file));
  std::string secret((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  while (!secret.empty() && (secret.back() == '\n' || secret.back() == '\r')) secret.pop_back();
  if (secret.empty()) {
    std::cerr << "--secret-file is required (the suite's HS256 secret)\n";
    return 1;
  }
  gongkai::RealClock clock;
  gongkai::demo::MintingTokenSource tokens(
      secret, absl::GetFlag(FLAGS_issuer),
      absl::StrSplit(absl::GetFlag(FLAGS_audience), ',', absl::SkipEmpty()), &clock);
  auto stub = gongkai::assessment::v1::AssessmentService::NewStub(
      grpc::CreateChannel(absl::GetFlag(FLAGS_target), grpc::InsecureChannelCredentials()));
  gongkai::assessment::Loader loader(stub.get(), &tokens);
  const absl::Status status = loader.Load();
  if (!status.ok()) {
    std::cerr << "assessment demo failed: " << status << "\n";
    return 1;
  }
  return 0;
}
