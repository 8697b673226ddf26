// Storage of the year calendars loaded at run time (NAT-1), so every replica (and this
// one after a restart) applies the same official holiday schedule. The interface the
// calendar administration (calendar_admin.h) depends on; mysql_calendar_repository.h
// implements it on MySQL (table calendar_years); unit tests use MockCalendarRepository.
// Thread-safe.
#ifndef GONGKAI_SERVICES_CATALOG_CALENDARS_CALENDAR_REPOSITORY_H_
#define GONGKAI_SERVICES_CATALOG_CALENDARS_CALENDAR_REPOSITORY_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace gongkai::catalog::calendars {

// A year calendar loaded at run time (NAT-1), as stored for every replica.
struct StoredCalendarYear {
  int year = 0;
  std::string version;
  std::string calendar_json;
};

class CalendarRepository {
 public:
  virtual ~CalendarRepository() = default;
  // Compare-and-set, in one transaction: stores `calendar` for its year unless the row
  // stored for that year already has the same version (then it stores nothing: a
  // version names one set of data, and the first one stored wins). Returns the row the
  // database holds for the year afterwards — authoritative: when its data differs
  // from `calendar` under the same version, another replica stored it first.
  virtual absl::StatusOr<StoredCalendarYear> SaveCalendarYear(const StoredCalendarYear& calendar,
                                                              const std::string& actor,
                                                              absl::Time when) = 0;
  // By year.
  virtual absl::StatusOr<std::vector<StoredCalendarYear>> ListStoredCalendarYears() = 0;
};

}  // namespace gongkai::catalog::calendars

#endif  // GONGKAI_SERVICES_CATALOG_CALENDARS_CALENDAR_REPOSITORY_H_
