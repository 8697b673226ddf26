// The schema of the rule_sets table (migrations/0001_rule_sets.sql), shipped with the
// library (target gongkai_rules_mysql) so no service copies it. The definition is
// generated from libs/rules/migrations by
// gongkai_embed_migrations(gongkai_rules_mysql ... FUNCTION
// gongkai::rules::RuleSetStoreMigrations). A service hands it to db::Migrator as a library
// migration set, applied before its own:
//
//   db::Migrator migrator(pool.get(), {rules::RuleSetStoreMigrationSet()},
//                         db::EmbeddedMigrations());
//
// Thread-safe; each call builds a fresh vector.
#ifndef GONGKAI_LIBS_RULES_RULE_SET_STORE_MIGRATIONS_H_
#define GONGKAI_LIBS_RULES_RULE_SET_STORE_MIGRATIONS_H_

#include <vector>

#include "libs/db/migrator.h"

namespace gongkai::rules {

std::vector<db::Migration> RuleSetStoreMigrations();

// The same under the component name "rule_sets".
inline db::MigrationSet RuleSetStoreMigrationSet() {
  return db::MigrationSet{"rule_sets", RuleSetStoreMigrations()};
}

}  // namespace gongkai::rules

#endif  // GONGKAI_LIBS_RULES_RULE_SET_STORE_MIGRATIONS_H_
