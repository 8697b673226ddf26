// The calendars module's rules: listing the working-day calendars in use and loading an
// official year calendar at run time (NAT-1), stored so every replica applies it.
//
// Pure C++ over CalendarRepository and the shared WorkingDayCalendar: no gRPC, no SQL.
// Only administrators load calendars (PERMISSION_DENIED otherwise); INVALID_ARGUMENT
// names the bad field; FAILED_PRECONDITION for an amended calendar under a version
// already loaded. A change sets a recompute request that the service's background loop
// takes (TakeRecomputeRequest) to recompute stored deadlines.
// Thread-safe.
#ifndef GONGKAI_SERVICES_CATALOG_CALENDARS_CALENDAR_ADMIN_H_
#define GONGKAI_SERVICES_CATALOG_CALENDARS_CALENDAR_ADMIN_H_

#include <atomic>
#include <memory>
#include <utility>

#include "absl/status/statusor.h"
#include "gongkai/catalog/v1/catalog.pb.h"
#include "libs/auth/principal.h"
#include "libs/calendar/working_day_calendar.h"
#include "libs/clock/clock.h"
#include "services/catalog/calendars/calendar_repository.h"
#include "services/catalog/repository_types.h"

namespace gongkai::catalog::calendars {

class CalendarAdmin {
 public:
  // `repository` and `clock` must outlive the CalendarAdmin.
  CalendarAdmin(CalendarRepository* repository,
                std::shared_ptr<calendar::WorkingDayCalendar> calendar, const Clock* clock)
      : repository_(repository), calendar_(std::move(calendar)), clock_(clock) {}

  absl::StatusOr<v1::ListCalendarYearsResponse> ListCalendarYears(
      const auth::Principal& caller, const v1::ListCalendarYearsRequest& request);
  absl::StatusOr<v1::CalendarYear> PutCalendarYear(const auth::Principal& caller,
                                                   const v1::PutCalendarYearRequest& request);

  // Applies the calendars stored in the database (loaded at run time, possibly by
  // another replica) over the built-in ones; returns how many years changed. Called at
  // start and periodically. DATA_LOSS when a stored calendar does not parse.
  absl::StatusOr<int> SyncCalendarsFromStore();

  // True once after PutCalendarYear changed a calendar on this replica: the caller's
  // background loop then recomputes the stored deadlines.
  bool TakeRecomputeRequest() { return recompute_requested_.exchange(false); }

 private:
  // Loads or replaces one year; false when that exact version is already loaded.
  absl::StatusOr<bool> ApplyCalendarYear(const calendar::YearCalendar& year);

  CalendarRepository* repository_;
  std::shared_ptr<calendar::WorkingDayCalendar> calendar_;
  const Clock* clock_;
  std::atomic<bool> recompute_requested_{false};
};

}  // namespace gongkai::catalog::calendars

#endif  // GONGKAI_SERVICES_CATALOG_CALENDARS_CALENDAR_ADMIN_H_
