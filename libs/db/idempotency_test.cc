// Integration tests (label: integration) of the idempotency_keys helpers against the
// real MySQL/MariaDB named by GONGKAI_TEST_MYSQL_*.
#include "libs/db/idempotency.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>

#include "libs/db/connection_pool.h"
#include "libs/db/testing/status_matchers.h"
#include "libs/db/testing/test_database.h"
#include "libs/db/transaction.h"
#include "libs/status/status_macros.h"

namespace gongkai::db {
namespace {

using ::gongkai::db::testing::IsOk;
using ::gongkai::db::testing::IsOkAndHolds;
using ::gongkai::db::testing::StatusIs;
using ::gongkai::db::testing::TestDatabase;
using ::testing::HasSubstr;
using ::testing::Optional;

const absl::Time kCreated = absl::FromUnixSeconds(1'700'000'000);

class IdempotencyRecordTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(db_, TestDatabase::Create("idem"));
    ASSERT_OK_AND_ASSIGN(pool_, ConnectionPool::Create(db_->config()));
    ASSERT_OK_AND_ASSIGN(ConnectionLease conn, pool_->Acquire());
    // The table as the services' migrations create it.
    ASSERT_THAT(conn->Execute("CREATE TABLE idempotency_keys (subject VARCHAR(200) NOT NULL, "
                              "method VARCHAR(64) NOT NULL, request_id VARCHAR(128) NOT NULL, "
                              "response MEDIUMBLOB NOT NULL, create_time DATETIME(6) NOT NULL, "
                              "PRIMARY KEY (subject, method, request_id)) ENGINE=InnoDB "
                              "DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin"),
                IsOk());
  }

  absl::StatusOr<std::optional<std::string>> Find(const idempotency::Key& key) {
    ASSIGN_OR_RETURN(ConnectionLease conn, pool_->Acquire());
    return FindIdempotentResponse(*conn, key);
  }

  absl::Status Insert(const idempotency::Key* key, const std::string& response) {
    ASSIGN_OR_RETURN(ConnectionLease conn, pool_->Acquire());
    return InsertIdempotencyRecord(*conn, key, response, kCreated);
  }

  std::unique_ptr<TestDatabase> db_;
  std::unique_ptr<ConnectionPool> pool_;
};

TEST_F(IdempotencyRecordTest, StoredResponseIsFoundByItsKey) {
  const idempotency::Key key{"alice", "CreateUnit", "r-1"};
  const std::string response("bytes\0with nul", 14);
  ASSERT_THAT(Insert(&key, response), IsOk());
  EXPECT_THAT(Find(key), IsOkAndHolds(Optional(response)));
}

TEST_F(IdempotencyRecordTest, NothingStoredIsNullopt) {
  EXPECT_THAT(Find({"alice", "CreateUnit", "r-1"}), IsOkAndHolds(std::nullopt));
}

TEST_F(IdempotencyRecordTest, EveryPartOfTheKeyDistinguishes) {
  const idempotency::Key key{"alice", "CreateUnit", "r-1"};
  ASSERT_THAT(Insert(&key, "first"), IsOk());
  EXPECT_THAT(Find({"bob", "CreateUnit", "r-1"}), IsOkAndHolds(std::nullopt));
  EXPECT_THAT(Find({"alice", "CreateDocument", "r-1"}), IsOkAndHolds(std::nullopt));
  EXPECT_THAT(Find({"alice", "CreateUnit", "R-1"}), IsOkAndHolds(std::nullopt));
}

TEST_F(IdempotencyRecordTest, NullKeyStoresNothing) {
  ASSERT_THAT(Insert(nullptr, "ignored"), IsOk());
  ASSERT_OK_AND_ASSIGN(ConnectionLease conn, pool_->Acquire());
  ASSERT_OK_AND_ASSIGN(ResultSet rows, conn->Query("SELECT COUNT(*) FROM idempotency_keys"));
  EXPECT_THAT(rows[0].GetInt64(0), IsOkAndHolds(0));
}

TEST_F(IdempotencyRecordTest, SecondInsertOfTheSameKeyIsAlreadyExistsAndKeepsTheFirst) {
  const idempotency::Key key{"alice", "CreateUnit", "r-1"};
  ASSERT_THAT(Insert(&key, "first"), IsOk());
  EXPECT_THAT(Insert(&key, "second"),
              StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr("duplicate entry")));
  EXPECT_THAT(Find(key), IsOkAndHolds(Optional(std::string("first"))));
}

TEST_F(IdempotencyRecordTest, RecordRollsBackWithItsTransaction) {
  const idempotency::Key key{"alice", "CreateUnit", "r-1"};
  absl::Status status = RunInTransaction(*pool_, [&](Connection& conn) -> absl::Status {
    absl::Status inserted = InsertIdempotencyRecord(conn, &key, "first", kCreated);
    if (!inserted.ok()) return inserted;
    return absl::InvalidArgumentError("the create failed after the record was written");
  });
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("create failed")));
  EXPECT_THAT(Find(key), IsOkAndHolds(std::nullopt));
}

}  // namespace
}  // namespace gongkai::db
