// The disclosure-request domain rules over a mock repository, with the real 2024/2025
// calendars and an injected clock (CAT-8, NAT-5 to NAT-9), with the review and
// litigation records of challenges.h (NAT-10 Table 4) on the same fixture.
#include "services/catalog/requests/disclosure_requests_test_fixture.h"

namespace gongkai::catalog::requests {
namespace {

// ---- Filing (NAT-5) ------------------------------------------------------------------------

TEST_F(DisclosureRequestsTest, PublicFilingOnlineIsReceivedTodayAndStoresOnlyTheSecretHash) {
  SetToday(absl::CivilDay(2024, 2, 1));
  absl::StatusOr<v1::FileRequestResponse> filed =
      requests_->FileRequest(Principal::Anonymous(), ValidFiling());
  ASSERT_TRUE(filed.ok()) << filed.status();
  EXPECT_EQ(filed->request().channel(), v1::CHANNEL_ONLINE);
  EXPECT_EQ(filed->request().state(), v1::REQUEST_RECEIVED);
  EXPECT_EQ(Day(filed->request().received_on()), absl::CivilDay(2024, 2, 1));
  // NAT-7 across Spring Festival 2024.
  EXPECT_EQ(Day(filed->request().reply_deadline().due()), absl::CivilDay(2024, 3, 5));
  EXPECT_THAT(filed->request().reply_deadline().text(), HasSubstr("春节"));
  // NAT-6: the correction notice deadline is shown too.
  // Feb 2, Feb 4 (adjusted Sunday), Feb 5..9: the 7th working day is Feb 9.
  EXPECT_EQ(Day(filed->request().correction_deadline().due()), absl::CivilDay(2024, 2, 9));
  EXPECT_EQ(filed->tracking_code().size(), 12u);
  EXPECT_EQ(filed->tracking_secret().size(), 20u);
  const RequestSecrets& stored = secrets_[filed->request().id()];
  EXPECT_EQ(stored.secret_sha256, crypto::Sha256Hex(filed->tracking_secret()));
  // Keyed: neither the number nor its plain hash is stored.
  EXPECT_EQ(stored.applicant_key,
            crypto::HmacSha256Hex(kApplicantKeySecret, "applicant:110101199003070000"));
  EXPECT_NE(stored.applicant_key, crypto::Sha256Hex("applicant:110101199003070000"));
  ASSERT_EQ(events_.size(), 1u);
  EXPECT_EQ(events_[0].action, "file");
}

TEST_F(DisclosureRequestsTest, Nat5ReceiptDayBeforeTheEarliestCalendarYearIsRefusedByField) {
  SetToday(absl::CivilDay(2024, 9, 27));
  EXPECT_CALL(repository_, CreateRequest).Times(0);
  v1::FileRequestRequest req = ValidFiling();
  req.set_channel(v1::CHANNEL_REGISTERED_MAIL);
  *req.mutable_receipt_event_on() = ToProtoDate(absl::CivilDay(1026, 9, 26));  // For 2026.
  absl::StatusOr<v1::FileRequestResponse> filed = requests_->FileRequest(staff_, req);
  EXPECT_THAT(filed, StatusIs(absl::StatusCode::kInvalidArgument, _));
  EXPECT_THAT(Fields(filed.status()), ::testing::ElementsAre("receipt_event_on"));
  ASSERT_EQ(FieldViolationsOf(filed.status()).size(), 1u);
  EXPECT_THAT(FieldViolationsOf(filed.status())[0].description, HasSubstr("earliest year"));
}

TEST_F(DisclosureRequestsTest, AnonymousCannotRegisterAMailRequest) {
  v1::FileRequestRequest req = ValidFiling();
  req.set_channel(v1::CHANNEL_REGISTERED_MAIL);
  *req.mutable_receipt_event_on() = ToProtoDate(absl::CivilDay(2024, 9, 26));
  EXPECT_CALL(repository_, CreateRequest).Times(0);
  EXPECT_THAT(requests_->FileRequest(Principal::Anonymous(), req),
              StatusIs(absl::StatusCode::kUnauthenticated, _));
}

TEST_F(DisclosureRequestsTest, StaffRegisterRegisteredMailOnTheDayItWasSignedFor) {
  v1::FileRequestRequest req = ValidFiling();
  req.set_channel(v1::CHANNEL_REGISTERED_MAIL);
  *req.mutable_receipt_event_on() = ToProtoDate(absl::CivilDay(2024, 9, 25));
  absl::StatusOr<v1::FileRequestResponse> filed = requests_->FileRequest(staff_, req);
  ASSERT_TRUE(filed.ok()) << filed.status();
  EXPECT_EQ(Day(filed->request().received_on()), absl::CivilDay(2024, 9, 25));
  EXPECT_EQ(filed->request().created_by(), "alice");
}

TEST_F(DisclosureRequestsTest, BadFilingNamesEveryFieldAndWritesNothing) {
  v1::FileRequestRequest req;
  req.set_channel(v1::CHANNEL_ORDINARY_MAIL);
  req.mutable_applicant()->set_id_number("11 01");
  EXPECT_CALL(repository_, CreateRequest).Times(0);
  absl::StatusOr<v1::FileRequestResponse> filed = requests_->FileRequest(staff_, req);
  EXPECT_THAT(filed, StatusIs(absl::StatusCode::kInvalidArgument, _));
  EXPECT_THAT(
      Fields(filed.status()),
      ::testing::IsSupersetOf({"unit_id", "applicant.type", "applicant.name", "applicant.id_number",
                               "applicant.contact", "subject", "receipt_event_on"}));
}

// The exact retry answers with the same secret (its response may have been lost), which
// is derived again, not stored; after a reset by staff the retry carries no secret.
TEST_F(DisclosureRequestsTest, DuplicateRequestIdReplaysTheFirstRequestWithTheSameSecret) {
  v1::FileRequestRequest req = ValidFiling();
  req.set_request_id("r-1");
  absl::StatusOr<v1::FileRequestResponse> first =
      requests_->FileRequest(Principal::Anonymous(), req);
  ASSERT_TRUE(first.ok()) << first.status();
  const v1::DisclosureRequest stored = store_[first->request().id()];
  EXPECT_EQ(secrets_[stored.id()].secret_sha256, crypto::Sha256Hex(first->tracking_secret()));
  EXPECT_CALL(repository_, FindIdempotentResponse(_))
      .WillRepeatedly(Return(std::optional<std::string>(stored.SerializeAsString())));
  EXPECT_CALL(repository_, FindByTrackingCode(stored.tracking_code()))
      .WillRepeatedly(Invoke([&](const std::string&) {
        return absl::StatusOr<RequestRepository::Tracked>(
            RequestRepository::Tracked{stored, secrets_[stored.id()].secret_sha256});
      }));
  EXPECT_CALL(repository_, CreateRequest).Times(0);
  absl::StatusOr<v1::FileRequestResponse> replay =
      requests_->FileRequest(Principal::Anonymous(), req);
  ASSERT_TRUE(replay.ok()) << replay.status();
  EXPECT_EQ(replay->request().id(), stored.id());
  EXPECT_EQ(replay->tracking_code(), stored.tracking_code());
  EXPECT_EQ(replay->tracking_secret(), first->tracking_secret());
  EXPECT_THAT(replay->tracking_secret(), ::testing::MatchesRegex("[2-9A-HJ-NP-Z]{20}"));

  secrets_[stored.id()].secret_sha256 = crypto::Sha256Hex("RESETBYSTAFF2345678");
  replay = requests_->FileRequest(Principal::Anonymous(), req);
  ASSERT_TRUE(replay.ok()) << replay.status();
  EXPECT_THAT(replay->tracking_secret(), IsEmpty());
}

TEST_F(DisclosureRequestsTest, AnonymousReplayNeedsTheSameFilingNotJustAGuessedRequestId) {
  std::vector<IdempotencyKey> asked;
  EXPECT_CALL(repository_, FindIdempotentResponse(_))
      .WillRepeatedly(Invoke([&](const IdempotencyKey& key) {
        asked.push_back(key);
        return absl::StatusOr<std::optional<std::string>>(std::nullopt);
      }));
  v1::FileRequestRequest req = ValidFiling();
  req.set_request_id("r-1");
  ASSERT_TRUE(requests_->FileRequest(Principal::Anonymous(), req).ok());
  ASSERT_TRUE(requests_->FileRequest(Principal::Anonymous(), req).ok());
  v1::FileRequestRequest other = req;  // Same applicant and request id, other filing.
  other.set_description("另一份申请");
  ASSERT_TRUE(requests_->FileRequest(Principal::Anonymous(), other).ok());
  ASSERT_EQ(asked.size(), 3u);
  EXPECT_EQ(asked[0].subject, asked[1].subject);
  EXPECT_NE(asked[0].subject, asked[2].subject);
  EXPECT_EQ(asked[0].request_id, "r-1");
  EXPECT_THAT(asked[0].subject, ::testing::Not(HasSubstr("110101199003070000")));

  // Staff keep the usual key: who asked and the request id.
  req.set_channel(v1::CHANNEL_IN_PERSON);
  ASSERT_TRUE(requests_->FileRequest(staff_, req).ok());
  EXPECT_EQ(asked.back().subject, staff_.subject);
}

// ---- Tracking ------------------------------------------------------------------------------

TEST_F(DisclosureRequestsTest, TrackingNeedsTheSecretAndHidesStaffNames) {
  std::string secret;
  const int64_t id = FileOnline(absl::CivilDay(2024, 9, 27), &secret);
  v1::DisclosureRequest stored = store_[id];
  stored.set_created_by("alice");
  EXPECT_CALL(repository_, FindByTrackingCode(stored.tracking_code()))
      .WillRepeatedly(Return(RequestRepository::Tracked{stored, secrets_[id].secret_sha256}));
  EXPECT_CALL(repository_, FindByTrackingCode("NOSUCHCODE"))
      .WillRepeatedly(Return(absl::NotFoundError("none")));
  v1::DisclosureRequestEvent event;
  event.set_actor("alice");
  event.set_action("file");
  ON_CALL(repository_, ListHistory(id))
      .WillByDefault(Return(std::vector<v1::DisclosureRequestEvent>{event}));

  v1::TrackRequestRequest track;
  track.set_tracking_code(stored.tracking_code());
  track.set_tracking_secret(secret);
  absl::StatusOr<v1::TrackRequestResponse> ok =
      requests_->TrackRequest(Principal::Anonymous(), track);
  ASSERT_TRUE(ok.ok()) << ok.status();
  EXPECT_EQ(ok->request().id(), id);
  EXPECT_THAT(ok->request().created_by(), IsEmpty());
  ASSERT_EQ(ok->history_size(), 1);
  EXPECT_THAT(ok->history(0).actor(), IsEmpty());

  track.set_tracking_secret("WRONGSECRETWRONGSECR");
  absl::StatusOr<v1::TrackRequestResponse> wrong =
      requests_->TrackRequest(Principal::Anonymous(), track);
  track.set_tracking_code("NOSUCHCODE");
  absl::StatusOr<v1::TrackRequestResponse> unknown =
      requests_->TrackRequest(Principal::Anonymous(), track);
  EXPECT_THAT(wrong, StatusIs(absl::StatusCode::kNotFound, HasSubstr("tracking code and secret")));
  EXPECT_EQ(wrong.status(), unknown.status());
}

TEST_F(DisclosureRequestsTest, Cat8ResetTrackingSecretIssuesANewSecretWithTheVerificationOnRecord) {
  std::string old_secret;
  const int64_t id = FileOnline(absl::CivilDay(2024, 9, 27), &old_secret);
  std::string stored_hash;
  RequestEvent event;
  EXPECT_CALL(repository_, ReplaceTrackingSecret(id, 1, _, _))
      .WillOnce(
          Invoke([&](int64_t, int64_t version, const std::string& hash, const RequestEvent& e) {
            stored_hash = hash;
            event = e;
            return absl::StatusOr<int64_t>(version + 1);
          }));
  v1::ResetTrackingSecretRequest reset;
  reset.set_id(id);
  reset.set_verification("窗口核验身份证原件");
  absl::StatusOr<v1::ResetTrackingSecretResponse> done =
      requests_->ResetTrackingSecret(staff_, reset);
  ASSERT_TRUE(done.ok()) << done.status();
  EXPECT_EQ(done->tracking_secret().size(), 20u);
  EXPECT_NE(done->tracking_secret(), old_secret);
  EXPECT_EQ(done->tracking_code(), store_[id].tracking_code());
  EXPECT_EQ(stored_hash, crypto::Sha256Hex(done->tracking_secret()));
  EXPECT_EQ(done->request().version(), 2);
  EXPECT_EQ(event.action, "reset_tracking_secret");
  EXPECT_EQ(event.actor, "alice");
  EXPECT_THAT(event.detail, HasSubstr("窗口核验身份证原件"));
}

TEST_F(DisclosureRequestsTest, Cat8ResetTrackingSecretNeedsTheVerificationAndTheHandlingUnit) {
  const int64_t id = FileOnline(absl::CivilDay(2024, 9, 27));
  EXPECT_CALL(repository_, ReplaceTrackingSecret).Times(0);
  v1::ResetTrackingSecretRequest reset;
  reset.set_id(id);
  absl::StatusOr<v1::ResetTrackingSecretResponse> unverified =
      requests_->ResetTrackingSecret(staff_, reset);
  EXPECT_THAT(unverified, StatusIs(absl::StatusCode::kInvalidArgument, _));
  EXPECT_THAT(Fields(unverified.status()), ::testing::ElementsAre("verification"));
  reset.set_verification("电话核验");
  EXPECT_THAT(requests_->ResetTrackingSecret(other_staff_, reset),
              StatusIs(absl::StatusCode::kPermissionDenied, _));
  EXPECT_THAT(requests_->ResetTrackingSecret(Principal::Anonymous(), reset),
              StatusIs(absl::StatusCode::kUnauthenticated, _));
  reset.set_expected_version(7);
  EXPECT_THAT(requests_->ResetTrackingSecret(staff_, reset),
              StatusIs(absl::StatusCode::kAborted, HasSubstr("version 1")));
}

TEST_F(DisclosureRequestsTest, TrackingHidesApproverThirdPartyAndInternalHistoryDetails) {
  std::string secret;
  const int64_t id = FileOnline(absl::CivilDay(2025, 1, 20), &secret);
  v1::DisclosureRequest stored = store_[id];
  stored.set_state(v1::REQUEST_IN_CONSULTATION);
  stored.set_consultation_third_party("某建筑公司");
  *stored.mutable_consultation_started_on() = ToProtoDate(absl::CivilDay(2025, 1, 22));
  stored.set_extension_working_days(20);
  stored.set_extension_approver("办公室主任 王五");
  stored.set_extension_reason("涉及多个部门，需协调");
  stored.set_extension_notice_text("张三：……答复期限延长 20 个工作日……特此告知。");
  stored.set_extension_notice_channel(v1::CHANNEL_ONLINE);
  EXPECT_CALL(repository_, FindByTrackingCode(stored.tracking_code()))
      .WillRepeatedly(Return(RequestRepository::Tracked{stored, secrets_[id].secret_sha256}));
  std::vector<v1::DisclosureRequestEvent> events(3);
  events[0].set_action("consultation_start");
  events[0].set_new_state(v1::REQUEST_IN_CONSULTATION);
  events[0].set_detail("征求第三方意见：某建筑公司");
  events[1].set_action("extend");
  events[1].set_detail("延长答复期限 20 个工作日，批准人 办公室主任 王五：内部说明");
  events[2].set_action("something_new");
  events[2].set_detail("内部备注");
  ON_CALL(repository_, ListHistory(id)).WillByDefault(Return(events));

  v1::TrackRequestRequest track;
  track.set_tracking_code(stored.tracking_code());
  track.set_tracking_secret(secret);
  absl::StatusOr<v1::TrackRequestResponse> tracked =
      requests_->TrackRequest(Principal::Anonymous(), track);
  ASSERT_TRUE(tracked.ok()) << tracked.status();
  EXPECT_THAT(tracked->request().extension_approver(), IsEmpty());
  EXPECT_THAT(tracked->request().consultation_third_party(), IsEmpty());
  EXPECT_EQ(tracked->request().extension_working_days(), 20);
  // NAT-7: the notice of extension is on the tracking page.
  EXPECT_THAT(tracked->request().extension_notice_text(), HasSubstr("答复期限延长 20 个工作日"));
  EXPECT_EQ(tracked->request().extension_notice_channel(), v1::CHANNEL_ONLINE);
  ASSERT_EQ(tracked->history_size(), 3);
  EXPECT_EQ(tracked->history(0).action(), "consultation_start");
  EXPECT_EQ(tracked->history(0).new_state(), v1::REQUEST_IN_CONSULTATION);
  EXPECT_EQ(tracked->history(0).detail(), "已征求第三方意见");
  EXPECT_EQ(tracked->history(1).detail(), "已延长答复期限");
  EXPECT_THAT(tracked->history(2).detail(), IsEmpty());
}

// ---- Lifecycle and clocks ------------------------------------------------------------------

TEST_F(DisclosureRequestsTest, CorrectionRestartsTheReplyClock) {
  const int64_t id = FileOnline(absl::CivilDay(2024, 9, 27));
  SetToday(absl::CivilDay(2024, 9, 30));
  v1::IssueCorrectionNoticeRequest notice;
  notice.set_id(id);
  notice.set_notice("请写明所需信息的名称和文号");
  absl::StatusOr<v1::DisclosureRequest> waiting = requests_->IssueCorrectionNotice(staff_, notice);
  ASSERT_TRUE(waiting.ok()) << waiting.status();
  EXPECT_EQ(waiting->state(), v1::REQUEST_AWAITING_CORRECTION);
  EXPECT_FALSE(waiting->has_reply_deadline());  // The applicant's turn.

  SetToday(absl::CivilDay(2024, 10, 14));
  v1::RecordCorrectionRequest corrected;
  corrected.set_id(id);
  absl::StatusOr<v1::DisclosureRequest> restarted = requests_->RecordCorrection(staff_, corrected);
  ASSERT_TRUE(restarted.ok()) << restarted.status();
  EXPECT_EQ(restarted->state(), v1::REQUEST_CORRECTED);
  EXPECT_EQ(Day(restarted->reply_deadline().due()), absl::CivilDay(2024, 11, 11));
  EXPECT_THAT(restarted->reply_deadline().text(), HasSubstr("收到补正后申请之日（2024-10-14）"));
}

TEST_F(DisclosureRequestsTest, OnlyOneCorrectionNoticeAndOnlyWithinSevenWorkingDays) {
  const int64_t late_id = FileOnline(absl::CivilDay(2024, 9, 27));
  SetToday(absl::CivilDay(2024, 10, 14));  // Due 2024-10-12 (adjusted Saturday).
  v1::IssueCorrectionNoticeRequest notice;
  notice.set_id(late_id);
  notice.set_notice("补正");
  EXPECT_THAT(requests_->IssueCorrectionNotice(staff_, notice),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("2024-10-12")));

