#include "libs/outbox/outbox_store.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "libs/db/transaction.h"
#include "libs/db/value.h"
#include "libs/status/status_macros.h"

namespace gongkai::outbox::internal {
namespace {

constexpr int kPending = static_cast<int>(EventState::kPending);
constexpr int kDelivered = static_cast<int>(EventState::kDelivered);
constexpr int kParked = static_cast<int>(EventState::kParked);

// One outcome statement (autocommit, so a whole transaction), retried on ABORTED: a
// Galera certification conflict or a TiDB write conflict would otherwise lose the
// outcome and cost a second delivery when the claim expires.
absl::StatusOr<bool> ExecuteOutcome(db::ConnectionPool& pool, absl::string_view sql,
                                    const std::vector<db::Value>& params) {
  bool changed = false;
  RETURN_IF_ERROR(db::WithRetries(db::RetryPolicy{}, [&]() -> absl::Status {
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool.Acquire());
    ASSIGN_OR_RETURN(db::ExecResult result, conn->Execute(sql, params));
    changed = result.affected_rows > 0;
    return absl::OkStatus();
  }));
  return changed;
}

std::string Placeholders(size_t n) {
  std::vector<absl::string_view> marks(n, "?");
  return absl::StrJoin(marks, ", ");
}

}  // namespace

BatchStatements::BatchStatements(std::vector<std::string> topics, int batch_size)
    : topics_(std::move(topics)),
      batch_size_(batch_size),
      id_list_(Placeholders(static_cast<size_t>(batch_size))) {
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
  // matches it.
  claim_sql_ = absl::StrCat(
      "UPDATE outbox_events SET claim_token = ?, claimed_by = ?, claim_until = ? "
      "WHERE id IN (",
      id_list_,
      ") AND state = ? AND next_attempt_time <= ? AND (claim_until IS NULL OR claim_until < ?)");
  select_claimed_sql_ = absl::StrCat(
      "SELECT id, topic, destination, event_key, ordering_key, payload, create_time, attempts "
      "FROM outbox_events WHERE claim_token = ? AND state = ? AND id IN (",
      id_list_, ") ORDER BY id");
  // claimed_by stays: who delivered it.
  mark_delivered_sql_ = absl::StrCat(
      "UPDATE outbox_events SET state = ?, delivered_time = ?, attempts = attempts + 1, "
      "claim_token = NULL, claim_until = NULL WHERE claim_token = ? AND state = ? AND id IN (",
      id_list_, ")");
  renew_sql_ = absl::StrCat(
      "UPDATE outbox_events SET claim_until = ? WHERE claim_token = ? AND state = ? AND id IN (",
      id_list_, ")");
  release_sql_ = absl::StrCat(
      "UPDATE outbox_events SET claim_token = NULL, claim_until = NULL "
      "WHERE claim_token = ? AND state = ? AND id IN (",
      id_list_, ")");
}

std::vector<db::Value> BatchStatements::WithIds(std::vector<db::Value> params,
                                                const std::vector<int64_t>& ids) const {
  for (int i = 0; i < batch_size_; ++i) {
    params.emplace_back(ids[std::min(static_cast<size_t>(i), ids.size() - 1)]);
  }
  return params;
}

