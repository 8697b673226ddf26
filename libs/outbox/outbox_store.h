// The statements on outbox_events that the relay runs (internal to libs/outbox; tests
// use them to play a relay that claims and then dies). Every state change of a claimed
// event is conditional on the claim token, so a relay whose lease expired and was taken
// over changes nothing (it sees `false`).
//
// Thread-safe (each call leases its own connection from the pool).
#ifndef GONGKAI_LIBS_OUTBOX_OUTBOX_STORE_H_
#define GONGKAI_LIBS_OUTBOX_OUTBOX_STORE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "libs/db/connection_pool.h"
#include "libs/db/value.h"
#include "libs/outbox/outbox.h"

namespace gongkai::outbox::internal {

// INVALID_ARGUMENT naming the field (Enqueue's checks).
absl::Status ValidateEvent(const OutboxEvent& event);
// [a-z0-9._-]+ of at most kMaxTopicLength.
bool IsValidTopic(absl::string_view topic);

// The statements on a batch of events for one fixed set of topics and batch size,
// built once: every id list has batch_size placeholders (unused ones repeat an id), so
// the SQL text never varies and each connection prepares each statement once. Rows are
// found by primary key and claim token, so the claim token needs no index.
class BatchStatements {
 public:
  BatchStatements(std::vector<std::string> topics, int batch_size);

  // Claims up to batch_size due events (pending, next_attempt_time <= now, no live
  // claim, no earlier pending event with the same topic and non-empty ordering key) for
  // `token` until `claim_until`, and returns them in id order with `attempt` set.
  absl::StatusOr<std::vector<DeliveredEvent>> Claim(db::ConnectionPool& pool, absl::Time now,
                                                    absl::Time claim_until, absl::string_view token,
                                                    absl::string_view claimed_by) const;

  // Marks the events `ids` (at most batch_size) delivered at `now` in one statement, if
  // still claimed with `token`; returns how many were.
  absl::StatusOr<int64_t> MarkDelivered(db::ConnectionPool& pool, const std::vector<int64_t>& ids,
                                        absl::string_view token, absl::Time now) const;
  // Extends the claims of `ids` still held with `token` to `claim_until`.
  absl::Status Renew(db::ConnectionPool& pool, const std::vector<int64_t>& ids,
                     absl::string_view token, absl::Time claim_until) const;
  // Drops the claims of `ids` still held with `token` (a relay stopping).
  absl::Status Release(db::ConnectionPool& pool, const std::vector<int64_t>& ids,
                       absl::string_view token) const;

 private:
  // `params` followed by batch_size ids (padded with the first).
  std::vector<db::Value> WithIds(std::vector<db::Value> params,
                                 const std::vector<int64_t>& ids) const;

  std::vector<std::string> topics_;
  int batch_size_;
  std::string id_list_;  // "?, ?, ..." batch_size times.
  std::string select_candidates_sql_;
  std::string claim_sql_;
  std::string select_claimed_sql_;
  std::string mark_delivered_sql_;
  std::string renew_sql_;
  std::string release_sql_;
};

// The outcome of one attempt on one event; false when the claim was no longer ours.
absl::StatusOr<bool> MarkDelivered(db::ConnectionPool& pool, int64_t id, absl::string_view token,
                                   absl::Time now);
absl::StatusOr<bool> MarkRetry(db::ConnectionPool& pool, int64_t id, absl::string_view token,
                               absl::Time next_attempt_time, absl::string_view error);
absl::StatusOr<bool> MarkParked(db::ConnectionPool& pool, int64_t id, absl::string_view token,
                                absl::Time now, absl::string_view error);

// "<CODE>: <message>", cut to fit last_error (at a UTF-8 boundary).
std::string FormatError(const absl::Status& status);

}  // namespace gongkai::outbox::internal

#endif  // GONGKAI_LIBS_OUTBOX_OUTBOX_STORE_H_
