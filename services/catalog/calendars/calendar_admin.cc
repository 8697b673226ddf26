#include "services/catalog/calendars/calendar_admin.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "libs/auth/policy.h"
#include "libs/calendar/year_calendar.h"
#include "libs/status/errors.h"
#include "libs/status/status_macros.h"
#include "libs/validation/validation.h"
#include "services/catalog/catalog_rules.h"

namespace gongkai::catalog::calendars {

using auth::Principal;
using validation::CheckText;

absl::StatusOr<bool> CalendarAdmin::ApplyCalendarYear(const calendar::YearCalendar& year) {
  absl::StatusOr<calendar::YearCalendar> loaded = calendar_->Year(year.year);
  if (loaded.ok() && *loaded == year) return false;
  RETURN_IF_ERROR(calendar_->LoadOrReplaceYears({year}));
  return true;
}

absl::StatusOr<v1::ListCalendarYearsResponse> CalendarAdmin::ListCalendarYears(
    const Principal&, const v1::ListCalendarYearsRequest&) {
  ASSIGN_OR_RETURN(std::vector<calendar::YearCalendar> builtin, calendar::BuiltinYearCalendars());
  v1::ListCalendarYearsResponse response;
  for (const calendar::CalendarVersion& version : calendar_->Versions()) {
    ASSIGN_OR_RETURN(calendar::YearCalendar year, calendar_->Year(version.year));
    v1::CalendarYear* out = response.add_years();
    out->set_year(year.year);
    out->set_version(year.version);
    out->set_source(year.source);
    out->set_holiday_count(static_cast<int32_t>(year.holidays.size()));
    out->set_adjusted_working_day_count(static_cast<int32_t>(year.adjusted_working_days.size()));
    const bool is_builtin = std::any_of(builtin.begin(), builtin.end(),
                                        [&](const calendar::YearCalendar& b) { return b == year; });
    out->set_origin(is_builtin ? "builtin" : "database");
  }
  return response;
}

absl::StatusOr<v1::CalendarYear> CalendarAdmin::PutCalendarYear(
    const Principal& caller, const v1::PutCalendarYearRequest& request) {
  RETURN_IF_ERROR(auth::Require(caller, kManageCalendars, std::nullopt));
  FieldViolations v;
  if (request.year() < 2000 || request.year() > 2100) v.Add("year", "must be from 2000 to 2100");
  CheckText(v, "calendar_json", request.calendar_json(),
            {.min_chars = 1, .max_chars = 200'000, .allow_newlines = true});
  RETURN_IF_ERROR(v.ToStatus());
  absl::StatusOr<calendar::YearCalendar> parsed =
      calendar::ParseYearCalendarJson(request.calendar_json());
  if (!parsed.ok()) return InvalidField("calendar_json", parsed.status().message());
  if (parsed->year != request.year()) {
    return InvalidField(
        "calendar_json",
        absl::StrCat("describes ", parsed->year, ", not the year in the path ", request.year()));
  }
  absl::StatusOr<calendar::YearCalendar> loaded = calendar_->Year(parsed->year);
  if (loaded.ok() && loaded->version == parsed->version && !(*loaded == *parsed)) {
    return PreconditionFailed(
        "CALENDAR_VERSION", absl::StrCat("calendar-years/", parsed->year),
        absl::StrCat("version ", parsed->version,
                     " is already loaded with other data; an amended calendar needs a new "
                     "version (NAT-1)"));
  }
  // Stored first (compare-and-set), so every replica (and this one after a restart)
  // applies it. The database is authoritative: this replica applies what it holds.
  ASSIGN_OR_RETURN(StoredCalendarYear stored,
                   repository_->SaveCalendarYear(
                       StoredCalendarYear{parsed->year, parsed->version, request.calendar_json()},
                       caller.subject, clock_->Now()));
  absl::StatusOr<calendar::YearCalendar> authoritative =
      calendar::ParseYearCalendarJson(stored.calendar_json);
  if (!authoritative.ok()) {
    return absl::DataLossError(absl::StrCat("stored calendar for ", stored.year,
                                            " is unreadable: ", authoritative.status().message()));
  }
  ASSIGN_OR_RETURN(bool changed, ApplyCalendarYear(*authoritative));
  if (changed) recompute_requested_ = true;
  if (!(*authoritative == *parsed)) {
    // Another replica stored other data under this version first (a race of two PUTs).
    return PreconditionFailed(
        "CALENDAR_VERSION", absl::StrCat("calendar-years/", parsed->year),
        absl::StrCat("version ", parsed->version,
                     " was stored with other data by another request; an amended calendar "
                     "needs a new version (NAT-1)"));
  }
  recompute_requested_ = true;
  v1::CalendarYear out;
  out.set_year(parsed->year);
  out.set_version(parsed->version);
  out.set_source(parsed->source);
  out.set_holiday_count(static_cast<int32_t>(parsed->holidays.size()));
  out.set_adjusted_working_day_count(static_cast<int32_t>(parsed->adjusted_working_days.size()));
  out.set_recompute_scheduled(true);
  out.set_origin("database");
  return out;
}

absl::StatusOr<int> CalendarAdmin::SyncCalendarsFromStore() {
  ASSIGN_OR_RETURN(std::vector<StoredCalendarYear> stored, repository_->ListStoredCalendarYears());
  int changed = 0;
  for (const StoredCalendarYear& entry : stored) {
    absl::StatusOr<calendar::YearCalendar> parsed =
        calendar::ParseYearCalendarJson(entry.calendar_json);
    if (!parsed.ok()) {
      return absl::DataLossError(absl::StrCat("stored calendar for ", entry.year,
                                              " is unreadable: ", parsed.status().message()));
    }
    ASSIGN_OR_RETURN(bool applied, ApplyCalendarYear(*parsed));
    if (applied) ++changed;
  }
  return changed;
}

}  // namespace gongkai::catalog::calendars
