#include "libs/auth/token_minter.h"

#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/auth/test_keys.h"
#include "nlohmann/json.hpp"

namespace gongkai::auth {
namespace {

using ::testing::HasSubstr;

constexpr char kSecret[] = "0123456789abcdef0123456789abcdef";
const absl::Time kNow = absl::FromUnixSeconds(1740787200);

Claims Basic() {
  Claims claims;
  claims.subject = "alice";
  claims.unit_id = 3;
  claims.roles = {"STAFF"};
  claims.issuer = "gongkai-dev";
  claims.audience = {"gongkai"};
  claims.issued_at = kNow;
  return claims;
}

nlohmann::json Part(const std::string& token, int index) {
  std::vector<std::string> parts = absl::StrSplit(token, '.');
  std::string json;
  EXPECT_EQ(parts.size(), 3u);
  EXPECT_TRUE(absl::WebSafeBase64Unescape(parts[index], &json));
  return nlohmann::json::parse(json);
}

TEST(TokenMinterTest, WritesTheDocumentedClaims) {
  Claims claims = Basic();
  claims.not_before = kNow + absl::Minutes(1);
  absl::StatusOr<std::string> token = MintHs256(claims, kSecret, absl::Hours(2));
  ASSERT_TRUE(token.ok()) << token.status();
  EXPECT_EQ(Part(*token, 0)["alg"], "HS256");
  nlohmann::json payload = Part(*token, 1);
  EXPECT_EQ(payload["sub"], "alice");
  EXPECT_EQ(payload["unit_id"], 3);
  EXPECT_EQ(payload["roles"], nlohmann::json::array({"STAFF"}));
  EXPECT_EQ(payload["iss"], "gongkai-dev");
  EXPECT_EQ(payload["aud"], "gongkai");
  EXPECT_EQ(payload["iat"], 1740787200);
  EXPECT_EQ(payload["exp"], 1740787200 + 7200);
  EXPECT_EQ(payload["nbf"], 1740787260);
}

TEST(TokenMinterTest, SeveralAudiencesBecomeAnArray) {
  Claims claims = Basic();
  claims.audience = {"gongkai", "portal"};
  claims.unit_id.reset();
  nlohmann::json payload = Part(*MintHs256(claims, kSecret, absl::Hours(1)), 1);
  EXPECT_EQ(payload["aud"], nlohmann::json::array({"gongkai", "portal"}));
  EXPECT_FALSE(payload.contains("unit_id"));
}

TEST(TokenMinterTest, Rs256HeaderCarriesTheKid) {
  testing::TestKeyPair key = testing::GenerateRsaKeyPair(2048);
  absl::StatusOr<std::string> token = MintRs256(Basic(), key.private_pem, "2025-a", absl::Hours(1));
  ASSERT_TRUE(token.ok()) << token.status();
  nlohmann::json header = Part(*token, 0);
  EXPECT_EQ(header["alg"], "RS256");
  EXPECT_EQ(header["kid"], "2025-a");
}

TEST(TokenMinterTest, IncompleteClaimsAreRefused) {
  const struct {
    void (*change)(Claims&);
    const char* why;
  } cases[] = {
      {[](Claims& c) { c.subject.clear(); }, "subject is required"},
      {[](Claims& c) { c.issuer.clear(); }, "issuer is required"},
      {[](Claims& c) { c.audience.clear(); }, "audience is required"},
      {[](Claims& c) { c.issued_at = absl::InfinitePast(); }, "issued_at is required"},
  };
  for (const auto& c : cases) {
    Claims claims = Basic();
    c.change(claims);
    absl::Status status = MintHs256(claims, kSecret, absl::Hours(1)).status();
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << c.why;
    EXPECT_THAT(std::string(status.message()), HasSubstr(c.why));
  }
}

TEST(TokenMinterTest, BadKeysAndTtlAreRefused) {
  EXPECT_THAT(std::string(MintHs256(Basic(), "short", absl::Hours(1)).status().message()),
              HasSubstr("at least 32 bytes"));
  EXPECT_THAT(std::string(MintHs256(Basic(), kSecret, absl::ZeroDuration()).status().message()),
              HasSubstr("ttl must be positive"));
  absl::Status not_a_key = MintRs256(Basic(), "not a pem", "k", absl::Hours(1)).status();
  EXPECT_EQ(not_a_key.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(MintRs256(Basic(), "", "k", absl::Hours(1)).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace gongkai::auth
