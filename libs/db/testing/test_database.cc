#include "libs/db/testing/test_database.h"

#include <unistd.h>

#include <cstdlib>
#include <utility>
#include <vector>

#include "absl/random/random.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace gongkai::db::testing {
namespace {

constexpr const char* kHostVar = "GONGKAI_TEST_MYSQL_HOST";
constexpr const char* kPortVar = "GONGKAI_TEST_MYSQL_PORT";
constexpr const char* kUserVar = "GONGKAI_TEST_MYSQL_USER";
constexpr const char* kPasswordVar = "GONGKAI_TEST_MYSQL_PASSWORD";

std::string SanitizedPrefix(absl::string_view prefix) {
  std::string out;
  for (char c : prefix) {
    char lower = absl::ascii_tolower(static_cast<unsigned char>(c));
    if (absl::ascii_isalnum(static_cast<unsigned char>(lower)) || lower == '_') {
      out.push_back(lower);
    }
  }
  if (out.size() > 24) out.resize(24);
  return out.empty() ? "db" : out;
}

}  // namespace

absl::StatusOr<DbConfig> TestDatabase::ServerConfigFromEnv() {
  std::vector<std::string> missing;
  auto get = [&missing](const char* name) -> std::string {
    const char* value = std::getenv(name);
    if (value == nullptr) {
      missing.push_back(name);
      return "";
    }
    return value;
  };
  DbConfig config;
  config.host = get(kHostVar);
  const std::string port = get(kPortVar);
  config.user = get(kUserVar);
  config.password = get(kPasswordVar);  // Must be set; may be empty.
  if (!missing.empty()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "integration tests need a MySQL/MariaDB server; not set: ", absl::StrJoin(missing, ", "),
        " (./gongkai test exports them)"));
  }
  if (!absl::SimpleAtoi(port, &config.port)) {
    return absl::FailedPreconditionError(
        absl::StrCat(kPortVar, " is not a port number: '", port, "'"));
  }
  config.pool_size = 2;
  // Generous: the tests share a loaded 2-core machine with the server. They only bound
  // a hang; a test that wants a pool to run dry passes its own Acquire() timeout.
  config.acquire_timeout = absl::Seconds(30);
  config.connect_timeout = absl::Seconds(30);
  config.read_timeout = absl::Seconds(60);
  config.write_timeout = absl::Seconds(60);
  absl::Status valid = config.Validate();
  if (!valid.ok()) return absl::FailedPreconditionError(valid.message());
  return config;
}

absl::StatusOr<std::unique_ptr<TestDatabase>> TestDatabase::Create(absl::string_view prefix) {
  absl::StatusOr<DbConfig> server = ServerConfigFromEnv();
  if (!server.ok()) return server.status();
  server->pool_name = "test-admin";
  absl::StatusOr<std::unique_ptr<ConnectionPool>> admin = ConnectionPool::Create(*server);
  if (!admin.ok()) return admin.status();

  absl::BitGen gen;
  DbConfig config = *server;
  config.database = absl::StrCat("t_", SanitizedPrefix(prefix), "_", getpid(), "_",
                                 absl::Hex(absl::Uniform<uint32_t>(gen), absl::kZeroPad8));
  config.pool_name = config.database;
  config.pool_size = 8;
  {
    absl::StatusOr<ConnectionLease> conn = (*admin)->Acquire();
    if (!conn.ok()) return conn.status();
    // The name is built above from [a-z0-9_] only.
    absl::Status created = (*conn)->ExecuteUnprepared(
        absl::StrCat("CREATE DATABASE `", config.database,
                     "` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"));
    if (!created.ok()) return created;
  }
  return std::unique_ptr<TestDatabase>(new TestDatabase(std::move(config), *std::move(admin)));
}

TestDatabase::TestDatabase(DbConfig config, std::unique_ptr<ConnectionPool> admin_pool)
    : config_(std::move(config)), admin_pool_(std::move(admin_pool)) {}

TestDatabase::~TestDatabase() {
  absl::StatusOr<ConnectionLease> conn = admin_pool_->Acquire();
  if (!conn.ok()) return;
  (*conn)
      ->ExecuteUnprepared(absl::StrCat("DROP DATABASE IF EXISTS `", config_.database, "`"))
      .IgnoreError();
}

}  // namespace gongkai::db::testing
