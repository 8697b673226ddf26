// Integration tests (label: integration) of the disclosure-request MySQL repository
// (services/catalog/requests/mysql_request_repository.cc) against the contract of
// services/catalog/requests/request_repository.h, on the real MySQL/MariaDB named by
// GONGKAI_TEST_MYSQL_* with the catalog's embedded migrations (0005 included).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "libs/db/connection_pool.h"
#include "libs/db/testing/status_matchers.h"
#include "libs/db/testing/test_database.h"
#include "libs/protoconv/protoconv.h"
#include "services/catalog/requests/mysql_request_repository.h"
#include "tests/integration/repository_test_support.h"

namespace gongkai::catalog::requests {
namespace {

using ::gongkai::db::testing::IsOk;
using ::gongkai::db::testing::IsOkAndHolds;
using ::gongkai::db::testing::StatusIs;
using ::gongkai::db::testing::TestDatabase;
using ::gongkai::integration::EqualsProto;
using ::gongkai::integration::Ids;
using ::gongkai::integration::MigratedDatabase;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

const absl::Time kT0 = absl::FromUnixMicros(1718000000123456);

class DisclosureRequestRepositoryTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<MigratedDatabase> db = MigratedDatabase::Create("reqrepo");
    if (!db.ok()) {
      setup_status_ = db.status();
      return;
    }
    db_ = db->database.release();
    pool_ = db->pool.release();
    repo_ = NewMysqlRequestRepository(pool_).release();
  }
  static void TearDownTestSuite() {
    delete repo_;
    delete pool_;
    delete db_;
    repo_ = nullptr;
    pool_ = nullptr;
    db_ = nullptr;
  }
  void SetUp() override { ASSERT_NE(repo_, nullptr) << "no test database: " << setup_status_; }

  RequestRepository& repo() { return *repo_; }

  absl::Status Execute(absl::string_view sql, std::vector<db::Value> params = {}) {
    absl::StatusOr<db::ConnectionLease> conn = pool_->Acquire();
    if (!conn.ok()) return conn.status();
    return (*conn)->Execute(sql, params).status();
  }
  int64_t Count(absl::string_view sql, std::vector<db::Value> params = {}) {
    absl::StatusOr<db::ConnectionLease> conn = pool_->Acquire();
    if (!conn.ok()) return -1;
    absl::StatusOr<db::ResultSet> rows = (*conn)->Query(sql, params);
    if (!rows.ok() || rows->size() != 1) return -1;
    return (*rows)[0].GetInt64(0).value_or(-1);
  }

  int64_t NewUnit() {
    static std::atomic<int> counter{0};
    const int n = ++counter;
    EXPECT_THAT(
        Execute("INSERT INTO units (id, code, name, level, create_time) VALUES "
                "(?, ?, '测试局', 3, ?)",
                {db::Value(1000 + n), db::Value(absl::StrCat("REQ-UNIT-", n)), db::Value(kT0)}),
        IsOk());
    return 1000 + n;
  }

  static v1::DisclosureRequest NewRequest(int64_t unit, absl::CivilDay received,
                                          absl::string_view subject = "老旧小区改造清单") {
    static std::atomic<int> counter{0};
    v1::DisclosureRequest r;
    r.set_unit_id(unit);
    r.set_tracking_code(absl::StrCat("TRK", ++counter));
    r.set_applicant_type(v1::APPLICANT_BUSINESS);
    r.set_applicant_name("某公司");
    r.set_applicant_contact("0771-1234567");
    r.set_channel(v1::CHANNEL_REGISTERED_MAIL);
    r.set_state(v1::REQUEST_RECEIVED);
    r.set_subject(std::string(subject));
    r.set_description("请提供……");
    *r.mutable_received_on() = ToProtoDate(received);
    *r.mutable_clock_start_on() = ToProtoDate(received);
    common::v1::DeadlineExplanation* reply = r.mutable_reply_deadline();
    *reply->mutable_start() = ToProtoDate(received);
    reply->set_days(20);
    reply->set_working_days(true);
    *reply->mutable_due() = ToProtoDate(received + 28);
    common::v1::CalendarVersion* v = reply->add_calendars();
    v->set_year(static_cast<int32_t>(received.year()));
    v->set_version("cn.1");
    reply->set_text("答复期限……");
    r.set_created_by("alice");
    return r;
  }