  const int64_t id = FileOnline(absl::CivilDay(2024, 9, 27));
  notice.set_id(id);
  ASSERT_TRUE(requests_->IssueCorrectionNotice(staff_, notice).ok());
  EXPECT_THAT(requests_->IssueCorrectionNotice(staff_, notice),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("one notice")));
}

TEST_F(DisclosureRequestsTest, ConsultationPauseMovesTheReplyDue) {
  const int64_t id = FileOnline(absl::CivilDay(2025, 1, 20));
  v1::AssignRequestRequest assign;
  assign.set_id(id);
  assign.set_unit_id(kUnit);
  ASSERT_TRUE(requests_->AssignRequest(staff_, assign).ok());
  SetToday(absl::CivilDay(2025, 1, 22));
  v1::StartThirdPartyConsultationRequest start;
  start.set_id(id);
  start.set_third_party("某建筑公司");
  absl::StatusOr<v1::DisclosureRequest> consulting =
      requests_->StartThirdPartyConsultation(staff_, start);
  ASSERT_TRUE(consulting.ok()) << consulting.status();
  EXPECT_EQ(Day(consulting->consultation_deadline().due()), absl::CivilDay(2025, 2, 18));
  SetToday(absl::CivilDay(2025, 2, 7));
  v1::EndThirdPartyConsultationRequest end;
  end.set_id(id);
  absl::StatusOr<v1::DisclosureRequest> resumed = requests_->EndThirdPartyConsultation(staff_, end);
  ASSERT_TRUE(resumed.ok()) << resumed.status();
  EXPECT_EQ(resumed->paused_working_days(), 7);
  EXPECT_EQ(Day(resumed->reply_deadline().due()), absl::CivilDay(2025, 3, 4));
}

