#include "services/opinion/opinion_rule_sets.h"

#include <string>
#include <vector>

#include "absl/time/time.h"

namespace gongkai::opinion {
namespace {

using rules::RuleSpec;

std::vector<std::string> GradeChoices() {
  return {kGradesEspeciallyMajor, kGradesMajorAndAbove, kGradesGeneralAndAbove, kGradesGeneralOnly,
          kGradesNone};
}

// One clock: its period on the wall clock (OPI-4/NAT-12: nights and holidays count) and
// the grades it applies to.
void AddClock(std::vector<RuleSpec>& specs, const std::string& clock, const std::string& what) {
  specs.push_back(RuleSpec::Duration(clock + ".period", {absl::Minutes(10), absl::Hours(168)},
                                     "OPI-4", what + " within"));
  specs.push_back(RuleSpec::Text(clock + ".grades", GradeChoices(), "OPI-4",
                                 "the grades the " + clock + " clock applies to"));
}

}  // namespace

std::shared_ptr<const rules::RuleSchema> ClockRuleSchema() {
  static const auto* const schema = [] {
    std::vector<RuleSpec> specs;
    AddClock(specs, "known_facts", "known facts are released");
    AddClock(specs, "authoritative", "authoritative information is released");
    AddClock(specs, "press_conference",
             "a press conference is held (heavy casualties or wide impact)");
    AddClock(specs, "general_response", "government-related opinion is answered");
    specs.push_back(RuleSpec::Integer("due_soon.remaining_percent", rules::Unit::kPercent, {1, 90},
                                      "OPI-4",
                                      "a clock is due soon when this share of it is left"));
    return new std::shared_ptr<const rules::RuleSchema>(
        std::make_shared<const rules::RuleSchema>(kClockRuleSet, std::move(specs)));
  }();
  return *schema;
}

std::shared_ptr<const rules::RuleSchema> RoutingRuleSchema() {
  static const auto* const schema = [] {
    const std::vector<std::string> responsible = {kCityDepartment, kLocalDepartment,
                                                  kDepartmentOneLevelUp};
    std::vector<RuleSpec> specs = {
        RuleSpec::Text("routing.city_policy", responsible, "OPI-2",
                       "who answers a major city policy (or a city-wide matter)"),
        RuleSpec::Text("routing.local_matter", responsible, "OPI-2",
                       "who answers a matter of one district or county"),
        RuleSpec::Text("routing.several_localities", responsible, "OPI-2",
                       "who answers a matter of several districts or counties"),
        RuleSpec::Text("routing.several_departments.lead", {kLeadFirstListed, kLeadHighestLevel},
                       "OPI-2", "which of several responsible units leads")};
    return new std::shared_ptr<const rules::RuleSchema>(
        std::make_shared<const rules::RuleSchema>(kRoutingRuleSet, std::move(specs)));
  }();
  return *schema;
}

}  // namespace gongkai::opinion