  static RequestEvent Event(absl::string_view action, v1::DisclosureRequestState from,
                            v1::DisclosureRequestState to) {
    return RequestEvent{
        "alice", std::string(action), from, to, absl::CivilDay(2024, 6, 10), "detail", kT0};
  }

  absl::StatusOr<v1::DisclosureRequest> Create(const v1::DisclosureRequest& r,
                                               absl::string_view applicant = "A") {
    return repo().CreateRequest(
        r, RequestSecrets{std::string(64, 'f'), std::string(applicant)},
        Event("file", v1::DISCLOSURE_REQUEST_STATE_UNSPECIFIED, v1::REQUEST_RECEIVED), nullptr);
  }

  static TestDatabase* db_;
  static db::ConnectionPool* pool_;
  static RequestRepository* repo_;
  static absl::Status setup_status_;
};

TestDatabase* DisclosureRequestRepositoryTest::db_ = nullptr;
db::ConnectionPool* DisclosureRequestRepositoryTest::pool_ = nullptr;
RequestRepository* DisclosureRequestRepositoryTest::repo_ = nullptr;
absl::Status DisclosureRequestRepositoryTest::setup_status_;

TEST_F(DisclosureRequestRepositoryTest, CreatedRequestReadsBackWithItsFirstHistoryEvent) {
  const int64_t unit = NewUnit();
  ASSERT_OK_AND_ASSIGN(v1::DisclosureRequest created,
                       Create(NewRequest(unit, absl::CivilDay(2024, 6, 3))));
  EXPECT_GT(created.id(), 0);
  EXPECT_EQ(created.version(), 1);
  ASSERT_OK_AND_ASSIGN(v1::DisclosureRequest read, repo().GetRequest(created.id()));
  EXPECT_THAT(read, EqualsProto(created));
  ASSERT_OK_AND_ASSIGN(std::vector<v1::DisclosureRequestEvent> history,
                       repo().ListHistory(created.id()));
  ASSERT_EQ(history.size(), 1u);
  EXPECT_EQ(history[0].action(), "file");
  EXPECT_EQ(history[0].new_state(), v1::REQUEST_RECEIVED);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM disclosure_requests WHERE id = ? AND outcome IS NULL "
                  "AND answered_on IS NULL AND reply_due_on = '2024-07-01'",
                  {created.id()}),
            1);
}

TEST_F(DisclosureRequestRepositoryTest, DuplicateIdempotencyKeyCreatesNothing) {
  const int64_t unit = NewUnit();
  const IdempotencyKey key{"alice", "FileRequest", "dup-1"};
  const RequestEvent event =
      Event("file", v1::DISCLOSURE_REQUEST_STATE_UNSPECIFIED, v1::REQUEST_RECEIVED);
  ASSERT_OK_AND_ASSIGN(v1::DisclosureRequest first,
                       repo().CreateRequest(NewRequest(unit, absl::CivilDay(2024, 6, 3)),
                                            RequestSecrets{"h", "A"}, event, &key));
  EXPECT_THAT(repo().CreateRequest(NewRequest(unit, absl::CivilDay(2024, 6, 3)),
                                   RequestSecrets{"h", "A"}, event, &key),
              StatusIs(absl::StatusCode::kAlreadyExists, testing::_));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM disclosure_requests WHERE unit_id = ?", {unit}), 1);
  ASSERT_OK_AND_ASSIGN(std::optional<std::string> stored, repo().FindIdempotentResponse(key));
  ASSERT_TRUE(stored.has_value());
  v1::DisclosureRequest replay;
  ASSERT_TRUE(replay.ParseFromString(*stored));
  EXPECT_EQ(replay.id(), first.id());
}

TEST_F(DisclosureRequestRepositoryTest, TrackingCodeFindsTheRequestAndItsSecretHash) {
  const int64_t unit = NewUnit();
  ASSERT_OK_AND_ASSIGN(v1::DisclosureRequest created,
                       Create(NewRequest(unit, absl::CivilDay(2024, 6, 3))));
  ASSERT_OK_AND_ASSIGN(RequestRepository::Tracked tracked,
                       repo().FindByTrackingCode(created.tracking_code()));
  EXPECT_EQ(tracked.request.id(), created.id());
  EXPECT_EQ(tracked.secret_sha256, std::string(64, 'f'));
  EXPECT_THAT(repo().FindByTrackingCode("NOPE"), StatusIs(absl::StatusCode::kNotFound, testing::_));
}

