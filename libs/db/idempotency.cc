#include "libs/db/idempotency.h"

#include <cstdint>
#include <functional>
#include <utility>

#include "absl/strings/str_cat.h"
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
  ASSIGN_OR_RETURN(
      ResultSet rows,
      conn.Query("SELECT response, request_hash FROM idempotency_keys WHERE subject = ? AND "
                 "method = ? AND request_id = ?",
                 {Value(key.subject), Value(key.method), Value(key.request_id)}));
  if (rows.empty()) return std::optional<std::string>();
  ASSIGN_OR_RETURN(std::string stored_hash, rows[0].GetString(1));
  RETURN_IF_ERROR(idempotency::CheckSameRequest(key, stored_hash));
  ASSIGN_OR_RETURN(std::string response, rows[0].GetString(0));
  return std::optional<std::string>(std::move(response));
}

absl::Status InsertIdempotencyRecord(Connection& conn, const idempotency::Key* key,
                                     const std::string& response, absl::Time create_time) {
  if (key == nullptr) return absl::OkStatus();
  return conn
      .Execute(
          "INSERT INTO idempotency_keys (subject, method, request_id, request_hash, response, "
          "create_time) VALUES (?, ?, ?, ?, ?, ?)",
          {Value(key->subject), Value(key->method), Value(key->request_id),
           Value(key->request_hash), Value(response), Value(create_time)})
      .status();
}

absl::StatusOr<int64_t> PurgeIdempotencyRecords(ConnectionPool& pool, absl::Time created_before,
                                                int batch_size,
                                                const std::function<bool()>& stopping) {
  int64_t purged = 0;
  while (stopping == nullptr || !stopping()) {
    ASSIGN_OR_RETURN(ConnectionLease conn, pool.Acquire());
    // Portable (MySQL 8, MariaDB, TiDB): single-table DELETE with LIMIT, each batch its
    // own short autocommit statement so no lock is held long.
    ASSIGN_OR_RETURN(ExecResult deleted,
                     conn->Execute(absl::StrCat("DELETE FROM idempotency_keys WHERE "
                                                "create_time < ? LIMIT ",
                                                batch_size),
                                   {Value(created_before)}));
    purged += deleted.affected_rows;
    if (deleted.affected_rows < batch_size) break;
  }
  return purged;
}

}  // namespace gongkai::db
