// Assessment runs against the real MariaDB (label integration): every unit scored from
// the evidence of the services the scheme names, in parallel; an unavailable service's
// items are EVIDENCE_UNAVAILABLE (never zero) and retried until it answers; ranking,
// previous-year and third-party comparisons, CSV.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "libs/auth/principal.h"
#include "libs/clock/clock.h"
#include "libs/db/testing/status_matchers.h"
#include "services/assessment/assessment.h"
#include "services/assessment/assessment_testing.h"
#include "services/assessment/run_executor.h"
#include "tests/integration/repository_test_support.h"

namespace gongkai::assessment {
namespace {

using ::testing::HasSubstr;

// Answers every service's items; a unit's counts follow from its id, so expected points
// are computable: unit u has u % 5 documents without attribute (item 4: 8 - u % 5).
class FakeFetcher final : public EvidenceFetcher {
 public:
  absl::StatusOr<common::v1::ComplianceEvidence> Fetch(
      const std::string& service,
      const common::v1::GetComplianceEvidenceRequest& request) override {
    {
      absl::MutexLock lock(&mu_);
      ++calls_[service];
      if (down_.count(service) > 0)
        return absl::UnavailableError(absl::StrCat(service, " is down"));
    }
    common::v1::ComplianceEvidence evidence;
    evidence.set_service(service);
    evidence.set_unit_id(request.unit_id());
    for (int item : request.items()) {
      common::v1::ItemEvidence* answer = evidence.add_items();
      answer->set_item(static_cast<InspectionItem>(item));
      answer->set_complete(true);
      // Unit 13 had 10 drafts returned for a missing attribute (item 3: 8 - 10 x 0.5).
      common::v1::EvidenceIndicator* returned = answer->add_indicators();
      returned->set_name("documents_returned_for_attribute");
      returned->set_count(request.unit_id() == 13 ? 10 : 0);
      for (const char* name :
           {"documents_published_late", "documents_overdue_unpublished", "self_reviews_missing",
            "requests_answered_late", "requests_open_overdue", "requests_challenge_corrected",
            "annual_reports_published_late", "annual_reports_missing", "training_plan_missing",
            "openness_staff_untrained", "planned_sessions_not_held"}) {
        common::v1::EvidenceIndicator* indicator = answer->add_indicators();
        indicator->set_name(name);
      }
      common::v1::EvidenceIndicator* indicator = answer->add_indicators();
      indicator->set_name("documents_without_attribute");
      indicator->set_count(request.unit_id() % 5);
      indicator->add_references(absl::StrCat("document/", request.unit_id() * 100));
    }
    return evidence;
  }
  void SetDown(const std::string& service, bool down) {
    absl::MutexLock lock(&mu_);
    if (down) {
      down_.insert(service);
    } else {
      down_.erase(service);
    }
  }
  int Calls(const std::string& service) {
    absl::MutexLock lock(&mu_);
    return calls_[service];
  }

 private:
  absl::Mutex mu_;
  std::set<std::string> down_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, int> calls_ ABSL_GUARDED_BY(mu_);
};

auth::Principal Office() {
  auth::Principal p;
  p.subject = "office";
  p.roles = {auth::Role::kOffice};
  return p;
}

class RunExecutorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<integration::MigratedDatabase> db =
        integration::MigratedDatabase::Create("asmrun");
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::make_unique<integration::MigratedDatabase>(*std::move(db));
    repository_ = NewMysqlAssessmentRepository(db_->pool.get());
    book_ = testing::SchemeBook();
    assessment_ = std::make_unique<Assessment>(
        repository_.get(), book_, &clock_, [](int n) { return std::string(n, 'k'); },
        AssessmentOptions{.retry_for = absl::Hours(1)});
    for (int64_t id = 1; id <= 40; ++id) {
      units_.push_back({id, absl::StrCat("U", id), absl::StrCat("单位", id)});
    }
    executor_ = std::make_unique<RunExecutor>(
        repository_.get(), book_, &fetcher_, [this] { return units_; }, &clock_,
        RunExecutorOptions{
            .owner = "test", .parallel_calls = 8, .retry_interval = absl::Minutes(1)});
  }

