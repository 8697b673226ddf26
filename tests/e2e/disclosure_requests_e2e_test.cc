// End-to-end tests of disclosure on request (CAT-8, NAT-5 to NAT-9, NAT-10 Table 4) in
// the gongkai-catalog binary: real gRPC, real MariaDB, real process, real clock.
//
// One service instance serves the suite; each test creates its own unit. Dates follow
// the real calendar, so the assertions are about the rules (states, history, fees,
// access), while the exact day counting is covered by the unit tests on fixed dates.
// The service gets the stand-in calendars (stand_in_calendar.h), so its deadlines are
// computed whatever day the suite runs; the days a test needs come from the service's
// answers (received_on, answered_on), not from a second reading of the clock.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "gmock/gmock.h"
#include "gongkai/catalog/v1/catalog.grpc.pb.h"
#include "gongkai/catalog/v1/disclosure_requests.grpc.pb.h"
#include "libs/db/testing/status_matchers.h"
#include "libs/status/errors.h"
#include "libs/status/grpc_status.h"
#include "libs/status/status_macros.h"
#include "tests/e2e/catalog_suite.h"
#include "tests/e2e/catalog_under_test.h"
#include "tests/e2e/grpc_call.h"
#include "tests/e2e/stand_in_calendar.h"

namespace gongkai::e2e {
namespace {

namespace v1 = ::gongkai::catalog::v1;
using ::gongkai::db::testing::StatusIs;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::IsSupersetOf;
using ::testing::SizeIs;
using RequestStub = v1::DisclosureRequestService::Stub;
using CatalogStub = v1::CatalogService::Stub;

constexpr char kAnonymous[] = "";

class DisclosureRequestsE2eTest : public CatalogSuite<DisclosureRequestsE2eTest> {
 public:
  static constexpr char kDatabasePrefix[] = "requests_e2e";
  // NAT-5 to NAT-7 periods reach into next year from December: the stand-ins keep them
  // computed rather than pending (NAT-1) whatever day the suite runs.
  static std::map<std::string, std::string> CatalogEnv() {
    return {{"GONGKAI_CALENDAR_DIR", StandInCalendarDir()}};
  }

 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(CatalogSuite::SetUp());
    auto channel =
        grpc::CreateChannel(catalog_->service().grpc_address(), grpc::InsecureChannelCredentials());
    requests_ = v1::DisclosureRequestService::NewStub(channel);
    catalog_stub_ = v1::CatalogService::NewStub(channel);
    admin_ = catalog_->Token("e2e-admin", std::nullopt, {"ADMIN"});
  }

  template <typename Stub, typename Request, typename Response>
  absl::StatusOr<Response> Call(Stub* stub,
                                grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&,
                                                             Response*),
                                const std::string& token, const Request& request) {
    return UnaryCall(*stub, method, token, request);
  }
  template <typename Request, typename Response>
  absl::StatusOr<Response> R(grpc::Status (RequestStub::*method)(grpc::ClientContext*,
                                                                 const Request&, Response*),
                             const std::string& token, const Request& request) {
    return Call(requests_.get(), method, token, request);
  }

  int64_t NewUnit() {
    static int counter = 0;
    v1::CreateUnitRequest request;
    request.mutable_unit()->set_code(absl::StrCat("REQ-E2E-", ++counter));
    request.mutable_unit()->set_name("市住房和城乡建设局");
    request.mutable_unit()->set_level(v1::UNIT_LEVEL_DEPARTMENT);
    absl::StatusOr<v1::Unit> unit =
        Call(catalog_stub_.get(), &CatalogStub::CreateUnit, admin_, request);
    EXPECT_TRUE(unit.ok()) << unit.status();
    return unit.ok() ? unit->id() : 0;
  }
  std::string StaffOf(int64_t unit_id) const {
    return catalog_->Token(absl::StrCat("staff-", unit_id), unit_id, {"STAFF"});
  }

