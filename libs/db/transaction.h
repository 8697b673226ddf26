// Transactions on a pooled connection, and the retry loop for transient conflicts.
//
//   absl::Status s = db::WithRetries(db::RetryPolicy{}, [&] {
//     return db::RunInTransaction(pool, [&](db::Connection& conn) -> absl::Status {
//       RETURN_IF_ERROR(conn.Execute("UPDATE ...", {id}).status());
//       ASSIGN_OR_RETURN(auto r, conn.Execute("INSERT INTO document_audit ...", {...}));
//       return absl::OkStatus();
//     });
//   });
//
// Isolation: every session runs at READ COMMITTED (set on connect). For short OLTP
// transactions it takes no gap locks, so concurrent inserts into the same index range
// do not deadlock, every statement sees the latest committed data, and TiDB supports it
// (in pessimistic mode). Code that reads and then writes the same row must lock it
// (SELECT ... FOR UPDATE) or use an optimistic `version` column, as it would under any
// level. Note that READ COMMITTED needs ROW or MIXED binlog_format on MySQL/MariaDB
// (the defaults).
//
// Thread-safe as far as the pool is: each call uses its own lease.
#ifndef GONGKAI_LIBS_DB_TRANSACTION_H_
#define GONGKAI_LIBS_DB_TRANSACTION_H_

#include <string>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/time/time.h"
#include "libs/db/connection.h"
#include "libs/db/connection_pool.h"

namespace gongkai::db {

// Acquires a connection (pool.config().acquire_timeout), starts a transaction and calls
// fn with it. Commits when fn returns OK and returns the commit's status; otherwise
// rolls back and returns fn's status. A Connector/C++ exception escaping fn (from code
// that used the driver directly) is rolled back and mapped like any other driver error;
// other exceptions roll back and propagate. A commit can fail with ABORTED (deadlock,
// TiDB write conflict): wrap the call in WithRetries.
absl::Status RunInTransaction(ConnectionPool& pool,
                              absl::FunctionRef<absl::Status(Connection&)> fn);

// The same on a connection the caller already holds (e.g. a migration's lease).
absl::Status RunInTransaction(Connection& conn, absl::FunctionRef<absl::Status(Connection&)> fn);

struct RetryPolicy {
  int max_attempts = 4;  // Including the first.
  absl::Duration initial_backoff = absl::Milliseconds(10);
  absl::Duration max_backoff = absl::Milliseconds(200);
  double backoff_multiplier = 2.0;
};

// Calls fn until it returns anything but ABORTED (deadlock 1213, lock wait timeout 1205,
// TiDB write conflict), at most policy.max_attempts times, sleeping a random duration in
// [backoff/2, backoff] between attempts ("equal jitter" on an exponential backoff).
// Returns fn's last status. fn must be a whole transaction: retrying a single statement
// of a transaction the server already rolled back would be wrong.
absl::Status WithRetries(const RetryPolicy& policy, absl::FunctionRef<absl::Status()> fn);

// An optimistic-concurrency conflict found inside a transaction (the caller's version is
// stale): ABORTED with `message`, marked so that RunInTransactionWithRetries returns it
// at once instead of retrying (it would fail the same way every time).
absl::Status StaleVersionError(std::string message);

// One write transaction: RunInTransaction(pool, fn) inside WithRetries(policy, ...), so
// a deadlock or write conflict re-runs the whole of fn; a StaleVersionError from fn is
// returned at once, without its marker (an ordinary ABORTED with the same message).
//
//   RETURN_IF_ERROR(db::RunInTransactionWithRetries(*pool_, [&](db::Connection& conn) {
//     ASSIGN_OR_RETURN(db::ExecResult r, conn.Execute("UPDATE ... AND version = ?", ...));
//     if (r.affected_rows == 0) return db::StaleVersionError("document 7 changed");
//     return absl::OkStatus();
//   }));
absl::Status RunInTransactionWithRetries(ConnectionPool& pool,
                                         absl::FunctionRef<absl::Status(Connection&)> fn,
                                         const RetryPolicy& policy = RetryPolicy{});

}  // namespace gongkai::db

#endif  // GONGKAI_LIBS_DB_TRANSACTION_H_
