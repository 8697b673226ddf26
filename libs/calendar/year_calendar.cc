#include "libs/calendar/year_calendar.h"

#include <fstream>
#include <map>
#include <sstream>
#include <utility>

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "libs/status/errors.h"
#include "nlohmann/json.hpp"

namespace gongkai::calendar {
namespace {

using nlohmann::json;

constexpr int kMinYear = 1949;
constexpr int kMaxYear = 9999;

bool IsWeekend(absl::CivilDay day) {
  const absl::Weekday wd = absl::GetWeekday(day);
  return wd == absl::Weekday::saturday || wd == absl::Weekday::sunday;
}

// Reads a required string member; records a violation and returns "" when absent or not a
// string.
std::string RequiredString(const json& object, const char* key, const std::string& path,
                           FieldViolations& violations) {
  auto it = object.find(key);
  if (it == object.end()) {
    violations.Add(path, "is required");
    return "";
  }
  if (!it->is_string()) {
    violations.Add(path, "must be a string");
    return "";
  }
  return it->get<std::string>();
}

std::string OptionalString(const json& object, const char* key, const std::string& path,
                           FieldViolations& violations) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return "";
  if (!it->is_string()) {
    violations.Add(path, "must be a string");
    return "";
  }
  return it->get<std::string>();
}

// Parses a date member; returns false (with a violation) when it is missing or malformed.
bool RequiredDay(const json& object, const std::string& path, FieldViolations& violations,
                 absl::CivilDay& out) {
  auto it = object.find("date");
  if (it == object.end()) {
    violations.Add(path, "is required");
    return false;
  }
  if (!it->is_string()) {
    violations.Add(path, "must be a string \"YYYY-MM-DD\"");
    return false;
  }
  absl::StatusOr<absl::CivilDay> day = ParseIsoDay(it->get<std::string>());
  if (!day.ok()) {
    violations.Add(path, std::string(day.status().message()));
    return false;
  }
  out = *day;
  return true;
}

}  // namespace

absl::StatusOr<absl::CivilDay> ParseIsoDay(absl::string_view text) {
  auto bad = [&] {
    return absl::InvalidArgumentError(
        absl::StrCat("\"", text, "\" is not a valid date in the form YYYY-MM-DD"));
  };
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return bad();
  int parts[3] = {0, 0, 0};
  const std::pair<int, int> spans[3] = {{0, 4}, {5, 2}, {8, 2}};
  for (int i = 0; i < 3; ++i) {
    for (int k = spans[i].first; k < spans[i].first + spans[i].second; ++k) {
      if (text[k] < '0' || text[k] > '9') return bad();
      parts[i] = parts[i] * 10 + (text[k] - '0');
    }
  }
  const absl::CivilDay day(parts[0], parts[1], parts[2]);
  // CivilDay normalises (2024-02-30 -> 2024-03-01); a strict parser rejects that.
  if (day.year() != parts[0] || day.month() != parts[1] || day.day() != parts[2]) return bad();
  return day;
}

std::string FormatIsoDay(absl::CivilDay day) {
  return absl::StrFormat("%04d-%02d-%02d", day.year(), day.month(), day.day());
}

absl::Status ValidateYearCalendar(const YearCalendar& calendar) {
  FieldViolations violations;
  if (calendar.year < kMinYear || calendar.year > kMaxYear) {
    violations.Add("year", absl::StrCat(calendar.year, " is not a year between ", kMinYear, " and ",
                                        kMaxYear));
  }
  if (calendar.region.empty()) violations.Add("region", "must not be empty");
  if (calendar.version.empty()) violations.Add("version", "must not be empty");
  if (calendar.source.empty()) {
    violations.Add("source.notice", "must name the notice the schedule comes from (NAT-1)");
  }
  if (!calendar.published.empty() && !ParseIsoDay(calendar.published).ok()) {
    violations.Add("source.published",
                   absl::StrCat("\"", calendar.published, "\" is not a date YYYY-MM-DD"));
  }

  // Where each day was first listed, to name both entries of a clash.
  std::map<absl::CivilDay, std::string> first_listed;
  auto check_day = [&](absl::CivilDay day, const std::string& path) {
    if (day.year() != calendar.year) {
      violations.Add(
          path, absl::StrCat(FormatIsoDay(day), " is outside the calendar year ", calendar.year));
      return;
    }
    auto [it, inserted] = first_listed.emplace(day, path);
    if (!inserted) {
      violations.Add(path, absl::StrCat(FormatIsoDay(day), " is already listed as ", it->second));
    }
  };
  for (size_t i = 0; i < calendar.holidays.size(); ++i) {
    const Holiday& h = calendar.holidays[i];
    const std::string path = absl::StrCat("holidays[", i, "]");
    if (h.name.empty()) violations.Add(path + ".name", "must name the holiday");
    check_day(h.day, path + ".date");
  }
  for (size_t i = 0; i < calendar.adjusted_working_days.size(); ++i) {
    const AdjustedWorkingDay& a = calendar.adjusted_working_days[i];
    const std::string path = absl::StrCat("adjusted_working_days[", i, "]");
    if (a.holiday.empty()) violations.Add(path + ".for", "must name the holiday it makes up for");
    if (!IsWeekend(a.day)) {
      violations.Add(path + ".date",
                     absl::StrCat(FormatIsoDay(a.day),
                                  " is not a Saturday or Sunday, so it is a working day anyway"));
    }
    check_day(a.day, path + ".date");
  }
  return violations.ToStatus();
}