  static v1::FileRequestRequest Filing(int64_t unit_id,
                                       absl::string_view subject = "老旧小区改造项目清单",
                                       absl::string_view request_id = "") {
    v1::FileRequestRequest request;
    request.set_unit_id(unit_id);
    request.mutable_applicant()->set_type(v1::APPLICANT_NATURAL_PERSON);
    request.mutable_applicant()->set_name("张三");
    request.mutable_applicant()->set_id_number("450102199001010000");
    request.mutable_applicant()->set_contact("13800000000");
    request.set_subject(std::string(subject));
    request.set_description("请公开本市2024年老旧小区改造项目清单。");
    request.set_request_id(std::string(request_id));
    return request;
  }

  absl::StatusOr<v1::ListRequestsResponse> ListOfUnit(int64_t unit_id) {
    v1::ListRequestsRequest list;
    list.set_unit_id(unit_id);
    return R(&RequestStub::ListRequests, StaffOf(unit_id), list);
  }

  std::unique_ptr<RequestStub> requests_;
  std::unique_ptr<CatalogStub> catalog_stub_;
  std::string admin_;
};

TEST_F(DisclosureRequestsE2eTest, PublicRequestGoesThroughTheWholeLifecycle) {
  const int64_t unit = NewUnit();
  const int64_t holder = NewUnit();
  const std::string staff = StaffOf(unit);
  const std::string holder_staff = StaffOf(holder);

  // Filed by the public, online (NAT-5: received today).
  ASSERT_OK_AND_ASSIGN(v1::FileRequestResponse filed,
                       R(&RequestStub::FileRequest, kAnonymous, Filing(unit)));
  const int64_t id = filed.request().id();
  EXPECT_EQ(filed.request().state(), v1::REQUEST_RECEIVED);
  EXPECT_EQ(filed.request().channel(), v1::CHANNEL_ONLINE);
  EXPECT_THAT(filed.tracking_secret(), SizeIs(20));
  EXPECT_THAT(filed.request().reply_deadline().text(), HasSubstr("答复期限"));
  EXPECT_THAT(filed.request().correction_deadline().text(), HasSubstr("补正告知期限"));
  // Computed, not pending for want of a calendar (NAT-1).
  EXPECT_TRUE(filed.request().reply_deadline().has_due());
  EXPECT_TRUE(filed.request().correction_deadline().has_due());

  // NAT-6: one correction notice, then the corrected request restarts the clock.
  v1::IssueCorrectionNoticeRequest notice;
  notice.set_id(id);
  notice.set_notice("请写明项目所在区县");
  ASSERT_OK_AND_ASSIGN(v1::DisclosureRequest r,
                       R(&RequestStub::IssueCorrectionNotice, staff, notice));
  EXPECT_EQ(r.state(), v1::REQUEST_AWAITING_CORRECTION);
  EXPECT_THAT(R(&RequestStub::IssueCorrectionNotice, staff, notice),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("one notice")));
  v1::RecordCorrectionRequest correction;
  correction.set_id(id);
  correction.set_description("请公开青秀区2024年老旧小区改造项目清单。");
  ASSERT_OK_AND_ASSIGN(r, R(&RequestStub::RecordCorrection, staff, correction));
  EXPECT_EQ(r.state(), v1::REQUEST_CORRECTED);
  EXPECT_THAT(r.reply_deadline().text(), HasSubstr("收到补正后申请之日"));

  // Assigned to the holding unit, which consults a third party and extends once.
  v1::AssignRequestRequest assign;
  assign.set_id(id);
  assign.set_unit_id(holder);
  ASSERT_OK_AND_ASSIGN(r, R(&RequestStub::AssignRequest, staff, assign));
  EXPECT_EQ(r.unit_id(), holder);
  v1::StartThirdPartyConsultationRequest consult;
  consult.set_id(id);
  consult.set_third_party("某建筑工程公司");
  EXPECT_THAT(R(&RequestStub::StartThirdPartyConsultation, staff, consult),
              StatusIs(absl::StatusCode::kPermissionDenied, testing::_));
  ASSERT_OK_AND_ASSIGN(r, R(&RequestStub::StartThirdPartyConsultation, holder_staff, consult));
  EXPECT_EQ(r.state(), v1::REQUEST_IN_CONSULTATION);
  EXPECT_THAT(r.consultation_deadline().text(), HasSubstr("15 个工作日"));
  EXPECT_TRUE(r.consultation_deadline().has_due());
  v1::EndThirdPartyConsultationRequest end;
  end.set_id(id);
  end.set_note("第三方同意公开");
  ASSERT_OK_AND_ASSIGN(r, R(&RequestStub::EndThirdPartyConsultation, holder_staff, end));
  EXPECT_EQ(r.state(), v1::REQUEST_ASSIGNED);
  v1::ExtendRequestRequest extend;
  extend.set_id(id);
  extend.set_working_days(10);
  extend.set_approver("办公室主任");
  extend.set_reason("需汇总多个区县材料");
  // NAT-7: the unit's staff may not approve; the head of the disclosure office (OFFICE)
  // does, and the notice to the applicant is produced.
  EXPECT_THAT(R(&RequestStub::ExtendRequest, holder_staff, extend),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("role OFFICE")));
  const std::string office_head = catalog_->Token("e2e-office-head", std::nullopt, {"OFFICE"});
  ASSERT_OK_AND_ASSIGN(r, R(&RequestStub::ExtendRequest, office_head, extend));
  EXPECT_EQ(r.extension_working_days(), 10);
  EXPECT_THAT(r.reply_deadline().text(), HasSubstr("经批准延长 10 个工作日"));
  EXPECT_TRUE(r.reply_deadline().has_due());
  EXPECT_THAT(r.extension_notice_text(), HasSubstr("因需汇总多个区县材料"));
  EXPECT_THAT(r.extension_notice_text(), HasSubstr("延长后的答复期限为"));
  EXPECT_EQ(r.extension_notice_channel(), v1::CHANNEL_ONLINE);
  EXPECT_EQ(r.extension_notice_on().SerializeAsString(), r.extended_on().SerializeAsString());
  const std::string extension_notice = r.extension_notice_text();
  EXPECT_THAT(R(&RequestStub::ExtendRequest, office_head, extend),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("only once")));

  // NAT-9 fee quote, then NAT-8 answer with the fee by pages.
  v1::QuoteFeeRequest quote;
  quote.set_id(id);
  quote.set_fee_method(v1::FEE_BY_PAGES);
  quote.set_pages(150);
  ASSERT_OK_AND_ASSIGN(v1::FeeQuote fee, R(&RequestStub::QuoteFee, holder_staff, quote));
  EXPECT_EQ(fee.fee_fen(), 170000);
  EXPECT_THAT(fee.explanation(), HasSubstr("合计 1700.00 元"));
  v1::AnswerRequestRequest answer;
  answer.set_id(id);
  answer.set_outcome(v1::OUTCOME_PARTLY_DISCLOSED);
  answer.set_fee_method(v1::FEE_BY_PAGES);
  answer.set_fee_pages(150);
  absl::StatusOr<v1::DisclosureRequest> refused =
      R(&RequestStub::AnswerRequest, holder_staff, answer);
  EXPECT_THAT(refused, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("reason")));
  EXPECT_THAT(ViolatedFields(refused.status()), testing::ElementsAre("reason"));
  answer.set_reason("涉及个人隐私的部分不予公开（条例第十五条）");
  ASSERT_OK_AND_ASSIGN(r, R(&RequestStub::AnswerRequest, holder_staff, answer));
  EXPECT_EQ(r.state(), v1::REQUEST_ANSWERED);
  EXPECT_EQ(r.fee_fen(), 170000);
  EXPECT_THAT(r.answered_on().year(), testing::Gt(2000));

  // Every transition is in the history.
  v1::ListRequestHistoryRequest history;
  history.set_id(id);
  ASSERT_OK_AND_ASSIGN(v1::ListRequestHistoryResponse events,
                       R(&RequestStub::ListRequestHistory, holder_staff, history));
  std::vector<std::string> actions;
  for (const auto& e : events.events()) actions.push_back(e.action());
  EXPECT_THAT(actions,
              testing::ElementsAre("file", "correction_notice", "correction", "assign",
                                   "consultation_start", "consultation_end", "extend", "answer"));
  EXPECT_EQ(events.events(7).actor(), absl::StrCat("staff-", holder));

  // The applicant tracks it with the code and secret; staff names stay hidden.
  v1::TrackRequestRequest track;
  track.set_tracking_code(filed.tracking_code());
  track.set_tracking_secret(filed.tracking_secret());
  ASSERT_OK_AND_ASSIGN(v1::TrackRequestResponse tracked,
                       R(&RequestStub::TrackRequest, kAnonymous, track));
  EXPECT_EQ(tracked.request().state(), v1::REQUEST_ANSWERED);
  EXPECT_THAT(tracked.history(), SizeIs(8));
  EXPECT_THAT(tracked.history(7).actor(), IsEmpty());
  EXPECT_THAT(tracked.request().answered_by(), IsEmpty());
  EXPECT_EQ(tracked.request().extension_notice_text(), extension_notice);  // NAT-7.

  // NAT-10 Table 4: an administrative review, pending, then corrected.
  v1::RecordChallengeRequest challenge;
  challenge.set_disclosure_request_id(id);
  challenge.set_kind(v1::CHALLENGE_ADMINISTRATIVE_REVIEW);
  *challenge.mutable_filed_on() = r.answered_on();
  challenge.set_case_number("复议〔2026〕1号");
  ASSERT_OK_AND_ASSIGN(v1::DisclosureChallenge c,
                       R(&RequestStub::RecordChallenge, holder_staff, challenge));
  EXPECT_EQ(c.result(), v1::CHALLENGE_PENDING);
  v1::UpdateChallengeRequest decide;
  decide.set_id(c.id());
  decide.set_result(v1::CHALLENGE_CORRECTED);
  *decide.mutable_decided_on() = r.answered_on();
  ASSERT_OK_AND_ASSIGN(c, R(&RequestStub::UpdateChallenge, holder_staff, decide));
  EXPECT_EQ(c.result(), v1::CHALLENGE_CORRECTED);
  EXPECT_THAT(R(&RequestStub::UpdateChallenge, holder_staff, decide),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("already decided")));
}

