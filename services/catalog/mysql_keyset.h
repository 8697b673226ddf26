// The keyset condition and order every MySQL list of the catalog's modules ends with:
// ` AND <column> < ?` when continuing after a row, then newest (largest id) first and
// at most `page.limit` rows (repository_types.h); AppendKeysetAscending for oldest first.
#ifndef GONGKAI_SERVICES_CATALOG_MYSQL_KEYSET_H_
#define GONGKAI_SERVICES_CATALOG_MYSQL_KEYSET_H_

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "libs/db/value.h"
#include "services/catalog/repository_types.h"

namespace gongkai::catalog {

inline void AppendKeyset(absl::string_view column, const KeysetPage& page, std::string& sql,
                         std::vector<db::Value>& params) {
  if (page.after_id > 0) {
    absl::StrAppend(&sql, " AND ", column, " < ?");
    params.emplace_back(page.after_id);
  }
  absl::StrAppend(&sql, " ORDER BY ", column, " DESC LIMIT ", std::max(1, page.limit));
}

// The same for lists read oldest (smallest id) first: ` AND <column> > ?`, ascending.
inline void AppendKeysetAscending(absl::string_view column, const KeysetPage& page,
                                  std::string& sql, std::vector<db::Value>& params) {
  if (page.after_id > 0) {
    absl::StrAppend(&sql, " AND ", column, " > ?");
    params.emplace_back(page.after_id);
  }
  absl::StrAppend(&sql, " ORDER BY ", column, " ASC LIMIT ", std::max(1, page.limit));
}

}  // namespace gongkai::catalog

#endif  // GONGKAI_SERVICES_CATALOG_MYSQL_KEYSET_H_
