#include "libs/db/idempotency.h"

#include <utility>

#include "libs/db/value.h"
#include "libs/status/status_macros.h"

namespace gongkai::db {

MigrationSet IdempotencyMigrationSet() { return {"idempotency", IdempotencyMigrations()}; }

absl::StatusOr<std::optional<std::string>> FindIdempotentResponse(ConnectionPool& pool,
                                                                  const idempotency::Key& key) {
  ASSIGN_OR_RETURN(ConnectionLease conn, pool.Acquire());
  return FindIdempotentResponse(*conn, key);
}

absl::StatusOr<std::optional<std::string>> FindIdempotentResponse(Connection& conn,
                                                                  const idempotency::Key& key) {
  ASSIGN_OR_RETURN(ResultSet rows,
                   conn.Query("SELECT response FROM idempotency_keys WHERE subject = ? AND "
                              "method = ? AND request_id = ?",
                              {Value(key.subject), Value(key.method), Value(key.request_id)}));
  if (rows.empty()) return std::optional<std::string>();
  ASSIGN_OR_RETURN(std::string response, rows[0].GetString(0));
  return std::optional<std::string>(std::move(response));
}

absl::Status InsertIdempotencyRecord(Connection& conn, const idempotency::Key* key,
                                     const std::string& response, absl::Time create_time) {
  if (key == nullptr) return absl::OkStatus();
  return conn
      .Execute(
          "INSERT INTO idempotency_keys (subject, method, request_id, response, create_time) "
          "VALUES (?, ?, ?, ?, ?)",
          {Value(key->subject), Value(key->method), Value(key->request_id), Value(response),
           Value(create_time)})
      .status();
}

}  // namespace gongkai::db