TEST_F(DisclosureRequestsTest, ExtensionOnceWithApproverAndReasonBeforeTheDueDate) {
  const int64_t id = FileOnline(absl::CivilDay(2025, 9, 22));
  v1::ExtendRequestRequest extend;
  extend.set_id(id);
  extend.set_working_days(20);
  extend.set_approver("办公室主任 王五");
  extend.set_reason("涉及多个部门，需协调");
  absl::StatusOr<v1::DisclosureRequest> extended = requests_->ExtendRequest(office_head_, extend);
  ASSERT_TRUE(extended.ok()) << extended.status();
  EXPECT_EQ(Day(extended->reply_deadline().due()), absl::CivilDay(2025, 11, 21));
  extend.set_working_days(5);
  EXPECT_THAT(requests_->ExtendRequest(office_head_, extend),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("only once")));

  const int64_t late = FileOnline(absl::CivilDay(2025, 9, 22));
  SetToday(absl::CivilDay(2025, 10, 27));  // Due 2025-10-24.
  extend.set_id(late);
  extend.set_working_days(10);
  EXPECT_THAT(requests_->ExtendRequest(office_head_, extend),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("2025-10-24")));
  EXPECT_TRUE(store_[late].extension_approver().empty());
}

// NAT-7: only the head of the disclosure office (OFFICE) approves; the unit's staff, and
// an ADMIN, are refused with the role named, and nothing is written.
TEST_F(DisclosureRequestsTest, Nat7ExtensionIsApprovedOnlyByTheDisclosureOfficeHead) {
  const int64_t id = FileOnline(absl::CivilDay(2025, 9, 22));
  v1::ExtendRequestRequest extend;
  extend.set_id(id);
  extend.set_working_days(20);
  extend.set_approver("办公室主任 王五");
  extend.set_reason("涉及多个部门，需协调");
  const Principal admin{"admin", std::nullopt, {auth::Role::kAdmin}, {}};
  for (const Principal& refused : {staff_, admin}) {
    EXPECT_THAT(requests_->ExtendRequest(refused, extend),
                StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("role OFFICE")));
  }
  EXPECT_EQ(store_[id].extension_working_days(), 0);
  EXPECT_TRUE(store_[id].extension_notice_text().empty());
}