TEST_F(DisclosureRequestRepositoryTest, ReplacedTrackingSecretIsVersionedAndInTheHistory) {
  const int64_t unit = NewUnit();
  ASSERT_OK_AND_ASSIGN(v1::DisclosureRequest created,
                       Create(NewRequest(unit, absl::CivilDay(2024, 6, 3))));
  const RequestEvent event =
      Event("reset_tracking_secret", v1::REQUEST_RECEIVED, v1::REQUEST_RECEIVED);
  EXPECT_THAT(repo().ReplaceTrackingSecret(created.id(), 1, std::string(64, 'a'), event),
              IsOkAndHolds(2));
  ASSERT_OK_AND_ASSIGN(RequestRepository::Tracked tracked,
                       repo().FindByTrackingCode(created.tracking_code()));
  EXPECT_EQ(tracked.secret_sha256, std::string(64, 'a'));
  EXPECT_EQ(tracked.request.version(), 2);
  // A stale version writes nothing.
  EXPECT_THAT(repo().ReplaceTrackingSecret(created.id(), 1, std::string(64, 'b'), event),
              StatusIs(absl::StatusCode::kAborted, HasSubstr("version 2")));
  EXPECT_THAT(repo().ReplaceTrackingSecret(987654321, 1, std::string(64, 'b'), event),
              StatusIs(absl::StatusCode::kNotFound, testing::_));
  ASSERT_OK_AND_ASSIGN(tracked, repo().FindByTrackingCode(created.tracking_code()));
  EXPECT_EQ(tracked.secret_sha256, std::string(64, 'a'));
  ASSERT_OK_AND_ASSIGN(std::vector<v1::DisclosureRequestEvent> history,
                       repo().ListHistory(created.id()));
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[1].action(), "reset_tracking_secret");
  // Keyset pages of the same history, oldest first.
  ASSERT_OK_AND_ASSIGN(std::vector<v1::DisclosureRequestEvent> first,
                       repo().ListHistoryPage(created.id(), KeysetPage{0, 1}));
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].id(), history[0].id());
  ASSERT_OK_AND_ASSIGN(std::vector<v1::DisclosureRequestEvent> rest,
                       repo().ListHistoryPage(created.id(), KeysetPage{first[0].id(), 10}));
  ASSERT_EQ(rest.size(), 1u);
  EXPECT_EQ(rest[0].action(), "reset_tracking_secret");
  EXPECT_THAT(repo().ListHistoryPage(created.id(), KeysetPage{rest[0].id(), 10}),
              IsOkAndHolds(testing::IsEmpty()));
}

// NAT-8 (migration 0011): the outside publication of an "already public" answer and the
// law named by "governed by other laws" are stored and read back.
TEST_F(DisclosureRequestRepositoryTest, Nat8OutsideReferenceAndGoverningLawRoundTrip) {
  const int64_t unit = NewUnit();
  ASSERT_OK_AND_ASSIGN(v1::DisclosureRequest gazette,
                       Create(NewRequest(unit, absl::CivilDay(2024, 6, 3))));
  gazette.set_state(v1::REQUEST_ANSWERED);
  gazette.set_outcome(v1::OUTCOME_ALREADY_PUBLIC);
  gazette.set_already_public_reference("《南宁市人民政府公报》2024年第5期");
  *gazette.mutable_answered_on() = ToProtoDate(absl::CivilDay(2024, 6, 20));
  ASSERT_TRUE(
      repo()
          .UpdateRequest(gazette, 1, Event("answer", v1::REQUEST_RECEIVED, v1::REQUEST_ANSWERED))
          .ok());
  ASSERT_OK_AND_ASSIGN(v1::DisclosureRequest read, repo().GetRequest(gazette.id()));
  EXPECT_EQ(read.already_public_reference(), "《南宁市人民政府公报》2024年第5期");
  EXPECT_EQ(read.already_public_document_id(), 0);
  EXPECT_EQ(read.governing_law(), "");

  ASSERT_OK_AND_ASSIGN(v1::DisclosureRequest registry,
                       Create(NewRequest(unit, absl::CivilDay(2024, 6, 4))));
  registry.set_state(v1::REQUEST_ANSWERED);
  registry.set_outcome(v1::OUTCOME_GOVERNED_BY_OTHER_LAW);
  registry.set_outcome_reason("属于不动产登记资料");
  registry.set_governing_law("《不动产登记暂行条例》");
  *registry.mutable_answered_on() = ToProtoDate(absl::CivilDay(2024, 6, 21));
  ASSERT_TRUE(
      repo()
          .UpdateRequest(registry, 1, Event("answer", v1::REQUEST_RECEIVED, v1::REQUEST_ANSWERED))
          .ok());
  ASSERT_OK_AND_ASSIGN(read, repo().GetRequest(registry.id()));
  EXPECT_EQ(read.outcome(), v1::OUTCOME_GOVERNED_BY_OTHER_LAW);
  EXPECT_EQ(read.governing_law(), "《不动产登记暂行条例》");
  EXPECT_EQ(read.already_public_reference(), "");
}

