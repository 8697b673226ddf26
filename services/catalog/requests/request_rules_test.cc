// The clock and outcome rules of disclosure on request on the REAL 2024/2025 calendars
// (libs/calendar/data): Spring Festival, National Day, adjusted working weekends.
#include "services/catalog/requests/request_rules.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/db/testing/status_matchers.h"

namespace gongkai::catalog::requests {
namespace {

using ::gongkai::db::testing::StatusIs;
using ::testing::HasSubstr;

class RequestRulesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::shared_ptr<calendar::WorkingDayCalendar>> cal =
        calendar::NewBuiltinCalendar();
    ASSERT_TRUE(cal.ok()) << cal.status();
    calendar_ = *std::move(cal);
  }
  absl::CivilDay Due(const ReplyClockFacts& facts) {
    absl::StatusOr<ReplyClock> clock = ComputeReplyClock(*calendar_, facts);
    EXPECT_TRUE(clock.ok()) << clock.status();
    return clock.ok() ? clock->deadline.due : absl::CivilDay();
  }
  std::shared_ptr<calendar::WorkingDayCalendar> calendar_;
};

std::vector<std::string> Fields(const absl::Status& status) {
  std::vector<std::string> fields;
  for (const FieldViolation& v : FieldViolationsOf(status)) fields.push_back(v.field);
  return fields;
}

// ---- NAT-5 -------------------------------------------------------------------------------

TEST(ReceiptDateTest, InPersonAndOnlineAreReceivedTheDayTheyAreFiled) {
  const absl::CivilDay today(2024, 3, 4);
  EXPECT_EQ(*ReceiptDate(v1::CHANNEL_IN_PERSON, today, std::nullopt), today);
  EXPECT_EQ(*ReceiptDate(v1::CHANNEL_ONLINE, today, std::nullopt), today);
}

TEST(ReceiptDateTest, InPersonRegisteredLaterIsReceivedTheDayItWasHandedIn) {
  const absl::CivilDay today(2024, 3, 4);
  const absl::CivilDay handed_in(2024, 3, 1);
  EXPECT_EQ(*ReceiptDate(v1::CHANNEL_IN_PERSON, today, handed_in), handed_in);
  absl::StatusOr<absl::CivilDay> future = ReceiptDate(v1::CHANNEL_IN_PERSON, today, today + 1);
  EXPECT_THAT(future.status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("must not be after today")));
}

TEST(ReceiptDateTest, MailAndFaxAreReceivedOnTheEventDay) {
  const absl::CivilDay today(2024, 3, 4);
  const absl::CivilDay signed_for(2024, 2, 29);
  EXPECT_EQ(*ReceiptDate(v1::CHANNEL_REGISTERED_MAIL, today, signed_for), signed_for);
  EXPECT_EQ(*ReceiptDate(v1::CHANNEL_ORDINARY_MAIL, today, signed_for), signed_for);
  EXPECT_EQ(*ReceiptDate(v1::CHANNEL_FAX, today, signed_for), signed_for);
}

TEST(ReceiptDateTest, RegisteredMailWithoutSigningDateIsRejected) {
  absl::StatusOr<absl::CivilDay> day =
      ReceiptDate(v1::CHANNEL_REGISTERED_MAIL, absl::CivilDay(2024, 3, 4), std::nullopt);
  EXPECT_THAT(day.status(), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("signed for")));
  EXPECT_THAT(Fields(day.status()), ::testing::ElementsAre("receipt_event_on"));
}

TEST(ReceiptDateTest, EventDayInTheFutureIsRejected) {
  EXPECT_THAT(
      ReceiptDate(v1::CHANNEL_FAX, absl::CivilDay(2024, 3, 4), absl::CivilDay(2024, 3, 5)).status(),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("after today")));
}

TEST(ReceiptDateTest, OnlineWithAnEventDayIsRejected) {
  EXPECT_THAT(
      ReceiptDate(v1::CHANNEL_ONLINE, absl::CivilDay(2024, 3, 4), absl::CivilDay(2024, 3, 1))
          .status(),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("must be empty")));
}

// ---- NAT-7 -------------------------------------------------------------------------------

