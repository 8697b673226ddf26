// Enqueue, the back-off and the inspection/operation functions of outbox.h.
#include "libs/outbox/outbox.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "absl/strings/str_cat.h"
#include "libs/db/value.h"
#include "libs/outbox/outbox_store.h"
#include "libs/status/errors.h"
#include "libs/status/status_macros.h"

namespace gongkai::outbox {
namespace {

constexpr int kPending = static_cast<int>(EventState::kPending);
constexpr int kDelivered = static_cast<int>(EventState::kDelivered);
constexpr int kParked = static_cast<int>(EventState::kParked);

bool IsNameCharacter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

bool IsKeyCharacter(char c) { return c > ' ' && c < 0x7f; }

}  // namespace

db::MigrationSet OutboxMigrationSet() { return {"outbox", OutboxMigrations()}; }

namespace internal {

bool IsValidTopic(absl::string_view topic) {
  return !topic.empty() && topic.size() <= kMaxTopicLength &&
         std::all_of(topic.begin(), topic.end(), IsNameCharacter);
}

absl::Status ValidateEvent(const OutboxEvent& event) {
  FieldViolations violations;
  if (!IsValidTopic(event.topic)) {
    violations.Add("topic", absl::StrCat("must be 1 to ", kMaxTopicLength,
                                         " characters of a-z, 0-9, '.', '_', '-'"));
  }
  if (event.destination.size() > kMaxDestinationLength ||
      !std::all_of(event.destination.begin(), event.destination.end(), IsNameCharacter)) {
    violations.Add("destination", absl::StrCat("must be at most ", kMaxDestinationLength,
                                               " characters of a-z, 0-9, '.', '_', '-'"));
  }
  if (event.event_key.empty() || event.event_key.size() > kMaxEventKeyLength ||
      !std::all_of(event.event_key.begin(), event.event_key.end(), IsKeyCharacter)) {
    violations.Add("event_key", absl::StrCat("must be 1 to ", kMaxEventKeyLength,
                                             " printable ASCII characters without spaces"));
  }
  if (event.ordering_key.size() > kMaxOrderingKeyLength ||
      !std::all_of(event.ordering_key.begin(), event.ordering_key.end(), IsKeyCharacter)) {
    violations.Add("ordering_key", absl::StrCat("must be at most ", kMaxOrderingKeyLength,
                                                " printable ASCII characters without spaces"));
  }
  if (event.payload.size() > kMaxPayloadBytes) {
    violations.Add("payload", absl::StrCat("must be at most ", kMaxPayloadBytes, " bytes"));
  }
  return violations.ToStatus();
}

std::string FormatError(const absl::Status& status) {
  constexpr size_t kMaxErrorBytes = 1024;  // last_error VARCHAR(1024), ASCII-safe cut below.
  std::string text = absl::StrCat(absl::StatusCodeToString(status.code()), ": ", status.message());
  if (text.size() <= kMaxErrorBytes) return text;
  // VARCHAR counts characters; cutting at 1024 bytes keeps it within 1024 characters. Do
  // not cut inside a UTF-8 sequence (continuation bytes are 10xxxxxx).
  size_t cut = kMaxErrorBytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  text.resize(cut);
  return text;
}

}  // namespace internal

absl::StatusOr<bool> Enqueue(db::Connection& conn, const OutboxEvent& event, absl::Time now) {
  RETURN_IF_ERROR(internal::ValidateEvent(event));
  // ON DUPLICATE KEY UPDATE id = id: a repeated key is a no-op (affected rows 0) without
  // INSERT IGNORE, which would also turn data errors into warnings. Portable to MySQL 8,
  // MariaDB and TiDB.
  ASSIGN_OR_RETURN(
      db::ExecResult result,
      conn.Execute("INSERT INTO outbox_events (topic, destination, event_key, ordering_key, "
                   "payload, state, create_time, attempts, next_attempt_time, claimed_by, "
                   "last_error) VALUES (?, ?, ?, ?, ?, 0, ?, 0, ?, '', '') "
                   "ON DUPLICATE KEY UPDATE id = id",
                   {db::Value(event.topic), db::Value(event.destination),
                    db::Value(event.event_key), db::Value(event.ordering_key),
                    db::Value(event.payload), db::Value(now), db::Value(now)}));
  return result.affected_rows > 0;
}

bool IsRetryable(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kDeadlineExceeded:
    case absl::StatusCode::kAborted:
    case absl::StatusCode::kResourceExhausted:
    case absl::StatusCode::kInternal:
    case absl::StatusCode::kUnknown:
    case absl::StatusCode::kCancelled:
    case absl::StatusCode::kUnauthenticated:
      return true;
    default:
      return false;
  }
}

absl::Duration BackoffDelay(const BackoffPolicy& policy, int failed_attempts, double jitter) {
  const double initial = absl::ToDoubleSeconds(policy.initial);
  const double max = absl::ToDoubleSeconds(policy.max);
  // multiplier^(n-1) overflows to inf for large n; min() with max keeps it finite.
  const double exponent = std::max(0, failed_attempts - 1);
  double delay = initial * std::pow(std::max(1.0, policy.multiplier), exponent);
  if (!std::isfinite(delay) || delay > max) delay = max;
  jitter = std::clamp(jitter, 0.0, 1.0);
  return absl::Seconds(delay * (0.5 + 0.5 * jitter));
}

