// Integration tests (label: integration) of the catalog's MySQL repository
// (services/catalog/mysql_repository.cc) against the contract of
// services/catalog/repository.h, on the real MySQL/MariaDB named by GONGKAI_TEST_MYSQL_*.
//
// Every test suite gets a fresh database with the catalog's embedded migrations applied;
// tests inside a suite isolate their data by creating their own units.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gongkai/catalog/v1/catalog.pb.h"
#include "libs/db/connection_pool.h"
#include "libs/db/testing/status_matchers.h"
#include "libs/db/testing/test_database.h"
#include "libs/protoconv/protoconv.h"
#include "services/catalog/mysql_repository.h"
#include "services/catalog/repository.h"
#include "services/catalog/search_terms.h"
#include "tests/integration/repository_test_support.h"

namespace gongkai::catalog {
namespace {

using ::gongkai::db::testing::IsOk;
using ::gongkai::db::testing::IsOkAndHolds;
using ::gongkai::db::testing::StatusIs;
using ::gongkai::db::testing::TestDatabase;
using ::gongkai::integration::EqualsProto;
using ::gongkai::integration::Ids;
using ::gongkai::integration::MigratedDatabase;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::Optional;
using ::testing::Pair;
using ::testing::ResultOf;
using ::testing::SizeIs;

// A fixed instant with microseconds, as DATETIME(6) stores them.
const absl::Time kT0 = absl::FromUnixMicros(1718000000123456);  // 2024-06-10 06:13:20.123456Z

common::v1::DeadlineExplanation MakeDeadline(absl::CivilDay start, absl::CivilDay due) {
  common::v1::DeadlineExplanation e;
  *e.mutable_start() = ToProtoDate(start);
  e.set_days(20);
  e.set_working_days(true);
  *e.mutable_due() = ToProtoDate(due);
  common::v1::SkippedDay* skipped = e.add_skipped();
  *skipped->mutable_date() = ToProtoDate(start + 1);
  skipped->set_reason("端午节");
  common::v1::CalendarVersion* calendar = e.add_calendars();
  calendar->set_year(static_cast<int32_t>(start.year()));
  calendar->set_version(absl::StrCat("cn-", start.year(), ".1"));
  calendar->set_source("国办发明电〔2023〕7号");
  e.set_text("自发文之日起20个工作日内公开。");
  return e;
}

AuditRecord Audit(absl::string_view action, v1::DocumentState old_state,
                  v1::DocumentState new_state, absl::Time time) {
  AuditRecord a;
  a.actor = "alice";
  a.action = std::string(action);
  a.old_state = old_state;
  a.new_state = new_state;
  a.detail = absl::StrCat(action, " by test");
  a.time = time;
  return a;
}

// The database, pool and repository of one test suite.
class RepositoryEnv {
 public:
  static absl::StatusOr<std::unique_ptr<RepositoryEnv>> Create() {
    // 8 writer threads in the concurrency test, plus checks.
    absl::StatusOr<MigratedDatabase> db = MigratedDatabase::Create("catrepo", /*pool_size=*/12);
    if (!db.ok()) return db.status();
    auto env = std::unique_ptr<RepositoryEnv>(new RepositoryEnv());
    env->db_ = std::move(db->database);
    env->pool_ = std::move(db->pool);
    env->repo_ = NewMysqlCatalogRepository(env->pool_.get());
    return env;
  }

  CatalogRepository& repo() { return *repo_; }

  // The single integer `sql` returns (e.g. a COUNT(*)).
  absl::StatusOr<int64_t> QueryInt(absl::string_view sql, std::vector<db::Value> params = {}) {
    absl::StatusOr<db::ConnectionLease> conn = pool_->Acquire();
    if (!conn.ok()) return conn.status();
    absl::StatusOr<db::ResultSet> rows = (*conn)->Query(sql, params);
    if (!rows.ok()) return rows.status();
    if (rows->size() != 1) return absl::InternalError("expected exactly one row");
    return (*rows)[0].GetInt64(0);
  }

  absl::StatusOr<db::ResultSet> Query(absl::string_view sql, std::vector<db::Value> params = {}) {
    absl::StatusOr<db::ConnectionLease> conn = pool_->Acquire();
    if (!conn.ok()) return conn.status();
    return (*conn)->Query(sql, params);
  }

  absl::Status Execute(absl::string_view sql, std::vector<db::Value> params = {}) {
    absl::StatusOr<db::ConnectionLease> conn = pool_->Acquire();
    if (!conn.ok()) return conn.status();
    return (*conn)->Execute(sql, params).status();
  }

 private:
  RepositoryEnv() = default;

  // Destroyed in reverse order: repository, pool, then the database is dropped.
  std::unique_ptr<TestDatabase> db_;
  std::unique_ptr<db::ConnectionPool> pool_;
  std::unique_ptr<CatalogRepository> repo_;
};

// Base of every suite: one fresh migrated database per suite (per `Suite` type). A
// missing GONGKAI_TEST_MYSQL_* environment fails every test of the suite, never skips.
template <typename Suite>
class RepositorySuite : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<std::unique_ptr<RepositoryEnv>> env = RepositoryEnv::Create();
    if (env.ok()) {
      env_ = *std::move(env);
    } else {
      setup_status_ = env.status();
    }
  }
  static void TearDownTestSuite() { env_.reset(); }

  void SetUp() override { ASSERT_NE(env_, nullptr) << "no test database: " << setup_status_; }

  CatalogRepository& repo() { return env_->repo(); }
  RepositoryEnv& env() { return *env_; }

  int64_t Count(absl::string_view sql, std::vector<db::Value> params = {}) {
    absl::StatusOr<int64_t> n = env_->QueryInt(sql, std::move(params));
    EXPECT_THAT(n, IsOk()) << sql;
    return n.ok() ? *n : -1;
  }
  int64_t AuditRows(int64_t document_id) {
    return Count("SELECT COUNT(*) FROM document_audit WHERE document_id = ?", {document_id});
  }

  // A new unit with a code unique in this process.
  v1::Unit NewUnit(int64_t parent_id = 0, v1::UnitLevel level = v1::UNIT_LEVEL_DEPARTMENT) {
    static std::atomic<int> counter{0};
    v1::Unit unit;
    unit.set_code(absl::StrCat("UNIT-", ++counter));
    unit.set_name("南宁市测试局");
    unit.set_level(level);
    unit.set_parent_id(parent_id);
    *unit.mutable_create_time() = ToTimestamp(kT0);
    absl::StatusOr<v1::Unit> created = repo().CreateUnit(unit, nullptr);
    EXPECT_THAT(created, IsOk());
    return created.ok() ? *created : unit;
  }

  // A minimal DRAFT PROACTIVE document of `unit_id`.
  static v1::Document NewDocument(int64_t unit_id, absl::string_view title = "测试文件") {
    v1::Document d;
    d.set_title(std::string(title));
    d.set_body("正文");
    d.set_drafting_unit_id(unit_id);
    d.set_issuing_authority(v1::DEPARTMENT);
    d.set_disclosure_attribute(v1::PROACTIVE);
    d.set_state(v1::DRAFT);
    d.set_created_by("alice");
    return d;
  }

  // Stores `document` as created at `time`; an empty message when that fails.
  v1::Document Create(const v1::Document& document, absl::Time time = kT0) {
    absl::StatusOr<v1::Document> created = repo().CreateDocument(
        document, Audit("create", v1::DOCUMENT_STATE_UNSPECIFIED, document.state(), time), nullptr);
    EXPECT_THAT(created, IsOk());
    return created.ok() ? *created : v1::Document();
  }

  static inline std::unique_ptr<RepositoryEnv> env_;
  static inline absl::Status setup_status_;
};

// ---- Units -------------------------------------------------------------------------------

class UnitsTest : public RepositorySuite<UnitsTest> {};

TEST_F(UnitsTest, CreateAssignsIdAndGetReturnsEveryField) {
  v1::Unit unit;
  unit.set_code("NN-EDU");
  unit.set_name("南宁市教育局");
  unit.set_level(v1::UNIT_LEVEL_DEPARTMENT);
  unit.set_parent_id(7);
  *unit.mutable_create_time() = ToTimestamp(kT0);
  ASSERT_OK_AND_ASSIGN(v1::Unit created, repo().CreateUnit(unit, nullptr));
  EXPECT_GT(created.id(), 0);
  v1::Unit expected = unit;
  expected.set_id(created.id());
  EXPECT_THAT(created, EqualsProto(expected));
  EXPECT_THAT(repo().GetUnit(created.id()), IsOkAndHolds(EqualsProto(expected)));
}

TEST_F(UnitsTest, GetOfMissingUnitIsNotFound) {
  EXPECT_THAT(repo().GetUnit(987654), StatusIs(absl::StatusCode::kNotFound, HasSubstr("987654")));
}

TEST_F(UnitsTest, ListIsNewestFirstWithKeysetPaging) {
  const v1::Unit parent = NewUnit(0, v1::UNIT_LEVEL_CITY);
  std::vector<int64_t> children;
  for (int i = 0; i < 5; ++i) children.push_back(NewUnit(parent.id()).id());
  const UnitFilter filter{parent.id(), v1::UNIT_LEVEL_UNSPECIFIED};

  ASSERT_OK_AND_ASSIGN(std::vector<v1::Unit> page1, repo().ListUnits(filter, {0, 2}));
  EXPECT_THAT(Ids(page1), ElementsAre(children[4], children[3]));
  ASSERT_OK_AND_ASSIGN(std::vector<v1::Unit> page2,
                       repo().ListUnits(filter, {page1.back().id(), 2}));
  EXPECT_THAT(Ids(page2), ElementsAre(children[2], children[1]));
  ASSERT_OK_AND_ASSIGN(std::vector<v1::Unit> page3,
                       repo().ListUnits(filter, {page2.back().id(), 2}));
  EXPECT_THAT(Ids(page3), ElementsAre(children[0]));
  EXPECT_THAT(repo().ListUnits(filter, {page3.back().id(), 2}), IsOkAndHolds(IsEmpty()));
}