TEST_F(RequestRulesTest, ReplyAcrossSpringFestival2024CountsTheAdjustedSundays) {
  // 2024-02-01 (Thu): Feb 4 (Sun) and Feb 18 (Sun) are working days, Feb 10–17 are not.
  ReplyClockFacts facts{.clock_start = absl::CivilDay(2024, 2, 1)};
  EXPECT_EQ(Due(facts), absl::CivilDay(2024, 3, 5));
  absl::StatusOr<ReplyClock> clock = ComputeReplyClock(*calendar_, facts);
  ASSERT_TRUE(clock.ok());
  EXPECT_EQ(clock->working_days, 20);
  EXPECT_THAT(clock->text, HasSubstr("收到申请之日（2024-02-01）起 20 个工作日"));
  EXPECT_THAT(clock->text, HasSubstr("2024-02-10 至 2024-02-17 春节"));
  EXPECT_THAT(clock->text, HasSubstr("2024-02-18（星期日，春节调休上班）"));
}

TEST_F(RequestRulesTest, ReplyAcrossNationalDay2024CountsTheAdjustedSaturday) {
  // 2024-09-27 (Fri): Sep 29 (Sun) and Oct 12 (Sat) work, Oct 1–7 off.
  EXPECT_EQ(Due({.clock_start = absl::CivilDay(2024, 9, 27)}), absl::CivilDay(2024, 10, 30));
}

TEST_F(RequestRulesTest, ExtensionAddsItsWorkingDaysAcrossNationalDay2025) {
  // 2025-09-22 (Mon): 20 working days end 2025-10-24; 20 more end 2025-11-21.
  EXPECT_EQ(Due({.clock_start = absl::CivilDay(2025, 9, 22)}), absl::CivilDay(2025, 10, 24));
  ReplyClockFacts extended{.clock_start = absl::CivilDay(2025, 9, 22),
                           .extension_working_days = 20};
  EXPECT_EQ(Due(extended), absl::CivilDay(2025, 11, 21));
  EXPECT_THAT(ReplyRuleText(extended), HasSubstr("经批准延长 20 个工作日"));
  EXPECT_THAT(ReplyRuleText(extended), HasSubstr("合计 40 个工作日"));
}

// ---- NAT-6 -------------------------------------------------------------------------------

TEST_F(RequestRulesTest, CorrectionNoticeIsDueSevenWorkingDaysAfterReceipt) {
  // 2024-09-27: the 7th working day is the adjusted Saturday 2024-10-12.
  absl::StatusOr<calendar::Deadline> due =
      CorrectionNoticeDeadline(*calendar_, absl::CivilDay(2024, 9, 27));
  ASSERT_TRUE(due.ok()) << due.status();
  EXPECT_EQ(due->due, absl::CivilDay(2024, 10, 12));
}

TEST_F(RequestRulesTest, CorrectionRestartsTheReplyPeriodFromTheCorrectedRequest) {
  ReplyClockFacts facts{.clock_start = absl::CivilDay(2024, 10, 14),
                        .restarted_by_correction = true};
  EXPECT_EQ(Due(facts), absl::CivilDay(2024, 11, 11));
  EXPECT_THAT(ReplyRuleText(facts), HasSubstr("收到补正后申请之日（2024-10-14）"));
}

TEST_F(RequestRulesTest, ConsultationDaysAcrossSpringFestival2025AreNotCounted) {
  // Consulted 2025-01-22 .. 2025-02-07: Jan 23, 24, 26 (Sun, adjusted), 27, Feb 5, 6, 7.
  absl::StatusOr<int> paused =
      PausedWorkingDays(*calendar_, absl::CivilDay(2025, 1, 22), absl::CivilDay(2025, 2, 7));
  ASSERT_TRUE(paused.ok()) << paused.status();
  EXPECT_EQ(*paused, 7);
  ReplyClockFacts facts{.clock_start = absl::CivilDay(2025, 1, 20), .paused_working_days = 7};
  EXPECT_EQ(Due(facts), absl::CivilDay(2025, 3, 4));
  EXPECT_THAT(ReplyRuleText(facts), HasSubstr("征求第三方意见 7 个工作日不计入"));
}