// NAT-7 (migration 0012): the notice of extension (text, day, channel) is stored and
// read back.
TEST_F(DisclosureRequestRepositoryTest, Nat7ExtensionNoticeRoundTrips) {
  const int64_t unit = NewUnit();
  ASSERT_OK_AND_ASSIGN(v1::DisclosureRequest extended,
                       Create(NewRequest(unit, absl::CivilDay(2024, 6, 3))));
  extended.set_extension_working_days(20);
  extended.set_extension_approver("办公室主任 王五");
  extended.set_extension_reason("涉及多个部门");
  *extended.mutable_extended_on() = ToProtoDate(absl::CivilDay(2024, 6, 20));
  extended.set_extension_notice_text("张三：……答复期限延长 20 个工作日……特此告知。");
  *extended.mutable_extension_notice_on() = ToProtoDate(absl::CivilDay(2024, 6, 20));
  extended.set_extension_notice_channel(v1::CHANNEL_REGISTERED_MAIL);
  ASSERT_TRUE(
      repo()
          .UpdateRequest(extended, 1, Event("extend", v1::REQUEST_RECEIVED, v1::REQUEST_RECEIVED))
          .ok());
  ASSERT_OK_AND_ASSIGN(v1::DisclosureRequest read, repo().GetRequest(extended.id()));
  EXPECT_EQ(read.extension_notice_text(), "张三：……答复期限延长 20 个工作日……特此告知。");
  EXPECT_EQ(read.extension_notice_on().day(), 20);
  EXPECT_EQ(read.extension_notice_channel(), v1::CHANNEL_REGISTERED_MAIL);

  // A request never extended reads back without a notice day.
  ASSERT_OK_AND_ASSIGN(v1::DisclosureRequest plain,
                       Create(NewRequest(unit, absl::CivilDay(2024, 6, 4))));
  ASSERT_OK_AND_ASSIGN(read, repo().GetRequest(plain.id()));
  EXPECT_FALSE(read.has_extension_notice_on());
  EXPECT_EQ(read.extension_notice_channel(), v1::REQUEST_CHANNEL_UNSPECIFIED);
}

TEST_F(DisclosureRequestRepositoryTest, StaleVersionIsAbortedAndWritesNothing) {
  const int64_t unit = NewUnit();
  ASSERT_OK_AND_ASSIGN(v1::DisclosureRequest created,
                       Create(NewRequest(unit, absl::CivilDay(2024, 6, 3))));
  v1::DisclosureRequest answered = created;
  answered.set_state(v1::REQUEST_ANSWERED);
  answered.set_outcome(v1::OUTCOME_CANNOT_PROVIDE_NOT_HELD);
  answered.set_outcome_reason("本机关不掌握");
  answered.set_holder_name("市自然资源局");
  *answered.mutable_answered_on() = ToProtoDate(absl::CivilDay(2024, 6, 20));
  answered.set_fee_method(v1::FEE_BY_PAGES);
  answered.set_fee_pages(150);
  answered.set_fee_fen(170000);
  const RequestEvent event = Event("answer", v1::REQUEST_RECEIVED, v1::REQUEST_ANSWERED);
  ASSERT_OK_AND_ASSIGN(v1::DisclosureRequest stored, repo().UpdateRequest(answered, 1, event));
  EXPECT_EQ(stored.version(), 2);
  ASSERT_OK_AND_ASSIGN(v1::DisclosureRequest read, repo().GetRequest(created.id()));
  EXPECT_EQ(read.outcome(), v1::OUTCOME_CANNOT_PROVIDE_NOT_HELD);
  EXPECT_EQ(read.holder_name(), "市自然资源局");
  EXPECT_EQ(read.fee_fen(), 170000);
  EXPECT_EQ(read.version(), 2);
  EXPECT_THAT(repo().UpdateRequest(answered, 1, event),
              StatusIs(absl::StatusCode::kAborted, HasSubstr("version 2")));
  EXPECT_EQ(
      Count("SELECT COUNT(*) FROM disclosure_request_history WHERE request_id = ?", {created.id()}),
      2);
  EXPECT_EQ(Count("SELECT outcome FROM disclosure_requests WHERE id = ?", {created.id()}), 20);
}