TEST_F(UnitsTest, ListFiltersByParentAndLevel) {
  const v1::Unit city = NewUnit(0, v1::UNIT_LEVEL_CITY);
  const v1::Unit county = NewUnit(city.id(), v1::UNIT_LEVEL_COUNTY);
  const v1::Unit department = NewUnit(city.id(), v1::UNIT_LEVEL_DEPARTMENT);
  const v1::Unit township = NewUnit(county.id(), v1::UNIT_LEVEL_TOWNSHIP);

  EXPECT_THAT(repo().ListUnits({city.id(), v1::UNIT_LEVEL_UNSPECIFIED}, {}),
              IsOkAndHolds(ElementsAre(EqualsProto(department), EqualsProto(county))));
  EXPECT_THAT(repo().ListUnits({city.id(), v1::UNIT_LEVEL_COUNTY}, {}),
              IsOkAndHolds(ElementsAre(EqualsProto(county))));
  EXPECT_THAT(repo().ListUnits({county.id(), v1::UNIT_LEVEL_UNSPECIFIED}, {}),
              IsOkAndHolds(ElementsAre(EqualsProto(township))));
  // Level alone: every township of the suite's database, ours first (newest).
  ASSERT_OK_AND_ASSIGN(std::vector<v1::Unit> townships,
                       repo().ListUnits({0, v1::UNIT_LEVEL_TOWNSHIP}, {0, 100}));
  ASSERT_THAT(townships, Not(IsEmpty()));
  for (const v1::Unit& u : townships) EXPECT_EQ(u.level(), v1::UNIT_LEVEL_TOWNSHIP);
  EXPECT_EQ(townships.front().id(), township.id());
}

TEST_F(UnitsTest, DuplicateCodeIsAlreadyExistsAndWritesNothing) {
  const v1::Unit first = NewUnit();
  const int64_t units_before = Count("SELECT COUNT(*) FROM units");
  v1::Unit again = first;
  again.clear_id();
  again.set_name("另一个名称");
  const IdempotencyKey key{"admin", "CreateUnit", "dup-unit-1"};

  EXPECT_THAT(repo().CreateUnit(again, &key),
              StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr("uk_units_code")));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM units"), units_before);
  // The idempotency record was rolled back with the unit.
  EXPECT_THAT(repo().FindIdempotentResponse(key), IsOkAndHolds(std::nullopt));
  EXPECT_THAT(repo().GetUnit(first.id()), IsOkAndHolds(EqualsProto(first)));
}

TEST_F(UnitsTest, CreateWithKeyStoresTheResponse) {
  v1::Unit unit;
  unit.set_code("NN-KEYED");
  unit.set_name("键控单位");
  unit.set_level(v1::UNIT_LEVEL_COUNTY);
  *unit.mutable_create_time() = ToTimestamp(kT0);
  const IdempotencyKey key{"admin", "CreateUnit", "unit-req-1"};
  ASSERT_OK_AND_ASSIGN(v1::Unit created, repo().CreateUnit(unit, &key));
  ASSERT_OK_AND_ASSIGN(std::optional<std::string> stored, repo().FindIdempotentResponse(key));
  ASSERT_TRUE(stored.has_value());
  v1::Unit replay;
  ASSERT_TRUE(replay.ParseFromString(*stored));
  EXPECT_THAT(replay, EqualsProto(created));
}

// ---- Documents: create, get, update ------------------------------------------------------

class DocumentsTest : public RepositorySuite<DocumentsTest> {
 protected:
  // A document with every input field set, in Chinese where it is text.
  v1::Document FullDocument(int64_t unit_id) {
    v1::Document d;
    d.set_title("关于印发《2024年政务公开工作要点》的通知");
    d.set_body(
        "各县（市、区）人民政府，市政府各部门：\n现将《2024年政务公开工作要点》印发给你们，"
        "请认真贯彻执行。🙂");
    d.set_document_number("南府办发〔2024〕12号");
    d.set_drafting_unit_id(unit_id);
    d.set_issuing_authority(v1::CITY_GOVERNMENT_OFFICE);
    d.set_is_policy_document(true);
    d.set_key_area(v1::EDUCATION);
    d.set_category_id(109);
    d.set_disclosure_attribute(v1::ON_REQUEST);
    d.set_nondisclosure_reason("涉及第三方合法权益，公开会对第三方合法权益造成损害");
    d.set_legal_basis("《中华人民共和国政府信息公开条例》第十五条");
    d.set_publication_limit_working_days(15);
    d.set_state(v1::PUBLISHED);
    d.set_return_cause("缺少不予公开的法律依据");
    d.set_review_outcome(v1::REVIEW_PASSED);
    d.set_review_note("同意公开");
    d.set_reviewer("审核员张三");
    *d.mutable_publication_deadline() =
        MakeDeadline(absl::CivilDay(2024, 6, 10), absl::CivilDay(2024, 7, 8));
    *d.mutable_publish_time() = ToTimestamp(kT0 + absl::Hours(2) + absl::Microseconds(7));
    d.set_created_by("起草人李四");
    return d;
  }
};

TEST_F(DocumentsTest, CreateAssignsIdVersionOneAndTimesFromTheAudit) {
  const v1::Unit unit = NewUnit();
  ASSERT_OK_AND_ASSIGN(
      v1::Document created,
      repo().CreateDocument(NewDocument(unit.id()),
                            Audit("create", v1::DOCUMENT_STATE_UNSPECIFIED, v1::DRAFT, kT0),
                            nullptr));
  EXPECT_GT(created.id(), 0);
  EXPECT_EQ(created.version(), 1);
  EXPECT_EQ(FromTimestamp(created.create_time()), kT0);
  EXPECT_EQ(FromTimestamp(created.update_time()), kT0);
  EXPECT_FALSE(created.has_publish_time());
  EXPECT_EQ(AuditRows(created.id()), 1);
  EXPECT_THAT(repo().GetDocument(created.id()), IsOkAndHolds(EqualsProto(created)));
}

TEST_F(DocumentsTest, EveryFieldRoundTripsIncludingChineseTextDeadlineAndPublishTime) {
  const v1::Unit unit = NewUnit();
  const v1::Document input = FullDocument(unit.id());
  const v1::Document created = Create(input);
  v1::Document expected = input;
  expected.set_id(created.id());
  expected.set_version(1);
  *expected.mutable_create_time() = ToTimestamp(kT0);
  *expected.mutable_update_time() = ToTimestamp(kT0);
  EXPECT_THAT(created, EqualsProto(expected));
  EXPECT_THAT(repo().GetDocument(created.id()), IsOkAndHolds(EqualsProto(expected)));
}

TEST_F(DocumentsTest, DeadlineIsAlsoStoredInItsIndexedColumns) {
  const v1::Unit unit = NewUnit();
  const v1::Document created = Create(FullDocument(unit.id()));
  ASSERT_OK_AND_ASSIGN(
      db::ResultSet rows,
      env().Query("SELECT publication_due, calendar_versions FROM documents WHERE id = ?",
                  {created.id()}));
  ASSERT_THAT(rows, SizeIs(1));
  EXPECT_THAT(rows[0].GetCivilDay("publication_due"), IsOkAndHolds(absl::CivilDay(2024, 7, 8)));
  EXPECT_THAT(rows[0].GetString("calendar_versions"), IsOkAndHolds(std::string("2024:cn-2024.1")));

  // Without a deadline both are empty.
  const v1::Document plain = Create(NewDocument(unit.id()));
  ASSERT_OK_AND_ASSIGN(
      db::ResultSet plain_rows,
      env().Query("SELECT publication_due IS NULL AS no_due, publication_deadline IS NULL AS "
                  "no_blob FROM documents WHERE id = ?",
                  {plain.id()}));
  EXPECT_THAT(plain_rows[0].GetInt64("no_due"), IsOkAndHolds(1));
  EXPECT_THAT(plain_rows[0].GetInt64("no_blob"), IsOkAndHolds(1));
  ASSERT_OK_AND_ASSIGN(v1::Document loaded, repo().GetDocument(plain.id()));
  EXPECT_FALSE(loaded.has_publication_deadline());
}

TEST_F(DocumentsTest, PublishTimeNullStaysUnsetAndSetOneRoundTrips) {
  const v1::Unit unit = NewUnit();
  v1::Document unpublished = NewDocument(unit.id());
  const v1::Document a = Create(unpublished);
  ASSERT_OK_AND_ASSIGN(v1::Document loaded_a, repo().GetDocument(a.id()));
  EXPECT_FALSE(loaded_a.has_publish_time());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM documents WHERE id = ? AND publish_time IS NULL", {a.id()}),
            1);

  v1::Document published = NewDocument(unit.id());
  published.set_state(v1::PUBLISHED);
  const absl::Time when = kT0 + absl::Seconds(90) + absl::Microseconds(1);
  *published.mutable_publish_time() = ToTimestamp(when);
  const v1::Document b = Create(published);
  ASSERT_OK_AND_ASSIGN(v1::Document loaded_b, repo().GetDocument(b.id()));
  ASSERT_TRUE(loaded_b.has_publish_time());
  EXPECT_EQ(FromTimestamp(loaded_b.publish_time()), when);
}

TEST_F(DocumentsTest, OneMegabyteBodyRoundTrips) {
  const v1::Unit unit = NewUnit();
  std::string body;
  while (body.size() + 12 <= 1000000) body += "政务公开透明";  // 18 bytes per repeat.
  while (body.size() < 1000000) body += "x";
  ASSERT_EQ(body.size(), 1000000u);
  v1::Document d = NewDocument(unit.id());
  d.set_body(body);
  const v1::Document created = Create(d);
  ASSERT_OK_AND_ASSIGN(v1::Document loaded, repo().GetDocument(created.id()));
  EXPECT_EQ(loaded.body().size(), body.size());
  EXPECT_TRUE(loaded.body() == body) << "the stored body differs";
}

TEST_F(DocumentsTest, GetOfMissingDocumentIsNotFound) {
  EXPECT_THAT(repo().GetDocument(424242),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("document 424242")));
}

TEST_F(DocumentsTest, UpdateWithCurrentVersionBumpsVersionAndWritesAudit) {
  const v1::Unit unit = NewUnit();
  const v1::Document created = Create(NewDocument(unit.id()));
  v1::Document changed = created;
  changed.set_title("修改后的标题");
  changed.set_body("修改后的正文");
  changed.set_state(v1::PENDING_REVIEW);
  const absl::Time later = kT0 + absl::Minutes(5);

  ASSERT_OK_AND_ASSIGN(
      v1::Document updated,
      repo().UpdateDocument(changed, 1, Audit("submit", v1::DRAFT, v1::PENDING_REVIEW, later),
                            std::nullopt));
  EXPECT_EQ(updated.version(), 2);
  EXPECT_EQ(FromTimestamp(updated.update_time()), later);
  EXPECT_EQ(FromTimestamp(updated.create_time()), kT0);
  EXPECT_THAT(repo().GetDocument(created.id()), IsOkAndHolds(EqualsProto(updated)));
  EXPECT_EQ(AuditRows(created.id()), 2);
  ASSERT_OK_AND_ASSIGN(std::vector<common::v1::AuditEntry> audit,
                       repo().ListAudit(created.id(), {}));
  ASSERT_THAT(audit, SizeIs(2));
  EXPECT_EQ(audit[0].action(), "submit");
  EXPECT_EQ(audit[0].old_state(), "DRAFT");
  EXPECT_EQ(audit[0].new_state(), "PENDING_REVIEW");
  EXPECT_EQ(audit[0].actor(), "alice");
  EXPECT_EQ(audit[0].detail(), "submit by test");
  EXPECT_EQ(FromTimestamp(audit[0].time()), later);
}

