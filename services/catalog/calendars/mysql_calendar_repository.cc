#include "services/catalog/calendars/mysql_calendar_repository.h"

#include <string>
#include <vector>

#include "libs/db/map_rows.h"
#include "libs/db/transaction.h"
#include "libs/status/status_macros.h"

namespace gongkai::catalog::calendars {
namespace {

using db::Connection;
using db::MapRows;
using db::Row;
using db::Value;

class MysqlCalendarRepository final : public CalendarRepository {
 public:
  explicit MysqlCalendarRepository(db::ConnectionPool* pool) : pool_(pool) {}

  absl::Status SaveCalendarYear(const StoredCalendarYear& calendar, const std::string& actor,
                                absl::Time when) override {
    return db::RunInTransactionWithRetries(*pool_, [&](Connection& conn) -> absl::Status {
      return conn
          .Execute(
              "INSERT INTO calendar_years (year, version, calendar_json, loaded_by, load_time) "
              "VALUES (?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE version = VALUES(version), "
              "calendar_json = VALUES(calendar_json), loaded_by = VALUES(loaded_by), "
              "load_time = VALUES(load_time)",
              {Value(calendar.year), Value(calendar.version), Value(calendar.calendar_json),
               Value(actor), Value(when)})
          .status();
    });
  }

  absl::StatusOr<std::vector<StoredCalendarYear>> ListStoredCalendarYears() override {
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    ASSIGN_OR_RETURN(
        db::ResultSet rows,
        conn->Query("SELECT year, version, calendar_json FROM calendar_years ORDER BY year"));
    return MapRows<StoredCalendarYear>(rows,
                                       [](const Row& row) -> absl::StatusOr<StoredCalendarYear> {
                                         StoredCalendarYear c;
                                         ASSIGN_OR_RETURN(int64_t year, row.GetInt64(0));
                                         c.year = static_cast<int>(year);
                                         ASSIGN_OR_RETURN(c.version, row.GetString(1));
                                         ASSIGN_OR_RETURN(c.calendar_json, row.GetString(2));
                                         return c;
                                       });
  }

 private:
  db::ConnectionPool* pool_;
};

}  // namespace

std::unique_ptr<CalendarRepository> NewMysqlCalendarRepository(db::ConnectionPool* pool) {
  return std::make_unique<MysqlCalendarRepository>(pool);
}

}  // namespace gongkai::catalog::calendars
