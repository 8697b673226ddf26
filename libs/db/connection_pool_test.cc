// Integration tests (label: integration) of Connection and ConnectionPool against the
// real MySQL/MariaDB named by GONGKAI_TEST_MYSQL_* (see testing/test_database.h).
#include "libs/db/connection_pool.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "libs/db/testing/status_matchers.h"
#include "libs/db/testing/test_database.h"

namespace gongkai::db {
namespace {

using ::gongkai::db::testing::IsOk;
using ::gongkai::db::testing::StatusIs;
using ::gongkai::db::testing::TestDatabase;
using ::testing::_;
using ::testing::AllOf;
using ::testing::HasSubstr;

class ConnectionPoolTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<TestDatabase>> db = TestDatabase::Create("pool");
    ASSERT_THAT(db, IsOk());
    db_ = *std::move(db);
  }

  std::unique_ptr<ConnectionPool> MakePool(int size,
                                           absl::Duration validation = absl::Seconds(30)) {
    DbConfig config = db_->config();
    config.pool_size = size;
    config.validation_interval = validation;
    absl::StatusOr<std::unique_ptr<ConnectionPool>> pool = ConnectionPool::Create(config);
    EXPECT_THAT(pool, IsOk());
    return pool.ok() ? *std::move(pool) : nullptr;
  }

  // KILL only flags the session; the server closes it shortly after, on its own thread.
  // Waits (generously, for a loaded machine) until the session is gone from the process
  // list, so the pool cannot still find it alive when the test goes on.
  void Kill(uint64_t connection_id) {
    absl::StatusOr<ConnectionLease> admin = db_->admin_pool().Acquire();
    ASSERT_THAT(admin, IsOk());
    ASSERT_THAT((*admin)->ExecuteUnprepared(absl::StrCat("KILL ", connection_id)), IsOk());
    const absl::Time deadline = absl::Now() + absl::Seconds(60);
    while (true) {
      absl::StatusOr<ResultSet> rows = (*admin)->Query(absl::StrCat(
          "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID = ", connection_id));
      ASSERT_THAT(rows, IsOk());
      if (*(*rows)[0].GetInt64(0) == 0) return;
      ASSERT_LT(absl::Now(), deadline) << "session " << connection_id << " survived KILL";
      absl::SleepFor(absl::Milliseconds(10));
    }
  }

  std::unique_ptr<TestDatabase> db_;
};

TEST_F(ConnectionPoolTest, RoundTripsEveryValueTypeIncludingChineseBinaryAndNull) {
  auto pool = MakePool(1);
  absl::StatusOr<ConnectionLease> conn = pool->Acquire();
  ASSERT_THAT(conn, IsOk());
  ASSERT_THAT((*conn)->Execute("CREATE TABLE v ("
                               " id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,"
                               " i BIGINT, u BIGINT UNSIGNED, d DOUBLE, b BOOLEAN,"
                               " s VARCHAR(100), bin VARBINARY(100), t DATETIME(6),"
                               " day DATE, maybe VARCHAR(10))"
                               " DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci"),
              IsOk());
  const std::string chinese = "政务公开：主动公开目录 😀";  // 4-byte emoji needs utf8mb4.
  const std::string bytes("\0\xff\x01'\"\\;", 7);
  const absl::Time t =
      absl::FromCivil(absl::CivilSecond(2024, 12, 31, 23, 59, 58), absl::UTCTimeZone()) +
      absl::Microseconds(654321);
  absl::StatusOr<ExecResult> inserted = (*conn)->ExecuteInsert(
      "INSERT INTO v (i, u, d, b, s, bin, t, day, maybe) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {int64_t{-9007199254740993}, uint64_t{18446744073709551615u}, 3.25, true, chinese, bytes, t,
       absl::CivilDay(2025, 1, 2), Value::Null()});
  ASSERT_THAT(inserted, IsOk());
  EXPECT_EQ(inserted->affected_rows, 1);
  EXPECT_EQ(inserted->last_insert_id, 1u);

  absl::StatusOr<ResultSet> rows = (*conn)->Query(
      "SELECT id, i, u, d, b, s, bin, t, day, maybe FROM v WHERE id = ?", {int64_t{1}});
  ASSERT_THAT(rows, IsOk());
  ASSERT_EQ(rows->size(), 1u);
  const Row& row = (*rows)[0];
  EXPECT_EQ(*row.GetInt64("i"), -9007199254740993);
  EXPECT_EQ(*row.GetUint64("u"), 18446744073709551615u);
  EXPECT_DOUBLE_EQ(*row.GetDouble("d"), 3.25);
  EXPECT_EQ(*row.GetBool("b"), true);
  EXPECT_EQ(*row.GetString("s"), chinese);
  EXPECT_EQ(*row.GetString("bin"), bytes);
  EXPECT_EQ(*row.GetTime("t"), t);
  EXPECT_EQ(*row.GetString("t"), "2024-12-31 23:59:58.654321");
  EXPECT_EQ(*row.GetCivilDay("day"), absl::CivilDay(2025, 1, 2));
  EXPECT_EQ(*row.GetOptionalString("maybe"), std::nullopt);
  EXPECT_EQ(*row.GetOptionalInt64(9), std::nullopt);
  EXPECT_EQ(*row.GetInt64(0), 1);

  // The Chinese text is matched by a bound parameter, too.
  absl::StatusOr<ResultSet> by_text = (*conn)->Query("SELECT id FROM v WHERE s = ?", {chinese});
  ASSERT_THAT(by_text, IsOk());
  EXPECT_EQ(by_text->size(), 1u);
}

