// Tracking codes and secrets (CAT-8): the alphabet, and constant-time secret checks.
// The hashes themselves are tested in libs/crypto/sha256_test.cc.
#include "services/catalog/requests/tracking_secret.h"

#include <set>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/crypto/sha256.h"

namespace gongkai::catalog::requests {
namespace {

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
  const std::string stored = crypto::Sha256Hex("K7QM2X9PRT4DK7QM2X9P");
  EXPECT_TRUE(SecretMatches("K7QM2X9PRT4DK7QM2X9P", stored));
  EXPECT_FALSE(SecretMatches("K7QM2X9PRT4DK7QM2X9Q", stored));
  EXPECT_FALSE(SecretMatches("", stored));
  EXPECT_FALSE(SecretMatches("K7QM2X9PRT4DK7QM2X9P", stored.substr(1)));
}

TEST(TrackingSecretTest, DerivedSecretIsStableKeyedAndUsesTheAlphabet) {
  const std::string key = "test-applicant-key-secret-of-32-bytes!";
  const std::string secret = DeriveTrackingSecret(key, "alice|FileRequest|r-1|K7QM2X9PRT4D", 20);
  EXPECT_THAT(secret, ::testing::MatchesRegex("[2-9A-HJ-NP-Z]{20}"));
  EXPECT_EQ(secret, DeriveTrackingSecret(key, "alice|FileRequest|r-1|K7QM2X9PRT4D", 20));
  EXPECT_NE(secret, DeriveTrackingSecret(key, "alice|FileRequest|r-2|K7QM2X9PRT4D", 20));
  EXPECT_NE(secret, DeriveTrackingSecret(key + "x", "alice|FileRequest|r-1|K7QM2X9PRT4D", 20));
}

// CAT-8: the secret is normalised like the tracking code (upper case), so a secret typed
// in lower case still matches; any other character still makes it a different secret.
TEST(TrackingSecretTest, SecretMatchesWhateverTheCaseOfItsLetters) {
  const std::string stored = crypto::Sha256Hex("K7QM2X9PRT4DK7QM2X9P");
  EXPECT_TRUE(SecretMatches("k7qm2x9prt4dk7qm2x9p", stored));
  EXPECT_TRUE(SecretMatches("K7qm2X9pRT4Dk7QM2x9P", stored));
  EXPECT_FALSE(SecretMatches("k7qm2x9prt4dk7qm2x9q", stored));
  EXPECT_EQ(NormalizeTrackingToken("k7qm-2x9p"), "K7QM-2X9P");
}

}  // namespace
}  // namespace gongkai::catalog::requests
