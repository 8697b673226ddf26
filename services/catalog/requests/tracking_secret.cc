#include "services/catalog/requests/tracking_secret.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "libs/crypto/sha256.h"

namespace gongkai::catalog::requests {
namespace {
constexpr char kAlphabet[] = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";  // 32 symbols.
}  // namespace

std::string RandomToken(int chars) {
  std::vector<unsigned char> bytes(static_cast<size_t>(chars));
  if (chars > 0 && RAND_bytes(bytes.data(), chars) != 1) {
    std::fprintf(stderr, "FATAL: RAND_bytes failed; refusing to issue a guessable secret\n");
    std::abort();
  }
  std::string token;
  token.reserve(bytes.size());
  for (unsigned char b : bytes) token.push_back(kAlphabet[b & 31]);
  return token;
}

std::string DeriveTrackingSecret(absl::string_view key_secret, absl::string_view identity,
                                 int chars) {
  const std::string hex =
      crypto::HmacSha256Hex(key_secret, absl::StrCat("tracking-secret:", identity));
  std::string token;
  for (int i = 0; i < chars && 2 * i + 1 < static_cast<int>(hex.size()); ++i) {
    const unsigned byte = static_cast<unsigned>(std::stoul(hex.substr(2 * i, 2), nullptr, 16));
    token.push_back(kAlphabet[byte & 31]);
  }
  return token;
}

std::string FilingSecret(absl::string_view key_secret, const idempotency::Key& key,
                         absl::string_view tracking_code) {
  return DeriveTrackingSecret(
      key_secret,
      absl::StrCat(key.subject, "\n", key.method, "\n", key.request_id, "\n", tracking_code),
      /*chars=*/20);
}

std::string NormalizeTrackingToken(absl::string_view token) { return absl::AsciiStrToUpper(token); }

bool SecretMatches(absl::string_view secret, absl::string_view stored_hex) {
  const std::string actual = crypto::Sha256Hex(NormalizeTrackingToken(secret));
  if (stored_hex.size() != actual.size()) return false;
  return CRYPTO_memcmp(actual.data(), stored_hex.data(), actual.size()) == 0;
}

}  // namespace gongkai::catalog::requests
