// Unit tests of the consultation rules (consultation_rules.h) on the rule sets the
// service ships (rules/*.json, embedded) and the built-in working-day calendar.
#include "services/consultation/consultation_rules.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <random>

#include "absl/strings/str_cat.h"
#include "libs/calendar/testing/builtin_through.h"
#include "libs/rules/embedded_rule_sets.h"
#include "libs/status/errors.h"
#include "services/consultation/statement_delivery.h"

namespace gongkai::consultation {
namespace {

using ::testing::HasSubstr;

std::shared_ptr<rules::RuleBook> Book() {
  absl::StatusOr<std::shared_ptr<rules::RuleBook>> book =
      rules::NewRuleBook(ConsultationRuleSchemas(), "");
  EXPECT_TRUE(book.ok()) << book.status();
  return *book;
}

std::shared_ptr<calendar::WorkingDayCalendar> Calendar() {
  absl::StatusOr<std::shared_ptr<calendar::WorkingDayCalendar>> cal =
      calendar::testing::BuiltinCalendarThrough(2026);  // 2027 unloaded (NAT-1).
  EXPECT_TRUE(cal.ok()) << cal.status();
  return *cal;
}

class ConsultationRulesTest : public ::testing::Test {
 protected:
  std::shared_ptr<rules::RuleBook> book_ = Book();
  std::shared_ptr<calendar::WorkingDayCalendar> calendar_ = Calendar();
};

TEST_F(ConsultationRulesTest, Nat11MajorDecisionIsOpenAtLeastThirtyCalendarDays) {
  absl::StatusOr<CommentPeriod> period = ComputeCommentPeriod(
      *book_, *calendar_, v1::MAJOR_ADMINISTRATIVE_DECISION, absl::CivilDay(2025, 6, 9), 30, "");
  ASSERT_TRUE(period.ok()) << period.status();
  EXPECT_EQ(period->deadline.due, absl::CivilDay(2025, 7, 9));
  EXPECT_FALSE(period->deadline.working_days);
  EXPECT_EQ(period->rule.Explain(),
            "consultation.periods v1 (2020-01-01) major_decision.min_calendar_days = 30 calendar "
            "days (NAT-11)");
}

TEST_F(ConsultationRulesTest, Nat11MajorDecisionPeriodEndingOnAWeekendMovesToMonday) {
  // 2025-06-05 (Thursday) + 30 days = 2025-07-05, a Saturday.
  absl::StatusOr<CommentPeriod> period = ComputeCommentPeriod(
      *book_, *calendar_, v1::MAJOR_ADMINISTRATIVE_DECISION, absl::CivilDay(2025, 6, 5), 30, "");
  ASSERT_TRUE(period.ok()) << period.status();
  EXPECT_EQ(period->deadline.nominal_end, absl::CivilDay(2025, 7, 5));
  EXPECT_EQ(period->deadline.due, absl::CivilDay(2025, 7, 7));
}

TEST_F(ConsultationRulesTest, Nat11ShorterMajorDecisionPeriodNeedsAReason) {
  absl::Status missing = ComputeCommentPeriod(*book_, *calendar_, v1::MAJOR_ADMINISTRATIVE_DECISION,
                                              absl::CivilDay(2025, 6, 9), 29, " ")
                             .status();
  EXPECT_EQ(missing.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(missing.message(), HasSubstr("major_decision.min_calendar_days = 30"));
  ASSERT_EQ(FieldViolationsOf(missing).size(), 1u);
  EXPECT_EQ(FieldViolationsOf(missing)[0].field, "consultation.shortening_reason");

  absl::StatusOr<CommentPeriod> shortened =
      ComputeCommentPeriod(*book_, *calendar_, v1::MAJOR_ADMINISTRATIVE_DECISION,
                           absl::CivilDay(2025, 6, 9), 10, "防汛应急，须在汛期前出台");
  ASSERT_TRUE(shortened.ok()) << shortened.status();
  EXPECT_EQ(shortened->rule.key, kMajorDecisionShortenedRule);
  EXPECT_EQ(shortened->deadline.due, absl::CivilDay(2025, 6, 19));

  absl::Status too_short =
      ComputeCommentPeriod(*book_, *calendar_, v1::MAJOR_ADMINISTRATIVE_DECISION,
                           absl::CivilDay(2025, 6, 9), 6, "紧急")
          .status();
  EXPECT_EQ(too_short.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(too_short.message(), HasSubstr("shortened_min_calendar_days = 7"));
}

TEST_F(ConsultationRulesTest, Nat11NormativeDocumentIsOpenAtLeastSevenWorkingDays) {
  // Monday 2025-06-09 + 7 working days (the start day not counted, NAT-3): Wed 06-18.
  absl::StatusOr<CommentPeriod> period = ComputeCommentPeriod(
      *book_, *calendar_, v1::NORMATIVE_DOCUMENT, absl::CivilDay(2025, 6, 9), 7, "");
  ASSERT_TRUE(period.ok()) << period.status();
  EXPECT_EQ(period->deadline.due, absl::CivilDay(2025, 6, 18));
  EXPECT_TRUE(period->deadline.working_days);
  EXPECT_THAT(period->rule.Explain(), HasSubstr("normative_document.min_working_days = 7"));

  // A shortening reason does not shorten a normative document's period.
  absl::Status too_short = ComputeCommentPeriod(*book_, *calendar_, v1::NORMATIVE_DOCUMENT,
                                                absl::CivilDay(2025, 6, 9), 6, "紧急")
                               .status();
  EXPECT_EQ(too_short.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(too_short.message(), HasSubstr("(NAT-11)"));
}

TEST_F(ConsultationRulesTest, Nat11NormativeDocumentPeriodSkipsTheNationalDayHolidays) {
  // 2025-09-30 + 7 working days: 10-01..10-08 are holidays, 10-11 an adjusted working day.
  absl::StatusOr<CommentPeriod> period = ComputeCommentPeriod(
      *book_, *calendar_, v1::NORMATIVE_DOCUMENT, absl::CivilDay(2025, 9, 30), 7, "");
  ASSERT_TRUE(period.ok()) << period.status();
  EXPECT_GT(period->deadline.due, absl::CivilDay(2025, 10, 14));
  EXPECT_FALSE(period->deadline.SkippedDays().empty());
}

// NAT-1: every December, until the State Council's notice for the next year is loaded, a
// period reaching that year has no last day yet. The consultation is accepted and stays
// open; it is never refused, and no last day is guessed.
TEST_F(ConsultationRulesTest, Nat1MajorDecisionReachingAYearNotLoadedIsPendingNotRefused) {
  ASSERT_FALSE(calendar_->Year(2027).ok()) << "the test needs 2027 not loaded";
  absl::StatusOr<CommentPeriod> period = ComputeCommentPeriod(
      *book_, *calendar_, v1::MAJOR_ADMINISTRATIVE_DECISION, absl::CivilDay(2026, 12, 7), 30, "");
  ASSERT_TRUE(period.ok()) << period.status();
  EXPECT_TRUE(period->pending);
  EXPECT_EQ(period->deadline.start, absl::CivilDay(2026, 12, 7));
  EXPECT_EQ(period->deadline.n, 30);
  EXPECT_EQ(period->deadline.nominal_end, absl::CivilDay(2027, 1, 6));
  EXPECT_THAT(period->rule.Explain(), HasSubstr("major_decision.min_calendar_days = 30"));

  const common::v1::DeadlineExplanation explained = ExplainCommentPeriod(*period, "");
  EXPECT_FALSE(explained.has_due());
  EXPECT_EQ(explained.nominal_end().year(), 2027);
  EXPECT_THAT(explained.text(), HasSubstr("至 2027-01-06"));
  EXPECT_THAT(explained.text(), HasSubstr("届满日待载入后计算"));
  EXPECT_THAT(explained.text(), HasSubstr("依据规则：consultation.periods v1"));

  // Open from its first day, whatever the date, until a last day is computed.
  v1::Consultation pending;
  absl::StatusOr<absl::CivilDay> closes_on = ClosingDayOf(pending);
  ASSERT_TRUE(closes_on.ok());
  EXPECT_EQ(*closes_on, PendingClosingDay());
  EXPECT_EQ(StateOn(absl::CivilDay(2027, 3, 1), absl::CivilDay(2026, 12, 7), *closes_on, false),
            v1::OPEN);
}

TEST_F(ConsultationRulesTest, Nat1NormativeDocumentReachingAYearNotLoadedIsPending) {
  // 2026-12-28 + 7 working days reaches January 2027: no nominal end without the calendar.
  absl::StatusOr<CommentPeriod> period = ComputeCommentPeriod(
      *book_, *calendar_, v1::NORMATIVE_DOCUMENT, absl::CivilDay(2026, 12, 28), 7, "");
  ASSERT_TRUE(period.ok()) << period.status();
  EXPECT_TRUE(period->pending);
  EXPECT_TRUE(period->deadline.working_days);
  const common::v1::DeadlineExplanation explained = ExplainCommentPeriod(*period, "");
  EXPECT_FALSE(explained.has_due());
  EXPECT_FALSE(explained.has_nominal_end());
  EXPECT_THAT(explained.text(), HasSubstr("起算 7 个工作日"));

  // Below the minimum is still refused at once: pending is about the calendar only.
  EXPECT_EQ(ComputeCommentPeriod(*book_, *calendar_, v1::NORMATIVE_DOCUMENT,
                                 absl::CivilDay(2026, 12, 28), 6, "")
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(ConsultationRulesTest, Con1ScopeIsConfiguredPerLevelAndDomain) {
  const absl::CivilDay day(2025, 6, 9);
  absl::StatusOr<ScopeAnswer> city =
      ConsultationRequired(*book_, day, "city", v1::WELFARE_POLICIES, "education");
  ASSERT_TRUE(city.ok()) << city.status();
  EXPECT_TRUE(city->required);
  EXPECT_THAT(city->rule.Explain(), HasSubstr("required.city"));
  EXPECT_THAT(city->rule.Explain(), HasSubstr("(CON-1)"));

  absl::StatusOr<ScopeAnswer> township =
      ConsultationRequired(*book_, day, "township", v1::RULES_AND_MAJOR_POLICIES, "");
  ASSERT_TRUE(township.ok());
  EXPECT_FALSE(township->required);

  // "major_construction_projects@transport": departments consult on transport projects only.
  absl::StatusOr<ScopeAnswer> transport =
      ConsultationRequired(*book_, day, "department", v1::MAJOR_CONSTRUCTION_PROJECTS, "transport");
  absl::StatusOr<ScopeAnswer> water =
      ConsultationRequired(*book_, day, "department", v1::MAJOR_CONSTRUCTION_PROJECTS, "water");
  ASSERT_TRUE(transport.ok() && water.ok());
  EXPECT_TRUE(transport->required);
  EXPECT_FALSE(water->required);
}

TEST_F(ConsultationRulesTest, Con1ScopeNamingAnUnknownCategoryIsBadData) {
  absl::StatusOr<rules::RuleSet> set = book_->ParseJson(R"({
    "name": "consultation.scope", "version": 2, "effective_from": "2025-01-01",
    "basis": "a test version",
    "rules": {"required.city": {"value": "welfare_policies,space_travel"},
              "required.county": {"value": "none"}, "required.department": {"value": "none"},
              "required.township": {"value": "none"}}})");
  ASSERT_TRUE(set.ok()) << set.status();
  ASSERT_TRUE(book_->Put(*std::move(set)).ok());
  absl::Status bad =
      ConsultationRequired(*book_, absl::CivilDay(2025, 6, 9), "city", v1::ANNUAL_PLANS, "")
          .status();
  EXPECT_EQ(bad.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(bad.message(), HasSubstr("space_travel"));
  // The version before it still answers for days before 2025.
  EXPECT_TRUE(ConsultationRequired(*book_, absl::CivilDay(2024, 6, 3), "city", v1::ANNUAL_PLANS, "")
                  ->required);
}

TEST(ConsultationStateTest, Con2OpensAndClosesByTheClock) {
  const absl::CivilDay opens(2025, 6, 9), closes(2025, 7, 9);
  EXPECT_EQ(StateOn(absl::CivilDay(2025, 6, 8), opens, closes, false), v1::SCHEDULED);
  EXPECT_EQ(StateOn(opens, opens, closes, false), v1::OPEN);
  EXPECT_EQ(StateOn(closes, opens, closes, false), v1::OPEN);
  EXPECT_EQ(StateOn(closes + 1, opens, closes, false), v1::CLOSED);
  EXPECT_EQ(StateOn(closes + 1, opens, closes, true), v1::CONCLUDED);
  // The end of 2025-07-09 in Asia/Shanghai is 16:00 UTC.
  EXPECT_EQ(ClosingTime(closes),
            absl::FromCivil(absl::CivilSecond(2025, 7, 9, 16, 0, 0), absl::UTCTimeZone()));
}

TEST_F(ConsultationRulesTest, Con2HearingNoticeIsCountedBackwardsFromTheDate) {
  absl::StatusOr<NoticeDue> hearing = ComputeNoticeDue(
      *book_, v1::KIND_HEARING, absl::CivilDay(2025, 7, 20), absl::CivilDay(2025, 6, 9));
  ASSERT_TRUE(hearing.ok()) << hearing.status();
  EXPECT_EQ(hearing->due, absl::CivilDay(2025, 7, 5));
  EXPECT_THAT(hearing->explanation, HasSubstr("hearing.notice_calendar_days = 15 calendar days"));
  absl::StatusOr<NoticeDue> symposium = ComputeNoticeDue(
      *book_, v1::KIND_SYMPOSIUM, absl::CivilDay(2025, 7, 20), absl::CivilDay(2025, 6, 9));
  ASSERT_TRUE(symposium.ok());
  EXPECT_EQ(symposium->due, absl::CivilDay(2025, 7, 15));
}

TEST(CommentGroupingTest, Con3NormalizationIgnoresPunctuationSpacesAndWidth) {
  EXPECT_EQ(NormalizeForGrouping("同意！ 同意。"), "同意同意");
  EXPECT_EQ(NormalizeForGrouping("  Ｂus 线路，请保留!!"), "bus线路请保留");
  EXPECT_EQ(NormalizeForGrouping("！？。"), "");
  EXPECT_EQ(SimHash(NormalizeForGrouping("反对拆除老街，保留历史风貌！")),
            SimHash(NormalizeForGrouping("反对拆除老街 保留历史风貌")));
}

TEST(CommentGroupingTest, Con3NearIdenticalTextsAreCloseAndOthersFar) {
  const std::string campaign =
      "我们坚决反对在青秀山脚下修建高架桥，这将破坏自然景观、增加噪音污染，"
      "影响周边数万居民的日常生活，请市政府充分听取群众意见，改为地下通道方案或另选线路。";
  const std::string variant =
      "我们坚决反对在青秀山脚下修建高架桥，这将破坏自然景观、增加噪声污染，"
      "影响周边数万居民的日常生活，请市政府充分听取群众意见，改为地下通道方案或另选线路。";
  const std::string other = "建议在公交站增设遮阳棚和座椅，方便老年人候车。";
  const uint64_t a = SimHash(NormalizeForGrouping(campaign));
  const uint64_t b = SimHash(NormalizeForGrouping(variant));
  const uint64_t c = SimHash(NormalizeForGrouping(other));
  EXPECT_LE(HammingDistance(a, b), kMaxGroupingDistance);
  EXPECT_GT(HammingDistance(a, c), kMaxGroupingDistance);
}

TEST(CommentGroupingTest, Con3FingerprintsWithinTheMaximumDistanceShareABand) {
  std::mt19937_64 random(7);
  for (int trial = 0; trial < 2000; ++trial) {
    const uint64_t a = random();
    uint64_t b = a;
    for (int flips = static_cast<int>(random() % (kMaxGroupingDistance + 1)); flips > 0; --flips) {
      b ^= uint64_t{1} << (random() % 64);
    }
    const std::array<int64_t, kBands> x = Bands(a), y = Bands(b);
    bool shared = false;
    for (int i = 0; i < kBands; ++i) shared = shared || x[i] == y[i];
    EXPECT_TRUE(shared) << a << " " << b;
  }
}

TEST(StatementDeliveryTest, Con3EventKeyNamesTheMeetingAndTheConsultation) {
  const std::string key = StatementEventKey(12, 345);
  EXPECT_EQ(key, "feedback-statement/12/345");
  std::optional<StatementEventIds> ids = ParseStatementEventKey(key);
  ASSERT_TRUE(ids.has_value());
  EXPECT_EQ(ids->meeting_id, 12);
  EXPECT_EQ(ids->consultation_id, 345);
  EXPECT_FALSE(ParseStatementEventKey("document-published/12").has_value());
  EXPECT_FALSE(ParseStatementEventKey("feedback-statement/12").has_value());
  EXPECT_FALSE(ParseStatementEventKey("feedback-statement/x/1").has_value());
  EXPECT_FALSE(ParseStatementEventKey("feedback-statement/0/1").has_value());
}

TEST(StatementDeliveryTest, Con3CatalogDocumentListsEveryEntryAndNamesTheMeetingPlan) {
  v1::MeetingPlan meeting;
  meeting.set_id(7);
  meeting.set_unit_id(3);
  meeting.set_title("市政府常务会议");
  meeting.mutable_meeting_on()->set_year(2025);
  meeting.mutable_meeting_on()->set_month(7);
  meeting.mutable_meeting_on()->set_day(20);
  v1::FeedbackStatement statement;
  statement.set_title("关于《某方案》公开征求意见采纳情况的说明");
  statement.set_comment_count(5);
  statement.set_adopted_count(4);
  statement.set_not_adopted_count(1);
  v1::FeedbackEntry* campaign = statement.add_entries();
  campaign->set_commenters("匿名（4人）");
  campaign->set_member_count(4);
  campaign->set_comment("同意。");
  campaign->set_decision(v1::ADOPTED);
  v1::FeedbackEntry* other = statement.add_entries();
  other->set_commenters("王五");
  other->set_member_count(1);
  other->set_comment("不同意。");
  other->set_decision(v1::NOT_ADOPTED);
  other->set_reason("与法规不符");
  const catalog::v1::CreateDocumentRequest request =
      StatementDocumentRequest(meeting, statement, "feedback-statement/7/9");
  EXPECT_EQ(request.request_id(), "feedback-statement/7/9");
  EXPECT_EQ(request.document().title(), statement.title());
  EXPECT_EQ(request.document().drafting_unit_id(), 3);
  EXPECT_EQ(request.document().disclosure_attribute(), catalog::v1::PROACTIVE);
  EXPECT_FALSE(request.document().is_policy_document());
  const std::string& body = request.document().body();
  EXPECT_THAT(body, HasSubstr("本说明附于会议方案《市政府常务会议》（2025年7月20日"));
  EXPECT_THAT(body, HasSubstr("共收到意见 5 条，其中采纳 4 条"));
  EXPECT_THAT(body, HasSubstr("同类意见 4 条"));
  EXPECT_THAT(body, HasSubstr("处理：未采纳。理由：与法规不符"));
  // A statement too long for one document lists what fits and says how many remain.
  const catalog::v1::CreateDocumentRequest cut =
      StatementDocumentRequest(meeting, statement, "k", body.size() - 10);
  EXPECT_THAT(cut.document().body(), HasSubstr("另有 1 项意见"));
  EXPECT_LT(cut.document().body().size(), body.size() + 100);
}

}  // namespace
}  // namespace gongkai::consultation
