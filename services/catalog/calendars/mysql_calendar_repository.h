// CalendarRepository on MySQL-compatible databases through libs/db (table
// calendar_years; schema in services/catalog/migrations/).
//
// Thread-safe: each call leases its own connection from the pool.
#ifndef GONGKAI_SERVICES_CATALOG_CALENDARS_MYSQL_CALENDAR_REPOSITORY_H_
#define GONGKAI_SERVICES_CATALOG_CALENDARS_MYSQL_CALENDAR_REPOSITORY_H_

#include <memory>

#include "libs/db/connection_pool.h"
#include "services/catalog/calendars/calendar_repository.h"

namespace gongkai::catalog::calendars {

// `pool` must outlive the repository.
std::unique_ptr<CalendarRepository> NewMysqlCalendarRepository(db::ConnectionPool* pool);

}  // namespace gongkai::catalog::calendars

#endif  // GONGKAI_SERVICES_CATALOG_CALENDARS_MYSQL_CALENDAR_REPOSITORY_H_
