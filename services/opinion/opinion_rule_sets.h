// The opinion service's rule sets (libs/rules, ADR 0019): the schemas of the numbers and
// choices it computes with, declared here with their requirement IDs; the values are
// data in services/opinion/rules/*.json (embedded in gongkai-opinion; a new version is
// put at run time with `gongkai-rules put FILE`, docs/services/opinion.md).
//
//   opinion.clocks   <clock>.period (wall-clock duration), <clock>.grades (which grades
//                    the clock applies to), due_soon.remaining_percent      OPI-4, NAT-12
//   opinion.routing  routing.city_policy, routing.local_matter,
//                    routing.several_localities (who is responsible in each situation),
//                    routing.several_departments.lead (which of several leads)  OPI-2
//
// Callers read the version in effect on the day the event was first seen (Asia/Shanghai)
// and cite the rules they used in the result (EventClock.rule, Responsibility.rule_citation).
//
// Thread-safety: the schemas are immutable.
#ifndef GONGKAI_SERVICES_OPINION_OPINION_RULE_SETS_H_
#define GONGKAI_SERVICES_OPINION_OPINION_RULE_SETS_H_

#include <memory>

#include "libs/rules/rule_schema.h"

namespace gongkai::opinion {

inline constexpr char kClockRuleSet[] = "opinion.clocks";
inline constexpr char kRoutingRuleSet[] = "opinion.routing";

// Grades a clock applies to ("<clock>.grades").
inline constexpr char kGradesEspeciallyMajor[] = "especially_major";
inline constexpr char kGradesMajorAndAbove[] = "major_and_above";
inline constexpr char kGradesGeneralAndAbove[] = "general_and_above";
inline constexpr char kGradesGeneralOnly[] = "general_only";
inline constexpr char kGradesNone[] = "none";

// Who is responsible (routing.city_policy, .local_matter, .several_localities).
inline constexpr char kCityDepartment[] = "city_department";
inline constexpr char kLocalDepartment[] = "local_department";
inline constexpr char kDepartmentOneLevelUp[] = "department_one_level_up";
// Which of several responsible units leads (routing.several_departments.lead).
inline constexpr char kLeadFirstListed[] = "first_listed";
inline constexpr char kLeadHighestLevel[] = "highest_level";

std::shared_ptr<const rules::RuleSchema> ClockRuleSchema();
std::shared_ptr<const rules::RuleSchema> RoutingRuleSchema();

}  // namespace gongkai::opinion

#endif  // GONGKAI_SERVICES_OPINION_OPINION_RULE_SETS_H_
