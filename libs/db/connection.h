// One MySQL session, borrowed from a ConnectionPool. Every statement is a server-side
// prepared statement with `?` placeholders; values are never spliced into SQL text.
//
//   ASSIGN_OR_RETURN(db::ConnectionLease conn, pool.Acquire());
//   ASSIGN_OR_RETURN(db::ExecResult r,
//                    conn->Execute("INSERT INTO units (code, name) VALUES (?, ?)",
//                                  {code, name}));
//   int64_t id = static_cast<int64_t>(r.last_insert_id);
//   ASSIGN_OR_RETURN(db::ResultSet rows,
//                    conn->Query("SELECT name FROM units WHERE id = ?", {id}));
//
// Session state set on connect: character set utf8mb4 (OPT_CHARSET_NAME),
// sql_mode STRICT_TRANS_TABLES,ONLY_FULL_GROUP_BY,NO_ZERO_IN_DATE,NO_ZERO_DATE,
// ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION, time_zone '+00:00' (DATETIME values
// are UTC), and transaction isolation READ COMMITTED (see transaction.h for why).
// The driver's auto-reconnect is off: a reconnect would silently drop that session
// state, so a lost connection is marked broken and the pool replaces it instead.
//
// Errors (see mysql_errors.h for the mapping): no Connector/C++ exception leaves this
// class. Prepared statements are cached per connection (up to 64 distinct SQL texts), so
// name the columns you select: a cached `SELECT *` whose table gains a column (another
// replica migrated) would no longer match its bound result.
//
// Not thread-safe: a connection belongs to one lease holder at a time.
#ifndef GONGKAI_LIBS_DB_CONNECTION_H_
#define GONGKAI_LIBS_DB_CONNECTION_H_

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "libs/db/db_config.h"
#include "libs/db/result_set.h"
#include "libs/db/row_cursor.h"
#include "libs/db/value.h"

namespace sql {
class Connection;
class PreparedStatement;
}  // namespace sql

namespace gongkai::db {

class StatementWatchdog;

struct ExecResult {
  // Rows changed, as MySQL reports them: an UPDATE that matches a row but sets the
  // values it already has counts 0. So do not read 0 as "not found" unless the UPDATE
  // always changes something (a version or update_time column).
  int64_t affected_rows = 0;
  // ExecuteInsert only: LAST_INSERT_ID() after the statement. For a multi-row INSERT
  // it is the id of the first inserted row, as in MySQL. 0 from Execute.
  uint64_t last_insert_id = 0;
};

class Connection {
 public:
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs a statement that returns rows.
  absl::StatusOr<ResultSet> Query(absl::string_view sql, absl::Span<const Value> params = {});

  // Runs a statement that returns rows and calls `on_row` with each, in order, reading
  // the driver's buffers directly (row_cursor.h) instead of building a ResultSet: for
  // list paths that map many rows. Stops at the first error `on_row` returns and
  // returns it; statement errors are returned as Query's are.
  absl::Status QueryEach(absl::string_view sql, absl::Span<const Value> params,
                         absl::FunctionRef<absl::Status(const RowCursor&)> on_row);

  // Runs a statement that changes data (INSERT/UPDATE/DELETE/REPLACE, DDL).
  absl::StatusOr<ExecResult> Execute(absl::string_view sql, absl::Span<const Value> params = {});

  // Execute, then reads the AUTO_INCREMENT id the statement made: Connector/C++ 1.1 hides
  // the insert's own id, so one more round trip (no ResultSet built). Only for inserts
  // whose id is needed; later statements can use `VALUES (LAST_INSERT_ID(), ...)`.
  absl::StatusOr<ExecResult> ExecuteInsert(absl::string_view sql,
                                           absl::Span<const Value> params = {});

  // Runs one statement through the text protocol, without parameters; rows it returns
  // are discarded. Only for schema migrations and administrative statements a server
  // may refuse to prepare (KILL, CREATE DATABASE); the text must never contain data
  // from outside the binary.
  absl::Status ExecuteUnprepared(absl::string_view sql);

  // True once an error showed that the session is gone (UNAVAILABLE); every later call
  // fails fast with UNAVAILABLE and the pool discards the connection on release.
  bool broken() const { return broken_; }

  // Round-trips a ping; false (and marks the connection broken) when the session is gone.
  bool Ping();

  // The server-side connection id (CONNECTION_ID()), e.g. for diagnostics.
  uint64_t server_connection_id() const { return server_connection_id_; }

  // The server this session is on, "host:port" (DbEndpoint::ToString()).
  const std::string& endpoint() const { return endpoint_; }

  // Opens a new session with the settings above. UNAVAILABLE when the server cannot be
  // reached; INTERNAL for authentication or unknown-database errors. Used by the pool.
  // When config.host lists several servers they are tried in order and the first that
  // opens is used. A Galera node that is not ready for clients (wsrep_ready OFF: not
  // Synced, or cut off from the primary component) is refused with UNAVAILABLE, as an
  // unreachable server is; on servers without Galera that check finds nothing.
  static absl::StatusOr<std::unique_ptr<Connection>> Open(const DbConfig& config);

  // Set by the pool: Query and Execute are then stopped on the server when they run past
  // the deadline of the call the thread serves, and return DEADLINE_EXCEEDED
  // (statement_watchdog.h). Null: never stopped.
  void set_statement_watchdog(StatementWatchdog* watchdog) { watchdog_ = watchdog; }

 private:
  friend class Transaction;     // transaction.cc: Begin/Commit/Rollback.
  friend class StatementWatch;  // statement_watchdog.cc: the session after a KILL QUERY.

  explicit Connection(std::unique_ptr<sql::Connection> conn);
  static absl::StatusOr<std::unique_ptr<Connection>> OpenEndpoint(const DbConfig& config,
                                                                  const DbEndpoint& endpoint);

  absl::StatusOr<sql::PreparedStatement*> Prepare(absl::string_view sql);
  // Query and Execute without the StatementWatch around them.
  absl::StatusOr<ResultSet> QueryUnwatched(absl::string_view sql, absl::Span<const Value> params);
  absl::Status QueryEachUnwatched(absl::string_view sql, absl::Span<const Value> params,
                                  absl::FunctionRef<absl::Status(const RowCursor&)> on_row);
  absl::StatusOr<ExecResult> ExecuteUnwatched(absl::string_view sql,
                                              absl::Span<const Value> params);
  absl::Status BrokenStatus() const;
  // UNAVAILABLE when the server is a Galera node that does not accept clients yet.
  absl::Status CheckGaleraNodeReady();
  // Maps the exception currently being handled; marks the connection broken when the
  // session is lost. Must be called from inside a catch block.
  absl::Status FromCurrentException(absl::string_view sql);

  // Text-protocol transaction control for RunInTransaction.
  absl::Status Begin();
  absl::Status Commit();
  absl::Status Rollback();

  std::unique_ptr<sql::Connection> conn_;
  std::unordered_map<std::string, std::unique_ptr<sql::PreparedStatement>> statements_;
  bool broken_ = false;
  bool in_transaction_ = false;
  uint64_t server_connection_id_ = 0;
  std::string endpoint_;
  StatementWatchdog* watchdog_ = nullptr;
};

}  // namespace gongkai::db

#endif  // GONGKAI_LIBS_DB_CONNECTION_H_
