// Integration tests (label: integration) of MySqlRuleSetStore against the real
// MySQL/MariaDB named by GONGKAI_TEST_MYSQL_*, on the table of the library's migration.
#include "libs/rules/mysql_rule_set_store.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "libs/crypto/sha256.h"
#include "libs/db/connection_pool.h"
#include "libs/db/migrator.h"
#include "libs/db/testing/status_matchers.h"
#include "libs/db/testing/test_database.h"
#include "libs/rules/rule_book.h"
#include "libs/rules/rule_set_json.h"
#include "libs/rules/rule_set_store_migrations.h"
#include "libs/rules/testing/test_rule_schema.h"
#include "libs/rules/testing/test_rule_sets.h"

namespace gongkai::rules {
namespace {

using ::gongkai::db::testing::IsOk;
using ::gongkai::db::testing::IsOkAndHolds;
using ::gongkai::db::testing::StatusIs;
using ::gongkai::db::testing::TestDatabase;
using ::gongkai::rules::testing::TestRuleSchema;
using ::gongkai::rules::testing::TestRuleSetJson;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::SizeIs;
using Json = nlohmann::json;

const absl::Time kCreated = absl::FromUnixMicros(1'765'000'000'123'456);

class MySqlRuleSetStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(db_, TestDatabase::Create("rules"));
    ASSERT_OK_AND_ASSIGN(pool_, db::ConnectionPool::Create(db_->config()));
    // As a service applies it: a library set before the service's own (none here).
    ASSERT_THAT(db::Migrator(pool_.get(), {RuleSetStoreMigrationSet()}, {}).Migrate(), IsOk());
    store_ = std::make_unique<MySqlRuleSetStore>(pool_.get());
  }

  RuleSet Set(int64_t version, int64_t working_days = 20) {
    absl::StatusOr<RuleSet> set =
        book_.ParseJson(TestRuleSetJson(version, "2026-01-01", [&](Json& j) {
          j["rules"]["publication.working_days"]["value"] = working_days;
          j["basis"] = "市政府办公室通知〔2026〕1号";
        }));
    EXPECT_TRUE(set.ok()) << set.status();
    return *set;
  }

  std::unique_ptr<TestDatabase> db_;
  std::unique_ptr<db::ConnectionPool> pool_;
  std::unique_ptr<MySqlRuleSetStore> store_;
  RuleBook book_{{TestRuleSchema()}};
};

TEST_F(MySqlRuleSetStoreTest, StoredVersionIsListedWithItsCanonicalBody) {
  ASSERT_THAT(store_->Insert(Set(2), "alice", kCreated), IsOkAndHolds(true));
  ASSERT_OK_AND_ASSIGN(std::vector<StoredRuleSet> rows, store_->List());
  ASSERT_THAT(rows, SizeIs(1));
  EXPECT_EQ(rows[0].name, "test.openness");
  EXPECT_EQ(rows[0].version, 2);
  EXPECT_EQ(rows[0].effective_from, absl::CivilDay(2026, 1, 1));
  EXPECT_EQ(rows[0].body, RuleSetToJson(Set(2)));
  EXPECT_EQ(rows[0].checksum, crypto::Sha256Hex(rows[0].body));
  EXPECT_EQ(rows[0].created_by, "alice");
  EXPECT_EQ(rows[0].create_time, kCreated);
  ASSERT_OK_AND_ASSIGN(RuleSet back, book_.ParseJson(rows[0].body));
  EXPECT_EQ(back, Set(2));
}

TEST_F(MySqlRuleSetStoreTest, InsertingTheSameContentAgainIsANoOp) {
  ASSERT_THAT(store_->Insert(Set(2), "alice", kCreated), IsOkAndHolds(true));
  EXPECT_THAT(store_->Insert(Set(2), "bob", kCreated + absl::Hours(1)), IsOkAndHolds(false));
  ASSERT_OK_AND_ASSIGN(std::vector<StoredRuleSet> rows, store_->List());
  ASSERT_THAT(rows, SizeIs(1));
  EXPECT_EQ(rows[0].created_by, "alice");
}

TEST_F(MySqlRuleSetStoreTest, AStoredVersionIsNeverOverwritten) {
  ASSERT_THAT(store_->Insert(Set(2), "alice", kCreated), IsOk());
  EXPECT_THAT(store_->Insert(Set(2, 15), "bob", kCreated),
              StatusIs(absl::StatusCode::kAlreadyExists,
                       HasSubstr("test.openness v2 is already stored with other content")));
  ASSERT_OK_AND_ASSIGN(std::vector<StoredRuleSet> rows, store_->List());
  ASSERT_THAT(rows, SizeIs(1));
  EXPECT_EQ(rows[0].body, RuleSetToJson(Set(2)));
}

TEST_F(MySqlRuleSetStoreTest, ConcurrentInsertsOfOneVersionStoreItOnce) {
  std::vector<std::thread> threads;
  std::vector<absl::StatusOr<bool>> results(4, absl::UnknownError("not run"));
  const RuleSet set = Set(3);
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&, i] { results[i] = store_->Insert(set, "replica", kCreated); });
  }
  for (std::thread& t : threads) t.join();
  int created = 0;
  for (const auto& r : results) {
    ASSERT_THAT(r, IsOk());
    if (*r) ++created;
  }
  EXPECT_EQ(created, 1);
}

TEST_F(MySqlRuleSetStoreTest, VersionsAreListedInOrderAndSyncedIntoAnotherReplica) {
  ASSERT_THAT(store_->Insert(Set(3, 18), "alice", kCreated), IsOk());
  ASSERT_THAT(store_->Insert(Set(2, 15), "alice", kCreated), IsOk());
  ASSERT_OK_AND_ASSIGN(std::vector<StoredRuleSet> rows, store_->List());
  ASSERT_THAT(rows, SizeIs(2));
  EXPECT_EQ(rows[0].version, 2);
  EXPECT_EQ(rows[1].version, 3);

  RuleBook replica({TestRuleSchema()});
  ASSERT_OK_AND_ASSIGN(SyncReport report, SyncFromStore(*store_, replica));
  EXPECT_EQ(report.added, 2);
  ASSERT_OK_AND_ASSIGN(auto current,
                       replica.EffectiveOn("test.openness", absl::CivilDay(2026, 5, 1)));
  EXPECT_EQ(current->version, 3);
}

TEST_F(MySqlRuleSetStoreTest, ARowWhoseBodyWasEditedIsDataLoss) {
  ASSERT_THAT(store_->Insert(Set(2), "alice", kCreated), IsOk());
  ASSERT_OK_AND_ASSIGN(db::ConnectionLease conn, pool_->Acquire());
  ASSERT_THAT(conn->Execute("UPDATE rule_sets SET body = REPLACE(body, '20', '25')"), IsOk());
  EXPECT_THAT(store_->List(), StatusIs(absl::StatusCode::kDataLoss,
                                       HasSubstr("test.openness v2 does not match its checksum")));
}

}  // namespace
}  // namespace gongkai::rules
