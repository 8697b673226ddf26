// Splits a migration script into single statements for the MySQL text protocol.
//
//   ASSIGN_OR_RETURN(std::vector<db::SqlStatement> statements,
//                    db::SplitSqlStatements("CREATE TABLE a (x INT);\n"
//                                           "INSERT INTO a VALUES (1); -- seed\n"));
//   // → "CREATE TABLE a (x INT)" (line 1), "INSERT INTO a VALUES (1)" (line 2)
//
// A statement ends at a `;` outside quotes and comments. Understood lexical forms (as in
// MySQL with the default sql_mode): '...' and "..." strings with doubled quotes and
// backslash escapes, `...` identifiers with doubled backticks, comments `-- ` (dash dash
// and a space, tab or newline), `#` to end of line, and `/* ... */` (including `/*! */`
// executable comments, which count as code). Comments before a statement are left out
// of its text, comments inside it stay; pieces with nothing but whitespace and comments
// are dropped. There is no DELIMITER command: stored routine bodies are not supported.
//
// Pure function; thread-safe.
#ifndef GONGKAI_LIBS_DB_SQL_SPLITTER_H_
#define GONGKAI_LIBS_DB_SQL_SPLITTER_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace gongkai::db {

struct SqlStatement {
  std::string text;  // From its first non-comment character up to (without) the `;`.
  int line = 0;      // 1-based line where `text` starts.
};

// INVALID_ARGUMENT naming the line when a string, identifier or block comment is not
// closed.
absl::StatusOr<std::vector<SqlStatement>> SplitSqlStatements(absl::string_view script);

}  // namespace gongkai::db

#endif  // GONGKAI_LIBS_DB_SQL_SPLITTER_H_
