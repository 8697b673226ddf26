#include "libs/calendar/working_day_calendar.h"

#include <algorithm>
#include <filesystem>
#include <system_error>
#include <utility>

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "libs/calendar/internal/builtin_data.h"
#include "libs/status/errors.h"
#include "libs/status/status_macros.h"

namespace gongkai::calendar {
namespace internal {

// One loaded year, indexed by day of year. Immutable once built.
struct YearIndex {
  struct Entry {
    DayKind kind = DayKind::kWorkingDay;
    const std::string* holiday = nullptr;  // Points into `calendar`.
  };

  explicit YearIndex(YearCalendar cal) : calendar(std::move(cal)) {
    version = {calendar.year, calendar.version, calendar.source};
    const absl::CivilDay first(calendar.year, 1, 1);
    const absl::CivilDay next_year(calendar.year + 1, 1, 1);
    days.resize(static_cast<size_t>(next_year - first));
    for (absl::CivilDay d = first; d < next_year; ++d) {
      const absl::Weekday wd = absl::GetWeekday(d);
      if (wd == absl::Weekday::saturday || wd == absl::Weekday::sunday) {
        days[d - first].kind = DayKind::kWeekend;
      }
    }
    for (const Holiday& h : calendar.holidays) {
      days[h.day - first] = {DayKind::kHoliday, &h.name};
    }
    for (const AdjustedWorkingDay& a : calendar.adjusted_working_days) {
      days[a.day - first] = {DayKind::kAdjustedWorkingDay, &a.holiday};
    }
  }
  YearIndex(const YearIndex&) = delete;
  YearIndex& operator=(const YearIndex&) = delete;

  const Entry& At(absl::CivilDay day) const {
    return days[day - absl::CivilDay(calendar.year, 1, 1)];
  }

  const YearCalendar calendar;  // Declared first: `days` points into it.
  CalendarVersion version;
  std::vector<Entry> days;
};

}  // namespace internal

namespace {

using internal::YearIndex;
using Snapshot = std::map<int, std::shared_ptr<const YearIndex>>;

bool IsWorking(DayKind kind) {
  return kind == DayKind::kWorkingDay || kind == DayKind::kAdjustedWorkingDay;
}

absl::Status YearNotLoaded(const Snapshot& years, int year) {
  std::vector<int> loaded;
  for (const auto& [y, index] : years) loaded.push_back(y);
  return PreconditionFailed(
      "CALENDAR_YEAR_NOT_LOADED", absl::StrCat(year),
      absl::StrCat("no working-day calendar is loaded for ", year,
                   " (loaded: ", loaded.empty() ? "none" : absl::StrJoin(loaded, ", "),
                   "); load the State Council holiday notice (国办发明电) for ", year,
                   " first (NAT-1)"));
}

absl::Status CheckPeriod(int n) {
  if (n < 0 || n > kMaxPeriodDays) {
    return InvalidField(
        "n", absl::StrCat(n, " is not a period length between 0 and ", kMaxPeriodDays, " days"));
  }
  return absl::OkStatus();
}

// Reads days from one snapshot and remembers which years' calendars were consulted.
class DayReader {
 public:
  explicit DayReader(const Snapshot& years) : years_(years) {}

  absl::StatusOr<const YearIndex::Entry*> Read(absl::CivilDay day) {
    if (current_ == nullptr || current_->calendar.year != day.year()) {
      auto it = years_.find(static_cast<int>(day.year()));
      if (it == years_.end()) return YearNotLoaded(years_, static_cast<int>(day.year()));
      current_ = it->second.get();
      used_.emplace(current_->calendar.year, current_->version);
    }
    return &current_->At(day);
  }

  const YearIndex* current() const { return current_; }

  std::vector<CalendarVersion> Used() const {
    std::vector<CalendarVersion> used;
    for (const auto& [year, version] : used_) used.push_back(version);
    return used;
  }

