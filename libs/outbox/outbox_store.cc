#include "libs/outbox/outbox_store.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "libs/db/value.h"
#include "libs/status/status_macros.h"

namespace gongkai::outbox::internal {
namespace {

constexpr int kPending = static_cast<int>(EventState::kPending);
constexpr int kDelivered = static_cast<int>(EventState::kDelivered);
constexpr int kParked = static_cast<int>(EventState::kParked);

std::string Placeholders(size_t n) {
  std::vector<absl::string_view> marks(n, "?");
  return absl::StrJoin(marks, ", ");
}

}  // namespace

ClaimStatements::ClaimStatements(std::vector<std::string> topics, int batch_size)
    : topics_(std::move(topics)), batch_size_(batch_size) {
  // Due, unclaimed (or the claim expired: its relay died), of our topics, and not behind
  // an earlier pending event of the same topic and ordering key. The ordering check is
  // only read here, not in the UPDATE (MySQL refuses a subquery on the table being
  // updated), which is enough: an earlier event leaves the pending state only forwards
  // (delivered or parked), so a later one seen as free here stays free.
  select_candidates_sql_ = absl::StrCat(
      "SELECT e.id FROM outbox_events e WHERE e.state = ? AND e.next_attempt_time <= ? "
      "AND (e.claim_until IS NULL OR e.claim_until < ?) AND e.topic IN (",
      Placeholders(topics_.size()),
      ") AND (e.ordering_key = '' OR NOT EXISTS (SELECT 1 FROM outbox_events p "
      "WHERE p.topic = e.topic AND p.ordering_key = e.ordering_key AND p.state = ? "
      "AND p.id < e.id)) ORDER BY e.id LIMIT ",
      batch_size_);
  // One conditional UPDATE claims them all: the conditions are re-checked on the latest
  // committed row under its row lock, so of two relays racing for a row exactly one
  // matches it. The id list always has batch_size placeholders (unused ones repeat the
  // first id) so that the statement text, and its prepared statement, never varies.
  claim_sql_ = absl::StrCat(
      "UPDATE outbox_events SET claim_token = ?, claimed_by = ?, claim_until = ? "
      "WHERE id IN (",
      Placeholders(static_cast<size_t>(batch_size_)),
      ") AND state = ? AND next_attempt_time <= ? AND (claim_until IS NULL OR claim_until < ?)");
}

absl::StatusOr<std::vector<DeliveredEvent>> ClaimStatements::Claim(
    db::ConnectionPool& pool, absl::Time now, absl::Time claim_until, absl::string_view token,
    absl::string_view claimed_by) const {
  ASSIGN_OR_RETURN(db::ConnectionLease conn, pool.Acquire());
  std::vector<db::Value> params = {db::Value(kPending), db::Value(now), db::Value(now)};
  for (const std::string& topic : topics_) params.emplace_back(topic);
  params.emplace_back(kPending);
  ASSIGN_OR_RETURN(db::ResultSet candidates, conn->Query(select_candidates_sql_, params));
  std::vector<DeliveredEvent> claimed;
  if (candidates.empty()) return claimed;

  std::vector<db::Value> claim_params = {db::Value(token), db::Value(claimed_by),
                                         db::Value(claim_until)};
  for (int i = 0; i < batch_size_; ++i) {
    const db::Row& row = candidates[std::min(static_cast<size_t>(i), candidates.size() - 1)];
    ASSIGN_OR_RETURN(int64_t id, row.GetInt64(0));
    claim_params.emplace_back(id);
  }
  claim_params.emplace_back(kPending);
  claim_params.emplace_back(now);
  claim_params.emplace_back(now);
  ASSIGN_OR_RETURN(db::ExecResult updated, conn->Execute(claim_sql_, claim_params));
  if (updated.affected_rows == 0) return claimed;  // Another relay was faster.

  ASSIGN_OR_RETURN(
      db::ResultSet rows,
      conn->Query("SELECT id, topic, destination, event_key, ordering_key, payload, create_time, "
                  "attempts FROM outbox_events WHERE claim_token = ? AND state = ? ORDER BY id",
                  {db::Value(token), db::Value(kPending)}));
  claimed.reserve(rows.size());
  for (const db::Row& row : rows) {
    DeliveredEvent event;
    ASSIGN_OR_RETURN(event.id, row.GetInt64("id"));
    ASSIGN_OR_RETURN(event.topic, row.GetString("topic"));
    ASSIGN_OR_RETURN(event.destination, row.GetString("destination"));
    ASSIGN_OR_RETURN(event.event_key, row.GetString("event_key"));
    ASSIGN_OR_RETURN(event.ordering_key, row.GetString("ordering_key"));
    ASSIGN_OR_RETURN(event.payload, row.GetString("payload"));
    ASSIGN_OR_RETURN(event.create_time, row.GetTime("create_time"));
    ASSIGN_OR_RETURN(int64_t attempts, row.GetInt64("attempts"));
    event.attempt = static_cast<int>(attempts) + 1;
    claimed.push_back(std::move(event));
  }
  return claimed;
}

absl::StatusOr<bool> MarkDelivered(db::ConnectionPool& pool, int64_t id, absl::string_view token,
                                   absl::Time now) {
  ASSIGN_OR_RETURN(db::ConnectionLease conn, pool.Acquire());
  // claimed_by stays: who delivered it.
  ASSIGN_OR_RETURN(db::ExecResult result,
                   conn->Execute("UPDATE outbox_events SET state = ?, delivered_time = ?, "
                                 "attempts = attempts + 1, claim_token = NULL, claim_until = NULL "
                                 "WHERE id = ? AND claim_token = ? AND state = ?",
                                 {db::Value(kDelivered), db::Value(now), db::Value(id),
                                  db::Value(token), db::Value(kPending)}));
  return result.affected_rows > 0;
}

absl::StatusOr<bool> MarkRetry(db::ConnectionPool& pool, int64_t id, absl::string_view token,
                               absl::Time next_attempt_time, absl::string_view error) {
  ASSIGN_OR_RETURN(db::ConnectionLease conn, pool.Acquire());
  ASSIGN_OR_RETURN(
      db::ExecResult result,
      conn->Execute("UPDATE outbox_events SET attempts = attempts + 1, next_attempt_time = ?, "
                    "last_error = ?, claim_token = NULL, claim_until = NULL "
                    "WHERE id = ? AND claim_token = ? AND state = ?",
                    {db::Value(next_attempt_time), db::Value(error), db::Value(id),
                     db::Value(token), db::Value(kPending)}));
  return result.affected_rows > 0;
}

absl::StatusOr<bool> MarkParked(db::ConnectionPool& pool, int64_t id, absl::string_view token,
                                absl::Time now, absl::string_view error) {
  ASSIGN_OR_RETURN(db::ConnectionLease conn, pool.Acquire());
  ASSIGN_OR_RETURN(
      db::ExecResult result,
      conn->Execute("UPDATE outbox_events SET state = ?, parked_time = ?, "
                    "attempts = attempts + 1, last_error = ?, claim_token = NULL, "
                    "claim_until = NULL WHERE id = ? AND claim_token = ? AND state = ?",
                    {db::Value(kParked), db::Value(now), db::Value(error), db::Value(id),
                     db::Value(token), db::Value(kPending)}));
  return result.affected_rows > 0;
}

absl::Status RenewClaims(db::ConnectionPool& pool, absl::string_view token,
                         absl::Time claim_until) {
  ASSIGN_OR_RETURN(db::ConnectionLease conn, pool.Acquire());
  return conn
      ->Execute("UPDATE outbox_events SET claim_until = ? WHERE claim_token = ? AND state = ?",
                {db::Value(claim_until), db::Value(token), db::Value(kPending)})
      .status();
}

absl::Status ReleaseClaims(db::ConnectionPool& pool, absl::string_view token) {
  ASSIGN_OR_RETURN(db::ConnectionLease conn, pool.Acquire());
  return conn
      ->Execute(
          "UPDATE outbox_events SET claim_token = NULL, claim_until = NULL "
          "WHERE claim_token = ? AND state = ?",
          {db::Value(token), db::Value(kPending)})
      .status();
}

}  // namespace gongkai::outbox::internal
