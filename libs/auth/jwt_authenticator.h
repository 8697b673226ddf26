// The JWT Authenticator: verifies compact JWS tokens signed with HS256 (a shared secret)
// or RS256 (RSA public keys in PEM, chosen by the `kid` header; several keys may be
// configured at once so keys can be rotated).
//
//   AuthConfig config;
//   config.rs256_public_keys["2025-01"] = pem;   // or config.hs256_secret = secret;
//   config.issuer = "gongkai-idp";
//   config.audience = "gongkai";
//   ASSIGN_OR_RETURN(std::unique_ptr<Authenticator> auth, NewJwtAuthenticator(config, clock));
//
// A token is accepted only if all of these hold (else UNAUTHENTICATED naming the first
// failure): three base64url parts; header `alg` is HS256 with a configured secret or
// RS256 with a configured key (so "none", other algorithms and HS256-with-an-RSA-key
// confusion are refused before any cryptography); no `crit` header; the signature
// verifies (OpenSSL; HMAC compared in constant time); `exp` is present and not passed;
// `nbf`, if present, has been reached; `iss` equals the issuer; `aud` (string or array)
// contains the audience; `sub` is a non-empty string of at most kMaxSubjectChars
// characters; claims have the types listed in
// principal.h. Times are compared with the injected Clock, tolerating `leeway` of skew.
//
// Thread-safety: the authenticator is immutable; VerifyToken may run concurrently.
#ifndef GONGKAI_LIBS_AUTH_JWT_AUTHENTICATOR_H_
#define GONGKAI_LIBS_AUTH_JWT_AUTHENTICATOR_H_

#include <cstddef>
#include <map>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/auth/authenticator.h"
#include "libs/clock/clock.h"

namespace gongkai::auth {

// The longest `sub` accepted, in characters (UTF-8 code points): the subject is stored
// in VARCHAR(200) columns (answered_by, extension_approver, audit actors...), so a longer
// one is refused at authentication rather than truncated or failed on write.
inline constexpr size_t kMaxSubjectChars = 200;
// RFC 7518 §3.2: an HS256 key must be at least as long as the hash output.
inline constexpr size_t kMinHs256SecretBytes = 32;
// RSA keys shorter than this are refused (RFC 7518 §3.3).
inline constexpr int kMinRsaKeyBits = 2048;
// Longer tokens are refused before any parsing.
inline constexpr size_t kMaxTokenBytes = 8 * 1024;

struct AuthConfig {
  // Enables HS256 when non-empty; at least kMinHs256SecretBytes bytes.
  std::string hs256_secret;
  // Enables RS256: key id (`kid`) → RSA public key PEM ("BEGIN PUBLIC KEY"). A token
  // without `kid` is accepted only when exactly one key is configured.
  std::map<std::string, std::string> rs256_public_keys;
  // Required `iss` and `aud` values; both must be set.
  std::string issuer;
  std::string audience;
  // Clock skew tolerated on `exp` and `nbf`; 0 .. 5 minutes.
  absl::Duration leeway = absl::Seconds(30);
};

// INVALID_ARGUMENT naming the problem when the configuration is unusable (no key at all,
// short secret, a PEM that is not an RSA public key of kMinRsaKeyBits, empty issuer or
// audience, leeway out of range). `clock` must outlive the authenticator.
absl::StatusOr<std::unique_ptr<Authenticator>> NewJwtAuthenticator(const AuthConfig& config,
                                                                   const Clock& clock);

}  // namespace gongkai::auth

#endif  // GONGKAI_LIBS_AUTH_JWT_AUTHENTICATOR_H_
