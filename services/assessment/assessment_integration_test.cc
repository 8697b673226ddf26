// The assessment's rules on the real MariaDB (label integration): draws (ASM-2),
// training (ASM-4) and item 13's evidence, accountability (ASM-3), bad input and roles.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "libs/auth/principal.h"
#include "libs/clock/clock.h"
#include "libs/db/testing/status_matchers.h"
#include "libs/protoconv/protoconv.h"
#include "libs/status/errors.h"
#include "services/assessment/assessment.h"
#include "services/assessment/assessment_testing.h"
#include "services/assessment/draw_function.h"
#include "tests/integration/repository_test_support.h"

namespace gongkai::assessment {
namespace {

using ::gongkai::db::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

auth::Principal Caller(const std::string& subject, std::vector<auth::Role> roles,
                       std::optional<int64_t> unit = std::nullopt) {
  auth::Principal p;
  p.subject = subject;
  p.unit_id = unit;
  for (auth::Role role : roles) p.roles.Add(role);
  return p;
}

const auth::Principal kOfficer = Caller("office", {auth::Role::kOffice});
const auth::Principal kInspector = Caller("inspector", {auth::Role::kInspector});

class AssessmentTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<integration::MigratedDatabase> db = integration::MigratedDatabase::Create("asm");
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::make_unique<integration::MigratedDatabase>(*std::move(db));
    repository_ = NewMysqlAssessmentRepository(db_->pool.get());
    assessment_ = std::make_unique<Assessment>(repository_.get(), testing::SchemeBook(), &clock_,
                                               CryptoSeedSource());
  }

  int64_t Count(const std::string& table) {
    auto conn = db_->pool->Acquire();
    auto rows = (*conn)->Query(absl::StrCat("SELECT COUNT(*) AS n FROM ", table));
    return *(*rows)[0].GetInt64("n");
  }

  v1::CreateDrawRequest DrawRequest() {
    v1::CreateDrawRequest request;
    request.set_request_id("draw-1");
    request.set_title("2026 年第二季度政务公开“三随机”抽查");
    for (int64_t id = 1; id <= 20; ++id) request.mutable_inputs()->add_unit_ids(id);
    for (int item : {3, 4, 5, 9, 11, 14}) {
      request.mutable_inputs()->add_items(static_cast<InspectionItem>(item));
    }
    for (int month = 1; month <= 12; ++month) {
      v1::TimeWindow* window = request.mutable_inputs()->add_windows();
      *window->mutable_start() = ToProtoDate(absl::CivilDay(2026, month, 1));
      *window->mutable_end() = ToProtoDate(absl::CivilDay(2026, month, 28));
    }
    request.mutable_inputs()->set_units_to_pick(4);
    request.mutable_inputs()->set_items_to_pick(2);
    request.mutable_inputs()->set_windows_to_pick(1);
    return request;
  }

  FakeClock clock_{absl::FromCivil(absl::CivilSecond(2026, 6, 1, 9, 0, 0), absl::UTCTimeZone())};
  std::unique_ptr<integration::MigratedDatabase> db_;
  std::unique_ptr<AssessmentRepository> repository_;
  std::unique_ptr<Assessment> assessment_;
};

TEST_F(AssessmentTest, Asm2TheCommitmentIsPublishedBeforeTheDrawAndTheSeedAfterIt) {
  absl::StatusOr<v1::Draw> created = assessment_->CreateDraw(kOfficer, DrawRequest());
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->state(), v1::COMMITTED);
  EXPECT_EQ(created->commitment().size(), 64u);
  EXPECT_THAT(created->seed(), IsEmpty());
  v1::GetDrawRequest get;
  get.set_id(created->id());
  absl::StatusOr<v1::Draw> published = assessment_->GetDraw(auth::Principal::Anonymous(), get);
  ASSERT_TRUE(published.ok());
  EXPECT_THAT(published->seed(), IsEmpty());  // Secret until the draw.
  EXPECT_THAT(published->picked_unit_ids(), IsEmpty());
  // A retry with the same request id is the same draw, with the same commitment.
  EXPECT_EQ(assessment_->CreateDraw(kOfficer, DrawRequest())->commitment(), created->commitment());
  EXPECT_EQ(Count("draws"), 1);

  v1::PerformDrawRequest perform;
  perform.set_id(created->id());
  absl::StatusOr<v1::Draw> drawn = assessment_->PerformDraw(kOfficer, perform);
  ASSERT_TRUE(drawn.ok()) << drawn.status();
  EXPECT_EQ(drawn->state(), v1::DRAWN);
  EXPECT_EQ(*CommitmentOf(drawn->seed()), created->commitment());
  EXPECT_EQ(drawn->picked_unit_ids_size(), 4);
  EXPECT_EQ(drawn->picked_items_size(), 2);
  EXPECT_TRUE(VerifyDraw(*assessment_->GetDraw(auth::Principal::Anonymous(), get)).ok());
  // Draws are never repeated or changed.
  EXPECT_THAT(assessment_->PerformDraw(kOfficer, perform).status(),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("never repeated")));
  const v1::Draw again = *assessment_->GetDraw(kOfficer, get);
  EXPECT_THAT(again.picked_unit_ids(), ::testing::ElementsAreArray(drawn->picked_unit_ids()));
}

