// Integration tests (label: integration) of the consultation service's domain
// (services/consultation/consultations.h) over its MySQL repository on the real
// MariaDB named by GONGKAI_TEST_MYSQL_*, with an injected clock, the shipped rule sets
// and the built-in calendar. Requirement IDs are in the test names.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "gongkai/catalog/v1/catalog.pb.h"
#include "libs/calendar/testing/builtin_through.h"
#include "libs/clock/clock.h"
#include "libs/db/testing/status_matchers.h"
#include "libs/outbox/outbox.h"
#include "libs/protoconv/protoconv.h"
#include "libs/rules/embedded_rule_sets.h"
#include "libs/search/search_terms.h"
#include "libs/status/errors.h"
#include "services/consultation/comment_indexer.h"
#include "services/consultation/consultation_repository.h"
#include "services/consultation/consultation_rules.h"
#include "services/consultation/consultations.h"
#include "services/consultation/statement_delivery.h"
#include "tests/integration/repository_test_support.h"

namespace gongkai::consultation {
namespace {

using ::gongkai::db::testing::StatusIs;
using ::gongkai::integration::MigratedDatabase;
using ::testing::HasSubstr;

constexpr int64_t kCity = 1, kDepartment = 2, kTownship = 3;

// 2025-06-09 (Monday) 10:00 in Asia/Shanghai.
absl::Time At(absl::CivilDay day, int hour = 10) {
  return absl::FromCivil(absl::CivilSecond(day.year(), day.month(), day.day(), hour, 0, 0),
                         absl::FixedTimeZone(8 * 3600));
}

auth::Principal Staff(int64_t unit) {
  return {"staff-" + std::to_string(unit), unit, {auth::Role::kStaff}, {}};
}
auth::Principal Office() { return {"office-1", std::nullopt, {auth::Role::kOffice}, {}}; }
auth::Principal Public() { return auth::Principal::Anonymous(); }
auth::Principal Citizen(const std::string& sub) { return {sub, std::nullopt, {}, {}}; }

class ConsultationsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<MigratedDatabase> db = MigratedDatabase::Create("consult");
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = new MigratedDatabase(*std::move(db));
    // The service's library migrations besides idempotency: the outbox (CON-3).
    ASSERT_TRUE(db::Migrator(db_->pool.get(), {outbox::OutboxMigrationSet()}, {}).Migrate().ok());
  }
  static void TearDownTestSuite() {
    delete db_;
    db_ = nullptr;
  }

  void SetUp() override {
    ASSERT_NE(db_, nullptr);
    repository_ = NewMysqlConsultationRepository(db_->pool.get());
    absl::StatusOr<std::shared_ptr<rules::RuleBook>> book =
        rules::NewRuleBook(ConsultationRuleSchemas(), "");
    ASSERT_TRUE(book.ok()) << book.status();
    book_ = *book;
    absl::StatusOr<std::shared_ptr<calendar::WorkingDayCalendar>> cal =
        calendar::testing::BuiltinCalendarThrough(2026);  // 2027 unloaded (NAT-1).
    ASSERT_TRUE(cal.ok()) << cal.status();
    calendar_ = *cal;
    consultations_ = std::make_unique<Consultations>(
        repository_.get(), *cal, book_, &clock_, [](int64_t id) -> absl::StatusOr<UnitFacts> {
          switch (id) {
            case kCity:
              return UnitFacts{id, "city"};
            case kDepartment:
              return UnitFacts{id, "department"};
            case kTownship:
              return UnitFacts{id, "township"};
            default:
              return absl::NotFoundError(absl::StrCat("unit ", id, " does not exist"));
          }
        });
  }

  v1::CreateConsultationRequest Draft(int64_t unit, int days = 30) {
    v1::CreateConsultationRequest r;
    r.set_request_id(absl::StrCat("c-", ++sequence_));
    v1::Consultation* c = r.mutable_consultation();
    c->set_unit_id(unit);
    c->set_title("南宁市老旧小区改造三年行动计划（征求意见稿）");
    c->set_draft("第一条 为推进老旧小区改造……");
    c->set_basis("《国务院办公厅关于全面推进城镇老旧小区改造工作的指导意见》");
    c->set_category(v1::WELFARE_POLICIES);
    c->set_domain("housing");
    c->set_decision_type(v1::MAJOR_ADMINISTRATIVE_DECISION);
    c->add_methods(v1::COMMENT_SOLICITATION);
    c->add_methods(v1::HEARING);
    c->add_channels(v1::GOVERNMENT_WEBSITE);
    c->add_channels(v1::WECHAT);
    *c->mutable_opens_on() = ToProtoDate(calendar::TodayInShanghai(clock_));
    c->set_period_days(days);
    return r;
  }

  v1::Consultation Open(int64_t unit = kCity) {
    absl::StatusOr<v1::Consultation> c =
        consultations_->CreateConsultation(Staff(unit), Draft(unit));
    EXPECT_TRUE(c.ok()) << c.status();
    return *c;
  }

  absl::StatusOr<v1::Comment> Comment(const v1::Consultation& c, const std::string& text,
                                      const std::string& client = "10.0.0.1",
                                      const std::string& name = "", bool show = false) {
    v1::PostCommentRequest r;
    r.set_request_id(absl::StrCat("p-", ++sequence_));
    r.set_consultation_id(c.id());
    r.set_text(text);
    r.set_name(name);
    r.set_contact(name.empty() ? "" : "138-0000-0000");
    r.set_show_name(show);
    return consultations_->PostComment(Public(), r, client);
  }

  // Runs the search-term indexer until nothing is pending; returns how many it indexed.
  int DrainSearchBacklog() {
    CommentIndexer indexer(repository_.get(), &clock_, {.batch = 50});
    int total = 0;
    for (int round = 0; round < 1000; ++round) {
      absl::StatusOr<int> indexed = indexer.RunOnce();
      EXPECT_TRUE(indexed.ok()) << indexed.status();
      if (!indexed.ok() || *indexed == 0) break;
      total += *indexed;
    }
    return total;
  }

