// Unit tests of DisclosureRequests, continued (disclosure_requests_test.cc has filing,
// tracking, correction, consultation and extension): consultation limits, answers and
// their outcomes (NAT-8), fees (NAT-9), challenges, and the recomputation of stored
// clocks (NAT-1).
#include "services/catalog/requests/disclosure_requests_test_fixture.h"

namespace gongkai::catalog::requests {
namespace {

TEST_F(DisclosureRequestsTest, ConsultationCannotStartAfterTheReplyDueDate) {
  const int64_t id = FileOnline(absl::CivilDay(2025, 9, 22));
  v1::AssignRequestRequest assign;
  assign.set_id(id);
  assign.set_unit_id(kUnit);
  ASSERT_TRUE(requests_->AssignRequest(staff_, assign).ok());
  SetToday(absl::CivilDay(2025, 10, 27));  // Due 2025-10-24.
  v1::StartThirdPartyConsultationRequest start;
  start.set_id(id);
  start.set_third_party("某建筑公司");
  absl::StatusOr<v1::DisclosureRequest> late =
      requests_->StartThirdPartyConsultation(staff_, start);
  EXPECT_THAT(late, StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("2025-10-24")));
  EXPECT_THAT(PreconditionTypes(late.status()), ::testing::ElementsAre("REPLY_DEADLINE"));
  EXPECT_EQ(store_[id].state(), v1::REQUEST_ASSIGNED);
  EXPECT_TRUE(store_[id].consultation_third_party().empty());

  SetToday(absl::CivilDay(2025, 10, 24));  // On the due date it may still start.
  EXPECT_TRUE(requests_->StartThirdPartyConsultation(staff_, start).ok());
}

TEST_F(DisclosureRequestsTest, DueDateInAnUnloadedYearIsPendingNotGuessed) {
  const int64_t id = FileOnline(absl::CivilDay(2026, 12, 20));
  const v1::DisclosureRequest& r = store_[id];
  EXPECT_EQ(r.reply_deadline().due().year(), 0);
  EXPECT_THAT(r.reply_deadline().text(), HasSubstr("尚未载入"));
}

// ---- Answers (NAT-8, NAT-9) -----------------------------------------------------------------

TEST_F(DisclosureRequestsTest, ReasonBearingOutcomeWithoutReasonWritesNothing) {
  const int64_t id = FileOnline(absl::CivilDay(2024, 9, 27));
  v1::AnswerRequestRequest answer;
  answer.set_id(id);
  answer.set_outcome(v1::OUTCOME_NOT_DISCLOSED_THIRD_PARTY_RIGHTS);
  EXPECT_CALL(repository_, UpdateRequest).Times(0);
  absl::StatusOr<v1::DisclosureRequest> r = requests_->AnswerRequest(staff_, answer);
  EXPECT_THAT(r, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("reason")));
  EXPECT_THAT(Fields(r.status()), ::testing::ElementsAre("reason"));
}

TEST_F(DisclosureRequestsTest, AwaitingCorrectionCanOnlyEndAsNoCorrection) {
  const int64_t id = FileOnline(absl::CivilDay(2024, 9, 27));
  v1::IssueCorrectionNoticeRequest notice;
  notice.set_id(id);
  notice.set_notice("补正");
  ASSERT_TRUE(requests_->IssueCorrectionNotice(staff_, notice).ok());
  v1::AnswerRequestRequest answer;
  answer.set_id(id);
  answer.set_outcome(v1::OUTCOME_DISCLOSED);
  EXPECT_THAT(
      requests_->AnswerRequest(staff_, answer),
      StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("OUTCOME_OTHER_NO_CORRECTION")));
  answer.set_outcome(v1::OUTCOME_OTHER_NO_CORRECTION);
  answer.set_reason("申请人逾期未补正");
  absl::StatusOr<v1::DisclosureRequest> closed = requests_->AnswerRequest(staff_, answer);
  ASSERT_TRUE(closed.ok()) << closed.status();
  EXPECT_EQ(closed->state(), v1::REQUEST_ANSWERED);
}

TEST_F(DisclosureRequestsTest, AlreadyPublicMustPointToAPublishedDocument) {
  const int64_t id = FileOnline(absl::CivilDay(2024, 9, 27));
  v1::Document draft;
  draft.set_id(98);
  draft.set_state(v1::APPROVED);
  v1::Document published;
  published.set_id(5);
  published.set_title("清单");
  published.set_state(v1::PUBLISHED);
  EXPECT_CALL(documents_, GetDocument(99)).WillOnce(Return(absl::NotFoundError("no")));
  EXPECT_CALL(documents_, GetDocument(98)).WillOnce(Return(draft));
  EXPECT_CALL(documents_, GetDocument(5)).WillOnce(Return(published));
  v1::AnswerRequestRequest answer;
  answer.set_id(id);
  answer.set_outcome(v1::OUTCOME_ALREADY_PUBLIC);
  answer.set_already_public_document_id(99);
  EXPECT_THAT(requests_->AnswerRequest(staff_, answer),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("not a published document")));
  answer.set_already_public_document_id(98);  // Exists, not published.
  EXPECT_THAT(requests_->AnswerRequest(staff_, answer),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("not a published document")));
  answer.set_already_public_document_id(5);
  absl::StatusOr<v1::DisclosureRequest> answered = requests_->AnswerRequest(staff_, answer);
  ASSERT_TRUE(answered.ok()) << answered.status();
  EXPECT_EQ(answered->already_public_document_id(), 5);
  EXPECT_EQ(Day(answered->answered_on()), absl::CivilDay(2024, 9, 27));
}

