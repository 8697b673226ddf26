// Integration tests (label: integration) of Migrator and the embedded migrations from
// testdata/migrations, against the real MySQL/MariaDB named by GONGKAI_TEST_MYSQL_*.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <thread>

#include "absl/strings/str_cat.h"
#include "libs/clock/clock.h"
#include "libs/crypto/sha256.h"
#include "libs/db/embedded_migrations.h"
#include "libs/db/idempotency.h"
#include "libs/db/migration_lock.h"
#include "libs/db/migrator.h"
#include "libs/db/testing/status_matchers.h"
#include "libs/db/testing/test_database.h"

namespace gongkai::db {
namespace {

using ::gongkai::db::testing::IsOk;
using ::gongkai::db::testing::IsOkAndHolds;
using ::gongkai::db::testing::StatusIs;
using ::gongkai::db::testing::TestDatabase;
using ::testing::_;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

class MigratorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<TestDatabase>> db = TestDatabase::Create("mig");
    ASSERT_THAT(db, IsOk());
    db_ = *std::move(db);
    pool_ = NewPool();
  }

  std::unique_ptr<ConnectionPool> NewPool() {
    absl::StatusOr<std::unique_ptr<ConnectionPool>> pool = ConnectionPool::Create(db_->config());
    EXPECT_THAT(pool, IsOk());
    return pool.ok() ? *std::move(pool) : nullptr;
  }

  absl::StatusOr<ResultSet> Query(absl::string_view sql) {
    absl::StatusOr<ConnectionLease> conn = pool_->Acquire();
    if (!conn.ok()) return conn.status();
    return (*conn)->Query(sql);
  }

  std::unique_ptr<TestDatabase> db_;
  std::unique_ptr<ConnectionPool> pool_;
};