  int64_t Rows(const std::string& table) {
    absl::StatusOr<db::ConnectionLease> conn = db_->pool->Acquire();
    EXPECT_TRUE(conn.ok());
    absl::StatusOr<db::ResultSet> rows =
        (*conn)->Query(absl::StrCat("SELECT COUNT(*) FROM ", table));
    EXPECT_TRUE(rows.ok()) << rows.status();
    return (*rows)[0].GetInt64(0).value();
  }

  static MigratedDatabase* db_;
  FakeClock clock_{At(absl::CivilDay(2025, 6, 9))};
  std::unique_ptr<ConsultationRepository> repository_;
  std::shared_ptr<rules::RuleBook> book_;
  std::shared_ptr<calendar::WorkingDayCalendar> calendar_;
  std::unique_ptr<Consultations> consultations_;
  static int sequence_;  // Request ids stay unique across the tests of the suite.
};

int ConsultationsTest::sequence_ = 0;

MigratedDatabase* ConsultationsTest::db_ = nullptr;

TEST_F(ConsultationsTest, Nat11PeriodIsComputedAndExplainedWithItsRule) {
  v1::Consultation c = Open();
  EXPECT_EQ(c.state(), v1::OPEN);
  EXPECT_EQ(ToCivilDay(c.closes_on()).value(), absl::CivilDay(2025, 7, 9));
  EXPECT_THAT(c.period_rule(),
              HasSubstr("major_decision.min_calendar_days = 30 calendar days (NAT-11)"));
  EXPECT_THAT(c.period_explanation().text(), HasSubstr("依据规则：consultation.periods v1"));
  // CON-1: welfare policies require consultation at city level.
  EXPECT_TRUE(c.consultation_required());
  EXPECT_THAT(c.scope_rule(), HasSubstr("required.city"));
}

TEST_F(ConsultationsTest, Nat11ShortPeriodWithoutReasonIsRefusedAndWritesNothing) {
  const int64_t before = Rows("consultations");
  v1::CreateConsultationRequest r = Draft(kCity, 20);
  EXPECT_THAT(consultations_->CreateConsultation(Staff(kCity), r),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("NAT-11")));
  EXPECT_EQ(Rows("consultations"), before);
  r.mutable_consultation()->set_shortening_reason("台风季前必须完成排险改造");
  absl::StatusOr<v1::Consultation> c = consultations_->CreateConsultation(Staff(kCity), r);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_THAT(c->period_explanation().text(),
              HasSubstr("缩短期限的理由：台风季前必须完成排险改造"));
  EXPECT_EQ(Rows("consultations"), before + 1);
}

TEST_F(ConsultationsTest, CreateIsIdempotentAndScopedToTheUnit) {
  v1::CreateConsultationRequest r = Draft(kCity);
  absl::StatusOr<v1::Consultation> first = consultations_->CreateConsultation(Staff(kCity), r);
  absl::StatusOr<v1::Consultation> again = consultations_->CreateConsultation(Staff(kCity), r);
  ASSERT_TRUE(first.ok() && again.ok());
  EXPECT_EQ(first->id(), again->id());
  EXPECT_THAT(consultations_->CreateConsultation(Staff(kDepartment), Draft(kCity)),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("unit 1")));
  EXPECT_THAT(consultations_->CreateConsultation(Public(), Draft(kCity)),
              StatusIs(absl::StatusCode::kUnauthenticated, ::testing::_));
  EXPECT_THAT(consultations_->CreateConsultation(Office(), Draft(99)),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("unit 99")));
}

TEST_F(ConsultationsTest, Con3AnonymousCommentsHideNameAndContactUnlessAllowed) {
  v1::Consultation c = Open();
  absl::StatusOr<v1::Comment> hidden_name =
      Comment(c, "建议增加电梯加装补贴。", "10.0.0.2", "张三", false);
  ASSERT_TRUE(hidden_name.ok()) << hidden_name.status();
  EXPECT_EQ(hidden_name->display_name(), "匿名");
  EXPECT_EQ(hidden_name->name(), "");
  EXPECT_EQ(hidden_name->contact(), "");
  absl::StatusOr<v1::Comment> shown =
      Comment(c, "希望同步改造雨污管网。", "10.0.0.3", "李四", true);
  ASSERT_TRUE(shown.ok());
  EXPECT_EQ(shown->display_name(), "李四");
  EXPECT_EQ(shown->contact(), "");
  // Staff of the unit see both.
  v1::ListCommentsRequest list;
  list.set_consultation_id(c.id());
  absl::StatusOr<v1::ListCommentsResponse> staff = consultations_->ListComments(Staff(kCity), list);
  ASSERT_TRUE(staff.ok());
  ASSERT_EQ(staff->comments_size(), 2);
  EXPECT_EQ(staff->comments(0).name(), "张三");
  EXPECT_EQ(staff->comments(0).contact(), "138-0000-0000");
}

TEST_F(ConsultationsTest, Con3RetryWithTheSameRequestIdPostsOnce) {
  v1::Consultation c = Open();
  v1::PostCommentRequest r;
  r.set_request_id("retry-1");
  r.set_consultation_id(c.id());
  r.set_text("同意。");
  const int64_t before = Rows("comments");
  absl::StatusOr<v1::Comment> first = consultations_->PostComment(Public(), r, "10.1.1.1");
  absl::StatusOr<v1::Comment> again = consultations_->PostComment(Public(), r, "10.1.1.1");
  ASSERT_TRUE(first.ok() && again.ok());
  EXPECT_EQ(first->id(), again->id());
  EXPECT_EQ(Rows("comments"), before + 1);
  // Another client with the same request id is another comment.
  absl::StatusOr<v1::Comment> other = consultations_->PostComment(Public(), r, "10.1.1.2");
  ASSERT_TRUE(other.ok());
  EXPECT_NE(other->id(), first->id());
}