// NAT-8: "governed by other laws" names the law; "already public" may name a gazette;
// the applicant sees both on the tracking page.
TEST_F(DisclosureRequestsE2eTest, Nat8OtherLawAndGazetteReferenceReachTheApplicant) {
  const int64_t unit = NewUnit();
  const std::string staff = StaffOf(unit);
  ASSERT_OK_AND_ASSIGN(v1::FileRequestResponse registry,
                       R(&RequestStub::FileRequest, kAnonymous, Filing(unit, "某房屋登记簿")));
  v1::AnswerRequestRequest answer;
  answer.set_id(registry.request().id());
  answer.set_outcome(v1::OUTCOME_GOVERNED_BY_OTHER_LAW);
  answer.set_reason("所申请信息属于不动产登记资料，请依照该条例向不动产登记机构申请查询");
  EXPECT_THAT(ViolatedFields(R(&RequestStub::AnswerRequest, staff, answer).status()),
              testing::ElementsAre("governing_law"));
  answer.set_governing_law("《不动产登记暂行条例》");
  ASSERT_OK_AND_ASSIGN(v1::DisclosureRequest r, R(&RequestStub::AnswerRequest, staff, answer));
  EXPECT_EQ(r.outcome(), v1::OUTCOME_GOVERNED_BY_OTHER_LAW);
  v1::TrackRequestRequest track;
  track.set_tracking_code(registry.tracking_code());
  track.set_tracking_secret(registry.tracking_secret());
  ASSERT_OK_AND_ASSIGN(v1::TrackRequestResponse tracked,
                       R(&RequestStub::TrackRequest, kAnonymous, track));
  EXPECT_EQ(tracked.request().governing_law(), "《不动产登记暂行条例》");

  ASSERT_OK_AND_ASSIGN(v1::FileRequestResponse gazette,
                       R(&RequestStub::FileRequest, kAnonymous, Filing(unit, "某规划批复")));
  v1::AnswerRequestRequest published;
  published.set_id(gazette.request().id());
  published.set_outcome(v1::OUTCOME_ALREADY_PUBLIC);
  published.set_already_public_reference("《南宁市人民政府公报》2024年第5期");
  ASSERT_OK_AND_ASSIGN(r, R(&RequestStub::AnswerRequest, staff, published));
  track.set_tracking_code(gazette.tracking_code());
  track.set_tracking_secret(gazette.tracking_secret());
  ASSERT_OK_AND_ASSIGN(tracked, R(&RequestStub::TrackRequest, kAnonymous, track));
  EXPECT_EQ(tracked.request().already_public_reference(), "《南宁市人民政府公报》2024年第5期");
}