absl::StatusOr<YearCalendar> ParseYearCalendarJson(absl::string_view text) {
  const json doc = json::parse(text.begin(), text.end(), /*cb=*/nullptr,
                               /*allow_exceptions=*/false);
  if (doc.is_discarded()) {
    return InvalidField("calendar", "is not well-formed JSON");
  }
  if (!doc.is_object()) return InvalidField("calendar", "must be a JSON object");

  FieldViolations violations;
  YearCalendar calendar;
  calendar.region = RequiredString(doc, "region", "region", violations);
  auto year = doc.find("year");
  if (year == doc.end()) {
    violations.Add("year", "is required");
  } else if (!year->is_number_integer()) {
    violations.Add("year", "must be an integer");
  } else {
    calendar.year = year->get<int>();
  }
  calendar.version = RequiredString(doc, "version", "version", violations);
  auto source = doc.find("source");
  if (source == doc.end() || !source->is_object()) {
    violations.Add("source", "is required: an object naming the notice");
  } else {
    calendar.source = RequiredString(*source, "notice", "source.notice", violations);
    calendar.source_title = OptionalString(*source, "title", "source.title", violations);
    calendar.published = OptionalString(*source, "published", "source.published", violations);
  }

  auto read_list = [&](const char* key, auto&& add_entry) {
    auto list = doc.find(key);
    if (list == doc.end()) {
      violations.Add(key, "is required (may be empty)");
      return;
    }
    if (!list->is_array()) {
      violations.Add(key, "must be an array");
      return;
    }
    for (size_t i = 0; i < list->size(); ++i) {
      const json& entry = (*list)[i];
      const std::string path = absl::StrCat(key, "[", i, "]");
      if (!entry.is_object()) {
        violations.Add(path, "must be an object {\"date\": ..., ...}");
        continue;
      }
      absl::CivilDay day;
      const bool day_ok = RequiredDay(entry, path + ".date", violations, day);
      add_entry(entry, path, day_ok, day);
    }
  };
  read_list("holidays",
            [&](const json& entry, const std::string& path, bool day_ok, absl::CivilDay day) {
              std::string name = RequiredString(entry, "name", path + ".name", violations);
              if (day_ok) calendar.holidays.push_back({day, std::move(name)});
            });
  read_list("adjusted_working_days",
            [&](const json& entry, const std::string& path, bool day_ok, absl::CivilDay day) {
              std::string holiday = RequiredString(entry, "for", path + ".for", violations);
              if (day_ok) calendar.adjusted_working_days.push_back({day, std::move(holiday)});
            });
  // Structural errors first: the semantic checks below index entries by position, which
  // only matches the document when every entry was read.
  if (!violations.empty()) return violations.ToStatus();
  if (absl::Status status = ValidateYearCalendar(calendar); !status.ok()) return status;
  return calendar;
}

absl::StatusOr<YearCalendar> LoadYearCalendarFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot open calendar file ", path));
  std::stringstream buffer;
  buffer << in.rdbuf();
  absl::StatusOr<YearCalendar> calendar = ParseYearCalendarJson(buffer.str());
  if (!calendar.ok()) {
    absl::Status status(calendar.status().code(),
                        absl::StrCat(path, ": ", calendar.status().message()));
    calendar.status().ForEachPayload(
        [&](absl::string_view url, const absl::Cord& payload) { status.SetPayload(url, payload); });
    return status;
  }
  return calendar;
}

std::string YearCalendarToJson(const YearCalendar& calendar) {
  json doc = json::object();
  doc["region"] = calendar.region;
  doc["year"] = calendar.year;
  doc["version"] = calendar.version;
  json source = {{"notice", calendar.source}};
  if (!calendar.source_title.empty()) source["title"] = calendar.source_title;
  if (!calendar.published.empty()) source["published"] = calendar.published;
  doc["source"] = std::move(source);
  json holidays = json::array();
  for (const Holiday& h : calendar.holidays) {
    holidays.push_back({{"date", FormatIsoDay(h.day)}, {"name", h.name}});
  }
  doc["holidays"] = std::move(holidays);
  json adjusted = json::array();
  for (const AdjustedWorkingDay& a : calendar.adjusted_working_days) {
    adjusted.push_back({{"date", FormatIsoDay(a.day)}, {"for", a.holiday}});
  }
  doc["adjusted_working_days"] = std::move(adjusted);
  return doc.dump(2, ' ', /*ensure_ascii=*/false, json::error_handler_t::replace);
}

}  // namespace gongkai::calendar
