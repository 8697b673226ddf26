// The current row of a query streamed by Connection::QueryEach: typed reads by 0-based
// column index straight from the driver's buffers, without building a ResultSet (no
// cell copies, no per-row vector, no column-name lookups). For hot list paths that map
// many rows into messages; everything else reads a ResultSet (result_set.h).
//
//   RETURN_IF_ERROR(conn->QueryEach(
//       "SELECT id, title FROM documents WHERE unit_id = ? ORDER BY id LIMIT 20", {unit_id},
//       [&](const db::RowCursor& row) -> absl::Status {
//         ASSIGN_OR_RETURN(int64_t id, row.GetInt64(0));
//         ASSIGN_OR_RETURN(*out.add_titles(), row.GetString(1));
//         return absl::OkStatus();
//       }));
//
// Numbers come as the server sent them in the binary protocol; text is copied once.
// DATETIME and DATE columns are better selected as numbers (e.g.
// TIMESTAMPDIFF(MICROSECOND, '1970-01-01', col), DATEDIFF(col, '1970-01-01')): the
// driver would print them as text only for the caller to parse them back.
// Getters return INTERNAL for an index out of range, NULL read by a non-optional getter,
// or a value the driver cannot convert. Valid only inside the QueryEach callback.
#ifndef GONGKAI_LIBS_DB_ROW_CURSOR_H_
#define GONGKAI_LIBS_DB_ROW_CURSOR_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace sql {
class ResultSet;
}  // namespace sql

namespace gongkai::db {

class RowCursor {
 public:
  RowCursor(sql::ResultSet& rs, size_t columns) : rs_(rs), columns_(columns) {}
  RowCursor(const RowCursor&) = delete;
  RowCursor& operator=(const RowCursor&) = delete;

  size_t size() const { return columns_; }

  absl::StatusOr<int64_t> GetInt64(size_t column) const;
  absl::StatusOr<std::optional<int64_t>> GetOptionalInt64(size_t column) const;
  absl::StatusOr<std::string> GetString(size_t column) const;
  absl::StatusOr<std::optional<std::string>> GetOptionalString(size_t column) const;

 private:
  sql::ResultSet& rs_;
  size_t columns_;
};

}  // namespace gongkai::db

#endif  // GONGKAI_LIBS_DB_ROW_CURSOR_H_