// NAT-7: the approved extension produces the notice to the applicant — text with the
// reason, the days added and the new due date; the day; the channel — and records it.
TEST_F(DisclosureRequestsTest, Nat7ExtensionProducesAndRecordsTheNoticeToTheApplicant) {
  const int64_t id = FileOnline(absl::CivilDay(2025, 9, 22));
  SetToday(absl::CivilDay(2025, 10, 9));
  v1::ExtendRequestRequest extend;
  extend.set_id(id);
  extend.set_working_days(20);
  extend.set_approver("办公室主任 王五");
  extend.set_reason("涉及多个部门，需协调");
  extend.set_notice_channel(v1::CHANNEL_REGISTERED_MAIL);
  absl::StatusOr<v1::DisclosureRequest> extended = requests_->ExtendRequest(office_head_, extend);
  ASSERT_TRUE(extended.ok()) << extended.status();
  // Due 2025-10-24 without the extension; 20 more working days: 2025-11-21.
  EXPECT_THAT(extended->extension_notice_text(), HasSubstr("因涉及多个部门，需协调"));
  EXPECT_THAT(extended->extension_notice_text(), HasSubstr("答复期限延长 20 个工作日"));
  EXPECT_THAT(extended->extension_notice_text(), HasSubstr("延长后的答复期限为 2025年11月21日"));
  EXPECT_EQ(Day(extended->extension_notice_on()), absl::CivilDay(2025, 10, 9));
  EXPECT_EQ(extended->extension_notice_channel(), v1::CHANNEL_REGISTERED_MAIL);
  EXPECT_EQ(store_[id].extension_notice_text(), extended->extension_notice_text());
  ASSERT_FALSE(events_.empty());
  EXPECT_EQ(events_.back().action, "extend");
  EXPECT_EQ(events_.back().actor, "office-head");
  EXPECT_THAT(events_.back().detail, HasSubstr("CHANNEL_REGISTERED_MAIL"));
  EXPECT_THAT(events_.back().detail, HasSubstr("2025年11月21日"));

  // Unset channel: the notice goes the way the request came (online here).
  const int64_t other = FileOnline(absl::CivilDay(2025, 9, 22));
  extend.set_id(other);
  extend.clear_notice_channel();
  absl::StatusOr<v1::DisclosureRequest> online = requests_->ExtendRequest(office_head_, extend);
  ASSERT_TRUE(online.ok()) << online.status();
  EXPECT_EQ(online->extension_notice_channel(), v1::CHANNEL_ONLINE);
}

