#include "services/catalog/requests/tracking_secret.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <cstdio>
#include <cstdlib>
#include <vector>

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

bool SecretMatches(absl::string_view secret, absl::string_view stored_hex) {
  const std::string actual = crypto::Sha256Hex(secret);
  if (stored_hex.size() != actual.size()) return false;
  return CRYPTO_memcmp(actual.data(), stored_hex.data(), actual.size()) == 0;
}

}  // namespace gongkai::catalog::requests