TEST_F(DisclosureRequestsE2eTest, Cat8ALostSecretIsResetByStaffAndTheOldOneStopsWorking) {
  const int64_t unit = NewUnit();
  ASSERT_OK_AND_ASSIGN(v1::FileRequestResponse filed,
                       R(&RequestStub::FileRequest, kAnonymous, Filing(unit)));
  v1::ResetTrackingSecretRequest reset;
  reset.set_id(filed.request().id());
  reset.set_verification("窗口核验身份证原件");
  EXPECT_THAT(R(&RequestStub::ResetTrackingSecret, kAnonymous, reset),
              StatusIs(absl::StatusCode::kUnauthenticated, testing::_));
  ASSERT_OK_AND_ASSIGN(v1::ResetTrackingSecretResponse done,
                       R(&RequestStub::ResetTrackingSecret, StaffOf(unit), reset));
  EXPECT_EQ(done.tracking_code(), filed.tracking_code());
  EXPECT_NE(done.tracking_secret(), filed.tracking_secret());

  v1::TrackRequestRequest track;
  track.set_tracking_code(filed.tracking_code());
  track.set_tracking_secret(filed.tracking_secret());
  EXPECT_THAT(R(&RequestStub::TrackRequest, kAnonymous, track),
              StatusIs(absl::StatusCode::kNotFound, testing::_));
  track.set_tracking_secret(done.tracking_secret());
  ASSERT_OK_AND_ASSIGN(v1::TrackRequestResponse tracked,
                       R(&RequestStub::TrackRequest, kAnonymous, track));
  ASSERT_EQ(tracked.history_size(), 2);
  EXPECT_EQ(tracked.history(1).action(), "reset_tracking_secret");
  EXPECT_EQ(tracked.history(1).detail(), "查询密码已重置");  // Not how identity was checked.
}

