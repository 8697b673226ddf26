// Maps every row of a ResultSet through a row mapper, stopping at the first error:
// the one loop behind each repository's list queries.
//
//   ASSIGN_OR_RETURN(db::ResultSet rows, conn->Query("SELECT ... FROM units ..."));
//   return db::MapRows<v1::Unit>(rows, UnitFromRow);
//
// `fn` is called as fn(const db::Row&) and returns absl::StatusOr<T>. Stateless;
// thread-safe as far as `fn` is.
#ifndef GONGKAI_LIBS_DB_MAP_ROWS_H_
#define GONGKAI_LIBS_DB_MAP_ROWS_H_

#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "libs/db/result_set.h"
#include "libs/status/status_macros.h"

namespace gongkai::db {

// The mapped rows in order, or the first error `fn` returned.
template <typename T, typename Fn>
absl::StatusOr<std::vector<T>> MapRows(const ResultSet& rows, Fn fn) {
  std::vector<T> out;
  out.reserve(rows.size());
  for (const Row& row : rows) {
    ASSIGN_OR_RETURN(T value, fn(row));
    out.push_back(std::move(value));
  }
  return out;
}

}  // namespace gongkai::db

#endif  // GONGKAI_LIBS_DB_MAP_ROWS_H_
