// One year's official working-day schedule (NAT-1, NAT-2) as versioned data.
//
// Each year the State Council General Office publishes a notice (国办发明电) listing the
// days off around each holiday and the weekend days that become working days (调休上班日).
// A YearCalendar is that notice as data: which notice it came from, a version string
// that changes whenever the data changes (notices can be amended mid-year), the holiday
// days with the holiday's name, and the adjusted working days. The files live in
// libs/calendar/data/cn-<year>.json and are also compiled into the library.
//
//   ASSIGN_OR_RETURN(YearCalendar cal, ParseYearCalendarJson(json_text));
//   // cal.year == 2024, cal.source == "国办发明电〔2023〕7号"
//
// JSON format (every field shown is required except source.title/published):
//   {"region": "CN", "year": 2024, "version": "cn-2024.1",
//    "source": {"notice": "国办发明电〔2023〕7号", "title": "...", "published": "2023-10-25"},
//    "holidays": [{"date": "2024-01-01", "name": "元旦"}, ...],
//    "adjusted_working_days": [{"date": "2024-02-04", "for": "春节"}, ...]}
//
// Thread-safety: plain value types and free functions; safe to use from any thread.
#ifndef GONGKAI_LIBS_CALENDAR_YEAR_CALENDAR_H_
#define GONGKAI_LIBS_CALENDAR_YEAR_CALENDAR_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"

namespace gongkai::calendar {

// A day off named after the holiday it belongs to (e.g. 春节).
struct Holiday {
  absl::CivilDay day;
  std::string name;

  friend bool operator==(const Holiday& a, const Holiday& b) {
    return a.day == b.day && a.name == b.name;
  }
};

// A Saturday or Sunday that is a working day (调休上班日), and the holiday it makes up for.
struct AdjustedWorkingDay {
  absl::CivilDay day;
  std::string holiday;

  friend bool operator==(const AdjustedWorkingDay& a, const AdjustedWorkingDay& b) {
    return a.day == b.day && a.holiday == b.holiday;
  }
};

struct YearCalendar {
  std::string region = "CN";
  int year = 0;
  // Changes whenever the data changes, e.g. "cn-2024.1" -> "cn-2024.2" for an amendment.
  std::string version;
  // The notice the data came from, e.g. "国办发明电〔2023〕7号". When the notice number is
  // not known, the title and date, e.g. "国务院办公厅关于2026年部分节假日安排的通知（2025年
  // 11月4日）".
  std::string source;
  std::string source_title;  // Optional, e.g. "国务院办公厅关于2024年部分节假日安排的通知".
  std::string published;  // Optional ISO date the notice was published.
  std::vector<Holiday> holidays;
  std::vector<AdjustedWorkingDay> adjusted_working_days;

  friend bool operator==(const YearCalendar& a, const YearCalendar& b) {
    return a.region == b.region && a.year == b.year && a.version == b.version &&
           a.source == b.source && a.source_title == b.source_title && a.published == b.published &&
           a.holidays == b.holidays && a.adjusted_working_days == b.adjusted_working_days;
  }
  friend bool operator!=(const YearCalendar& a, const YearCalendar& b) { return !(a == b); }
};

// Which calendar data a computation used: enough to cite it and to detect that it has
// since been replaced (NAT-1).
struct CalendarVersion {
  int year = 0;
  std::string version;
  std::string source;

  friend bool operator==(const CalendarVersion& a, const CalendarVersion& b) {
    return a.year == b.year && a.version == b.version && a.source == b.source;
  }
};

// Checks a calendar built in code or parsed from data. INVALID_ARGUMENT naming every bad
// entry (e.g. "holidays[3].date: 2023-12-31 is outside the calendar year 2024"): year
// outside 1949..9999, empty version/source/name, a date outside the year, a day listed
// twice, a day that is both a holiday and an adjusted working day, an adjusted working
// day that is not a Saturday or Sunday.
absl::Status ValidateYearCalendar(const YearCalendar& calendar);

// Parses and validates the JSON format above. INVALID_ARGUMENT naming the bad entry
// (malformed JSON, missing or mistyped field, date not "YYYY-MM-DD", any
// ValidateYearCalendar error).
absl::StatusOr<YearCalendar> ParseYearCalendarJson(absl::string_view json);

// Reads and parses a file. NOT_FOUND when it cannot be opened; otherwise as above, with
// the path in the message.
absl::StatusOr<YearCalendar> LoadYearCalendarFile(const std::string& path);

// The JSON form ParseYearCalendarJson reads (pretty-printed, UTF-8).
std::string YearCalendarToJson(const YearCalendar& calendar);

// Strict "YYYY-MM-DD" (no normalisation: 2024-02-30 is an error). INVALID_ARGUMENT.
absl::StatusOr<absl::CivilDay> ParseIsoDay(absl::string_view text);

// "YYYY-MM-DD".
std::string FormatIsoDay(absl::CivilDay day);

}  // namespace gongkai::calendar

#endif  // GONGKAI_LIBS_CALENDAR_YEAR_CALENDAR_H_
