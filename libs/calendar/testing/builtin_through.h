// For tests of what happens when a year's calendar is not loaded (NAT-1: pending
// deadlines), and then is: the built-in calendars up to and including `last_year` only,
// so the test keeps its missing year when libs/calendar/data gains the next year's
// notice; and a stand-in year to load afterwards, which is never a real notice.
//
//   absl::StatusOr<std::shared_ptr<WorkingDayCalendar>> cal = BuiltinCalendarThrough(2026);
//   // 2027 is not loaded, whatever the built-in data holds.
//   ASSERT_TRUE((*cal)->LoadYear(TestYear(2027, {{absl::CivilDay(2027, 1, 1), "元旦"}})).ok());
#ifndef GONGKAI_LIBS_CALENDAR_TESTING_BUILTIN_THROUGH_H_
#define GONGKAI_LIBS_CALENDAR_TESTING_BUILTIN_THROUGH_H_

#include <memory>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "libs/calendar/working_day_calendar.h"
#include "libs/status/status_macros.h"

namespace gongkai::calendar::testing {

inline absl::StatusOr<std::shared_ptr<WorkingDayCalendar>> BuiltinCalendarThrough(int last_year) {
  ASSIGN_OR_RETURN(std::shared_ptr<WorkingDayCalendar> builtin, NewBuiltinCalendar());
  auto through = std::make_shared<WorkingDayCalendar>();
  for (YearCalendar& year : builtin->Years()) {
    if (year.year <= last_year) RETURN_IF_ERROR(through->LoadYear(std::move(year)));
  }
  return through;
}

// Test data, not a real notice: `year` with weekends as usual and only `holidays` off,
// version "test-<year>.1", a source that says it is not real data.
inline YearCalendar TestYear(int year, std::vector<Holiday> holidays) {
  YearCalendar calendar;
  calendar.year = year;
  calendar.version = absl::StrCat("test-", year, ".1");
  calendar.source = absl::StrCat("test notice ", year, " (not real data)");
  calendar.holidays = std::move(holidays);
  return calendar;
}

}  // namespace gongkai::calendar::testing

#endif  // GONGKAI_LIBS_CALENDAR_TESTING_BUILTIN_THROUGH_H_
