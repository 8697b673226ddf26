// The authorization table (each RPC x role x own/other unit) and the bad-input corpus
// (every case INVALID_ARGUMENT, no row written) of the assessment's rules, on the real
// MariaDB (label integration).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "libs/auth/principal.h"
#include "libs/clock/clock.h"
#include "libs/protoconv/protoconv.h"
#include "services/assessment/assessment.h"
#include "services/assessment/assessment_testing.h"
#include "tests/integration/repository_test_support.h"

namespace gongkai::assessment {
namespace {

using auth::Role;

constexpr int64_t kUnit = 5;

struct Who {
  std::string name;
  auth::Principal principal;
};

std::vector<Who> Everyone() {
  auto make = [](const std::string& name, std::vector<Role> roles, std::optional<int64_t> unit) {
    auth::Principal p;
    p.subject = name;
    p.unit_id = unit;
    for (Role role : roles) p.roles.Add(role);
    return Who{name, p};
  };
  return {Who{"anonymous", auth::Principal::Anonymous()},
          make("STAFF(own)", {Role::kStaff}, kUnit),
          make("STAFF(other)", {Role::kStaff}, kUnit + 1),
          make("REVIEWER(own)", {Role::kReviewer}, kUnit),
          make("REVIEWER(other)", {Role::kReviewer}, kUnit + 1),
          make("HEAD(own)", {Role::kHead}, kUnit),
          make("HEAD(other)", {Role::kHead}, kUnit + 1),
          make("INSPECTOR", {Role::kInspector}, std::nullopt),
          make("OFFICE", {Role::kOffice}, std::nullopt),
          make("SUPERVISION", {Role::kSupervision}, std::nullopt),
          make("ADMIN", {Role::kAdmin}, std::nullopt),
          make("SERVICE", {Role::kService}, std::nullopt)};
}

using Call = std::function<absl::Status(const auth::Principal&)>;

class AssessmentAccessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<integration::MigratedDatabase> db =
        integration::MigratedDatabase::Create("asmacl");
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::make_unique<integration::MigratedDatabase>(*std::move(db));
    repository_ = NewMysqlAssessmentRepository(db_->pool.get());
    assessment_ = std::make_unique<Assessment>(repository_.get(), testing::SchemeBook(), &clock_,
                                               CryptoSeedSource());
  }

  int64_t Rows() {
    int64_t total = 0;
    auto conn = db_->pool->Acquire();
    for (const char* table :
         {"assessment_runs", "assessment_run_units", "inspector_evidence", "third_party_scores",
          "draws", "spot_check_results", "accountability_triggers", "summonses", "notices",
          "training_plans", "training_sessions", "idempotency_keys"}) {
      auto rows = (*conn)->Query(absl::StrCat("SELECT COUNT(*) AS n FROM ", table));
      total += *(*rows)[0].GetInt64("n");
    }
    return total;
  }

  FakeClock clock_{absl::FromCivil(absl::CivilSecond(2026, 6, 1, 9, 0, 0), absl::UTCTimeZone())};
  std::unique_ptr<integration::MigratedDatabase> db_;
  std::unique_ptr<AssessmentRepository> repository_;
  std::unique_ptr<Assessment> assessment_;
};