TEST(EmbeddedMigrationsTest, EmbedsTheTestdataFilesInVersionOrderWithChecksums) {
  std::vector<Migration> migrations = EmbeddedMigrations();
  ASSERT_EQ(migrations.size(), 2u);
  EXPECT_EQ(migrations[0].version, 1);
  EXPECT_EQ(migrations[0].name, "create_units");
  EXPECT_THAT(migrations[0].sql, HasSubstr("CREATE TABLE IF NOT EXISTS mig_units"));
  EXPECT_EQ(migrations[1].version, 2);
  EXPECT_EQ(migrations[1].name, "seed_units");
  EXPECT_EQ(migrations[1].checksum, crypto::Sha256Hex(migrations[1].sql));
  EXPECT_EQ(crypto::Sha256Hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_F(MigratorTest, AppliesPendingMigrationsOnceAndReRunIsANoOp) {
  FakeClock clock(absl::FromUnixSeconds(1735689600));  // 2025-01-01 00:00:00 UTC.
  MigratorOptions options;
  options.clock = &clock;
  EXPECT_THAT(Migrator(pool_.get(), EmbeddedMigrations(), options).Migrate(),
              IsOkAndHolds(ElementsAre(1, 2)));

  absl::StatusOr<ResultSet> units = Query("SELECT name FROM mig_units WHERE code = 'BASIC'");
  ASSERT_THAT(units, IsOk());
  ASSERT_EQ(units->size(), 1u);
  EXPECT_EQ(*(*units)[0].GetString("name"), "主动公开基本目录；第一部分");
  absl::StatusOr<ResultSet> note = Query("SELECT body FROM mig_notes WHERE id = 1");
  ASSERT_THAT(note, IsOk());
  EXPECT_EQ(*(*note)[0].GetString(0), "line one;\nline two");

  absl::StatusOr<ResultSet> recorded =
      Query("SELECT version, name, checksum, applied_at FROM schema_migrations ORDER BY version");
  ASSERT_THAT(recorded, IsOk());
  ASSERT_EQ(recorded->size(), 2u);
  EXPECT_EQ(*(*recorded)[1].GetString("name"), "seed_units");
  EXPECT_EQ(*(*recorded)[1].GetString("checksum"), EmbeddedMigrations()[1].checksum);
  EXPECT_EQ(*(*recorded)[0].GetTime("applied_at"), clock.Now());

  EXPECT_THAT(Migrator(pool_.get(), EmbeddedMigrations()).Migrate(), IsOkAndHolds(IsEmpty()));
  absl::StatusOr<ResultSet> count = Query("SELECT COUNT(*) FROM schema_migrations");
  ASSERT_THAT(count, IsOk());
  EXPECT_EQ(*(*count)[0].GetInt64(0), 2);
}

TEST(IdempotencyMigrationsTest, LibsDbShipsTheIdempotencyKeysTable) {
  MigrationSet set = IdempotencyMigrationSet();
  EXPECT_EQ(set.component, "idempotency");
  ASSERT_EQ(set.migrations.size(), 3u);
  EXPECT_EQ(set.migrations[0].version, 1);
  EXPECT_THAT(set.migrations[0].sql, HasSubstr("CREATE TABLE IF NOT EXISTS idempotency_keys"));
  EXPECT_THAT(set.migrations[1].sql, HasSubstr("ADD COLUMN request_hash"));  // Issue 16.
  EXPECT_THAT(set.migrations[2].sql, HasSubstr("ON idempotency_keys (create_time)"));
}

// Issue 16, defect 2: a migration stopped half-way (DDL commits statement by statement)
// is run again from the top; the table, index and column it already created (errors
// 1050, 1061, 1060) are taken as applied and the run completes instead of failing for
// ever.
TEST_F(MigratorTest, MigrationInterruptedHalfWayCompletesWhenRunAgain) {
  const std::vector<Migration> migrations = {
      MakeMigration(1, "several_ddl",
                    "CREATE TABLE mig_half (id BIGINT PRIMARY KEY, code VARCHAR(8));\n"
                    "CREATE INDEX idx_mig_half_code ON mig_half (code);\n"
                    "ALTER TABLE mig_half ADD COLUMN note VARCHAR(20);\n"
                    "INSERT INTO mig_later (id) VALUES (1);\n")};
  // The first run stops at the fourth statement (its table is missing, as a timeout
  // would stop it); the first three are committed.
  EXPECT_THAT(Migrator(pool_.get(), migrations).Migrate(),
              StatusIs(absl::StatusCode::kInternal, HasSubstr("statement at line 4")));
  ASSERT_THAT(Query("SELECT note FROM mig_half"), IsOk());
  {
    absl::StatusOr<ConnectionLease> conn = pool_->Acquire();
    ASSERT_THAT(conn, IsOk());
    ASSERT_THAT((*conn)->Execute("CREATE TABLE mig_later (id BIGINT PRIMARY KEY)"), IsOk());
  }

  EXPECT_THAT(Migrator(pool_.get(), migrations).Migrate(), IsOkAndHolds(ElementsAre(1)));
  absl::StatusOr<ResultSet> later = Query("SELECT COUNT(*) FROM mig_later");
  ASSERT_THAT(later, IsOk());
  EXPECT_EQ(*(*later)[0].GetInt64(0), 1);
  EXPECT_THAT(Migrator(pool_.get(), migrations).Migrate(), IsOkAndHolds(IsEmpty()));

  // Any other error still stops the run.
  const std::vector<Migration> broken = {
      MakeMigration(2, "broken", "CREATE TABLE mig_broken (id BIGINT PRIMARY KEY,)")};
  EXPECT_THAT(Migrator(pool_.get(), broken).Migrate(), StatusIs(absl::StatusCode::kInternal, _));
}

// Issue 16, defect 2: the migration pool has no read timeout, so a statement slower
// than the service pool's read timeout (an index build on a large table) completes.
TEST_F(MigratorTest, MigrationPoolHasNoReadTimeout) {
  DbConfig service = db_->config();
  service.read_timeout = absl::Seconds(1);
  absl::StatusOr<std::unique_ptr<ConnectionPool>> service_pool = ConnectionPool::Create(service);
  ASSERT_THAT(service_pool, IsOk());
  absl::StatusOr<ConnectionLease> slow = (*service_pool)->Acquire();
  ASSERT_THAT(slow, IsOk());
  EXPECT_FALSE((*slow)->Query("SELECT SLEEP(3)").ok());  // Cut off by the read timeout.

  const DbConfig migration = MigrationDbConfig(service);
  EXPECT_EQ(migration.read_timeout, absl::InfiniteDuration());
  EXPECT_EQ(migration.database, service.database);
  absl::StatusOr<std::unique_ptr<ConnectionPool>> migration_pool =
      ConnectionPool::Create(migration);
  ASSERT_THAT(migration_pool, IsOk());
  absl::StatusOr<ConnectionLease> patient = (*migration_pool)->Acquire();
  ASSERT_THAT(patient, IsOk());
  EXPECT_THAT((*patient)->Query("SELECT SLEEP(3)"), IsOk());
}

TEST_F(MigratorTest, LibrarySetsAreAppliedFirstAndRecordedPerComponent) {
  // Library versions start at 1 like the service's: they are recorded apart and never
  // collide with the service's own versions.
  std::vector<MigrationSet> libraries = {
      IdempotencyMigrationSet(),
      {"audit_lib",
       {MakeMigration(1, "create_lib_audit",
                      "CREATE TABLE IF NOT EXISTS lib_audit (id BIGINT PRIMARY KEY)")}}};
  Migrator first(pool_.get(), libraries, EmbeddedMigrations());
  EXPECT_THAT(first.Migrate(), IsOkAndHolds(ElementsAre(1, 2)));
  EXPECT_THAT(first.library_applied(),
              UnorderedElementsAre(
                  std::pair<const std::string, std::vector<int64_t>>{"idempotency", {1, 2, 3}},
                  std::pair<const std::string, std::vector<int64_t>>{"audit_lib", {1}}));
  ASSERT_THAT(Query("SELECT COUNT(*) FROM idempotency_keys"), IsOk());
  ASSERT_THAT(Query("SELECT COUNT(*) FROM lib_audit"), IsOk());
  absl::StatusOr<ResultSet> recorded =
      Query("SELECT component, version, name FROM schema_library_migrations ORDER BY component");
  ASSERT_THAT(recorded, IsOk());
  ASSERT_EQ(recorded->size(), 4u);
  EXPECT_EQ(*(*recorded)[0].GetString("component"), "audit_lib");
  EXPECT_EQ(*(*recorded)[1].GetString("component"), "idempotency");
  EXPECT_EQ(*(*recorded)[1].GetString("name"), "idempotency_keys");
  absl::StatusOr<ResultSet> own = Query("SELECT COUNT(*) FROM schema_migrations");
  ASSERT_THAT(own, IsOk());
  EXPECT_EQ(*(*own)[0].GetInt64(0), 2);

  // Re-running applies nothing; a library's next version is applied on its own.
  libraries[1].migrations.push_back(
      MakeMigration(2, "add_lib_note", "CREATE TABLE IF NOT EXISTS lib_note (id BIGINT)"));
  Migrator second(pool_.get(), libraries, EmbeddedMigrations());
  EXPECT_THAT(second.Migrate(), IsOkAndHolds(IsEmpty()));
  EXPECT_EQ(second.library_applied().at("audit_lib"), std::vector<int64_t>{2});
  EXPECT_EQ(second.library_applied().count("idempotency"), 0u);
  ASSERT_THAT(Query("SELECT COUNT(*) FROM lib_note"), IsOk());
}

TEST_F(MigratorTest, ChangedLibraryMigrationIsRefusedNamingItsComponent) {
  std::vector<MigrationSet> libraries = {IdempotencyMigrationSet()};
  ASSERT_THAT(Migrator(pool_.get(), libraries, {}).Migrate(), IsOk());
  libraries[0].migrations[0] =
      MakeMigration(1, "idempotency_keys", libraries[0].migrations[0].sql + "\n-- edited\n");
  EXPECT_THAT(Migrator(pool_.get(), libraries, EmbeddedMigrations()).Migrate(),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("idempotency 0001_idempotency_keys) was changed")));
  // Nothing of the service's was applied after the refusal.
  absl::StatusOr<ResultSet> units = Query(
      "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND "
      "table_name = 'mig_units'");
  ASSERT_THAT(units, IsOk());
  EXPECT_EQ(*(*units)[0].GetInt64(0), 0);
}

TEST_F(MigratorTest, BadOrRepeatedLibraryComponentIsRefusedBeforeAnythingRuns) {
  EXPECT_THAT(Migrator(pool_.get(), {{"Bad-Name", {}}}, EmbeddedMigrations()).Migrate(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("'Bad-Name'")));
  EXPECT_THAT(
      Migrator(pool_.get(), {IdempotencyMigrationSet(), IdempotencyMigrationSet()}, {}).Migrate(),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("given twice")));
  absl::StatusOr<ResultSet> tables =
      Query("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE()");
  ASSERT_THAT(tables, IsOk());
  EXPECT_EQ(*(*tables)[0].GetInt64(0), 0);
}

