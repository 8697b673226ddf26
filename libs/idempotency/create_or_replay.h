// Idempotent creates without the read before the write (issue 14 P3): the create runs
// at once, and the stored response is replayed only when the key's unique index refuses
// the insert. An addition to idempotency.h, in its own header so that the services
// that do not use it are not rebuilt for it.
//
//   ASSIGN_OR_RETURN(v1::Document created,
//                    idempotency::CreateOrReplay<v1::Document>(
//                        *repository_, key, [&](const idempotency::Key* stored_key) {
//                          return repository_->CreateDocument(document, audit, stored_key);
//                        }));
//
// Stateless template; thread-safe as far as the store is.
#ifndef GONGKAI_LIBS_IDEMPOTENCY_CREATE_OR_REPLAY_H_
#define GONGKAI_LIBS_IDEMPOTENCY_CREATE_OR_REPLAY_H_

#include <optional>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "libs/idempotency/idempotency.h"
#include "libs/status/status_macros.h"

namespace gongkai::idempotency {

// IdempotentCreate without the read before the write: calls `create(StoredKey(key))`
// at once and replays the stored response only when the key's unique index refuses it
// (ALREADY_EXISTS). One round trip fewer for every first attempt, the common case; a
// retry costs a rolled-back create instead. Only for a `create` whose every effect is
// in the one transaction that stores the key (nothing sent elsewhere, no outbox row
// that could survive), so that a refused retry leaves no trace. A used request id with
// a different request is still INVALID_ARGUMENT naming request_id (the replay checks
// the hash).
template <typename Message, typename Store, typename CreateFn>
absl::StatusOr<Message> CreateOrReplay(Store& store, const Key& key, CreateFn create) {
  absl::StatusOr<Message> created = create(StoredKey(key));
  if (created.status().code() == absl::StatusCode::kAlreadyExists && !key.request_id.empty()) {
    ASSIGN_OR_RETURN(std::optional<Message> winner, Replay<Message>(store, key));
    if (winner.has_value()) return *std::move(winner);
  }
  return created;
}

}  // namespace gongkai::idempotency

#endif  // GONGKAI_LIBS_IDEMPOTENCY_CREATE_OR_REPLAY_H_
