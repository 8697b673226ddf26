#include "services/catalog/requests/tracking_secret.h"

#include <openssl/crypto.h>
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

std::string Sha256Hex(absl::string_view text) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(2 * SHA256_DIGEST_LENGTH);
  for (unsigned char b : digest) {
    hex.push_back(kHex[b >> 4]);
    hex.push_back(kHex[b & 15]);
  }
  return hex;
}

bool SecretMatches(absl::string_view secret, absl::string_view stored_hex) {
  const std::string actual = Sha256Hex(secret);
  if (stored_hex.size() != actual.size()) return false;
  return CRYPTO_memcmp(actual.data(), stored_hex.data(), actual.size()) == 0;
}

}  // namespace gongkai::catalog::requests
