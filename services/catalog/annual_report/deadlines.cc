#include "services/catalog/annual_report/deadlines.h"

#include <memory>

#include "libs/status/status_macros.h"
#include "services/catalog/catalog_rule_sets.h"

namespace gongkai::catalog::annual_report {

bool ReportsAsGovernment(v1::UnitLevel level, absl::string_view government_levels) {
  switch (level) {
    case v1::UNIT_LEVEL_UNSPECIFIED:  // The whole government.
    case v1::UNIT_LEVEL_CITY:
    case v1::UNIT_LEVEL_COUNTY:
      return true;
    case v1::UNIT_LEVEL_TOWNSHIP:
      return government_levels == "city_county_township";
    default:
      return false;
  }
}

absl::StatusOr<ReportDue> AnnualReportDue(const rules::RuleBook& rules, int year,
                                          v1::UnitLevel level) {
  const absl::CivilDay reporting_starts(year + 1, 1, 1);
  ASSIGN_OR_RETURN(std::shared_ptr<const rules::RuleSet> set,
                   rules.EffectiveOn(kAnnualReportRuleSet, reporting_starts));
  ASSIGN_OR_RETURN(rules::Cited<std::string> levels, set->Text("annual_report.government_levels"));
  ASSIGN_OR_RETURN(
      rules::Cited<rules::MonthDay> due,
      set->MonthDayOf(ReportsAsGovernment(level, levels.value) ? "annual_report.government_due"
                                                               : "annual_report.department_due"));
  return ReportDue{absl::CivilDay(year + 1, due.value.month, due.value.day), std::move(due.rule)};
}

v1::DeadlineStatus DeadlineStatusOf(absl::CivilDay due, std::optional<absl::CivilDay> published_on,
                                    absl::CivilDay today) {
  if (published_on.has_value()) {
    return *published_on <= due ? v1::DEADLINE_PUBLISHED_ON_TIME : v1::DEADLINE_PUBLISHED_LATE;
  }
  return today > due ? v1::DEADLINE_OVERDUE : v1::DEADLINE_NOT_YET_DUE;
}

}  // namespace gongkai::catalog::annual_report