TEST_F(ConnectionPoolTest, SessionIsUtf8mb4StrictUtcAndReadCommitted) {
  auto pool = MakePool(1);
  absl::StatusOr<ConnectionLease> conn = pool->Acquire();
  ASSERT_THAT(conn, IsOk());
  absl::StatusOr<ResultSet> rows = (*conn)->Query(
      "SELECT @@session.character_set_client AS cs, @@session.time_zone AS tz, "
      "@@session.sql_mode AS mode");
  ASSERT_THAT(rows, IsOk());
  EXPECT_EQ(*(*rows)[0].GetString("cs"), "utf8mb4");
  EXPECT_EQ(*(*rows)[0].GetString("tz"), "+00:00");
  EXPECT_THAT(*(*rows)[0].GetString("mode"), HasSubstr("STRICT_TRANS_TABLES"));
  // MySQL 8 / MariaDB 11 name it transaction_isolation, MariaDB 10 tx_isolation.
  absl::StatusOr<ResultSet> isolation = (*conn)->Query("SELECT @@session.transaction_isolation");
  if (!isolation.ok()) isolation = (*conn)->Query("SELECT @@session.tx_isolation");
  ASSERT_THAT(isolation, IsOk());
  EXPECT_EQ(*(*isolation)[0].GetString(0), "READ-COMMITTED");
}

TEST_F(ConnectionPoolTest, DuplicateKeyIsAlreadyExistsNamingTheKey) {
  auto pool = MakePool(1);
  absl::StatusOr<ConnectionLease> conn = pool->Acquire();
  ASSERT_THAT(conn, IsOk());
  ASSERT_THAT((*conn)->Execute("CREATE TABLE u (id BIGINT PRIMARY KEY, code VARCHAR(10),"
                               " UNIQUE KEY uk_u_code (code))"),
              IsOk());
  ASSERT_THAT((*conn)->Execute("INSERT INTO u VALUES (?, ?)", {1, "A"}), IsOk());
  EXPECT_THAT((*conn)->Execute("INSERT INTO u VALUES (?, ?)", {2, "A"}),
              StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr("key 'uk_u_code'")));
  // The connection stays usable after an ordinary error.
  EXPECT_FALSE((*conn)->broken());
  EXPECT_THAT((*conn)->Query("SELECT 1"), IsOk());
}

TEST_F(ConnectionPoolTest, StrictModeRejectsTooLongValueAsInvalidArgument) {
  auto pool = MakePool(1);
  absl::StatusOr<ConnectionLease> conn = pool->Acquire();
  ASSERT_THAT(conn, IsOk());
  ASSERT_THAT((*conn)->Execute("CREATE TABLE s (name VARCHAR(3)) DEFAULT CHARSET=utf8mb4"), IsOk());
  EXPECT_THAT((*conn)->Execute("INSERT INTO s VALUES (?)", {"四个汉字"}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("column 'name'"), HasSubstr("1406"))));
}