TEST_F(DisclosureRequestsTest, OpenRequestPastItsDueDateIsOverdue) {
  const int64_t id = FileOnline(absl::CivilDay(2025, 9, 22));
  SetToday(absl::CivilDay(2025, 10, 27));
  v1::GetRequestRequest get;
  get.set_id(id);
  absl::StatusOr<v1::DisclosureRequest> r = requests_->GetRequest(staff_, get);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_TRUE(r->overdue());
  // Another unit's request answers like a missing one (no probing of ids).
  EXPECT_THAT(requests_->GetRequest(other_staff_, get),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("not found")));
}

TEST_F(DisclosureRequestsTest, AnotherUnitsRequestLooksLikeAMissingId) {
  const int64_t id = FileOnline(absl::CivilDay(2024, 9, 27));
  const int64_t missing = id + 100;
  ON_CALL(repository_, ListHistoryPage(_, _))
      .WillByDefault(Return(std::vector<v1::DisclosureRequestEvent>{}));
  ON_CALL(repository_, ListChallenges(_))
      .WillByDefault(Return(std::vector<v1::DisclosureChallenge>{}));
  EXPECT_CALL(repository_, CreateChallenge).Times(0);
  for (int64_t target : {id, missing}) {
    SCOPED_TRACE(target);
    v1::GetRequestRequest get;
    get.set_id(target);
    EXPECT_THAT(requests_->GetRequest(other_staff_, get), StatusIs(absl::StatusCode::kNotFound, _));
    v1::ListRequestHistoryRequest history;
    history.set_id(target);
    EXPECT_THAT(requests_->ListRequestHistory(other_staff_, history),
                StatusIs(absl::StatusCode::kNotFound, _));
    v1::ListChallengesRequest challenges;
    challenges.set_disclosure_request_id(target);
    EXPECT_THAT(challenges_->ListChallenges(other_staff_, challenges),
                StatusIs(absl::StatusCode::kNotFound, _));
    v1::RecordChallengeRequest challenge;
    challenge.set_disclosure_request_id(target);
    challenge.set_kind(v1::CHALLENGE_ADMINISTRATIVE_REVIEW);
    *challenge.mutable_filed_on() = ToProtoDate(absl::CivilDay(2024, 9, 27));
    EXPECT_THAT(challenges_->RecordChallenge(other_staff_, challenge),
                StatusIs(absl::StatusCode::kNotFound, _));
  }
  // The holding unit still reads it; a caller without a role is refused before any lookup.
  v1::ListRequestHistoryRequest history;
  history.set_id(id);
  EXPECT_TRUE(requests_->ListRequestHistory(staff_, history).ok());
  v1::GetRequestRequest get;
  get.set_id(id);
  EXPECT_THAT(requests_->GetRequest(Principal::Anonymous(), get),
              StatusIs(absl::StatusCode::kUnauthenticated, _));
  get.set_id(missing);
  EXPECT_THAT(requests_->GetRequest(Principal::Anonymous(), get),
              StatusIs(absl::StatusCode::kUnauthenticated, _));
}

