// Test-only helpers: fresh RSA/EC key pairs as PEM, generated with OpenSSL so no key
// material is checked in, and hand-crafted JWS tokens for negative tests.
//
//   TestKeyPair key = GenerateRsaKeyPair(2048);
//   config.rs256_public_keys["k1"] = key.public_pem;
//
// Header-only; link OpenSSL::Crypto. Not for production code.
#ifndef GONGKAI_LIBS_AUTH_TEST_KEYS_H_
#define GONGKAI_LIBS_AUTH_TEST_KEYS_H_

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <cstdlib>
#include <memory>
#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace gongkai::auth::testing {

struct TestKeyPair {
  std::string private_pem;  // PKCS#8 "BEGIN PRIVATE KEY"
  std::string public_pem;   // SubjectPublicKeyInfo "BEGIN PUBLIC KEY"
};

inline TestKeyPair PemPair(EVP_PKEY* key) {
  if (key == nullptr) std::abort();
  auto to_string = [](BIO* bio) {
    char* data = nullptr;
    const long size = BIO_get_mem_data(bio, &data);
    std::string pem(data, static_cast<size_t>(size));
    BIO_free(bio);
    return pem;
  };
  BIO* priv = BIO_new(BIO_s_mem());
  BIO* pub = BIO_new(BIO_s_mem());
  if (PEM_write_bio_PrivateKey(priv, key, nullptr, nullptr, 0, nullptr, nullptr) != 1 ||
      PEM_write_bio_PUBKEY(pub, key) != 1) {
    std::abort();
  }
  EVP_PKEY_free(key);
  return TestKeyPair{to_string(priv), to_string(pub)};
}

inline TestKeyPair GenerateRsaKeyPair(unsigned int bits) { return PemPair(EVP_RSA_gen(bits)); }

inline TestKeyPair GenerateEcKeyPair() { return PemPair(EVP_EC_gen("P-256")); }

inline std::string Base64Url(absl::string_view data) { return absl::WebSafeBase64Escape(data); }

// A compact JWS with the given header and payload JSON, HMAC-SHA256 signed with
// `secret` (computed here independently of the code under test).
inline std::string CraftHs256(absl::string_view header_json, absl::string_view payload_json,
                              absl::string_view secret) {
  const std::string input = absl::StrCat(Base64Url(header_json), ".", Base64Url(payload_json));
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac, &size);
  return absl::StrCat(input, ".",
                      Base64Url(absl::string_view(reinterpret_cast<const char*>(mac), size)));
}

}  // namespace gongkai::auth::testing

#endif  // GONGKAI_LIBS_AUTH_TEST_KEYS_H_