TEST_F(ConnectionPoolTest, UpdateReportsAffectedRowsAndNoInsertId) {
  auto pool = MakePool(1);
  absl::StatusOr<ConnectionLease> conn = pool->Acquire();
  ASSERT_THAT(conn, IsOk());
  ASSERT_THAT((*conn)->Execute("CREATE TABLE n (id BIGINT AUTO_INCREMENT PRIMARY KEY, x INT)"),
              IsOk());
  absl::StatusOr<ExecResult> multi =
      (*conn)->ExecuteInsert("INSERT INTO n (x) VALUES (?), (?), (?)", {1, 2, 2});
  ASSERT_THAT(multi, IsOk());
  EXPECT_EQ(multi->affected_rows, 3);
  EXPECT_EQ(multi->last_insert_id, 1u);
  absl::StatusOr<ExecResult> updated = (*conn)->Execute("UPDATE n SET x = 5 WHERE x = ?", {2});
  ASSERT_THAT(updated, IsOk());
  EXPECT_EQ(updated->affected_rows, 2);
  EXPECT_EQ(updated->last_insert_id, 0u);
  // Plain Execute does not pay the extra round trip for the id.
  absl::StatusOr<ExecResult> plain = (*conn)->Execute("INSERT INTO n (x) VALUES (?)", {7});
  ASSERT_THAT(plain, IsOk());
  EXPECT_EQ(plain->last_insert_id, 0u);
}

TEST_F(ConnectionPoolTest, UnknownColumnIsInternalWithCodeAndSqlState) {
  auto pool = MakePool(1);
  absl::StatusOr<ConnectionLease> conn = pool->Acquire();
  ASSERT_THAT(conn, IsOk());
  EXPECT_THAT((*conn)->Query("SELECT no_such_column FROM DUAL"),
              StatusIs(absl::StatusCode::kInternal,
                       AllOf(HasSubstr("MySQL error 1054 (42S22)"),
                             HasSubstr("[sql: SELECT no_such_column FROM DUAL]"))));
}

TEST_F(ConnectionPoolTest, ExhaustedPoolIsUnavailableNamingThePoolAfterTheTimeout) {
  auto pool = MakePool(2);
  absl::StatusOr<ConnectionLease> a = pool->Acquire();
  absl::StatusOr<ConnectionLease> b = pool->Acquire();
  ASSERT_THAT(a, IsOk());
  ASSERT_THAT(b, IsOk());
  const absl::Time start = absl::Now();
  EXPECT_THAT(pool->Acquire(absl::Milliseconds(300)),
              StatusIs(absl::StatusCode::kUnavailable,
                       AllOf(HasSubstr(absl::StrCat("db pool '", db_->name(), "' exhausted")),
                             HasSubstr("300ms"))));
  EXPECT_GE(absl::Now() - start, absl::Milliseconds(290));
  PoolStats stats = pool->Stats();
  EXPECT_EQ(stats.in_use, 2);
  EXPECT_EQ(stats.idle, 0);
  EXPECT_EQ(stats.max, 2);
  EXPECT_EQ(stats.waits_total, 1);
  EXPECT_EQ(stats.wait_timeouts_total, 1);
  EXPECT_EQ(stats.connections_opened_total, 2);

  // A waiter gets the connection as soon as a lease ends. The lease ends only once the
  // Acquire below is waiting (waits_total is counted under the pool's lock just before
  // it waits), however late this thread gets the CPU; the 60 s only bounds a broken run.
  std::thread releaser([&] {
    const absl::Time deadline = absl::Now() + absl::Seconds(60);
    while (pool->Stats().waits_total < 2 && absl::Now() < deadline) {
      absl::SleepFor(absl::Milliseconds(1));
    }
    *a = std::move(*b);  // Releases a's connection.
  });
  EXPECT_THAT(pool->Acquire(absl::Seconds(60)), IsOk());
  releaser.join();
  EXPECT_EQ(pool->Stats().waits_total, 2);
  EXPECT_EQ(pool->Stats().wait_timeouts_total, 1);
}

TEST_F(ConnectionPoolTest, IdleConnectionsAreReused) {
  auto pool = MakePool(4);
  uint64_t first_id = 0;
  {
    absl::StatusOr<ConnectionLease> conn = pool->Acquire();
    ASSERT_THAT(conn, IsOk());
    first_id = (*conn)->server_connection_id();
  }
  absl::StatusOr<ConnectionLease> again = pool->Acquire();
  ASSERT_THAT(again, IsOk());
  EXPECT_EQ((*again)->server_connection_id(), first_id);
  EXPECT_EQ(pool->Stats().connections_opened_total, 1);
}

