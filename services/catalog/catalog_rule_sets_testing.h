// Test support: the catalog's RuleBook with the very rule-set files gongkai-catalog ships
// (services/catalog/rules), for tests whose binary embeds them:
//
//   gongkai_embed_rule_sets(<test target> ${CATALOG_RULES_DIR})   # CMakeLists.txt
//   std::shared_ptr<rules::RuleBook> book = catalog_testing::NationalRuleBook();
//
// A test of another number puts its own version into the book (rules::RuleBook::Put).
// Header-only test support.
#ifndef GONGKAI_SERVICES_CATALOG_CATALOG_RULE_SETS_TESTING_H_
#define GONGKAI_SERVICES_CATALOG_CATALOG_RULE_SETS_TESTING_H_

#include <cstdlib>
#include <iostream>
#include <memory>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "libs/rules/embedded_rule_sets.h"
#include "libs/rules/rule_book.h"
#include "services/catalog/catalog_rule_sets.h"

namespace gongkai::catalog::catalog_testing {

// The catalog's schemas with the embedded national sets; aborts when they do not load
// (a defect of the data files).
inline std::shared_ptr<rules::RuleBook> NationalRuleBook() {
  absl::StatusOr<std::shared_ptr<rules::RuleBook>> book =
      rules::NewRuleBook(CatalogRuleSchemas(), "");
  if (!book.ok()) {
    std::cerr << "catalog rule sets do not load: " << book.status() << "\n";
    std::abort();
  }
  return *book;
}

// Parses and puts one version given as JSON; aborts on error (a defect of the test).
inline void PutRuleSet(rules::RuleBook& book, absl::string_view json) {
  absl::StatusOr<rules::RuleSet> set = book.ParseJson(json);
  absl::StatusOr<bool> put = set.ok() ? book.Put(*std::move(set)) : set.status();
  if (!put.ok()) {
    std::cerr << "test rule set does not load: " << put.status() << "\n";
    std::abort();
  }
}

}  // namespace gongkai::catalog::catalog_testing

#endif  // GONGKAI_SERVICES_CATALOG_CATALOG_RULE_SETS_TESTING_H_