TEST_F(DocumentsTest, UpdateWithStaleVersionIsAbortedAndChangesNothing) {
  const v1::Unit unit = NewUnit();
  const v1::Document created = Create(NewDocument(unit.id()));
  v1::Document first = created;
  first.set_title("第一次修改");
  ASSERT_OK_AND_ASSIGN(
      v1::Document v2,
      repo().UpdateDocument(first, 1, Audit("update", v1::DRAFT, v1::DRAFT, kT0), std::nullopt));

  v1::Document stale = created;
  stale.set_title("基于旧版本的修改");
  EXPECT_THAT(repo().UpdateDocument(stale, 1, Audit("update", v1::DRAFT, v1::DRAFT, kT0),
                                    std::vector<std::string>{"旧版"}),
              StatusIs(absl::StatusCode::kAborted, HasSubstr("version 2")));
  EXPECT_THAT(repo().GetDocument(created.id()), IsOkAndHolds(EqualsProto(v2)));
  EXPECT_EQ(AuditRows(created.id()), 2);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM document_terms WHERE document_id = ?", {created.id()}), 0);
}

// A stale version can never succeed on retry (unlike a deadlock), so it is reported
// after one attempt, with the repository's own message.
TEST_F(DocumentsTest, StaleVersionIsReportedWithoutRetrying) {
  const v1::Unit unit = NewUnit();
  const v1::Document created = Create(NewDocument(unit.id()));
  ASSERT_THAT(
      repo().UpdateDocument(created, 1, Audit("update", v1::DRAFT, v1::DRAFT, kT0), std::nullopt),
      IsOk());
  EXPECT_THAT(
      repo().UpdateDocument(created, 1, Audit("update", v1::DRAFT, v1::DRAFT, kT0), std::nullopt),
      StatusIs(absl::StatusCode::kAborted,
               AllOf(HasSubstr("is at version 2, not 1"), Not(HasSubstr("gave up")))));
}

TEST_F(DocumentsTest, UpdateOfMissingDocumentIsNotFound) {
  v1::Document ghost = NewDocument(1);
  ghost.set_id(777777);
  EXPECT_THAT(
      repo().UpdateDocument(ghost, 1, Audit("update", v1::DRAFT, v1::DRAFT, kT0), std::nullopt),
      StatusIs(absl::StatusCode::kNotFound, HasSubstr("document 777777")));
  EXPECT_EQ(AuditRows(777777), 0);
}

TEST_F(DocumentsTest, UpdateWithoutDeadlineClearsTheStoredOne) {
  const v1::Unit unit = NewUnit();
  const v1::Document created = Create(FullDocument(unit.id()));
  v1::Document changed = created;
  changed.clear_publication_deadline();
  changed.clear_publish_time();
  ASSERT_THAT(
      repo().UpdateDocument(changed, 1, Audit("update", v1::DRAFT, v1::DRAFT, kT0), std::nullopt),
      IsOk());
  ASSERT_OK_AND_ASSIGN(v1::Document loaded, repo().GetDocument(created.id()));
  EXPECT_FALSE(loaded.has_publication_deadline());
  EXPECT_FALSE(loaded.has_publish_time());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM documents WHERE id = ? AND publication_due IS NULL "
                  "AND calendar_versions = ''",
                  {created.id()}),
            1);
}

// ---- Documents: idempotency and atomicity -------------------------------------------------

TEST_F(DocumentsTest, CreateWithUsedIdempotencyKeyIsAlreadyExistsAndCreatesNoDocument) {
  const v1::Unit unit = NewUnit();
  const IdempotencyKey key{"alice", "CreateDocument", "req-atomic-1"};
  ASSERT_OK_AND_ASSIGN(
      v1::Document first,
      repo().CreateDocument(NewDocument(unit.id(), "第一份"),
                            Audit("create", v1::DOCUMENT_STATE_UNSPECIFIED, v1::DRAFT, kT0), &key));
  const int64_t documents_before = Count("SELECT COUNT(*) FROM documents");
  const int64_t audit_before = Count("SELECT COUNT(*) FROM document_audit");

  EXPECT_THAT(
      repo().CreateDocument(NewDocument(unit.id(), "第二份"),
                            Audit("create", v1::DOCUMENT_STATE_UNSPECIFIED, v1::DRAFT, kT0), &key),
      StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr("PRIMARY")));
  // The document insert and its audit row were rolled back with the key's insert.
  EXPECT_EQ(Count("SELECT COUNT(*) FROM documents"), documents_before);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM document_audit"), audit_before);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM documents WHERE title = ?", {"第二份"}), 0);
  DocumentFilter by_unit;
  by_unit.drafting_unit_id = unit.id();
  EXPECT_THAT(repo().ListDocuments(by_unit, {}), IsOkAndHolds(ElementsAre(EqualsProto(first))));
}

TEST_F(DocumentsTest, SameRequestIdOfAnotherSubjectOrMethodIsIndependent) {
  const v1::Unit unit = NewUnit();
  const IdempotencyKey alice{"alice", "CreateDocument", "req-shared"};
  const IdempotencyKey bob{"bob", "CreateDocument", "req-shared"};
  const IdempotencyKey other_method{"alice", "CreateUnit", "req-shared"};
  const AuditRecord audit = Audit("create", v1::DOCUMENT_STATE_UNSPECIFIED, v1::DRAFT, kT0);
  EXPECT_THAT(repo().CreateDocument(NewDocument(unit.id()), audit, &alice), IsOk());
  EXPECT_THAT(repo().CreateDocument(NewDocument(unit.id()), audit, &bob), IsOk());
  EXPECT_THAT(repo().FindIdempotentResponse(other_method), IsOkAndHolds(std::nullopt));
}

TEST_F(DocumentsTest, FindIdempotentResponseReturnsTheStoredSerializedResponse) {
  const v1::Unit unit = NewUnit();
  const IdempotencyKey key{"alice", "CreateDocument", "req-find-1"};
  EXPECT_THAT(repo().FindIdempotentResponse(key), IsOkAndHolds(std::nullopt));
  ASSERT_OK_AND_ASSIGN(
      v1::Document created,
      repo().CreateDocument(FullDocument(unit.id()),
                            Audit("create", v1::DOCUMENT_STATE_UNSPECIFIED, v1::PUBLISHED, kT0),
                            &key));
  ASSERT_OK_AND_ASSIGN(std::optional<std::string> stored, repo().FindIdempotentResponse(key));
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(*stored, created.SerializeAsString());
  v1::Document replay;
  ASSERT_TRUE(replay.ParseFromString(*stored));
  EXPECT_THAT(replay, EqualsProto(created));
}

TEST_F(DocumentsTest, ListAuditIsNewestFirstWithPaging) {
  const v1::Unit unit = NewUnit();
  v1::Document doc = Create(NewDocument(unit.id()));
  for (int i = 1; i <= 4; ++i) {
    ASSERT_OK_AND_ASSIGN(doc, repo().UpdateDocument(doc, doc.version(),
                                                    Audit(absl::StrCat("edit-", i), v1::DRAFT,
                                                          v1::DRAFT, kT0 + absl::Seconds(i)),
                                                    std::nullopt));
  }
  auto actions = [](const std::vector<common::v1::AuditEntry>& entries) {
    std::vector<std::string> out;
    for (const auto& e : entries) out.push_back(e.action());
    return out;
  };
  ASSERT_OK_AND_ASSIGN(std::vector<common::v1::AuditEntry> page1,
                       repo().ListAudit(doc.id(), {0, 2}));
  EXPECT_THAT(actions(page1), ElementsAre("edit-4", "edit-3"));
  ASSERT_OK_AND_ASSIGN(std::vector<common::v1::AuditEntry> page2,
                       repo().ListAudit(doc.id(), {page1.back().id(), 2}));
  EXPECT_THAT(actions(page2), ElementsAre("edit-2", "edit-1"));
  ASSERT_OK_AND_ASSIGN(std::vector<common::v1::AuditEntry> page3,
                       repo().ListAudit(doc.id(), {page2.back().id(), 2}));
  EXPECT_THAT(actions(page3), ElementsAre("create"));
  EXPECT_EQ(page3[0].old_state(), "DOCUMENT_STATE_UNSPECIFIED");
  EXPECT_EQ(page3[0].new_state(), "DRAFT");
  EXPECT_THAT(repo().ListAudit(doc.id(), {page3.back().id(), 2}), IsOkAndHolds(IsEmpty()));
}

// ---- Documents: list filters and paging ---------------------------------------------------

// NAT-10 (migration 0008): the repeal columns round-trip; a repeal is an update of a
// PUBLISHED document that keeps its state and search terms.
TEST_F(DocumentsTest, Nat10RepealColumnsRoundTripAndStartEmpty) {
  const v1::Unit unit = NewUnit();
  const v1::Document created = Create(FullDocument(unit.id()));
  EXPECT_FALSE(created.has_repealed_on());
  ASSERT_OK_AND_ASSIGN(v1::Document read, repo().GetDocument(created.id()));
  EXPECT_FALSE(read.has_repealed_on());
  EXPECT_EQ(read.repealing_document(), "");
  EXPECT_EQ(read.repeal_reason(), "");
  EXPECT_EQ(
      Count("SELECT COUNT(*) FROM documents WHERE id = ? AND repealed_on IS NULL", {created.id()}),
      1);

  v1::Document repealed = created;
  *repealed.mutable_repealed_on() = ToProtoDate(absl::CivilDay(2024, 12, 31));
  repealed.set_repealing_document("南府发〔2025〕1号《关于废止部分规范性文件的决定》");
  repealed.set_repeal_reason("已被新的政策替代，不再适用");
  const absl::Time later = kT0 + absl::Hours(3);
  ASSERT_OK_AND_ASSIGN(
      v1::Document updated,
      repo().UpdateDocument(repealed, 1, Audit("repeal", v1::PUBLISHED, v1::PUBLISHED, later),
                            std::nullopt));
  EXPECT_EQ(updated.version(), 2);
  EXPECT_THAT(repo().GetDocument(created.id()), IsOkAndHolds(EqualsProto(updated)));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM documents WHERE id = ? AND repealed_on = ?",
                  {created.id(), absl::CivilDay(2024, 12, 31)}),
            1);
  ASSERT_OK_AND_ASSIGN(std::vector<common::v1::AuditEntry> audit,
                       repo().ListAudit(created.id(), {}));
  ASSERT_THAT(audit, SizeIs(2));
  EXPECT_EQ(audit[0].action(), "repeal");
  EXPECT_EQ(audit[0].old_state(), "PUBLISHED");
  EXPECT_EQ(audit[0].new_state(), "PUBLISHED");
}

