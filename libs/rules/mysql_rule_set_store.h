// RuleSetStore on MySQL/MariaDB/TiDB: the table rule_sets of
// migrations/0001_rule_sets.sql, which ships with this library
// (RuleSetStoreMigrations(), rule_set_store_migrations.h).
//
//   auto store = std::make_unique<rules::MySqlRuleSetStore>(pool.get());
//   ASSIGN_OR_RETURN(rules::SyncReport synced, rules::SyncFromStore(*store, *book));
//
// Insert-only: Insert runs INSERT and, when the key exists, compares the stored
// checksum with the new one in the same transaction (equal → no-op, different →
// ALREADY_EXISTS). Errors: the pool's and the driver's (UNAVAILABLE, ...), DATA_LOSS for
// a stored row whose checksum does not match its body.
//
// Thread-safe: each call uses its own lease of `pool`.
#ifndef GONGKAI_LIBS_RULES_MYSQL_RULE_SET_STORE_H_
#define GONGKAI_LIBS_RULES_MYSQL_RULE_SET_STORE_H_

#include <string>
#include <vector>

#include "libs/db/connection_pool.h"
#include "libs/rules/rule_set_store.h"

namespace gongkai::rules {

class MySqlRuleSetStore final : public RuleSetStore {
 public:
  // `pool` is not owned and must outlive the store.
  explicit MySqlRuleSetStore(db::ConnectionPool* pool) : pool_(pool) {}

  absl::StatusOr<bool> Insert(const RuleSet& set, absl::string_view created_by,
                              absl::Time create_time) override;
  absl::StatusOr<std::vector<StoredRuleSet>> List() override;

 private:
  db::ConnectionPool* pool_;
};

}  // namespace gongkai::rules

#endif  // GONGKAI_LIBS_RULES_MYSQL_RULE_SET_STORE_H_
