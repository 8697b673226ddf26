// Authenticator: turns the `authorization` gRPC metadata of a call into a Principal.
//
// Every service verifies the caller's token itself (no trusted gateway hop): the
// handler authenticates first, then checks the RPC's Rule (policy.h).
//
//   ASSIGN_OR_RETURN(Principal caller, authenticator.Authenticate(*context));
//   RETURN_IF_ERROR(Require(caller, kCreateDocument, request.unit_id()));
//
// No `authorization` header → the anonymous Principal (Role PUBLIC). A header that is
// present but not a valid `Bearer <JWT>` → UNAUTHENTICATED with the reason (expired,
// bad signature, wrong audience, ...); messages never contain the token.
//
// The JWT implementation and its configuration are in jwt_authenticator.h; tests of
// services can use MockAuthenticator (mock_authenticator.h) or mint real tokens
// (token_minter.h).
//
// Thread-safety: implementations are immutable after construction; all methods may be
// called concurrently.
#ifndef GONGKAI_LIBS_AUTH_AUTHENTICATOR_H_
#define GONGKAI_LIBS_AUTH_AUTHENTICATOR_H_

#include <map>
#include <optional>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/string_ref.h"
#include "libs/auth/principal.h"

namespace gongkai::auth {

// The metadata key (gRPC lower-cases keys) and the HTTP header it mirrors.
inline constexpr absl::string_view kAuthorizationMetadataKey = "authorization";

class Authenticator {
 public:
  virtual ~Authenticator() = default;

  // Verifies a bare token (no "Bearer " prefix). UNAUTHENTICATED when it is not valid.
  virtual absl::StatusOr<Principal> VerifyToken(absl::string_view token) const = 0;

  // The value of an `Authorization` header: nullopt → anonymous; otherwise it must be
  // "Bearer <token>" (scheme case-insensitive) and the token must verify. For the HTTP
  // gateway, which sees the header before it becomes metadata.
  absl::StatusOr<Principal> AuthenticateHeader(
      std::optional<absl::string_view> authorization) const;

  // The call's client metadata. More than one `authorization` entry is UNAUTHENTICATED.
  absl::StatusOr<Principal> Authenticate(
      const std::multimap<grpc::string_ref, grpc::string_ref>& metadata) const;

  // Works for grpc::ServerContext and grpc::CallbackServerContext.
  absl::StatusOr<Principal> Authenticate(const grpc::ServerContextBase& context) const;
};

}  // namespace gongkai::auth

#endif  // GONGKAI_LIBS_AUTH_AUTHENTICATOR_H_