TEST_F(DocumentsTest, Nat10RepealWithStaleVersionIsAbortedAndChangesNothing) {
  const v1::Unit unit = NewUnit();
  const v1::Document created = Create(FullDocument(unit.id()));
  v1::Document first = created;
  first.set_review_note("再次确认");
  ASSERT_OK_AND_ASSIGN(
      v1::Document v2,
      repo().UpdateDocument(first, 1, Audit("update", v1::PUBLISHED, v1::PUBLISHED, kT0),
                            std::nullopt));
  v1::Document stale = created;
  *stale.mutable_repealed_on() = ToProtoDate(absl::CivilDay(2025, 1, 1));
  stale.set_repeal_reason("理由");
  EXPECT_THAT(repo().UpdateDocument(stale, 1, Audit("repeal", v1::PUBLISHED, v1::PUBLISHED, kT0),
                                    std::nullopt),
              StatusIs(absl::StatusCode::kAborted, HasSubstr("version 2")));
  EXPECT_THAT(repo().GetDocument(created.id()), IsOkAndHolds(EqualsProto(v2)));
  EXPECT_EQ(AuditRows(created.id()), 2);
}

class ListDocumentsTest : public RepositorySuite<ListDocumentsTest> {};

TEST_F(ListDocumentsTest, FiltersByUnitCategoryKeyAreaAttributeAndState) {
  const v1::Unit unit = NewUnit();
  const v1::Unit other = NewUnit();
  v1::Document a = NewDocument(unit.id(), "A");
  a.set_category_id(109);
  a.set_key_area(v1::EDUCATION);
  v1::Document b = NewDocument(unit.id(), "B");
  b.set_category_id(110);
  b.set_key_area(v1::HEALTH);
  b.set_disclosure_attribute(v1::ON_REQUEST);
  b.set_state(v1::APPROVED);
  v1::Document c = NewDocument(unit.id(), "C");
  c.set_category_id(109);
  c.set_key_area(v1::EDUCATION);
  c.set_disclosure_attribute(v1::NOT_DISCLOSED);
  c.set_state(v1::APPROVED);
  v1::Document elsewhere = NewDocument(other.id(), "D");
  elsewhere.set_category_id(109);
  elsewhere.set_key_area(v1::EDUCATION);
  const int64_t ida = Create(a).id();
  const int64_t idb = Create(b).id();
  const int64_t idc = Create(c).id();
  const int64_t idd = Create(elsewhere).id();

  auto list = [&](DocumentFilter f) { return repo().ListDocuments(f, {0, 100}); };
  DocumentFilter by_unit;
  by_unit.drafting_unit_id = unit.id();
  EXPECT_THAT(list(by_unit), IsOkAndHolds(ResultOf(Ids<v1::Document>, ElementsAre(idc, idb, ida))));
  DocumentFilter f = by_unit;
  f.category_id = 109;
  EXPECT_THAT(list(f), IsOkAndHolds(ResultOf(Ids<v1::Document>, ElementsAre(idc, ida))));
  f = by_unit;
  f.key_area = v1::HEALTH;
  EXPECT_THAT(list(f), IsOkAndHolds(ResultOf(Ids<v1::Document>, ElementsAre(idb))));
  f = by_unit;
  f.attribute = v1::NOT_DISCLOSED;
  EXPECT_THAT(list(f), IsOkAndHolds(ResultOf(Ids<v1::Document>, ElementsAre(idc))));
  f = by_unit;
  f.state = v1::APPROVED;
  EXPECT_THAT(list(f), IsOkAndHolds(ResultOf(Ids<v1::Document>, ElementsAre(idc, idb))));
  f = by_unit;
  f.state = v1::APPROVED;
  f.key_area = v1::EDUCATION;
  EXPECT_THAT(list(f), IsOkAndHolds(ResultOf(Ids<v1::Document>, ElementsAre(idc))));
  // Category alone spans units.
  DocumentFilter by_category;
  by_category.category_id = 109;
  ASSERT_OK_AND_ASSIGN(std::vector<v1::Document> in_category, list(by_category));
  EXPECT_THAT(Ids(in_category), ::testing::IsSupersetOf({idd, idc, ida}));
  for (const v1::Document& d : in_category) EXPECT_EQ(d.category_id(), 109);
}

TEST_F(ListDocumentsTest, CreatedFromIsInclusiveAndCreatedBeforeIsExclusive) {
  // catalog.cc sets created_before to the start of the day after `created_to`, so the
  // upper bound is exclusive (repository.h calls both bounds inclusive).
  const v1::Unit unit = NewUnit();
  const int64_t early = Create(NewDocument(unit.id()), kT0).id();
  const int64_t middle = Create(NewDocument(unit.id()), kT0 + absl::Hours(1)).id();
  const int64_t late = Create(NewDocument(unit.id()), kT0 + absl::Hours(2)).id();
  DocumentFilter f;
  f.drafting_unit_id = unit.id();
  f.created_from = kT0 + absl::Hours(1);
  EXPECT_THAT(repo().ListDocuments(f, {}),
              IsOkAndHolds(ResultOf(Ids<v1::Document>, ElementsAre(late, middle))));
  f.created_before = kT0 + absl::Hours(2);
  EXPECT_THAT(repo().ListDocuments(f, {}),
              IsOkAndHolds(ResultOf(Ids<v1::Document>, ElementsAre(middle))));
  f.created_from.reset();
  f.created_before = kT0 + absl::Hours(1) + absl::Microseconds(1);
  EXPECT_THAT(repo().ListDocuments(f, {}),
              IsOkAndHolds(ResultOf(Ids<v1::Document>, ElementsAre(middle, early))));
}

TEST_F(ListDocumentsTest, OverdueOnSelectsOnlyProactiveUnpublishedDocumentsDueBeforeTheDay) {
  const v1::Unit unit = NewUnit();
  const absl::CivilDay start(2024, 6, 10);
  auto with_due = [&](v1::DisclosureAttribute attribute, v1::DocumentState state,
                      std::optional<absl::CivilDay> due) {
    v1::Document d = NewDocument(unit.id());
    d.set_disclosure_attribute(attribute);
    d.set_state(state);
    if (due.has_value()) *d.mutable_publication_deadline() = MakeDeadline(start, *due);
    return Create(d).id();
  };
  const int64_t draft_due_8th = with_due(v1::PROACTIVE, v1::DRAFT, absl::CivilDay(2024, 7, 8));
  const int64_t approved_due_1st =
      with_due(v1::PROACTIVE, v1::APPROVED, absl::CivilDay(2024, 7, 1));
  with_due(v1::PROACTIVE, v1::PUBLISHED, absl::CivilDay(2024, 7, 1));
  with_due(v1::ON_REQUEST, v1::APPROVED, absl::CivilDay(2024, 7, 1));
  with_due(v1::PROACTIVE, v1::DRAFT, std::nullopt);

  DocumentFilter f;
  f.drafting_unit_id = unit.id();
  f.overdue_on = absl::CivilDay(2024, 7, 9);
  EXPECT_THAT(
      repo().ListDocuments(f, {}),
      IsOkAndHolds(ResultOf(Ids<v1::Document>, ElementsAre(approved_due_1st, draft_due_8th))));
  f.overdue_on = absl::CivilDay(2024, 7, 8);  // Due that day: not yet overdue.
  EXPECT_THAT(repo().ListDocuments(f, {}),
              IsOkAndHolds(ResultOf(Ids<v1::Document>, ElementsAre(approved_due_1st))));
  f.overdue_on = absl::CivilDay(2024, 7, 1);
  EXPECT_THAT(repo().ListDocuments(f, {}), IsOkAndHolds(IsEmpty()));
}

TEST_F(ListDocumentsTest, OmitBodyLeavesTheBodyEmptyAndKeepsTheRest) {
  const v1::Unit unit = NewUnit();
  v1::Document d = NewDocument(unit.id(), "有正文的文件");
  d.set_body("很长的正文");
  const v1::Document created = Create(d);
  DocumentFilter f;
  f.drafting_unit_id = unit.id();
  f.omit_body = true;
  v1::Document expected = created;
  expected.clear_body();
  EXPECT_THAT(repo().ListDocuments(f, {}), IsOkAndHolds(ElementsAre(EqualsProto(expected))));
  f.omit_body = false;
  EXPECT_THAT(repo().ListDocuments(f, {}), IsOkAndHolds(ElementsAre(EqualsProto(created))));
}

TEST_F(ListDocumentsTest, KeysetPagingIsStableWhileNewDocumentsArrive) {
  const v1::Unit unit = NewUnit();
  std::vector<int64_t> ids;
  for (int i = 0; i < 7; ++i) ids.push_back(Create(NewDocument(unit.id())).id());
  DocumentFilter f;
  f.drafting_unit_id = unit.id();
  f.omit_body = true;

  std::vector<int64_t> seen;
  KeysetPage page{0, 3};
  for (int round = 0; round < 10; ++round) {
    ASSERT_OK_AND_ASSIGN(std::vector<v1::Document> docs, repo().ListDocuments(f, page));
    if (docs.empty()) break;
    EXPECT_LE(docs.size(), 3u);
    for (const v1::Document& d : docs) seen.push_back(d.id());
    page.after_id = docs.back().id();
    // A document created between pages sorts before the cursor and is not seen.
    Create(NewDocument(unit.id()));
  }
  EXPECT_THAT(seen, ElementsAre(ids[6], ids[5], ids[4], ids[3], ids[2], ids[1], ids[0]));
}

// ---- Counts ------------------------------------------------------------------------------

