// Where a process's working-day calendar gets the years loaded at run time (NAT-1).
//
// The suite has one calendar owner, the catalog: it stores the years loaded with
// PutCalendarYear in its database, and its source reads them from there. Every other
// service's source reads the owner's years over gRPC (remote_calendar_source.h). The
// service bootstrap (libs/server/service_runner.h) calls Sync() before the process
// reports SERVING and then once every refresh period, and tells the service when a year
// changed so it can recompute the deadlines it stores.
//
// Thread-safety: Sync() is called from one thread at a time.
#ifndef GONGKAI_LIBS_CALENDAR_CALENDAR_SOURCE_H_
#define GONGKAI_LIBS_CALENDAR_CALENDAR_SOURCE_H_

#include "absl/status/statusor.h"
#include "libs/calendar/working_day_calendar.h"

namespace gongkai::calendar {

class CalendarSource {
 public:
  virtual ~CalendarSource() = default;

  // Brings `calendar` up to date with the source: loads the years it lacks and replaces
  // those whose version changed, all or nothing. Returns how many years changed (0 when
  // it was current). UNAVAILABLE / DEADLINE_EXCEEDED when the source cannot be reached
  // (the caller retries), DATA_LOSS when the source's data does not parse,
  // FAILED_PRECONDITION when a year's data changed without a new version.
  virtual absl::StatusOr<int> Sync(WorkingDayCalendar& calendar) = 0;
};

}  // namespace gongkai::calendar

#endif  // GONGKAI_LIBS_CALENDAR_CALENDAR_SOURCE_H_
