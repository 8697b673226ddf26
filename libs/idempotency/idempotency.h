// Idempotent creates, shared by every service of the suite: a client-chosen request id
// makes a create safe to retry, because a retry with the same key gets the response the
// first attempt stored instead of creating again.
//
// The domain layer owns the flow (this header: no SQL, no gRPC); the repository stores
// the serialized first response in the same transaction as the create (on MySQL:
// libs/db/idempotency.h, table idempotency_keys).
//
//   const idempotency::Key key =
//       idempotency::MakeKey(caller.subject, "CreateUnit", request.request_id(), request);
//   ASSIGN_OR_RETURN(v1::Unit unit,
//                    idempotency::IdempotentCreate<v1::Unit>(
//                        *repository_, key, [&](const idempotency::Key* stored_key) {
//                          return repository_->CreateUnit(to_store, stored_key);
//                        }));
//
// A used request id with a different request is INVALID_ARGUMENT naming `request_id`
// (a field violation), never the first request's response: the store compares the
// stored request hash with key.request_hash (CheckSameRequest; libs/db does it).
//
// `Store` is any type with
//   absl::StatusOr<std::optional<std::string>> FindIdempotentResponse(const Key&);
// that returns the CheckSameRequest error when the stored request differs.
// `Message` is a protobuf message (ParseFromString). Stateless templates; thread-safe as
// far as the store is.
#ifndef GONGKAI_LIBS_IDEMPOTENCY_IDEMPOTENCY_H_
#define GONGKAI_LIBS_IDEMPOTENCY_IDEMPOTENCY_H_

#include <optional>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"
#include "libs/idempotency/request_hash.h"
#include "libs/status/errors.h"
#include "libs/status/status_macros.h"

namespace gongkai::idempotency {

// Identifies one client-requested create: a retry with the same key returns the
// stored response instead of creating again.
struct Key {
  Key() = default;
  Key(std::string subject, std::string method, std::string request_id,
      std::string request_hash = "")
      : subject(std::move(subject)),
        method(std::move(method)),
        request_id(std::move(request_id)),
        request_hash(std::move(request_hash)) {}

  std::string subject;     // Who asked (the principal's subject, "" for anonymous).
  std::string method;      // e.g. "CreateDocument".
  std::string request_id;  // The client's id; "" means the create is not idempotent.
  // RequestHash() of the request; "" means unknown (a lookup that does not know the
  // request, or a row stored before hashes were): accepted as the same request.
  std::string request_hash;
};

// OK when a response stored with `stored_hash` may be replayed for `key`: either hash is
// unknown (""), or they are equal. Otherwise INVALID_ARGUMENT naming request_id: the id
// was used for another request.
inline absl::Status CheckSameRequest(const Key& key, absl::string_view stored_hash) {
  if (key.request_hash.empty() || stored_hash.empty() || key.request_hash == stored_hash) {
    return absl::OkStatus();
  }
  return InvalidField("request_id",
                      absl::StrCat("request id ", key.request_id,
                                   " was already used for a different request; use a new one"));
}

// The key of `subject`'s create `request` through `method`, with the request's hash
// (RequestHash; "" without a request id, when nothing is stored anyway).
inline Key MakeKey(std::string subject, std::string method, std::string request_id,
                   const google::protobuf::Message& request) {
  std::string hash = request_id.empty() ? "" : RequestHash(request);
  return Key{std::move(subject), std::move(method), std::move(request_id), std::move(hash)};
}

// The key to store with a create: nullptr when the client sent no request id.
inline const Key* StoredKey(const Key& key) { return key.request_id.empty() ? nullptr : &key; }

// Parses a stored first response: nullopt when nothing is stored; INTERNAL (naming the
// request id) when the stored bytes do not parse as `Message`.
template <typename Message>
absl::StatusOr<std::optional<Message>> ParseStoredResponse(
    const Key& key, const std::optional<std::string>& stored) {
  if (!stored.has_value()) return std::optional<Message>();
  Message message;
  if (!message.ParseFromString(*stored)) {
    return absl::InternalError(
        absl::StrCat("stored response for request_id ", key.request_id, " is unreadable"));
  }
  return std::optional<Message>(std::move(message));
}

// The stored first response of an idempotent create, if there is one: nullopt when the
// key has no request id (without asking the store) or nothing is stored; the store's
// error otherwise.
template <typename Message, typename Store>
absl::StatusOr<std::optional<Message>> Replay(Store& store, const Key& key) {
  if (key.request_id.empty()) return std::optional<Message>();
  ASSIGN_OR_RETURN(std::optional<std::string> stored, store.FindIdempotentResponse(key));
  return ParseStoredResponse<Message>(key, stored);
}

// Runs an idempotent create: replays a stored response, otherwise calls
// `create(StoredKey(key))` (which must store the key with the create, atomically); a
// concurrent duplicate that lost the race on the key (ALREADY_EXISTS) gets the winner's
// response. Any other result of `create` is returned as is.
template <typename Message, typename Store, typename CreateFn>
absl::StatusOr<Message> IdempotentCreate(Store& store, const Key& key, CreateFn create) {
  ASSIGN_OR_RETURN(std::optional<Message> replay, Replay<Message>(store, key));
  if (replay.has_value()) return *std::move(replay);
  absl::StatusOr<Message> created = create(StoredKey(key));
  if (created.status().code() == absl::StatusCode::kAlreadyExists && !key.request_id.empty()) {
    ASSIGN_OR_RETURN(std::optional<Message> winner, Replay<Message>(store, key));
    if (winner.has_value()) return *std::move(winner);
  }
  return created;
}

}  // namespace gongkai::idempotency

#endif  // GONGKAI_LIBS_IDEMPOTENCY_IDEMPOTENCY_H_
