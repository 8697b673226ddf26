// Versioned schema migrations and the runner that applies them.
//
// Each service keeps its schema in services/<name>/migrations/NNNN_name.sql; the CMake
// function gongkai_embed_migrations(<target> <dir>) (libs/db/CMakeLists.txt) compiles
// them into the binary as db::EmbeddedMigrations() (embedded_migrations.h). At startup:
//
//   ASSIGN_OR_RETURN(std::vector<int64_t> applied,
//                    db::Migrator(pool.get(), db::EmbeddedMigrations()).Migrate());
//
// What Migrate() does, on one connection:
//  1. Takes the migration lock 'gongkai_migrate_<database>': a row of
//     schema_migration_lock claimed with an owner and a lease (migration_lock.h,
//     ADR 0025; GET_LOCK is not replicated by Galera), polling every second until
//     options.lock_timeout, so replicas that start together run one at a time, on one
//     server or on several nodes of a cluster; the later ones then find nothing to do.
//     The lease (options.lock_lease) is renewed on a second connection of the pool
//     while migrating and checked before each migration; a holder that dies frees the
//     lock when its lease runs out.
//  2. Creates schema_migrations(version, name, checksum, applied_at) if missing.
//  3. Refuses (FAILED_PRECONDITION naming the version) when an applied migration's
//     SHA-256 checksum differs from the embedded file: an applied file must never change.
//  4. Applies each pending migration in version order: its statements one by one, then
//     the schema_migrations row, inside one transaction.
//  5. Releases the lock (if the process dies instead, its lease runs out).
//
// Atomicity: MySQL, MariaDB and TiDB commit implicitly before and after every DDL
// statement, so a migration that creates tables is NOT atomic. If one fails half-way,
// the statements before the failure stay applied and its version is not recorded; the
// next run executes the whole file again. A DDL statement that then fails with 1050
// (table exists), 1060 (duplicate column) or 1061 (duplicate key name) is taken as
// already applied: logged, and the run goes on (mysql_errors.h IsSchemaObjectExists).
// Still write every migration so that running it twice is harmless (CREATE TABLE IF
// NOT EXISTS, INSERT IGNORE / ON DUPLICATE KEY UPDATE for seed rows), and put one DDL
// statement per file from 0009 on (checked by tests/migrations_lint_test.cc). A
// migration of DML only is atomic (it commits together with its version row).
// Versions in the database that the binary does not know (a newer release was rolled
// back) are tolerated. The pool's read timeout bounds each statement: give the Migrator
// a pool built from MigrationDbConfig() (no read timeout), as the service bootstrap
// does, so a long index build on a large table is not cut off half-way.
//
// Library migrations: a shared library that owns tables every service needs (libs/db's
// idempotency_keys, libs/rules' rule_sets) ships its own NNNN_name.sql files, compiled
// into a function with gongkai_embed_migrations(<lib> <dir> FUNCTION ns::Name). A
// service passes those sets as `libraries`; they are applied first, in the order given,
// under the same lock, and recorded per component in schema_library_migrations
// (component, version, name, checksum, applied_at), so their version numbers never
// collide with the service's own (still recorded in schema_migrations). The same rules
// hold for them: never changed once applied, safe to run twice.
//
// Thread-safe: concurrent Migrate() calls (threads or processes) serialize on the lock.
// Migrate() uses two connections of the pool at once (the second for renewals; a pool
// of one skips them); MigrationDbConfig gives two.
#ifndef GONGKAI_LIBS_DB_MIGRATOR_H_
#define GONGKAI_LIBS_DB_MIGRATOR_H_

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "libs/clock/clock.h"
#include "libs/db/connection_pool.h"

namespace gongkai::db {

struct Migration {
  int64_t version = 0;   // NNNN from the file name; unique, > 0.
  std::string name;      // The rest of the file name, without ".sql".
  std::string sql;       // The whole file: one or more statements (sql_splitter.h).
  std::string checksum;  // Lower-case hex SHA-256 of `sql`.
};

// Builds a Migration with its checksum computed from `sql`.
Migration MakeMigration(int64_t version, std::string name, std::string sql);

// The migrations a shared library ships, under the library's component name
// ([a-z0-9_]+, at most 64 characters, e.g. "idempotency", "rule_sets").
struct MigrationSet {
  std::string component;
  std::vector<Migration> migrations;
};

struct MigratorOptions {
  // How long to wait for another replica's migration run to finish.
  absl::Duration lock_timeout = absl::Minutes(5);
  // The migration lock's lease: how long a replica that died while migrating keeps the
  // others waiting. Renewed every third of it while migrating. On Galera a DDL
  // statement blocks every write of the cluster (total order isolation), the renewal
  // too: keep it longer than the slowest single DDL statement.
  absl::Duration lock_lease = absl::Seconds(60);
  // Source of schema_migrations.applied_at; RealClock when null. Not owned.
  const Clock* clock = nullptr;
  // Polled between tries for the lock: when it returns true, Migrate() gives up with
  // CANCELLED (a process shutting down). Never polled when unset.
  std::function<bool()> stopping;
};

class Migrator {
 public:
  // `pool` is not owned and must outlive the Migrator.
  Migrator(ConnectionPool* pool, std::vector<Migration> migrations, MigratorOptions options = {});
  // The same, with library migration sets applied before `migrations`.
  Migrator(ConnectionPool* pool, std::vector<MigrationSet> libraries,
           std::vector<Migration> migrations, MigratorOptions options = {});

  // Applies the pending migrations; returns the service's versions applied by this call,
  // in order (empty when the schema was already current; the libraries' are in
  // library_applied()). Errors: INVALID_ARGUMENT for a bad migration list (duplicate
  // or non-positive version, checksum not matching sql, a script that does not split, a
  // bad or repeated component name); FAILED_PRECONDITION when an applied migration changed;
  // UNAVAILABLE when the lock was not obtained within lock_timeout or the database is
  // unreachable; ABORTED when the lock's lease was lost while migrating (another replica
  // took over; try again); CANCELLED when options.stopping said so while waiting for the lock; a
  // failing statement's own status, prefixed with the migration and line.
  absl::StatusOr<std::vector<int64_t>> Migrate();

  // The library versions the last Migrate() applied, by component (components with
  // nothing new are absent).
  const std::map<std::string, std::vector<int64_t>>& library_applied() const {
    return library_applied_;
  }

 private:
  // `still_held` is called before each migration (renews the lease; ABORTED if lost).
  absl::StatusOr<std::vector<int64_t>> MigrateLocked(
      Connection& conn, const std::function<absl::Status()>& still_held);

  ConnectionPool* pool_;
  std::vector<MigrationSet> libraries_;
  std::vector<Migration> migrations_;
  MigratorOptions options_;
  std::map<std::string, std::vector<int64_t>> library_applied_;
};

// The lock name used for `database` (at most 64 characters, MySQL's limit).
std::string MigrationLockName(absl::string_view database);

}  // namespace gongkai::db

#endif  // GONGKAI_LIBS_DB_MIGRATOR_H_