TEST_F(AssessmentAccessTest, EveryRpcAdmitsExactlyTheRolesOfItsRule) {
  Assessment& a = *assessment_;
  const std::set<std::string> readers = {"INSPECTOR", "OFFICE", "SUPERVISION", "ADMIN"};
  std::set<std::string> readers_and_own = readers;
  readers_and_own.insert({"STAFF(own)", "REVIEWER(own)", "HEAD(own)"});
  const std::set<std::string> inspectors = {"INSPECTOR", "OFFICE", "ADMIN"};
  const std::set<std::string> office = {"OFFICE", "ADMIN"};
  const std::set<std::string> accountability = {"OFFICE", "ADMIN", "SUPERVISION"};
  const std::set<std::string> training_writers = {"OFFICE", "ADMIN", "STAFF(own)"};
  std::set<std::string> signed_in;
  std::set<std::string> everyone;
  for (const Who& who : Everyone()) {
    everyone.insert(who.name);
    if (who.name != "anonymous") signed_in.insert(who.name);
  }
  int n = 0;
  auto id = [&] { return absl::StrCat("acl-", ++n); };
  const std::vector<std::tuple<std::string, std::set<std::string>, Call>> table = {
      {"GetScheme", signed_in,
       [&](const auth::Principal& p) {
         v1::GetSchemeRequest r;
         r.set_year(2026);
         return a.GetScheme(p, r).status();
       }},
      {"RecordInspectorEvidence", inspectors,
       [&](const auth::Principal& p) {
         v1::RecordInspectorEvidenceRequest r;
         r.set_request_id(id());
         r.set_unit_id(kUnit);
         r.set_year(2026);
         r.set_item(common::v1::LEADERS_ATTENTION);
         r.set_points(1);
         r.set_text("x");
         return a.RecordInspectorEvidence(p, r).status();
       }},
      {"ListInspectorEvidence", readers_and_own,
       [&](const auth::Principal& p) {
         v1::ListInspectorEvidenceRequest r;
         r.set_unit_id(kUnit);
         r.set_year(2026);
         return a.ListInspectorEvidence(p, r).status();
       }},
      {"StartAssessmentRun", inspectors,
       [&](const auth::Principal& p) {
         v1::StartAssessmentRunRequest r;
         r.set_request_id(id());
         r.set_year(2026);
         return a.StartAssessmentRun(p, r).status();
       }},
      {"GetAssessmentRun", readers,
       [&](const auth::Principal& p) {
         v1::GetAssessmentRunRequest r;
         r.set_id(1);
         return a.GetAssessmentRun(p, r).status();
       }},
      {"ListUnitScores", readers,
       [&](const auth::Principal& p) {
         v1::ListUnitScoresRequest r;
         r.set_run_id(1);
         return a.ListUnitScores(p, r).status();
       }},
      {"GetUnitScore", readers_and_own,
       [&](const auth::Principal& p) {
         v1::GetUnitScoreRequest r;
         r.set_run_id(1);
         r.set_unit_id(kUnit);
         return a.GetUnitScore(p, r).status();
       }},
      {"ExportUnitScores", readers,
       [&](const auth::Principal& p) {
         v1::ExportUnitScoresRequest r;
         r.set_run_id(1);
         return a.ExportUnitScores(p, r).status();
       }},
      {"RecordThirdPartyScore", office,
       [&](const auth::Principal& p) {
         v1::RecordThirdPartyScoreRequest r;
         r.set_request_id(id());
         r.set_unit_id(kUnit);
         r.set_year(2026);
         r.set_evaluator("e");
         r.set_total(50);
         return a.RecordThirdPartyScore(p, r).status();
       }},
      {"CreateDraw", office,
       [&](const auth::Principal& p) {
         v1::CreateDrawRequest r;
         r.set_request_id(id());
         r.set_title("t");
         r.mutable_inputs()->add_unit_ids(kUnit);
         r.mutable_inputs()->add_items(common::v1::TRAINING);
         *r.mutable_inputs()->add_windows()->mutable_start() =
             ToProtoDate(absl::CivilDay(2026, 1, 1));
         *r.mutable_inputs()->mutable_windows(0)->mutable_end() =
             ToProtoDate(absl::CivilDay(2026, 2, 1));
         r.mutable_inputs()->set_units_to_pick(1);
         r.mutable_inputs()->set_items_to_pick(1);
         r.mutable_inputs()->set_windows_to_pick(1);
         return a.CreateDraw(p, r).status();
       }},
      {"PerformDraw", office,
       [&](const auth::Principal& p) {
         v1::PerformDrawRequest r;
         r.set_id(999);
         return a.PerformDraw(p, r).status();
       }},
      {"GetDraw", everyone,
       [&](const auth::Principal& p) {
         v1::GetDrawRequest r;
         r.set_id(999);
         return a.GetDraw(p, r).status();
       }},
      {"RecordSpotCheckResult", inspectors,
       [&](const auth::Principal& p) {
         v1::RecordSpotCheckResultRequest r;
         r.set_request_id(id());
         r.set_draw_id(999);
         r.set_unit_id(kUnit);
         r.set_item(common::v1::TRAINING);
         r.set_finding("f");
         return a.RecordSpotCheckResult(p, r).status();
       }},
      {"RaiseAccountabilityTriggers", accountability,
       [&](const auth::Principal& p) {
         v1::RaiseAccountabilityTriggersRequest r;
         r.set_run_id(999);
         return a.RaiseAccountabilityTriggers(p, r).status();
       }},
      {"ListAccountabilityTriggers", readers_and_own,
       [&](const auth::Principal& p) {
         v1::ListAccountabilityTriggersRequest r;
         r.set_unit_id(kUnit);
         return a.ListAccountabilityTriggers(p, r).status();
       }},
      {"RecordSummons", accountability,
       [&](const auth::Principal& p) {
         v1::RecordSummonsRequest r;
         r.set_request_id(id());
         r.set_unit_id(kUnit);
         *r.mutable_date() = ToProtoDate(absl::CivilDay(2026, 5, 1));
         r.add_attendees("a");
         r.set_record("r");
         return a.RecordSummons(p, r).status();
       }},
      {"PublishNotice", accountability,
       [&](const auth::Principal& p) {
         v1::PublishNoticeRequest r;
         r.set_request_id(id());
         r.set_kind(v1::ACCOUNTABILITY);
         r.set_title("t");
         r.set_body("b");
         r.add_trigger_ids(999);
         return a.PublishNotice(p, r).status();
       }},
      {"ListPublicNotices", everyone,
       [&](const auth::Principal& p) {
         return a.ListPublicNotices(p, v1::ListPublicNoticesRequest()).status();
       }},
      {"CreateTrainingPlan", training_writers,
       [&](const auth::Principal& p) {
         v1::CreateTrainingPlanRequest r;
         r.set_request_id(id());
         r.set_unit_id(kUnit);
         r.set_year(2000 + n);  // A new year each call: one plan per unit and year.
         r.set_planned_sessions(1);
         r.add_openness_staff("s");
         return a.CreateTrainingPlan(p, r).status();
       }},
      {"RecordTrainingSession", training_writers,
       [&](const auth::Principal& p) {
         v1::RecordTrainingSessionRequest r;
         r.set_request_id(id());
         r.set_unit_id(kUnit);
         *r.mutable_date() = ToProtoDate(absl::CivilDay(2026, 5, 1));
         r.set_topic("t");
         r.set_hours(1);
         r.add_attendees("s");
         return a.RecordTrainingSession(p, r).status();
       }},
      {"GetTrainingStatus", readers_and_own,
       [&](const auth::Principal& p) {
         v1::GetTrainingStatusRequest r;
         r.set_unit_id(kUnit);
         r.set_year(2026);
         return a.GetTrainingStatus(p, r).status();
       }},
  };
  for (const auto& [rpc, allowed, call] : table) {
    for (const Who& who : Everyone()) {
      const absl::Status status = call(who.principal);
      const bool denied = absl::IsPermissionDenied(status) || absl::IsUnauthenticated(status);
      EXPECT_EQ(denied, allowed.count(who.name) == 0)
          << rpc << " as " << who.name << ": " << status;
      if (who.name == "anonymous" && denied) {
        EXPECT_TRUE(absl::IsUnauthenticated(status)) << rpc << ": " << status;
      }
    }
  }
  EXPECT_EQ(table.size(), 21u);  // Every RPC of AssessmentService.
}