TEST_F(DisclosureRequestRepositoryTest, ListFiltersAndPagesNewestFirst) {
  const int64_t unit = NewUnit();
  std::vector<int64_t> ids;
  for (int day = 1; day <= 3; ++day) {
    ASSERT_OK_AND_ASSIGN(v1::DisclosureRequest r,
                         Create(NewRequest(unit, absl::CivilDay(2024, 6, day))));
    ids.push_back(r.id());
  }
  RequestFilter filter;
  filter.unit_id = unit;
  ASSERT_OK_AND_ASSIGN(std::vector<v1::DisclosureRequest> page1,
                       repo().ListRequests(filter, KeysetPage{0, 2}));
  EXPECT_THAT(Ids(page1), ElementsAre(ids[2], ids[1]));
  ASSERT_OK_AND_ASSIGN(std::vector<v1::DisclosureRequest> page2,
                       repo().ListRequests(filter, KeysetPage{ids[1], 2}));
  EXPECT_THAT(Ids(page2), ElementsAre(ids[0]));
  filter.received_from = absl::CivilDay(2024, 6, 2);
  ASSERT_OK_AND_ASSIGN(std::vector<v1::DisclosureRequest> recent,
                       repo().ListRequests(filter, KeysetPage{0, 10}));
  EXPECT_THAT(Ids(recent), ElementsAre(ids[2], ids[1]));
  // Reply due (received + 28 days) on or before 2024-06-30: only the first request.
  RequestFilter due;
  due.unit_id = unit;
  due.reply_due_by = absl::CivilDay(2024, 6, 29);
  ASSERT_OK_AND_ASSIGN(std::vector<v1::DisclosureRequest> overdue,
                       repo().ListRequests(due, KeysetPage{0, 10}));
  EXPECT_THAT(Ids(overdue), ElementsAre(ids[0]));
}

TEST_F(DisclosureRequestRepositoryTest, RefreshClocksRewritesDueDatesWithoutANewVersion) {
  const int64_t unit = NewUnit();
  // Filed while its period's year had no calendar: no reply due date stored.
  v1::DisclosureRequest pending = NewRequest(unit, absl::CivilDay(2024, 12, 20));
  pending.mutable_reply_deadline()->clear_due();
  ASSERT_OK_AND_ASSIGN(v1::DisclosureRequest created, Create(pending));
  RequestFilter due;
  due.unit_id = unit;
  due.reply_due_by = absl::CivilDay(2025, 12, 31);
  EXPECT_THAT(repo().ListRequests(due, KeysetPage{0, 10}), IsOkAndHolds(::testing::IsEmpty()));

  v1::DisclosureRequest computed = created;
  *computed.mutable_reply_deadline()->mutable_due() = ToProtoDate(absl::CivilDay(2025, 1, 17));
  *computed.mutable_correction_deadline()->mutable_due() =
      ToProtoDate(absl::CivilDay(2024, 12, 31));
  EXPECT_THAT(repo().RefreshClocks(computed), IsOkAndHolds(true));
  EXPECT_THAT(repo().RefreshClocks(computed), IsOkAndHolds(false));  // Already these.

  ASSERT_OK_AND_ASSIGN(v1::DisclosureRequest read, repo().GetRequest(created.id()));
  EXPECT_EQ(read.version(), created.version());
  EXPECT_THAT(read.reply_deadline(), EqualsProto(computed.reply_deadline()));
  ASSERT_OK_AND_ASSIGN(std::vector<v1::DisclosureRequest> listed,
                       repo().ListRequests(due, KeysetPage{0, 10}));
  EXPECT_THAT(Ids(listed), ElementsAre(created.id()));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM disclosure_requests WHERE id = ? AND "
                  "correction_due_on = '2024-12-31'",
                  {created.id()}),
            1);
  EXPECT_EQ(
      Count("SELECT COUNT(*) FROM disclosure_request_history WHERE request_id = ?", {created.id()}),
      1);

  // Computed from a version that is no longer stored: nothing is written.
  v1::DisclosureRequest outdated = computed;
  outdated.set_version(created.version() + 7);
  *outdated.mutable_reply_deadline()->mutable_due() = ToProtoDate(absl::CivilDay(2025, 2, 28));
  EXPECT_THAT(repo().RefreshClocks(outdated), IsOkAndHolds(false));
  ASSERT_OK_AND_ASSIGN(read, repo().GetRequest(created.id()));
  EXPECT_EQ(read.reply_deadline().due().month(), 1);
}

