#include "libs/db/mysql_errors.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "libs/db/db_config.h"
#include "libs/db/testing/status_matchers.h"

namespace gongkai::db {
namespace {

using ::gongkai::db::testing::StatusIs;
using ::testing::_;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;

TEST(MysqlErrorToStatusTest, DuplicateKeyIsAlreadyExistsNamingTheKeyButNotTheValue) {
  EXPECT_THAT(MysqlErrorToStatus(1062, "23000", "Duplicate entry 'secret' for key 'uk_units_code'"),
              StatusIs(absl::StatusCode::kAlreadyExists,
                       AllOf(HasSubstr("key 'uk_units_code'"), HasSubstr("1062"),
                             Not(HasSubstr("secret")))));
}

TEST(MysqlErrorToStatusTest, Mysql8TablePrefixedKeyNameIsReducedToTheKey) {
  EXPECT_THAT(
      MysqlErrorToStatus(1062, "23000", "Duplicate entry 'x' for key 'units.uk_units_code'"),
      StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr("key 'uk_units_code'")));
}

// Issue 16 defect 2: a migration re-run meets what its interrupted run created.
TEST(MysqlErrorToStatusTest, DdlMeetingAnExistingTableColumnOrIndexIsSchemaObjectExists) {
  const absl::Status key = MysqlErrorToStatus(1061, "42000", "Duplicate key name 'idx_docs'");
  EXPECT_THAT(key, StatusIs(absl::StatusCode::kAlreadyExists,
                            AllOf(HasSubstr("schema object already exists"),
                                  HasSubstr("MySQL error 1061"), HasSubstr("idx_docs"))));
  EXPECT_TRUE(IsSchemaObjectExists(key));
  EXPECT_TRUE(IsSchemaObjectExists(MysqlErrorToStatus(1060, "42S21", "Duplicate column name 'x'")));
  EXPECT_TRUE(IsSchemaObjectExists(MysqlErrorToStatus(1050, "42S01", "Table 't' already exists")));
  for (int code : {1050, 1060, 1061}) EXPECT_TRUE(IsSchemaObjectExistsError(code)) << code;
  // A duplicate row, a syntax error or a lost connection is not.
  EXPECT_FALSE(IsSchemaObjectExists(MysqlErrorToStatus(1062, "23000", "Duplicate entry 'a'")));
  EXPECT_FALSE(IsSchemaObjectExists(MysqlErrorToStatus(1064, "42000", "syntax error")));
  EXPECT_FALSE(IsSchemaObjectExists(MysqlErrorToStatus(2013, "HY000", "Lost connection")));
  EXPECT_FALSE(IsSchemaObjectExists(absl::AlreadyExistsError("schema object already")));
  EXPECT_FALSE(IsSchemaObjectExistsError(1062));
}

TEST(MysqlErrorToStatusTest, DeadlockAndLockWaitTimeoutAreAborted) {
  EXPECT_THAT(MysqlErrorToStatus(1213, "40001", "Deadlock found"),
              StatusIs(absl::StatusCode::kAborted, HasSubstr("deadlock")));
  EXPECT_THAT(MysqlErrorToStatus(1205, "HY000", "Lock wait timeout exceeded"),
              StatusIs(absl::StatusCode::kAborted, HasSubstr("lock wait timeout")));
  EXPECT_THAT(MysqlErrorToStatus(9007, "HY000", "Write conflict"),
              StatusIs(absl::StatusCode::kAborted, HasSubstr("9007")));
}

TEST(MysqlErrorToStatusTest, LostConnectionCodesAreUnavailable) {
  for (int code : {2002, 2003, 2006, 2013, 2055, 1927, 4031}) {
    EXPECT_THAT(MysqlErrorToStatus(code, "HY000", "gone"),
                StatusIs(absl::StatusCode::kUnavailable, HasSubstr(std::to_string(code))))
        << code;
    EXPECT_TRUE(IsConnectionLostError(code)) << code;
  }
  EXPECT_FALSE(IsConnectionLostError(1062));
}

// Issue 17 / ADR 0025: a Galera node cut off from the primary component (or not yet
// Synced) answers 1047; its session is replaced, so the pool reconnects elsewhere.
// A certification conflict is 1213 at COMMIT: ABORTED, retried like a deadlock.
TEST(MysqlErrorToStatusTest, GaleraNodeNotReadyIsUnavailableAndCertificationFailureAborted) {
  EXPECT_THAT(
      MysqlErrorToStatus(1047, "08S01", "WSREP has not yet prepared node for application use"),
      StatusIs(absl::StatusCode::kUnavailable, HasSubstr("1047")));
  EXPECT_TRUE(IsConnectionLostError(1047));
  EXPECT_THAT(MysqlErrorToStatus(1213, "40001",
                                 "WSREP detected deadlock/conflict and aborted the transaction"),
              StatusIs(absl::StatusCode::kAborted, HasSubstr("retry")));
  // The same conflict on MySQL InnoDB Cluster (Group Replication).
  EXPECT_THAT(
      MysqlErrorToStatus(3101, "HY000",
                         "Plugin instructed the server to rollback the current transaction."),
      StatusIs(absl::StatusCode::kAborted, HasSubstr("3101")));
}

// ADR 0025: a write reaching a read-only server (an InnoDB Cluster secondary) is
// UNAVAILABLE, and the session is dropped so the pool can move on.
TEST(MysqlErrorToStatusTest, ReadOnlyServerIsUnavailable) {
  const char kSuper[] =
      "The MySQL server is running with the --super-read-only option so it cannot execute "
      "this statement";
  EXPECT_THAT(MysqlErrorToStatus(1290, "HY000", kSuper),
              StatusIs(absl::StatusCode::kUnavailable, HasSubstr("read-only")));
  EXPECT_TRUE(IsReadOnlyServerError(1290, kSuper));
  EXPECT_TRUE(IsReadOnlyServerError(1836, "Running in read-only mode"));
  // 1290 for another option is not about read-only servers.
  EXPECT_FALSE(IsReadOnlyServerError(
      1290, "The MySQL server is running with the --secure-file-priv option"));
  EXPECT_THAT(MysqlErrorToStatus(1290, "HY000",
                                 "The MySQL server is running with the --secure-file-priv option"),
              StatusIs(absl::StatusCode::kInternal, _));
}

TEST(DbConfigTest, HostListsSeveralServersWithOrWithoutPorts) {
  DbConfig config;
  config.user = "u";
  config.port = 3307;
  config.host = "db-0:3306, db-1 ,10.0.0.3:4401,[::1]:4402,fe80::2";
  ASSERT_TRUE(config.Validate().ok()) << config.Validate();
  absl::StatusOr<std::vector<DbEndpoint>> endpoints = config.Endpoints();
  ASSERT_TRUE(endpoints.ok()) << endpoints.status();
  std::vector<std::string> printed;
  for (const DbEndpoint& e : *endpoints) printed.push_back(e.ToString());
  EXPECT_THAT(printed, ::testing::ElementsAre("db-0:3306", "db-1:3307", "10.0.0.3:4401",
                                              "[::1]:4402", "[fe80::2]:3307"));
  const DbConfig one = config.ForEndpoint((*endpoints)[3]);
  EXPECT_EQ(one.host, "::1");
  EXPECT_EQ(one.port, 4402);
  ASSERT_TRUE(one.Endpoints().ok());
  EXPECT_EQ(one.Endpoints()->at(0).ToString(), "[::1]:4402");

  config.host = "127.0.0.1";  // The single-server case is unchanged.
  ASSERT_TRUE(config.Endpoints().ok());
  EXPECT_EQ(config.Endpoints()->size(), 1u);
  EXPECT_EQ(config.Endpoints()->at(0).ToString(), "127.0.0.1:3307");
}

TEST(DbConfigTest, BadHostListsAreInvalidArgument) {
  DbConfig config;
  config.user = "u";
  for (const char* bad : {"a,,b", "a:0", "a:70000", "a:x", "[::1", "[::1]x", ":3306", "a,a:3306"}) {
    config.host = bad;
    EXPECT_THAT(config.Validate(), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("host")))
        << bad;
  }
}

