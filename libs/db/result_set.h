// Rows returned by Connection::Query(), fully read into memory (the driver is closed by
// the time you see them), with typed getters by column index or column name.
//
//   ASSIGN_OR_RETURN(db::ResultSet rows,
//                    conn->Query("SELECT id, title, publish_time FROM documents "
//                                "WHERE unit_id = ?", {unit_id}));
//   for (const db::Row& row : rows) {
//     ASSIGN_OR_RETURN(int64_t id, row.GetInt64("id"));
//     ASSIGN_OR_RETURN(std::string title, row.GetString(1));
//     ASSIGN_OR_RETURN(std::optional<absl::Time> published,
//                      row.GetOptionalTime("publish_time"));
//   }
//
// Getters return INTERNAL (naming the column) for an unknown column, a NULL read by a
// non-optional getter, or a value that does not convert; these are schema/code
// mismatches, never client errors. Names match case-insensitively (as in MySQL).
// Conversions: integers read as string/double/bool (non-zero is true); DECIMAL and text
// read as numbers when they parse; DATETIME/TIMESTAMP read as absl::Time (UTC) or as the
// "YYYY-MM-DD HH:MM:SS[.ffffff]" string; DATE as absl::CivilDay or "YYYY-MM-DD".
//
// Immutable once built; safe to read from several threads.
#ifndef GONGKAI_LIBS_DB_RESULT_SET_H_
#define GONGKAI_LIBS_DB_RESULT_SET_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <variant>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace gongkai::db {

// Selects a column by 0-based index or by name: row.GetInt64(0), row.GetInt64("id").
class ColumnRef {
 public:
  template <typename I, std::enable_if_t<std::is_integral_v<I>, int> = 0>
  ColumnRef(I index) : index_(static_cast<size_t>(index)) {}  // NOLINT
  ColumnRef(absl::string_view name) : name_(name) {}          // NOLINT
  ColumnRef(const char* name) : name_(name) {}                // NOLINT
  ColumnRef(const std::string& name) : name_(name) {}         // NOLINT

  bool by_name() const { return !index_.has_value(); }
  size_t index() const { return *index_; }
  absl::string_view name() const { return name_; }

 private:
  std::optional<size_t> index_;
  absl::string_view name_;
};

namespace internal {
struct Columns {
  std::vector<std::string> names;
};
}  // namespace internal

class Row {
 public:
  // One cell as read from the driver: NULL, a signed/unsigned integer, a floating-point
  // number, or text/bytes (everything else, including DECIMAL, DATE and DATETIME).
  using Cell = std::variant<std::monostate, int64_t, uint64_t, double, std::string>;

  Row(std::shared_ptr<const internal::Columns> columns, std::vector<Cell> cells)
      : columns_(std::move(columns)), cells_(std::move(cells)) {}

  size_t size() const { return cells_.size(); }
  // INTERNAL for an unknown column.
  absl::StatusOr<bool> IsNull(ColumnRef column) const;

  absl::StatusOr<int64_t> GetInt64(ColumnRef column) const;
  absl::StatusOr<uint64_t> GetUint64(ColumnRef column) const;
  absl::StatusOr<double> GetDouble(ColumnRef column) const;
  absl::StatusOr<bool> GetBool(ColumnRef column) const;
  absl::StatusOr<std::string> GetString(ColumnRef column) const;
  absl::StatusOr<absl::Time> GetTime(ColumnRef column) const;
  absl::StatusOr<absl::CivilDay> GetCivilDay(ColumnRef column) const;

  // As above, but NULL reads as std::nullopt.
  absl::StatusOr<std::optional<int64_t>> GetOptionalInt64(ColumnRef column) const;
  absl::StatusOr<std::optional<uint64_t>> GetOptionalUint64(ColumnRef column) const;
  absl::StatusOr<std::optional<double>> GetOptionalDouble(ColumnRef column) const;
  absl::StatusOr<std::optional<bool>> GetOptionalBool(ColumnRef column) const;
  absl::StatusOr<std::optional<std::string>> GetOptionalString(ColumnRef column) const;
  absl::StatusOr<std::optional<absl::Time>> GetOptionalTime(ColumnRef column) const;
  absl::StatusOr<std::optional<absl::CivilDay>> GetOptionalCivilDay(ColumnRef column) const;

  const std::vector<std::string>& column_names() const { return columns_->names; }
  const std::vector<Cell>& cells() const { return cells_; }

 private:
  absl::StatusOr<const Cell*> Find(ColumnRef column) const;
  std::string Describe(ColumnRef column) const;

  std::shared_ptr<const internal::Columns> columns_;
  std::vector<Cell> cells_;
};

class ResultSet {
 public:
  ResultSet() : columns_(std::make_shared<internal::Columns>()) {}
  ResultSet(std::shared_ptr<const internal::Columns> columns, std::vector<Row> rows)
      : columns_(std::move(columns)), rows_(std::move(rows)) {}

  size_t size() const { return rows_.size(); }
  bool empty() const { return rows_.empty(); }
  const Row& operator[](size_t i) const { return rows_[i]; }
  std::vector<Row>::const_iterator begin() const { return rows_.begin(); }
  std::vector<Row>::const_iterator end() const { return rows_.end(); }
  const std::vector<std::string>& column_names() const { return columns_->names; }

 private:
  std::shared_ptr<const internal::Columns> columns_;
  std::vector<Row> rows_;
};

// Parses the DATETIME text form ("YYYY-MM-DD HH:MM:SS" with optional fraction) as UTC.
absl::StatusOr<absl::Time> ParseDatetime(absl::string_view text);

}  // namespace gongkai::db

#endif  // GONGKAI_LIBS_DB_RESULT_SET_H_
