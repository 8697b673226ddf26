// Stops a statement on the database server when it runs past the deadline of the call it
// serves (issue 15, "Lock contention and slow queries": the client gets DEADLINE_EXCEEDED
// on time AND the server stops working on it). call_deadline.h bounds the pool acquire
// and row-lock waits; this bounds everything else a statement can spend time on (a
// heavy SELECT, a slow trigger, a sort, a metadata lock).
//
// One StatementWatchdog per ConnectionPool, one thread each (started on the first
// statement that has a call deadline). Connection::Query and Connection::Execute put a
// StatementWatch around the statement when the thread serves a call with a deadline
// (CallDeadlineScope); when the statement is still running at that deadline, the
// watchdog sends `KILL QUERY <CONNECTION_ID()>` from a session of its own on the same
// server. Portable: MySQL 8, MariaDB (also a Galera node: the kill goes to the node the
// session is on) and TiDB (from 6.1 its connection ids are cluster-wide, global kill, so
// the KILL may land on any instance behind a load balancer) all stop the statement with
// error 1317 and keep the session. Vitess: vtgate accepts KILL QUERY for its own
// connection ids from v18 (vitessio/vitess#13371); on older vtgates the KILL fails
// (counted, logged) and vttablet's query timeout is the server-side bound.
//
// Guarantees:
//  - Only the statement being watched is killed, never one of a later call that reuses
//    the session: a watch is one registration (its own entry, under the watchdog's
//    mutex); the watchdog marks it "killing" before it sends the KILL, and the thread
//    running the statement cannot end its watch — and so cannot send anything else on
//    the session — until that KILL has returned. A KILL that arrives after the statement
//    has already finished on the server finds the session idle; the session is then
//    fenced with `DO 0` before reuse (MySQL clears a pending KILL QUERY at the next
//    command: at worst the fence takes it), and a session whose fence fails is discarded.
//  - The interrupted statement returns DEADLINE_EXCEEDED (whatever the server answered:
//    1317, or a result cut short), never ABORTED (not retried) nor UNAVAILABLE (the
//    session is fine). Its cached prepared statement is dropped. Inside a transaction
//    only the statement was undone; RunInTransaction then rolls the transaction back.
//  - A statement begun after the deadline had already passed (clean-up after a failed
//    step) gets kLateStatementGrace before it is killed.
//  - Transaction control (START TRANSACTION, COMMIT, ROLLBACK) and ExecuteUnprepared are
//    never watched: a ROLLBACK must not be stopped.
// Cost: nothing when the thread serves no call or its call has no deadline; otherwise
// one uncontended mutex round per statement start and end (no thread, no timer per
// statement); the watchdog thread sleeps until the earliest watched deadline.
// If the KILL fails, the statement runs on and the session's row-lock bound and driver
// read timeout remain the limits: the server is unreachable, or the session is running
// another user's code (a trigger, view or routine with another DEFINER: the server then
// sees that user, and only CONNECTION ADMIN / SUPER may kill it — the services' own
// objects are created by their migrations, as their own user).
//
// Thread-safe.
#ifndef GONGKAI_LIBS_DB_STATEMENT_WATCHDOG_H_
#define GONGKAI_LIBS_DB_STATEMENT_WATCHDOG_H_

#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "libs/db/db_config.h"

namespace gongkai::db {

class Connection;

class StatementWatchdog {
 public:
  // Time a statement started after its call's deadline may run before it is killed.
  static constexpr absl::Duration kLateStatementGrace = absl::Milliseconds(100);

  // `config` is the pool's: the killer sessions are opened with it (same user: a user
  // may always kill its own sessions), one per server, when first needed.
  explicit StatementWatchdog(DbConfig config);
  ~StatementWatchdog();  // No statement may be watched any more.
  StatementWatchdog(const StatementWatchdog&) = delete;
  StatementWatchdog& operator=(const StatementWatchdog&) = delete;

  int64_t statements_killed_total() const;
  // KILL QUERY statements that failed (server unreachable, statement unsupported).
  int64_t kill_failures_total() const;

 private:
  friend class StatementWatch;

  enum class State { kRunning, kKilling, kKilled, kKillFailed };
  struct Watched {
    uint64_t connection_id = 0;
    const std::string* endpoint = nullptr;  // The session's; valid while watched.
    absl::Time kill_at;
    State state = State::kRunning;
  };

  void Begin(Watched* watched);
  // Waits out a KILL in flight for it; returns the final state.
  State End(Watched* watched);
  void Run();
  // KILL QUERY `connection_id` on `endpoint`, from the killer session of that server.
  absl::Status Kill(const std::string& endpoint, uint64_t connection_id);

  const DbConfig config_;
  mutable absl::Mutex mu_;
  absl::CondVar wake_;      // The thread: stop, or a deadline earlier than it sleeps to.
  absl::CondVar finished_;  // Owners waiting for a KILL in flight.
  std::vector<Watched*> watched_ ABSL_GUARDED_BY(mu_);
  // When the thread wakes next; InfinitePast() while it is scanning or killing.
  absl::Time sleeping_until_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  bool started_ ABSL_GUARDED_BY(mu_) = false;
  int64_t killed_total_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t kill_failures_total_ ABSL_GUARDED_BY(mu_) = 0;
  std::thread thread_;
  // Watchdog thread only: one session per server ("host:port") for the KILLs.
  std::unordered_map<std::string, std::unique_ptr<Connection>> killers_;
};

// Around one statement on `conn` (connection.cc); see the file comment.
//
//   StatementWatch watch(*this);
//   absl::StatusOr<ResultSet> result = QueryUnwatched(sql, params);
//   if (absl::Status stopped = watch.Finish(sql); !stopped.ok()) return stopped;
class StatementWatch {
 public:
  // Watches when `conn` belongs to a pool (has a watchdog) and the thread serves a call
  // with a deadline (call_deadline.h); otherwise does nothing.
  explicit StatementWatch(Connection& conn);
  ~StatementWatch();
  StatementWatch(const StatementWatch&) = delete;
  StatementWatch& operator=(const StatementWatch&) = delete;

  // Ends the watch. OK when the statement was not killed; DEADLINE_EXCEEDED (naming
  // `sql`) when it was, after fencing the session (see the file comment).
  absl::Status Finish(absl::string_view sql);

 private:
  Connection& conn_;
  StatementWatchdog* watchdog_ = nullptr;  // Null: not watched, or already finished.
  StatementWatchdog::Watched watched_;
};

}  // namespace gongkai::db

#endif  // GONGKAI_LIBS_DB_STATEMENT_WATCHDOG_H_
