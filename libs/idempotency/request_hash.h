// The fingerprint of an idempotent request, stored with its response so that a reused
// request id with a different request is refused instead of replayed (idempotency.h).
//
//   const idempotency::Key key{caller.subject, "CreateUnit", request.request_id(),
//                              idempotency::RequestHash(request)};
//
// Stateless; thread-safe.
#ifndef GONGKAI_LIBS_IDEMPOTENCY_REQUEST_HASH_H_
#define GONGKAI_LIBS_IDEMPOTENCY_REQUEST_HASH_H_

#include <string>

#include "google/protobuf/message.h"

namespace gongkai::idempotency {

// Lower-case hex SHA-256 (64 characters) of the deterministic serialization of
// `request` with its `request_id` field (if it has one) cleared: equal for a retry of
// the same request, different when any other field differs. Deterministic within one
// build; a field added to the message later changes nothing for requests that leave it
// unset (proto3 omits default values).
std::string RequestHash(const google::protobuf::Message& request);

}  // namespace gongkai::idempotency

#endif  // GONGKAI_LIBS_IDEMPOTENCY_REQUEST_HASH_H_