TEST_F(RequestRulesTest, ConsultationPauseIsAtMostFifteenWorkingDays) {
  absl::StatusOr<int> paused =
      PausedWorkingDays(*calendar_, absl::CivilDay(2025, 1, 22), absl::CivilDay(2025, 3, 31));
  ASSERT_TRUE(paused.ok());
  EXPECT_EQ(*paused, 15);
  absl::StatusOr<calendar::Deadline> third_party =
      ConsultationDeadline(*calendar_, absl::CivilDay(2025, 1, 22));
  ASSERT_TRUE(third_party.ok());
  // Jan 23, 24, 26, 27, Feb 5, 6, 7, 8 (Sat), 10..14, 17, 18 → 15th is 2025-02-18.
  EXPECT_EQ(third_party->due, absl::CivilDay(2025, 2, 18));
}

TEST_F(RequestRulesTest, RunningConsultationIsProvisionallyFifteenWorkingDays) {
  ReplyClockFacts facts{.clock_start = absl::CivilDay(2025, 1, 20), .consultation_running = true};
  absl::StatusOr<ReplyClock> clock = ComputeReplyClock(*calendar_, facts);
  ASSERT_TRUE(clock.ok());
  EXPECT_EQ(clock->working_days, 35);
}

TEST_F(RequestRulesTest, PeriodIntoAnUnloadedYearIsFailedPrecondition) {
  EXPECT_THAT(ComputeReplyClock(*calendar_, {.clock_start = absl::CivilDay(2026, 12, 20)}).status(),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("2027")));
}

// ---- NAT-7 extension ----------------------------------------------------------------------

TEST(CheckExtensionTest, OneExtensionOfAtMostTwentyWorkingDays) {
  FieldViolations ok;
  CheckExtension(20, 0, ok);
  EXPECT_TRUE(ok.empty());
  FieldViolations too_long;
  CheckExtension(21, 0, too_long);
  EXPECT_THAT(too_long.ToStatus(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("1 to 20")));
  FieldViolations second;
  CheckExtension(5, 10, second);
  EXPECT_THAT(second.ToStatus(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("only once")));
}

// ---- NAT-8 / NAT-9 ------------------------------------------------------------------------

TEST(CheckAnswerTest, ReasonBearingOutcomeWithoutReasonIsRejected) {
  for (v1::RequestOutcome outcome :
       {v1::OUTCOME_PARTLY_DISCLOSED, v1::OUTCOME_NOT_DISCLOSED_STATE_SECRET,
        v1::OUTCOME_CANNOT_PROVIDE_NOT_HELD, v1::OUTCOME_NOT_PROCESSED_REPEAT,
        v1::OUTCOME_OTHER_FEE_NOT_PAID}) {
    FieldViolations v;
    CheckAnswer({.outcome = outcome}, v);
    EXPECT_THAT(v.ToStatus(),
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("reason: is required for")))
        << v1::RequestOutcome_Name(outcome);
  }
}

TEST(CheckAnswerTest, DisclosedNeedsNoReason) {
  FieldViolations v;
  CheckAnswer({.outcome = v1::OUTCOME_DISCLOSED}, v);
  EXPECT_TRUE(v.empty());
}

TEST(CheckAnswerTest, AlreadyPublicMustNameTheDocument) {
  FieldViolations v;
  CheckAnswer({.outcome = v1::OUTCOME_ALREADY_PUBLIC}, v);
  EXPECT_THAT(Fields(v.ToStatus()), ::testing::ElementsAre("already_public_document_id"));
}

// NAT-8: "already public" says where — a catalog document or an outside publication.
TEST(CheckAnswerTest, Nat8AlreadyPublicMayPointAtAnOutsidePublication) {
  FieldViolations gazette;
  CheckAnswer({.outcome = v1::OUTCOME_ALREADY_PUBLIC,
               .already_public_reference = "《南宁市人民政府公报》2026年第3期"},
              gazette);
  EXPECT_TRUE(gazette.empty());
  FieldViolations both;
  CheckAnswer({.outcome = v1::OUTCOME_ALREADY_PUBLIC,
               .already_public_document_id = 7,
               .already_public_reference = "https://www.gov.cn/zhengce/"},
              both);
  EXPECT_THAT(Fields(both.ToStatus()), ::testing::ElementsAre("already_public_reference"));
  FieldViolations elsewhere;
  CheckAnswer({.outcome = v1::OUTCOME_DISCLOSED, .already_public_reference = "公报"}, elsewhere);
  EXPECT_THAT(Fields(elsewhere.ToStatus()), ::testing::ElementsAre("already_public_reference"));
}

