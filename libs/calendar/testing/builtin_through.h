// For tests of what happens when a year's calendar is not loaded (NAT-1: pending
// deadlines): the built-in calendars up to and including `last_year` only, so the test
// keeps its missing year when libs/calendar/data gains the next year's notice.
//
//   absl::StatusOr<std::shared_ptr<WorkingDayCalendar>> cal = BuiltinCalendarThrough(2026);
//   // 2027 is not loaded, whatever the built-in data holds.
#ifndef GONGKAI_LIBS_CALENDAR_TESTING_BUILTIN_THROUGH_H_
#define GONGKAI_LIBS_CALENDAR_TESTING_BUILTIN_THROUGH_H_

#include <memory>

#include "absl/status/statusor.h"
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

}  // namespace gongkai::calendar::testing

#endif  // GONGKAI_LIBS_CALENDAR_TESTING_BUILTIN_THROUGH_H_