TEST_F(ConnectionPoolTest, KilledIdleConnectionIsReplacedAndTheNextQuerySucceeds) {
  auto pool = MakePool(1, /*validation=*/absl::ZeroDuration());
  uint64_t killed = 0;
  {
    absl::StatusOr<ConnectionLease> conn = pool->Acquire();
    ASSERT_THAT(conn, IsOk());
    killed = (*conn)->server_connection_id();
  }
  Kill(killed);
  absl::StatusOr<ConnectionLease> conn = pool->Acquire();
  ASSERT_THAT(conn, IsOk());
  EXPECT_NE((*conn)->server_connection_id(), killed);
  absl::StatusOr<ResultSet> rows = (*conn)->Query("SELECT CONNECTION_ID()");
  ASSERT_THAT(rows, IsOk());
  EXPECT_EQ(*(*rows)[0].GetUint64(0), (*conn)->server_connection_id());
  PoolStats stats = pool->Stats();
  EXPECT_EQ(stats.errors_total, 1);
  EXPECT_EQ(stats.connections_opened_total, 2);
}

TEST_F(ConnectionPoolTest, ConnectionKilledWhileLeasedIsUnavailableThenThePoolRecovers) {
  // Long validation interval: the dead session is only noticed by the query itself.
  auto pool = MakePool(1, /*validation=*/absl::Hours(1));
  uint64_t killed = 0;
  {
    absl::StatusOr<ConnectionLease> conn = pool->Acquire();
    ASSERT_THAT(conn, IsOk());
    killed = (*conn)->server_connection_id();
    Kill(killed);
    EXPECT_THAT((*conn)->Query("SELECT 1"),
                StatusIs(absl::StatusCode::kUnavailable, HasSubstr("connection lost")));
    EXPECT_TRUE((*conn)->broken());
    EXPECT_THAT((*conn)->Query("SELECT 1"),
                StatusIs(absl::StatusCode::kUnavailable, HasSubstr("was lost earlier")));
  }
  absl::StatusOr<ConnectionLease> conn = pool->Acquire();
  ASSERT_THAT(conn, IsOk());
  EXPECT_NE((*conn)->server_connection_id(), killed);
  EXPECT_THAT((*conn)->Query("SELECT 1"), IsOk());
  EXPECT_EQ(pool->Stats().errors_total, 1);
}

TEST_F(ConnectionPoolTest, AfterOneBrokenConnectionOtherIdleOnesAreCheckedBeforeReuse) {
  // Simulates a server restart: every session dies, but only one is noticed by a query.
  auto pool = MakePool(2, /*validation=*/absl::Hours(1));
  uint64_t first = 0, second = 0;
  {
    absl::StatusOr<ConnectionLease> a = pool->Acquire();
    absl::StatusOr<ConnectionLease> b = pool->Acquire();
    ASSERT_THAT(a, IsOk());
    ASSERT_THAT(b, IsOk());
    first = (*a)->server_connection_id();
    second = (*b)->server_connection_id();
  }
  Kill(first);
  Kill(second);
  {
    absl::StatusOr<ConnectionLease> conn = pool->Acquire();  // LIFO: gets one of them.
    ASSERT_THAT(conn, IsOk());
    EXPECT_THAT((*conn)->Query("SELECT 1"), StatusIs(absl::StatusCode::kUnavailable, _));
  }
  // The other idle connection is now suspect and pinged: the next query works.
  absl::StatusOr<ConnectionLease> conn = pool->Acquire();
  ASSERT_THAT(conn, IsOk());
  EXPECT_THAT((*conn)->Query("SELECT 1"), IsOk());
  EXPECT_EQ(pool->Stats().errors_total, 2);
}

TEST_F(ConnectionPoolTest, UnreachableServerIsUnavailableAndCounted) {
  DbConfig config = db_->config();
  config.port = 1;  // Nothing listens there.
  config.connect_timeout = absl::Seconds(2);
  absl::StatusOr<std::unique_ptr<ConnectionPool>> pool = ConnectionPool::Create(config);
  ASSERT_THAT(pool, IsOk());
  EXPECT_THAT((*pool)->Acquire(),
              StatusIs(absl::StatusCode::kUnavailable,
                       AllOf(HasSubstr(absl::StrCat("db pool '", db_->name(), "'")),
                             HasSubstr("cannot connect"))));
  EXPECT_EQ((*pool)->Stats().errors_total, 1);
  EXPECT_EQ((*pool)->Stats().in_use, 0);
}

