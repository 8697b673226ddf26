// A schema with one rule of every type, for the tests of libs/rules; the data of its
// built-in versions is testdata/rules/*.json. Test-only.
#ifndef GONGKAI_LIBS_RULES_TESTING_TEST_RULE_SCHEMA_H_
#define GONGKAI_LIBS_RULES_TESTING_TEST_RULE_SCHEMA_H_

#include <memory>

#include "absl/time/time.h"
#include "libs/rules/rule_schema.h"

namespace gongkai::rules::testing {

inline std::shared_ptr<const RuleSchema> TestRuleSchema() {
  static const auto* const schema =
      new std::shared_ptr<const RuleSchema>(std::make_shared<const RuleSchema>(
          "test.openness",
          std::vector<RuleSpec>{
              RuleSpec::Integer("publication.working_days", Unit::kWorkingDays, {1, 60}, "CAT-3",
                                "proactive content is published within this period"),
              RuleSpec::Integer("comments.calendar_days", Unit::kCalendarDays, {7, 90}, "NAT-11",
                                "public comment period of a major decision"),
              RuleSpec::Duration("opinion.authoritative", {absl::Minutes(10), absl::Hours(48)},
                                 "OPI-4", "authoritative information is released within"),
              RuleSpec::Decimal("assessment.openness_weight", Unit::kPercent, {4, 100}, "ASM-1",
                                "share of openness in a unit's assessment score"),
              RuleSpec::Tiers("fee.by_pages", Unit::kPages, Unit::kYuan, {0, 1000}, "NAT-9",
                              "price per page by the number of pages"),
              RuleSpec::MonthDay("annual_report.department_due", "NAT-10",
                                 "departments publish the annual report by"),
              RuleSpec::Text("annual_report.first_filer", {"departments", "governments"}, "NAT-10",
                             "who reports first"),
          }));
  return *schema;
}

}  // namespace gongkai::rules::testing

#endif  // GONGKAI_LIBS_RULES_TESTING_TEST_RULE_SCHEMA_H_