TEST_F(DisclosureRequestsE2eTest, TrackingNeedsTheRightSecretAndStaffReadsNeedAToken) {
  const int64_t unit = NewUnit();
  ASSERT_OK_AND_ASSIGN(v1::FileRequestResponse filed,
                       R(&RequestStub::FileRequest, kAnonymous, Filing(unit)));
  v1::TrackRequestRequest track;
  track.set_tracking_code(filed.tracking_code());
  track.set_tracking_secret("WRONGWRONGWRONGWRONG");
  absl::StatusOr<v1::TrackRequestResponse> wrong = R(&RequestStub::TrackRequest, kAnonymous, track);
  track.set_tracking_code("NOSUCHCODE12");
  absl::StatusOr<v1::TrackRequestResponse> unknown =
      R(&RequestStub::TrackRequest, kAnonymous, track);
  EXPECT_THAT(wrong, StatusIs(absl::StatusCode::kNotFound, HasSubstr("tracking code and secret")));
  EXPECT_EQ(wrong.status().message(), unknown.status().message());

  v1::GetRequestRequest get;
  get.set_id(filed.request().id());
  EXPECT_THAT(R(&RequestStub::GetRequest, kAnonymous, get),
              StatusIs(absl::StatusCode::kUnauthenticated, testing::_));
  // Another unit's request answers like a missing id (no probing).
  EXPECT_THAT(R(&RequestStub::GetRequest, StaffOf(unit + 1000), get),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("not found")));
  ASSERT_OK_AND_ASSIGN(v1::DisclosureRequest read, R(&RequestStub::GetRequest, StaffOf(unit), get));
  EXPECT_EQ(read.tracking_code(), filed.tracking_code());

  // The public may only file online; mail is registered by staff with its date.
  v1::FileRequestRequest mail = Filing(unit);
  mail.set_channel(v1::CHANNEL_REGISTERED_MAIL);
  *mail.mutable_receipt_event_on() = read.received_on();
  EXPECT_THAT(R(&RequestStub::FileRequest, kAnonymous, mail),
              StatusIs(absl::StatusCode::kUnauthenticated, testing::_));
  ASSERT_OK_AND_ASSIGN(v1::FileRequestResponse registered,
                       R(&RequestStub::FileRequest, StaffOf(unit), mail));
  EXPECT_EQ(registered.request().channel(), v1::CHANNEL_REGISTERED_MAIL);
}

