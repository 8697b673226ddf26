// gMock double of CalendarRepository for unit tests of the calendar administration.
#ifndef GONGKAI_SERVICES_CATALOG_CALENDARS_MOCK_CALENDAR_REPOSITORY_H_
#define GONGKAI_SERVICES_CATALOG_CALENDARS_MOCK_CALENDAR_REPOSITORY_H_

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "services/catalog/calendars/calendar_repository.h"

namespace gongkai::catalog::calendars {

class MockCalendarRepository : public CalendarRepository {
 public:
  MOCK_METHOD(absl::StatusOr<StoredCalendarYear>, SaveCalendarYear,
              (const StoredCalendarYear&, const std::string&, absl::Time), (override));
  MOCK_METHOD(absl::StatusOr<std::vector<StoredCalendarYear>>, ListStoredCalendarYears, (),
              (override));
};

}  // namespace gongkai::catalog::calendars

#endif  // GONGKAI_SERVICES_CATALOG_CALENDARS_MOCK_CALENDAR_REPOSITORY_H_
