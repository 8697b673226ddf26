// Unit tests of the consultation domain (consultations.h) over the repository's test
// double: what the domain decides before and around the storage, with an injected
// clock. The storage itself is tested on MariaDB (tests/integration/consultation/).
#include "services/consultation/consultations.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "libs/calendar/testing/builtin_through.h"
#include "libs/protoconv/protoconv.h"
#include "libs/rules/embedded_rule_sets.h"
#include "libs/status/errors.h"
#include "services/consultation/comment_indexer.h"
#include "services/consultation/consultation_rules.h"
#include "services/consultation/mock_consultation_repository.h"
#include "services/consultation/statement_delivery.h"

namespace gongkai::consultation {
namespace {

using ::testing::_;
using ::testing::HasSubstr;
using ::testing::Return;

constexpr int64_t kUnit = 5;
constexpr int64_t kConsultation = 42;

absl::Time At(absl::CivilDay day, int hour) {
  return absl::FromCivil(absl::CivilSecond(day.year(), day.month(), day.day(), hour, 0, 0),
                         absl::FixedTimeZone(8 * 3600));
}

class ConsultationsUnitTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::shared_ptr<rules::RuleBook>> book =
        rules::NewRuleBook(ConsultationRuleSchemas(), "");
    ASSERT_TRUE(book.ok()) << book.status();
    absl::StatusOr<std::shared_ptr<calendar::WorkingDayCalendar>> cal =
        calendar::testing::BuiltinCalendarThrough(2026);  // 2027 unloaded (NAT-1).
    ASSERT_TRUE(cal.ok()) << cal.status();
    calendar_ = *cal;
    book_ = *book;
    consultations_ = std::make_unique<Consultations>(
        &repository_, *cal, *book, &clock_,
        [](int64_t id) -> absl::StatusOr<UnitFacts> {
          return UnitFacts{id, "city"};
        },
        absl::Seconds(1));
    stored_.set_id(kConsultation);
    stored_.set_unit_id(kUnit);
    stored_.set_title("方案");
    *stored_.mutable_opens_on() = ToProtoDate(absl::CivilDay(2025, 6, 9));
    *stored_.mutable_closes_on() = ToProtoDate(absl::CivilDay(2025, 7, 9));
  }

  v1::PostCommentRequest Post(const std::string& text, const std::string& request_id = "") {
    v1::PostCommentRequest r;
    r.set_consultation_id(kConsultation);
    r.set_text(text);
    r.set_request_id(request_id);
    return r;
  }
  static auth::Principal Staff() { return {"staff", kUnit, {auth::Role::kStaff}, {}}; }

  FakeClock clock_{At(absl::CivilDay(2025, 6, 10), 10)};
  ::testing::StrictMock<MockConsultationRepository> repository_;
  std::shared_ptr<calendar::WorkingDayCalendar> calendar_;
  std::shared_ptr<rules::RuleBook> book_;
  std::unique_ptr<Consultations> consultations_;
  v1::Consultation stored_;
};