// NAT-8: published outside the catalog (a gazette): the reference is recorded, no
// catalog document is looked up.
TEST_F(DisclosureRequestsTest, Nat8AlreadyPublicInTheGazetteRecordsTheReference) {
  const int64_t id = FileOnline(absl::CivilDay(2024, 9, 27));
  EXPECT_CALL(documents_, GetDocument(testing::_)).Times(0);
  v1::AnswerRequestRequest answer;
  answer.set_id(id);
  answer.set_outcome(v1::OUTCOME_ALREADY_PUBLIC);
  answer.set_already_public_reference("《南宁市人民政府公报》2024年第5期");
  absl::StatusOr<v1::DisclosureRequest> answered = requests_->AnswerRequest(staff_, answer);
  ASSERT_TRUE(answered.ok()) << answered.status();
  EXPECT_EQ(answered->already_public_reference(), "《南宁市人民政府公报》2024年第5期");
  EXPECT_EQ(answered->already_public_document_id(), 0);
}

// NAT-8: "governed by other laws" is recorded as its own outcome with the law named.
TEST_F(DisclosureRequestsTest, Nat8GovernedByOtherLawIsRecordedWithTheLaw) {
  const int64_t id = FileOnline(absl::CivilDay(2024, 9, 27));
  v1::AnswerRequestRequest answer;
  answer.set_id(id);
  answer.set_outcome(v1::OUTCOME_GOVERNED_BY_OTHER_LAW);
  answer.set_reason("所申请信息属于不动产登记资料，请向不动产登记机构申请查询");
  EXPECT_THAT(requests_->AnswerRequest(staff_, answer),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("governing_law")));
  EXPECT_EQ(store_[id].state(), v1::REQUEST_RECEIVED);
  answer.set_governing_law("《不动产登记暂行条例》");
  absl::StatusOr<v1::DisclosureRequest> answered = requests_->AnswerRequest(staff_, answer);
  ASSERT_TRUE(answered.ok()) << answered.status();
  EXPECT_EQ(answered->outcome(), v1::OUTCOME_GOVERNED_BY_OTHER_LAW);
  EXPECT_EQ(answered->governing_law(), "《不动产登记暂行条例》");
}

TEST_F(DisclosureRequestsTest, FeeByCountUsesTheApplicantsPlaceInTheMonth) {
  const int64_t id = FileOnline(absl::CivilDay(2024, 9, 27));
  EXPECT_CALL(repository_, ApplicantOrdinalInMonth(id)).WillOnce(Return(31));
  v1::AnswerRequestRequest answer;
  answer.set_id(id);
  answer.set_outcome(v1::OUTCOME_DISCLOSED);
  answer.set_fee_method(v1::FEE_BY_COUNT);
  absl::StatusOr<v1::DisclosureRequest> answered = requests_->AnswerRequest(staff_, answer);
  ASSERT_TRUE(answered.ok()) << answered.status();
  EXPECT_EQ(answered->fee_fen(), 20000);
  EXPECT_THAT(answered->fee_explanation(), HasSubstr("第 31 件申请"));
}

TEST_F(DisclosureRequestsTest, ReplyOnTheSpotIsForInPersonRequestsTheSameDay) {
  v1::FileRequestRequest req = ValidFiling();
  req.set_channel(v1::CHANNEL_IN_PERSON);
  absl::StatusOr<v1::FileRequestResponse> filed = requests_->FileRequest(staff_, req);
  ASSERT_TRUE(filed.ok()) << filed.status();
  v1::AnswerRequestRequest answer;
  answer.set_id(filed->request().id());
  answer.set_outcome(v1::OUTCOME_DISCLOSED);
  answer.set_on_the_spot(true);
  absl::StatusOr<v1::DisclosureRequest> answered = requests_->AnswerRequest(staff_, answer);
  ASSERT_TRUE(answered.ok()) << answered.status();
  EXPECT_TRUE(answered->on_the_spot());

  const int64_t online = FileOnline(absl::CivilDay(2024, 9, 27));
  answer.set_id(online);
  EXPECT_THAT(requests_->AnswerRequest(staff_, answer),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("on the spot")));
}