TEST_F(DisclosureRequestsTest, QuoteFeeAndUpdateChallengeHideAnotherUnitsIdsLikeMissingOnes) {
  const int64_t id = FileOnline(absl::CivilDay(2024, 9, 27));
  v1::DisclosureChallenge challenge;
  challenge.set_id(3);
  challenge.set_unit_id(kUnit);
  challenge.set_result(v1::CHALLENGE_PENDING);
  ON_CALL(repository_, GetChallenge(3)).WillByDefault(Return(challenge));
  ON_CALL(repository_, GetChallenge(4))
      .WillByDefault(Return(absl::NotFoundError("challenge 4 not found")));
  EXPECT_CALL(repository_, UpdateChallenge).Times(0);
  for (int64_t target : {id, id + 100}) {
    v1::QuoteFeeRequest quote;
    quote.set_id(target);
    quote.set_fee_method(v1::FEE_BY_COUNT);
    EXPECT_THAT(requests_->QuoteFee(other_staff_, quote), StatusIs(absl::StatusCode::kNotFound, _));
  }
  for (int64_t target : {3, 4}) {
    v1::UpdateChallengeRequest update;
    update.set_id(target);
    update.set_result(v1::CHALLENGE_PENDING);
    EXPECT_THAT(challenges_->UpdateChallenge(other_staff_, update),
                StatusIs(absl::StatusCode::kNotFound, HasSubstr("not found")));
  }
}

