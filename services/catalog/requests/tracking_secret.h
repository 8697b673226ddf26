// Tracking access without an account (CAT-8): each request gets a public tracking code
// and a secret; only SHA-256 of the secret is stored, and checks compare in constant
// time so timing tells nothing about how much of a guess was right.
//
//   std::string code = RandomToken(12);       // "K7QM2X9PRT4D"
//   std::string secret = RandomToken(20);
//   store(code, Sha256Hex(secret));
//   if (!SecretMatches(given, stored_hash)) return NotFound(...);
//
// Tokens use 32 unambiguous characters (no 0/O, 1/I): 5 bits each from the OS CSPRNG.
// Thread-safety: all functions may be called concurrently.
#ifndef GONGKAI_SERVICES_CATALOG_REQUESTS_TRACKING_SECRET_H_
#define GONGKAI_SERVICES_CATALOG_REQUESTS_TRACKING_SECRET_H_

#include <string>

#include "absl/strings/string_view.h"

namespace gongkai::catalog::requests {

// `chars` characters from the CSPRNG (OpenSSL RAND_bytes). Aborts if the CSPRNG fails:
// handing out a guessable secret would be worse than stopping.
std::string RandomToken(int chars);

// Lower-case hex SHA-256 of `text` (64 characters).
std::string Sha256Hex(absl::string_view text);

// Lower-case hex HMAC-SHA256 of `text` under `key` (64 characters): a keyed hash for
// values from a small space (identity document numbers) that a plain hash would not
// hide from whoever reads the table.
std::string HmacSha256Hex(absl::string_view key, absl::string_view text);

// Whether SHA-256 of `secret` equals `stored_hex`, compared in constant time.
bool SecretMatches(absl::string_view secret, absl::string_view stored_hex);

}  // namespace gongkai::catalog::requests

#endif  // GONGKAI_SERVICES_CATALOG_REQUESTS_TRACKING_SECRET_H_
