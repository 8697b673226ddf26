// The result of a period computation (NAT-3), with everything a page needs to explain it.
//
// A Deadline says when a period that starts on `start` and lasts `n` working days (or
// calendar days) is due, which days were passed over and why, which adjusted weekend
// working days (调休上班日) were counted, and which calendar data (notice, version) the
// computation used, so it can be cited and recomputed when that data is replaced (NAT-1).
//
//   ASSIGN_OR_RETURN(Deadline d, calendar.AddWorkingDays(received, 20));
//   store(d.due, d.calendars);   // keep the versions to detect stale deadlines later
//   page.note = d.Explain();     // "自 2024-09-30 起算 20 个工作日 ..."
//
// Thread-safety: a plain value type.
#ifndef GONGKAI_LIBS_CALENDAR_DEADLINE_H_
#define GONGKAI_LIBS_CALENDAR_DEADLINE_H_

#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "libs/calendar/year_calendar.h"

namespace gongkai::calendar {

enum class DayKind {
  kWorkingDay,          // An ordinary Monday..Friday.
  kWeekend,             // An ordinary Saturday or Sunday.
  kHoliday,             // A day off listed by the year's notice.
  kAdjustedWorkingDay,  // A Saturday or Sunday that the notice makes a working day.
};

// A day worth mentioning in an explanation.
struct DayNote {
  absl::CivilDay day;
  DayKind kind = DayKind::kWeekend;
  // "weekend", the holiday's name (e.g. "春节"), or for an adjusted working day
  // "adjusted working day (春节)".
  std::string reason;
  // The holiday's name for kHoliday and kAdjustedWorkingDay ("春节"); empty otherwise.
  std::string holiday;
  // True only for adjusted working days that were counted as working days; every other
  // note is a day that was skipped.
  bool counted = false;
};

struct Deadline {
  absl::CivilDay start;      // Not itself counted (NAT-3).
  int n = 0;                 // Length of the period.
  bool working_days = true;  // Working days (disclosure) or calendar days (comments).
  absl::CivilDay due;        // The last day of the period, always a working day for n > 0.
  // Calendar days: start + n, before moving off a non-working day. Working days: == due.
  absl::CivilDay nominal_end;
  // Working days: every skipped day and every counted adjusted working day between start
  // and due. Calendar days: the non-working days the end was moved across.
  std::vector<DayNote> notes;
  // The calendar data consulted, one entry per year, in year order.
  std::vector<CalendarVersion> calendars;

  // The skipped days only (notes that were not counted).
  std::vector<DayNote> SkippedDays() const;

  // Human-readable Chinese text for a page, e.g.
  //   自 2024-09-30 起算 20 个工作日（起算日不计入），期限届满日为 2024-11-01（星期五）。
  //   未计入的日子：2024-10-01 至 2024-10-07 国庆节（7天）；2024-10-13 周末；...
  //   计入的调休上班日：2024-10-12（星期六，国庆节调休上班）。
  //   依据：国办发明电〔2023〕7号（2024年，版本 cn-2024.1）。
  std::string Explain() const;
};

// The day a DATE NOT NULL column holds for a deadline that is pending because its year's
// calendar is not loaded (NAT-1): the last day a DATE holds, so every comparison with a
// real day treats the deadline as not reached, and the API never shows it.
inline absl::CivilDay PendingDayStandIn() { return absl::CivilDay(9999, 12, 31); }

// "星期一" .. "星期日".
std::string ChineseWeekday(absl::CivilDay day);

}  // namespace gongkai::calendar

#endif  // GONGKAI_LIBS_CALENDAR_DEADLINE_H_
