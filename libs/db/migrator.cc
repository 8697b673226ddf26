#include "libs/db/migrator.h"

#include <algorithm>
#include <map>
#include <set>
#include <thread>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "libs/crypto/sha256.h"
#include "libs/db/migration_lock.h"
#include "libs/db/mysql_errors.h"
#include "libs/db/sql_splitter.h"
#include "libs/db/transaction.h"
#include "libs/log/log.h"

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

// Library migration sets (MigrationSet), one ledger per component.
constexpr char kCreateSchemaLibraryMigrations[] =
    "CREATE TABLE IF NOT EXISTS schema_library_migrations ("
    " component VARCHAR(64) NOT NULL,"
    " version BIGINT NOT NULL,"
    " name VARCHAR(255) NOT NULL,"
    " checksum CHAR(64) NOT NULL,"
    " applied_at DATETIME(6) NOT NULL,"
    " PRIMARY KEY (component, version)"
    ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin";

// How often a waiting replica tries to claim the migration lock.
constexpr absl::Duration kLockPollStep = absl::Seconds(1);
// How long the renewer waits for its own connection before skipping one renewal.
constexpr absl::Duration kRenewAcquireTimeout = absl::Seconds(1);

std::string Label(const Migration& m) { return absl::StrFormat("%04d_%s", m.version, m.name); }

absl::Status Prefixed(const absl::Status& status, absl::string_view prefix) {
  return absl::Status(status.code(), absl::StrCat(prefix, ": ", status.message()));
}

// Where one list of migrations is recorded: the service's own in schema_migrations
// (component empty), a library's in schema_library_migrations under its component.
struct Ledger {
  std::string component;

  bool library() const { return !component.empty(); }
  std::string Describe(const Migration& m) const {
    return library() ? absl::StrCat(component, " ", Label(m)) : Label(m);
  }
};

bool IsValidComponent(absl::string_view component) {
  if (component.empty() || component.size() > 64) return false;
  return std::all_of(component.begin(), component.end(), [](char c) {
    return absl::ascii_islower(c) || absl::ascii_isdigit(c) || c == '_';
  });
}

