// The working-day engine: which days are working days in China and when a period of
// working days or calendar days ends (NAT-1, NAT-2, NAT-3).
//
// A WorkingDayCalendar holds the official schedule of each loaded year (YearCalendar).
// It never guesses: a question about a day in a year that is not loaded is an error.
// Years can be loaded or replaced while the service runs (a notice can be amended
// mid-year); every Deadline records the calendar versions it used, and IsStale() tells
// whether one of them has since been replaced, so the caller can recompute it.
//
//   ASSIGN_OR_RETURN(std::shared_ptr<WorkingDayCalendar> cal, NewBuiltinCalendar());
//   ASSIGN_OR_RETURN(Deadline reply_by, cal->AddWorkingDays(received, 20));   // NAT-7
//   ASSIGN_OR_RETURN(Deadline comments_close, cal->AddCalendarDays(published, 30));
//   if (cal->IsStale(stored)) ASSIGN_OR_RETURN(stored, cal->Recompute(stored));
//
// Counting (NAT-3): the start day is never counted. Working-day periods end on the n-th
// working day after start. Calendar-day periods end on start + n; when that day is not a
// working day the period ends on the next working day (期间届满的最后一日是节假日的，以
// 节假日后的第一日为期间届满的日期). A day is a working day when it is an adjusted working
// day (调休上班日), or a Monday..Friday that is not a listed holiday.
//
// Errors: INVALID_ARGUMENT for n < 0 or n > kMaxPeriodDays, or to < from.
// FAILED_PRECONDITION (with a google.rpc.PreconditionFailure of type
// "CALENDAR_YEAR_NOT_LOADED", subject the year) when a computation needs a day in a year
// that is not loaded; the message names the year. FAILED_PRECONDITION rather than
// OUT_OF_RANGE because the fix is to load data into the system, not to change the
// question. Only the days a computation examines need to be covered: the start day of a
// working-day period is not examined.
//
// Thread-safety: all methods may be called concurrently. Readers work on an immutable
// snapshot taken at the start of the call, so one computation never sees half of a
// replacement; LoadYear/ReplaceYear/LoadOrReplaceYears swap in a new snapshot under a
// mutex.
#ifndef GONGKAI_LIBS_CALENDAR_WORKING_DAY_CALENDAR_H_
#define GONGKAI_LIBS_CALENDAR_WORKING_DAY_CALENDAR_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/civil_time.h"
#include "libs/calendar/deadline.h"
#include "libs/calendar/year_calendar.h"
#include "libs/clock/clock.h"

namespace gongkai::calendar {

namespace internal {
struct YearIndex;
}  // namespace internal

// The longest period any rule may ask for; longer ones are input errors.
inline constexpr int kMaxPeriodDays = 1000;

// What one day is, and why.
struct DayInfo {
  absl::CivilDay day;
  DayKind kind = DayKind::kWorkingDay;
  bool working = true;
  std::string holiday;  // Holiday name for kHoliday / kAdjustedWorkingDay.
  CalendarVersion calendar;
};

class WorkingDayCalendar {
 public:
  WorkingDayCalendar();  // No years loaded.
  WorkingDayCalendar(const WorkingDayCalendar&) = delete;
  WorkingDayCalendar& operator=(const WorkingDayCalendar&) = delete;

  // Adds a year. INVALID_ARGUMENT if ValidateYearCalendar fails; ALREADY_EXISTS if the
  // year is loaded (use ReplaceYear).
  absl::Status LoadYear(YearCalendar calendar);

  // Replaces a loaded year, e.g. after an amended notice (NAT-1). Deadlines computed on the
  // old data become stale. INVALID_ARGUMENT if invalid; NOT_FOUND if the year is not
  // loaded; FAILED_PRECONDITION if the data differs but the version string does not (an
  // amendment must carry a new version). Replacing with identical data is a no-op.
  absl::Status ReplaceYear(YearCalendar calendar);

  // Loads or replaces several years at once, all or nothing, in one snapshot swap (so no
  // reader sees half of the batch). Per year: not loaded -> loaded; loaded with identical
  // data -> no-op; loaded with a different version -> replaced (older deadlines become
  // stale). INVALID_ARGUMENT if any calendar is invalid or a year appears twice in the
  // batch; FAILED_PRECONDITION if a loaded year's data differs but the version does not.
  // On error nothing is changed.
  absl::Status LoadOrReplaceYears(std::vector<YearCalendar> calendars);

  // The loaded years' versions, in year order.
  std::vector<CalendarVersion> Versions() const;

  // Every loaded year, in year order, from one snapshot (so a batch loaded together by
  // LoadOrReplaceYears is seen whole or not at all).
  std::vector<YearCalendar> Years() const;

  // The loaded calendar of `year`. NOT_FOUND if not loaded.
  absl::StatusOr<YearCalendar> Year(int year) const;

  absl::StatusOr<DayInfo> Describe(absl::CivilDay day) const;
  absl::StatusOr<bool> IsWorkingDay(absl::CivilDay day) const;

  // The n-th working day after start (start itself not counted). n == 0 gives start.
  absl::StatusOr<Deadline> AddWorkingDays(absl::CivilDay start, int n) const;

  // start + n calendar days, moved to the next working day when that is not one.
  absl::StatusOr<Deadline> AddCalendarDays(absl::CivilDay start, int n) const;

  // Working days in (from, to]: from not counted, to counted. 0 when from == to.
  absl::StatusOr<int> CountWorkingDaysBetween(absl::CivilDay from, absl::CivilDay to) const;

  // True when a calendar the deadline used is no longer loaded in that version.
  bool IsStale(const Deadline& deadline) const;

  // The same period computed again on the current calendars.
  absl::StatusOr<Deadline> Recompute(const Deadline& deadline) const;

 private:
  using Snapshot = std::map<int, std::shared_ptr<const internal::YearIndex>>;

  std::shared_ptr<const Snapshot> snapshot() const;
  absl::Status Store(YearCalendar calendar, bool replace);

  mutable absl::Mutex mu_;
  std::shared_ptr<const Snapshot> years_ ABSL_GUARDED_BY(mu_);
};

// Loads every "*.json" year file (the data/cn-<year>.json format) in `dir` into
// `calendar` with LoadOrReplaceYears, so operators can drop in a newly published or
// amended year without a release (NAT-1). Subdirectories and other files are ignored; an
// empty directory changes nothing. All or nothing: NOT_FOUND if `dir` does not exist or
// cannot be read; FAILED_PRECONDITION if it is not a directory; INVALID_ARGUMENT naming
// the file when one does not parse or two files hold the same year; otherwise as
// LoadOrReplaceYears (messages name the file).
//
//   RETURN_IF_ERROR(LoadYearsFromDirectory(*calendar, "/etc/gongkai/calendar"));
absl::Status LoadYearsFromDirectory(WorkingDayCalendar& calendar, const std::string& dir);

// The schedules compiled into the library (libs/calendar/data/*.json: 2024..2026), parsed.
// INTERNAL if the embedded data does not parse (a build defect).
absl::StatusOr<std::vector<YearCalendar>> BuiltinYearCalendars();

// A calendar with every built-in year loaded.
absl::StatusOr<std::shared_ptr<WorkingDayCalendar>> NewBuiltinCalendar();

// Today's civil date in Asia/Shanghai, the zone every deadline is counted in.
absl::CivilDay TodayInShanghai(const Clock& clock);

}  // namespace gongkai::calendar

#endif  // GONGKAI_LIBS_CALENDAR_WORKING_DAY_CALENDAR_H_
