// CallDeadlineScope and ConnectionPool::Acquire (call_deadline.h), against the test
// MariaDB: nothing is started for a call past its deadline, and a session's row-lock
// waits are bounded by the time the call has left. Codes and session settings are
// asserted, never timings.
#include "libs/db/call_deadline.h"

#include <gtest/gtest.h>

#include <memory>

#include "absl/time/clock.h"
#include "libs/db/connection_pool.h"
#include "libs/db/testing/test_database.h"

namespace gongkai::db {
namespace {

int64_t SessionLockWaitTimeout(Connection& conn) {
  absl::StatusOr<ResultSet> rows = conn.Query("SELECT @@SESSION.innodb_lock_wait_timeout");
  EXPECT_TRUE(rows.ok()) << rows.status();
  return rows.ok() && !rows->empty() ? (*rows)[0].GetInt64(0).value_or(-1) : -1;
}

class CallDeadlineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<testing::TestDatabase>> db =
        testing::TestDatabase::Create("call_deadline");
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = *std::move(db);
    DbConfig config = db_->config();
    config.pool_size = 2;
    absl::StatusOr<std::unique_ptr<ConnectionPool>> pool = ConnectionPool::Create(config);
    ASSERT_TRUE(pool.ok()) << pool.status();
    pool_ = *std::move(pool);
  }

  std::unique_ptr<testing::TestDatabase> db_;
  std::unique_ptr<ConnectionPool> pool_;
};

TEST_F(CallDeadlineTest, NoScopeMeansNoDeadline) {
  EXPECT_EQ(CurrentCallDeadline(), absl::InfiniteFuture());
  {
    CallDeadlineScope outer(absl::Now() + absl::Seconds(5));
    {
      CallDeadlineScope inner(absl::Now() + absl::Seconds(1));
      EXPECT_LT(CurrentCallDeadline(), absl::Now() + absl::Seconds(2));
    }
    EXPECT_GT(CurrentCallDeadline(), absl::Now() + absl::Seconds(2));
  }
  EXPECT_EQ(CurrentCallDeadline(), absl::InfiniteFuture());
}

TEST_F(CallDeadlineTest, AcquireAfterTheDeadlineIsDeadlineExceededAndOpensNothing) {
  CallDeadlineScope scope(absl::Now() - absl::Milliseconds(1));
  absl::StatusOr<ConnectionLease> lease = pool_->Acquire();
  EXPECT_EQ(lease.status().code(), absl::StatusCode::kDeadlineExceeded) << lease.status();
  EXPECT_EQ(pool_->Stats().connections_opened_total, 0);
  EXPECT_EQ(pool_->Stats().in_use, 0);
}

TEST_F(CallDeadlineTest, LockWaitsAreBoundedByTheCallAndResetOutsideIt) {
  int64_t server_default = 0;
  {
    absl::StatusOr<ConnectionLease> lease = pool_->Acquire();
    ASSERT_TRUE(lease.ok()) << lease.status();
    server_default = SessionLockWaitTimeout(**lease);
  }
  {
    CallDeadlineScope scope(absl::Now() + absl::Milliseconds(1500));
    absl::StatusOr<ConnectionLease> lease = pool_->Acquire();
    ASSERT_TRUE(lease.ok()) << lease.status();
    const int64_t bound = SessionLockWaitTimeout(**lease);
    EXPECT_GE(bound, 1);
    EXPECT_LE(bound, 2);
  }
  absl::StatusOr<ConnectionLease> lease = pool_->Acquire();
  ASSERT_TRUE(lease.ok()) << lease.status();
  EXPECT_EQ(SessionLockWaitTimeout(**lease), server_default);
}

TEST_F(CallDeadlineTest, ARowLockWaitEndsWithTheCall) {
  {
    absl::StatusOr<ConnectionLease> conn = pool_->Acquire();
    ASSERT_TRUE(conn.ok()) << conn.status();
    ASSERT_TRUE((*conn)->Execute("CREATE TABLE locked (id BIGINT PRIMARY KEY, n INT)").ok());
    ASSERT_TRUE((*conn)->Execute("INSERT INTO locked VALUES (1, 0)").ok());
  }
  absl::StatusOr<ConnectionLease> holder = pool_->Acquire();
  ASSERT_TRUE(holder.ok()) << holder.status();
  ASSERT_TRUE((*holder)->Execute("START TRANSACTION").ok());
  ASSERT_TRUE((*holder)->Query("SELECT n FROM locked WHERE id = 1 FOR UPDATE").ok());
  {
    // The session's lock waits end after 2 s (whole seconds, rounded up); the statement
    // is stopped at the call's deadline, 1.5 s, by the pool's watchdog.
    CallDeadlineScope scope(absl::Now() + absl::Milliseconds(1500));
    absl::StatusOr<ConnectionLease> waiter = pool_->Acquire();
    ASSERT_TRUE(waiter.ok()) << waiter.status();
    absl::StatusOr<ExecResult> update = (*waiter)->Execute("UPDATE locked SET n = 1 WHERE id = 1");
    // DEADLINE_EXCEEDED, not ABORTED (1205, which RunInTransactionWithRetries would retry).
    EXPECT_EQ(update.status().code(), absl::StatusCode::kDeadlineExceeded) << update.status();
  }
  ASSERT_TRUE((*holder)->Execute("ROLLBACK").ok());
}

}  // namespace
}  // namespace gongkai::db