// NAT-10: in_force_only leaves out repealed documents (repealed_on set).
TEST_F(ListDocumentsTest, Nat10InForceOnlyLeavesOutRepealedDocuments) {
  const v1::Unit unit = NewUnit();
  v1::Document in_force = NewDocument(unit.id(), "现行有效的文件");
  in_force.set_state(v1::PUBLISHED);
  in_force.set_is_policy_document(true);
  v1::Document repealed = in_force;
  repealed.set_title("已废止的文件");
  *repealed.mutable_repealed_on() = ToProtoDate(absl::CivilDay(2024, 6, 1));
  repealed.set_repeal_reason("已废止");
  const v1::Document a = Create(in_force);
  const v1::Document b = Create(repealed);
  DocumentFilter f;
  f.drafting_unit_id = unit.id();
  f.state = v1::PUBLISHED;
  EXPECT_THAT(repo().ListDocuments(f, {}),
              IsOkAndHolds(ResultOf(Ids<v1::Document>, ElementsAre(b.id(), a.id()))));
  f.in_force_only = true;
  EXPECT_THAT(repo().ListDocuments(f, {}),
              IsOkAndHolds(ResultOf(Ids<v1::Document>, ElementsAre(a.id()))));
}

class CountsTest : public RepositorySuite<CountsTest> {};

TEST_F(CountsTest, CountDocumentsByStateAndCountOverdue) {
  const v1::Unit unit = NewUnit();
  EXPECT_THAT(repo().CountDocumentsByState(), IsOkAndHolds(IsEmpty()));
  const absl::CivilDay start(2024, 6, 10);
  auto add = [&](v1::DocumentState state, v1::DisclosureAttribute attribute,
                 std::optional<absl::CivilDay> due) {
    v1::Document d = NewDocument(unit.id());
    d.set_state(state);
    d.set_disclosure_attribute(attribute);
    if (due.has_value()) *d.mutable_publication_deadline() = MakeDeadline(start, *due);
    Create(d);
  };
  add(v1::DRAFT, v1::PROACTIVE, absl::CivilDay(2024, 7, 8));
  add(v1::DRAFT, v1::PROACTIVE, std::nullopt);
  add(v1::RETURNED, v1::PROACTIVE, absl::CivilDay(2024, 7, 3));
  add(v1::PENDING_REVIEW, v1::PROACTIVE, absl::CivilDay(2024, 7, 2));
  add(v1::APPROVED, v1::PROACTIVE, absl::CivilDay(2024, 7, 1));
  add(v1::APPROVED, v1::NOT_DISCLOSED, absl::CivilDay(2024, 7, 1));
  add(v1::PUBLISHED, v1::PROACTIVE, absl::CivilDay(2024, 7, 1));
  add(v1::PUBLISHED, v1::PROACTIVE, absl::CivilDay(2024, 7, 1));

  EXPECT_THAT(repo().CountDocumentsByState(),
              IsOkAndHolds(ElementsAre(Pair(v1::DRAFT, 2), Pair(v1::RETURNED, 1),
                                       Pair(v1::PENDING_REVIEW, 1), Pair(v1::APPROVED, 2),
                                       Pair(v1::PUBLISHED, 2))));
  EXPECT_THAT(repo().CountOverdue(absl::CivilDay(2024, 7, 9)), IsOkAndHolds(4));
  EXPECT_THAT(repo().CountOverdue(absl::CivilDay(2024, 7, 3)), IsOkAndHolds(2));
  EXPECT_THAT(repo().CountOverdue(absl::CivilDay(2024, 7, 1)), IsOkAndHolds(0));
  // The list filter and the count agree.
  DocumentFilter f;
  f.overdue_on = absl::CivilDay(2024, 7, 9);
  EXPECT_THAT(repo().ListDocuments(f, {0, 100}), IsOkAndHolds(SizeIs(4)));
}

// ---- Search ------------------------------------------------------------------------------

class SearchTest : public RepositorySuite<SearchTest> {
 protected:
  struct Corpus {
    int64_t report_2024 = 0;  // Published, EDUCATION.
    int64_t key_points = 0;   // Published, HEALTH.
    int64_t draft = 0;        // Indexed but not published.
    int64_t report_2023 = 0;  // Published, EDUCATION.
  };

  // Stores a document, then publishes it (or not) with its terms indexed.
  int64_t Indexed(int64_t unit_id, absl::string_view title, v1::KeyArea key_area, bool publish) {
    v1::Document d = NewDocument(unit_id, title);
    d.set_body("");
    d.set_key_area(key_area);
    const v1::Document created = Create(d);
    v1::Document next = created;
    if (publish) {
      next.set_state(v1::PUBLISHED);
      *next.mutable_publish_time() = ToTimestamp(kT0 + absl::Hours(1));
    }
    EXPECT_THAT(repo().UpdateDocument(next, created.version(),
                                      Audit("publish", v1::DRAFT, next.state(), kT0),
                                      DocumentTerms(title, "")),
                IsOk());
    return created.id();
  }

  Corpus SeedCorpus(int64_t unit_id) {
    Corpus c;
    c.report_2024 = Indexed(unit_id, "2024年政务公开工作年度报告", v1::EDUCATION, true);
    c.key_points = Indexed(unit_id, "政务公开工作要点", v1::HEALTH, true);
    c.draft = Indexed(unit_id, "政务公开年度报告（草稿）", v1::EDUCATION, false);
    c.report_2023 = Indexed(unit_id, "2023年政务公开工作年度报告", v1::EDUCATION, true);
    return c;
  }

  absl::StatusOr<std::vector<int64_t>> Search(std::vector<std::string> terms, int64_t unit_id,
                                              KeysetPage page = {},
                                              v1::KeyArea key_area = v1::KEY_AREA_UNSPECIFIED) {
    DocumentFilter f;
    f.drafting_unit_id = unit_id;
    f.key_area = key_area;
    absl::StatusOr<std::vector<v1::Document>> docs = repo().SearchPublished(terms, f, page);
    if (!docs.ok()) return docs.status();
    return Ids(*docs);
  }
};

TEST_F(SearchTest, OneTwoAndThreeTermsMatchOnlyPublishedDocumentsWithEveryTermNewestFirst) {
  const v1::Unit unit = NewUnit();
  const Corpus c = SeedCorpus(unit.id());
  EXPECT_THAT(Search({"政务"}, unit.id()),
              IsOkAndHolds(ElementsAre(c.report_2023, c.key_points, c.report_2024)));
  EXPECT_THAT(Search({"年度", "报告"}, unit.id()),
              IsOkAndHolds(ElementsAre(c.report_2023, c.report_2024)));
  EXPECT_THAT(Search({"2024", "年度", "报告"}, unit.id()),
              IsOkAndHolds(ElementsAre(c.report_2024)));
  EXPECT_THAT(Search({"要点", "年度"}, unit.id()), IsOkAndHolds(IsEmpty()));
  EXPECT_THAT(Search({"草稿"}, unit.id()), IsOkAndHolds(IsEmpty()));  // Only the draft has it.
  EXPECT_THAT(Search({"不存在"}, unit.id()), IsOkAndHolds(IsEmpty()));
}

TEST_F(SearchTest, ResultsPageWithAfterId) {
  const v1::Unit unit = NewUnit();
  const Corpus c = SeedCorpus(unit.id());
  EXPECT_THAT(Search({"政务", "公开"}, unit.id(), {0, 1}),
              IsOkAndHolds(ElementsAre(c.report_2023)));
  EXPECT_THAT(Search({"政务", "公开"}, unit.id(), {c.report_2023, 1}),
              IsOkAndHolds(ElementsAre(c.key_points)));
  EXPECT_THAT(Search({"政务", "公开"}, unit.id(), {c.key_points, 1}),
              IsOkAndHolds(ElementsAre(c.report_2024)));
  EXPECT_THAT(Search({"政务", "公开"}, unit.id(), {c.report_2024, 1}), IsOkAndHolds(IsEmpty()));
  EXPECT_THAT(Search({"政务"}, unit.id(), {c.report_2023, 5}),
              IsOkAndHolds(ElementsAre(c.key_points, c.report_2024)));
}

TEST_F(SearchTest, ReplacingTermsWithAnEmptyListRemovesTheDocumentAndNulloptKeepsThem) {
  const v1::Unit unit = NewUnit();
  const Corpus c = SeedCorpus(unit.id());
  ASSERT_OK_AND_ASSIGN(v1::Document key_points, repo().GetDocument(c.key_points));
  ASSERT_OK_AND_ASSIGN(
      key_points,
      repo().UpdateDocument(key_points, key_points.version(),
                            Audit("edit", v1::PUBLISHED, v1::PUBLISHED, kT0), std::nullopt));
  EXPECT_THAT(Search({"要点"}, unit.id()), IsOkAndHolds(ElementsAre(c.key_points)));
  ASSERT_THAT(repo().UpdateDocument(key_points, key_points.version(),
                                    Audit("withdraw", v1::PUBLISHED, v1::PUBLISHED, kT0),
                                    std::vector<std::string>{}),
              IsOk());
  EXPECT_THAT(Search({"要点"}, unit.id()), IsOkAndHolds(IsEmpty()));
  EXPECT_THAT(Search({"政务"}, unit.id()), IsOkAndHolds(ElementsAre(c.report_2023, c.report_2024)));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM document_terms WHERE document_id = ?", {c.key_points}), 0);
}

TEST_F(SearchTest, ReplacingTermsDropsTheOldOnes) {
  const v1::Unit unit = NewUnit();
  const Corpus c = SeedCorpus(unit.id());
  ASSERT_OK_AND_ASSIGN(v1::Document doc, repo().GetDocument(c.report_2024));
  ASSERT_THAT(
      repo().UpdateDocument(doc, doc.version(), Audit("edit", v1::PUBLISHED, v1::PUBLISHED, kT0),
                            std::vector<std::string>{"新词", "abc"}),
      IsOk());
  EXPECT_THAT(Search({"2024"}, unit.id()), IsOkAndHolds(IsEmpty()));
  EXPECT_THAT(Search({"新词", "abc"}, unit.id()), IsOkAndHolds(ElementsAre(c.report_2024)));
}

