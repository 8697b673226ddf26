#include "libs/db/row_cursor.h"

#include <cppconn/exception.h>
#include <cppconn/resultset.h>

#include <exception>

#include "absl/strings/str_cat.h"

namespace gongkai::db {
namespace {

// A getter's failure: the rows are already in client memory, so the session is fine.
absl::Status ReadFailure(size_t column, const std::exception& e) {
  return absl::InternalError(absl::StrCat("column ", column, ": ", e.what()));
}

absl::Status NullFailure(size_t column) {
  return absl::InternalError(
      absl::StrCat("column ", column, " is NULL; read it with a GetOptional* getter"));
}

// Connector/C++ numbers columns from 1.
uint32_t DriverIndex(size_t column) { return static_cast<uint32_t>(column + 1); }

}  // namespace

// Each read is one driver call and a wasNull() (cheaper than isNull() first); an index
// out of range is refused by the driver (an exception, mapped below).

absl::StatusOr<std::optional<int64_t>> RowCursor::GetOptionalInt64(size_t column) const {
  try {
    const int64_t value = rs_.getInt64(DriverIndex(column));
    if (rs_.wasNull()) return std::nullopt;
    return value;
  } catch (const std::exception& e) {
    return ReadFailure(column, e);
  }
}

absl::StatusOr<int64_t> RowCursor::GetInt64(size_t column) const {
  absl::StatusOr<std::optional<int64_t>> value = GetOptionalInt64(column);
  if (!value.ok()) return value.status();
  if (!value->has_value()) return NullFailure(column);
  return **value;
}

absl::StatusOr<std::optional<std::string>> RowCursor::GetOptionalString(size_t column) const {
  try {
    sql::SQLString value = rs_.getString(DriverIndex(column));
    if (rs_.wasNull()) return std::nullopt;
    return value.asStdString();
  } catch (const std::exception& e) {
    return ReadFailure(column, e);
  }
}

absl::StatusOr<std::string> RowCursor::GetString(size_t column) const {
  absl::StatusOr<std::optional<std::string>> value = GetOptionalString(column);
  if (!value.ok()) return value.status();
  if (!value->has_value()) return NullFailure(column);
  return *std::move(*value);
}

}  // namespace gongkai::db
