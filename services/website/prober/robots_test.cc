// The prober honours robots.txt (issue 12: robots rules).
#include "services/website/prober/robots.h"

#include "gtest/gtest.h"

namespace gongkai::website::prober {
namespace {

TEST(RobotsTest, OurGroupWinsOverTheWildcard) {
  const RobotsRules rules = RobotsRules::Parse(
      "User-agent: *\nDisallow: /\n\nUser-agent: Gongkai\nDisallow: /private\n", "gongkai");
  EXPECT_TRUE(rules.Allows("/news/"));
  EXPECT_FALSE(rules.Allows("/private/a.html"));
}

TEST(RobotsTest, WildcardGroupAppliesWithoutOurs) {
  const RobotsRules rules = RobotsRules::Parse(
      "User-agent: otherbot\nDisallow: /\n\nUser-agent: *\nDisallow: /tmp/\n", "gongkai");
  EXPECT_TRUE(rules.Allows("/"));
  EXPECT_FALSE(rules.Allows("/tmp/x"));
}

TEST(RobotsTest, LongestMatchWinsAndAllowWinsTies) {
  const RobotsRules rules = RobotsRules::Parse(
      "User-agent: *\nDisallow: /docs/\nAllow: /docs/public/\nDisallow: /*.pdf$\n", "gongkai");
  EXPECT_FALSE(rules.Allows("/docs/a"));
  EXPECT_TRUE(rules.Allows("/docs/public/a"));
  EXPECT_FALSE(rules.Allows("/x/y.pdf"));
  EXPECT_TRUE(rules.Allows("/x/y.pdf?download=1"));
}

TEST(RobotsTest, EmptyDisallowAndGarbageAllowEverything) {
  EXPECT_TRUE(RobotsRules::Parse("User-agent: *\nDisallow:\n", "gongkai").Allows("/a"));
  EXPECT_TRUE(RobotsRules::Parse("<html>not robots</html>", "gongkai").Allows("/a"));
  EXPECT_TRUE(RobotsRules().Allows("/anything"));
}

TEST(RobotsTest, UrlParts) {
  EXPECT_EQ(PathOfUrl("http://h:8/a/b?x=1#f"), "/a/b?x=1");
  EXPECT_EQ(PathOfUrl("https://h"), "/");
  EXPECT_EQ(PathOfUrl("https://h?q"), "/?q");
  EXPECT_EQ(OriginOfUrl("HTTP://H.example:8080/x"), "http://h.example:8080");
}

}  // namespace
}  // namespace gongkai::website::prober