TEST_F(ConsultationsTest, Con3PerClientDailyLimitComesFromTheRuleSet) {
  absl::StatusOr<rules::RuleSet> set = book_->ParseJson(R"({
    "name": "consultation.comments", "version": 2, "effective_from": "2025-06-01",
    "basis": "a test limit",
    "rules": {"comment.max_chars": {"value": 5000}, "comment.per_client_per_day": {"value": 2},
              "grouping.max_distance_bits": {"value": 5}}})");
  ASSERT_TRUE(set.ok()) << set.status();
  ASSERT_TRUE(book_->Put(*std::move(set)).ok());
  v1::Consultation c = Open();
  ASSERT_TRUE(Comment(c, "第一条意见", "10.2.2.2").ok());
  ASSERT_TRUE(Comment(c, "第二条意见", "10.2.2.2").ok());
  EXPECT_THAT(
      Comment(c, "第三条意见", "10.2.2.2"),
      StatusIs(absl::StatusCode::kResourceExhausted, HasSubstr("comment.per_client_per_day = 2")));
  EXPECT_TRUE(Comment(c, "第三条意见", "10.2.2.3").ok());
  clock_.Advance(absl::Hours(24));
  EXPECT_TRUE(Comment(c, "第三条意见", "10.2.2.2").ok());
}

TEST_F(ConsultationsTest, Con3CampaignsAreGroupedAndNearDuplicatesJoinThem) {
  v1::Consultation c = Open();
  const std::string campaign =
      "我们坚决反对在青秀山脚下修建高架桥，这将破坏自然景观、增加噪音污染，"
      "影响周边数万居民的日常生活，请市政府充分听取群众意见，改为地下通道方案或另选线路。";
  absl::StatusOr<v1::Comment> first = Comment(c, campaign, "10.3.0.1");
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->group_size(), 1);
  // The answer tells each commenter the group joined and its size.
  for (int i = 2; i <= 5; ++i) {
    absl::StatusOr<v1::Comment> same = Comment(c, campaign + "！", absl::StrCat("10.3.0.", i));
    ASSERT_TRUE(same.ok());
    EXPECT_EQ(same->group_id(), first->group_id());
    EXPECT_EQ(same->group_size(), i);
  }
  absl::StatusOr<v1::Comment> near =
      Comment(c,
              "我们坚决反对在青秀山脚下修建高架桥，这将破坏自然景观、增加噪声污染，"
              "影响周边数万居民的日常生活，请市政府充分听取群众意见，改为地下通道方案或另选线路。",
              "10.3.0.9");
  ASSERT_TRUE(near.ok());
  EXPECT_EQ(near->group_id(), first->group_id());
  EXPECT_EQ(near->group_size(), 6);
  absl::StatusOr<v1::Comment> other = Comment(c, "建议公交站增设遮阳棚。", "10.3.0.10");
  ASSERT_TRUE(other.ok());
  EXPECT_NE(other->group_id(), first->group_id());
  EXPECT_EQ(other->group_size(), 1);

  v1::ListCommentGroupsRequest groups;
  groups.set_consultation_id(c.id());
  groups.set_min_members(2);
  absl::StatusOr<v1::ListCommentGroupsResponse> campaigns =
      consultations_->ListCommentGroups(Public(), groups);
  ASSERT_TRUE(campaigns.ok());
  ASSERT_EQ(campaigns->groups_size(), 1);
  EXPECT_EQ(campaigns->groups(0).member_count(), 6);
  EXPECT_EQ(campaigns->groups(0).representative_comment_id(), first->id());
}

TEST_F(ConsultationsTest, Con2ClosedConsultationRefusesCommentsSayingWhenItClosed) {
  v1::Consultation c = Open();
  clock_.Set(At(absl::CivilDay(2025, 7, 9), 23));  // The last day, 23:00: still open.
  ASSERT_TRUE(Comment(c, "最后一天的意见").ok());
  clock_.Set(At(absl::CivilDay(2025, 7, 10), 0));
  const int64_t before = Rows("comments");
  EXPECT_THAT(Comment(c, "晚到的意见"),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("closed at 2025-07-10 00:00 (Asia/Shanghai, the end of "
                                 "2025-07-09)")));
  EXPECT_EQ(Rows("comments"), before);
}

