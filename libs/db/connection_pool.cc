#include "libs/db/connection_pool.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <unordered_map>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "libs/db/call_deadline.h"

namespace gongkai::db {
namespace {

// The innodb_lock_wait_timeout each open session was given for the call it serves
// (absent: the server's default), kept beside the pool so Connection stays as it is;
// an entry goes when the pool closes its connection (ForgetLockWaitBound).
absl::Mutex lock_wait_bounds_mu;
std::unordered_map<const Connection*, int>& LockWaitBounds() {
  static auto* bounds = new std::unordered_map<const Connection*, int>();
  return *bounds;
}

void ForgetLockWaitBound(const Connection* conn) {
  absl::MutexLock lock(&lock_wait_bounds_mu);
  LockWaitBounds().erase(conn);
}

// Row-lock waits of the session end with the call it serves (call_deadline.h): the
// bound is set when it differs from the session's, DEFAULT outside any call.
absl::StatusOr<ConnectionLease> BoundLockWaits(ConnectionLease lease, absl::Time call_deadline) {
  int wanted = 0;  // The server's default.
  if (call_deadline != absl::InfiniteFuture()) {
    const double left = absl::ToDoubleSeconds(call_deadline - absl::Now());
    wanted = static_cast<int>(std::clamp(std::ceil(left), 1.0, 3600.0));
  }
  {
    absl::MutexLock lock(&lock_wait_bounds_mu);
    auto it = LockWaitBounds().find(lease.get());
    if ((it == LockWaitBounds().end() ? 0 : it->second) == wanted) return lease;
  }
  absl::Status set = lease->ExecuteUnprepared(
      wanted == 0 ? std::string("SET SESSION innodb_lock_wait_timeout = DEFAULT")
                  : absl::StrCat("SET SESSION innodb_lock_wait_timeout = ", wanted));
  if (!set.ok()) return set;
  absl::MutexLock lock(&lock_wait_bounds_mu);
  LockWaitBounds()[lease.get()] = wanted;
  return lease;
}

}  // namespace

ConnectionLease::ConnectionLease(ConnectionPool* pool, std::unique_ptr<Connection> conn)
    : pool_(pool), conn_(std::move(conn)) {}

ConnectionLease::ConnectionLease(ConnectionLease&& other) noexcept
    : pool_(std::exchange(other.pool_, nullptr)), conn_(std::move(other.conn_)) {}

ConnectionLease& ConnectionLease::operator=(ConnectionLease&& other) noexcept {
  if (this != &other) {
    Release();
    pool_ = std::exchange(other.pool_, nullptr);
    conn_ = std::move(other.conn_);
  }
  return *this;
}

ConnectionLease::~ConnectionLease() { Release(); }

void ConnectionLease::Release() {
  if (pool_ != nullptr && conn_ != nullptr) pool_->Return(std::move(conn_));
  pool_ = nullptr;
  conn_.reset();
}

absl::StatusOr<std::unique_ptr<ConnectionPool>> ConnectionPool::Create(DbConfig config) {
  absl::Status valid = config.Validate();
  if (!valid.ok()) return valid;
  absl::StatusOr<std::vector<DbEndpoint>> endpoints = config.Endpoints();
  if (!endpoints.ok()) return endpoints.status();
  return std::unique_ptr<ConnectionPool>(
      new ConnectionPool(std::move(config), *std::move(endpoints)));
}

ConnectionPool::ConnectionPool(DbConfig config, std::vector<DbEndpoint> endpoints)
    : config_(std::move(config)),
      name_(config_.EffectivePoolName()),
      endpoints_(std::move(endpoints)),
      watchdog_(std::make_unique<StatementWatchdog>(config_)) {}

absl::StatusOr<std::unique_ptr<Connection>> ConnectionPool::OpenOnSomeServer() {
  size_t start;
  {
    absl::MutexLock lock(&mu_);
    start = current_server_;
  }
  absl::Status last;
  for (size_t i = 0; i < endpoints_.size(); ++i) {
    const size_t index = (start + i) % endpoints_.size();
    absl::StatusOr<std::unique_ptr<Connection>> opened =
        Connection::Open(config_.ForEndpoint(endpoints_[index]));
    if (opened.ok()) {
      if (i != 0) {
        absl::MutexLock lock(&mu_);
        if (current_server_ != index) {
          current_server_ = index;
          ++failovers_total_;
        }
      }
      return opened;
    }
    // Bad credentials or an unknown database are the same on every node.
    if (opened.status().code() != absl::StatusCode::kUnavailable) return opened.status();
    last = opened.status();
  }
  if (endpoints_.size() == 1) return last;
  return absl::UnavailableError(absl::StrCat("none of the ", endpoints_.size(),
                                             " database servers answered; last: ", last.message()));
}

void ConnectionPool::ServerSuspected(const std::string& endpoint) {
  if (endpoints_.size() < 2 || endpoints_[current_server_].ToString() != endpoint) return;
  current_server_ = (current_server_ + 1) % endpoints_.size();
  ++failovers_total_;
}

ConnectionPool::~ConnectionPool() {
  std::vector<IdleConnection> idle;
  {
    absl::MutexLock lock(&mu_);
    if (in_use_ != 0) {
      std::fprintf(stderr, "db pool '%s' destroyed with %lld connection(s) still leased\n",
                   name_.c_str(), static_cast<long long>(in_use_));
      std::abort();
    }
    idle.swap(idle_);
  }
  for (const IdleConnection& c : idle) ForgetLockWaitBound(c.conn.get());
  // Closing happens outside the lock (it talks to the server).
}

bool ConnectionPool::CanProceedLocked() const {
  return !idle_.empty() || in_use_ + static_cast<int64_t>(idle_.size()) < config_.pool_size;
}

absl::StatusOr<ConnectionLease> ConnectionPool::Acquire() {
  return Acquire(config_.acquire_timeout);
}

absl::StatusOr<ConnectionLease> ConnectionPool::Acquire(absl::Duration timeout) {
  // The RPC being served (call_deadline.h): nothing more for a call its client gave up.
  const absl::Time call_deadline = CurrentCallDeadline();
  if (call_deadline <= absl::Now()) {
    return absl::DeadlineExceededError(
        absl::StrCat("db pool '", name_, "': the call's deadline has passed"));
  }
  const absl::Time deadline = std::min(absl::Now() + timeout, call_deadline);
  bool waited = false;
  while (true) {
    IdleConnection candidate;
    bool must_validate = false;
    {
      absl::MutexLock lock(&mu_);
      if (!CanProceedLocked()) {
        if (!waited) ++waits_total_;
        waited = true;
        if (!mu_.AwaitWithDeadline(absl::Condition(this, &ConnectionPool::CanProceedLocked),
                                   deadline)) {
          ++wait_timeouts_total_;
          if (call_deadline <= absl::Now()) {
            return absl::DeadlineExceededError(
                absl::StrCat("db pool '", name_,
                             "': the call's deadline passed while waiting for a connection"));
          }
          return absl::UnavailableError(
              absl::StrCat("db pool '", name_, "' exhausted: no connection became free within ",
                           absl::FormatDuration(timeout), " (all ", config_.pool_size, " in use)"));
        }
      }
      ++in_use_;
      if (!idle_.empty()) {
        candidate = std::move(idle_.back());
        idle_.pop_back();
        must_validate = candidate.suspect_epoch < suspect_epoch_ ||
                        absl::Now() - candidate.last_used >= config_.validation_interval;
      }
    }
    // From here the slot is ours (counted in in_use_); server round trips happen unlocked.
    if (candidate.conn != nullptr) {
      if (!must_validate || candidate.conn->Ping()) {
        return BoundLockWaits(ConnectionLease(this, std::move(candidate.conn)), call_deadline);
      }
      const std::string endpoint = candidate.conn->endpoint();
      ForgetLockWaitBound(candidate.conn.get());
      candidate.conn.reset();  // Dead: close it and try the next one (or open a new one).
      absl::MutexLock lock(&mu_);
      --in_use_;
      ++errors_total_;
      ++suspect_epoch_;
      ServerSuspected(endpoint);
      continue;
    }
    absl::StatusOr<std::unique_ptr<Connection>> opened = OpenOnSomeServer();
    {
      absl::MutexLock lock(&mu_);
      if (!opened.ok()) {
        --in_use_;
        ++errors_total_;
        return absl::Status(opened.status().code(),
                            absl::StrCat("db pool '", name_, "': ", opened.status().message()));
      }
      ++connections_opened_total_;
    }
    (*opened)->set_statement_watchdog(watchdog_.get());
    return BoundLockWaits(ConnectionLease(this, *std::move(opened)), call_deadline);
  }
}

void ConnectionPool::Return(std::unique_ptr<Connection> conn) {
  if (conn->broken()) {
    const std::string endpoint = conn->endpoint();
    ForgetLockWaitBound(conn.get());
    conn.reset();  // Close outside the lock.
    absl::MutexLock lock(&mu_);
    --in_use_;
    ++errors_total_;
    ++suspect_epoch_;
    ServerSuspected(endpoint);
    return;
  }
  absl::MutexLock lock(&mu_);
  --in_use_;
  idle_.push_back(IdleConnection{std::move(conn), absl::Now(), suspect_epoch_});
}

PoolStats ConnectionPool::Stats() const {
  absl::MutexLock lock(&mu_);
  PoolStats stats;
  stats.in_use = in_use_;
  stats.idle = static_cast<int64_t>(idle_.size());
  stats.max = config_.pool_size;
  stats.waits_total = waits_total_;
  stats.wait_timeouts_total = wait_timeouts_total_;
  stats.errors_total = errors_total_;
  stats.connections_opened_total = connections_opened_total_;
  stats.failovers_total = failovers_total_;
  stats.statements_killed_total = watchdog_->statements_killed_total();
  stats.statement_kill_failures_total = watchdog_->kill_failures_total();
  return stats;
}

}  // namespace gongkai::db
