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

}  // namespace
}  // namespace gongkai::catalog::requests
