#include "tests/e2e/e2e_database.h"

#include <cstdint>
#include <utility>

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "libs/db/connection_pool.h"
#include "libs/status/status_macros.h"

namespace gongkai::e2e {

absl::StatusOr<std::unique_ptr<E2eDatabase>> E2eDatabase::Create(absl::string_view prefix) {
  ASSIGN_OR_RETURN(std::unique_ptr<db::testing::TestDatabase> database,
                   db::testing::TestDatabase::Create(prefix));
  absl::BitGen gen;
  const std::string user =
      absl::StrCat("e2e_", absl::Hex(absl::Uniform<uint32_t>(gen), absl::kZeroPad8));
  const std::string password =
      absl::StrCat(absl::Hex(absl::Uniform<uint64_t>(gen), absl::kZeroPad16),
                   absl::Hex(absl::Uniform<uint64_t>(gen), absl::kZeroPad16));
  ASSIGN_OR_RETURN(db::ConnectionLease conn, database->admin_pool().Acquire());
  // Grant to the host the server sees us connecting from: the service runs on the same
  // machine as the test, so it arrives from the same host.
  ASSIGN_OR_RETURN(db::ResultSet rows, conn->Query("SELECT SUBSTRING_INDEX(USER(), '@', -1)"));
  if (rows.empty()) return absl::InternalError("SELECT USER() returned no row");
  ASSIGN_OR_RETURN(std::string host, rows.begin()->GetString(0));
  // Names and password are generated hex, so plain quoting is safe here.
  RETURN_IF_ERROR(conn->ExecuteUnprepared(
      absl::StrCat("CREATE USER '", user, "'@'", host, "' IDENTIFIED BY '", password, "'")));
  RETURN_IF_ERROR(conn->ExecuteUnprepared(
      absl::StrCat("GRANT ALL ON `", database->name(), "`.* TO '", user, "'@'", host, "'")));
  return std::unique_ptr<E2eDatabase>(
      new E2eDatabase(std::move(database), user, std::move(host), password));
}

E2eDatabase::E2eDatabase(std::unique_ptr<db::testing::TestDatabase> database, std::string user,
                         std::string host, std::string password)
    : database_(std::move(database)),
      user_(std::move(user)),
      host_(std::move(host)),
      password_(std::move(password)) {}

E2eDatabase::~E2eDatabase() {
  absl::StatusOr<db::ConnectionLease> conn = database_->admin_pool().Acquire();
  if (conn.ok()) {
    (*conn)
        ->ExecuteUnprepared(absl::StrCat("DROP USER IF EXISTS '", user_, "'@'", host_, "'"))
        .IgnoreError();
  }
}

std::map<std::string, std::string> E2eDatabase::ServiceEnv() const {
  const db::DbConfig& config = database_->config();
  return {{"GONGKAI_DB_HOST", config.host},
          {"GONGKAI_DB_PORT", absl::StrCat(config.port)},
          {"GONGKAI_DB_NAME", config.database},
          {"GONGKAI_DB_USER", user_},
          {"GONGKAI_DB_PASSWORD", password_}};
}

db::DbConfig E2eDatabase::ServiceConfig(int pool_size) const {
  db::DbConfig config;
  config.host = database_->config().host;
  config.port = database_->config().port;
  config.database = database_->config().database;
  config.user = user_;
  config.password = password_;
  config.pool_size = pool_size;
  return config;
}

std::string E2eDatabase::RowCounts(std::initializer_list<absl::string_view> tables) const {
  absl::StatusOr<std::unique_ptr<db::ConnectionPool>> pool =
      db::ConnectionPool::Create(ServiceConfig(1));
  if (!pool.ok()) return pool.status().ToString();
  absl::StatusOr<db::ConnectionLease> conn = (*pool)->Acquire();
  if (!conn.ok()) return conn.status().ToString();
  std::string counts;
  for (absl::string_view table : tables) {
    absl::StatusOr<db::ResultSet> rows =
        (*conn)->Query(absl::StrCat("SELECT COUNT(*) FROM ", table));
    absl::StatusOr<int64_t> count =
        rows.ok() ? (*rows)[0].GetInt64(0) : absl::StatusOr<int64_t>(rows.status());
    absl::StrAppend(&counts, table, "=",
                    count.ok() ? absl::StrCat(*count) : count.status().ToString(), " ");
  }
  return counts;
}

}  // namespace gongkai::e2e