TEST_F(MigratorTest, NewMigrationIsAppliedOnTopOfOlderOnes) {
  std::vector<Migration> v1 = EmbeddedMigrations();
  ASSERT_THAT(Migrator(pool_.get(), v1).Migrate(), IsOk());
  std::vector<Migration> v2 = EmbeddedMigrations();
  v2.push_back(MakeMigration(3, "add_index", "CREATE INDEX ix_mig_units_name ON mig_units (name)"));
  EXPECT_THAT(Migrator(pool_.get(), v2).Migrate(), IsOkAndHolds(ElementsAre(3)));
}

TEST_F(MigratorTest, ChangedChecksumOfAnAppliedMigrationIsRefused) {
  ASSERT_THAT(Migrator(pool_.get(), EmbeddedMigrations()).Migrate(), IsOk());
  std::vector<Migration> edited = EmbeddedMigrations();
  edited[0] = MakeMigration(1, "create_units", edited[0].sql + "\n-- edited afterwards\n");
  edited.push_back(MakeMigration(3, "never", "CREATE TABLE never_created (x INT)"));
  EXPECT_THAT(Migrator(pool_.get(), edited).Migrate(),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       AllOf(HasSubstr("migration 1 (0001_create_units) was changed"),
                             HasSubstr(edited[0].checksum))));
  // Nothing after the refusal ran.
  absl::StatusOr<ResultSet> tables = Query(
      "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE()"
      " AND table_name = 'never_created'");
  ASSERT_THAT(tables, IsOk());
  EXPECT_EQ(*(*tables)[0].GetInt64(0), 0);
}

