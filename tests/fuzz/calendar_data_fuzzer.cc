// Calendar data files (libs/calendar, NAT-1): the yearly working-day schedule is JSON
// read from libs/calendar/data and from the catalog's calendar administration. Properties:
// parsing never crashes and refuses with INVALID_ARGUMENT; a calendar that parses is
// valid, and written back out it parses to the same calendar.
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "libs/calendar/year_calendar.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace gongkai::calendar;
  const absl::string_view json(reinterpret_cast<const char*>(data), size);
  const absl::StatusOr<YearCalendar> calendar = ParseYearCalendarJson(json);
  if (!calendar.ok()) {
    FUZZ_CHECK(calendar.status().code() == absl::StatusCode::kInvalidArgument);
    return 0;
  }
  FUZZ_CHECK(ValidateYearCalendar(*calendar).ok());
  const std::string written = YearCalendarToJson(*calendar);
  const absl::StatusOr<YearCalendar> again = ParseYearCalendarJson(written);
  FUZZ_CHECK(again.ok());
  FUZZ_CHECK(*again == *calendar);
  return 0;
}
