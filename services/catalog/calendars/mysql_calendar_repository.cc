#include "services/catalog/calendars/mysql_calendar_repository.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
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

  absl::StatusOr<StoredCalendarYear> SaveCalendarYear(const StoredCalendarYear& calendar,
                                                      const std::string& actor,
                                                      absl::Time when) override {
    StoredCalendarYear stored;
    RETURN_IF_ERROR(db::RunInTransactionWithRetries(*pool_, [&](Connection& conn) -> absl::Status {
      // The row lock serializes two replicas storing one year. (Under READ COMMITTED
      // there is no gap lock for a new year: a concurrent first INSERT then meets the
      // duplicate key and the transaction is retried, finding the row.)
      ASSIGN_OR_RETURN(db::ResultSet rows,
                       conn.Query("SELECT version, calendar_json FROM calendar_years "
                                  "WHERE year = ? FOR UPDATE",
                                  {Value(calendar.year)}));
      if (!rows.empty()) {
        ASSIGN_OR_RETURN(std::string version, rows[0].GetString(0));
        if (version == calendar.version) {
          stored.year = calendar.year;
          stored.version = std::move(version);
          ASSIGN_OR_RETURN(stored.calendar_json, rows[0].GetString(1));
          return absl::OkStatus();  // This version is taken: the stored data stands.
        }
        stored = calendar;
        return conn
            .Execute(
                "UPDATE calendar_years SET version = ?, calendar_json = ?, loaded_by = ?, "
                "load_time = ? WHERE year = ?",
                {Value(calendar.version), Value(calendar.calendar_json), Value(actor), Value(when),
                 Value(calendar.year)})
            .status();
      }
      stored = calendar;
      absl::Status inserted =
          conn.Execute(
                  "INSERT INTO calendar_years (year, version, calendar_json, loaded_by, "
                  "load_time) VALUES (?, ?, ?, ?, ?)",
                  {Value(calendar.year), Value(calendar.version), Value(calendar.calendar_json),
                   Value(actor), Value(when)})
              .status();
      if (inserted.code() == absl::StatusCode::kAlreadyExists) {
        return absl::AbortedError(
            absl::StrCat("calendar of ", calendar.year, " stored concurrently; retrying"));
      }
      return inserted;
    }));
    return stored;
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
