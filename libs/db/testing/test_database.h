// A throwaway database for integration tests, on the MySQL/MariaDB server that the test
// runner (`./gongkai test`) points at through the environment:
//
//   GONGKAI_TEST_MYSQL_HOST, GONGKAI_TEST_MYSQL_PORT, GONGKAI_TEST_MYSQL_USER,
//   GONGKAI_TEST_MYSQL_PASSWORD   (a user that may CREATE/DROP DATABASE)
//
//   absl::StatusOr<std::unique_ptr<db::testing::TestDatabase>> db =
//       db::testing::TestDatabase::Create("catalog");
//   ASSERT_TRUE(db.ok()) << db.status();  // fails, never skips, when unset
//   auto pool = db::ConnectionPool::Create((*db)->config());
//
// Create() makes a uniquely named database (t_<prefix>_<pid>_<random>, utf8mb4) and
// returns a DbConfig for it; the destructor drops it. Test-only code: this is the one
// place in libs/db that reads the environment. Thread-safe for concurrent readers.
#ifndef GONGKAI_LIBS_DB_TESTING_TEST_DATABASE_H_
#define GONGKAI_LIBS_DB_TESTING_TEST_DATABASE_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "libs/db/connection_pool.h"
#include "libs/db/db_config.h"

namespace gongkai::db::testing {

class TestDatabase {
 public:
  // FAILED_PRECONDITION naming the missing variable(s) when the environment is not set;
  // the server's error (UNAVAILABLE, INTERNAL) when the database cannot be created.
  // `prefix` is reduced to [a-z0-9_].
  static absl::StatusOr<std::unique_ptr<TestDatabase>> Create(absl::string_view prefix = "db");

  // The server settings from the environment, with no database selected.
  static absl::StatusOr<DbConfig> ServerConfigFromEnv();

  ~TestDatabase();  // DROP DATABASE, best effort.
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  // Settings for the fresh database (pool_size 8, 30s acquire/connect timeouts).
  const DbConfig& config() const { return config_; }
  const std::string& name() const { return config_.database; }
  // A pool with no database selected, for administrative statements (KILL, GRANT).
  ConnectionPool& admin_pool() { return *admin_pool_; }

 private:
  TestDatabase(DbConfig config, std::unique_ptr<ConnectionPool> admin_pool);

  DbConfig config_;
  std::unique_ptr<ConnectionPool> admin_pool_;
};

}  // namespace gongkai::db::testing

#endif  // GONGKAI_LIBS_DB_TESTING_TEST_DATABASE_H_