TEST_F(ConsultationsTest, Con3FeedbackOnEveryCommentStatementAttachedAndConcluded) {
  v1::Consultation c = Open();
  absl::StatusOr<v1::Comment> a = Comment(c, "同意加装电梯。", "10.4.0.1", "王五", true);
  absl::StatusOr<v1::Comment> b = Comment(c, "同意加装电梯！", "10.4.0.2");
  absl::StatusOr<v1::Comment> abuse = Comment(c, "一派胡言，滚！", "10.4.0.3");
  absl::StatusOr<v1::Comment> d = Comment(c, "停车位不足，建议立体车库。", "10.4.0.4");
  ASSERT_TRUE(a.ok() && b.ok() && abuse.ok() && d.ok());
  ASSERT_EQ(a->group_id(), b->group_id());

  // Moderation: hidden with a reason, still counted.
  v1::ModerateCommentRequest hide;
  hide.set_id(abuse->id());
  hide.set_visibility(v1::HIDDEN);
  hide.set_hide_reason(v1::ABUSE);
  EXPECT_THAT(consultations_->ModerateComment(Public(), hide),
              StatusIs(absl::StatusCode::kUnauthenticated, ::testing::_));
  ASSERT_TRUE(consultations_->ModerateComment(Staff(kCity), hide).ok());
  v1::ListCommentsRequest list;
  list.set_consultation_id(c.id());
  absl::StatusOr<v1::ListCommentsResponse> public_list =
      consultations_->ListComments(Public(), list);
  ASSERT_TRUE(public_list.ok());
  ASSERT_EQ(public_list->comments_size(), 4);
  EXPECT_EQ(public_list->comments(2).text(), "");
  EXPECT_EQ(public_list->comments(2).hide_reason(), v1::ABUSE);

  clock_.Set(At(absl::CivilDay(2025, 7, 10)));
  v1::PublishFeedbackStatementRequest publish;
  publish.set_consultation_id(c.id());
  EXPECT_THAT(consultations_->PublishFeedbackStatement(Staff(kCity), publish),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("4 of 4 comments")));

  const auto decide = [&](int64_t group, v1::FeedbackDecision decision, const std::string& reason) {
    absl::StatusOr<v1::CommentGroup> g = repository_->GetGroup(group);
    ASSERT_TRUE(g.ok());
    v1::DecideCommentGroupRequest r;
    r.set_id(group);
    r.set_decision(decision);
    r.set_reason(reason);
    r.set_version(g->version());
    absl::StatusOr<v1::CommentGroup> decided = consultations_->DecideCommentGroup(Staff(kCity), r);
    ASSERT_TRUE(decided.ok()) << decided.status();
  };
  // NOT_ADOPTED without a reason is refused.
  v1::DecideCommentGroupRequest no_reason;
  no_reason.set_id(d->group_id());
  no_reason.set_decision(v1::NOT_ADOPTED);
  no_reason.set_version(1);
  EXPECT_THAT(consultations_->DecideCommentGroup(Staff(kCity), no_reason),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("reason")));
  decide(a->group_id(), v1::ADOPTED, "");
  decide(abuse->group_id(), v1::NOT_ADOPTED, "与征求意见事项无关");
  v1::ConcludeConsultationRequest conclude;
  conclude.set_id(c.id());
  conclude.set_version(c.version());
  EXPECT_THAT(consultations_->ConcludeConsultation(Staff(kCity), conclude),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("1 of 4 comments")));
  decide(d->group_id(), v1::PARTLY_ADOPTED, "纳入二期规划");

  absl::StatusOr<v1::FeedbackStatement> statement =
      consultations_->PublishFeedbackStatement(Staff(kCity), publish);
  ASSERT_TRUE(statement.ok()) << statement.status();
  EXPECT_EQ(statement->comment_count(), 4);
  EXPECT_EQ(statement->adopted_count(), 2);
  EXPECT_EQ(statement->partly_adopted_count(), 1);
  EXPECT_EQ(statement->not_adopted_count(), 1);
  ASSERT_EQ(statement->entries_size(), 3);
  EXPECT_EQ(statement->entries(0).commenters(), "王五等2人");
  EXPECT_THAT(statement->entries(1).comment(), HasSubstr("已隐藏"));
  EXPECT_EQ(statement->entries(1).commenters(), "匿名");

  // CON-3: attached to the meeting plan that decides the matter.
  v1::CreateMeetingPlanRequest plan;
  plan.set_request_id(absl::StrCat("m-", ++sequence_));
  v1::MeetingPlan* m = plan.mutable_meeting();
  m->set_unit_id(kCity);
  m->set_title("市政府常务会议");
  *m->mutable_meeting_on() = ToProtoDate(absl::CivilDay(2025, 7, 20));
  m->set_decides_category(v1::WELFARE_POLICIES);
  m->set_domain("housing");
  m->set_consultation_id(c.id());
  m->set_major_livelihood_topic(true);
  m->add_invited(v1::PUBLIC_REPRESENTATIVES);
  m->add_invited(v1::MEDIA);
  m->set_is_public(true);
  m->add_broadcast(v1::NEW_MEDIA_LIVE_STREAM);
  m->set_live_stream_url("https://live.nanning.gov.cn/20250720");
  absl::StatusOr<v1::MeetingPlan> meeting = consultations_->CreateMeetingPlan(Staff(kCity), plan);
  ASSERT_TRUE(meeting.ok()) << meeting.status();
  v1::AttachFeedbackStatementRequest attach;
  attach.set_id(meeting->id());
  attach.set_consultation_id(c.id());
  attach.set_version(meeting->version());
  absl::StatusOr<v1::MeetingPlan> attached =
      consultations_->AttachFeedbackStatement(Staff(kCity), attach);
  ASSERT_TRUE(attached.ok()) << attached.status();
  EXPECT_EQ(attached->feedback_statement().comment_count(), 4);
  EXPECT_EQ(attached->statement_document_id(), 0);
  // CON-3: the statement for the catalog was enqueued with the attachment (one event,
  // however often it is attached again), as a PROACTIVE draft of the unit naming the
  // meeting plan.
  const std::string key = StatementEventKey(meeting->id(), c.id());
  absl::StatusOr<outbox::StoredEvent> event = outbox::ReadEvent(*db_->pool, key);
  ASSERT_TRUE(event.ok()) << event.status();
  EXPECT_EQ(event->event.topic, kStatementAttachedTopic);
  catalog::v1::CreateDocumentRequest document;
  ASSERT_TRUE(document.ParseFromString(event->event.payload));
  EXPECT_EQ(document.request_id(), key);
  EXPECT_EQ(document.document().drafting_unit_id(), kCity);
  EXPECT_EQ(document.document().disclosure_attribute(), catalog::v1::PROACTIVE);
  EXPECT_EQ(document.document().title(), statement->title());
  EXPECT_THAT(document.document().body(), HasSubstr("本说明附于会议方案《市政府常务会议》"));
  EXPECT_THAT(document.document().body(), HasSubstr("纳入二期规划"));
  attach.set_version(attached->version());
  ASSERT_TRUE(consultations_->AttachFeedbackStatement(Staff(kCity), attach).ok());
  EXPECT_EQ(Rows(absl::StrCat("outbox_events WHERE event_key = '", key, "'")), 1);
  // The relay's acknowledgement is kept on the meeting plan.
  ASSERT_TRUE(repository_->RecordStatementDocument(meeting->id(), c.id(), 77).ok());
  v1::GetMeetingPlanRequest get_meeting;
  get_meeting.set_id(meeting->id());
  absl::StatusOr<v1::MeetingPlan> recorded =
      consultations_->GetMeetingPlan(Staff(kCity), get_meeting);
  ASSERT_TRUE(recorded.ok());
  EXPECT_EQ(recorded->statement_document_id(), 77);

  absl::StatusOr<v1::Consultation> concluded =
      consultations_->ConcludeConsultation(Staff(kCity), conclude);
  ASSERT_TRUE(concluded.ok()) << concluded.status();
  EXPECT_EQ(concluded->state(), v1::CONCLUDED);
  EXPECT_EQ(concluded->undecided_comment_count(), 0);
  conclude.set_version(concluded->version());
  EXPECT_THAT(consultations_->ConcludeConsultation(Staff(kCity), conclude),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("already concluded")));
}