 private:
  const Snapshot& years_;
  const YearIndex* current_ = nullptr;
  std::map<int, CalendarVersion> used_;
};

// OK when `next` may take the place of `loaded`: an amendment must carry a new version.
absl::Status CheckAmendment(const YearCalendar& loaded, const YearCalendar& next) {
  if (loaded == next || loaded.version != next.version) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(
      "the calendar for ", next.year, " differs from the loaded one but keeps its version \"",
      loaded.version,
      "\"; give the amended schedule a new version so deadlines computed on the old one can "
      "be found and recomputed (NAT-1)"));
}

// `status` with `prefix` put in front of its message, payloads (BadRequest) kept.
absl::Status Prefixed(const absl::Status& status, absl::string_view prefix) {
  if (status.ok()) return status;
  absl::Status prefixed(status.code(), absl::StrCat(prefix, status.message()));
  status.ForEachPayload(
      [&](absl::string_view url, const absl::Cord& payload) { prefixed.SetPayload(url, payload); });
  return prefixed;
}

DayNote NoteFor(absl::CivilDay day, const YearIndex::Entry& entry) {
  DayNote note;
  note.day = day;
  note.kind = entry.kind;
  if (entry.holiday != nullptr) note.holiday = *entry.holiday;
  switch (entry.kind) {
    case DayKind::kWeekend:
      note.reason = "weekend";
      break;
    case DayKind::kHoliday:
      note.reason = note.holiday;
      break;
    case DayKind::kAdjustedWorkingDay:
      note.reason = absl::StrCat("adjusted working day (", note.holiday, ")");
      note.counted = true;
      break;
    case DayKind::kWorkingDay:
      note.reason = "working day";
      note.counted = true;
      break;
  }
  return note;
}

}  // namespace

WorkingDayCalendar::WorkingDayCalendar() : years_(std::make_shared<const Snapshot>()) {}

std::shared_ptr<const WorkingDayCalendar::Snapshot> WorkingDayCalendar::snapshot() const {
  absl::ReaderMutexLock lock(&mu_);
  return years_;
}

absl::Status WorkingDayCalendar::LoadYear(YearCalendar calendar) {
  return Store(std::move(calendar), /*replace=*/false);
}

absl::Status WorkingDayCalendar::ReplaceYear(YearCalendar calendar) {
  return Store(std::move(calendar), /*replace=*/true);
}

absl::Status WorkingDayCalendar::Store(YearCalendar calendar, bool replace) {
  RETURN_IF_ERROR(ValidateYearCalendar(calendar));
  const int year = calendar.year;
  auto index = std::make_shared<const YearIndex>(std::move(calendar));

  absl::MutexLock lock(&mu_);
  auto existing = years_->find(year);
  if (!replace && existing != years_->end()) {
    return absl::AlreadyExistsError(
        absl::StrCat("a working-day calendar for ", year, " is already loaded (version ",
                     existing->second->calendar.version, "); use ReplaceYear to amend it"));
  }
  if (replace) {
    if (existing == years_->end()) {
      return absl::NotFoundError(absl::StrCat("no working-day calendar is loaded for ", year,
                                              " to replace; use LoadYear"));
    }
    const YearCalendar& old = existing->second->calendar;
    if (old == index->calendar) return absl::OkStatus();
    RETURN_IF_ERROR(CheckAmendment(old, index->calendar));
  }
  auto next = std::make_shared<Snapshot>(*years_);
  (*next)[year] = std::move(index);
  years_ = std::move(next);
  return absl::OkStatus();
}

absl::Status WorkingDayCalendar::LoadOrReplaceYears(std::vector<YearCalendar> calendars) {
  std::map<int, std::shared_ptr<const YearIndex>> incoming;
  for (YearCalendar& calendar : calendars) {
    const int year = calendar.year;
    absl::Status valid = ValidateYearCalendar(calendar);
    if (!valid.ok()) return Prefixed(valid, absl::StrCat("calendar for ", year, ": "));
    if (incoming.count(year) > 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("the calendars to load list the year ", year, " twice"));
    }
    incoming[year] = std::make_shared<const YearIndex>(std::move(calendar));
  }

  absl::MutexLock lock(&mu_);
  std::shared_ptr<Snapshot> next;  // Copied from years_ at the first real change.
  for (auto& [year, index] : incoming) {
    auto existing = years_->find(year);
    if (existing != years_->end()) {
      const YearCalendar& old = existing->second->calendar;
      if (old == index->calendar) continue;
      RETURN_IF_ERROR(CheckAmendment(old, index->calendar));
    }
    if (next == nullptr) next = std::make_shared<Snapshot>(*years_);
    (*next)[year] = std::move(index);
  }
  if (next != nullptr) years_ = std::move(next);
  return absl::OkStatus();
}