  v1::AssessmentRun Start(int year, const std::string& request_id) {
    v1::StartAssessmentRunRequest request;
    request.set_year(year);
    request.set_request_id(request_id);
    absl::StatusOr<v1::AssessmentRun> run = assessment_->StartAssessmentRun(Office(), request);
    EXPECT_TRUE(run.ok()) << run.status();
    return run.ok() ? *run : v1::AssessmentRun();
  }
  v1::AssessmentRun Run(int64_t id) {
    v1::GetAssessmentRunRequest request;
    request.set_id(id);
    return *assessment_->GetAssessmentRun(Office(), request);
  }
  v1::UnitScore Score(int64_t run_id, int64_t unit_id) {
    v1::GetUnitScoreRequest request;
    request.set_run_id(run_id);
    request.set_unit_id(unit_id);
    absl::StatusOr<v1::UnitScore> score = assessment_->GetUnitScore(Office(), request);
    EXPECT_TRUE(score.ok()) << score.status();
    return score.ok() ? *score : v1::UnitScore();
  }
  static const v1::ItemScore& Item(const v1::UnitScore& score, int item) {
    for (const v1::ItemScore& s : score.items()) {
      if (s.item() == item) return s;
    }
    static const v1::ItemScore* none = new v1::ItemScore();
    return *none;
  }
  void RunAll() {
    ASSERT_TRUE(executor_->RunUntilIdle([] { return false; }).ok());
  }

  FakeClock clock_{absl::FromCivil(absl::CivilSecond(2027, 3, 1, 9, 0, 0), absl::UTCTimeZone())};
  std::unique_ptr<integration::MigratedDatabase> db_;
  std::unique_ptr<AssessmentRepository> repository_;
  std::shared_ptr<rules::RuleBook> book_;
  std::unique_ptr<Assessment> assessment_;
  std::vector<UnitInfo> units_;
  FakeFetcher fetcher_;
  std::unique_ptr<RunExecutor> executor_;
};

TEST_F(RunExecutorTest, Asm6EveryUnitIsScoredFromTheServicesEvidenceAndRanked) {
  const v1::AssessmentRun started = Start(2026, "run-1");
  EXPECT_EQ(started.state(), v1::RUNNING);
  RunAll();
  const v1::AssessmentRun run = Run(started.id());
  EXPECT_EQ(run.state(), v1::COMPLETED) << run.progress();
  EXPECT_EQ(run.units_total(), 40);
  EXPECT_EQ(run.items_unavailable(), 0);
  EXPECT_EQ(run.rule_set(), "assessment.scheme@1");
  const v1::UnitScore unit7 = Score(run.id(), 7);
  const v1::ItemScore& attribute = Item(unit7, 4);
  EXPECT_EQ(attribute.status(), v1::SCORED);
  EXPECT_DOUBLE_EQ(attribute.points(), 8 - 2);  // 7 % 5 = 2 documents x 1 point.
  EXPECT_THAT(attribute.explanation(), HasSubstr("documents_without_attribute"));
  EXPECT_THAT(attribute.rule(), HasSubstr("items.04.deductions"));
  EXPECT_EQ(attribute.indicators().rbegin()->references(0), "document/700");
  EXPECT_EQ(Item(unit7, 1).status(), v1::AWAITING_INSPECTOR);  // Never a silent zero.
  EXPECT_FALSE(unit7.complete());
  // Units with u % 5 == 0 lose nothing on item 4: they share rank 1.
  v1::ListUnitScoresRequest list;
  list.set_run_id(run.id());
  list.set_page_size(10);
  absl::StatusOr<v1::ListUnitScoresResponse> page = assessment_->ListUnitScores(Office(), list);
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->scores_size(), 10);
  EXPECT_EQ(page->scores(0).rank(), 1);
  EXPECT_EQ(page->scores(0).unit_id() % 5, 0);
  EXPECT_EQ(page->scores(7).rank(), 1);
  EXPECT_EQ(page->scores(8).rank(), 9);
  EXPECT_GT(page->scores(0).total(), page->scores(9).total());
  EXPECT_NEAR(page->scores(0).performance_contribution(), page->scores(0).total() / 100 * 4, 1e-9);
  list.set_page_token(page->next_page_token());
  absl::StatusOr<v1::ListUnitScoresResponse> next = assessment_->ListUnitScores(Office(), list);
  ASSERT_TRUE(next.ok()) << next.status();
  EXPECT_EQ(next->scores(0).rank(), 9);
}