TEST_F(DisclosureRequestsTest, HistoryIsReadInKeysetPagesBoundToTheRequest) {
  const int64_t id = FileOnline(absl::CivilDay(2024, 9, 27));
  std::vector<v1::DisclosureRequestEvent> three(3);
  for (int i = 0; i < 3; ++i) three[i].set_id(10 + i);
  EXPECT_CALL(repository_, ListHistoryPage(id, _))
      .WillOnce(Invoke([&](int64_t, const KeysetPage& page) {
        EXPECT_EQ(page.after_id, 0);
        EXPECT_EQ(page.limit, 3);  // One more than the page, to learn whether one follows.
        return absl::StatusOr<std::vector<v1::DisclosureRequestEvent>>(three);
      }))
      .WillOnce(Invoke([&](int64_t, const KeysetPage& page) {
        EXPECT_EQ(page.after_id, 11);
        return absl::StatusOr<std::vector<v1::DisclosureRequestEvent>>(
            std::vector<v1::DisclosureRequestEvent>{three[2]});
      }));
  v1::ListRequestHistoryRequest history;
  history.set_id(id);
  history.set_page_size(2);
  absl::StatusOr<v1::ListRequestHistoryResponse> first =
      requests_->ListRequestHistory(staff_, history);
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_EQ(first->events_size(), 2);
  ASSERT_FALSE(first->next_page_token().empty());
  history.set_page_token(first->next_page_token());
  absl::StatusOr<v1::ListRequestHistoryResponse> last =
      requests_->ListRequestHistory(staff_, history);
  ASSERT_TRUE(last.ok()) << last.status();
  EXPECT_EQ(last->events(0).id(), 12);
  EXPECT_TRUE(last->next_page_token().empty());
  // A token is bound to its request; page sizes are bounded like every list.
  const int64_t other = FileOnline(absl::CivilDay(2024, 9, 27));
  history.set_id(other);
  EXPECT_THAT(Fields(requests_->ListRequestHistory(staff_, history).status()),
              ::testing::ElementsAre("page_token"));
  history.clear_page_token();
  history.set_page_size(101);
  EXPECT_THAT(Fields(requests_->ListRequestHistory(staff_, history).status()),
              ::testing::ElementsAre("page_size"));
}

}  // namespace
}  // namespace gongkai::catalog::requests