// A retry is for a lost response: it creates nothing and answers with the same secret,
// which works on the tracking call (derived again, never stored: ADR 0015).
TEST_F(DisclosureRequestsE2eTest, DuplicateRequestIdCreatesNothingAndAnswersTheSameSecret) {
  const int64_t unit = NewUnit();
  const v1::FileRequestRequest filing = Filing(unit, "学区划分", "client-req-1");
  ASSERT_OK_AND_ASSIGN(v1::FileRequestResponse first,
                       R(&RequestStub::FileRequest, kAnonymous, filing));
  ASSERT_OK_AND_ASSIGN(v1::FileRequestResponse again,
                       R(&RequestStub::FileRequest, kAnonymous, filing));
  EXPECT_EQ(again.request().id(), first.request().id());
  EXPECT_EQ(again.tracking_code(), first.tracking_code());
  EXPECT_THAT(again.tracking_secret(), SizeIs(20));
  EXPECT_EQ(again.tracking_secret(), first.tracking_secret());
  ASSERT_OK_AND_ASSIGN(v1::ListRequestsResponse list, ListOfUnit(unit));
  EXPECT_THAT(list.requests(), SizeIs(1));

  // The secret from the retry tracks the request, typed in any case (CAT-8).
  v1::TrackRequestRequest track;
  track.set_tracking_code(absl::AsciiStrToLower(again.tracking_code()));
  track.set_tracking_secret(absl::AsciiStrToLower(again.tracking_secret()));
  ASSERT_OK_AND_ASSIGN(v1::TrackRequestResponse tracked,
                       R(&RequestStub::TrackRequest, kAnonymous, track));
  EXPECT_EQ(tracked.request().id(), first.request().id());
}

