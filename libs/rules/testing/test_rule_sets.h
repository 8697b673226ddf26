// JSON texts of test.openness sets (testing/test_rule_schema.h) for the tests of
// libs/rules: a valid version, and edits of it. Test-only.
#ifndef GONGKAI_LIBS_RULES_TESTING_TEST_RULE_SETS_H_
#define GONGKAI_LIBS_RULES_TESTING_TEST_RULE_SETS_H_

#include <cstdint>
#include <functional>
#include <string>

#include "nlohmann/json.hpp"

namespace gongkai::rules::testing {

// A valid test.openness set with every rule; `edit` may change the JSON before it is
// written out.
inline std::string TestRuleSetJson(int64_t version, const std::string& effective_from,
                                   const std::function<void(nlohmann::json&)>& edit = nullptr) {
  nlohmann::json j = nlohmann::json::parse(R"json({
    "name": "test.openness", "version": 1, "effective_from": "2019-05-15",
    "basis": "《政府信息公开条例》(2019)",
    "rules": {
      "publication.working_days": {"value": 20, "unit": "working_days"},
      "comments.calendar_days": {"value": 30},
      "opinion.authoritative": {"value": "5h"},
      "assessment.openness_weight": {"value": 4},
      "fee.by_pages": {"value": [{"from": 1, "value": 0}, {"from": 31, "value": 10},
                                 {"from": 101, "value": 20}, {"from": 201, "value": 40}]},
      "annual_report.department_due": {"value": "01-31"},
      "annual_report.first_filer": {"value": "departments"}
    }})json");
  j["version"] = version;
  j["effective_from"] = effective_from;
  if (edit) edit(j);
  return j.dump(2);
}

}  // namespace gongkai::rules::testing

#endif  // GONGKAI_LIBS_RULES_TESTING_TEST_RULE_SETS_H_
