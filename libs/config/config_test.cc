#include "libs/config/config.h"
#include "libs/config/flag_names.h"

#include <cstdio>
#include <fstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gongkai::config {
namespace {

using ::testing::HasSubstr;

TEST(ConfigTest, FlagWinsOverEnvironmentAndDashesEqualUnderscores) {
  ConfigReader r(ConfigSource::FromMaps(
      {{"db-host", "flag-host"}}, {{"GONGKAI_DB_HOST", "env-host"}, {"GONGKAI_DB_PORT", "3307"}}));
  EXPECT_EQ(r.String("db_host", "x"), "flag-host");
  EXPECT_EQ(r.Int("db_port", 3306, 1, 65535), 3307);
  EXPECT_EQ(r.String("absent", "dflt"), "dflt");
  EXPECT_TRUE(r.Finish().ok());
}

TEST(ConfigTest, EveryProblemIsReportedOnOneLine) {
  ConfigReader r(ConfigSource::FromMaps({{"pool", "many"}, {"typo_flag", "1"}},
                                        {{"GONGKAI_TIMEOUT", "soon"}}));
  r.Int("pool", 4, 1, 10);
  r.Duration("timeout", absl::Seconds(1), absl::ZeroDuration(), absl::Minutes(1));
  r.RequiredString("db_name");
  absl::Status status = r.Finish();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  const std::string message(status.message());
  EXPECT_THAT(message, HasSubstr("--pool=\"many\" must be an integer from 1 to 10"));
  EXPECT_THAT(message, HasSubstr("GONGKAI_TIMEOUT=\"soon\" must be a duration"));
  EXPECT_THAT(message, HasSubstr("GONGKAI_DB_NAME is required"));
  EXPECT_THAT(message, HasSubstr("unknown flag --typo_flag"));
  EXPECT_EQ(message.find('\n'), std::string::npos);
}

TEST(ConfigTest, SecretComesFromValueOrFileButNotBoth) {
  const std::string path = testing::TempDir() + "/secret.txt";
  std::ofstream(path) << "s3cret\n";
  ConfigReader from_file(ConfigSource::FromMaps({}, {{"GONGKAI_DB_PASSWORD_FILE", path}}));
  EXPECT_EQ(from_file.Secret("db_password"), "s3cret");
  EXPECT_TRUE(from_file.Finish().ok());

  ConfigReader both(ConfigSource::FromMaps(
      {}, {{"GONGKAI_DB_PASSWORD", "x"}, {"GONGKAI_DB_PASSWORD_FILE", path}}));
  both.Secret("db_password");
  EXPECT_THAT(std::string(both.Finish().message()), HasSubstr("set only one of"));

  ConfigReader missing(ConfigSource::FromMaps({}, {}));
  missing.Secret("db_password");
  EXPECT_THAT(std::string(missing.Finish().message()),
              HasSubstr("GONGKAI_DB_PASSWORD or GONGKAI_DB_PASSWORD_FILE is required"));
}

TEST(ConfigTest, AddressNeedsHostAndPort) {
  ConfigReader r(ConfigSource::FromMaps({{"grpc_address", "localhost"}}, {}));
  r.Address("grpc_address", "0.0.0.0:50051");
  EXPECT_THAT(std::string(r.Finish().message()), HasSubstr("must be host:port"));
  ConfigReader ok(ConfigSource::FromMaps({{"grpc_address", "127.0.0.1:0"}}, {}));
  EXPECT_EQ(ok.Address("grpc_address", ""), "127.0.0.1:0");
  EXPECT_TRUE(ok.Finish().ok());
}

TEST(FlagNamesTest, DashesBecomeUnderscoresInNamesOnly) {
  std::vector<std::string> in = {"prog", "--unit-id=3", "--sub=a-b", "--", "--not-me"};
  std::vector<char*> argv;
  for (auto& a : in) argv.push_back(a.data());
  std::vector<std::string> storage;
  std::vector<char*> out = NormalizeFlagNames(static_cast<int>(argv.size()), argv.data(), storage);
  ASSERT_EQ(out.size(), 5u);
  EXPECT_STREQ(out[1], "--unit_id=3");
  EXPECT_STREQ(out[2], "--sub=a-b");
  EXPECT_STREQ(out[4], "--not-me");
}

TEST(ConfigTest, PositionalArgumentsAreKept) {
  ConfigSource s = ConfigSource::FromMaps({}, {}, {"migrate"});
  ASSERT_EQ(s.positional().size(), 1u);
  EXPECT_EQ(s.positional()[0], "migrate");
}

}  // namespace
}  // namespace gongkai::config