TEST_F(AssessmentTest, Asm2SpotCheckResultsAreForDrawnUnitsAndItemsAndNoticesPublishThem) {
  absl::StatusOr<v1::Draw> created = assessment_->CreateDraw(kOfficer, DrawRequest());
  ASSERT_TRUE(created.ok());
  v1::RecordSpotCheckResultRequest result;
  result.set_request_id("r-1");
  result.set_draw_id(created->id());
  result.set_unit_id(1);
  result.set_item(common::v1::DISCLOSURE_ATTRIBUTE);
  result.set_finding("抽查 10 件公文，均已认定公开属性");
  result.set_passed(true);
  EXPECT_THAT(assessment_->RecordSpotCheckResult(kInspector, result).status(),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("not made")));
  v1::PerformDrawRequest perform;
  perform.set_id(created->id());
  absl::StatusOr<v1::Draw> drawn = assessment_->PerformDraw(kOfficer, perform);
  ASSERT_TRUE(drawn.ok());
  result.set_unit_id(drawn->picked_unit_ids(0));
  result.set_item(drawn->picked_items(0));
  absl::StatusOr<v1::SpotCheckResult> recorded =
      assessment_->RecordSpotCheckResult(kInspector, result);
  ASSERT_TRUE(recorded.ok()) << recorded.status();
  EXPECT_EQ(recorded->inspector(), "inspector");
  result.set_request_id("r-2");
  result.set_item(common::v1::TRAINING);  // Not among the drawn items.
  EXPECT_THAT(assessment_->RecordSpotCheckResult(kInspector, result).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("item")));

  v1::PublishNoticeRequest notice;
  notice.set_request_id("n-1");
  notice.set_kind(v1::SPOT_CHECK);
  notice.set_title("关于 2026 年第二季度政务公开抽查情况的通报");
  notice.set_body("抽查结果如下……");
  notice.set_draw_id(created->id());
  ASSERT_TRUE(assessment_->PublishNotice(kOfficer, notice).ok());
  absl::StatusOr<v1::ListPublicNoticesResponse> notices =
      assessment_->ListPublicNotices(auth::Principal::Anonymous(), v1::ListPublicNoticesRequest());
  ASSERT_TRUE(notices.ok());
  ASSERT_EQ(notices->notices_size(), 1);
  EXPECT_EQ(notices->notices(0).draw_id(), created->id());
}

TEST_F(AssessmentTest, BadDrawInputsAndWrongRolesWriteNothing) {
  v1::CreateDrawRequest request = DrawRequest();
  request.mutable_inputs()->set_units_to_pick(21);
  request.set_title("");
  absl::Status status = assessment_->CreateDraw(kOfficer, request).status();
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("units_to_pick")));
  EXPECT_EQ(FieldViolationsOf(status).size(), 2u);
  EXPECT_THAT(assessment_->CreateDraw(kInspector, DrawRequest()).status(),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("OFFICE")));
  EXPECT_THAT(assessment_->CreateDraw(auth::Principal::Anonymous(), DrawRequest()).status(),
              StatusIs(absl::StatusCode::kUnauthenticated, HasSubstr("token")));
  EXPECT_EQ(Count("draws"), 0);
}

