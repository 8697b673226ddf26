// The identity a gongkai service presents when it calls another one: a short-lived JWT
// for the service principal "service:<name>" with the single role SERVICE and no unit
// (principal.h), minted by the calling process from its configured key and verified by
// the callee like any other token. Callees authorise it with rules naming Role::kService.
//
//   ASSIGN_OR_RETURN(std::unique_ptr<ServiceIdentity> identity,
//                    NewServiceIdentity(config, clock));
//   grpc::ClientContext context;
//   RETURN_IF_ERROR(identity->Prepare(context, absl::Seconds(2)));   // token + deadline
//   grpc::Status status = stub->GetDocument(&context, request, &response);
//
// Tokens are re-minted when less than a quarter of their lifetime is left, so a call
// never leaves with a token about to expire and minting costs nothing per call.
//
// Thread-safety: all methods may be called concurrently.
#ifndef GONGKAI_LIBS_AUTH_SERVICE_IDENTITY_H_
#define GONGKAI_LIBS_AUTH_SERVICE_IDENTITY_H_

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "grpcpp/client_context.h"
#include "libs/clock/clock.h"

namespace gongkai::auth {

struct ServiceIdentityConfig {
  // The calling service's short name; the token's subject is "service:<name>".
  std::string service_name;
  // The `iss` and `aud` the callees verify (the suite's GONGKAI_JWT_ISSUER/_AUDIENCE).
  std::string issuer;
  std::string audience;
  // Exactly one key: the shared HS256 secret, or an RSA private key PEM whose public
  // half the callees hold under `rs256_kid` (GONGKAI_JWT_RS256_PUBLIC_KEYS).
  std::string hs256_secret;
  std::string rs256_private_key_pem;
  std::string rs256_kid;
  // Lifetime of one token; 1 minute .. 1 hour.
  absl::Duration token_lifetime = absl::Minutes(10);
};

class ServiceIdentity {
 public:
  virtual ~ServiceIdentity() = default;

  // "service:<name>".
  virtual const std::string& subject() const = 0;

  // "Bearer <jwt>" for the `authorization` metadata.
  virtual absl::StatusOr<std::string> AuthorizationValue() = 0;

  // Puts the authorization metadata on `context` and a deadline of now + `timeout`
  // (every call between services has one). INTERNAL if a token cannot be minted.
  absl::Status Prepare(grpc::ClientContext& context, absl::Duration timeout);
};

// INVALID_ARGUMENT naming the problem: no or two keys, an unusable key (checked by
// minting once), an empty name, issuer or audience, a lifetime out of range. `clock`
// must outlive the identity.
absl::StatusOr<std::unique_ptr<ServiceIdentity>> NewServiceIdentity(
    const ServiceIdentityConfig& config, const Clock& clock);

}  // namespace gongkai::auth

#endif  // GONGKAI_LIBS_AUTH_SERVICE_IDENTITY_H_
