#include "libs/db/migrator.h"

#include <algorithm>
#include <map>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "libs/crypto/sha256.h"
#include "libs/db/sql_splitter.h"
#include "libs/db/transaction.h"

namespace gongkai::db {
namespace {

constexpr char kCreateSchemaMigrations[] =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version BIGINT NOT NULL,"
    " name VARCHAR(255) NOT NULL,"
    " checksum CHAR(64) NOT NULL,"
    " applied_at DATETIME(6) NOT NULL,"
    " PRIMARY KEY (version)"
    ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin";

// GET_LOCK is polled in short waits so a single call never outlasts the read timeout.
constexpr absl::Duration kLockPollStep = absl::Seconds(1);

std::string Label(const Migration& m) { return absl::StrFormat("%04d_%s", m.version, m.name); }

absl::Status Prefixed(const absl::Status& status, absl::string_view prefix) {
  return absl::Status(status.code(), absl::StrCat(prefix, ": ", status.message()));
}

}  // namespace

Migration MakeMigration(int64_t version, std::string name, std::string sql) {
  Migration m;
  m.version = version;
  m.name = std::move(name);
  m.checksum = crypto::Sha256Hex(sql);
  m.sql = std::move(sql);
  return m;
}

std::string MigrationLockName(absl::string_view database) {
  std::string name = absl::StrCat("gongkai_migrate_", database);
  if (name.size() > 64) name.resize(64);
  return name;
}

Migrator::Migrator(ConnectionPool* pool, std::vector<Migration> migrations, MigratorOptions options)
    : pool_(pool), migrations_(std::move(migrations)), options_(options) {
  std::sort(migrations_.begin(), migrations_.end(),
            [](const Migration& a, const Migration& b) { return a.version < b.version; });
}

absl::StatusOr<std::vector<int64_t>> Migrator::Migrate() {
  // Check the list before touching the database.
  std::set<int64_t> seen;
  for (const Migration& m : migrations_) {
    if (m.version <= 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("migration '", m.name, "' has version ", m.version, "; must be > 0"));
    }
    if (!seen.insert(m.version).second) {
      return absl::InvalidArgumentError(absl::StrCat("two migrations have version ", m.version));
    }
    if (m.checksum != crypto::Sha256Hex(m.sql)) {
      return absl::InvalidArgumentError(
          absl::StrCat("migration ", Label(m), ": checksum does not match its sql"));
    }
    absl::StatusOr<std::vector<SqlStatement>> split = SplitSqlStatements(m.sql);
    if (!split.ok()) return Prefixed(split.status(), absl::StrCat("migration ", Label(m)));
  }

  absl::StatusOr<ConnectionLease> lease = pool_->Acquire();
  if (!lease.ok()) return lease.status();
  Connection& conn = **lease;

  std::string database = pool_->config().database;
  if (database.empty()) {
    absl::StatusOr<ResultSet> current = conn.Query("SELECT DATABASE()");
    if (!current.ok()) return current.status();
    absl::StatusOr<std::optional<std::string>> name = (*current)[0].GetOptionalString(0);
    if (!name.ok()) return name.status();
    if (!name->has_value()) {
      return absl::FailedPreconditionError("migrations need a database; none is selected");
    }
    database = **name;
  }
  const std::string lock_name = MigrationLockName(database);

  const absl::Time deadline = absl::Now() + options_.lock_timeout;
  while (true) {
    const absl::Duration left = std::max(absl::ZeroDuration(), deadline - absl::Now());
    const int64_t wait_seconds =
        absl::ToInt64Seconds(std::min(left, kLockPollStep));  // 0 = try once.
    absl::StatusOr<ResultSet> got = conn.Query("SELECT GET_LOCK(?, ?)", {lock_name, wait_seconds});
    if (!got.ok()) return Prefixed(got.status(), "taking the migration lock");
    absl::StatusOr<std::optional<int64_t>> result = (*got)[0].GetOptionalInt64(0);
    if (!result.ok()) return result.status();
    if (result->value_or(0) == 1) break;
    if (!result->has_value()) {
      return absl::InternalError(absl::StrCat("GET_LOCK('", lock_name, "') returned NULL"));
    }
    if (absl::Now() >= deadline) {
      return absl::UnavailableError(absl::StrCat(
          "migration lock '", lock_name, "' not obtained within ",
          absl::FormatDuration(options_.lock_timeout), "; is another replica migrating?"));
    }
  }

  absl::StatusOr<std::vector<int64_t>> applied = MigrateLocked(conn);
  if (!conn.broken()) {
    // If this fails the session is gone, and the server has dropped the lock with it.
    conn.Query("SELECT RELEASE_LOCK(?)", {lock_name}).IgnoreError();
  }
  return applied;
}

absl::StatusOr<std::vector<int64_t>> Migrator::MigrateLocked(Connection& conn) {
  absl::Status created = conn.ExecuteUnprepared(kCreateSchemaMigrations);
  if (!created.ok()) return Prefixed(created, "creating schema_migrations");

  absl::StatusOr<ResultSet> rows =
      conn.Query("SELECT version, name, checksum FROM schema_migrations ORDER BY version");
  if (!rows.ok()) return Prefixed(rows.status(), "reading schema_migrations");
  std::map<int64_t, std::string> applied_checksums;
  for (const Row& row : *rows) {
    absl::StatusOr<int64_t> version = row.GetInt64("version");
    if (!version.ok()) return version.status();
    absl::StatusOr<std::string> checksum = row.GetString("checksum");
    if (!checksum.ok()) return checksum.status();
    applied_checksums[*version] = *checksum;
  }

  for (const Migration& m : migrations_) {
    auto it = applied_checksums.find(m.version);
    if (it != applied_checksums.end() && it->second != m.checksum) {
      return absl::FailedPreconditionError(
          absl::StrCat("migration ", m.version, " (", Label(m),
                       ") was changed after it was applied: "
                       "checksum in schema_migrations is ",
                       it->second, ", the file's is ", m.checksum,
                       ". Applied migrations must never change; add a new migration instead."));
    }
  }

  const Clock* clock = options_.clock;
  static const RealClock real_clock;
  if (clock == nullptr) clock = &real_clock;

  std::vector<int64_t> newly_applied;
  for (const Migration& m : migrations_) {
    if (applied_checksums.count(m.version) > 0) continue;
    absl::StatusOr<std::vector<SqlStatement>> statements = SplitSqlStatements(m.sql);
    if (!statements.ok()) return statements.status();  // Checked in Migrate().
    // DDL commits implicitly, so the transaction only makes DML-only migrations atomic
    // (see the header).
    absl::Status status = RunInTransaction(conn, [&](Connection& c) -> absl::Status {
      for (const SqlStatement& statement : *statements) {
        absl::Status s = c.ExecuteUnprepared(statement.text);
        if (!s.ok()) {
          return Prefixed(
              s, absl::StrCat("migration ", Label(m), ", statement at line ", statement.line));
        }
      }
      absl::StatusOr<ExecResult> recorded = c.Execute(
          "INSERT INTO schema_migrations (version, name, checksum, applied_at) "
          "VALUES (?, ?, ?, ?)",
          {m.version, m.name, m.checksum, clock->Now()});
      if (!recorded.ok()) {
        return Prefixed(recorded.status(), absl::StrCat("recording migration ", Label(m)));
      }
      return absl::OkStatus();
    });
    if (!status.ok()) return status;
    newly_applied.push_back(m.version);
  }
  return newly_applied;
}

}  // namespace gongkai::db
