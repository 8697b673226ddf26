// NAT-10 publication deadlines of the annual report (条例 Art. 49, 50).
//
// Every administrative body — departments, and township governments, which are not
// "county level and above" — publishes its own report by Jan 31 of the following year;
// a city or county government's report of the government as a whole (and the whole-
// government report, unit 0) is due by Mar 31. The dates are fixed dates named by the
// regulation, not periods: they are NOT moved off a weekend or holiday (the NAT-3
// period-end rule applies to periods counted from a start day, which these are not).
//
//   absl::CivilDay due = AnnualReportDue(2024, v1::UNIT_LEVEL_DEPARTMENT);  // 2025-01-31
//   v1::DeadlineStatus s = DeadlineStatusOf(due, published_on, today);
//
// Thread-safety: stateless functions.
#ifndef GONGKAI_SERVICES_CATALOG_ANNUAL_REPORT_DEADLINES_H_
#define GONGKAI_SERVICES_CATALOG_ANNUAL_REPORT_DEADLINES_H_

#include <optional>

#include "absl/time/civil_time.h"
#include "gongkai/catalog/v1/annual_report.pb.h"
#include "gongkai/catalog/v1/catalog.pb.h"

namespace gongkai::catalog::annual_report {

// Whether a unit of `level` reports as a government (Mar 31). UNIT_LEVEL_UNSPECIFIED
// stands for the whole government (unit 0).
bool ReportsAsGovernment(v1::UnitLevel level);

// The last day to publish the report of `year`.
absl::CivilDay AnnualReportDue(int year, v1::UnitLevel level);

// NOT_YET_DUE / OVERDUE while unpublished (overdue from the day after `due`);
// PUBLISHED_ON_TIME when published on or before `due`, else PUBLISHED_LATE.
v1::DeadlineStatus DeadlineStatusOf(absl::CivilDay due, std::optional<absl::CivilDay> published_on,
                                    absl::CivilDay today);

}  // namespace gongkai::catalog::annual_report

#endif  // GONGKAI_SERVICES_CATALOG_ANNUAL_REPORT_DEADLINES_H_
