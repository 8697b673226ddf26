// Integration tests (label: integration) of RunInTransaction and WithRetries against the
// real MySQL/MariaDB named by GONGKAI_TEST_MYSQL_*.
#include "libs/db/transaction.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <thread>

#include "absl/synchronization/barrier.h"
#include "libs/db/testing/status_matchers.h"
#include "libs/db/testing/test_database.h"

namespace gongkai::db {
namespace {

using ::gongkai::db::testing::IsOk;
using ::gongkai::db::testing::StatusIs;
using ::gongkai::db::testing::TestDatabase;
using ::testing::HasSubstr;

class TransactionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<TestDatabase>> db = TestDatabase::Create("tx");
    ASSERT_THAT(db, IsOk());
    db_ = *std::move(db);
    absl::StatusOr<std::unique_ptr<ConnectionPool>> pool = ConnectionPool::Create(db_->config());
    ASSERT_THAT(pool, IsOk());
    pool_ = *std::move(pool);
    absl::StatusOr<ConnectionLease> conn = pool_->Acquire();
    ASSERT_THAT(conn, IsOk());
    ASSERT_THAT((*conn)->Execute("CREATE TABLE accounts (id BIGINT PRIMARY KEY,"
                                 " balance BIGINT NOT NULL, code VARCHAR(10) NOT NULL,"
                                 " UNIQUE KEY uk_accounts_code (code)) ENGINE=InnoDB"),
                IsOk());
    ASSERT_THAT((*conn)->Execute("INSERT INTO accounts VALUES (1, 100, 'a'), (2, 100, 'b')"),
                IsOk());
  }

  int64_t CountRows(absl::string_view where) {
    absl::StatusOr<ConnectionLease> conn = pool_->Acquire();
    EXPECT_THAT(conn, IsOk());
    absl::StatusOr<ResultSet> rows =
        (*conn)->Query(absl::StrCat("SELECT COUNT(*) FROM accounts WHERE ", where));
    EXPECT_THAT(rows, IsOk());
    return rows.ok() ? *(*rows)[0].GetInt64(0) : -1;
  }

  int64_t Balance(int64_t id) {
    absl::StatusOr<ConnectionLease> conn = pool_->Acquire();
    EXPECT_THAT(conn, IsOk());
    absl::StatusOr<ResultSet> rows =
        (*conn)->Query("SELECT balance FROM accounts WHERE id = ?", {id});
    EXPECT_THAT(rows, IsOk());
    return rows.ok() ? *(*rows)[0].GetInt64(0) : -1;
  }

  std::unique_ptr<TestDatabase> db_;
  std::unique_ptr<ConnectionPool> pool_;
};

TEST_F(TransactionTest, CommitsWhenFnReturnsOk) {
  EXPECT_THAT(
      RunInTransaction(*pool_,
                       [](Connection& conn) -> absl::Status {
                         return conn.Execute("INSERT INTO accounts VALUES (3, 5, 'c')").status();
                       }),
      IsOk());
  EXPECT_EQ(CountRows("id = 3"), 1);
}

TEST_F(TransactionTest, RollsBackEverythingWhenFnReturnsAnError) {
  absl::Status status = RunInTransaction(*pool_, [](Connection& conn) -> absl::Status {
    absl::Status s = conn.Execute("INSERT INTO accounts VALUES (3, 5, 'c')").status();
    if (!s.ok()) return s;
    s = conn.Execute("UPDATE accounts SET balance = 0").status();
    if (!s.ok()) return s;
    return absl::FailedPreconditionError("business rule says no");
  });
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("says no")));
  EXPECT_EQ(CountRows("id = 3"), 0);
  EXPECT_EQ(CountRows("balance = 100"), 2);
}

TEST_F(TransactionTest, FailingStatementRollsBackEarlierStatements) {
  absl::Status status = RunInTransaction(*pool_, [](Connection& conn) -> absl::Status {
    absl::Status s = conn.Execute("INSERT INTO accounts VALUES (3, 5, 'c')").status();
    if (!s.ok()) return s;
    return conn.Execute("INSERT INTO accounts VALUES (4, 5, 'a')").status();  // Duplicate.
  });
  EXPECT_THAT(status,
              StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr("key 'uk_accounts_code'")));
  EXPECT_EQ(CountRows("id IN (3, 4)"), 0);
}

TEST_F(TransactionTest, ForeignExceptionRollsBackAndPropagates) {
  EXPECT_THROW(
      RunInTransaction(*pool_,
                       [](Connection& conn) -> absl::Status {
                         conn.Execute("INSERT INTO accounts VALUES (3, 5, 'c')").IgnoreError();
                         throw std::runtime_error("caller bug");
                       }),
      std::runtime_error);
  EXPECT_EQ(CountRows("id = 3"), 0);
  // The connection went back to the pool clean and usable.
  EXPECT_EQ(pool_->Stats().in_use, 0);
  EXPECT_THAT(RunInTransaction(*pool_, [](Connection&) { return absl::OkStatus(); }), IsOk());
}