TEST_F(SearchTest, UnitAndKeyAreaFiltersApply) {
  const v1::Unit unit = NewUnit();
  const v1::Unit other = NewUnit();
  const Corpus c = SeedCorpus(unit.id());
  const int64_t elsewhere = Indexed(other.id(), "政务公开工作年度报告", v1::EDUCATION, true);
  EXPECT_THAT(Search({"政务"}, other.id()), IsOkAndHolds(ElementsAre(elsewhere)));
  EXPECT_THAT(Search({"政务"}, unit.id(), {}, v1::EDUCATION),
              IsOkAndHolds(ElementsAre(c.report_2023, c.report_2024)));
  EXPECT_THAT(Search({"政务"}, unit.id(), {}, v1::HEALTH), IsOkAndHolds(ElementsAre(c.key_points)));
  // No unit: every unit's published documents.
  EXPECT_THAT(Search({"年度", "报告", "工作"}, 0, {0, 100}),
              IsOkAndHolds(::testing::IsSupersetOf({elsewhere, c.report_2023, c.report_2024})));
}

TEST_F(SearchTest, AsciiWordsAreMatchedAsIndexed) {
  const v1::Unit unit = NewUnit();
  const int64_t id =
      Indexed(unit.id(), "Open Government Data 开放数据", v1::KEY_AREA_UNSPECIFIED, true);
  EXPECT_THAT(Search({"government", "data"}, 0), IsOkAndHolds(ElementsAre(id)));
  EXPECT_THAT(Search({"开放", "data"}, unit.id()), IsOkAndHolds(ElementsAre(id)));
}

// A query term of one CJK character ("2024年", "税") matches wherever the character
// stands: at the start of a run, inside it, or at its end.
TEST_F(SearchTest, SingleCharacterTermsMatchAnywhereInARun) {
  const v1::Unit unit = NewUnit();
  const Corpus c = SeedCorpus(unit.id());
  const int64_t tax = Indexed(unit.id(), "关于依法纳税的公告", v1::TAXES_AND_FEES, true);
  EXPECT_THAT(Search(ExtractTerms("2024年"), unit.id()), IsOkAndHolds(ElementsAre(c.report_2024)));
  EXPECT_THAT(Search({"税"}, unit.id()), IsOkAndHolds(ElementsAre(tax)));  // Ends "依法纳税".
  EXPECT_THAT(Search({"告"}, unit.id()),                                   // Ends runs.
              IsOkAndHolds(ElementsAre(tax, c.report_2023, c.report_2024)));
  EXPECT_THAT(Search({"纳", "公告"}, unit.id()), IsOkAndHolds(ElementsAre(tax)));
  EXPECT_THAT(Search({"草"}, unit.id()), IsOkAndHolds(IsEmpty()));  // Only the draft has it.
  EXPECT_THAT(Search({"税"}, unit.id(), {tax, 10}), IsOkAndHolds(IsEmpty()));
}

// ---- Categories and catalog items (CAT-5) ------------------------------------------------

class CatalogTest : public RepositorySuite<CatalogTest> {};

TEST_F(CatalogTest, SeededCategoriesExist) {
  ASSERT_OK_AND_ASSIGN(std::vector<v1::Category> all, repo().ListCategories());
  std::map<int64_t, v1::Category> by_id;
  for (const v1::Category& c : all) by_id[c.id()] = c;
  for (int64_t id : {1, 2, 3}) {
    ASSERT_TRUE(by_id.count(id)) << id;
    EXPECT_EQ(by_id[id].parent_id(), 0);
  }
  for (int64_t id = 101; id <= 126; ++id) {
    ASSERT_TRUE(by_id.count(id)) << id;
    EXPECT_EQ(by_id[id].key_area(), static_cast<v1::KeyArea>(id - 100)) << id;
    EXPECT_EQ(by_id[id].parent_id(), id <= 111 ? 2 : 3) << id;
  }
  ASSERT_OK_AND_ASSIGN(v1::Category education, repo().GetCategory(109));
  EXPECT_EQ(education.code(), "KA-EDUCATION");
  EXPECT_EQ(education.name(), "教育");
  EXPECT_EQ(education.key_area(), v1::EDUCATION);
  EXPECT_THAT(repo().GetCategory(99999), StatusIs(absl::StatusCode::kNotFound, HasSubstr("99999")));
}

TEST_F(CatalogTest, CreateCategoryAssignsIdAndDuplicateCodeIsAlreadyExists) {
  v1::Category category;
  category.set_parent_id(1);
  category.set_code("BASIC-RULES");
  category.set_name("规章制度");
  const IdempotencyKey key{"office", "CreateCategory", "cat-1"};
  ASSERT_OK_AND_ASSIGN(v1::Category created, repo().CreateCategory(category, &key));
  EXPECT_GT(created.id(), 126);
  EXPECT_THAT(repo().GetCategory(created.id()), IsOkAndHolds(EqualsProto(created)));
  ASSERT_OK_AND_ASSIGN(std::optional<std::string> stored, repo().FindIdempotentResponse(key));
  EXPECT_THAT(stored, Optional(created.SerializeAsString()));
  EXPECT_THAT(repo().CreateCategory(category, nullptr),
              StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr("uk_categories_code")));
}

TEST_F(CatalogTest, ListCategoriesPutsParentsBeforeChildren) {
  auto create = [&](int64_t parent, absl::string_view code) {
    v1::Category c;
    c.set_parent_id(parent);
    c.set_code(std::string(code));
    c.set_name(absl::StrCat("分类", code));
    absl::StatusOr<v1::Category> created = repo().CreateCategory(c, nullptr);
    EXPECT_THAT(created, IsOk());
    return created.ok() ? created->id() : 0;
  };
  const int64_t root = create(0, "CHAIN-ROOT");
  const int64_t middle = create(root, "CHAIN-MIDDLE");
  const int64_t leaf = create(middle, "CHAIN-LEAF");
  const int64_t under_seed = create(109, "EDU-SCHOOLS");
  // A parent with a larger id than its child (as after moving a category under a newer
  // one): ordering by id alone would put the child first.
  const int64_t early_child = create(0, "EARLY-CHILD");
  ASSERT_THAT(env().Execute("INSERT INTO categories (id, parent_id, code, name) VALUES "
                            "(5000, ?, 'LATE-PARENT', '后建的上级')",
                            {leaf}),
              IsOk());
  ASSERT_THAT(env().Execute("UPDATE categories SET parent_id = 5000 WHERE id = ?", {early_child}),
              IsOk());

  ASSERT_OK_AND_ASSIGN(std::vector<v1::Category> all, repo().ListCategories());
  std::map<int64_t, size_t> position;
  for (size_t i = 0; i < all.size(); ++i) position[all[i].id()] = i;
  EXPECT_EQ(position.size(), all.size()) << "a category is listed twice";
  EXPECT_EQ(static_cast<int64_t>(all.size()), Count("SELECT COUNT(*) FROM categories"));
  for (const v1::Category& c : all) {
    if (c.parent_id() == 0) continue;
    ASSERT_TRUE(position.count(c.parent_id())) << c.id();
    EXPECT_LT(position[c.parent_id()], position[c.id()])
        << "category " << c.id() << " is listed before its parent " << c.parent_id();
  }
  EXPECT_LT(position[root], position[middle]);
  EXPECT_LT(position[middle], position[leaf]);
  EXPECT_LT(position[leaf], position[5000]);
  EXPECT_LT(position[5000], position[early_child]);
  EXPECT_LT(position[109], position[under_seed]);
}

class CatalogItemsTest : public RepositorySuite<CatalogItemsTest> {
 protected:
  static v1::CatalogItem NewItem(int64_t category_id, int64_t unit_id, absl::string_view content) {
    v1::CatalogItem item;
    item.set_category_id(category_id);
    item.set_responsible_unit_id(unit_id);
    item.set_content(std::string(content));
    item.set_time_limit("信息形成或变更之日起20个工作日内");
    item.set_method("政府网站");
    item.set_changed_by("office");
    *item.mutable_change_time() = ToTimestamp(kT0);
    item.set_change_note("新建");
    return item;
  }
};

TEST_F(CatalogItemsTest, CreateUpdateTwiceAndReadRevisions) {
  const v1::Unit unit = NewUnit();
  const IdempotencyKey key{"office", "CreateCatalogItem", "item-1"};
  ASSERT_OK_AND_ASSIGN(v1::CatalogItem r1,
                       repo().CreateCatalogItem(NewItem(109, unit.id(), "学校招生政策"), &key));
  EXPECT_GT(r1.id(), 0);
  EXPECT_EQ(r1.revision(), 1);
  EXPECT_THAT(repo().GetCatalogItem(r1.id()), IsOkAndHolds(EqualsProto(r1)));
  EXPECT_THAT(repo().FindIdempotentResponse(key), IsOkAndHolds(Optional(r1.SerializeAsString())));

  v1::CatalogItem change = r1;
  change.set_content("学校招生政策及招生计划");
  change.set_change_note("补充招生计划");
  *change.mutable_change_time() = ToTimestamp(kT0 + absl::Hours(1));
  ASSERT_OK_AND_ASSIGN(v1::CatalogItem r2, repo().UpdateCatalogItem(change, 1));
  EXPECT_EQ(r2.revision(), 2);
  change = r2;
  change.set_category_id(110);
  change.set_method("政府网站、政务新媒体");
  change.set_changed_by("bob");
  *change.mutable_change_time() = ToTimestamp(kT0 + absl::Hours(2));
  ASSERT_OK_AND_ASSIGN(v1::CatalogItem r3, repo().UpdateCatalogItem(change, 2));
  EXPECT_EQ(r3.revision(), 3);

  EXPECT_THAT(repo().GetCatalogItem(r1.id()), IsOkAndHolds(EqualsProto(r3)));
  EXPECT_THAT(repo().ListCatalogItemRevisions(r1.id()),
              IsOkAndHolds(ElementsAre(EqualsProto(r3), EqualsProto(r2), EqualsProto(r1))));
}

TEST_F(CatalogItemsTest, StaleExpectedRevisionIsAbortedAndAppendsNothing) {
  const v1::Unit unit = NewUnit();
  ASSERT_OK_AND_ASSIGN(v1::CatalogItem r1,
                       repo().CreateCatalogItem(NewItem(109, unit.id(), "内容"), nullptr));
  ASSERT_OK_AND_ASSIGN(v1::CatalogItem r2, repo().UpdateCatalogItem(r1, 1));
  v1::CatalogItem stale = r1;
  stale.set_content("过期的修改");
  EXPECT_THAT(repo().UpdateCatalogItem(stale, 1),
              StatusIs(absl::StatusCode::kAborted,
                       AllOf(HasSubstr("changed concurrently"), Not(HasSubstr("gave up")))));
  EXPECT_THAT(repo().GetCatalogItem(r1.id()), IsOkAndHolds(EqualsProto(r2)));
  EXPECT_THAT(repo().ListCatalogItemRevisions(r1.id()), IsOkAndHolds(SizeIs(2)));
}