TEST_F(RunExecutorTest, Asm6AnUnavailableServiceLeavesItsItemsUnscoredAndTheRunRetriesThem) {
  fetcher_.SetDown("catalog", true);
  const v1::AssessmentRun started = Start(2026, "run-down");
  RunAll();
  v1::AssessmentRun run = Run(started.id());
  EXPECT_EQ(run.state(), v1::RUNNING);
  EXPECT_EQ(run.items_unavailable(), 40 * 5);  // Items 3, 4, 5, 11, 14 of every unit.
  EXPECT_THAT(run.progress(), HasSubstr("awaiting evidence from catalog"));
  v1::UnitScore unit7 = Score(run.id(), 7);
  EXPECT_EQ(Item(unit7, 4).status(), v1::EVIDENCE_UNAVAILABLE);
  EXPECT_THAT(Item(unit7, 4).unavailable_reason(), HasSubstr("catalog is down"));
  EXPECT_DOUBLE_EQ(Item(unit7, 4).points(), 0);
  EXPECT_EQ(Item(unit7, 9).status(), v1::SCORED);  // Other services' items are scored.
  const int other_calls = fetcher_.Calls("consultation");

  // Not due yet: nothing happens before the retry interval.
  RunAll();
  EXPECT_EQ(Run(run.id()).attempts(), 1);
  fetcher_.SetDown("catalog", false);
  clock_.Advance(absl::Minutes(2));
  RunAll();
  run = Run(run.id());
  EXPECT_EQ(run.state(), v1::COMPLETED) << run.progress();
  EXPECT_EQ(run.attempts(), 2);
  EXPECT_EQ(Item(Score(run.id(), 7), 4).status(), v1::SCORED);
  EXPECT_DOUBLE_EQ(Item(Score(run.id(), 7), 4).points(), 6);
  EXPECT_EQ(fetcher_.Calls("consultation"), other_calls);  // Only what was missing.
}

TEST_F(RunExecutorTest, ARunWhoseServiceNeverReturnsEndsIncompleteWithItsItemsUnscored) {
  fetcher_.SetDown("opinion", true);
  const v1::AssessmentRun started = Start(2026, "run-incomplete");
  for (int pass = 0; pass < 70 && Run(started.id()).state() == v1::RUNNING; ++pass) {
    RunAll();
    clock_.Advance(absl::Minutes(1));
  }
  const v1::AssessmentRun run = Run(started.id());
  EXPECT_EQ(run.state(), v1::INCOMPLETE);
  EXPECT_EQ(run.items_unavailable(), 40);
  EXPECT_EQ(Item(Score(run.id(), 3), 10).status(), v1::EVIDENCE_UNAVAILABLE);
}

TEST_F(RunExecutorTest, Asm5ScoresShowThePreviousYearAndTheThirdPartyWithDifferences) {
  const v1::AssessmentRun last_year = Start(2025, "run-2025");
  RunAll();
  ASSERT_EQ(Run(last_year.id()).state(), v1::COMPLETED);
  v1::RecordInspectorEvidenceRequest evidence;
  evidence.set_request_id("ev-1");
  evidence.set_unit_id(7);
  evidence.set_year(2026);
  evidence.set_item(common::v1::LEADERSHIP_AND_STAFFING);
  evidence.set_points(5);
  evidence.set_text("设立政务公开领导小组，配备专职人员 2 名");
  auth::Principal inspector;
  inspector.subject = "inspector-li";
  inspector.roles = {auth::Role::kInspector};
  ASSERT_TRUE(assessment_->RecordInspectorEvidence(inspector, evidence).ok());
  v1::RecordThirdPartyScoreRequest third;
  third.set_request_id("tp-1");
  third.set_unit_id(7);
  third.set_year(2026);
  third.set_evaluator("第三方评估机构");
  third.set_total(70);
  ASSERT_TRUE(assessment_->RecordThirdPartyScore(Office(), third).ok());
  const v1::AssessmentRun run = Start(2026, "run-2026");
  RunAll();
  const v1::UnitScore unit7 = Score(run.id(), 7);
  EXPECT_TRUE(unit7.has_previous_year());
  EXPECT_DOUBLE_EQ(unit7.change_from_previous_year(), 5);  // Only item 1 was added.
  EXPECT_TRUE(unit7.has_third_party());
  EXPECT_DOUBLE_EQ(unit7.difference_from_third_party(), unit7.total() - 70);
  v1::ExportUnitScoresRequest export_request;
  export_request.set_run_id(run.id());
  absl::StatusOr<v1::ExportUnitScoresResponse> csv =
      assessment_->ExportUnitScores(Office(), export_request);
  ASSERT_TRUE(csv.ok()) << csv.status();
  EXPECT_EQ(std::count(csv->csv().begin(), csv->csv().end(), '\n'), 41);
  EXPECT_THAT(csv->csv(),
              HasSubstr(absl::StrCat(",7,U7,单位7,", absl::StrFormat("%.2f", unit7.total()))));
}

