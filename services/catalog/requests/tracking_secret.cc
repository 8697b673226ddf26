#include "services/catalog/requests/tracking_secret.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <cstdio>
#include <cstdlib>
#include <vector>

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

namespace {
std::string Hex(const unsigned char* digest, size_t size) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(2 * size);
  for (size_t i = 0; i < size; ++i) {
    hex.push_back(kHex[digest[i] >> 4]);
    hex.push_back(kHex[digest[i] & 15]);
  }
  return hex;
}
}  // namespace

std::string Sha256Hex(absl::string_view text) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest);
  return Hex(digest, sizeof(digest));
}

std::string HmacSha256Hex(absl::string_view key, absl::string_view text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest,
           &size) == nullptr) {
    std::fprintf(stderr, "FATAL: HMAC-SHA256 failed\n");
    std::abort();
  }
  return Hex(digest, size);
}

bool SecretMatches(absl::string_view secret, absl::string_view stored_hex) {
  const std::string actual = Sha256Hex(secret);
  if (stored_hex.size() != actual.size()) return false;
  return CRYPTO_memcmp(actual.data(), stored_hex.data(), actual.size()) == 0;
}

}  // namespace gongkai::catalog::requests
