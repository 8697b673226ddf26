// Where rule-set versions put at run time are kept, so every replica (and this one after
// a restart) computes with the same rules. Insert-only: a stored version is never
// overwritten. The MySQL implementation is mysql_rule_set_store.h; tests can use
// FakeRuleSetStore (fake_rule_set_store.h).
//
//   // PutRuleSet: store first, then apply locally.
//   ASSIGN_OR_RETURN(bool created, store.Insert(set, caller.subject, clock.Now()));
//   ASSIGN_OR_RETURN(bool added, book.Put(set));
//   // Every replica, at start and periodically:
//   ASSIGN_OR_RETURN(SyncReport synced, SyncFromStore(store, book));
//   if (synced.added > 0) RecomputeClocks();
//
// Thread-safety: implementations must allow concurrent calls.
#ifndef GONGKAI_LIBS_RULES_RULE_SET_STORE_H_
#define GONGKAI_LIBS_RULES_RULE_SET_STORE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "libs/rules/rule_book.h"
#include "libs/rules/rule_set.h"

namespace gongkai::rules {

// One stored version.
struct StoredRuleSet {
  std::string name;
  int64_t version = 0;
  absl::CivilDay effective_from;
  std::string body;      // RuleSetToJson (canonical JSON).
  std::string checksum;  // Lower-case hex SHA-256 of body.
  std::string created_by;
  absl::Time create_time;
};

class RuleSetStore {
 public:
  virtual ~RuleSetStore() = default;

  // Stores a validated set. Returns true when stored now, false when the same
  // name+version was already stored with identical content (a repeated call).
  // ALREADY_EXISTS naming name+version when it was stored with other content.
  virtual absl::StatusOr<bool> Insert(const RuleSet& set, absl::string_view created_by,
                                      absl::Time create_time) = 0;

  // Every stored version, by name, then version.
  virtual absl::StatusOr<std::vector<StoredRuleSet>> List() = 0;
};

struct SyncReport {
  int added = 0;  // Versions new to the book.
  // Stored versions of sets the book has no schema for (another service's sets).
  int skipped = 0;
  // Stored versions that do not fit this binary's schema (e.g. written by a newer
  // release) or conflict with a loaded version: one status each, naming the set. They
  // are left out; the others are still applied.
  std::vector<absl::Status> rejected;
};

// Puts into `book` every stored version it lacks. Errors only when the store cannot
// be read; bad rows are reported in SyncReport::rejected.
absl::StatusOr<SyncReport> SyncFromStore(RuleSetStore& store, RuleBook& book);

}  // namespace gongkai::rules

#endif  // GONGKAI_LIBS_RULES_RULE_SET_STORE_H_
