// The fixture of libs/outbox's integration tests: a throwaway database on the real
// MariaDB (GONGKAI_TEST_MYSQL_*, set by ./gongkai test) with the outbox migration set
// applied and a `widgets` table standing for the producer's business rows.
#ifndef GONGKAI_LIBS_OUTBOX_OUTBOX_TEST_FIXTURE_H_
#define GONGKAI_LIBS_OUTBOX_OUTBOX_TEST_FIXTURE_H_

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "libs/clock/clock.h"
#include "libs/db/connection_pool.h"
#include "libs/db/migrator.h"
#include "libs/db/testing/test_database.h"
#include "libs/db/transaction.h"
#include "libs/outbox/outbox.h"
#include "libs/status/status_macros.h"

namespace gongkai::outbox::testing {

class OutboxDatabaseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<db::testing::TestDatabase>> database =
        db::testing::TestDatabase::Create("outbox");
    ASSERT_TRUE(database.ok()) << database.status();
    database_ = std::move(*database);
    absl::StatusOr<std::unique_ptr<db::ConnectionPool>> pool =
        db::ConnectionPool::Create(database_->config());
    ASSERT_TRUE(pool.ok()) << pool.status();
    pool_ = std::move(*pool);
    db::Migrator migrator(pool_.get(), {OutboxMigrationSet()}, {});
    absl::StatusOr<std::vector<int64_t>> applied = migrator.Migrate();
    ASSERT_TRUE(applied.ok()) << applied.status();
    absl::StatusOr<db::ConnectionLease> conn = pool_->Acquire();
    ASSERT_TRUE(conn.ok()) << conn.status();
    ASSERT_TRUE((*conn)
                    ->ExecuteUnprepared("CREATE TABLE widgets (id BIGINT PRIMARY KEY, "
                                        "name VARCHAR(64) NOT NULL) ENGINE=InnoDB")
                    .ok());
  }

  static OutboxEvent Event(absl::string_view key, absl::string_view ordering_key = "",
                           absl::string_view topic = "widget.created") {
    OutboxEvent event;
    event.topic = std::string(topic);
    event.destination = "receiver";
    event.event_key = std::string(key);
    event.ordering_key = std::string(ordering_key);
    event.payload = absl::StrCat("payload of ", key);
    return event;
  }

  // The producer's transaction: a business row and its event, committed together.
  absl::Status CreateWidget(int64_t id, const OutboxEvent& event) {
    return db::RunInTransactionWithRetries(*pool_, [&](db::Connection& conn) -> absl::Status {
      RETURN_IF_ERROR(conn.Execute("INSERT INTO widgets (id, name) VALUES (?, ?)",
                                   {db::Value(id), db::Value(event.event_key)})
                          .status());
      return Enqueue(conn, event, clock_.Now()).status();
    });
  }

  absl::Status EnqueueCommitted(const OutboxEvent& event) {
    return db::RunInTransaction(*pool_, [&](db::Connection& conn) -> absl::Status {
      return Enqueue(conn, event, clock_.Now()).status();
    });
  }

  int64_t CountRows(absl::string_view sql) {
    absl::StatusOr<db::ConnectionLease> conn = pool_->Acquire();
    EXPECT_TRUE(conn.ok()) << conn.status();
    if (!conn.ok()) return -1;
    absl::StatusOr<db::ResultSet> rows = (*conn)->Query(sql);
    EXPECT_TRUE(rows.ok()) << rows.status();
    if (!rows.ok() || rows->empty()) return -1;
    return (*rows)[0].GetInt64(0).value_or(-1);
  }

  FakeClock clock_{absl::FromCivil(absl::CivilSecond(2026, 12, 7, 8, 0, 0), absl::UTCTimeZone())};
  std::unique_ptr<db::testing::TestDatabase> database_;
  std::unique_ptr<db::ConnectionPool> pool_;
};

}  // namespace gongkai::outbox::testing

#endif  // GONGKAI_LIBS_OUTBOX_OUTBOX_TEST_FIXTURE_H_