TEST_F(MigratorTest, FailingStatementIsReportedWithItsLineAndNotRecorded) {
  std::vector<Migration> migrations = {
      MakeMigration(1, "good", "CREATE TABLE IF NOT EXISTS g (x INT);"),
      MakeMigration(2, "bad", "CREATE TABLE IF NOT EXISTS h (x INT);\n\nSELEC nonsense;")};
  EXPECT_THAT(
      Migrator(pool_.get(), migrations).Migrate(),
      StatusIs(absl::StatusCode::kInternal,
               AllOf(HasSubstr("migration 0002_bad, statement at line 3"), HasSubstr("1064"))));
  absl::StatusOr<ResultSet> versions = Query("SELECT version FROM schema_migrations");
  ASSERT_THAT(versions, IsOk());
  ASSERT_EQ(versions->size(), 1u);
  EXPECT_EQ(*(*versions)[0].GetInt64(0), 1);

  // Fixed file (never applied, so it may change): the re-run repeats its first, idempotent
  // statement and records it.
  migrations[1] = MakeMigration(2, "bad", "CREATE TABLE IF NOT EXISTS h (x INT);\nSELECT 1;");
  EXPECT_THAT(Migrator(pool_.get(), migrations).Migrate(), IsOkAndHolds(ElementsAre(2)));
}