// CON-3: a comment wrongly grouped leaves its group (staff only); the counts and the
// undecided total stay right, the public sees the new grouping, and later copies of its
// text follow it.
TEST_F(ConsultationsTest, Con3UngroupedCommentLeavesItsGroupAndCountsStayRight) {
  v1::Consultation c = Open();
  const std::string text = "建议延长公共图书馆的开放时间，方便上班族周末借阅。";
  absl::StatusOr<v1::Comment> a = Comment(c, text, "10.6.0.1");
  absl::StatusOr<v1::Comment> b = Comment(c, text + "！", "10.6.0.2");
  absl::StatusOr<v1::Comment> d = Comment(c, text + "。", "10.6.0.3");
  ASSERT_TRUE(a.ok() && b.ok() && d.ok());
  ASSERT_EQ(b->group_id(), a->group_id());
  ASSERT_EQ(d->group_id(), a->group_id());
  absl::StatusOr<v1::CommentGroup> group = repository_->GetGroup(a->group_id());
  ASSERT_TRUE(group.ok());
  ASSERT_EQ(group->member_count(), 3);

  v1::UngroupCommentRequest r;
  r.set_id(a->id());  // The representative itself.
  r.set_group_version(group->version());
  EXPECT_THAT(consultations_->UngroupComment(Public(), r),
              StatusIs(absl::StatusCode::kUnauthenticated, ::testing::_));
  EXPECT_THAT(consultations_->UngroupComment(Staff(kDepartment), r),
              StatusIs(absl::StatusCode::kPermissionDenied, ::testing::_));
  v1::UngroupCommentRequest stale = r;
  stale.set_group_version(group->version() + 5);
  EXPECT_THAT(consultations_->UngroupComment(Staff(kCity), stale),
              StatusIs(absl::StatusCode::kAborted, ::testing::_));
  absl::StatusOr<v1::Comment> moved = consultations_->UngroupComment(Staff(kCity), r);
  ASSERT_TRUE(moved.ok()) << moved.status();
  EXPECT_NE(moved->group_id(), a->group_id());
  EXPECT_EQ(moved->group_size(), 1);
  EXPECT_EQ(moved->decision(), v1::FEEDBACK_DECISION_UNSPECIFIED);
  absl::StatusOr<v1::CommentGroup> old_group = repository_->GetGroup(a->group_id());
  ASSERT_TRUE(old_group.ok());
  EXPECT_EQ(old_group->member_count(), 2);
  EXPECT_EQ(old_group->representative_comment_id(), b->id());
  EXPECT_GT(old_group->version(), group->version());
  // A group of one cannot be split further.
  v1::UngroupCommentRequest alone;
  alone.set_id(a->id());
  absl::StatusOr<v1::CommentGroup> new_group = repository_->GetGroup(moved->group_id());
  ASSERT_TRUE(new_group.ok());
  alone.set_group_version(new_group->version());
  EXPECT_THAT(consultations_->UngroupComment(Staff(kCity), alone),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("alone")));

  // The public sees the grouping: each comment with its group and the group's size.
  v1::ListCommentsRequest list;
  list.set_consultation_id(c.id());
  absl::StatusOr<v1::ListCommentsResponse> listed = consultations_->ListComments(Public(), list);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->comments_size(), 3);
  EXPECT_EQ(listed->comments(0).group_id(), moved->group_id());
  EXPECT_EQ(listed->comments(0).group_size(), 1);
  EXPECT_EQ(listed->comments(1).group_size(), 2);
  v1::GetConsultationRequest get;
  get.set_id(c.id());
  absl::StatusOr<v1::Consultation> counted = consultations_->GetConsultation(Public(), get);
  ASSERT_TRUE(counted.ok());
  EXPECT_EQ(counted->comment_count(), 3);
  EXPECT_EQ(counted->undecided_comment_count(), 3);
  // The same text again joins the comment that was split out.
  absl::StatusOr<v1::Comment> again = Comment(c, text, "10.6.0.4");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->group_id(), moved->group_id());
}

// Staff search over comments with the shared tokenizer (libs/search, ADR 0004): Chinese
// words anywhere in the text, every query term required, single characters as prefixes,
// hidden comments included for staff; comments are found once the background indexer
// wrote their terms; older comments are indexed by the backfill.
TEST_F(ConsultationsTest, Con3ChineseSearchUsesTheTermIndex) {
  v1::Consultation c = Open();
  absl::StatusOr<v1::Comment> lift = Comment(c, "老旧小区应当优先加装电梯。", "10.7.0.1");
  absl::StatusOr<v1::Comment> parking =
      Comment(c, "停车位严重不足，建议建设立体车库。", "10.7.0.2");
  absl::StatusOr<v1::Comment> both =
      Comment(c, "电梯和停车两件事都要抓，资金可申请中央补助。", "10.7.0.3");
  absl::StatusOr<v1::Comment> english = Comment(c, "Please add EV chargers.", "10.7.0.4");
  ASSERT_TRUE(lift.ok() && parking.ok() && both.ok() && english.ok());
  const auto search = [&](const std::string& query) {
    v1::SearchCommentsRequest r;
    r.set_consultation_id(c.id());
    r.set_query(query);
    std::vector<int64_t> ids;
    absl::StatusOr<v1::ListCommentsResponse> found =
        consultations_->SearchComments(Staff(kCity), r);
    EXPECT_TRUE(found.ok()) << found.status();
    if (found.ok()) {
      for (const v1::Comment& comment : found->comments()) ids.push_back(comment.id());
    }
    return ids;
  };
  EXPECT_THAT(search("电梯"), ::testing::IsEmpty());  // Not indexed yet.
  DrainSearchBacklog();
  EXPECT_THAT(search("电梯"), ::testing::ElementsAre(lift->id(), both->id()));
  EXPECT_THAT(search("加装电梯"), ::testing::ElementsAre(lift->id()));
  EXPECT_THAT(search("电梯 停车"), ::testing::ElementsAre(both->id()));
  EXPECT_THAT(search("库"), ::testing::ElementsAre(parking->id()));
  EXPECT_THAT(search("ev"), ::testing::ElementsAre(english->id()));
  EXPECT_THAT(search("地铁"), ::testing::IsEmpty());
  v1::SearchCommentsRequest punctuation;
  punctuation.set_consultation_id(c.id());
  punctuation.set_query("！！");
  EXPECT_THAT(consultations_->SearchComments(Staff(kCity), punctuation),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("query")));
  EXPECT_THAT(consultations_->SearchComments(Public(), punctuation),
              StatusIs(absl::StatusCode::kInvalidArgument, ::testing::_));

  // A comment stored before the index existed is found once the backfill ran.
  absl::StatusOr<db::ConnectionLease> conn = db_->pool->Acquire();
  ASSERT_TRUE(conn.ok());
  ASSERT_TRUE(
      (*conn)->Execute("DELETE FROM comment_terms WHERE comment_id = ?", {lift->id()}).ok());
  ASSERT_TRUE((*conn)
                  ->Execute("UPDATE comment_terms_backfill SET next_after_id = ?, through_id = ? "
                            "WHERE id = 1",
                            {lift->id() - 1, lift->id()})
                  .ok());
  EXPECT_THAT(search("加装电梯"), ::testing::IsEmpty());
  absl::StatusOr<int> indexed = consultations_->BackfillCommentTerms(100);
  ASSERT_TRUE(indexed.ok()) << indexed.status();
  EXPECT_EQ(*indexed, 1);
  EXPECT_THAT(search("加装电梯"), ::testing::ElementsAre(lift->id()));
  indexed = consultations_->BackfillCommentTerms(100);
  ASSERT_TRUE(indexed.ok());
  EXPECT_EQ(*indexed, 0);
}

