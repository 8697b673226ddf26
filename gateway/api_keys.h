// API keys for system-to-system callers (an OA system, a records system) that cannot
// hold a user's JWT. Each key maps to a principal with a subject, a unit and roles.
//
// Only SHA-256 hashes are kept, in a JSON file the operator writes (gongkai-api-key
// prints a new key and the entry to paste):
//
//   {"keys": [{"name": "oa-system", "sha256": "<64 hex>", "subject": "system:oa",
//              "unit_id": 12, "roles": ["STAFF"]}]}
//
// Callers send the key as `X-Api-Key: <key>`:
//
//   ASSIGN_OR_RETURN(std::unique_ptr<ApiKeyStore> keys, LoadApiKeyStoreFile(path));
//   ASSIGN_OR_RETURN(auth::Principal caller, keys->Authenticate(header_value));
//
// Entry rules (as for JWT claims, libs/auth/principal.h): name and subject non-empty,
// names and hashes unique, unit_id a positive integer when present, roles from STAFF,
// REVIEWER, OFFICE, INSPECTOR, ADMIN (STAFF and REVIEWER need unit_id). Unknown fields
// are an error, so a misspelt "roles" cannot silently grant nothing.
//
// Thread-safety: an ApiKeyStore is immutable after parsing; Authenticate is safe from
// many threads.
#ifndef GONGKAI_GATEWAY_API_KEYS_H_
#define GONGKAI_GATEWAY_API_KEYS_H_

#include <cstddef>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "libs/auth/principal.h"

namespace gongkai::gateway {

// The header callers present their key in.
inline constexpr absl::string_view kApiKeyHeader = "x-api-key";

class ApiKeyStore {
 public:
  virtual ~ApiKeyStore() = default;

  // The principal of the key. UNAUTHENTICATED "unknown API key" when it matches nothing
  // (never NOT_FOUND, and the key is never echoed); UNAUTHENTICATED "empty API key" for
  // an empty value. The hash is compared in constant time.
  virtual absl::StatusOr<auth::Principal> Authenticate(absl::string_view presented_key) const = 0;

  // Number of configured keys.
  virtual size_t size() const = 0;
};

// Parses the JSON configuration above. INVALID_ARGUMENT naming the bad entry and field,
// e.g. `keys[1] ("oa-system").sha256: must be 64 hexadecimal digits`.
absl::StatusOr<std::unique_ptr<ApiKeyStore>> ParseApiKeyStore(absl::string_view json_text);

// Reads and parses `path`. NOT_FOUND when the file cannot be read; the parse error
// prefixed with the path otherwise.
absl::StatusOr<std::unique_ptr<ApiKeyStore>> LoadApiKeyStoreFile(const std::string& path);

// Lowercase hex SHA-256 of `key` (OpenSSL): the "sha256" field of an entry.
std::string HashApiKeyHex(absl::string_view key);

// A new key: "gk_" followed by 32 random bytes (OpenSSL RAND_bytes) in unpadded
// base64url, 46 characters in all. Aborts if the system has no entropy source.
std::string GenerateApiKey();

}  // namespace gongkai::gateway

#endif  // GONGKAI_GATEWAY_API_KEYS_H_
