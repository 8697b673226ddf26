// Tracking access without an account (CAT-8): each request gets a public tracking code
// and a secret; only SHA-256 of the secret is stored, and checks compare in constant
// time so timing tells nothing about how much of a guess was right.
//
//   std::string code = RandomToken(12);       // "K7QM2X9PRT4D"
//   std::string secret = RandomToken(20);
//   store(code, crypto::Sha256Hex(secret));  // libs/crypto/sha256.h
//   if (!SecretMatches(given, stored_hash)) return NotFound(...);
//
// Tokens use 32 unambiguous characters (no 0/O, 1/I): 5 bits each from the OS CSPRNG.
// Thread-safety: all functions may be called concurrently.
#ifndef GONGKAI_SERVICES_CATALOG_REQUESTS_TRACKING_SECRET_H_
#define GONGKAI_SERVICES_CATALOG_REQUESTS_TRACKING_SECRET_H_

#include <string>

#include "absl/strings/string_view.h"
#include "libs/idempotency/idempotency.h"

namespace gongkai::catalog::requests {

// `chars` characters from the CSPRNG (OpenSSL RAND_bytes). Aborts if the CSPRNG fails:
// handing out a guessable secret would be worse than stopping.
std::string RandomToken(int chars);

// The tracking secret of a filing that carries a request id: `chars` characters of the
// same alphabet taken from HMAC-SHA256 under `key_secret` (the catalog's applicant key
// secret) of "tracking-secret:" + `identity` (who filed, the request id and the issued
// tracking code). The exact retry of a filing derives the same secret again, so it can
// be answered with the secret without the secret ever being stored (ADR 0015); without
// `key_secret` it is as unguessable as a random one. `chars` is at most 32.
std::string DeriveTrackingSecret(absl::string_view key_secret, absl::string_view identity,
                                 int chars);

// DeriveTrackingSecret for a filing: `key` (who filed, the method and the request id)
// and the issued tracking code, 20 characters like a random secret.
std::string FilingSecret(absl::string_view key_secret, const idempotency::Key& key,
                         absl::string_view tracking_code);

// A tracking code or secret as typed by an applicant, in the form it was issued: ASCII
// letters upper-cased (the alphabet has no lower-case letters, so this costs no entropy
// and "k7qm…" read off a printed notice still works); everything else is kept as is.
std::string NormalizeTrackingToken(absl::string_view token);

// Whether SHA-256 of NormalizeTrackingToken(`secret`) equals `stored_hex`, compared in
// constant time. The stored hash is always of an issued (upper-case) secret.
bool SecretMatches(absl::string_view secret, absl::string_view stored_hex);

}  // namespace gongkai::catalog::requests

#endif  // GONGKAI_SERVICES_CATALOG_REQUESTS_TRACKING_SECRET_H_