TEST_F(CatalogItemsTest, MissingItemIsNotFound) {
  v1::CatalogItem ghost = NewItem(109, 1, "不存在");
  ghost.set_id(31337);
  EXPECT_THAT(repo().GetCatalogItem(31337),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("31337")));
  EXPECT_THAT(repo().UpdateCatalogItem(ghost, 1),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("31337")));
  EXPECT_THAT(repo().ListCatalogItemRevisions(31337),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("31337")));
}

TEST_F(CatalogItemsTest, ListFiltersByCategoryAndUnitNewestFirstWithPaging) {
  const v1::Unit unit = NewUnit();
  const v1::Unit other = NewUnit();
  ASSERT_OK_AND_ASSIGN(v1::CatalogItem a,
                       repo().CreateCatalogItem(NewItem(109, unit.id(), "A"), nullptr));
  ASSERT_OK_AND_ASSIGN(v1::CatalogItem b,
                       repo().CreateCatalogItem(NewItem(110, unit.id(), "B"), nullptr));
  ASSERT_OK_AND_ASSIGN(v1::CatalogItem c,
                       repo().CreateCatalogItem(NewItem(109, other.id(), "C"), nullptr));
  // Moving A to category 110 in revision 2: lists follow the current revision.
  v1::CatalogItem moved = a;
  moved.set_category_id(110);
  ASSERT_OK_AND_ASSIGN(a, repo().UpdateCatalogItem(moved, 1));

  EXPECT_THAT(repo().ListCatalogItems({0, unit.id()}, {}),
              IsOkAndHolds(ElementsAre(EqualsProto(b), EqualsProto(a))));
  EXPECT_THAT(repo().ListCatalogItems({110, unit.id()}, {}),
              IsOkAndHolds(ElementsAre(EqualsProto(b), EqualsProto(a))));
  EXPECT_THAT(repo().ListCatalogItems({109, other.id()}, {}),
              IsOkAndHolds(ElementsAre(EqualsProto(c))));
  ASSERT_OK_AND_ASSIGN(std::vector<v1::CatalogItem> in_109,
                       repo().ListCatalogItems({109, 0}, {0, 100}));
  EXPECT_THAT(Ids(in_109), ::testing::Contains(c.id()));
  EXPECT_THAT(Ids(in_109), Not(::testing::Contains(a.id())));
  for (const v1::CatalogItem& item : in_109) EXPECT_EQ(item.category_id(), 109);
  EXPECT_THAT(repo().ListCatalogItems({0, unit.id()}, {0, 1}),
              IsOkAndHolds(ElementsAre(EqualsProto(b))));
  EXPECT_THAT(repo().ListCatalogItems({0, unit.id()}, {b.id(), 1}),
              IsOkAndHolds(ElementsAre(EqualsProto(a))));
  EXPECT_THAT(repo().ListCatalogItems({0, unit.id()}, {a.id(), 1}), IsOkAndHolds(IsEmpty()));
}

// ---- Self-review (CAT-7) -----------------------------------------------------------------

class SelfReviewTest : public RepositorySuite<SelfReviewTest> {
 protected:
  int64_t Approved(int64_t unit_id, v1::DisclosureAttribute attribute, absl::string_view title,
                   v1::DocumentState state = v1::APPROVED) {
    v1::Document d = NewDocument(unit_id, title);
    d.set_disclosure_attribute(attribute);
    d.set_state(state);
    if (attribute != v1::PROACTIVE) {
      d.set_nondisclosure_reason("涉及国家秘密");
      d.set_legal_basis("《政府信息公开条例》第十四条");
    }
    d.set_review_outcome(v1::REVIEW_PASSED);
    d.set_reviewer("carol");
    return Create(d).id();
  }

  // A review of the unit's undisclosed documents, as the domain builds it.
  absl::StatusOr<v1::SelfReview> StartReview(int64_t unit_id, int year) {
    absl::StatusOr<std::vector<v1::Document>> docs = repo().ListUndisclosedDocuments(unit_id);
    if (!docs.ok()) return docs.status();
    v1::SelfReview review;
    review.set_unit_id(unit_id);
    review.set_year(year);
    review.set_state(v1::SELF_REVIEW_OPEN);
    *review.mutable_create_time() = ToTimestamp(kT0);
    for (const v1::Document& d : *docs) {
      v1::SelfReviewEntry* e = review.add_entries();
      e->set_document_id(d.id());
      e->set_document_title(d.title());
      e->set_attribute_at_review(d.disclosure_attribute());
    }
    return repo().CreateSelfReview(review, nullptr);
  }

  static v1::SelfReviewEntry Decision(int64_t document_id, v1::SelfReviewDecision decision) {
    v1::SelfReviewEntry e;
    e.set_document_id(document_id);
    e.set_decision(decision);
    e.set_reason(decision == v1::KEEP ? "仍涉及国家秘密" : "已不再涉密，转为主动公开");
    e.set_decided_by("reviewer-wang");
    *e.mutable_decide_time() = ToTimestamp(kT0 + absl::Hours(24));
    return e;
  }

  // The conversion of `document` to PROACTIVE (CAT-7), as the domain builds it.
  static CatalogRepository::DocumentChange Conversion(const v1::Document& document,
                                                      int64_t expected_version) {
    v1::Document converted = document;
    converted.set_disclosure_attribute(v1::PROACTIVE);
    converted.set_state(v1::APPROVED);
    *converted.mutable_publication_deadline() =
        MakeDeadline(absl::CivilDay(2024, 6, 11), absl::CivilDay(2024, 7, 9));
    return {converted, expected_version,
            Audit("self-review-convert", v1::APPROVED, v1::APPROVED, kT0 + absl::Hours(24))};
  }
};

TEST_F(SelfReviewTest, ListUndisclosedDocumentsReturnsApprovedNonProactiveOfTheUnitOldestFirst) {
  const v1::Unit unit = NewUnit();
  const v1::Unit other = NewUnit();
  const int64_t on_request = Approved(unit.id(), v1::ON_REQUEST, "依申请公开文件");
  Approved(unit.id(), v1::PROACTIVE, "主动公开文件");
  const int64_t not_disclosed = Approved(unit.id(), v1::NOT_DISCLOSED, "不予公开文件");
  Approved(unit.id(), v1::ON_REQUEST, "待审核文件", v1::PENDING_REVIEW);
  Approved(unit.id(), v1::NOT_DISCLOSED, "草稿", v1::DRAFT);
  Approved(other.id(), v1::NOT_DISCLOSED, "其他单位文件");

  ASSERT_OK_AND_ASSIGN(std::vector<v1::Document> docs, repo().ListUndisclosedDocuments(unit.id()));
  EXPECT_THAT(Ids(docs), ElementsAre(on_request, not_disclosed));
  EXPECT_EQ(docs[0].title(), "依申请公开文件");
  EXPECT_EQ(docs[1].disclosure_attribute(), v1::NOT_DISCLOSED);
}

TEST_F(SelfReviewTest, CreateStoresEntriesAndASecondReviewOfTheYearIsAlreadyExists) {
  const v1::Unit unit = NewUnit();
  const int64_t a = Approved(unit.id(), v1::ON_REQUEST, "文件甲");
  const int64_t b = Approved(unit.id(), v1::NOT_DISCLOSED, "文件乙");
  ASSERT_OK_AND_ASSIGN(v1::SelfReview review, StartReview(unit.id(), 2024));
  EXPECT_GT(review.id(), 0);

  ASSERT_OK_AND_ASSIGN(v1::SelfReview loaded, repo().GetSelfReview(review.id()));
  EXPECT_EQ(loaded.unit_id(), unit.id());
  EXPECT_EQ(loaded.year(), 2024);
  EXPECT_EQ(loaded.state(), v1::SELF_REVIEW_OPEN);
  EXPECT_EQ(FromTimestamp(loaded.create_time()), kT0);
  EXPECT_FALSE(loaded.has_complete_time());
  ASSERT_THAT(loaded.entries(), SizeIs(2));
  EXPECT_EQ(loaded.entries(0).document_id(), a);
  EXPECT_EQ(loaded.entries(0).document_title(), "文件甲");
  EXPECT_EQ(loaded.entries(0).attribute_at_review(), v1::ON_REQUEST);
  EXPECT_EQ(loaded.entries(0).decision(), v1::SELF_REVIEW_DECISION_UNSPECIFIED);
  EXPECT_FALSE(loaded.entries(0).has_decide_time());
  EXPECT_EQ(loaded.entries(1).document_id(), b);
  EXPECT_EQ(loaded.entries(1).attribute_at_review(), v1::NOT_DISCLOSED);

  const int64_t reviews_before = Count("SELECT COUNT(*) FROM self_reviews");
  const int64_t entries_before = Count("SELECT COUNT(*) FROM self_review_entries");
  EXPECT_THAT(StartReview(unit.id(), 2024),
              StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr("uk_self_reviews_unit_year")));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM self_reviews"), reviews_before);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM self_review_entries"), entries_before);
  EXPECT_THAT(StartReview(unit.id(), 2025), IsOk());
  EXPECT_THAT(repo().GetSelfReview(88888),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("88888")));
}

TEST_F(SelfReviewTest, KeepDecisionIsRecordedWithoutTouchingTheDocument) {
  const v1::Unit unit = NewUnit();
  const int64_t doc_id = Approved(unit.id(), v1::NOT_DISCLOSED, "文件");
  ASSERT_OK_AND_ASSIGN(v1::SelfReview review, StartReview(unit.id(), 2024));
  ASSERT_OK_AND_ASSIGN(v1::Document before, repo().GetDocument(doc_id));

  ASSERT_OK_AND_ASSIGN(
      v1::SelfReview decided,
      repo().DecideSelfReviewEntry(review.id(), Decision(doc_id, v1::KEEP), std::nullopt));
  ASSERT_THAT(decided.entries(), SizeIs(1));
  const v1::SelfReviewEntry& e = decided.entries(0);
  EXPECT_EQ(e.decision(), v1::KEEP);
  EXPECT_EQ(e.reason(), "仍涉及国家秘密");
  EXPECT_EQ(e.decided_by(), "reviewer-wang");
  EXPECT_EQ(FromTimestamp(e.decide_time()), kT0 + absl::Hours(24));
  EXPECT_THAT(repo().GetSelfReview(review.id()), IsOkAndHolds(EqualsProto(decided)));
  EXPECT_THAT(repo().GetDocument(doc_id), IsOkAndHolds(EqualsProto(before)));
  EXPECT_EQ(AuditRows(doc_id), 1);
}

