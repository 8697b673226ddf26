// SHA-256 and HMAC-SHA256 as lower-case hex, the one implementation in the suite
// (migration checksums in libs/db, tracking secrets and applicant keys in the catalog's
// disclosure requests).
//
//   std::string checksum = crypto::Sha256Hex(sql);             // 64 hex characters
//   std::string key = crypto::HmacSha256Hex(secret, "applicant:...");
//
// Stateless; thread-safe. Aborts if OpenSSL fails to hash (it cannot, short of memory
// corruption): a wrong digest would be worse than stopping.
#ifndef GONGKAI_LIBS_CRYPTO_SHA256_H_
#define GONGKAI_LIBS_CRYPTO_SHA256_H_

#include <string>

#include "absl/strings/string_view.h"

namespace gongkai::crypto {

// Lower-case hex SHA-256 of `data` (64 characters).
std::string Sha256Hex(absl::string_view data);

// Lower-case hex HMAC-SHA256 of `data` under `key` (64 characters): a keyed hash for
// values from a small space (identity document numbers) that a plain hash would not
// hide from whoever reads the table.
std::string HmacSha256Hex(absl::string_view key, absl::string_view data);

}  // namespace gongkai::crypto

#endif  // GONGKAI_LIBS_CRYPTO_SHA256_H_