TEST_F(RunExecutorTest, Asm3TriggersAreRaisedFromEvidenceOnceAndLeadToSummonsAndNotices) {
  const v1::AssessmentRun started = Start(2026, "run-asm3");
  v1::RaiseAccountabilityTriggersRequest raise;
  raise.set_run_id(started.id());
  EXPECT_THAT(assessment_->RaiseAccountabilityTriggers(Office(), raise).status(),
              db::testing::StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("finished")));
  RunAll();
  absl::StatusOr<v1::ListAccountabilityTriggersResponse> raised =
      assessment_->RaiseAccountabilityTriggers(Office(), raise);
  ASSERT_TRUE(raised.ok()) << raised.status();
  ASSERT_EQ(raised->triggers_size(), 1);
  const v1::AccountabilityTrigger trigger = raised->triggers(0);
  EXPECT_EQ(trigger.unit_id(), 13);
  EXPECT_EQ(trigger.kind(), v1::PROCEDURE_NOT_FOLLOWED);
  EXPECT_EQ(trigger.item(), common::v1::FIVE_DISCLOSURES_IN_PROCEDURES);
  EXPECT_THAT(trigger.reason(), HasSubstr("item 3 scored 3.00 of 8.00"));
  EXPECT_THAT(trigger.reason(), HasSubstr("accountability.below_percent"));
  // Raising again adds nothing.
  EXPECT_EQ(assessment_->RaiseAccountabilityTriggers(Office(), raise)->triggers_size(), 1);

  auth::Principal supervision;
  supervision.subject = "duchashi";
  supervision.roles = {auth::Role::kSupervision};
  v1::RecordSummonsRequest summons;
  summons.set_request_id("summons-1");
  summons.set_unit_id(12);
  summons.add_trigger_ids(trigger.id());
  summons.mutable_date()->set_year(2027);
  summons.mutable_date()->set_month(3);
  summons.mutable_date()->set_day(5);
  summons.add_attendees("单位主要负责人");
  summons.set_record("约谈记录：……");
  EXPECT_THAT(assessment_->RecordSummons(supervision, summons).status(),
              db::testing::StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("another unit")));
  summons.set_unit_id(13);
  ASSERT_TRUE(assessment_->RecordSummons(supervision, summons).ok());
  v1::PublishNoticeRequest notice;
  notice.set_request_id("notice-1");
  notice.set_kind(v1::ACCOUNTABILITY);
  notice.set_title("关于政务公开工作落实不到位单位的通报");
  notice.set_body("单位13 公文办理程序未落实“五公开”要求，已约谈。");
  notice.add_trigger_ids(trigger.id());
  notice.add_unit_ids(13);
  ASSERT_TRUE(assessment_->PublishNotice(supervision, notice).ok());
  auth::Principal clerk;
  clerk.subject = "clerk";
  clerk.unit_id = 13;
  clerk.roles = {auth::Role::kStaff};
  v1::ListAccountabilityTriggersRequest own;
  own.set_unit_id(13);
  EXPECT_EQ(assessment_->ListAccountabilityTriggers(clerk, own)->triggers_size(), 1);
  EXPECT_THAT(assessment_->PublishNotice(clerk, notice).status(),
              db::testing::StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("")));
}

}  // namespace
}  // namespace gongkai::assessment
