// Unit tests of the calendar administration (NAT-1): a mock repository, the real
// working-day calendar and a fake clock.
#include "services/catalog/calendars/calendar_admin.h"

#include <memory>
#include <optional>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/calendar/working_day_calendar.h"
#include "libs/calendar/year_calendar.h"
#include "libs/status/errors.h"
#include "services/catalog/calendars/mock_calendar_repository.h"
#include "services/catalog/catalog_test_support.h"

namespace gongkai::catalog::calendars {
namespace {

using catalog_testing::Office;
using catalog_testing::ShanghaiTime;
using ::testing::_;
using ::testing::DoAll;
using ::testing::HasSubstr;
using ::testing::NiceMock;
using ::testing::Return;
using ::testing::ReturnArg;
using ::testing::SaveArg;

class CalendarAdminTest : public ::testing::Test {
 protected:
  CalendarAdminTest() : clock_(ShanghaiTime(2024, 9, 30)) {
    calendar_ = *calendar::NewBuiltinCalendar();
    admin_ = std::make_unique<CalendarAdmin>(&repo_, calendar_, &clock_);
  }

  NiceMock<MockCalendarRepository> repo_;
  FakeClock clock_;
  std::shared_ptr<calendar::WorkingDayCalendar> calendar_;
  std::unique_ptr<CalendarAdmin> admin_;
};

// NAT-1: a newly published year is loaded at run time, stored for every replica, and
// the deadlines are recomputed in the background.
TEST_F(CalendarAdminTest, Nat1AdminLoadsANewYearForEveryReplica) {
  calendar::YearCalendar year;
  year.year = 2027;
  year.version = "test-2027.1";
  year.source = "测试用日历（非官方）";
  year.source_title = "测试";
  year.published = "2026-11-01";
  year.holidays.push_back({absl::CivilDay(2027, 1, 1), "元旦"});
  v1::PutCalendarYearRequest request;
  request.set_year(2027);
  request.set_calendar_json(calendar::YearCalendarToJson(year));
  auth::Principal admin{"root", std::nullopt, {auth::Role::kAdmin}, {}};

  EXPECT_EQ(admin_->PutCalendarYear(Office(), request).status().code(),
            absl::StatusCode::kPermissionDenied);
  StoredCalendarYear saved;
  EXPECT_CALL(repo_, SaveCalendarYear(_, "root", _))
      .WillOnce(DoAll(SaveArg<0>(&saved), ReturnArg<0>()));
  absl::StatusOr<v1::CalendarYear> loaded = admin_->PutCalendarYear(admin, request);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ(saved.version, "test-2027.1");
  EXPECT_TRUE(loaded->recompute_scheduled());
  EXPECT_TRUE(admin_->TakeRecomputeRequest());
  EXPECT_FALSE(admin_->TakeRecomputeRequest());
  EXPECT_TRUE(calendar_->IsWorkingDay(absl::CivilDay(2027, 1, 4)).ok());
  absl::StatusOr<v1::ListCalendarYearsResponse> years =
      admin_->ListCalendarYears(auth::Principal::Anonymous(), {});
  ASSERT_TRUE(years.ok());
  ASSERT_EQ(years->years_size(), 4);
  EXPECT_EQ(years->years(0).origin(), "builtin");
  EXPECT_EQ(years->years(3).origin(), "database");

  // The same version with other data is an amendment without a new version: refused.
  year.holidays.push_back({absl::CivilDay(2027, 1, 4), "元旦"});
  request.set_calendar_json(calendar::YearCalendarToJson(year));
  EXPECT_EQ(admin_->PutCalendarYear(admin, request).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

// NAT-1, issue 16 defect 1: two PUTs of one version with different data on two
// replicas. The database keeps the first (compare-and-set); the replica that lost
// applies what the database holds, not what it was sent, and refuses the request.
TEST_F(CalendarAdminTest, Nat1RaceOnOneVersionAppliesWhatTheDatabaseHolds) {
  calendar::YearCalendar first;
  first.year = 2027;
  first.version = "test-2027.1";
  first.source = "测试用日历（非官方）";
  first.source_title = "测试";
  first.published = "2026-11-01";
  first.holidays.push_back({absl::CivilDay(2027, 1, 1), "元旦"});
  calendar::YearCalendar other = first;  // Same version, Jan 4 a holiday too.
  other.holidays.push_back({absl::CivilDay(2027, 1, 4), "元旦"});
  // The other replica stored `first` a moment ago; this one has not synced yet.
  EXPECT_CALL(repo_, SaveCalendarYear(_, "root", _))
      .WillOnce(
          Return(StoredCalendarYear{2027, "test-2027.1", calendar::YearCalendarToJson(first)}));
  v1::PutCalendarYearRequest request;
  request.set_year(2027);
  request.set_calendar_json(calendar::YearCalendarToJson(other));
  auth::Principal admin{"root", std::nullopt, {auth::Role::kAdmin}, {}};

  const absl::Status status = admin_->PutCalendarYear(admin, request).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(status.message()), HasSubstr("stored with other data"));
  // This replica computes on the database's data: Jan 4 2027 (a Monday) is a working day.
  absl::StatusOr<calendar::YearCalendar> applied = calendar_->Year(2027);
  ASSERT_TRUE(applied.ok());
  EXPECT_TRUE(*applied == first);
  absl::StatusOr<bool> jan4 = calendar_->IsWorkingDay(absl::CivilDay(2027, 1, 4));
  ASSERT_TRUE(jan4.ok());
  EXPECT_TRUE(*jan4);
  EXPECT_TRUE(admin_->TakeRecomputeRequest());  // The year changed on this replica.
}

TEST_F(CalendarAdminTest, Nat1BadCalendarJsonNamesTheFieldAndStoresNothing) {
  EXPECT_CALL(repo_, SaveCalendarYear(_, _, _)).Times(0);
  auth::Principal admin{"root", std::nullopt, {auth::Role::kAdmin}, {}};
  v1::PutCalendarYearRequest request;
  request.set_year(2027);
  request.set_calendar_json("{\"year\": 2027}");
  absl::Status status = admin_->PutCalendarYear(admin, request).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  ASSERT_FALSE(FieldViolationsOf(status).empty());
  EXPECT_EQ(FieldViolationsOf(status)[0].field, "calendar_json");
  // A calendar for another year than the one in the path.
  request.set_year(2028);
  request.set_calendar_json(calendar::YearCalendarToJson(*calendar_->Year(2025)));
  EXPECT_THAT(std::string(admin_->PutCalendarYear(admin, request).status().message()),
              HasSubstr("not the year in the path"));
}

}  // namespace
}  // namespace gongkai::catalog::calendars