absl::StatusOr<std::vector<TopicStats>> ReadTopicStats(db::ConnectionPool& pool) {
  ASSIGN_OR_RETURN(db::ConnectionLease conn, pool.Acquire());
  ASSIGN_OR_RETURN(db::ResultSet rows,
                   conn->Query("SELECT topic, state, COUNT(*) AS n, MIN(create_time) AS oldest "
                               "FROM outbox_events WHERE state IN (?, ?) GROUP BY topic, state "
                               "ORDER BY topic, state",
                               {db::Value(kPending), db::Value(kParked)}));
  std::vector<TopicStats> stats;
  for (const db::Row& row : rows) {
    ASSIGN_OR_RETURN(std::string topic, row.GetString("topic"));
    ASSIGN_OR_RETURN(int64_t state, row.GetInt64("state"));
    ASSIGN_OR_RETURN(int64_t count, row.GetInt64("n"));
    if (stats.empty() || stats.back().topic != topic) {
      stats.emplace_back();
      stats.back().topic = topic;
    }
    if (state == kPending) {
      stats.back().backlog = count;
      ASSIGN_OR_RETURN(stats.back().oldest_undelivered_create_time, row.GetOptionalTime("oldest"));
    } else {
      stats.back().parked = count;
    }
  }
  return stats;
}

absl::StatusOr<StoredEvent> ReadEvent(db::ConnectionPool& pool, absl::string_view event_key) {
  ASSIGN_OR_RETURN(db::ConnectionLease conn, pool.Acquire());
  ASSIGN_OR_RETURN(
      db::ResultSet rows,
      conn->Query("SELECT id, topic, destination, event_key, ordering_key, payload, state, "
                  "create_time, attempts, next_attempt_time, claimed_by, claim_token, "
                  "claim_until, last_error, delivered_time, parked_time "
                  "FROM outbox_events WHERE event_key = ?",
                  {db::Value(event_key)}));
  if (rows.empty()) {
    return absl::NotFoundError(absl::StrCat("no outbox event has the key '", event_key, "'"));
  }
  const db::Row& row = rows[0];
  StoredEvent stored;
  ASSIGN_OR_RETURN(stored.event.id, row.GetInt64("id"));
  ASSIGN_OR_RETURN(stored.event.topic, row.GetString("topic"));
  ASSIGN_OR_RETURN(stored.event.destination, row.GetString("destination"));
  ASSIGN_OR_RETURN(stored.event.event_key, row.GetString("event_key"));
  ASSIGN_OR_RETURN(stored.event.ordering_key, row.GetString("ordering_key"));
  ASSIGN_OR_RETURN(stored.event.payload, row.GetString("payload"));
  ASSIGN_OR_RETURN(stored.event.create_time, row.GetTime("create_time"));
  ASSIGN_OR_RETURN(int64_t state, row.GetInt64("state"));
  stored.state = static_cast<EventState>(state);
  ASSIGN_OR_RETURN(int64_t attempts, row.GetInt64("attempts"));
  stored.attempts = static_cast<int>(attempts);
  stored.event.attempt = stored.attempts + 1;
  ASSIGN_OR_RETURN(stored.next_attempt_time, row.GetTime("next_attempt_time"));
  ASSIGN_OR_RETURN(std::optional<std::string> token, row.GetOptionalString("claim_token"));
  ASSIGN_OR_RETURN(std::optional<absl::Time> claim_until, row.GetOptionalTime("claim_until"));
  if (token.has_value() && claim_until.has_value()) {
    ASSIGN_OR_RETURN(stored.claimed_by, row.GetString("claimed_by"));
    stored.claim_until = claim_until;
  }
  ASSIGN_OR_RETURN(stored.last_error, row.GetString("last_error"));
  ASSIGN_OR_RETURN(stored.delivered_time, row.GetOptionalTime("delivered_time"));
  ASSIGN_OR_RETURN(stored.parked_time, row.GetOptionalTime("parked_time"));
  return stored;
}

absl::StatusOr<int64_t> RequeueParked(db::ConnectionPool& pool, absl::string_view topic,
                                      absl::string_view event_key, absl::Time now) {
  ASSIGN_OR_RETURN(db::ConnectionLease conn, pool.Acquire());
  // attempts is kept (the history of the event), parked_time cleared; the next failure
  // backs off from where it was, capped at the policy's max.
  ASSIGN_OR_RETURN(db::ExecResult result,
                   conn->Execute("UPDATE outbox_events SET state = ?, next_attempt_time = ?, "
                                 "parked_time = NULL, claim_token = NULL, claim_until = NULL "
                                 "WHERE state = ? AND topic = ? AND (? = '' OR event_key = ?)",
                                 {db::Value(kPending), db::Value(now), db::Value(kParked),
                                  db::Value(topic), db::Value(event_key), db::Value(event_key)}));
  return result.affected_rows;
}

absl::StatusOr<int64_t> PurgeDelivered(db::ConnectionPool& pool, absl::Time delivered_before,
                                       int batch_size, const std::function<bool()>& stopping) {
  if (batch_size <= 0) return absl::InvalidArgumentError("batch_size must be positive");
  int64_t purged = 0;
  while (stopping == nullptr || !stopping()) {
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool.Acquire());
    // Single-table DELETE ... ORDER BY ... LIMIT in short autocommit statements (MySQL 8,
    // MariaDB, TiDB), so no lock is held for long. The (state, id) index walks the
    // delivered events oldest first; they were delivered roughly in id order, so the
    // walk meets the old ones first and stops after a batch.
    ASSIGN_OR_RETURN(db::ExecResult deleted,
                     conn->Execute(absl::StrCat("DELETE FROM outbox_events WHERE state = ? AND "
                                                "delivered_time < ? ORDER BY id LIMIT ",
                                                batch_size),
                                   {db::Value(kDelivered), db::Value(delivered_before)}));
    purged += deleted.affected_rows;
    if (deleted.affected_rows < batch_size) break;
  }
  return purged;
}

}  // namespace gongkai::outbox
