#include "libs/rules/embedded_rule_sets.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "libs/status/status_macros.h"

namespace gongkai::rules {

absl::StatusOr<int> LoadEmbeddedRuleSets(RuleBook& book) {
  return LoadRuleSetFiles(book, EmbeddedRuleSetFiles());
}

absl::StatusOr<std::shared_ptr<RuleBook>> NewRuleBook(
    std::vector<std::shared_ptr<const RuleSchema>> schemas, const std::string& rules_dir) {
  auto book = std::make_shared<RuleBook>(std::move(schemas));
  RETURN_IF_ERROR(LoadEmbeddedRuleSets(*book).status());
  if (!rules_dir.empty()) {
    absl::StatusOr<int> loaded = LoadRuleSetsFromDirectory(*book, rules_dir);
    if (!loaded.ok()) {
      return absl::Status(loaded.status().code(),
                          absl::StrCat("rules_dir ", rules_dir, ": ", loaded.status().message()));
    }
  }
  return book;
}

}  // namespace gongkai::rules