// The search-term indexer (comment_indexer.h): two replicas claim disjoint batches, a
// claim taken over after its lease stores nothing, a crashed replica's comments are
// indexed by another once its lease expired, and the backlog gauge counts what waits.
TEST_F(ConsultationsTest, Con3SearchIndexerClaimsDisjointBatchesAndLosesNothing) {
  DrainSearchBacklog();
  v1::Consultation c = Open();
  std::vector<int64_t> posted;
  for (int i = 0; i < 6; ++i) {
    absl::StatusOr<v1::Comment> comment =
        Comment(c, absl::StrCat("第", i, "条：建议增设社区食堂"), absl::StrCat("10.8.0.", i));
    ASSERT_TRUE(comment.ok()) << comment.status();
    posted.push_back(comment->id());
  }
  absl::StatusOr<ConsultationRepository::Gauges> gauges =
      repository_->ReadGauges(absl::CivilDay(2025, 6, 10));
  ASSERT_TRUE(gauges.ok()) << gauges.status();
  EXPECT_EQ(gauges->search_backlog, 6);
  ASSERT_TRUE(gauges->oldest_unindexed.has_value());

  const absl::Time now = clock_.Now();
  absl::StatusOr<std::vector<UnindexedComment>> a =
      repository_->ClaimUnindexedComments("replica-a", now, absl::Minutes(1), 4);
  absl::StatusOr<std::vector<UnindexedComment>> b =
      repository_->ClaimUnindexedComments("replica-b", now, absl::Minutes(1), 4);
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_EQ(a->size(), 4u);
  ASSERT_EQ(b->size(), 2u);  // Only what replica-a did not hold.
  EXPECT_EQ(a->front().id, posted[0]);
  EXPECT_EQ(b->front().id, posted[4]);
  EXPECT_EQ(b->back().id, posted[5]);
  // Replica b stores its batch; replica a "crashes" holding its claim.
  std::vector<IndexedComment> batch_b;
  for (const UnindexedComment& u : *b) {
    batch_b.push_back({u.id, u.consultation_id, search::DocumentTerms("", u.text)});
  }
  EXPECT_THAT(repository_->StoreCommentTerms("replica-b", batch_b),
              ::gongkai::db::testing::IsOkAndHolds(2));
  // Within a's lease nobody takes its comments; after it, replica c does.
  absl::StatusOr<std::vector<UnindexedComment>> early = repository_->ClaimUnindexedComments(
      "replica-c", now + absl::Seconds(30), absl::Minutes(1), 10);
  ASSERT_TRUE(early.ok());
  EXPECT_TRUE(early->empty());
  absl::StatusOr<std::vector<UnindexedComment>> late = repository_->ClaimUnindexedComments(
      "replica-c", now + absl::Minutes(2), absl::Minutes(1), 10);
  ASSERT_TRUE(late.ok());
  ASSERT_EQ(late->size(), 4u);
  // The crashed replica comes back: its claim was taken over, it stores nothing.
  std::vector<IndexedComment> batch_a;
  for (const UnindexedComment& u : *a) {
    batch_a.push_back({u.id, u.consultation_id, search::DocumentTerms("", u.text)});
  }
  EXPECT_THAT(repository_->StoreCommentTerms("replica-a", batch_a),
              ::gongkai::db::testing::IsOkAndHolds(0));
  EXPECT_THAT(repository_->StoreCommentTerms("replica-c", batch_a),
              ::gongkai::db::testing::IsOkAndHolds(4));
  gauges = repository_->ReadGauges(absl::CivilDay(2025, 6, 10));
  ASSERT_TRUE(gauges.ok());
  EXPECT_EQ(gauges->search_backlog, 0);
  EXPECT_FALSE(gauges->oldest_unindexed.has_value());

  // Every comment found once, by the term they share.
  v1::SearchCommentsRequest r;
  r.set_consultation_id(c.id());
  r.set_query("社区食堂");
  absl::StatusOr<v1::ListCommentsResponse> found = consultations_->SearchComments(Staff(kCity), r);
  ASSERT_TRUE(found.ok()) << found.status();
  std::vector<int64_t> ids;
  for (const v1::Comment& comment : found->comments()) ids.push_back(comment.id());
  EXPECT_THAT(ids, ::testing::ElementsAreArray(posted));
}

