// Integration tests (label: integration) of the idempotency_keys helpers against the
// real MySQL/MariaDB named by GONGKAI_TEST_MYSQL_*.
#include "libs/db/idempotency.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "libs/db/connection_pool.h"
#include "libs/db/testing/status_matchers.h"
#include "libs/db/testing/test_database.h"
#include "libs/db/transaction.h"
#include "libs/status/errors.h"
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
    // The table as every service's bootstrap creates it: the library migrations.
    ASSERT_THAT(Migrator(pool_.get(), {IdempotencyMigrationSet()}, {}).Migrate(), IsOk());
  }

  absl::StatusOr<std::optional<std::string>> Find(const idempotency::Key& key) {
    ASSIGN_OR_RETURN(ConnectionLease conn, pool_->Acquire());
    return FindIdempotentResponse(*conn, key);
  }

  absl::Status Insert(const idempotency::Key* key, const std::string& response,
                      absl::Time created = kCreated) {
    ASSIGN_OR_RETURN(ConnectionLease conn, pool_->Acquire());
    return InsertIdempotencyRecord(*conn, key, response, created);
  }

  int64_t Count() {
    absl::StatusOr<ConnectionLease> conn = pool_->Acquire();
    if (!conn.ok()) return -1;
    absl::StatusOr<ResultSet> rows = (*conn)->Query("SELECT COUNT(*) FROM idempotency_keys");
    if (!rows.ok()) return -1;
    return (*rows)[0].GetInt64(0).value_or(-1);
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

// Defect 3 of issue 16: a used request id with a different request is refused by name,
// never answered with the first request's response.
TEST_F(IdempotencyRecordTest, SameIdWithADifferentRequestIsInvalidArgumentNamingRequestId) {
  const idempotency::Key first{"alice", "CreateUnit", "r-1", std::string(64, 'a')};
  ASSERT_THAT(Insert(&first, "first"), IsOk());
  EXPECT_THAT(Find(first), IsOkAndHolds(Optional(std::string("first"))));
  const idempotency::Key other{"alice", "CreateUnit", "r-1", std::string(64, 'b')};
  const absl::StatusOr<std::optional<std::string>> found = Find(other);
  EXPECT_THAT(found, StatusIs(absl::StatusCode::kInvalidArgument,
                              HasSubstr("already used for a different request")));
  ASSERT_EQ(FieldViolationsOf(found.status()).size(), 1u);
  EXPECT_EQ(FieldViolationsOf(found.status())[0].field, "request_id");
}

// Rows stored before 0002 (request_hash '') and lookups that do not know the request
// ("" in the key) are accepted as the same request.
TEST_F(IdempotencyRecordTest, UnknownHashOnEitherSideReplays) {
  const idempotency::Key legacy{"alice", "CreateUnit", "r-1"};
  ASSERT_THAT(Insert(&legacy, "first"), IsOk());
  EXPECT_THAT(Find({"alice", "CreateUnit", "r-1", std::string(64, 'b')}),
              IsOkAndHolds(Optional(std::string("first"))));
  const idempotency::Key hashed{"alice", "CreateUnit", "r-2", std::string(64, 'a')};
  ASSERT_THAT(Insert(&hashed, "second"), IsOk());
  EXPECT_THAT(Find({"alice", "CreateUnit", "r-2"}), IsOkAndHolds(Optional(std::string("second"))));
}

// Defect 4 of issue 16: records older than the retention are purged in batches.
TEST_F(IdempotencyRecordTest, PurgeDeletesOnlyOlderRecordsInBatches) {
  for (int i = 0; i < 5; ++i) {
    const idempotency::Key old_key{"alice", "CreateUnit", absl::StrCat("old-", i)};
    ASSERT_THAT(Insert(&old_key, "old", kCreated), IsOk());
  }
  const idempotency::Key recent{"alice", "CreateUnit", "recent"};
  ASSERT_THAT(Insert(&recent, "recent", kCreated + absl::Hours(48)), IsOk());
  EXPECT_THAT(PurgeIdempotencyRecords(*pool_, kCreated + absl::Hours(24), /*batch_size=*/2),
              IsOkAndHolds(5));
  EXPECT_EQ(Count(), 1);
  EXPECT_THAT(Find(recent), IsOkAndHolds(Optional(std::string("recent"))));
  EXPECT_THAT(PurgeIdempotencyRecords(*pool_, kCreated + absl::Hours(24)), IsOkAndHolds(0));
}

}  // namespace
}  // namespace gongkai::db