TEST(MysqlErrorToStatusTest, ForeignKeyViolationsAreFailedPrecondition) {
  EXPECT_THAT(MysqlErrorToStatus(1451, "23000", "Cannot delete or update a parent row"),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("still referenced")));
  EXPECT_THAT(MysqlErrorToStatus(1452, "23000", "Cannot add or update a child row"),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("does not exist")));
}

TEST(MysqlErrorToStatusTest, BadValuesAreInvalidArgumentNamingTheColumnOnly) {
  EXPECT_THAT(MysqlErrorToStatus(1406, "22001", "Data too long for column 'title' at row 1"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("column 'title'")));
  EXPECT_THAT(MysqlErrorToStatus(
                  1366, "22007",
                  "Incorrect integer value: 'abc' for column `t_db`.`units`.`level` at row 1"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("column 'level'"), Not(HasSubstr("abc")))));
  EXPECT_THAT(MysqlErrorToStatus(1048, "23000", "Column 'name' cannot be null"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("column 'name'")));
}

TEST(MysqlErrorToStatusTest, OtherErrorsAreInternalWithCodeAndSqlState) {
  EXPECT_THAT(MysqlErrorToStatus(1054, "42S22", "Unknown column 'nope' in 'field list'"),
              StatusIs(absl::StatusCode::kInternal,
                       AllOf(HasSubstr("MySQL error 1054 (42S22)"), HasSubstr("Unknown column"))));
}

}  // namespace
}  // namespace gongkai::db