// Issue 17 / ADR 0025: a host list; the first entry is down, so the pool opens on the
// next one and makes it current.
TEST_F(ConnectionPoolTest, HostListSkipsAnUnreachableServerAndStaysOnTheOneThatAnswers) {
  DbConfig config = db_->config();
  const std::string live = DbEndpoint{config.host, config.port}.ToString();
  config.host = absl::StrCat("127.0.0.1:1,", live);
  config.connect_timeout = absl::Seconds(2);
  absl::StatusOr<std::unique_ptr<ConnectionPool>> pool = ConnectionPool::Create(config);
  ASSERT_THAT(pool, IsOk());
  {
    absl::StatusOr<ConnectionLease> conn = (*pool)->Acquire();
    ASSERT_THAT(conn, IsOk());
    EXPECT_EQ((*conn)->endpoint(), live);
    EXPECT_THAT((*conn)->Query("SELECT 1"), IsOk());
  }
  EXPECT_EQ((*pool)->Stats().failovers_total, 1);
  // The next open goes straight to the live server: no new failover.
  absl::StatusOr<ConnectionLease> a = (*pool)->Acquire();
  absl::StatusOr<ConnectionLease> b = (*pool)->Acquire();
  ASSERT_THAT(a, IsOk());
  ASSERT_THAT(b, IsOk());
  EXPECT_EQ((*b)->endpoint(), live);
  EXPECT_EQ((*pool)->Stats().failovers_total, 1);
}

// A connection to the current server breaks: the pool moves on to the next entry for
// the replacement (here it is down, so it comes round to the live one again).
TEST_F(ConnectionPoolTest, BrokenConnectionMakesThePoolTryTheNextServerFirst) {
  DbConfig config = db_->config();
  const std::string live = DbEndpoint{config.host, config.port}.ToString();
  config.host = absl::StrCat(live, ",127.0.0.1:1");
  config.connect_timeout = absl::Seconds(2);
  absl::StatusOr<std::unique_ptr<ConnectionPool>> pool = ConnectionPool::Create(config);
  ASSERT_THAT(pool, IsOk());
  {
    absl::StatusOr<ConnectionLease> conn = (*pool)->Acquire();
    ASSERT_THAT(conn, IsOk());
    EXPECT_EQ((*pool)->Stats().failovers_total, 0);
    Kill((*conn)->server_connection_id());
    EXPECT_THAT((*conn)->Query("SELECT 1"), StatusIs(absl::StatusCode::kUnavailable, _));
  }
  EXPECT_EQ((*pool)->Stats().failovers_total, 1);  // Moved to 127.0.0.1:1 ...
  absl::StatusOr<ConnectionLease> again = (*pool)->Acquire();
  ASSERT_THAT(again, IsOk());
  EXPECT_EQ((*again)->endpoint(), live);  // ... which is down: back to the live one.
  EXPECT_EQ((*pool)->Stats().failovers_total, 2);
  EXPECT_THAT((*again)->Query("SELECT 1"), IsOk());
}

TEST_F(ConnectionPoolTest, EveryServerOfAHostListDownIsUnavailableNamingThem) {
  DbConfig config = db_->config();
  config.host = "127.0.0.1:1,127.0.0.1:2";
  config.connect_timeout = absl::Seconds(2);
  absl::StatusOr<std::unique_ptr<ConnectionPool>> pool = ConnectionPool::Create(config);
  ASSERT_THAT(pool, IsOk());
  EXPECT_THAT((*pool)->Acquire(), StatusIs(absl::StatusCode::kUnavailable,
                                           AllOf(HasSubstr("none of the 2 database servers"),
                                                 HasSubstr("127.0.0.1:2"))));
}

TEST(DbConfigTest, InvalidConfigIsRejectedByCreate) {
  DbConfig config;
  config.user = "u";
  config.pool_size = 0;
  EXPECT_THAT(ConnectionPool::Create(config),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("pool_size")));
}

}  // namespace
}  // namespace gongkai::db
