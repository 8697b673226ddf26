// Known-answer tests of the hex digests (FIPS 180-2 and RFC 4231 vectors).
#include "libs/crypto/sha256.h"

#include "gtest/gtest.h"

namespace gongkai::crypto {
namespace {

TEST(Sha256HexTest, MatchesTheFipsVector) {
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(HmacSha256HexTest, MatchesTheRfc4231Vector) {
  // RFC 4231 test case 2.
  EXPECT_EQ(HmacSha256Hex("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(HmacSha256HexTest, DependsOnTheKey) {
  EXPECT_NE(HmacSha256Hex("key-a", "text"), HmacSha256Hex("key-b", "text"));
  EXPECT_NE(HmacSha256Hex("key-a", "text"), Sha256Hex("text"));
}

}  // namespace
}  // namespace gongkai::crypto
