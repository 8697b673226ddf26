#include "libs/db/statement_watchdog.h"

#include <cppconn/prepared_statement.h>

#include <algorithm>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "libs/db/call_deadline.h"
#include "libs/db/connection.h"
#include "libs/log/log.h"

namespace gongkai::db {
namespace {

constexpr size_t kMaxSqlInMessage = 160;

// A KILL is one short round trip; the killer must not hang on a server that is gone
// while other statements wait for their turn.
constexpr absl::Duration kKillerConnectTimeout = absl::Seconds(2);
constexpr absl::Duration kKillerReadTimeout = absl::Seconds(5);

}  // namespace

StatementWatchdog::StatementWatchdog(DbConfig config) : config_(std::move(config)) {}

StatementWatchdog::~StatementWatchdog() {
  {
    absl::MutexLock lock(&mu_);
    stop_ = true;
    wake_.Signal();
  }
  if (thread_.joinable()) thread_.join();
}

int64_t StatementWatchdog::statements_killed_total() const {
  absl::MutexLock lock(&mu_);
  return killed_total_;
}

int64_t StatementWatchdog::kill_failures_total() const {
  absl::MutexLock lock(&mu_);
  return kill_failures_total_;
}

void StatementWatchdog::Begin(Watched* watched) {
  absl::MutexLock lock(&mu_);
  watched_.push_back(watched);
  if (!started_) {
    started_ = true;
    thread_ = std::thread([this] { Run(); });
    return;
  }
  // The thread sleeps until the earliest deadline it knew of; wake it only for an
  // earlier one (the common case, a later deadline, costs no signal).
  if (watched->kill_at < sleeping_until_) wake_.Signal();
}

StatementWatchdog::State StatementWatchdog::End(Watched* watched) {
  absl::MutexLock lock(&mu_);
  // A KILL in flight for this statement: the session must not be used before it has
  // returned, or it could stop the next statement sent on it.
  while (watched->state == State::kKilling) finished_.Wait(&mu_);
  auto it = std::find(watched_.begin(), watched_.end(), watched);
  if (it != watched_.end()) {
    *it = watched_.back();
    watched_.pop_back();
  }
  return watched->state;
}

void StatementWatchdog::Run() {
  std::vector<Watched*> due;
  std::vector<absl::Status> results;
  absl::MutexLock lock(&mu_);
  while (!stop_) {
    const absl::Time now = absl::Now();
    absl::Time next = absl::InfiniteFuture();
    due.clear();
    for (Watched* watched : watched_) {
      if (watched->state != State::kRunning) continue;
      if (watched->kill_at <= now) {
        watched->state = State::kKilling;
        due.push_back(watched);
      } else {
        next = std::min(next, watched->kill_at);
      }
    }
    if (due.empty()) {
      sleeping_until_ = next;
      wake_.WaitWithDeadline(&mu_, next);
      sleeping_until_ = absl::InfinitePast();
      continue;
    }
    // The KILLs go out unlocked (statements keep starting and ending meanwhile); the
    // owners of `due` wait in End() until their state is settled.
    results.clear();
    mu_.Unlock();
    for (Watched* watched : due) {
      results.push_back(Kill(*watched->endpoint, watched->connection_id));
    }
    mu_.Lock();
    for (size_t i = 0; i < due.size(); ++i) {
      if (results[i].ok()) {
        due[i]->state = State::kKilled;
        ++killed_total_;
      } else {
        due[i]->state = State::kKillFailed;
        ++kill_failures_total_;
      }
    }
    finished_.SignalAll();
  }
}

absl::Status StatementWatchdog::Kill(const std::string& endpoint, uint64_t connection_id) {
  std::unique_ptr<Connection>& killer = killers_[endpoint];
  if (killer == nullptr || killer->broken()) {
    killer.reset();
    absl::StatusOr<std::vector<DbEndpoint>> servers = config_.Endpoints();
    if (!servers.ok()) return servers.status();
    auto server = std::find_if(servers->begin(), servers->end(),
                               [&](const DbEndpoint& e) { return e.ToString() == endpoint; });
    if (server == servers->end()) {
      return absl::InternalError(absl::StrCat("no server ", endpoint, " in the pool's host list"));
    }
    DbConfig killer_config = config_.ForEndpoint(*server);
    killer_config.connect_timeout = std::min(killer_config.connect_timeout, kKillerConnectTimeout);
    killer_config.read_timeout = kKillerReadTimeout;
    absl::StatusOr<std::unique_ptr<Connection>> opened = Connection::Open(killer_config);
    if (!opened.ok()) {
      GK_LOG(WARNING, "cannot stop a statement past its call's deadline: no session to kill from")
          .With("pool", config_.EffectivePoolName())
          .With("server", endpoint)
          .With("connection_id", static_cast<int64_t>(connection_id))
          .With("status", opened.status());
      return opened.status();
    }
    killer = *std::move(opened);
  }
  // Text protocol: KILL cannot be prepared on every server. The id is our own number.
  absl::Status killed = killer->ExecuteUnprepared(absl::StrCat("KILL QUERY ", connection_id));
  if (killed.ok()) {
    GK_LOG(INFO, "statement stopped on the server at its call's deadline")
        .With("pool", config_.EffectivePoolName())
        .With("server", endpoint)
        .With("connection_id", static_cast<int64_t>(connection_id));
  } else {
    GK_LOG(WARNING, "KILL QUERY for a statement past its call's deadline failed")
        .With("pool", config_.EffectivePoolName())
        .With("server", endpoint)
        .With("connection_id", static_cast<int64_t>(connection_id))
        .With("status", killed);
  }
  return killed;
}

StatementWatch::StatementWatch(Connection& conn) : conn_(conn) {
  if (conn.watchdog_ == nullptr || conn.server_connection_id_ == 0) return;
  const absl::Time deadline = CurrentCallDeadline();
  if (deadline == absl::InfiniteFuture()) return;
  const absl::Time now = absl::Now();
  watched_.connection_id = conn.server_connection_id_;
  watched_.endpoint = &conn.endpoint_;
  watched_.kill_at = deadline > now ? deadline : now + StatementWatchdog::kLateStatementGrace;
  watchdog_ = conn.watchdog_;
  watchdog_->Begin(&watched_);
}

StatementWatch::~StatementWatch() {
  if (watchdog_ != nullptr) watchdog_->End(&watched_);
}

absl::Status StatementWatch::Finish(absl::string_view sql) {
  if (watchdog_ == nullptr) return absl::OkStatus();
  const StatementWatchdog::State state = watchdog_->End(&watched_);
  watchdog_ = nullptr;
  if (state != StatementWatchdog::State::kKilled) return absl::OkStatus();
  // The interrupted execution may leave the driver's statement in any state.
  conn_.statements_.erase(std::string(sql));
  // Fence: a KILL that reached the session after the statement had ended is taken by
  // this no-op at the latest (MySQL resets it at the next command; MariaDB ignores a KILL
  // QUERY of an idle session). Twice refused: the session's state is unknown, discard it.
  if (!conn_.broken_ && !conn_.ExecuteUnprepared("DO 0").ok() &&
      !conn_.ExecuteUnprepared("DO 0").ok()) {
    conn_.broken_ = true;
  }
  return absl::DeadlineExceededError(absl::StrCat(
      "the statement ran past the call's deadline and was stopped on the server (KILL QUERY ",
      watched_.connection_id, ") [sql: ", sql.substr(0, kMaxSqlInMessage),
      sql.size() > kMaxSqlInMessage ? "..." : "", "]"));
}

}  // namespace gongkai::db
