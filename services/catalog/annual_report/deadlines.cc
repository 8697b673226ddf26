#include "services/catalog/annual_report/deadlines.h"

namespace gongkai::catalog::annual_report {

bool ReportsAsGovernment(v1::UnitLevel level) {
  return level == v1::UNIT_LEVEL_CITY || level == v1::UNIT_LEVEL_COUNTY ||
         level == v1::UNIT_LEVEL_UNSPECIFIED;
}

absl::CivilDay AnnualReportDue(int year, v1::UnitLevel level) {
  return ReportsAsGovernment(level) ? absl::CivilDay(year + 1, 3, 31)
                                    : absl::CivilDay(year + 1, 1, 31);
}

v1::DeadlineStatus DeadlineStatusOf(absl::CivilDay due, std::optional<absl::CivilDay> published_on,
                                    absl::CivilDay today) {
  if (published_on.has_value()) {
    return *published_on <= due ? v1::DEADLINE_PUBLISHED_ON_TIME : v1::DEADLINE_PUBLISHED_LATE;
  }
  return today > due ? v1::DEADLINE_OVERDUE : v1::DEADLINE_NOT_YET_DUE;
}

}  // namespace gongkai::catalog::annual_report