TEST_F(ConsultationsTest, Con1DecisionWithoutRequiredConsultationIsVisibleToTheOffice) {
  v1::CreateMeetingPlanRequest plan;
  plan.set_request_id("missing-1");
  v1::MeetingPlan* m = plan.mutable_meeting();
  m->set_unit_id(kTownship);
  m->set_title("镇政府会议：低保标准调整");
  *m->mutable_meeting_on() = ToProtoDate(absl::CivilDay(2025, 6, 20));
  m->set_decides_category(v1::WELFARE_POLICIES);  // Required at township level.
  absl::StatusOr<v1::MeetingPlan> missing =
      consultations_->CreateMeetingPlan(Staff(kTownship), plan);
  ASSERT_TRUE(missing.ok()) << missing.status();
  plan.set_request_id("not-required-1");
  m->set_decides_category(v1::MARKET_SUPERVISION);  // Not required at township level.
  ASSERT_TRUE(consultations_->CreateMeetingPlan(Staff(kTownship), plan).ok());

  v1::ListMissingPreDisclosuresRequest r;
  r.set_unit_id(kTownship);
  absl::StatusOr<v1::ListMissingPreDisclosuresResponse> listed =
      consultations_->ListMissingPreDisclosures(Office(), r);
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_EQ(listed->missing_size(), 1);
  EXPECT_EQ(listed->missing(0).meeting().id(), missing->id());
  EXPECT_THAT(listed->missing(0).reason(), HasSubstr("required.township"));
  r.set_unit_id(kCity);
  EXPECT_THAT(consultations_->ListMissingPreDisclosures(Staff(kTownship), r),
              StatusIs(absl::StatusCode::kPermissionDenied, ::testing::_));
}

TEST_F(ConsultationsTest, Con2HearingNoticeApplicantsSelectionAndMinutes) {
  v1::Consultation c = Open();
  v1::CreateHearingRequest r;
  r.set_request_id("h-1");
  r.set_consultation_id(c.id());
  r.set_kind(v1::KIND_HEARING);
  r.set_title("老旧小区改造听证会");
  r.set_place("市政务服务中心三楼");
  r.set_participant_limit(1);
  *r.mutable_held_on() = ToProtoDate(absl::CivilDay(2025, 6, 20));  // Less than 15 days.
  EXPECT_THAT(consultations_->CreateHearing(Staff(kCity), r),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("2025-06-24")));
  *r.mutable_held_on() = ToProtoDate(absl::CivilDay(2025, 6, 24));
  absl::StatusOr<v1::Hearing> h = consultations_->CreateHearing(Staff(kCity), r);
  ASSERT_TRUE(h.ok()) << h.status();
  EXPECT_EQ(ToCivilDay(h->notice_due()).value(), absl::CivilDay(2025, 6, 9));

  v1::ApplyRequest apply;
  apply.set_target(v1::TARGET_HEARING);
  apply.set_target_id(h->id());
  apply.set_contact("139-0000-0000");
  std::vector<int64_t> ids;
  for (const char* name : {"赵六", "钱七"}) {
    apply.set_request_id(absl::StrCat("apply-", ++sequence_));
    apply.set_name(name);
    absl::StatusOr<v1::Application> a = consultations_->Apply(Citizen(name), apply);
    ASSERT_TRUE(a.ok()) << a.status();
    EXPECT_EQ(a->contact(), "");
    ids.push_back(a->id());
  }
  v1::SelectApplicantsRequest select;
  select.set_target(v1::TARGET_HEARING);
  select.set_target_id(h->id());
  select.add_application_ids(ids[0]);
  select.add_application_ids(ids[1]);
  EXPECT_THAT(consultations_->SelectApplicants(Staff(kCity), select),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("at most 1")));
  select.clear_application_ids();
  select.add_application_ids(ids[1]);
  absl::StatusOr<v1::ListApplicationsResponse> selected =
      consultations_->SelectApplicants(Staff(kCity), select);
  ASSERT_TRUE(selected.ok()) << selected.status();
  EXPECT_FALSE(selected->applications(0).selected());
  EXPECT_TRUE(selected->applications(1).selected());

  v1::RecordHearingMinutesRequest minutes;
  minutes.set_id(h->id());
  minutes.set_minutes("听证会纪要……");
  minutes.set_version(h->version());
  EXPECT_THAT(consultations_->RecordHearingMinutes(Staff(kCity), minutes),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("2025-06-24")));
  clock_.Set(At(absl::CivilDay(2025, 6, 24), 18));
  absl::StatusOr<v1::Hearing> recorded =
      consultations_->RecordHearingMinutes(Staff(kCity), minutes);
  ASSERT_TRUE(recorded.ok()) << recorded.status();
  EXPECT_THAT(consultations_->RecordHearingMinutes(Staff(kCity), minutes),
              StatusIs(absl::StatusCode::kAborted, ::testing::_));
  // Applications closed with the day before the hearing.
  apply.set_request_id("late");
  EXPECT_THAT(consultations_->Apply(Public(), apply),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("2025-06-23")));
}

TEST_F(ConsultationsTest, ScheduledConsultationIsHiddenFromThePublic) {
  v1::CreateConsultationRequest r = Draft(kDepartment);
  r.mutable_consultation()->set_category(v1::RULES_AND_MAJOR_POLICIES);
  r.mutable_consultation()->set_decision_type(v1::NORMATIVE_DOCUMENT);
  r.mutable_consultation()->set_period_days(7);
  *r.mutable_consultation()->mutable_opens_on() = ToProtoDate(absl::CivilDay(2025, 6, 16));
  absl::StatusOr<v1::Consultation> c = consultations_->CreateConsultation(Staff(kDepartment), r);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->state(), v1::SCHEDULED);
  EXPECT_EQ(ToCivilDay(c->closes_on()).value(), absl::CivilDay(2025, 6, 25));
  v1::GetConsultationRequest get;
  get.set_id(c->id());
  EXPECT_THAT(consultations_->GetConsultation(Public(), get),
              StatusIs(absl::StatusCode::kNotFound, ::testing::_));
  EXPECT_THAT(Comment(*c, "提前的意见"), StatusIs(absl::StatusCode::kNotFound, ::testing::_));
  clock_.Set(At(absl::CivilDay(2025, 6, 16), 0));
  absl::StatusOr<v1::Consultation> opened = consultations_->GetConsultation(Public(), get);
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(opened->state(), v1::OPEN);
}

