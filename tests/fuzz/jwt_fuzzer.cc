// JWT parsing and verification (libs/auth/jwt_authenticator.cc): every service and the
// gateway read the Authorization header of any caller. Properties: nothing crashes; a
// refusal is UNAUTHENTICATED; an accepted token names a subject and carries the HMAC of
// the configured secret (no RS256 token can be accepted: no one holds the key).
//
// Input: the first byte picks the mode, the rest is
//   0: a compact token as sent, verified as is (HS256 secret and RS256 key configured);
//   1: an Authorization header value;
//   2: "<header JSON>\n<payload JSON>", signed here with the HS256 secret, so the claim
//      checks behind the signature are reached as well.
// The clock stands at 2026-01-01T00:00:00Z (1767225600); seeds are valid then.
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/escaping.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "libs/auth/jwt_authenticator.h"
#include "libs/auth/test_keys.h"
#include "libs/clock/clock.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

constexpr char kSecret[] = "fuzz-secret-0123456789abcdef0123456789";

struct Fixture {
  gongkai::FakeClock clock{absl::FromUnixSeconds(1767225600)};
  std::unique_ptr<gongkai::auth::Authenticator> authenticator;
  Fixture() {
    gongkai::auth::AuthConfig config;
    config.hs256_secret = kSecret;
    // A fresh key: no token can carry its signature, so RS256 paths end at the check.
    config.rs256_public_keys["k1"] = gongkai::auth::testing::GenerateRsaKeyPair(2048).public_pem;
    config.issuer = "gongkai-fuzz";
    config.audience = "gongkai";
    authenticator = *gongkai::auth::NewJwtAuthenticator(config, clock);
  }
};

// Whether the token's third part is the HMAC-SHA256 of its first two under kSecret
// (computed here, independently of the code under test).
bool SignedWithSecret(absl::string_view token) {
  const size_t dot = token.rfind('.');
  if (dot == absl::string_view::npos) return false;
  const absl::string_view signing_input = token.substr(0, dot);
  std::string signature;
  if (!absl::WebSafeBase64Unescape(token.substr(dot + 1), &signature)) return false;
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  HMAC(EVP_sha256(), kSecret, static_cast<int>(sizeof(kSecret) - 1),
       reinterpret_cast<const unsigned char*>(signing_input.data()), signing_input.size(), mac,
       &size);
  return signature == std::string(reinterpret_cast<const char*>(mac), size);
}

void CheckResult(const absl::StatusOr<gongkai::auth::Principal>& principal) {
  if (!principal.ok()) {
    FUZZ_CHECK(principal.status().code() == absl::StatusCode::kUnauthenticated);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Fixture* fixture = new Fixture();
  if (size == 0) return 0;
  const absl::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 3) {
    case 0: {
      const auto principal = fixture->authenticator->VerifyToken(rest);
      CheckResult(principal);
      if (principal.ok()) FUZZ_CHECK(SignedWithSecret(rest));
      break;
    }
    case 1: {
      const auto principal = fixture->authenticator->AuthenticateHeader(rest);
      CheckResult(principal);
      // A header that is present is never the anonymous caller.
      if (principal.ok()) {
        FUZZ_CHECK(!principal->anonymous());
        FUZZ_CHECK(SignedWithSecret(rest.substr(std::min(rest.rfind(' '), rest.size()) + 1)));
      }
      break;
    }
    default: {
      const size_t newline = rest.find('\n');
      const absl::string_view header = newline == absl::string_view::npos
                                           ? R"({"alg":"HS256","typ":"JWT"})"
                                           : rest.substr(0, newline);
      const absl::string_view payload =
          newline == absl::string_view::npos ? rest : rest.substr(newline + 1);
      const std::string token = gongkai::auth::testing::CraftHs256(header, payload, kSecret);
      const auto principal = fixture->authenticator->VerifyToken(token);
      CheckResult(principal);
      if (principal.ok()) FUZZ_CHECK(!principal->subject.empty());
      break;
    }
  }
  return 0;
}
