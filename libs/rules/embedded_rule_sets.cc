#include "libs/rules/embedded_rule_sets.h"

namespace gongkai::rules {

absl::StatusOr<int> LoadEmbeddedRuleSets(RuleBook& book) {
  return LoadRuleSetFiles(book, EmbeddedRuleSetFiles());
}

}  // namespace gongkai::rules
