#include "libs/db/transaction.h"

#include <cppconn/exception.h>

#include <algorithm>
#include <exception>
#include <optional>
#include <string>
#include <utility>

#include "absl/random/random.h"
#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "libs/db/mysql_errors.h"

namespace gongkai::db {

// Connection's transaction controls are private; this is the one place that uses them.
class Transaction {
 public:
  static absl::Status Run(Connection& conn, absl::FunctionRef<absl::Status(Connection&)> fn) {
    if (conn.in_transaction_) {
      // START TRANSACTION would silently commit the outer transaction.
      return absl::FailedPreconditionError(
          "RunInTransaction called on a connection that is already in a transaction");
    }
    absl::Status begin = conn.Begin();
    if (!begin.ok()) return begin;
    absl::Status status;
    try {
      status = fn(conn);
    } catch (const sql::SQLException& e) {
      if (IsConnectionLostError(e.getErrorCode())) conn.broken_ = true;
      status = MysqlErrorToStatus(e.getErrorCode(), e.getSQLState(), e.what());
    } catch (...) {
      // Not ours to swallow, but the transaction must not stay open on a pooled session.
      conn.Rollback().IgnoreError();
      throw;
    }
    if (!status.ok()) {
      // Best effort: a failed rollback marks the connection broken, and the server rolls
      // back when the session closes.
      conn.Rollback().IgnoreError();
      return status;
    }
    absl::Status commit = conn.Commit();
    if (!commit.ok()) {
      // After a failed COMMIT the transaction is already rolled back (deadlock, conflict)
      // or the session is gone; make sure nothing stays open either way.
      if (!conn.broken()) conn.Rollback().IgnoreError();
      return commit;
    }
    return absl::OkStatus();
  }
};

absl::Status RunInTransaction(Connection& conn, absl::FunctionRef<absl::Status(Connection&)> fn) {
  return Transaction::Run(conn, fn);
}

absl::Status RunInTransaction(ConnectionPool& pool,
                              absl::FunctionRef<absl::Status(Connection&)> fn) {
  absl::StatusOr<ConnectionLease> lease = pool.Acquire();
  if (!lease.ok()) return lease.status();
  return Transaction::Run(**lease, fn);
}

absl::Status WithRetries(const RetryPolicy& policy, absl::FunctionRef<absl::Status()> fn) {
  // Seeded only when a retry needs it: a BitGen reads the OS entropy source, a cost
  // every transaction would otherwise pay.
  std::optional<absl::BitGen> gen;
  absl::Duration backoff = policy.initial_backoff;
  const int attempts = std::max(1, policy.max_attempts);
  absl::Status status;
  for (int attempt = 1; attempt <= attempts; ++attempt) {
    status = fn();
    if (status.code() != absl::StatusCode::kAborted || attempt == attempts) break;
    if (!gen.has_value()) gen.emplace();
    const double fraction = absl::Uniform(*gen, 0.5, 1.0);
    absl::SleepFor(backoff * fraction);
    backoff = std::min(policy.max_backoff, backoff * policy.backoff_multiplier);
  }
  if (status.code() == absl::StatusCode::kAborted && attempts > 1) {
    return absl::AbortedError(
        absl::StrCat("gave up after ", attempts, " attempts: ", status.message()));
  }
  return status;
}

namespace {
// Marks a StaleVersionError while it crosses the retry loop; never leaves this file.
constexpr char kStaleVersionPayload[] = "type.gongkai.dev/db.StaleVersion";
}  // namespace

absl::Status StaleVersionError(std::string message) {
  absl::Status status = absl::AbortedError(std::move(message));
  status.SetPayload(kStaleVersionPayload, absl::Cord());
  return status;
}

absl::Status RunInTransactionWithRetries(ConnectionPool& pool,
                                         absl::FunctionRef<absl::Status(Connection&)> fn,
                                         const RetryPolicy& policy) {
  absl::Status stale;
  absl::Status status = WithRetries(policy, [&]() -> absl::Status {
    absl::Status attempt = RunInTransaction(pool, fn);
    if (attempt.GetPayload(kStaleVersionPayload).has_value()) {
      stale = std::move(attempt);
      return absl::OkStatus();  // Ends the retry loop; `stale` is the result.
    }
    return attempt;
  });
  if (stale.ok()) return status;
  stale.ErasePayload(kStaleVersionPayload);
  return stale;
}

}  // namespace gongkai::db