TEST_F(AssessmentAccessTest, BadInputIsInvalidArgumentAndWritesNothing) {
  auth::Principal admin;
  admin.subject = "root";
  admin.roles = {Role::kAdmin};
  Assessment& a = *assessment_;
  const int64_t before = Rows();
  std::vector<std::pair<std::string, Call>> corpus;
  auto add = [&](std::string name, Call call) {
    corpus.emplace_back(std::move(name), std::move(call));
  };
  add("evidence item 3", [&](const auth::Principal& p) {
    v1::RecordInspectorEvidenceRequest r;
    r.set_unit_id(kUnit);
    r.set_year(2026);
    r.set_item(common::v1::FIVE_DISCLOSURES_IN_PROCEDURES);
    r.set_text("x");
    return a.RecordInspectorEvidence(p, r).status();
  });
  add("evidence over weight, no text, year 1999, unit 0, bad request id",
      [&](const auth::Principal& p) {
        v1::RecordInspectorEvidenceRequest r;
        r.set_request_id("bad id with spaces \x01");
        r.set_year(1999);
        r.set_item(common::v1::LEADERS_ATTENTION);
        r.set_points(-1);
        return a.RecordInspectorEvidence(p, r).status();
      });
  add("evidence over weight", [&](const auth::Principal& p) {
    v1::RecordInspectorEvidenceRequest r;
    r.set_unit_id(kUnit);
    r.set_year(2026);
    r.set_item(common::v1::HIGHER_GOVERNMENT_TASKS);
    r.set_points(1000);
    r.set_text("x");
    return a.RecordInspectorEvidence(p, r).status();
  });
  add("run year 3000", [&](const auth::Principal& p) {
    v1::StartAssessmentRunRequest r;
    r.set_year(3000);
    return a.StartAssessmentRun(p, r).status();
  });
  add("third party negative, no evaluator", [&](const auth::Principal& p) {
    v1::RecordThirdPartyScoreRequest r;
    r.set_unit_id(kUnit);
    r.set_year(2026);
    r.set_total(-5);
    return a.RecordThirdPartyScore(p, r).status();
  });
  add("draw without inputs", [&](const auth::Principal& p) {
    v1::CreateDrawRequest r;
    r.set_title("t");
    return a.CreateDraw(p, r).status();
  });
  add("draw with a bad window and item 0", [&](const auth::Principal& p) {
    v1::CreateDrawRequest r;
    r.set_title("t");
    r.mutable_inputs()->add_unit_ids(1);
    r.mutable_inputs()->add_items(common::v1::INSPECTION_ITEM_UNSPECIFIED);
    r.mutable_inputs()->add_windows()->mutable_start()->set_year(2026);
    r.mutable_inputs()->set_units_to_pick(1);
    r.mutable_inputs()->set_items_to_pick(1);
    r.mutable_inputs()->set_windows_to_pick(1);
    return a.CreateDraw(p, r).status();
  });
  add("perform draw 0", [&](const auth::Principal& p) {
    return a.PerformDraw(p, v1::PerformDrawRequest()).status();
  });
  add("spot check without finding", [&](const auth::Principal& p) {
    v1::RecordSpotCheckResultRequest r;
    r.set_draw_id(1);
    r.set_unit_id(1);
    r.set_item(static_cast<common::v1::InspectionItem>(99));
    return a.RecordSpotCheckResult(p, r).status();
  });
  add("summons without attendees or a real date", [&](const auth::Principal& p) {
    v1::RecordSummonsRequest r;
    r.set_unit_id(kUnit);
    r.mutable_date()->set_year(2026);
    r.mutable_date()->set_month(2);
    r.mutable_date()->set_day(30);
    r.set_record("r");
    return a.RecordSummons(p, r).status();
  });
  add("summons naming a trigger that does not exist", [&](const auth::Principal& p) {
    v1::RecordSummonsRequest r;
    r.set_unit_id(kUnit);
    *r.mutable_date() = ToProtoDate(absl::CivilDay(2026, 5, 1));
    r.add_attendees("a");
    r.set_record("r");
    r.add_trigger_ids(12345);
    return a.RecordSummons(p, r).status();
  });
  add("notice without kind", [&](const auth::Principal& p) {
    v1::PublishNoticeRequest r;
    r.set_title("t");
    r.set_body("b");
    return a.PublishNotice(p, r).status();
  });
  add("spot-check notice without draw", [&](const auth::Principal& p) {
    v1::PublishNoticeRequest r;
    r.set_kind(v1::SPOT_CHECK);
    r.set_title("t");
    r.set_body("b");
    return a.PublishNotice(p, r).status();
  });
  add("training plan without staff, 0 sessions", [&](const auth::Principal& p) {
    v1::CreateTrainingPlanRequest r;
    r.set_unit_id(kUnit);
    r.set_year(2026);
    return a.CreateTrainingPlan(p, r).status();
  });
  add("training plan with a name twice", [&](const auth::Principal& p) {
    v1::CreateTrainingPlanRequest r;
    r.set_unit_id(kUnit);
    r.set_year(2026);
    r.set_planned_sessions(2);
    r.add_openness_staff("wang");
    r.add_openness_staff("wang");
    return a.CreateTrainingPlan(p, r).status();
  });
  add("session with 30 hours and no date", [&](const auth::Principal& p) {
    v1::RecordTrainingSessionRequest r;
    r.set_unit_id(kUnit);
    r.set_topic("t");
    r.set_hours(30);
    r.add_attendees("a");
    return a.RecordTrainingSession(p, r).status();
  });
  add("page size 1000", [&](const auth::Principal& p) {
    v1::ListPublicNoticesRequest r;
    r.set_page_size(1000);
    return a.ListPublicNotices(p, r).status();
  });
  add("a forged page token", [&](const auth::Principal& p) {
    v1::ListAccountabilityTriggersRequest r;
    r.set_page_token("not-a-token");
    return a.ListAccountabilityTriggers(p, r).status();
  });
  for (const auto& [name, call] : corpus) {
    const absl::Status status = call(admin);
    EXPECT_TRUE(absl::IsInvalidArgument(status)) << name << ": " << status;
    EXPECT_FALSE(FieldViolationsOf(status).empty()) << name << ": " << status;
  }
  EXPECT_EQ(Rows(), before);
}

}  // namespace
}  // namespace gongkai::assessment
