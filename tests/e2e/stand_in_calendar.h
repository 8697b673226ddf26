// Stand-in holiday schedules for end-to-end tests, so their results do not depend on
// the day the suite runs.
//
// The catalog counts working days (CAT-3, NAT-7) from the real "today", and a period can
// reach into a year whose official schedule is not compiled in yet (libs/calendar/data;
// from early December on, 20 working days reach the next year). The service then leaves
// the due date pending (NAT-1), so a test expecting one passes or fails by the date.
// StandInCalendarDir() is a directory holding, for today's year and the next wherever
// the built-in data lacks them, a schedule with weekends only (no holidays) and a version
// naming it a stand-in. Give it to the service as GONGKAI_CALENDAR_DIR and load it into
// any calendar a test computes expected dates with:
//
//   options.env["GONGKAI_CALENDAR_DIR"] = StandInCalendarDir();
//   ASSERT_TRUE(calendar::LoadYearsFromDirectory(*cal, StandInCalendarDir()).ok());
//
// Built-in years are never shadowed. The directory is made on first use (under the test
// temp dir, one per process) and removed at exit. Thread-safe.
#ifndef GONGKAI_TESTS_E2E_STAND_IN_CALENDAR_H_
#define GONGKAI_TESTS_E2E_STAND_IN_CALENDAR_H_

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <system_error>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "libs/calendar/working_day_calendar.h"
#include "libs/clock/clock.h"
#include "nlohmann/json.hpp"

namespace gongkai::e2e {

inline const std::string& StandInCalendarDir() {
  static const std::string* const dir = [] {
    auto* path =
        new std::string(absl::StrCat(::testing::TempDir(), "/gongkai_e2e_calendar_", getpid()));
    std::filesystem::create_directories(*path);
    absl::StatusOr<std::shared_ptr<calendar::WorkingDayCalendar>> builtin =
        calendar::NewBuiltinCalendar();
    const int year = calendar::TodayInShanghai(RealClock()).year();
    for (int y : {year, year + 1}) {
      if (builtin.ok() && (*builtin)->Year(y).ok()) continue;
      const nlohmann::json stand_in = {
          {"region", "CN"},
          {"year", y},
          {"version", absl::StrCat("e2e-stand-in-", y)},
          {"source", {{"notice", "gongkai e2e test stand-in: weekends only, no holidays"}}},
          {"holidays", nlohmann::json::array()},
          {"adjusted_working_days", nlohmann::json::array()}};
      std::ofstream(absl::StrCat(*path, "/stand-in-", y, ".json")) << stand_in.dump(2);
    }
    std::atexit([] {
      std::error_code ignored;
      std::filesystem::remove_all(StandInCalendarDir(), ignored);
    });
    return path;
  }();
  return *dir;
}

}  // namespace gongkai::e2e

#endif  // GONGKAI_TESTS_E2E_STAND_IN_CALENDAR_H_
