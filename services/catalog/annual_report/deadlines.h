// NAT-10 publication deadlines of the annual report (条例 Art. 49, 50), from the
// catalog.annual_report rule set (services/catalog/catalog_rule_sets.h, ADR 0019).
//
// Which bodies report by which day is data: annual_report.government_levels names the
// unit levels whose report is a people's government's (due annual_report.government_due,
// national 03-31); every other unit reports as a department (annual_report.department_due,
// national 01-31). The national reading (docs/services/catalog.md): people's governments
// at every level, townships included, report by Mar 31, their departments by Jan 31; the
// whole-government report (unit 0) is a government's. The dates are fixed dates named by
// the regulation, not periods: they are NOT moved off a weekend or holiday (the NAT-3
// period-end rule applies to periods counted from a start day, which these are not).
//
//   ASSIGN_OR_RETURN(ReportDue due, AnnualReportDue(*book, 2024, v1::UNIT_LEVEL_DEPARTMENT));
//   // due.day == 2025-01-31; due.rule.Explain() names catalog.annual_report v1
//   v1::DeadlineStatus s = DeadlineStatusOf(due.day, published_on, today);
//
// Thread-safety: stateless functions.
#ifndef GONGKAI_SERVICES_CATALOG_ANNUAL_REPORT_DEADLINES_H_
#define GONGKAI_SERVICES_CATALOG_ANNUAL_REPORT_DEADLINES_H_

#include <optional>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "gongkai/catalog/v1/annual_report.pb.h"
#include "gongkai/catalog/v1/catalog.pb.h"
#include "libs/rules/rule_book.h"
#include "libs/rules/rule_set.h"

namespace gongkai::catalog::annual_report {

// Whether a unit of `level` reports as a government under the rule value
// `government_levels` ("city_county_township" or "city_county").
// UNIT_LEVEL_UNSPECIFIED stands for the whole government (unit 0): always a government.
bool ReportsAsGovernment(v1::UnitLevel level, absl::string_view government_levels);

struct ReportDue {
  absl::CivilDay day;
  rules::RuleRef rule;  // The month-day rule that gave `day`.
};

// The last day to publish the report of `year` by a unit of `level`, from the
// catalog.annual_report version in effect on Jan 1 of `year` + 1. FAILED_PRECONDITION
// when no version is in effect then.
absl::StatusOr<ReportDue> AnnualReportDue(const rules::RuleBook& rules, int year,
                                          v1::UnitLevel level);

// NOT_YET_DUE / OVERDUE while unpublished (overdue from the day after `due`);
// PUBLISHED_ON_TIME when published on or before `due`, else PUBLISHED_LATE.
v1::DeadlineStatus DeadlineStatusOf(absl::CivilDay due, std::optional<absl::CivilDay> published_on,
                                    absl::CivilDay today);

}  // namespace gongkai::catalog::annual_report

#endif  // GONGKAI_SERVICES_CATALOG_ANNUAL_REPORT_DEADLINES_H_
