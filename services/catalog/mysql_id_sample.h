// The bounded read behind a compliance-evidence indicator (ASM-6) in the catalog's
// MySQL repositories: COUNT(DISTINCT id) over a FROM ... WHERE clause, then the first
// kMaxEvidenceIds distinct ids in id order (repository_types.h, IdSample), so a
// period with millions of rows never loads them.
//
//   ASSIGN_OR_RETURN(IdSample drafted,
//                    QueryIdSample(*conn, "id", "FROM documents WHERE drafting_unit_id = ?",
//                                  {Value(unit_id)}));
#ifndef GONGKAI_SERVICES_CATALOG_MYSQL_ID_SAMPLE_H_
#define GONGKAI_SERVICES_CATALOG_MYSQL_ID_SAMPLE_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "libs/db/connection.h"
#include "libs/db/value.h"
#include "libs/status/status_macros.h"
#include "services/catalog/repository_types.h"

namespace gongkai::catalog {

// `from_where` starts with FROM and holds no ORDER BY or LIMIT; `id_column` names the
// (possibly qualified) id column to count and list.
inline absl::StatusOr<IdSample> QueryIdSample(db::Connection& conn, absl::string_view id_column,
                                              absl::string_view from_where,
                                              const std::vector<db::Value>& params) {
  IdSample sample;
  ASSIGN_OR_RETURN(
      db::ResultSet count,
      conn.Query(absl::StrCat("SELECT COUNT(DISTINCT ", id_column, ") ", from_where), params));
  if (!count.empty()) {
    ASSIGN_OR_RETURN(sample.count, count[0].GetInt64(0));
  }
  if (sample.count == 0) return sample;
  ASSIGN_OR_RETURN(db::ResultSet rows,
                   conn.Query(absl::StrCat("SELECT DISTINCT ", id_column, " ", from_where,
                                           " ORDER BY ", id_column, " LIMIT ", kMaxEvidenceIds),
                              params));
  sample.ids.reserve(rows.size());
  for (const db::Row& row : rows) {
    ASSIGN_OR_RETURN(int64_t id, row.GetInt64(0));
    sample.ids.push_back(id);
  }
  return sample;
}

}  // namespace gongkai::catalog

#endif  // GONGKAI_SERVICES_CATALOG_MYSQL_ID_SAMPLE_H_