TEST_F(DisclosureRequestsE2eTest, BadInputNamesTheFieldsAndWritesNothing) {
  const int64_t unit = NewUnit();
  v1::FileRequestRequest bad = Filing(unit);
  bad.mutable_applicant()->set_type(static_cast<v1::ApplicantType>(42));
  bad.mutable_applicant()->clear_contact();
  bad.set_subject("");
  bad.set_channel(v1::CHANNEL_FAX);
  absl::StatusOr<v1::FileRequestResponse> filed = R(&RequestStub::FileRequest, StaffOf(unit), bad);
  EXPECT_THAT(filed, StatusIs(absl::StatusCode::kInvalidArgument, testing::_));
  EXPECT_THAT(ViolatedFields(filed.status()),
              IsSupersetOf({"applicant.type", "applicant.contact", "subject", "receipt_event_on"}));
  v1::FileRequestRequest unknown_unit = Filing(987654321);
  EXPECT_THAT(R(&RequestStub::FileRequest, kAnonymous, unknown_unit),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("unit_id")));
  ASSERT_OK_AND_ASSIGN(v1::ListRequestsResponse list, ListOfUnit(unit));
  EXPECT_THAT(list.requests(), IsEmpty());
}

TEST_F(DisclosureRequestsE2eTest, FrequentlyRequestedInformationShowsInTheSelfReview) {
  const int64_t unit = NewUnit();
  // The year is the one the service received the requests in.
  std::vector<int> received_years;
  // CAT-7: three applicants, three wordings of one subject; one more subject asked once.
  int applicant = 0;
  for (absl::string_view subject :
       {"征地补偿标准", "关于申请公开征地补偿标准的信息", "征地补偿标准。", "只问一次的事"}) {
    v1::FileRequestRequest filing = Filing(unit, subject);
    filing.mutable_applicant()->set_id_number(absl::StrCat("45010219900101000", ++applicant));
    ASSERT_OK_AND_ASSIGN(v1::FileRequestResponse filed,
                         R(&RequestStub::FileRequest, kAnonymous, filing));
    received_years.push_back(filed.request().received_on().year());
  }
  const int year = received_years.front();
  if (received_years.back() != year) {
    // Filed across New Year's midnight in Shanghai: the requests are in two years.
    GTEST_SKIP() << "the year " << year << " ended while the requests were filed";
  }
  v1::ListMostRequestedRequest most;
  most.set_unit_id(unit);
  most.set_year(year);
  ASSERT_OK_AND_ASSIGN(v1::ListMostRequestedResponse listed,
                       R(&RequestStub::ListMostRequested, StaffOf(unit), most));
  ASSERT_THAT(listed.items(), SizeIs(1));
  EXPECT_EQ(listed.items(0).subject(), "征地补偿标准");
  EXPECT_EQ(listed.items(0).request_count(), 3);
  EXPECT_EQ(listed.items(0).applicant_count(), 3);

  // CAT-7: the annual self-review lists it.
  v1::StartSelfReviewRequest start;
  start.set_unit_id(unit);
  start.set_year(year);
  ASSERT_OK_AND_ASSIGN(
      v1::SelfReview review,
      Call(catalog_stub_.get(), &CatalogStub::StartSelfReview, StaffOf(unit), start));
  ASSERT_THAT(review.most_requested(), SizeIs(1));
  EXPECT_EQ(review.most_requested(0).subject(), "征地补偿标准");
  EXPECT_EQ(review.most_requested(0).request_count(), 3);
  EXPECT_EQ(review.most_requested(0).item_number(), 1);
  EXPECT_EQ(review.most_requested_count(), 1);
}

TEST_F(DisclosureRequestsE2eTest, OverdueListNeedsAValidWindow) {
  const int64_t unit = NewUnit();
  v1::ListDueRequestsRequest due;
  due.set_unit_id(unit);
  due.set_due_within_working_days(21);
  EXPECT_THAT(R(&RequestStub::ListDueRequests, StaffOf(unit), due),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("due_within_working_days")));
  due.set_due_within_working_days(0);
  ASSERT_OK_AND_ASSIGN(v1::ListRequestsResponse overdue,
                       R(&RequestStub::ListDueRequests, StaffOf(unit), due));
  EXPECT_THAT(overdue.requests(), IsEmpty());
}

}  // namespace
}  // namespace gongkai::e2e