TEST_F(MigratorTest, InvalidMigrationListIsRejectedBeforeTouchingTheDatabase) {
  EXPECT_THAT(
      Migrator(pool_.get(), {MakeMigration(1, "a", "SELECT 1"), MakeMigration(1, "b", "SELECT 2")})
          .Migrate(),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("two migrations have version 1")));
  Migration tampered = MakeMigration(2, "c", "SELECT 1");
  tampered.sql = "SELECT 2";
  EXPECT_THAT(Migrator(pool_.get(), {tampered}).Migrate(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("checksum does not match")));
  EXPECT_THAT(Migrator(pool_.get(), {MakeMigration(3, "d", "SELECT 'open")}).Migrate(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("0003_d"), HasSubstr("unterminated string"))));
  absl::StatusOr<ResultSet> tables =
      Query("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE()");
  ASSERT_THAT(tables, IsOk());
  EXPECT_EQ(*(*tables)[0].GetInt64(0), 0);
}

TEST_F(MigratorTest, RacingMigratorsApplyEachMigrationExactlyOnce) {
  // Migration 3 is deliberately not idempotent: a second run would hit the primary key.
  std::vector<Migration> migrations = {
      MakeMigration(1, "table", "CREATE TABLE IF NOT EXISTS race (id INT PRIMARY KEY)"),
      MakeMigration(2, "slow", "DO SLEEP(0.5)"),
      MakeMigration(3, "insert", "INSERT INTO race VALUES (1)")};
  // Two "replicas": separate pools, so separate sessions competing for the lock.
  std::unique_ptr<ConnectionPool> other = NewPool();
  absl::StatusOr<std::vector<int64_t>> a, b;
  std::thread ta([&] { a = Migrator(pool_.get(), migrations).Migrate(); });
  std::thread tb([&] { b = Migrator(other.get(), migrations).Migrate(); });
  ta.join();
  tb.join();
  ASSERT_THAT(a, IsOk());
  ASSERT_THAT(b, IsOk());
  std::vector<int64_t> all = *a;
  all.insert(all.end(), b->begin(), b->end());
  EXPECT_THAT(all, UnorderedElementsAre(1, 2, 3));
  EXPECT_TRUE(a->empty() || b->empty()) << "the lock holder applies everything";
  absl::StatusOr<ResultSet> rows = Query("SELECT COUNT(*) FROM race");
  ASSERT_THAT(rows, IsOk());
  EXPECT_EQ(*(*rows)[0].GetInt64(0), 1);
}

// Another replica's lock: a live lease held by another owner (issue 17: a row with an
// owner and a lease, not GET_LOCK, which Galera does not replicate).
TEST_F(MigratorTest, LockHeldElsewhereIsUnavailableAfterTheTimeout) {
  absl::StatusOr<ConnectionLease> holder = pool_->Acquire();
  ASSERT_THAT(holder, IsOk());
  const std::string lock = MigrationLockName(db_->name());
  MigrationLock other(lock, "other-replica", absl::Hours(1));
  ASSERT_THAT(other.TryAcquire(**holder), IsOkAndHolds(true));
  MigratorOptions options;
  options.lock_timeout = absl::Seconds(1);
  EXPECT_THAT(Migrator(pool_.get(), EmbeddedMigrations(), options).Migrate(),
              StatusIs(absl::StatusCode::kUnavailable,
                       AllOf(HasSubstr(absl::StrCat("migration lock '", lock, "'")),
                             HasSubstr("another replica"), HasSubstr("held by other-replica"))));
  ASSERT_THAT(other.Release(**holder), IsOk());
  EXPECT_THAT(Migrator(pool_.get(), EmbeddedMigrations(), options).Migrate(),
              IsOkAndHolds(ElementsAre(1, 2)));
  // Released again after the run: a new claimant gets it at once.
  MigrationLock next(lock, "next-replica", absl::Hours(1));
  EXPECT_THAT(next.TryAcquire(**holder), IsOkAndHolds(true));
}

