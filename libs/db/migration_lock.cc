#include "libs/db/migration_lock.h"

#include <unistd.h>

#include <algorithm>
#include <climits>
#include <cstdint>

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace gongkai::db {
namespace {

constexpr char kCreateLockTable[] =
    "CREATE TABLE IF NOT EXISTS schema_migration_lock ("
    " name VARCHAR(64) NOT NULL,"
    " owner VARCHAR(255) NOT NULL,"
    " expires_at DATETIME(6) NOT NULL,"
    " PRIMARY KEY (name)"
    ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin";

// A free lock: no owner, expired long ago (a valid DATETIME on every server).
constexpr char kFreeSince[] = "1970-01-02 00:00:00";

int64_t LeaseMicros(absl::Duration lease) {
  return absl::ToInt64Microseconds(std::max(lease, absl::Seconds(1)));
}

}  // namespace

MigrationLock::MigrationLock(std::string name, std::string owner, absl::Duration lease)
    : name_(std::move(name)), owner_(std::move(owner)), lease_(std::max(lease, absl::Seconds(1))) {}

std::string MigrationLock::NewOwner() {
  char host[HOST_NAME_MAX + 1] = {};
  if (gethostname(host, sizeof(host) - 1) != 0) host[0] = '\0';
  absl::BitGen gen;
  std::string owner = absl::StrFormat("%s/%d/%016x", host, static_cast<int>(getpid()),
                                      absl::Uniform<uint64_t>(gen));
  if (owner.size() > 255) owner.erase(0, owner.size() - 255);
  return owner;
}

absl::StatusOr<bool> MigrationLock::TryAcquire(Connection& conn) {
  if (!table_ready_) {
    // DDL: on Galera it runs in total order on every node, so racing creators are fine.
    if (absl::Status created = conn.ExecuteUnprepared(kCreateLockTable); !created.ok()) {
      return created;
    }
    table_ready_ = true;
  }
  absl::StatusOr<ExecResult> inserted = conn.Execute(
      "INSERT IGNORE INTO schema_migration_lock (name, owner, expires_at) "
      "VALUES (?, '', ?)",
      {name_, std::string(kFreeSince)});
  if (!inserted.ok()) {
    // Two nodes inserting the row at once: one loses certification. Not acquired.
    if (inserted.status().code() == absl::StatusCode::kAborted) return false;
    return inserted.status();
  }
  absl::StatusOr<ExecResult> claimed = conn.Execute(
      "UPDATE schema_migration_lock SET owner = ?, "
      "expires_at = DATE_ADD(NOW(6), INTERVAL ? MICROSECOND) "
      "WHERE name = ? AND (owner = ? OR expires_at < NOW(6))",
      {owner_, LeaseMicros(lease_), name_, owner_});
  if (!claimed.ok()) {
    if (claimed.status().code() == absl::StatusCode::kAborted) return false;
    return claimed.status();
  }
  return claimed->affected_rows == 1;
}

absl::Status MigrationLock::Renew(Connection& conn) {
  absl::StatusOr<ExecResult> renewed = conn.Execute(
      "UPDATE schema_migration_lock SET expires_at = DATE_ADD(NOW(6), INTERVAL ? MICROSECOND) "
      "WHERE name = ? AND owner = ?",
      {LeaseMicros(lease_), name_, owner_});
  if (!renewed.ok()) return renewed.status();
  if (renewed->affected_rows != 1) {
    return absl::AbortedError(absl::StrCat("the migration lock '", name_,
                                           "' was lost: its lease ran out and another "
                                           "replica took it over"));
  }
  return absl::OkStatus();
}

absl::Status MigrationLock::Release(Connection& conn) {
  return conn
      .Execute(
          "UPDATE schema_migration_lock SET owner = '', expires_at = ? "
          "WHERE name = ? AND owner = ?",
          {std::string(kFreeSince), name_, owner_})
      .status();
}

absl::StatusOr<std::string> MigrationLock::DescribeHolder(Connection& conn) {
  absl::StatusOr<ResultSet> rows = conn.Query(
      "SELECT owner, expires_at, expires_at >= NOW(6) AS live FROM schema_migration_lock "
      "WHERE name = ?",
      {name_});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::string("nobody");
  absl::StatusOr<std::string> owner = (*rows)[0].GetString("owner");
  absl::StatusOr<std::string> expires = (*rows)[0].GetString("expires_at");
  absl::StatusOr<int64_t> live = (*rows)[0].GetInt64("live");
  if (!owner.ok() || !expires.ok() || !live.ok() || owner->empty() || *live == 0) {
    return std::string("nobody");
  }
  return absl::StrCat(*owner, " until ", *expires, " UTC");
}

}  // namespace gongkai::db