// Speed (docs/performance.md): a comment reads no consultation row while the window is
// fresh, and the state is still the clock's.
TEST_F(ConsultationsUnitTest, Con3CommentsReuseTheConsultationWindowForASecond) {
  EXPECT_CALL(repository_, GetConsultation(kConsultation)).Times(2).WillRepeatedly(Return(stored_));
  EXPECT_CALL(repository_, PostComment(_, _, _))
      .Times(4)
      .WillRepeatedly([](const NewComment& n, const idempotency::Key* key, absl::Time) {
        EXPECT_EQ(key, nullptr);  // No request id: nothing to store.
        EXPECT_EQ(n.per_client_limit, 50);
        EXPECT_THAT(n.limit_rule, HasSubstr("comment.per_client_per_day"));
        v1::Comment c = n.comment;
        c.set_id(1);
        return c;
      });
  const auth::Principal anyone = auth::Principal::Anonymous();
  ASSERT_TRUE(consultations_->PostComment(anyone, Post("加装电梯"), "10.0.0.1").ok());
  clock_.Advance(absl::Milliseconds(500));
  ASSERT_TRUE(consultations_->PostComment(anyone, Post("加装电梯"), "10.0.0.1").ok());
  clock_.Advance(absl::Milliseconds(600));  // Older than a second: read again.
  ASSERT_TRUE(consultations_->PostComment(anyone, Post("加装电梯"), "10.0.0.1").ok());
  ASSERT_TRUE(consultations_->PostComment(anyone, Post("加装电梯"), "10.0.0.1").ok());
  // The last day ends at midnight by the clock, whatever the cache holds.
  clock_.Set(At(absl::CivilDay(2025, 7, 10), 0));
  EXPECT_CALL(repository_, GetConsultation(kConsultation)).WillOnce(Return(stored_));
  absl::StatusOr<v1::Comment> late = consultations_->PostComment(anyone, Post("晚了"), "10.0.0.1");
  EXPECT_EQ(late.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(late.status().message(), HasSubstr("closed at 2025-07-10 00:00"));
}

// No read before the write: a retry is answered from the idempotency record after the
// insert found its key taken, and a retry after closing still gets the first answer.
TEST_F(ConsultationsUnitTest, Con3RetryIsAnsweredByTheUniqueKeyNotByAReadBefore) {
  v1::Comment first;
  first.set_id(9);
  first.set_consultation_id(kConsultation);
  first.set_text("同意");
  EXPECT_CALL(repository_, GetConsultation(kConsultation)).WillRepeatedly(Return(stored_));
  EXPECT_CALL(repository_, PostComment(_, ::testing::NotNull(), _))
      .WillOnce(Return(absl::AlreadyExistsError("idempotency key taken")));
  EXPECT_CALL(repository_, FindIdempotentResponse(_))
      .Times(2)
      .WillRepeatedly(Return(std::optional<std::string>(first.SerializeAsString())));
  const auth::Principal anyone = auth::Principal::Anonymous();
  absl::StatusOr<v1::Comment> retried =
      consultations_->PostComment(anyone, Post("同意", "r-1"), "10.0.0.2");
  ASSERT_TRUE(retried.ok()) << retried.status();
  EXPECT_EQ(retried->id(), 9);
  clock_.Set(At(absl::CivilDay(2025, 7, 11), 9));
  absl::StatusOr<v1::Comment> after_close =
      consultations_->PostComment(anyone, Post("同意", "r-1"), "10.0.0.2");
  ASSERT_TRUE(after_close.ok()) << after_close.status();
  EXPECT_EQ(after_close->id(), 9);
}

TEST_F(ConsultationsUnitTest, Con3SearchWithoutATermIsBadInputAndReadsNothing) {
  v1::SearchCommentsRequest r;
  r.set_consultation_id(kConsultation);
  r.set_query("，。！");
  absl::StatusOr<v1::ListCommentsResponse> found = consultations_->SearchComments(Staff(), r);
  EXPECT_EQ(found.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(ConsultationsUnitTest, Con3GroupsAreFinalOnceTheStatementIsPublished) {
  v1::Comment comment;
  comment.set_id(3);
  comment.set_consultation_id(kConsultation);
  comment.set_text("同意");
  EXPECT_CALL(repository_, GetComment(3)).WillOnce(Return(comment));
  EXPECT_CALL(repository_, GetConsultation(kConsultation)).WillOnce(Return(stored_));
  EXPECT_CALL(repository_, GetStatement(kConsultation))
      .WillOnce(Return(std::optional<v1::FeedbackStatement>(v1::FeedbackStatement())));
  v1::UngroupCommentRequest r;
  r.set_id(3);
  r.set_group_version(1);
  absl::StatusOr<v1::Comment> moved = consultations_->UngroupComment(Staff(), r);
  EXPECT_EQ(moved.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(moved.status().message(), HasSubstr("published"));
}

// CON-3: attaching enqueues the catalog document for this meeting and consultation.
TEST_F(ConsultationsUnitTest, Con3AttachingEnqueuesTheStatementForTheCatalog) {
  v1::MeetingPlan meeting;
  meeting.set_id(8);
  meeting.set_unit_id(kUnit);
  meeting.set_title("常务会议");
  meeting.set_version(2);
  *meeting.mutable_meeting_on() = ToProtoDate(absl::CivilDay(2025, 7, 20));
  v1::FeedbackStatement statement;
  statement.set_consultation_id(kConsultation);
  statement.set_title("关于《方案》公开征求意见采纳情况的说明");
  EXPECT_CALL(repository_, GetMeeting(8)).WillOnce(Return(meeting));
  EXPECT_CALL(repository_, GetConsultation(kConsultation)).WillOnce(Return(stored_));
  EXPECT_CALL(repository_, GetStatement(kConsultation))
      .WillOnce(Return(std::optional<v1::FeedbackStatement>(statement)));
  EXPECT_CALL(repository_, AttachStatement(8, 2, kConsultation, _, _, _))
      .WillOnce([&](int64_t, int64_t, int64_t, const v1::FeedbackStatement&,
                    const outbox::OutboxEvent& event, absl::Time) {
        EXPECT_EQ(event.topic, kStatementAttachedTopic);
        EXPECT_EQ(event.destination, "catalog");
        EXPECT_EQ(event.event_key, "feedback-statement/8/42");
        catalog::v1::CreateDocumentRequest document;
        EXPECT_TRUE(document.ParseFromString(event.payload));
        EXPECT_EQ(document.request_id(), event.event_key);
        EXPECT_EQ(document.document().drafting_unit_id(), kUnit);
        return meeting;
      });
  v1::AttachFeedbackStatementRequest r;
  r.set_id(8);
  r.set_consultation_id(kConsultation);
  r.set_version(2);
  ASSERT_TRUE(consultations_->AttachFeedbackStatement(Staff(), r).ok());
}

// NAT-1: a consultation whose period reached a year not loaded yet is stored without a
// closing day; each calendar change tries again, and the year's arrival gives it one.
TEST_F(ConsultationsUnitTest, Nat1PendingClosingDayIsComputedOnceItsYearIsLoaded) {
  absl::StatusOr<CommentPeriod> period = ComputeCommentPeriod(
      *book_, *calendar_, v1::MAJOR_ADMINISTRATIVE_DECISION, absl::CivilDay(2026, 12, 7), 30, "");
  ASSERT_TRUE(period.ok()) << period.status();
  ASSERT_TRUE(period->pending);
  v1::Consultation pending = stored_;
  pending.clear_closes_on();
  *pending.mutable_period_explanation() = ExplainCommentPeriod(*period, "");
  const auto never = [] { return false; };

  EXPECT_CALL(repository_, ListClosingFrom(_, 0, _))
      .WillOnce(Return(std::vector<v1::Consultation>{pending}));
  absl::StatusOr<int> unchanged = consultations_->RecomputeClosingDays(never);
  ASSERT_TRUE(unchanged.ok()) << unchanged.status();
  EXPECT_EQ(*unchanged, 0);

  // Test data, not a real notice: 2027 with 01-01 and 01-06 off, so the nominal end
  // (2027-01-06) moves to the next working day (NAT-3).
  ASSERT_TRUE(
      calendar_
          ->LoadYear(calendar::testing::TestYear(
              2027, {{absl::CivilDay(2027, 1, 1), "元旦"}, {absl::CivilDay(2027, 1, 6), "测试"}}))
          .ok());
  EXPECT_CALL(repository_, ListClosingFrom(_, 0, _))
      .WillOnce(Return(std::vector<v1::Consultation>{pending}));
  EXPECT_CALL(repository_, UpdatePeriod(kConsultation, absl::CivilDay(2027, 1, 7), _))
      .WillOnce([](int64_t, absl::CivilDay,
                   const common::v1::DeadlineExplanation& explained) -> absl::Status {
        EXPECT_EQ(explained.due().day(), 7);
        EXPECT_EQ(explained.calendars_size(), 1);  // The days examined: 2027's.
        if (explained.calendars_size() > 0) {
          EXPECT_EQ(explained.calendars(0).version(), "test-2027.1");
        }
        EXPECT_THAT(explained.text(), HasSubstr("依据规则：consultation.periods v1"));
        EXPECT_THAT(explained.text(), ::testing::Not(HasSubstr("待载入")));
        return absl::OkStatus();
      });
  absl::StatusOr<int> changed = consultations_->RecomputeClosingDays(never);
  ASSERT_TRUE(changed.ok()) << changed.status();
  EXPECT_EQ(*changed, 1);
}

// NAT-1: an amended notice that moves a computed last day into a year not loaded makes
// the period pending again; it never keeps a day the calendar no longer gives.
TEST_F(ConsultationsUnitTest, Nat1ReplacedYearMovingTheLastDayIntoAYearNotLoadedMakesItPending) {
  // 2026-11-20 + 30 days = Sunday 2026-12-20, moved to Monday 12-21.
  absl::StatusOr<CommentPeriod> period = ComputeCommentPeriod(
      *book_, *calendar_, v1::MAJOR_ADMINISTRATIVE_DECISION, absl::CivilDay(2026, 11, 20), 30, "");
  ASSERT_TRUE(period.ok()) << period.status();
  ASSERT_FALSE(period->pending);
  ASSERT_EQ(period->deadline.due, absl::CivilDay(2026, 12, 21));
  v1::Consultation computed = stored_;
  *computed.mutable_closes_on() = ToProtoDate(period->deadline.due);
  *computed.mutable_period_explanation() = ExplainCommentPeriod(*period, "");

  // Test data, not a real notice: 2026 amended with 12-21 .. 12-31 off.
  absl::StatusOr<calendar::YearCalendar> amended = calendar_->Year(2026);
  ASSERT_TRUE(amended.ok());
  amended->version = "test-2026.9";
  for (int day = 21; day <= 31; ++day) {
    amended->holidays.push_back({absl::CivilDay(2026, 12, day), "测试"});
  }
  ASSERT_TRUE(calendar_->ReplaceYear(*amended).ok()) << "amendment refused";
  EXPECT_CALL(repository_, ListClosingFrom(_, 0, _))
      .WillOnce(Return(std::vector<v1::Consultation>{computed}));
  EXPECT_CALL(repository_, UpdatePeriod(kConsultation, PendingClosingDay(), _))
      .WillOnce([](int64_t, absl::CivilDay,
                   const common::v1::DeadlineExplanation& explained) -> absl::Status {
        EXPECT_FALSE(explained.has_due());
        EXPECT_EQ(explained.nominal_end().day(), 20);
        EXPECT_THAT(explained.text(), HasSubstr("届满日待载入后计算"));
        return absl::OkStatus();
      });
  absl::StatusOr<int> changed = consultations_->RecomputeClosingDays([] { return false; });
  ASSERT_TRUE(changed.ok()) << changed.status();
  EXPECT_EQ(*changed, 1);
}

// The search indexer (comment_indexer.h): a batch claimed under one token per batch is
// stored under that token with the libs/search terms of each text; nothing claimed,
// nothing stored; a failed store is an error (the claim then expires and is taken over).
TEST(CommentIndexerTest, Con3IndexerStoresTheTermsOfWhatItClaimedUnderItsToken) {
  ::testing::StrictMock<MockConsultationRepository> repository;
  FakeClock clock{absl::FromUnixSeconds(1750000000)};
  CommentIndexer indexer(&repository, &clock,
                         {.batch = 2, .lease = absl::Seconds(30), .replica = "r1"});
  std::string claimed_as;
  EXPECT_CALL(repository, ClaimUnindexedComments(_, clock.Now(), absl::Seconds(30), 2))
      .WillOnce([&](const std::string& claim, absl::Time, absl::Duration, int) {
        claimed_as = claim;
        return std::vector<UnindexedComment>{{7, 3, "老旧小区加装电梯"}, {8, 3, "EV chargers"}};
      })
      .WillOnce(Return(std::vector<UnindexedComment>{}))
      .WillOnce(Return(std::vector<UnindexedComment>{{9, 3, "停车"}}));
  EXPECT_CALL(repository, StoreCommentTerms(_, _))
      .WillOnce([&](const std::string& claim, const std::vector<IndexedComment>& batch) {
        EXPECT_EQ(claim, claimed_as);
        EXPECT_EQ(batch.size(), 2u);
        EXPECT_EQ(batch[0].id, 7);
        EXPECT_EQ(batch[0].consultation_id, 3);
        EXPECT_THAT(batch[0].terms, ::testing::Contains("电梯"));
        EXPECT_THAT(batch[1].terms, ::testing::Contains("chargers"));
        return absl::StatusOr<int>(2);
      })
      .WillOnce(Return(absl::StatusOr<int>(absl::UnavailableError("database down"))));
  absl::StatusOr<int> first = indexer.RunOnce();
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(*first, 2);
  EXPECT_THAT(claimed_as, HasSubstr("r1-"));
  absl::StatusOr<int> none = indexer.RunOnce();  // Nothing pending: nothing stored.
  ASSERT_TRUE(none.ok()) << none.status();
  EXPECT_EQ(*none, 0);
  EXPECT_EQ(indexer.RunOnce().status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(indexer.indexed(), 2);
}

}  // namespace
}  // namespace gongkai::consultation
