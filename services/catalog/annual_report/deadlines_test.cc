// Unit tests of the NAT-10 publication deadlines, computed with the shipped
// catalog.annual_report rule set (services/catalog/rules) and test versions.
#include "services/catalog/annual_report/deadlines.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>

#include "services/catalog/catalog_rule_sets_testing.h"

namespace gongkai::catalog::annual_report {
namespace {

using ::testing::HasSubstr;

class AnnualReportDueTest : public ::testing::Test {
 protected:
  absl::CivilDay Due(int year, v1::UnitLevel level) {
    absl::StatusOr<ReportDue> due = AnnualReportDue(*rules_, year, level);
    EXPECT_TRUE(due.ok()) << due.status();
    return due.ok() ? due->day : absl::CivilDay();
  }
  std::shared_ptr<rules::RuleBook> rules_ = catalog_testing::NationalRuleBook();
};

TEST_F(AnnualReportDueTest, Nat10DepartmentsByJanuary31) {
  EXPECT_EQ(Due(2024, v1::UNIT_LEVEL_DEPARTMENT), absl::CivilDay(2025, 1, 31));
}

// NAT-10: people's governments at every level, townships included, by Mar 31 (the
// national reading, docs/services/catalog.md).
TEST_F(AnnualReportDueTest, Nat10GovernmentsTownshipsIncludedAndTheWholeGovernmentByMarch31) {
  EXPECT_EQ(Due(2024, v1::UNIT_LEVEL_CITY), absl::CivilDay(2025, 3, 31));
  EXPECT_EQ(Due(2024, v1::UNIT_LEVEL_COUNTY), absl::CivilDay(2025, 3, 31));
  EXPECT_EQ(Due(2024, v1::UNIT_LEVEL_TOWNSHIP), absl::CivilDay(2025, 3, 31));
  EXPECT_EQ(Due(2024, v1::UNIT_LEVEL_UNSPECIFIED), absl::CivilDay(2025, 3, 31));
}

// NAT-10: the due date names the rule set, version and rule that gave it.
TEST_F(AnnualReportDueTest, Nat10DueDateCitesItsRule) {
  absl::StatusOr<ReportDue> due = AnnualReportDue(*rules_, 2024, v1::UNIT_LEVEL_DEPARTMENT);
  ASSERT_TRUE(due.ok()) << due.status();
  EXPECT_THAT(due->rule.Explain(), HasSubstr("catalog.annual_report v1"));
  EXPECT_THAT(due->rule.Explain(), HasSubstr("annual_report.department_due"));
  EXPECT_THAT(due->rule.Explain(), HasSubstr("NAT-10"));
}

// NAT-10 as data: a version from 2026 on that treats townships as departments and moves
// the departments' day applies to the reports due after it, not to earlier years.
TEST_F(AnnualReportDueTest, Nat10AVersionChangesWhichLevelsReportByWhichDayFromItsDate) {
  catalog_testing::PutRuleSet(*rules_, R"({"name": "catalog.annual_report", "version": 2,
      "effective_from": "2026-01-01", "basis": "test: townships as departments",
      "rules": {"annual_report.department_due": {"value": "02-15"},
                "annual_report.government_due": {"value": "03-31"},
                "annual_report.government_levels": {"value": "city_county"}}})");
  EXPECT_EQ(Due(2025, v1::UNIT_LEVEL_TOWNSHIP), absl::CivilDay(2026, 2, 15));
  EXPECT_EQ(Due(2025, v1::UNIT_LEVEL_DEPARTMENT), absl::CivilDay(2026, 2, 15));
  EXPECT_EQ(Due(2025, v1::UNIT_LEVEL_COUNTY), absl::CivilDay(2026, 3, 31));
  // The 2024 report is due in 2025, under v1.
  EXPECT_EQ(Due(2024, v1::UNIT_LEVEL_TOWNSHIP), absl::CivilDay(2025, 3, 31));
}

// The statutory dates are fixed dates, not periods: a weekend is not skipped.
TEST_F(AnnualReportDueTest, Nat10WeekendDueDateIsNotMoved) {
  // 2026-01-31 is a Saturday; 2029-03-31 is a Saturday.
  ASSERT_EQ(absl::GetWeekday(absl::CivilDay(2026, 1, 31)), absl::Weekday::saturday);
  EXPECT_EQ(Due(2025, v1::UNIT_LEVEL_DEPARTMENT), absl::CivilDay(2026, 1, 31));
  ASSERT_EQ(absl::GetWeekday(absl::CivilDay(2029, 3, 31)), absl::Weekday::saturday);
  EXPECT_EQ(Due(2028, v1::UNIT_LEVEL_CITY), absl::CivilDay(2029, 3, 31));
}

TEST(DeadlineStatusTest, UnpublishedIsOverdueFromTheDayAfterTheDueDate) {
  const absl::CivilDay due(2025, 1, 31);
  EXPECT_EQ(DeadlineStatusOf(due, std::nullopt, absl::CivilDay(2025, 1, 31)),
            v1::DEADLINE_NOT_YET_DUE);
  EXPECT_EQ(DeadlineStatusOf(due, std::nullopt, absl::CivilDay(2025, 2, 1)), v1::DEADLINE_OVERDUE);
}

TEST(DeadlineStatusTest, PublishedOnTheDueDateIsOnTimeAndAfterItLate) {
  const absl::CivilDay due(2025, 3, 31);
  EXPECT_EQ(DeadlineStatusOf(due, absl::CivilDay(2025, 3, 31), absl::CivilDay(2025, 6, 1)),
            v1::DEADLINE_PUBLISHED_ON_TIME);
  EXPECT_EQ(DeadlineStatusOf(due, absl::CivilDay(2025, 4, 1), absl::CivilDay(2025, 6, 1)),
            v1::DEADLINE_PUBLISHED_LATE);
}

}  // namespace
}  // namespace gongkai::catalog::annual_report