TEST_F(DisclosureRequestRepositoryTest, ApplicantOrdinalCountsTheSameApplicantInTheSameMonth) {
  const int64_t unit = NewUnit();
  ASSERT_OK_AND_ASSIGN(v1::DisclosureRequest may,
                       Create(NewRequest(unit, absl::CivilDay(2024, 5, 31)), "P"));
  ASSERT_OK_AND_ASSIGN(v1::DisclosureRequest a,
                       Create(NewRequest(unit, absl::CivilDay(2024, 6, 3)), "P"));
  ASSERT_OK_AND_ASSIGN(v1::DisclosureRequest other,
                       Create(NewRequest(unit, absl::CivilDay(2024, 6, 3)), "Q"));
  ASSERT_OK_AND_ASSIGN(v1::DisclosureRequest b,
                       Create(NewRequest(unit, absl::CivilDay(2024, 6, 3)), "P"));
  ASSERT_OK_AND_ASSIGN(v1::DisclosureRequest c,
                       Create(NewRequest(unit, absl::CivilDay(2024, 6, 30)), "P"));
  EXPECT_THAT(repo().ApplicantOrdinalInMonth(may.id()), IsOkAndHolds(1));
  EXPECT_THAT(repo().ApplicantOrdinalInMonth(a.id()), IsOkAndHolds(1));
  EXPECT_THAT(repo().ApplicantOrdinalInMonth(b.id()), IsOkAndHolds(2));
  EXPECT_THAT(repo().ApplicantOrdinalInMonth(c.id()), IsOkAndHolds(3));
  EXPECT_THAT(repo().ApplicantOrdinalInMonth(other.id()), IsOkAndHolds(1));
}

// CAT-7: the most-requested grouping reads what each request of the unit's year asked
// for (subject, applicant, outcome, the document or outside publication of an "already
// public" answer) in keyset batches by id; other years and units are not read.
TEST_F(DisclosureRequestRepositoryTest, Cat7RequestDescriptionsOfTheYearInKeysetBatches) {
  const int64_t unit = NewUnit();
  const int64_t other_unit = NewUnit();
  ASSERT_OK_AND_ASSIGN(v1::DisclosureRequest first,
                       Create(NewRequest(unit, absl::CivilDay(2024, 1, 1), "学区划分"), "P"));
  v1::DisclosureRequest answered = NewRequest(unit, absl::CivilDay(2024, 3, 1), "征地补偿");
  answered.set_state(v1::REQUEST_ANSWERED);
  answered.set_outcome(v1::OUTCOME_ALREADY_PUBLIC);
  answered.set_already_public_document_id(77);
  answered.set_already_public_reference("《南宁市人民政府公报》2024年第3期");
  ASSERT_OK_AND_ASSIGN(v1::DisclosureRequest second, Create(answered, "Q"));
  ASSERT_OK_AND_ASSIGN(v1::DisclosureRequest last,
                       Create(NewRequest(unit, absl::CivilDay(2024, 12, 31), "学区划分"), "R"));
  ASSERT_THAT(Create(NewRequest(unit, absl::CivilDay(2023, 12, 31), "学区划分")), IsOk());
  ASSERT_THAT(Create(NewRequest(unit, absl::CivilDay(2025, 1, 1), "学区划分")), IsOk());
  ASSERT_THAT(Create(NewRequest(other_unit, absl::CivilDay(2024, 6, 1), "学区划分")), IsOk());

  const absl::CivilDay jan1(2024, 1, 1), dec31(2024, 12, 31);
  ASSERT_OK_AND_ASSIGN(std::vector<RequestDescription> batch,
                       repo().ListRequestDescriptions(unit, jan1, dec31, 0, 2));
  ASSERT_EQ(batch.size(), 2u);
  EXPECT_EQ(batch[0].id, first.id());
  EXPECT_EQ(batch[0].subject, "学区划分");
  EXPECT_EQ(batch[0].applicant_key, "P");
  EXPECT_EQ(batch[0].outcome, v1::REQUEST_OUTCOME_UNSPECIFIED);
  EXPECT_EQ(batch[0].already_public_document_id, 0);
  EXPECT_EQ(batch[1].id, second.id());
  EXPECT_EQ(batch[1].outcome, v1::OUTCOME_ALREADY_PUBLIC);
  EXPECT_EQ(batch[1].already_public_document_id, 77);
  EXPECT_EQ(batch[1].already_public_reference, "《南宁市人民政府公报》2024年第3期");
  ASSERT_OK_AND_ASSIGN(std::vector<RequestDescription> rest,
                       repo().ListRequestDescriptions(unit, jan1, dec31, batch[1].id, 2));
  ASSERT_EQ(rest.size(), 1u);
  EXPECT_EQ(rest[0].id, last.id());
  EXPECT_EQ(rest[0].applicant_key, "R");
}

