// Unit tests of the NAT-10 publication deadlines.
#include "services/catalog/annual_report/deadlines.h"

#include <gtest/gtest.h>

namespace gongkai::catalog::annual_report {
namespace {

TEST(AnnualReportDueTest, DepartmentsAndTownshipsByJanuary31) {
  EXPECT_EQ(AnnualReportDue(2024, v1::UNIT_LEVEL_DEPARTMENT), absl::CivilDay(2025, 1, 31));
  EXPECT_EQ(AnnualReportDue(2024, v1::UNIT_LEVEL_TOWNSHIP), absl::CivilDay(2025, 1, 31));
}

TEST(AnnualReportDueTest, GovernmentsAndTheWholeGovernmentByMarch31) {
  EXPECT_EQ(AnnualReportDue(2024, v1::UNIT_LEVEL_CITY), absl::CivilDay(2025, 3, 31));
  EXPECT_EQ(AnnualReportDue(2024, v1::UNIT_LEVEL_COUNTY), absl::CivilDay(2025, 3, 31));
  EXPECT_EQ(AnnualReportDue(2024, v1::UNIT_LEVEL_UNSPECIFIED), absl::CivilDay(2025, 3, 31));
}

// The statutory dates are fixed dates, not periods: a weekend is not skipped.
TEST(AnnualReportDueTest, WeekendDueDateIsNotMoved) {
  // 2026-01-31 is a Saturday; 2029-03-31 is a Saturday.
  ASSERT_EQ(absl::GetWeekday(absl::CivilDay(2026, 1, 31)), absl::Weekday::saturday);
  EXPECT_EQ(AnnualReportDue(2025, v1::UNIT_LEVEL_DEPARTMENT), absl::CivilDay(2026, 1, 31));
  ASSERT_EQ(absl::GetWeekday(absl::CivilDay(2029, 3, 31)), absl::Weekday::saturday);
  EXPECT_EQ(AnnualReportDue(2028, v1::UNIT_LEVEL_CITY), absl::CivilDay(2029, 3, 31));
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