// Checks one list before anything touches the database.
absl::Status CheckMigrationList(const Ledger& ledger, const std::vector<Migration>& migrations) {
  const std::string owner = ledger.library() ? absl::StrCat(" of ", ledger.component) : "";
  std::set<int64_t> seen;
  for (const Migration& m : migrations) {
    if (m.version <= 0) {
      return absl::InvalidArgumentError(absl::StrCat("migration '", m.name, "'", owner,
                                                     " has version ", m.version, "; must be > 0"));
    }
    if (!seen.insert(m.version).second) {
      return absl::InvalidArgumentError(
          absl::StrCat("two migrations", owner, " have version ", m.version));
    }
    if (m.checksum != crypto::Sha256Hex(m.sql)) {
      return absl::InvalidArgumentError(
          absl::StrCat("migration ", ledger.Describe(m), ": checksum does not match its sql"));
    }
    absl::StatusOr<std::vector<SqlStatement>> split = SplitSqlStatements(m.sql);
    if (!split.ok()) {
      return Prefixed(split.status(), absl::StrCat("migration ", ledger.Describe(m)));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::map<int64_t, std::string>> ReadAppliedChecksums(Connection& conn,
                                                                    const Ledger& ledger) {
  absl::StatusOr<ResultSet> rows =
      ledger.library()
          ? conn.Query(
                "SELECT version, checksum FROM schema_library_migrations WHERE component = ? "
                "ORDER BY version",
                {ledger.component})
          : conn.Query("SELECT version, checksum FROM schema_migrations ORDER BY version");
  if (!rows.ok()) {
    return Prefixed(rows.status(), ledger.library() ? "reading schema_library_migrations"
                                                    : "reading schema_migrations");
  }
  std::map<int64_t, std::string> applied;
  for (const Row& row : *rows) {
    absl::StatusOr<int64_t> version = row.GetInt64("version");
    if (!version.ok()) return version.status();
    absl::StatusOr<std::string> checksum = row.GetString("checksum");
    if (!checksum.ok()) return checksum.status();
    applied[*version] = *checksum;
  }
  return applied;
}

absl::StatusOr<ExecResult> RecordApplied(Connection& conn, const Ledger& ledger, const Migration& m,
                                         absl::Time now) {
  if (ledger.library()) {
    return conn.Execute(
        "INSERT INTO schema_library_migrations (component, version, name, checksum, "
        "applied_at) VALUES (?, ?, ?, ?, ?)",
        {ledger.component, m.version, m.name, m.checksum, now});
  }
  return conn.Execute(
      "INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)",
      {m.version, m.name, m.checksum, now});
}

// Applies the migrations of `ledger` that are not recorded yet, each with its record in
// one transaction; returns the versions applied.
absl::StatusOr<std::vector<int64_t>> ApplyPending(Connection& conn, const Ledger& ledger,
                                                  const std::vector<Migration>& migrations,
                                                  const Clock& clock,
                                                  const std::function<absl::Status()>& still_held) {
  absl::StatusOr<std::map<int64_t, std::string>> applied_checksums =
      ReadAppliedChecksums(conn, ledger);
  if (!applied_checksums.ok()) return applied_checksums.status();
  for (const Migration& m : migrations) {
    auto it = applied_checksums->find(m.version);
    if (it != applied_checksums->end() && it->second != m.checksum) {
      return absl::FailedPreconditionError(
          absl::StrCat("migration ", m.version, " (", ledger.Describe(m),
                       ") was changed after it was applied: checksum in ",
                       ledger.library() ? "schema_library_migrations" : "schema_migrations", " is ",
                       it->second, ", the file's is ", m.checksum,
                       ". Applied migrations must never change; add a new migration instead."));
    }
  }

  std::vector<int64_t> newly_applied;
  for (const Migration& m : migrations) {
    if (applied_checksums->count(m.version) > 0) continue;
    absl::StatusOr<std::vector<SqlStatement>> statements = SplitSqlStatements(m.sql);
    if (!statements.ok()) return statements.status();  // Checked in Migrate().
    // The lease is checked (and extended) before each migration: a replica whose lease
    // ran out must not go on applying what the new holder applies too.
    if (absl::Status held = still_held(); !held.ok()) {
      return Prefixed(held, absl::StrCat("before migration ", ledger.Describe(m)));
    }
    // DDL commits implicitly, so the transaction only makes DML-only migrations atomic
    // (see the header).
    absl::Status status = RunInTransaction(conn, [&](Connection& c) -> absl::Status {
      for (const SqlStatement& statement : *statements) {
        absl::Status s = c.ExecuteUnprepared(statement.text);
        if (IsSchemaObjectExists(s)) {
          // 1050/1060/1061: the table, column or index is there, created by a run that
          // stopped after this statement (DDL commits at once). Applied; go on.
          GK_LOG(WARNING, "migration statement already applied; continuing")
              .With("migration", ledger.Describe(m))
              .With("line", statement.line)
              .With("status", s);
          continue;
        }
        if (!s.ok()) {
          return Prefixed(s, absl::StrCat("migration ", ledger.Describe(m), ", statement at line ",
                                          statement.line));
        }
      }
      absl::StatusOr<ExecResult> recorded = RecordApplied(c, ledger, m, clock.Now());
      if (!recorded.ok()) {
        return Prefixed(recorded.status(),
                        absl::StrCat("recording migration ", ledger.Describe(m)));
      }
      return absl::OkStatus();
    });
    if (!status.ok()) return status;
    newly_applied.push_back(m.version);
  }
  return newly_applied;
}

void SortByVersion(std::vector<Migration>& migrations) {
  std::sort(migrations.begin(), migrations.end(),
            [](const Migration& a, const Migration& b) { return a.version < b.version; });
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
    : Migrator(pool, {}, std::move(migrations), options) {}

Migrator::Migrator(ConnectionPool* pool, std::vector<MigrationSet> libraries,
                   std::vector<Migration> migrations, MigratorOptions options)
    : pool_(pool),
      libraries_(std::move(libraries)),
      migrations_(std::move(migrations)),
      options_(options) {
  for (MigrationSet& library : libraries_) SortByVersion(library.migrations);
  SortByVersion(migrations_);
}

absl::StatusOr<std::vector<int64_t>> Migrator::Migrate() {
  // Check the lists before touching the database.
  std::set<std::string> components;
  for (const MigrationSet& library : libraries_) {
    if (!IsValidComponent(library.component)) {
      return absl::InvalidArgumentError(absl::StrCat("library migration component '",
                                                     library.component,
                                                     "' must be 1 to 64 of a-z, 0-9 and _"));
    }
    if (!components.insert(library.component).second) {
      return absl::InvalidArgumentError(
          absl::StrCat("library migration component '", library.component, "' is given twice"));
    }
    if (absl::Status s = CheckMigrationList(Ledger{library.component}, library.migrations);
        !s.ok()) {
      return s;
    }
  }
  if (absl::Status s = CheckMigrationList(Ledger{}, migrations_); !s.ok()) return s;

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
  // A lock row with an owner and a lease (migration_lock.h, ADR 0025), not GET_LOCK:
  // Galera does not replicate GET_LOCK, so replicas on two nodes would both hold it.
  MigrationLock lock(MigrationLockName(database), MigrationLock::NewOwner(), options_.lock_lease);
  const std::string& lock_name = lock.name();

  const absl::Time deadline = absl::Now() + options_.lock_timeout;
  while (true) {
    if (options_.stopping && options_.stopping()) {
      return absl::CancelledError(
          absl::StrCat("stopped while waiting for the migration lock '", lock_name, "'"));
    }
    absl::StatusOr<bool> held = lock.TryAcquire(conn);
    if (!held.ok()) return Prefixed(held.status(), "taking the migration lock");
    if (*held) break;
    const absl::Time now = absl::Now();
    if (now >= deadline) {
      absl::StatusOr<std::string> holder = lock.DescribeHolder(conn);
      return absl::UnavailableError(absl::StrCat(
          "migration lock '", lock_name, "' not obtained within ",
          absl::FormatDuration(options_.lock_timeout), "; is another replica migrating? (held by ",
          holder.ok() ? *holder : std::string(holder.status().message()), ")"));
    }
    absl::SleepFor(std::min(kLockPollStep, deadline - now));
  }

  // While migrating, the lease is renewed on a second connection every third of the
  // lease, so a long statement (an index build) does not let it run out.
  absl::Notification done;
  std::thread renewer([&] {
    MigrationLock renewing(lock.name(), lock.owner(), lock.lease());
    while (!done.WaitForNotificationWithTimeout(lock.lease() / 3)) {
      absl::StatusOr<ConnectionLease> other = pool_->Acquire(kRenewAcquireTimeout);
      if (!other.ok()) continue;  // Checked again before the next migration.
      absl::Status renewed = renewing.Renew(**other);
      if (!renewed.ok()) {
        GK_LOG(WARNING, "migration lock not renewed").With("status", renewed);
      }
    }
  });
  absl::StatusOr<std::vector<int64_t>> applied =
      MigrateLocked(conn, [&] { return lock.Renew(conn); });
  done.Notify();
  renewer.join();
  if (!conn.broken()) {
    // If this fails the lease runs out by itself and the next replica takes over then.
    lock.Release(conn).IgnoreError();
  }
  return applied;
}

absl::StatusOr<std::vector<int64_t>> Migrator::MigrateLocked(
    Connection& conn, const std::function<absl::Status()>& still_held) {
  const Clock* clock = options_.clock;
  static const RealClock real_clock;
  if (clock == nullptr) clock = &real_clock;

  library_applied_.clear();
  if (!libraries_.empty()) {
    absl::Status created = conn.ExecuteUnprepared(kCreateSchemaLibraryMigrations);
    if (!created.ok()) return Prefixed(created, "creating schema_library_migrations");
    for (const MigrationSet& library : libraries_) {
      absl::StatusOr<std::vector<int64_t>> applied =
          ApplyPending(conn, Ledger{library.component}, library.migrations, *clock, still_held);
      if (!applied.ok()) return applied.status();
      if (!applied->empty()) library_applied_[library.component] = *std::move(applied);
    }
  }
  absl::Status created = conn.ExecuteUnprepared(kCreateSchemaMigrations);
  if (!created.ok()) return Prefixed(created, "creating schema_migrations");
  return ApplyPending(conn, Ledger{}, migrations_, *clock, still_held);
}

}  // namespace gongkai::db