TEST_F(DisclosureRequestRepositoryTest, ChallengeIsDecidedOnceAndRecordedInTheHistory) {
  const int64_t unit = NewUnit();
  ASSERT_OK_AND_ASSIGN(v1::DisclosureRequest r,
                       Create(NewRequest(unit, absl::CivilDay(2024, 6, 3))));
  v1::DisclosureChallenge c;
  c.set_disclosure_request_id(r.id());
  c.set_unit_id(unit);
  c.set_kind(v1::CHALLENGE_ADMINISTRATIVE_REVIEW);
  c.set_result(v1::CHALLENGE_PENDING);
  *c.mutable_filed_on() = ToProtoDate(absl::CivilDay(2024, 7, 1));
  c.set_case_number("复议〔2024〕1号");
  c.set_created_by("alice");
  const RequestEvent event =
      Event("challenge_recorded", v1::REQUEST_ANSWERED, v1::REQUEST_ANSWERED);
  ASSERT_OK_AND_ASSIGN(v1::DisclosureChallenge created, repo().CreateChallenge(c, event, nullptr));
  ASSERT_OK_AND_ASSIGN(v1::DisclosureChallenge read, repo().GetChallenge(created.id()));
  EXPECT_THAT(read, EqualsProto(created));
  v1::DisclosureChallenge decided = read;
  decided.set_result(v1::CHALLENGE_CORRECTED);
  *decided.mutable_decided_on() = ToProtoDate(absl::CivilDay(2024, 8, 1));
  ASSERT_THAT(repo().UpdateChallenge(decided, event), IsOk());
  EXPECT_THAT(repo().UpdateChallenge(decided, event),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("no longer pending")));
  ASSERT_OK_AND_ASSIGN(std::vector<v1::DisclosureChallenge> all, repo().ListChallenges(r.id()));
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].result(), v1::CHALLENGE_CORRECTED);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM disclosure_request_history WHERE request_id = ?", {r.id()}),
            3);
}

TEST_F(DisclosureRequestRepositoryTest, CountsOverdueAndDueSoonOnlyWhileTheClockRuns) {
  ASSERT_OK_AND_ASSIGN(RequestCounts before, repo().CountRequests(absl::CivilDay(2030, 1, 1),
                                                                  absl::CivilDay(2030, 1, 8)));
  const int64_t unit = NewUnit();
  v1::DisclosureRequest late = NewRequest(unit, absl::CivilDay(2029, 11, 1));     // Due 11-29.
  v1::DisclosureRequest soon = NewRequest(unit, absl::CivilDay(2029, 12, 6));     // Due 2030-01-03.
  v1::DisclosureRequest waiting = NewRequest(unit, absl::CivilDay(2029, 11, 1));  // Stopped.
  waiting.set_state(v1::REQUEST_AWAITING_CORRECTION);
  for (const auto& r : {late, soon, waiting}) ASSERT_THAT(Create(r), IsOk());
  ASSERT_OK_AND_ASSIGN(RequestCounts after, repo().CountRequests(absl::CivilDay(2030, 1, 1),
                                                                 absl::CivilDay(2030, 1, 8)));
  EXPECT_EQ(after.overdue - before.overdue, 1);
  EXPECT_EQ(after.due_soon - before.due_soon, 1);
  EXPECT_EQ(after.by_state[v1::REQUEST_AWAITING_CORRECTION] -
                before.by_state[v1::REQUEST_AWAITING_CORRECTION],
            1);
}

