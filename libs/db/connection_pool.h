// A bounded pool of MySQL connections handed out as RAII leases.
//
//   ASSIGN_OR_RETURN(std::unique_ptr<db::ConnectionPool> pool,
//                    db::ConnectionPool::Create(config));
//   {
//     ASSIGN_OR_RETURN(db::ConnectionLease conn, pool->Acquire(absl::Seconds(1)));
//     ASSIGN_OR_RETURN(db::ResultSet rows, conn->Query("SELECT 1"));
//   }  // the lease goes back to the pool here
//
// Behaviour:
//  - At most config.pool_size connections exist (in use + idle). Connections are opened
//    lazily, on demand; Create() opens none, so a service can start before its database.
//  - Acquire() waits up to `timeout` for a free connection, then returns UNAVAILABLE
//    naming the pool ("db pool 'catalog' exhausted: ..."). Opening a new connection is
//    bounded by config.connect_timeout, not by `timeout`; a failed open is UNAVAILABLE
//    (server unreachable) or INTERNAL (bad credentials / unknown database).
//  - An idle connection unused for config.validation_interval is pinged before it is
//    handed out; a dead one is closed and replaced. A connection that reported a lost
//    session (UNAVAILABLE) is discarded when its lease ends, and every idle connection
//    is then pinged before reuse, so after a database restart the pool recovers by
//    itself: the next Acquire() opens fresh connections.
//  - Several servers (config.host "a:3306,b:3306,c:3306", a Galera cluster; ADR 0025):
//    connections are opened to the current server, at first the first entry. When it
//    cannot be reached or is not ready (a Galera node outside the primary component),
//    the next entries are tried in turn within the same Acquire() and the one that
//    opens becomes current; when a connection to the current server breaks, the next
//    entry becomes current, so the sessions that replace the broken ones are opened on
//    another node. Connections already open elsewhere stay in use. There is no fail-back:
//    the pool stays on the node that works (give replicas different orders to spread
//    them). A statement or COMMIT cut off by a node's death is UNAVAILABLE to the caller
//    (its outcome unknown), never retried here; Galera certification conflicts are 1213,
//    ABORTED, and retried by RunInTransactionWithRetries.
//  - A statement still running at the deadline of the call it serves (call_deadline.h)
//    is stopped on the server (KILL QUERY) and returns DEADLINE_EXCEEDED; the session
//    stays in the pool (statement_watchdog.h).
//  - Stats() is cheap and may be called at any time, e.g. from callback gauges.
//
// Thread-safe. The pool must outlive every lease (destroying it with leases
// outstanding aborts the process).
#ifndef GONGKAI_LIBS_DB_CONNECTION_POOL_H_
#define GONGKAI_LIBS_DB_CONNECTION_POOL_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "libs/db/connection.h"
#include "libs/db/db_config.h"
#include "libs/db/statement_watchdog.h"

namespace gongkai::db {

struct PoolStats {
  int64_t in_use = 0;  // Leased out, or being opened for a waiting Acquire().
  int64_t idle = 0;
  int64_t max = 0;                       // config.pool_size.
  int64_t waits_total = 0;               // Acquire() calls that had to wait.
  int64_t wait_timeouts_total = 0;       // ... and gave up with UNAVAILABLE.
  int64_t errors_total = 0;              // Failed opens + connections discarded as broken.
  int64_t connections_opened_total = 0;  // Successful opens.
  // Times the current server changed to another entry of a multi-server host list.
  int64_t failovers_total = 0;
  // Statements stopped on the server (KILL QUERY) because they ran past their call's
  // deadline, and KILLs that failed (statement_watchdog.h).
  int64_t statements_killed_total = 0;
  int64_t statement_kill_failures_total = 0;
};

class ConnectionPool;

// Exclusive use of one pooled connection until destroyed (or moved from). Move-only.
class ConnectionLease {
 public:
  ConnectionLease(ConnectionLease&& other) noexcept;
  ConnectionLease& operator=(ConnectionLease&& other) noexcept;
  ConnectionLease(const ConnectionLease&) = delete;
  ConnectionLease& operator=(const ConnectionLease&) = delete;
  ~ConnectionLease();

  Connection* operator->() const { return conn_.get(); }
  Connection& operator*() const { return *conn_; }
  Connection* get() const { return conn_.get(); }

 private:
  friend class ConnectionPool;
  ConnectionLease(ConnectionPool* pool, std::unique_ptr<Connection> conn);
  void Release();

  ConnectionPool* pool_ = nullptr;
  std::unique_ptr<Connection> conn_;
};

class ConnectionPool {
 public:
  // INVALID_ARGUMENT when the config does not validate. Opens no connection.
  static absl::StatusOr<std::unique_ptr<ConnectionPool>> Create(DbConfig config);

  ~ConnectionPool();
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;

  // Waits at most `timeout` for a connection (see the file comment for the codes).
  absl::StatusOr<ConnectionLease> Acquire(absl::Duration timeout);
  // Acquire(config.acquire_timeout).
  absl::StatusOr<ConnectionLease> Acquire();

  PoolStats Stats() const;
  const DbConfig& config() const { return config_; }
  const std::string& name() const { return name_; }

 private:
  friend class ConnectionLease;

  struct IdleConnection {
    std::unique_ptr<Connection> conn;
    absl::Time last_used;
    int64_t suspect_epoch = 0;  // suspect_epoch_ when it went idle.
  };

  ConnectionPool(DbConfig config, std::vector<DbEndpoint> endpoints);
  void Return(std::unique_ptr<Connection> conn);
  bool CanProceedLocked() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Opens a connection on the current server, else on the next ones in turn.
  absl::StatusOr<std::unique_ptr<Connection>> OpenOnSomeServer();
  // A connection to `endpoint` broke: if that is the current server, move to the next.
  void ServerSuspected(const std::string& endpoint) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const DbConfig config_;
  const std::string name_;
  const std::vector<DbEndpoint> endpoints_;

  mutable absl::Mutex mu_;
  std::vector<IdleConnection> idle_ ABSL_GUARDED_BY(mu_);  // LIFO: hot connections first.
  int64_t in_use_ ABSL_GUARDED_BY(mu_) = 0;
  // Bumped whenever a connection turns out broken: idle connections from an older
  // epoch are pinged before reuse because the server may have restarted.
  int64_t suspect_epoch_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t waits_total_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t wait_timeouts_total_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t errors_total_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t connections_opened_total_ ABSL_GUARDED_BY(mu_) = 0;
  size_t current_server_ ABSL_GUARDED_BY(mu_) = 0;  // Index into endpoints_.
  int64_t failovers_total_ ABSL_GUARDED_BY(mu_) = 0;
  // Given to every connection the pool opens; stops their statements at call deadlines.
  const std::unique_ptr<StatementWatchdog> watchdog_;
};

}  // namespace gongkai::db

#endif  // GONGKAI_LIBS_DB_CONNECTION_POOL_H_