// NAT-8: "does not exist" is an outcome of its own and states its reason.
TEST(CheckAnswerTest, Nat8DoesNotExistNeedsItsReason) {
  FieldViolations bare;
  CheckAnswer({.outcome = v1::OUTCOME_DOES_NOT_EXIST}, bare);
  EXPECT_THAT(Fields(bare.ToStatus()), ::testing::ElementsAre("reason"));
  FieldViolations stated;
  CheckAnswer({.outcome = v1::OUTCOME_DOES_NOT_EXIST, .reason = "经检索，该政府信息不存在"},
              stated);
  EXPECT_TRUE(stated.empty());
}

// NAT-8 (Art. 36(7)): records governed by other laws name that law, and only they do.
TEST(CheckAnswerTest, Nat8GovernedByOtherLawNamesTheLaw) {
  FieldViolations unnamed;
  CheckAnswer({.outcome = v1::OUTCOME_GOVERNED_BY_OTHER_LAW, .reason = "属于不动产登记资料"},
              unnamed);
  EXPECT_THAT(unnamed.ToStatus(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("governing_law")));
  FieldViolations named;
  CheckAnswer({.outcome = v1::OUTCOME_GOVERNED_BY_OTHER_LAW,
               .reason = "属于不动产登记资料，请依照该条例向登记机构申请查询",
               .governing_law = "《不动产登记暂行条例》"},
              named);
  EXPECT_TRUE(named.empty());
  FieldViolations misplaced;
  CheckAnswer({.outcome = v1::OUTCOME_DISCLOSED, .governing_law = "《不动产登记暂行条例》"},
              misplaced);
  EXPECT_THAT(Fields(misplaced.ToStatus()), ::testing::ElementsAre("governing_law"));
}

TEST(CheckAnswerTest, OnlyNotHeldMayNameTheHolder) {
  FieldViolations held;
  CheckAnswer({.outcome = v1::OUTCOME_CANNOT_PROVIDE_NOT_HELD,
               .reason = "本机关不掌握",
               .holder_name = "市自然资源局"},
              held);
  EXPECT_TRUE(held.empty());
  FieldViolations disclosed;
  CheckAnswer({.outcome = v1::OUTCOME_DISCLOSED, .holder_name = "市自然资源局"}, disclosed);
  EXPECT_THAT(Fields(disclosed.ToStatus()), ::testing::ElementsAre("holder_name"));
}

TEST(CheckAnswerTest, FeeOnlyWithInformationProvidedAndOneMethod) {
  FieldViolations refused;
  CheckAnswer({.outcome = v1::OUTCOME_NOT_DISCLOSED_STATE_SECRET,
               .reason = "国家秘密",
               .fee_method = v1::FEE_BY_COUNT},
              refused);
  EXPECT_THAT(Fields(refused.ToStatus()), ::testing::ElementsAre("fee_method"));
  FieldViolations both;
  CheckAnswer({.outcome = v1::OUTCOME_DISCLOSED, .fee_method = v1::FEE_BY_COUNT, .fee_pages = 40},
              both);
  EXPECT_THAT(both.ToStatus(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("never both")));
  FieldViolations no_pages;
  CheckAnswer({.outcome = v1::OUTCOME_DISCLOSED, .fee_method = v1::FEE_BY_PAGES}, no_pages);
  EXPECT_THAT(Fields(no_pages.ToStatus()), ::testing::ElementsAre("fee_pages"));
}

TEST(CheckAnswerTest, UnknownOutcomeIsRejected) {
  FieldViolations v;
  CheckAnswer({.outcome = static_cast<v1::RequestOutcome>(99)}, v);
  EXPECT_THAT(Fields(v.ToStatus()), ::testing::Contains("outcome"));
}

}  // namespace
}  // namespace gongkai::catalog::requests