TEST_F(DisclosureRequestRepositoryTest, Asm6EvidenceCountsRequestsAgainstTheStoredNat7DueDate) {
  const int64_t unit = NewUnit();
  auto answer = [&](int64_t id, absl::CivilDay on) {
    return Execute(
        "UPDATE disclosure_requests SET state = ?, outcome = ?, answered_on = ? "
        "WHERE id = ?",
        {static_cast<int>(v1::REQUEST_ANSWERED), static_cast<int>(v1::OUTCOME_DISCLOSED), on, id});
  };
  // Received 06-03, due 07-01 (NewRequest: received + 28).
  ASSERT_OK_AND_ASSIGN(v1::DisclosureRequest on_time,
                       Create(NewRequest(unit, absl::CivilDay(2024, 6, 3))));
  ASSERT_THAT(answer(on_time.id(), absl::CivilDay(2024, 6, 20)), IsOk());
  ASSERT_OK_AND_ASSIGN(v1::DisclosureRequest answered_july,
                       Create(NewRequest(unit, absl::CivilDay(2024, 6, 3))));
  ASSERT_THAT(answer(answered_july.id(), absl::CivilDay(2024, 7, 5)), IsOk());
  // Received 05-01, due 05-29.
  ASSERT_OK_AND_ASSIGN(v1::DisclosureRequest open,
                       Create(NewRequest(unit, absl::CivilDay(2024, 5, 1))));
  ASSERT_OK_AND_ASSIGN(v1::DisclosureRequest late,
                       Create(NewRequest(unit, absl::CivilDay(2024, 5, 1))));
  ASSERT_THAT(answer(late.id(), absl::CivilDay(2024, 6, 10)), IsOk());
  v1::DisclosureRequest waiting = NewRequest(unit, absl::CivilDay(2024, 5, 1));
  waiting.set_state(v1::REQUEST_AWAITING_CORRECTION);
  ASSERT_THAT(Create(waiting), IsOk());
  // NAT-10 Table 4: a review filed in June whose result corrected the answer.
  v1::DisclosureChallenge c;
  c.set_disclosure_request_id(on_time.id());
  c.set_unit_id(unit);
  c.set_kind(v1::CHALLENGE_ADMINISTRATIVE_REVIEW);
  c.set_result(v1::CHALLENGE_CORRECTED);
  *c.mutable_filed_on() = ToProtoDate(absl::CivilDay(2024, 6, 15));
  c.set_created_by("alice");
  ASSERT_THAT(
      repo().CreateChallenge(
          c, Event("challenge_recorded", v1::REQUEST_ANSWERED, v1::REQUEST_ANSWERED), nullptr),
      IsOk());

  RequestEvidencePeriod june{unit, absl::CivilDay(2024, 6, 1), absl::CivilDay(2024, 6, 30),
                             absl::CivilDay(2024, 6, 30)};
  ASSERT_OK_AND_ASSIGN(RequestEvidence e, repo().EvidenceForUnit(june));
  EXPECT_THAT(e.received.ids, ElementsAre(on_time.id(), answered_july.id()));
  EXPECT_EQ(e.received.count, 2);
  EXPECT_THAT(e.answered.ids, ElementsAre(on_time.id(), late.id()));
  EXPECT_THAT(e.answered_on_time.ids, ElementsAre(on_time.id()));
  EXPECT_THAT(e.answered_late.ids, ElementsAre(late.id()));
  EXPECT_THAT(e.open_overdue.ids, ElementsAre(open.id()));
  EXPECT_THAT(e.challenged.ids, ElementsAre(on_time.id()));
  EXPECT_THAT(e.challenge_corrected.ids, ElementsAre(on_time.id()));
  EXPECT_EQ(e.answered_without_due_date, 0);
  // At the end of 06-05 the late one was still open and past its due date too.
  june.overdue_by = absl::CivilDay(2024, 6, 5);
  ASSERT_OK_AND_ASSIGN(e, repo().EvidenceForUnit(june));
  EXPECT_THAT(e.open_overdue.ids, ElementsAre(open.id(), late.id()));
}

}  // namespace
}  // namespace gongkai::catalog::requests