std::vector<CalendarVersion> WorkingDayCalendar::Versions() const {
  std::vector<CalendarVersion> versions;
  for (const auto& [year, index] : *snapshot()) versions.push_back(index->version);
  return versions;
}

std::vector<YearCalendar> WorkingDayCalendar::Years() const {
  std::vector<YearCalendar> calendars;
  for (const auto& [year, index] : *snapshot()) calendars.push_back(index->calendar);
  return calendars;
}

absl::StatusOr<YearCalendar> WorkingDayCalendar::Year(int year) const {
  const std::shared_ptr<const Snapshot> years = snapshot();
  auto it = years->find(year);
  if (it == years->end()) {
    return absl::NotFoundError(absl::StrCat("no working-day calendar is loaded for ", year));
  }
  return it->second->calendar;
}

absl::StatusOr<DayInfo> WorkingDayCalendar::Describe(absl::CivilDay day) const {
  const std::shared_ptr<const Snapshot> years = snapshot();
  DayReader reader(*years);
  ASSIGN_OR_RETURN(const YearIndex::Entry* entry, reader.Read(day));
  DayInfo info;
  info.day = day;
  info.kind = entry->kind;
  info.working = IsWorking(entry->kind);
  if (entry->holiday != nullptr) info.holiday = *entry->holiday;
  info.calendar = reader.current()->version;
  return info;
}

absl::StatusOr<bool> WorkingDayCalendar::IsWorkingDay(absl::CivilDay day) const {
  ASSIGN_OR_RETURN(DayInfo info, Describe(day));
  return info.working;
}

absl::StatusOr<Deadline> WorkingDayCalendar::AddWorkingDays(absl::CivilDay start, int n) const {
  RETURN_IF_ERROR(CheckPeriod(n));
  const std::shared_ptr<const Snapshot> years = snapshot();
  DayReader reader(*years);
  Deadline deadline;
  deadline.start = start;
  deadline.n = n;
  deadline.working_days = true;
  absl::CivilDay day = start;  // NAT-3: the start day is not counted.
  for (int counted = 0; counted < n;) {
    ++day;
    ASSIGN_OR_RETURN(const YearIndex::Entry* entry, reader.Read(day));
    if (IsWorking(entry->kind)) ++counted;
    if (entry->kind != DayKind::kWorkingDay) deadline.notes.push_back(NoteFor(day, *entry));
  }
  deadline.due = day;
  deadline.nominal_end = day;
  deadline.calendars = reader.Used();
  return deadline;
}

absl::StatusOr<Deadline> WorkingDayCalendar::AddCalendarDays(absl::CivilDay start, int n) const {
  RETURN_IF_ERROR(CheckPeriod(n));
  const std::shared_ptr<const Snapshot> years = snapshot();
  DayReader reader(*years);
  Deadline deadline;
  deadline.start = start;
  deadline.n = n;
  deadline.working_days = false;
  deadline.nominal_end = start + n;
  // NAT-3: 期间届满的最后一日是节假日的，以节假日后的第一日为期间届满的日期. Every loaded
  // year has working days, and a missing year ends the loop with an error.
  absl::CivilDay day = deadline.nominal_end;
  while (true) {
    ASSIGN_OR_RETURN(const YearIndex::Entry* entry, reader.Read(day));
    if (IsWorking(entry->kind)) break;
    deadline.notes.push_back(NoteFor(day, *entry));
    ++day;
  }
  deadline.due = day;
  deadline.calendars = reader.Used();
  return deadline;
}

absl::StatusOr<int> WorkingDayCalendar::CountWorkingDaysBetween(absl::CivilDay from,
                                                                absl::CivilDay to) const {
  if (to < from) {
    return InvalidField("to",
                        absl::StrCat(FormatIsoDay(to), " is before from ", FormatIsoDay(from)));
  }
  const std::shared_ptr<const Snapshot> years = snapshot();
  DayReader reader(*years);
  int count = 0;
  for (absl::CivilDay day = from + 1; day <= to; ++day) {
    ASSIGN_OR_RETURN(const YearIndex::Entry* entry, reader.Read(day));
    if (IsWorking(entry->kind)) ++count;
  }
  return count;
}