TEST_F(TransactionTest, NestedTransactionOnTheSameConnectionIsRefused) {
  absl::StatusOr<ConnectionLease> conn = pool_->Acquire();
  ASSERT_THAT(conn, IsOk());
  absl::Status inner_status;
  EXPECT_THAT(RunInTransaction(**conn,
                               [&](Connection& c) {
                                 inner_status = RunInTransaction(
                                     c, [](Connection&) { return absl::OkStatus(); });
                                 return absl::OkStatus();
                               }),
              IsOk());
  EXPECT_THAT(inner_status, StatusIs(absl::StatusCode::kFailedPrecondition,
                                     HasSubstr("already in a transaction")));
}

TEST_F(TransactionTest, StaleVersionIsReturnedAtOnceWithoutItsMarkerAndRollsBack) {
  int attempts = 0;
  absl::Status status = RunInTransactionWithRetries(*pool_, [&](Connection& conn) {
    ++attempts;
    absl::Status updated = conn.Execute("UPDATE accounts SET balance = 0 WHERE id = 1").status();
    if (!updated.ok()) return updated;
    return StaleVersionError("account 1 is at version 3, not 2");
  });
  EXPECT_EQ(attempts, 1);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kAborted,
                               ::testing::StrEq("account 1 is at version 3, not 2")));
  int payloads = 0;
  status.ForEachPayload([&](absl::string_view, const absl::Cord&) { ++payloads; });
  EXPECT_EQ(payloads, 0);
  EXPECT_EQ(Balance(1), 100);
}

TEST_F(TransactionTest, AbortedWriteIsRetriedUntilItCommits) {
  int attempts = 0;
  absl::Status status = RunInTransactionWithRetries(*pool_, [&](Connection& conn) {
    absl::Status updated =
        conn.Execute("UPDATE accounts SET balance = balance + 1 WHERE id = 1").status();
    if (!updated.ok()) return updated;
    return ++attempts < 3 ? absl::AbortedError("write conflict") : absl::OkStatus();
  });
  EXPECT_THAT(status, IsOk());
  EXPECT_EQ(attempts, 3);
  EXPECT_EQ(Balance(1), 101);  // The two aborted attempts rolled back.
}

TEST_F(TransactionTest, OtherErrorsOfAWriteAreNotRetried) {
  int attempts = 0;
  absl::Status status = RunInTransactionWithRetries(*pool_, [&](Connection&) {
    ++attempts;
    return absl::NotFoundError("account 9 not found");
  });
  EXPECT_EQ(attempts, 1);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kNotFound, HasSubstr("account 9")));
}

// Two transactions lock rows 1 and 2 in opposite orders. Each waits at the barrier after
// its first update (first attempt only), so the second updates always form a cycle.
class DeadlockTest : public TransactionTest {
 protected:
  absl::Status Transfer(int64_t first, int64_t second, absl::Barrier* barrier,
                        std::atomic<int>* attempts) {
    return RunInTransaction(*pool_, [&](Connection& conn) -> absl::Status {
      const int attempt = ++*attempts;
      absl::Status s =
          conn.Execute("UPDATE accounts SET balance = balance - 1 WHERE id = ?", {first}).status();
      if (!s.ok()) return s;
      if (attempt == 1 && barrier->Block()) delete barrier;  // The last one out frees it.
      return conn.Execute("UPDATE accounts SET balance = balance + 1 WHERE id = ?", {second})
          .status();
    });
  }
};

TEST_F(DeadlockTest, RealDeadlockIsAbortedForExactlyOneTransaction) {
  auto* barrier = new absl::Barrier(2);
  std::atomic<int> attempts_a{0}, attempts_b{0};
  absl::Status a, b;
  std::thread ta([&] { a = Transfer(1, 2, barrier, &attempts_a); });
  std::thread tb([&] { b = Transfer(2, 1, barrier, &attempts_b); });
  ta.join();
  tb.join();
  const absl::Status& loser = a.ok() ? b : a;
  EXPECT_NE(a.ok(), b.ok()) << "a: " << a << " b: " << b;
  EXPECT_THAT(loser, StatusIs(absl::StatusCode::kAborted, HasSubstr("deadlock")));
  // Only the winner's transfer happened.
  EXPECT_EQ(Balance(1) + Balance(2), 200);
  EXPECT_EQ(CountRows("balance = 100"), 0);
}

TEST_F(DeadlockTest, WithRetriesRecoversFromTheDeadlock) {
  auto* barrier = new absl::Barrier(2);
  std::atomic<int> attempts_a{0}, attempts_b{0};
  absl::Status a, b;
  RetryPolicy policy;
  std::thread ta(
      [&] { a = WithRetries(policy, [&] { return Transfer(1, 2, barrier, &attempts_a); }); });
  std::thread tb(
      [&] { b = WithRetries(policy, [&] { return Transfer(2, 1, barrier, &attempts_b); }); });
  ta.join();
  tb.join();
  EXPECT_THAT(a, IsOk());
  EXPECT_THAT(b, IsOk());
  EXPECT_EQ(attempts_a + attempts_b, 3);  // One deadlock victim retried once.
  EXPECT_EQ(Balance(1), 100);
  EXPECT_EQ(Balance(2), 100);
}

}  // namespace
}  // namespace gongkai::db