TEST_F(MigratorTest, AProcessStoppingWhileWaitingForTheLockGivesUpAtOnce) {
  absl::StatusOr<ConnectionLease> holder = pool_->Acquire();
  ASSERT_THAT(holder, IsOk());
  MigrationLock other(MigrationLockName(db_->name()), "other-replica", absl::Hours(1));
  ASSERT_THAT(other.TryAcquire(**holder), IsOkAndHolds(true));
  MigratorOptions options;
  options.lock_timeout = absl::Hours(1);
  int polls = 0;
  options.stopping = [&polls] { return ++polls > 2; };
  EXPECT_THAT(Migrator(pool_.get(), EmbeddedMigrations(), options).Migrate(),
              StatusIs(absl::StatusCode::kCancelled, HasSubstr("stopped while waiting")));
  EXPECT_EQ(polls, 3);
  ASSERT_THAT(other.Release(**holder), IsOk());
}

// Issue 17: a replica that died holding the lock (it never renews) blocks the others
// only until its lease runs out; then the next one takes over and migrates.
TEST_F(MigratorTest, ExpiredLeaseOfADeadHolderIsTakenOver) {
  absl::StatusOr<ConnectionLease> holder = pool_->Acquire();
  ASSERT_THAT(holder, IsOk());
  MigrationLock dead(MigrationLockName(db_->name()), "dead-replica", absl::Seconds(1));
  ASSERT_THAT(dead.TryAcquire(**holder), IsOkAndHolds(true));
  MigrationLock rival(MigrationLockName(db_->name()), "rival", absl::Seconds(1));
  EXPECT_THAT(rival.TryAcquire(**holder), IsOkAndHolds(false));  // Not before expiry.
  MigratorOptions options;
  options.lock_timeout = absl::Minutes(2);
  EXPECT_THAT(Migrator(pool_.get(), EmbeddedMigrations(), options).Migrate(),
              IsOkAndHolds(ElementsAre(1, 2)));
  // The dead holder, were it to wake up, finds the lock gone.
  EXPECT_THAT(dead.Renew(**holder), StatusIs(absl::StatusCode::kAborted, HasSubstr("was lost")));
}

// The lease is renewed while a migration runs longer than the lease, so a racing
// replica waits instead of taking over (migration 3 would fail on a second run).
TEST_F(MigratorTest, LeaseIsRenewedWhileAMigrationOutlastsIt) {
  std::vector<Migration> migrations = {
      MakeMigration(1, "table", "CREATE TABLE IF NOT EXISTS race (id INT PRIMARY KEY)"),
      MakeMigration(2, "slow", "DO SLEEP(4)"),
      MakeMigration(3, "insert", "INSERT INTO race VALUES (1)")};
  MigratorOptions options;
  options.lock_lease = absl::Seconds(2);
  std::unique_ptr<ConnectionPool> other = NewPool();
  absl::StatusOr<std::vector<int64_t>> a, b;
  std::thread ta([&] { a = Migrator(pool_.get(), migrations, options).Migrate(); });
  absl::SleepFor(absl::Milliseconds(300));
  std::thread tb([&] { b = Migrator(other.get(), migrations, options).Migrate(); });
  ta.join();
  tb.join();
  ASSERT_THAT(a, IsOk());
  ASSERT_THAT(b, IsOk());
  std::vector<int64_t> all = *a;
  all.insert(all.end(), b->begin(), b->end());
  EXPECT_THAT(all, UnorderedElementsAre(1, 2, 3));
  absl::StatusOr<ResultSet> rows = Query("SELECT COUNT(*) FROM race");
  ASSERT_THAT(rows, IsOk());
  EXPECT_EQ(*(*rows)[0].GetInt64(0), 1);
}

TEST(MigrationLockNameTest, IsCappedAtMysqlsSixtyFourCharacters) {
  EXPECT_EQ(MigrationLockName("catalog"), "gongkai_migrate_catalog");
  EXPECT_EQ(MigrationLockName(std::string(64, 'x')).size(), 64u);
}

}  // namespace
}  // namespace gongkai::db
