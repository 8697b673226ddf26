#include "libs/db/sql_splitter.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "libs/db/testing/status_matchers.h"

namespace gongkai::db {
namespace {

using ::gongkai::db::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;

std::vector<std::string> Texts(absl::string_view script) {
  absl::StatusOr<std::vector<SqlStatement>> split = SplitSqlStatements(script);
  EXPECT_TRUE(split.ok()) << split.status();
  std::vector<std::string> out;
  if (split.ok()) {
    for (const SqlStatement& s : *split) out.push_back(s.text);
  }
  return out;
}

TEST(SplitSqlStatementsTest, SplitsAtSemicolonsAndTrimsWhitespace) {
  EXPECT_THAT(Texts("CREATE TABLE a (x INT);\n\n  INSERT INTO a VALUES (1);\n"),
              ElementsAre("CREATE TABLE a (x INT)", "INSERT INTO a VALUES (1)"));
}

TEST(SplitSqlStatementsTest, KeepsLastStatementWithoutSemicolon) {
  EXPECT_THAT(Texts("SELECT 1;\nSELECT 2"), ElementsAre("SELECT 1", "SELECT 2"));
}

TEST(SplitSqlStatementsTest, EmptyScriptAndCommentOnlyScriptYieldNothing) {
  EXPECT_THAT(Texts(""), ElementsAre());
  EXPECT_THAT(Texts("  \n-- nothing here;\n# nor here;\n/* or; here */\n;;\n"), ElementsAre());
}

TEST(SplitSqlStatementsTest, SemicolonsInsideStringsDoNotSplit) {
  EXPECT_THAT(Texts("INSERT INTO t VALUES ('a;b', \"c;d\");SELECT 1"),
              ElementsAre("INSERT INTO t VALUES ('a;b', \"c;d\")", "SELECT 1"));
}

TEST(SplitSqlStatementsTest, DoubledAndBackslashEscapedQuotesStayInsideTheString) {
  EXPECT_THAT(
      Texts("SELECT 'it''s; fine';SELECT 'back\\'slash; too';SELECT \"x\"\"y;\""),
      ElementsAre("SELECT 'it''s; fine'", "SELECT 'back\\'slash; too'", "SELECT \"x\"\"y;\""));
}

TEST(SplitSqlStatementsTest, BacktickIdentifiersMayContainSemicolonsAndQuotes) {
  EXPECT_THAT(Texts("CREATE TABLE `we;ird``name'` (x INT); SELECT 1"),
              ElementsAre("CREATE TABLE `we;ird``name'` (x INT)", "SELECT 1"));
}

TEST(SplitSqlStatementsTest, SemicolonsInCommentsDoNotSplit) {
  EXPECT_THAT(Texts("SELECT 1 -- one; two\n, 2; # three; four\nSELECT /* a;b */ 3;"),
              ElementsAre("SELECT 1 -- one; two\n, 2", "SELECT /* a;b */ 3"));
}

TEST(SplitSqlStatementsTest, DashDashWithoutSpaceIsNotAComment) {
  // MySQL: "--" starts a comment only when followed by whitespace; 5--1 is 5 - (-1).
  EXPECT_THAT(Texts("SELECT 5--1;SELECT 2"), ElementsAre("SELECT 5--1", "SELECT 2"));
}

TEST(SplitSqlStatementsTest, LeadingCommentsAreDroppedAndLineNumbersPointAtTheCode) {
  absl::StatusOr<std::vector<SqlStatement>> split = SplitSqlStatements(
      "-- Catalog schema, version 1.\n"
      "-- Text is utf8mb4;\n"
      "\n"
      "CREATE TABLE a (\n"
      "  x INT -- the x; really\n"
      ");\n"
      "/* seed */ INSERT INTO a VALUES (1);\n");
  ASSERT_TRUE(split.ok()) << split.status();
  EXPECT_THAT(
      *split,
      ElementsAre(AllOf(Field(&SqlStatement::text, "CREATE TABLE a (\n  x INT -- the x; really\n)"),
                        Field(&SqlStatement::line, 4)),
                  AllOf(Field(&SqlStatement::text, "INSERT INTO a VALUES (1)"),
                        Field(&SqlStatement::line, 7))));
}

TEST(SplitSqlStatementsTest, ExecutableCommentCountsAsCode) {
  EXPECT_THAT(Texts("/*!40101 SET NAMES utf8mb4 */;\nSELECT 1;"),
              ElementsAre("/*!40101 SET NAMES utf8mb4 */", "SELECT 1"));
}

TEST(SplitSqlStatementsTest, ChineseTextIsKeptByteForByte) {
  EXPECT_THAT(Texts("INSERT INTO c (name) VALUES ('主动公开；基本目录');"),
              ElementsAre("INSERT INTO c (name) VALUES ('主动公开；基本目录')"));
}

TEST(SplitSqlStatementsTest, UnterminatedStringIsInvalidArgumentNamingTheLine) {
  EXPECT_THAT(SplitSqlStatements("SELECT 1;\nSELECT 'oops;\nSELECT 2;"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("unterminated string literal (') opened on line 2")));
}

TEST(SplitSqlStatementsTest, UnterminatedIdentifierAndCommentAreInvalidArgument) {
  EXPECT_THAT(SplitSqlStatements("SELECT `x"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("quoted identifier")));
  EXPECT_THAT(SplitSqlStatements("SELECT 1;\n\n/* never closed"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("unterminated /* comment opened on line 3")));
}

}  // namespace
}  // namespace gongkai::db
