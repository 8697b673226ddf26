#include "libs/server/peers.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gongkai::server {
namespace {

using ::testing::HasSubstr;
using ::testing::Pair;
using ::testing::UnorderedElementsAre;

TEST(PeerChannelsTest, ParsesNamedAddresses) {
  absl::StatusOr<std::map<std::string, std::string>> addresses =
      PeerChannels::ParseAddresses(" catalog=catalog:50051, interpretation=127.0.0.1:50052 ,");
  ASSERT_TRUE(addresses.ok()) << addresses.status();
  EXPECT_THAT(*addresses, UnorderedElementsAre(Pair("catalog", "catalog:50051"),
                                               Pair("interpretation", "127.0.0.1:50052")));
  EXPECT_TRUE(PeerChannels::ParseAddresses("")->empty());
}

TEST(PeerChannelsTest, NamesTheBadEntry) {
  for (const char* spec :
       {"catalog", "catalog=", "=x:1", "catalog=host", "catalog=host:", "catalog=:50051"}) {
    absl::StatusOr<std::map<std::string, std::string>> addresses =
        PeerChannels::ParseAddresses(spec);
    EXPECT_EQ(addresses.status().code(), absl::StatusCode::kInvalidArgument) << spec;
    EXPECT_THAT(addresses.status().message(), HasSubstr("must be name=host:port")) << spec;
  }
  EXPECT_THAT(PeerChannels::ParseAddresses("a=h:1,a=h:2").status().message(),
              HasSubstr("names \"a\" twice"));
}

TEST(PeerChannelsTest, RequiresEveryDeclaredPeerAndOnlyServesThose) {
  absl::StatusOr<PeerChannels> missing =
      PeerChannels::Create({{"catalog", "h:1"}}, {"catalog", "opinion", "website"});
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(missing.status().message(), HasSubstr("lacks the address of opinion, website"));

  absl::StatusOr<PeerChannels> peers =
      PeerChannels::Create({{"catalog", "h:1"}, {"website", "h:5"}}, {"catalog"});
  ASSERT_TRUE(peers.ok()) << peers.status();
  EXPECT_TRUE(peers->Channel("catalog").ok());
  EXPECT_EQ(peers->Address("catalog"), "h:1");
  // Configured but not declared: the service never said it calls it.
  EXPECT_EQ(peers->Channel("website").status().code(), absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace gongkai::server
