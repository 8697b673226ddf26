#include "libs/rules/mysql_rule_set_store.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "libs/crypto/sha256.h"
#include "libs/db/map_rows.h"
#include "libs/db/migrator.h"
#include "libs/db/transaction.h"
#include "libs/rules/rule_set_json.h"
#include "libs/status/status_macros.h"

namespace gongkai::rules {

absl::StatusOr<bool> MySqlRuleSetStore::Insert(const RuleSet& set, absl::string_view created_by,
                                               absl::Time create_time) {
  const std::string body = RuleSetToJson(set);
  const std::string checksum = crypto::Sha256Hex(body);
  bool inserted = false;
  RETURN_IF_ERROR(db::RunInTransactionWithRetries(*pool_, [&](db::Connection& conn) {
    inserted = false;
    absl::StatusOr<db::ExecResult> r = conn.Execute(
        "INSERT INTO rule_sets (name, version, effective_from, body, checksum, created_by, "
        "create_time) VALUES (?, ?, ?, ?, ?, ?, ?)",
        {db::Value(set.name), db::Value(set.version), db::Value(set.effective_from),
         db::Value(body), db::Value(checksum), db::Value(created_by), db::Value(create_time)});
    if (r.ok()) {
      inserted = true;
      return absl::OkStatus();
    }
    if (r.status().code() != absl::StatusCode::kAlreadyExists) return r.status();
    ASSIGN_OR_RETURN(db::ResultSet rows,
                     conn.Query("SELECT checksum FROM rule_sets WHERE name = ? AND version = ?",
                                {db::Value(set.name), db::Value(set.version)}));
    if (rows.empty()) return r.status();
    ASSIGN_OR_RETURN(std::string stored, rows[0].GetString(0));
    if (stored != checksum) {
      return absl::AlreadyExistsError(
          absl::StrCat("rule set ", set.name, " v", set.version,
                       " is already stored with other content; a change needs a new version"));
    }
    return absl::OkStatus();
  }));
  return inserted;
}

absl::StatusOr<std::vector<StoredRuleSet>> MySqlRuleSetStore::List() {
  ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
  ASSIGN_OR_RETURN(db::ResultSet rows,
                   conn->Query("SELECT name, version, effective_from, body, checksum, created_by, "
                               "create_time FROM rule_sets ORDER BY name, version"));
  return db::MapRows<StoredRuleSet>(rows, [](const db::Row& row) -> absl::StatusOr<StoredRuleSet> {
    StoredRuleSet s;
    ASSIGN_OR_RETURN(s.name, row.GetString(0));
    ASSIGN_OR_RETURN(s.version, row.GetInt64(1));
    ASSIGN_OR_RETURN(s.effective_from, row.GetCivilDay(2));
    ASSIGN_OR_RETURN(s.body, row.GetString(3));
    ASSIGN_OR_RETURN(s.checksum, row.GetString(4));
    ASSIGN_OR_RETURN(s.created_by, row.GetString(5));
    ASSIGN_OR_RETURN(s.create_time, row.GetTime(6));
    if (crypto::Sha256Hex(s.body) != s.checksum) {
      return absl::DataLossError(absl::StrCat("stored rule set ", s.name, " v", s.version,
                                              " does not match its checksum"));
    }
    return s;
  });
}

}  // namespace gongkai::rules