bool WorkingDayCalendar::IsStale(const Deadline& deadline) const {
  const std::shared_ptr<const Snapshot> years = snapshot();
  for (const CalendarVersion& used : deadline.calendars) {
    auto it = years->find(used.year);
    if (it == years->end() || !(it->second->version == used)) return true;
  }
  return false;
}

absl::StatusOr<Deadline> WorkingDayCalendar::Recompute(const Deadline& deadline) const {
  return deadline.working_days ? AddWorkingDays(deadline.start, deadline.n)
                               : AddCalendarDays(deadline.start, deadline.n);
}

absl::Status LoadYearsFromDirectory(WorkingDayCalendar& calendar, const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code error;
  const fs::file_status dir_status = fs::status(dir, error);
  if (dir_status.type() == fs::file_type::not_found) {
    return absl::NotFoundError(absl::StrCat("calendar directory ", dir, " does not exist"));
  }
  if (error) {
    return absl::NotFoundError(
        absl::StrCat("cannot read calendar directory ", dir, ": ", error.message()));
  }
  if (!fs::is_directory(dir_status)) {
    return absl::FailedPreconditionError(
        absl::StrCat("calendar directory ", dir, " is not a directory"));
  }
  std::vector<fs::path> files;
  for (fs::directory_iterator it(dir, error), end; !error && it != end; it.increment(error)) {
    // is_regular_file follows symlinks, so mounted ConfigMap files are read and their
    // hidden "..data" directory is not.
    std::error_code type_error;
    if (it->path().extension() == ".json" && it->is_regular_file(type_error)) {
      files.push_back(it->path());
    }
  }
  if (error) {
    return absl::NotFoundError(
        absl::StrCat("cannot read calendar directory ", dir, ": ", error.message()));
  }
  std::sort(files.begin(), files.end());

  std::vector<YearCalendar> calendars;
  std::map<int, std::string> file_of_year;
  for (const fs::path& file : files) {
    ASSIGN_OR_RETURN(YearCalendar year_calendar, LoadYearCalendarFile(file.string()));
    const int year = year_calendar.year;
    auto [it, inserted] = file_of_year.emplace(year, file.string());
    if (!inserted) {
      return absl::InvalidArgumentError(
          absl::StrCat(file.string(), ": the year ", year, " is also in ", it->second));
    }
    // Checked here only to name the file; LoadOrReplaceYears checks again atomically.
    absl::StatusOr<YearCalendar> loaded = calendar.Year(year);
    if (loaded.ok()) {
      absl::Status amendment = CheckAmendment(*loaded, year_calendar);
      if (!amendment.ok()) return Prefixed(amendment, absl::StrCat(file.string(), ": "));
    }
    calendars.push_back(std::move(year_calendar));
  }
  return Prefixed(calendar.LoadOrReplaceYears(std::move(calendars)),
                  absl::StrCat("calendar directory ", dir, ": "));
}

absl::StatusOr<std::vector<YearCalendar>> BuiltinYearCalendars() {
  std::vector<YearCalendar> calendars;
  for (const internal::EmbeddedFile& file : internal::BuiltinCalendarFiles()) {
    absl::StatusOr<YearCalendar> calendar = ParseYearCalendarJson(file.contents);
    if (!calendar.ok()) {
      return absl::InternalError(absl::StrCat("built-in calendar ", file.name,
                                              " is invalid: ", calendar.status().message()));
    }
    calendars.push_back(*std::move(calendar));
  }
  return calendars;
}

absl::StatusOr<std::shared_ptr<WorkingDayCalendar>> NewBuiltinCalendar() {
  ASSIGN_OR_RETURN(std::vector<YearCalendar> calendars, BuiltinYearCalendars());
  auto calendar = std::make_shared<WorkingDayCalendar>();
  for (YearCalendar& year : calendars) {
    const int y = year.year;
    absl::Status status = calendar->LoadYear(std::move(year));
    if (!status.ok()) {
      return absl::InternalError(
          absl::StrCat("cannot load built-in calendar for ", y, ": ", status.message()));
    }
  }
  return calendar;
}

absl::CivilDay TodayInShanghai(const Clock& clock) {
  return absl::ToCivilDay(clock.Now(), ShanghaiTimeZone());
}

}  // namespace gongkai::calendar
