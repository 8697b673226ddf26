// Lint of every migration in the tree (services/*/migrations, libs/*/migrations,
// tests/template/migrations): one DDL statement per file (issue 16, defect 2).
//
// MySQL, MariaDB and TiDB commit each DDL statement on its own, so a file of several
// cannot be applied atomically: a run that stops half-way (a read timeout during an
// index build, a killed pod) leaves some applied and the version unrecorded. With one
// DDL statement per file, a re-run either finds nothing done or meets exactly that
// statement's 1050/1060/1061 error, which the Migrator treats as already applied.
//
// Files already applied somewhere must never change (the Migrator refuses a changed
// checksum), so the older multi-statement files stay as they are and are listed below
// (e.g. services/catalog/migrations/0004_public_list_indexes.sql with its three CREATE
// INDEX, whose interrupted runs the Migrator now recovers from). Every other file —
// every service file after 0008, every new library file — holds one DDL statement.
//
// Also (issue 17): every table has a primary key and is InnoDB, as a Galera cluster
// and MySQL InnoDB Cluster need (ADR 0025).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/algorithm/container.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "libs/db/sql_splitter.h"

namespace gongkai {
namespace {

namespace fs = std::filesystem;

// The files written before this rule with several DDL statements: applied already,
// so never changed. Do not add to this list.
const char* const kGrandfathered[] = {
    "services/catalog/migrations/0001_initial.sql",
    "services/catalog/migrations/0004_public_list_indexes.sql",
    "services/catalog/migrations/0005_disclosure_requests.sql",
    "services/catalog/migrations/0006_annual_reports.sql",
};
constexpr int kLastGrandfatheredVersion = 8;

bool IsDdl(absl::string_view statement) {
  const std::string upper = absl::AsciiStrToUpper(statement.substr(0, 16));
  for (absl::string_view verb : {"CREATE ", "ALTER ", "DROP ", "RENAME ", "TRUNCATE "}) {
    if (absl::StartsWith(upper, verb)) return true;
  }
  return false;
}

std::vector<fs::path> AllMigrationFiles() {
  const fs::path root(GONGKAI_SOURCE_DIR);
  std::vector<fs::path> dirs = {root / "tests" / "template" / "migrations"};
  for (const char* parent : {"services", "libs"}) {
    for (const fs::directory_entry& e : fs::directory_iterator(root / parent)) {
      if (fs::is_directory(e.path() / "migrations")) dirs.push_back(e.path() / "migrations");
    }
  }
  std::vector<fs::path> files;
  for (const fs::path& dir : dirs) {
    for (const fs::directory_entry& e : fs::directory_iterator(dir)) {
      if (e.path().extension() == ".sql") files.push_back(fs::relative(e.path(), root));
    }
  }
  return files;
}

int DdlStatements(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  absl::StatusOr<std::vector<db::SqlStatement>> statements = db::SplitSqlStatements(text.str());
  EXPECT_TRUE(statements.ok()) << path << ": " << statements.status();
  if (!statements.ok()) return 0;
  int ddl = 0;
  for (const db::SqlStatement& s : *statements) ddl += IsDdl(s.text) ? 1 : 0;
  return ddl;
}

TEST(MigrationsLintTest, EveryNewMigrationHoldsAtMostOneDdlStatement) {
  const std::vector<fs::path> files = AllMigrationFiles();
  ASSERT_GE(files.size(), 10u);  // The walk found the tree.
  for (const fs::path& file : files) {
    if (absl::c_linear_search(kGrandfathered, file.generic_string())) continue;
    EXPECT_LE(DdlStatements(fs::path(GONGKAI_SOURCE_DIR) / file), 1)
        << file << " holds several DDL statements: put each in a file of its own";
  }
}

// The exemptions are old files only: a service file after 0008 is always checked.
TEST(MigrationsLintTest, OnlyOldFilesAreExempt) {
  for (const char* file : kGrandfathered) {
    const std::string name = fs::path(file).filename().string();
    int version = 0;
    ASSERT_TRUE(absl::SimpleAtoi(name.substr(0, 4), &version)) << file;
    EXPECT_LE(version, kLastGrandfatheredVersion) << file;
    EXPECT_TRUE(fs::exists(fs::path(GONGKAI_SOURCE_DIR) / file)) << file;
  }
}

std::vector<std::string> Statements(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  absl::StatusOr<std::vector<db::SqlStatement>> statements = db::SplitSqlStatements(text.str());
  EXPECT_TRUE(statements.ok()) << path << ": " << statements.status();
  std::vector<std::string> out;
  if (statements.ok()) {
    for (const db::SqlStatement& s : *statements) out.push_back(s.text);
  }
  return out;
}

// What a Galera cluster (and MySQL InnoDB Cluster) needs of a table (issue 17, ADR
// 0025): a primary key — rows of a table without one cannot be identified in a
// replicated write set (Galera replicates DELETEs of such tables badly and applies
// them slowly; Group Replication refuses writes to them) — and InnoDB, the only engine
// whose tables Galera replicates. Empty when `statement` is fine.
std::string ClusterProblem(absl::string_view statement) {
  std::string upper = absl::AsciiStrToUpper(statement);
  upper.erase(
      std::remove_if(upper.begin(), upper.end(),
                     [](char c) { return absl::ascii_isspace(static_cast<unsigned char>(c)); }),
      upper.end());
  if (!absl::StartsWith(upper, "CREATE") || !absl::StrContains(upper, "TABLE")) return "";
  if (absl::StartsWith(upper, "CREATETEMPORARY")) return "a temporary table is not replicated";
  if (!absl::StartsWith(upper, "CREATETABLE")) return "";
  if (!absl::StrContains(upper, "PRIMARYKEY")) return "a table without a PRIMARY KEY";
  const size_t engine = upper.find("ENGINE=");
  if (engine != std::string::npos && upper.compare(engine, 13, "ENGINE=INNODB") != 0) {
    return "a table whose engine is not InnoDB";
  }
  return "";
}

TEST(MigrationsLintTest, EveryTableHasAPrimaryKeyAndInnoDbForGalera) {
  const std::vector<fs::path> files = AllMigrationFiles();
  ASSERT_GE(files.size(), 10u);
  for (const fs::path& file : files) {
    for (const std::string& statement : Statements(fs::path(GONGKAI_SOURCE_DIR) / file)) {
      const std::string problem = ClusterProblem(statement);
      EXPECT_EQ(problem, "") << file << ": " << problem
                             << " (a Galera or InnoDB cluster cannot replicate it safely): "
                             << statement.substr(0, 80);
    }
  }
}

TEST(MigrationsLintTest, ClusterProblemsAreRecognised) {
  EXPECT_EQ(ClusterProblem("CREATE TABLE t (id BIGINT NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB"),
            "");
  EXPECT_EQ(ClusterProblem("create table if not exists t (id bigint primary key)"), "");
  EXPECT_EQ(ClusterProblem("CREATE TABLE t (a INT, KEY (a)) ENGINE=InnoDB"),
            "a table without a PRIMARY KEY");
  EXPECT_EQ(ClusterProblem("CREATE TABLE t (id INT PRIMARY KEY) ENGINE = MyISAM"),
            "a table whose engine is not InnoDB");
  EXPECT_EQ(ClusterProblem("CREATE TEMPORARY TABLE t (id INT PRIMARY KEY)"),
            "a temporary table is not replicated");
  EXPECT_EQ(ClusterProblem("CREATE INDEX i ON t (a)"), "");
}

TEST(MigrationsLintTest, DdlStatementsAreRecognised) {
  EXPECT_TRUE(IsDdl("create index idx ON t (a)"));
  EXPECT_TRUE(IsDdl("ALTER TABLE t ADD COLUMN c INT"));
  EXPECT_FALSE(IsDdl("INSERT INTO t VALUES (1)"));
  EXPECT_FALSE(IsDdl("UPDATE t SET a = 1"));
}

}  // namespace
}  // namespace gongkai
