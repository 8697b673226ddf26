#include "libs/crypto/sha256.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cstdio>
#include <cstdlib>

#include "absl/strings/escaping.h"

namespace gongkai::crypto {
namespace {

std::string Hex(const unsigned char* digest, unsigned int size) {
  return absl::BytesToHexString(absl::string_view(reinterpret_cast<const char*>(digest), size));
}

}  // namespace

std::string Sha256Hex(absl::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_Digest(data.data(), data.size(), digest, &size, EVP_sha256(), nullptr) != 1) {
    std::fprintf(stderr, "FATAL: SHA-256 failed\n");
    std::abort();
  }
  return Hex(digest, size);
}

std::string HmacSha256Hex(absl::string_view key, absl::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest,
           &size) == nullptr) {
    std::fprintf(stderr, "FATAL: HMAC-SHA256 failed\n");
    std::abort();
  }
  return Hex(digest, size);
}

}  // namespace gongkai::crypto