absl::StatusOr<std::vector<DeliveredEvent>> BatchStatements::Claim(
    db::ConnectionPool& pool, absl::Time now, absl::Time claim_until, absl::string_view token,
    absl::string_view claimed_by) const {
  ASSIGN_OR_RETURN(db::ConnectionLease conn, pool.Acquire());
  std::vector<db::Value> params = {db::Value(kPending), db::Value(now), db::Value(now)};
  for (const std::string& topic : topics_) params.emplace_back(topic);
  params.emplace_back(kPending);
  ASSIGN_OR_RETURN(db::ResultSet candidates, conn->Query(select_candidates_sql_, params));
  std::vector<DeliveredEvent> claimed;
  if (candidates.empty()) return claimed;
  std::vector<int64_t> ids;
  for (const db::Row& row : candidates) {
    ASSIGN_OR_RETURN(int64_t id, row.GetInt64(0));
    ids.push_back(id);
  }

  std::vector<db::Value> claim_params =
      WithIds({db::Value(token), db::Value(claimed_by), db::Value(claim_until)}, ids);
  claim_params.emplace_back(kPending);
  claim_params.emplace_back(now);
  claim_params.emplace_back(now);
  ASSIGN_OR_RETURN(db::ExecResult updated, conn->Execute(claim_sql_, claim_params));
  if (updated.affected_rows == 0) return claimed;  // Another relay was faster.

  ASSIGN_OR_RETURN(
      db::ResultSet rows,
      conn->Query(select_claimed_sql_, WithIds({db::Value(token), db::Value(kPending)}, ids)));
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

absl::StatusOr<int64_t> BatchStatements::MarkDelivered(db::ConnectionPool& pool,
                                                       const std::vector<int64_t>& ids,
                                                       absl::string_view token,
                                                       absl::Time now) const {
  if (ids.empty()) return 0;
  int64_t marked = 0;
  const std::vector<db::Value> params =
      WithIds({db::Value(kDelivered), db::Value(now), db::Value(token), db::Value(kPending)}, ids);
  // Autocommit, so a whole transaction: retried on ABORTED (see ExecuteOutcome).
  RETURN_IF_ERROR(db::WithRetries(db::RetryPolicy{}, [&]() -> absl::Status {
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool.Acquire());
    ASSIGN_OR_RETURN(db::ExecResult result, conn->Execute(mark_delivered_sql_, params));
    marked = result.affected_rows;
    return absl::OkStatus();
  }));
  return marked;
}

absl::Status BatchStatements::Renew(db::ConnectionPool& pool, const std::vector<int64_t>& ids,
                                    absl::string_view token, absl::Time claim_until) const {
  if (ids.empty()) return absl::OkStatus();
  ASSIGN_OR_RETURN(db::ConnectionLease conn, pool.Acquire());
  return conn
      ->Execute(renew_sql_,
                WithIds({db::Value(claim_until), db::Value(token), db::Value(kPending)}, ids))
      .status();
}

absl::Status BatchStatements::Release(db::ConnectionPool& pool, const std::vector<int64_t>& ids,
                                      absl::string_view token) const {
  if (ids.empty()) return absl::OkStatus();
  ASSIGN_OR_RETURN(db::ConnectionLease conn, pool.Acquire());
  return conn->Execute(release_sql_, WithIds({db::Value(token), db::Value(kPending)}, ids))
      .status();
}

absl::StatusOr<bool> MarkDelivered(db::ConnectionPool& pool, int64_t id, absl::string_view token,
                                   absl::Time now) {
  // claimed_by stays: who delivered it.
  return ExecuteOutcome(pool,
                        "UPDATE outbox_events SET state = ?, delivered_time = ?, "
                        "attempts = attempts + 1, claim_token = NULL, claim_until = NULL "
                        "WHERE id = ? AND claim_token = ? AND state = ?",
                        {db::Value(kDelivered), db::Value(now), db::Value(id), db::Value(token),
                         db::Value(kPending)});
}

absl::StatusOr<bool> MarkRetry(db::ConnectionPool& pool, int64_t id, absl::string_view token,
                               absl::Time next_attempt_time, absl::string_view error) {
  return ExecuteOutcome(pool,
                        "UPDATE outbox_events SET attempts = attempts + 1, next_attempt_time = ?, "
                        "last_error = ?, claim_token = NULL, claim_until = NULL "
                        "WHERE id = ? AND claim_token = ? AND state = ?",
                        {db::Value(next_attempt_time), db::Value(error), db::Value(id),
                         db::Value(token), db::Value(kPending)});
}

absl::StatusOr<bool> MarkParked(db::ConnectionPool& pool, int64_t id, absl::string_view token,
                                absl::Time now, absl::string_view error) {
  return ExecuteOutcome(pool,
                        "UPDATE outbox_events SET state = ?, parked_time = ?, "
                        "attempts = attempts + 1, last_error = ?, claim_token = NULL, "
                        "claim_until = NULL WHERE id = ? AND claim_token = ? AND state = ?",
                        {db::Value(kParked), db::Value(now), db::Value(error), db::Value(id),
                         db::Value(token), db::Value(kPending)});
}

}  // namespace gongkai::outbox::internal
