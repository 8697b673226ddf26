// Test support: the assessment's RuleBook with the very scheme files gongkai-assessment
// ships (services/assessment/rules), for tests whose binary embeds them
// (gongkai_embed_rule_sets(<test> ${ASSESSMENT_RULES_DIR})). Header-only.
#ifndef GONGKAI_SERVICES_ASSESSMENT_ASSESSMENT_TESTING_H_
#define GONGKAI_SERVICES_ASSESSMENT_ASSESSMENT_TESTING_H_

#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>

#include "libs/rules/embedded_rule_sets.h"
#include "libs/rules/rule_book.h"
#include "services/assessment/scheme.h"

namespace gongkai::assessment::testing {

inline std::shared_ptr<rules::RuleBook> SchemeBook() {
  absl::StatusOr<std::shared_ptr<rules::RuleBook>> book =
      rules::NewRuleBook({SchemeRuleSchema()}, "");
  if (!book.ok()) {
    std::cerr << "assessment rule sets do not load: " << book.status() << "\n";
    std::abort();
  }
  return *book;
}

// The shipped v1 scheme's JSON with `replacements` applied to its text (each a pair of
// exact strings), as a new version effective from `effective_from`.
inline std::string SchemeVersionJson(
    int version, const std::string& effective_from,
    const std::vector<std::pair<std::string, std::string>>& replacements) {
  const std::vector<rules::RuleSetFile>& files = rules::EmbeddedRuleSetFiles();
  std::string json;
  for (const rules::RuleSetFile& file : files) {
    if (file.name.find("assessment.scheme.v1") != std::string::npos) json = file.contents;
  }
  auto replace = [&](const std::string& from, const std::string& to) {
    const size_t at = json.find(from);
    if (at == std::string::npos) {
      std::cerr << "scheme text lacks " << from << "\n";
      std::abort();
    }
    json.replace(at, from.size(), to);
  };
  replace("\"version\": 1", "\"version\": " + std::to_string(version));
  replace("\"effective_from\": \"2020-01-01\"", "\"effective_from\": \"" + effective_from + "\"");
  for (const auto& [from, to] : replacements) replace(from, to);
  return json;
}

}  // namespace gongkai::assessment::testing

#endif  // GONGKAI_SERVICES_ASSESSMENT_ASSESSMENT_TESTING_H_
