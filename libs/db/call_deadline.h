// The deadline of the RPC a thread is serving, so the database work done for the call
// stops when its client has stopped waiting (issue 15, "Lock contention and slow
// queries").
//
// The RPC layer (auth::AnswerAuthenticated) opens a CallDeadlineScope with the call's
// deadline for the duration of the handler; ConnectionPool::Acquire() then
//  - refuses with DEADLINE_EXCEEDED once the deadline has passed (a retried transaction,
//    the next step of a handler: nothing more is started for an abandoned call), and
//    waits for a free connection no longer than the deadline;
//  - bounds the session's row-lock waits by the time the call has left
//    (innodb_lock_wait_timeout, whole seconds, at least 1; MySQL 8, MariaDB and TiDB's
//    pessimistic transactions all honour it), set only when the bound changes, and put
//    back to the server's default for work outside any call.
// Any statement (Query, Execute) still running at the deadline, slow or waiting, is then
// stopped on the server by the pool's StatementWatchdog (statement_watchdog.h) and
// returns DEADLINE_EXCEEDED; the lock-wait bound stays as the backstop when the KILL
// cannot be sent.
//
//   {
//     db::CallDeadlineScope scope(absl::Now() + absl::Seconds(2));
//     ASSIGN_OR_RETURN(db::ConnectionLease conn, pool.Acquire());  // lock waits <= 2 s
//   }
//
// Header-only (a thread-local); scopes nest, the innermost wins.
#ifndef GONGKAI_LIBS_DB_CALL_DEADLINE_H_
#define GONGKAI_LIBS_DB_CALL_DEADLINE_H_

#include "absl/time/time.h"

namespace gongkai::db {

namespace internal {
inline thread_local absl::Time current_call_deadline = absl::InfiniteFuture();
}  // namespace internal

// absl::InfiniteFuture() outside any call (or for a call without a deadline).
inline absl::Time CurrentCallDeadline() { return internal::current_call_deadline; }

class CallDeadlineScope {
 public:
  explicit CallDeadlineScope(absl::Time deadline) : previous_(internal::current_call_deadline) {
    internal::current_call_deadline = deadline;
  }
  ~CallDeadlineScope() { internal::current_call_deadline = previous_; }
  CallDeadlineScope(const CallDeadlineScope&) = delete;
  CallDeadlineScope& operator=(const CallDeadlineScope&) = delete;

 private:
  absl::Time previous_;
};

}  // namespace gongkai::db

#endif  // GONGKAI_LIBS_DB_CALL_DEADLINE_H_