TEST_F(AssessmentTest, Asm6InspectorsEvidenceIsForItems1And2And15WithinTheWeight) {
  v1::RecordInspectorEvidenceRequest request;
  request.set_request_id("e-1");
  request.set_unit_id(3);
  request.set_year(2026);
  request.set_item(common::v1::DISCLOSURE_ATTRIBUTE);
  request.set_points(2);
  request.set_text("...");
  EXPECT_THAT(assessment_->RecordInspectorEvidence(kInspector, request).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("item")));
  request.set_item(common::v1::LEADERS_ATTENTION);
  request.set_points(6.5);  // The weight of item 2 is 6.
  EXPECT_THAT(assessment_->RecordInspectorEvidence(kInspector, request).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("weight")));
  EXPECT_THAT(
      assessment_->RecordInspectorEvidence(Caller("clerk", {auth::Role::kStaff}, 3), request)
          .status(),
      StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("INSPECTOR")));
  EXPECT_EQ(Count("inspector_evidence"), 0);
  request.set_points(4);
  request.add_attachments("file/2026/meeting-minutes.pdf");
  absl::StatusOr<v1::InspectorEvidence> recorded =
      assessment_->RecordInspectorEvidence(kInspector, request);
  ASSERT_TRUE(recorded.ok()) << recorded.status();
  v1::ListInspectorEvidenceRequest list;
  list.set_unit_id(3);
  list.set_year(2026);
  // A unit's own staff may read its evidence; another unit's may not.
  EXPECT_EQ(assessment_->ListInspectorEvidence(Caller("c", {auth::Role::kStaff}, 3), list)
                ->evidence_size(),
            1);
  EXPECT_THAT(
      assessment_->ListInspectorEvidence(Caller("c", {auth::Role::kStaff}, 4), list).status(),
      StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("own unit")));
}

TEST_F(AssessmentTest, Asm4TrainingShareAndItem13Evidence) {
  const auth::Principal clerk = Caller("clerk", {auth::Role::kStaff}, 5);
  v1::CreateTrainingPlanRequest plan;
  plan.set_request_id("p-1");
  plan.set_unit_id(5);
  plan.set_year(2026);
  plan.set_planned_sessions(3);
  for (const char* staff : {"wang", "li", "zhao", "chen"}) plan.add_openness_staff(staff);
  ASSERT_TRUE(assessment_->CreateTrainingPlan(clerk, plan).ok());
  plan.set_request_id("p-2");
  EXPECT_THAT(assessment_->CreateTrainingPlan(clerk, plan).status(),
              StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr("")));
  plan.set_unit_id(6);
  EXPECT_THAT(assessment_->CreateTrainingPlan(clerk, plan).status(),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("own unit")));
  v1::RecordTrainingSessionRequest session;
  session.set_request_id("s-1");
  session.set_unit_id(5);
  *session.mutable_date() = ToProtoDate(absl::CivilDay(2026, 4, 10));
  session.set_topic("《政府信息公开条例》解读");
  session.set_hours(3);
  session.add_attendees("wang");
  session.add_attendees("li");
  session.add_attendees("visitor");
  ASSERT_TRUE(assessment_->RecordTrainingSession(clerk, session).ok());
  v1::GetTrainingStatusRequest get;
  get.set_unit_id(5);
  get.set_year(2026);
  absl::StatusOr<v1::TrainingStatus> status = assessment_->GetTrainingStatus(clerk, get);
  ASSERT_TRUE(status.ok()) << status.status();
  EXPECT_EQ(status->sessions_held(), 1);
  EXPECT_EQ(status->openness_staff_trained(), 2);
  EXPECT_DOUBLE_EQ(status->share_trained_percent(), 50);
  EXPECT_THAT(status->untrained_staff(), ElementsAre("zhao", "chen"));

  TrainingEvidence source(assessment_.get());
  evidence::EvidenceQuery query{5, absl::CivilDay(2026, 1, 1), absl::CivilDay(2026, 12, 31),
                                absl::CivilDay(2027, 1, 5)};
  absl::StatusOr<evidence::ItemEvidence> item = source.Collect(common::v1::TRAINING, query);
  ASSERT_TRUE(item.ok()) << item.status();
  std::map<std::string, int64_t> counts;
  for (const auto& indicator : item->indicators()) counts[indicator.name()] = indicator.count();
  EXPECT_EQ(counts["training_plan_missing"], 0);
  EXPECT_EQ(counts["planned_sessions_not_held"], 2);
  EXPECT_EQ(counts["openness_staff_untrained"], 2);
  query.unit_id = 6;
  item = source.Collect(common::v1::TRAINING, query);
  EXPECT_EQ(item->indicators(0).count(), 1);  // No plan.
}

}  // namespace
}  // namespace gongkai::assessment
