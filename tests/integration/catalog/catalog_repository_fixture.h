// The fixture of the catalog modules' MySQL repository tests (label: integration):
// one fresh database per suite with the catalog's embedded migrations applied, each
// module's MySQL repository on it, and helpers that create units and documents. Tests
// inside a suite isolate their data by creating their own units. A missing
// GONGKAI_TEST_MYSQL_* environment fails every test of the suite, never skips.
#ifndef GONGKAI_TESTS_INTEGRATION_CATALOG_CATALOG_REPOSITORY_FIXTURE_H_
#define GONGKAI_TESTS_INTEGRATION_CATALOG_CATALOG_REPOSITORY_FIXTURE_H_

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gongkai/catalog/v1/catalog.pb.h"
#include "libs/db/connection_pool.h"
#include "libs/db/testing/status_matchers.h"
#include "libs/db/testing/test_database.h"
#include "libs/protoconv/protoconv.h"
#include "services/catalog/catalog_items/mysql_catalog_item_repository.h"
#include "services/catalog/documents/mysql_document_repository.h"
#include "services/catalog/self_review/mysql_self_review_repository.h"
#include "services/catalog/units/mysql_unit_repository.h"
#include "tests/integration/repository_test_support.h"

namespace gongkai::catalog::repository_testing {

// A fixed instant with microseconds, as DATETIME(6) stores them.
inline const absl::Time kT0 =
    absl::FromUnixMicros(1718000000123456);  // 2024-06-10 06:13:20.123456Z

inline common::v1::DeadlineExplanation MakeDeadline(absl::CivilDay start, absl::CivilDay due) {
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

inline documents::AuditRecord Audit(absl::string_view action, v1::DocumentState old_state,
                                    v1::DocumentState new_state, absl::Time time) {
  documents::AuditRecord a;
  a.actor = "alice";
  a.action = std::string(action);
  a.old_state = old_state;
  a.new_state = new_state;
  a.detail = absl::StrCat(action, " by test");
  a.time = time;
  return a;
}

// The database, pool and the modules' MySQL repositories of one test suite.
class RepositoryEnv {
 public:
  static absl::StatusOr<std::unique_ptr<RepositoryEnv>> Create() {
    // 8 writer threads in the concurrency test, plus checks.
    absl::StatusOr<integration::MigratedDatabase> db =
        integration::MigratedDatabase::Create("catrepo", /*pool_size=*/12);
    if (!db.ok()) return db.status();
    auto env = std::unique_ptr<RepositoryEnv>(new RepositoryEnv());
    env->db_ = std::move(db->database);
    env->pool_ = std::move(db->pool);
    env->units_ = units::NewMysqlUnitRepository(env->pool_.get());
    env->items_ = catalog_items::NewMysqlCatalogItemRepository(env->pool_.get());
    env->documents_ = documents::NewMysqlDocumentRepository(env->pool_.get());
    env->reviews_ = self_review::NewMysqlSelfReviewRepository(env->pool_.get());
    return env;
  }

  units::UnitRepository& units() { return *units_; }
  catalog_items::CatalogItemRepository& items() { return *items_; }
  documents::DocumentRepository& documents() { return *documents_; }
  self_review::SelfReviewRepository& reviews() { return *reviews_; }

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

  // Destroyed in reverse order: repositories, pool, then the database is dropped.
  std::unique_ptr<db::testing::TestDatabase> db_;
  std::unique_ptr<db::ConnectionPool> pool_;
  std::unique_ptr<units::UnitRepository> units_;
  std::unique_ptr<catalog_items::CatalogItemRepository> items_;
  std::unique_ptr<documents::DocumentRepository> documents_;
  std::unique_ptr<self_review::SelfReviewRepository> reviews_;
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

  units::UnitRepository& units() { return env_->units(); }
  catalog_items::CatalogItemRepository& items() { return env_->items(); }
  documents::DocumentRepository& documents() { return env_->documents(); }
  self_review::SelfReviewRepository& reviews() { return env_->reviews(); }
  RepositoryEnv& env() { return *env_; }

  int64_t Count(absl::string_view sql, std::vector<db::Value> params = {}) {
    absl::StatusOr<int64_t> n = env_->QueryInt(sql, std::move(params));
    EXPECT_THAT(n, db::testing::IsOk()) << sql;
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
    absl::StatusOr<v1::Unit> created = units().CreateUnit(unit, nullptr);
    EXPECT_THAT(created, db::testing::IsOk());
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
    absl::StatusOr<v1::Document> created = documents().CreateDocument(
        document, Audit("create", v1::DOCUMENT_STATE_UNSPECIFIED, document.state(), time), nullptr);
    EXPECT_THAT(created, db::testing::IsOk());
    return created.ok() ? *created : v1::Document();
  }

  static inline std::unique_ptr<RepositoryEnv> env_;
  static inline absl::Status setup_status_;
};

}  // namespace gongkai::catalog::repository_testing

#endif  // GONGKAI_TESTS_INTEGRATION_CATALOG_CATALOG_REPOSITORY_FIXTURE_H_
