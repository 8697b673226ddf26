#include "libs/rules/rule_set_store.h"

#include <memory>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "libs/rules/rule_set_json.h"
#include "libs/status/status_macros.h"

namespace gongkai::rules {

absl::StatusOr<SyncReport> SyncFromStore(RuleSetStore& store, RuleBook& book) {
  ASSIGN_OR_RETURN(std::vector<StoredRuleSet> stored, store.List());
  SyncReport report;
  for (const StoredRuleSet& row : stored) {
    if (book.SchemaFor(row.name) == nullptr) {
      ++report.skipped;
      continue;
    }
    absl::StatusOr<std::shared_ptr<const RuleSet>> loaded = book.Get(row.name, row.version);
    if (loaded.ok() && RuleSetToJson(**loaded) == row.body) continue;  // The usual case.
    absl::StatusOr<RuleSet> parsed = book.ParseJson(row.body);
    if (!parsed.ok()) {
      report.rejected.push_back(absl::Status(
          parsed.status().code(), absl::StrCat("stored rule set ", row.name, " v", row.version,
                                               ": ", parsed.status().message())));
      continue;
    }
    if (parsed->name != row.name || parsed->version != row.version) {
      report.rejected.push_back(
          absl::DataLossError(absl::StrCat("stored rule set ", row.name, " v", row.version,
                                           " holds ", parsed->name, " v", parsed->version)));
      continue;
    }
    absl::StatusOr<bool> added = book.Put(*std::move(parsed));
    if (!added.ok()) {
      report.rejected.push_back(added.status());
    } else if (*added) {
      ++report.added;
    }
  }
  return report;
}

}  // namespace gongkai::rules