TEST_F(ConsultationsTest, Nat1ClosingDayFollowsAReplacedCalendarYear) {
  v1::CreateConsultationRequest r = Draft(kDepartment, 7);
  r.mutable_consultation()->set_decision_type(v1::NORMATIVE_DOCUMENT);
  absl::StatusOr<v1::Consultation> c = consultations_->CreateConsultation(Staff(kDepartment), r);
  ASSERT_TRUE(c.ok()) << c.status();
  ASSERT_EQ(ToCivilDay(c->closes_on()).value(), absl::CivilDay(2025, 6, 18));
  // An amended notice makes Thursday 2025-06-12 a holiday.
  absl::StatusOr<calendar::YearCalendar> year = calendar_->Year(2025);
  ASSERT_TRUE(year.ok());
  year->version += "-amended";
  year->holidays.push_back({absl::CivilDay(2025, 6, 12), "测试假日"});
  ASSERT_TRUE(calendar_->ReplaceYear(*year).ok());
  absl::StatusOr<int> changed = consultations_->RecomputeClosingDays([] { return false; });
  ASSERT_TRUE(changed.ok()) << changed.status();
  EXPECT_GE(*changed, 1);
  v1::GetConsultationRequest get;
  get.set_id(c->id());
  absl::StatusOr<v1::Consultation> again = consultations_->GetConsultation(Staff(kDepartment), get);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(ToCivilDay(again->closes_on()).value(), absl::CivilDay(2025, 6, 19));
  EXPECT_THAT(again->period_explanation().text(), HasSubstr("测试假日"));
  EXPECT_THAT(again->period_explanation().text(), HasSubstr("normative_document.min_working_days"));
}

// NAT-1 on MariaDB: created in December before the next year's notice is loaded, a
// major decision's period has no closing day; it is listed and accepts comments past its
// nominal end (never closed early), and the year's arrival gives it its day, after which
// it refuses comments as any closed one does.
TEST_F(ConsultationsTest, Nat1ConsultationReachingAYearNotLoadedStaysOpenUntilTheYearIsLoaded) {
  ASSERT_FALSE(calendar_->Year(2027).ok()) << "the test needs 2027 not loaded";
  clock_.Set(At(absl::CivilDay(2026, 12, 7), 10));
  absl::StatusOr<v1::Consultation> c =
      consultations_->CreateConsultation(Staff(kCity), Draft(kCity, 30));
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_FALSE(c->has_closes_on());
  EXPECT_EQ(c->state(), v1::OPEN);
  EXPECT_THAT(c->period_explanation().text(), HasSubstr("届满日待载入后计算"));
  EXPECT_EQ(ToCivilDay(c->period_explanation().nominal_end()).value(), absl::CivilDay(2027, 1, 6));

  // Bad input stays bad: a start years ahead (a typo) is not a pending period.
  const int64_t before = Rows("consultations");
  v1::CreateConsultationRequest typo = Draft(kCity, 30);
  *typo.mutable_consultation()->mutable_opens_on() = ToProtoDate(absl::CivilDay(2062, 12, 7));
  absl::StatusOr<v1::Consultation> refused_typo =
      consultations_->CreateConsultation(Staff(kCity), typo);
  EXPECT_EQ(refused_typo.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(refused_typo.status().ToString(), HasSubstr("consultation.opens_on"));
  EXPECT_EQ(Rows("consultations"), before);

  clock_.Set(At(absl::CivilDay(2027, 1, 20), 10));
  v1::ListConsultationsRequest list;
  list.set_state(v1::OPEN);
  absl::StatusOr<v1::ListConsultationsResponse> open =
      consultations_->ListConsultations(Public(), list);
  ASSERT_TRUE(open.ok()) << open.status();
  absl::StatusOr<ConsultationRepository::Gauges> gauges =
      repository_->ReadGauges(calendar::TodayInShanghai(clock_));
  ASSERT_TRUE(gauges.ok()) << gauges.status();
  EXPECT_GE(gauges->pending_periods, 1);
  const int64_t pending_before_load = gauges->pending_periods;
  bool listed = false;
  for (const v1::Consultation& each : open->consultations()) {
    if (each.id() == c->id()) listed = !each.has_closes_on() && each.state() == v1::OPEN;
  }
  EXPECT_TRUE(listed) << "a pending consultation is listed as open, without a closing day";
  absl::StatusOr<v1::Comment> late = Comment(*c, "一月二十日仍可提交意见。");
  EXPECT_TRUE(late.ok()) << late.status();

  // Test data, not a real notice: 2027 with only 01-01 off.
  ASSERT_TRUE(
      calendar_->LoadYear(calendar::testing::TestYear(2027, {{absl::CivilDay(2027, 1, 1), "元旦"}}))
          .ok());
  absl::StatusOr<int> changed = consultations_->RecomputeClosingDays([] { return false; });
  ASSERT_TRUE(changed.ok()) << changed.status();
  EXPECT_GE(*changed, 1);
  v1::GetConsultationRequest get;
  get.set_id(c->id());
  absl::StatusOr<v1::Consultation> again = consultations_->GetConsultation(Staff(kCity), get);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(ToCivilDay(again->closes_on()).value(), absl::CivilDay(2027, 1, 6));
  EXPECT_EQ(again->state(), v1::CLOSED);
  gauges = repository_->ReadGauges(calendar::TodayInShanghai(clock_));
  ASSERT_TRUE(gauges.ok()) << gauges.status();
  EXPECT_EQ(gauges->pending_periods, pending_before_load - 1);
  EXPECT_THAT(again->period_explanation().text(), HasSubstr("test notice 2027"));
  clock_.Advance(absl::Seconds(2));  // Past the window cache's bound (LoadWindow).
  absl::StatusOr<v1::Comment> refused = Comment(*again, "关闭后的意见。");
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(refused.status().message(), HasSubstr("2027-01-06"));
}

}  // namespace
}  // namespace gongkai::consultation