TEST_F(DisclosureRequestsTest, ChallengeIsRecordedOnlyAgainstAnAnsweredRequest) {
  const int64_t id = FileOnline(absl::CivilDay(2024, 9, 27));
  v1::RecordChallengeRequest challenge;
  challenge.set_disclosure_request_id(id);
  challenge.set_kind(v1::CHALLENGE_ADMINISTRATIVE_REVIEW);
  *challenge.mutable_filed_on() = ToProtoDate(absl::CivilDay(2024, 9, 27));
  EXPECT_CALL(repository_, CreateChallenge).Times(0);
  EXPECT_THAT(challenges_->RecordChallenge(staff_, challenge),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("answered")));
  challenge.set_result(v1::CHALLENGE_UPHELD);
  EXPECT_THAT(Fields(challenges_->RecordChallenge(staff_, challenge).status()),
              ::testing::ElementsAre("decided_on"));
}

// ---- Stored clocks after a calendar change (NAT-1, NAT-7) -----------------------------------

TEST_F(DisclosureRequestsTest, RecomputeStoredClocksRewritesOpenRequestsOnTheLoadedCalendar) {
  // Filed when the period's year had no calendar: stored without a reply due date.
  v1::DisclosureRequest stale;
  stale.set_id(5);
  stale.set_version(3);
  stale.set_unit_id(kUnit);
  stale.set_state(v1::REQUEST_ASSIGNED);
  *stale.mutable_received_on() = ToProtoDate(absl::CivilDay(2024, 9, 27));
  *stale.mutable_clock_start_on() = ToProtoDate(absl::CivilDay(2024, 9, 27));
  std::vector<v1::DisclosureRequestState> listed_states;
  EXPECT_CALL(repository_, ListRequests(_, _))
      .WillRepeatedly(Invoke([&](const RequestFilter& f, const KeysetPage&) {
        listed_states.push_back(f.state);
        std::vector<v1::DisclosureRequest> page;
        if (f.state == v1::REQUEST_ASSIGNED) page.push_back(stale);
        return absl::StatusOr<std::vector<v1::DisclosureRequest>>(page);
      }));
  std::vector<v1::DisclosureRequest> refreshed;
  EXPECT_CALL(repository_, RefreshClocks(_)).WillOnce(Invoke([&](const v1::DisclosureRequest& r) {
    refreshed.push_back(r);
    return absl::StatusOr<bool>(true);
  }));
  EXPECT_CALL(repository_, UpdateRequest).Times(0);  // No new version, no history event.

  absl::StatusOr<int> changed = requests_->RecomputeStoredClocks([] { return false; });
  ASSERT_TRUE(changed.ok()) << changed.status();
  EXPECT_EQ(*changed, 1);
  EXPECT_THAT(listed_states, ::testing::Not(::testing::Contains(v1::REQUEST_ANSWERED)));
  EXPECT_THAT(listed_states, ::testing::Contains(v1::REQUEST_IN_CONSULTATION));
  ASSERT_EQ(refreshed.size(), 1u);
  EXPECT_EQ(refreshed[0].version(), 3);
  // 20 working days from 2024-09-27 across the National Day holiday (Oct 1-7).
  EXPECT_EQ(Day(refreshed[0].reply_deadline().due()), absl::CivilDay(2024, 10, 30));
}

// NAT-1: a write error is never skipped: the pass fails, and the service runs it again.
TEST_F(DisclosureRequestsTest, RecomputeStoredClocksReturnsUnavailableInsteadOfSkipping) {
  v1::DisclosureRequest open;
  open.set_id(7);
  open.set_state(v1::REQUEST_ASSIGNED);
  *open.mutable_received_on() = ToProtoDate(absl::CivilDay(2024, 9, 27));
  *open.mutable_clock_start_on() = ToProtoDate(absl::CivilDay(2024, 9, 27));
  ON_CALL(repository_, ListRequests(_, _))
      .WillByDefault(Return(std::vector<v1::DisclosureRequest>{open}));
  EXPECT_CALL(repository_, RefreshClocks(_)).WillOnce(Return(absl::UnavailableError("db down")));
  EXPECT_THAT(requests_->RecomputeStoredClocks([] { return false; }),
              StatusIs(absl::StatusCode::kUnavailable, HasSubstr("db down")));
}

TEST_F(DisclosureRequestsTest, RecomputeStoredClocksStopsWhenCancelled) {
  v1::DisclosureRequest open;
  open.set_id(6);
  open.set_state(v1::REQUEST_RECEIVED);
  *open.mutable_received_on() = ToProtoDate(absl::CivilDay(2024, 9, 27));
  *open.mutable_clock_start_on() = ToProtoDate(absl::CivilDay(2024, 9, 27));
  ON_CALL(repository_, ListRequests(_, _))
      .WillByDefault(Return(std::vector<v1::DisclosureRequest>{open}));
  EXPECT_CALL(repository_, RefreshClocks).Times(0);
  EXPECT_THAT(requests_->RecomputeStoredClocks([] { return true; }),
              StatusIs(absl::StatusCode::kCancelled, _));
}

}  // namespace
}  // namespace gongkai::catalog::requests
