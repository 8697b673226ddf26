// Minting signed JWTs with the claims described in principal.h. Used by tests of every
// service and by the `gongkai-token` CLI; production tokens come from the identity
// provider, which must issue the same claims.
//
//   Claims claims;
//   claims.subject = "alice";
//   claims.unit_id = 3;
//   claims.roles = {"STAFF"};
//   claims.issuer = "gongkai-dev";
//   claims.audience = {"gongkai"};
//   claims.issued_at = clock.Now();
//   ASSIGN_OR_RETURN(std::string jwt, MintHs256(claims, secret, absl::Hours(1)));
//
// Signing is done by libjwt (see the ADR); verification (jwt_authenticator.h) is an
// independent OpenSSL implementation, so tests cross-check the two.
//
// Thread-safety: free functions without shared state.
#ifndef GONGKAI_LIBS_AUTH_TOKEN_MINTER_H_
#define GONGKAI_LIBS_AUTH_TOKEN_MINTER_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace gongkai::auth {

struct Claims {
  std::string subject;             // "sub"; required.
  std::optional<int64_t> unit_id;  // "unit_id".
  // "roles", written as given (tests may include unknown strings on purpose).
  std::vector<std::string> roles;
  std::string issuer;  // "iss"; required.
  // "aud": one entry is written as a string, several as an array; at least one.
  std::vector<std::string> audience;
  // "iat"; required (absl::InfinitePast() = unset). `exp` = issued_at + ttl.
  absl::Time issued_at = absl::InfinitePast();
  std::optional<absl::Time> not_before;  // "nbf".
};

// HS256 with `secret` (at least kMinHs256SecretBytes). INVALID_ARGUMENT on missing
// claims, a short secret or ttl <= 0; INTERNAL if libjwt fails.
absl::StatusOr<std::string> MintHs256(const Claims& claims, absl::string_view secret,
                                      absl::Duration ttl);

// RS256 with an RSA private key PEM; `kid` goes into the header when not empty.
// INVALID_ARGUMENT as above or when the key cannot be used for RS256.
absl::StatusOr<std::string> MintRs256(const Claims& claims, absl::string_view private_key_pem,
                                      absl::string_view kid, absl::Duration ttl);

}  // namespace gongkai::auth

#endif  // GONGKAI_LIBS_AUTH_TOKEN_MINTER_H_
