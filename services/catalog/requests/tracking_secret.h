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

namespace gongkai::catalog::requests {

// `chars` characters from the CSPRNG (OpenSSL RAND_bytes). Aborts if the CSPRNG fails:
// handing out a guessable secret would be worse than stopping.
std::string RandomToken(int chars);

// Whether SHA-256 of `secret` equals `stored_hex`, compared in constant time.
bool SecretMatches(absl::string_view secret, absl::string_view stored_hex);

}  // namespace gongkai::catalog::requests

#endif  // GONGKAI_SERVICES_CATALOG_REQUESTS_TRACKING_SECRET_H_
