// Known answers for the hashes behind tracking secrets and applicant keys (CAT-8, NAT-9).
#include "services/catalog/requests/tracking_secret.h"

#include <set>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gongkai::catalog::requests {
namespace {

TEST(TrackingSecretTest, Sha256HexMatchesTheStandardVector) {
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(TrackingSecretTest, HmacSha256HexMatchesRfc4231TestCase2) {
  EXPECT_EQ(HmacSha256Hex("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(TrackingSecretTest, ApplicantKeysDependOnTheSecret) {
  EXPECT_NE(HmacSha256Hex("secret-one", "applicant:110101199003070000"),
            HmacSha256Hex("secret-two", "applicant:110101199003070000"));
}

TEST(TrackingSecretTest, RandomTokensUseTheUnambiguousAlphabet) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    const std::string token = RandomToken(20);
    ASSERT_EQ(token.size(), 20u);
    EXPECT_THAT(token, ::testing::MatchesRegex("[2-9A-HJ-NP-Z]+"));
    seen.insert(token);
  }
  EXPECT_EQ(seen.size(), 100u);
}

TEST(TrackingSecretTest, SecretMatchesOnlyTheExactSecret) {
  const std::string stored = Sha256Hex("K7QM2X9PRT4DK7QM2X9P");
  EXPECT_TRUE(SecretMatches("K7QM2X9PRT4DK7QM2X9P", stored));
  EXPECT_FALSE(SecretMatches("K7QM2X9PRT4DK7QM2X9Q", stored));
  EXPECT_FALSE(SecretMatches("", stored));
  EXPECT_FALSE(SecretMatches("K7QM2X9PRT4DK7QM2X9P", stored.substr(1)));
}

}  // namespace
}  // namespace gongkai::catalog::requests