TEST_F(SelfReviewTest, ConversionUpdatesTheDocumentAndAuditsInTheSameTransaction) {
  const v1::Unit unit = NewUnit();
  const int64_t doc_id = Approved(unit.id(), v1::ON_REQUEST, "文件");
  ASSERT_OK_AND_ASSIGN(v1::SelfReview review, StartReview(unit.id(), 2024));
  ASSERT_OK_AND_ASSIGN(v1::Document before, repo().GetDocument(doc_id));

  ASSERT_OK_AND_ASSIGN(
      v1::SelfReview decided,
      repo().DecideSelfReviewEntry(review.id(), Decision(doc_id, v1::CONVERT_TO_PROACTIVE),
                                   Conversion(before, before.version())));
  EXPECT_EQ(decided.entries(0).decision(), v1::CONVERT_TO_PROACTIVE);
  ASSERT_OK_AND_ASSIGN(v1::Document after, repo().GetDocument(doc_id));
  EXPECT_EQ(after.version(), before.version() + 1);
  EXPECT_EQ(after.disclosure_attribute(), v1::PROACTIVE);
  EXPECT_EQ(after.state(), v1::APPROVED);
  EXPECT_EQ(after.publication_deadline().due().day(), 9);
  EXPECT_EQ(FromTimestamp(after.update_time()), kT0 + absl::Hours(24));
  EXPECT_EQ(after.title(), before.title());
  EXPECT_EQ(AuditRows(doc_id), 2);
  ASSERT_OK_AND_ASSIGN(std::vector<common::v1::AuditEntry> audit, repo().ListAudit(doc_id, {0, 1}));
  EXPECT_EQ(audit[0].action(), "self-review-convert");
  // Converted documents are no longer undisclosed.
  EXPECT_THAT(repo().ListUndisclosedDocuments(unit.id()), IsOkAndHolds(IsEmpty()));
}

TEST_F(SelfReviewTest, StaleVersionInTheConversionIsAbortedAndTheEntryStaysUndecided) {
  const v1::Unit unit = NewUnit();
  const int64_t doc_id = Approved(unit.id(), v1::ON_REQUEST, "文件");
  ASSERT_OK_AND_ASSIGN(v1::SelfReview review, StartReview(unit.id(), 2024));
  ASSERT_OK_AND_ASSIGN(v1::Document before, repo().GetDocument(doc_id));
  // Someone edits the document after the reviewer loaded it.
  ASSERT_OK_AND_ASSIGN(
      v1::Document edited,
      repo().UpdateDocument(before, before.version(),
                            Audit("edit", v1::APPROVED, v1::APPROVED, kT0), std::nullopt));

  EXPECT_THAT(repo().DecideSelfReviewEntry(review.id(), Decision(doc_id, v1::CONVERT_TO_PROACTIVE),
                                           Conversion(before, before.version())),
              StatusIs(absl::StatusCode::kAborted,
                       AllOf(HasSubstr("is at version 2, not 1"), Not(HasSubstr("gave up")))));
  ASSERT_OK_AND_ASSIGN(v1::SelfReview loaded, repo().GetSelfReview(review.id()));
  EXPECT_EQ(loaded.entries(0).decision(), v1::SELF_REVIEW_DECISION_UNSPECIFIED);
  EXPECT_EQ(loaded.entries(0).decided_by(), "");
  EXPECT_THAT(repo().GetDocument(doc_id), IsOkAndHolds(EqualsProto(edited)));
  EXPECT_EQ(AuditRows(doc_id), 2);

  // With the current version it goes through.
  EXPECT_THAT(repo().DecideSelfReviewEntry(review.id(), Decision(doc_id, v1::CONVERT_TO_PROACTIVE),
                                           Conversion(edited, edited.version())),
              IsOk());
}

TEST_F(SelfReviewTest, DecidingTwiceIsFailedPrecondition) {
  const v1::Unit unit = NewUnit();
  const int64_t doc_id = Approved(unit.id(), v1::ON_REQUEST, "文件");
  ASSERT_OK_AND_ASSIGN(v1::SelfReview review, StartReview(unit.id(), 2024));
  ASSERT_THAT(repo().DecideSelfReviewEntry(review.id(), Decision(doc_id, v1::KEEP), std::nullopt),
              IsOk());
  v1::SelfReviewEntry again = Decision(doc_id, v1::CONVERT_TO_PROACTIVE);
  EXPECT_THAT(repo().DecideSelfReviewEntry(review.id(), again, std::nullopt),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("already decided")));
  ASSERT_OK_AND_ASSIGN(v1::SelfReview loaded, repo().GetSelfReview(review.id()));
  EXPECT_EQ(loaded.entries(0).decision(), v1::KEEP);
  // A document that is not in the review is refused the same way.
  EXPECT_THAT(repo().DecideSelfReviewEntry(review.id(), Decision(999999, v1::KEEP), std::nullopt),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("999999")));
  EXPECT_THAT(repo().DecideSelfReviewEntry(55555, Decision(doc_id, v1::KEEP), std::nullopt),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("55555")));
}

TEST_F(SelfReviewTest, CompleteNeedsEveryEntryDecidedAndThenRefusesDecisions) {
  const v1::Unit unit = NewUnit();
  const int64_t a = Approved(unit.id(), v1::ON_REQUEST, "文件甲");
  const int64_t b = Approved(unit.id(), v1::NOT_DISCLOSED, "文件乙");
  ASSERT_OK_AND_ASSIGN(v1::SelfReview review, StartReview(unit.id(), 2024));
  const absl::Time done = kT0 + absl::Hours(72);

  EXPECT_THAT(repo().CompleteSelfReview(review.id(), done),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("2 entries")));
  ASSERT_THAT(repo().DecideSelfReviewEntry(review.id(), Decision(a, v1::KEEP), std::nullopt),
              IsOk());
  EXPECT_THAT(repo().CompleteSelfReview(review.id(), done),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("1 entries")));
  ASSERT_THAT(repo().DecideSelfReviewEntry(review.id(), Decision(b, v1::KEEP), std::nullopt),
              IsOk());

  ASSERT_OK_AND_ASSIGN(v1::SelfReview completed, repo().CompleteSelfReview(review.id(), done));
  EXPECT_EQ(completed.state(), v1::SELF_REVIEW_COMPLETED);
  EXPECT_EQ(FromTimestamp(completed.complete_time()), done);
  EXPECT_THAT(repo().GetSelfReview(review.id()), IsOkAndHolds(EqualsProto(completed)));

  EXPECT_THAT(repo().DecideSelfReviewEntry(review.id(), Decision(a, v1::CONVERT_TO_PROACTIVE),
                                           std::nullopt),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("completed")));
  EXPECT_THAT(repo().CompleteSelfReview(review.id(), done),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("completed")));
}

TEST_F(SelfReviewTest, ReviewWithoutEntriesCompletesAtOnce) {
  const v1::Unit unit = NewUnit();
  ASSERT_OK_AND_ASSIGN(v1::SelfReview review, StartReview(unit.id(), 2024));
  EXPECT_THAT(review.entries(), IsEmpty());
  ASSERT_OK_AND_ASSIGN(v1::SelfReview completed, repo().CompleteSelfReview(review.id(), kT0));
  EXPECT_EQ(completed.state(), v1::SELF_REVIEW_COMPLETED);
}

// ---- Concurrency -------------------------------------------------------------------------

class ConcurrencyTest : public RepositorySuite<ConcurrencyTest> {};

// Optimistic concurrency loses no update: 8 writers × 20 read-modify-write cycles on one
// document, each retried from a fresh read on ABORTED, end at version 1 + 160 with 160
// update audit rows.
TEST_F(ConcurrencyTest, ConcurrentUpdatesWithReloadOnAbortedLoseNothing) {
  constexpr int kThreads = 8;
  constexpr int kUpdatesPerThread = 20;
  const v1::Unit unit = NewUnit();
  v1::Document doc = NewDocument(unit.id(), "并发");
  doc.set_body("");
  const int64_t id = Create(doc).id();

  std::atomic<int> conflicts{0};
  absl::Mutex mu;
  std::vector<absl::Status> errors;  // Guarded by mu.
  auto writer = [&](int w) {
    for (int i = 0; i < kUpdatesPerThread; ++i) {
      while (true) {
        absl::StatusOr<v1::Document> current = repo().GetDocument(id);
        if (!current.ok()) {
          absl::MutexLock lock(&mu);
          errors.push_back(current.status());
          return;
        }
        v1::Document next = *current;
        next.set_body(absl::StrCat(current->body(), w, ":", i, ";"));
        absl::StatusOr<v1::Document> updated = repo().UpdateDocument(
            next, current->version(),
            Audit(absl::StrCat("w", w, "-", i), v1::DRAFT, v1::DRAFT, absl::Now()), std::nullopt);
        if (updated.ok()) break;
        if (updated.status().code() == absl::StatusCode::kAborted) {
          ++conflicts;
          continue;
        }
        absl::MutexLock lock(&mu);
        errors.push_back(updated.status());
        return;
      }
    }
  };
  const absl::Time start = absl::Now();
  std::vector<std::thread> threads;
  for (int w = 0; w < kThreads; ++w) threads.emplace_back(writer, w);
  for (std::thread& t : threads) t.join();
  const absl::Duration elapsed = absl::Now() - start;

  EXPECT_THAT(errors, IsEmpty()) << errors.front();
  ASSERT_OK_AND_ASSIGN(v1::Document final_doc, repo().GetDocument(id));
  EXPECT_EQ(final_doc.version(), 1 + kThreads * kUpdatesPerThread);
  EXPECT_EQ(AuditRows(id), 1 + kThreads * kUpdatesPerThread);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM document_audit WHERE document_id = ? AND action <> "
                  "'create'",
                  {id}),
            kThreads * kUpdatesPerThread);
  // Every update is in the body exactly once: none overwrote another.
  for (int w = 0; w < kThreads; ++w) {
    for (int i = 0; i < kUpdatesPerThread; ++i) {
      const std::string mark = absl::StrCat(";", w, ":", i, ";");
      EXPECT_THAT(absl::StrCat(";", final_doc.body()), HasSubstr(mark)) << mark;
    }
  }
  RecordProperty("conflicts", conflicts.load());
  RecordProperty("elapsed_ms", static_cast<int>(absl::ToInt64Milliseconds(elapsed)));
  std::cout << "[          ] " << conflicts.load() << " version conflicts in " << elapsed << "\n";
}

}  // namespace
}  // namespace gongkai::catalog
