#include "libs/server/server_config.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gongkai::server {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;

struct Read {
  ServerConfig config;
  absl::Status status;
};

Read ReadFromEnv(std::map<std::string, std::string> env) {
  config::ConfigReader reader(config::ConfigSource::FromMaps({}, std::move(env)));
  Read read;
  read.config = ReadServerConfig(reader, "0.0.0.0:50051", "0.0.0.0:9101");
  read.status = reader.Finish();
  return read;
}

// Issue 14 P3: threads that finished a call wait for the next one instead of exiting,
// so a service under load does not start a thread for every other call.
TEST(ServerConfigTest, Issue14P3HandlerThreadDefaultsKeepAPoolAndBoundIt) {
  Read read = ReadFromEnv({});
  ASSERT_TRUE(read.status.ok()) << read.status;
  EXPECT_EQ(read.config.min_polling_threads, 1);
  EXPECT_EQ(read.config.max_polling_threads, 16);
  EXPECT_EQ(read.config.max_handler_threads, 256);
  EXPECT_GE(read.config.max_handler_threads, read.config.max_polling_threads);
}

TEST(ServerConfigTest, Issue14P3HandlerThreadsAreReadFromTheEnvironment) {
  Read read = ReadFromEnv({{"GONGKAI_MIN_POLLING_THREADS", "2"},
                           {"GONGKAI_MAX_POLLING_THREADS", "32"},
                           {"GONGKAI_MAX_HANDLER_THREADS", "100"}});
  ASSERT_TRUE(read.status.ok()) << read.status;
  EXPECT_EQ(read.config.min_polling_threads, 2);
  EXPECT_EQ(read.config.max_polling_threads, 32);
  EXPECT_EQ(read.config.max_handler_threads, 100);
}

TEST(ServerConfigTest, Issue14P3HandlerThreadsOutOfRangeAreNamed) {
  Read zero = ReadFromEnv({{"GONGKAI_MAX_POLLING_THREADS", "0"}});
  EXPECT_EQ(zero.status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(zero.status.message()), HasSubstr("GONGKAI_MAX_POLLING_THREADS"));

  Read no_min = ReadFromEnv({{"GONGKAI_MIN_POLLING_THREADS", "0"}});
  EXPECT_THAT(std::string(no_min.status.message()), HasSubstr("GONGKAI_MIN_POLLING_THREADS"));

  Read huge = ReadFromEnv({{"GONGKAI_MAX_HANDLER_THREADS", "1000000"}});
  EXPECT_THAT(std::string(huge.status.message()), HasSubstr("GONGKAI_MAX_HANDLER_THREADS"));

  Read words = ReadFromEnv({{"GONGKAI_MAX_POLLING_THREADS", "many"}});
  EXPECT_EQ(words.status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(words.status.message()), HasSubstr("GONGKAI_MAX_POLLING_THREADS"));
}

TEST(ServerConfigTest, Issue14P3MinimumAboveMaximumIsRejected) {
  Read read =
      ReadFromEnv({{"GONGKAI_MIN_POLLING_THREADS", "8"}, {"GONGKAI_MAX_POLLING_THREADS", "4"}});
  EXPECT_EQ(read.status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(read.status.message()),
              AllOf(HasSubstr("GONGKAI_MIN_POLLING_THREADS=8"),
                    HasSubstr("GONGKAI_MAX_POLLING_THREADS=4")));
}

// gRPC aborts at start when its thread quota cannot hold the threads it must start.
TEST(ServerConfigTest, Issue14P3QuotaBelowTheKeptThreadsIsRejected) {
  Read read =
      ReadFromEnv({{"GONGKAI_MAX_POLLING_THREADS", "32"}, {"GONGKAI_MAX_HANDLER_THREADS", "20"}});
  EXPECT_EQ(read.status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(read.status.message()),
              AllOf(HasSubstr("GONGKAI_MAX_HANDLER_THREADS=20"),
                    HasSubstr("GONGKAI_MAX_POLLING_THREADS=32")));
  // The default quota (256) with a larger pool kept is named too.
  Read big_pool = ReadFromEnv({{"GONGKAI_MAX_POLLING_THREADS", "512"}});
  EXPECT_THAT(std::string(big_pool.status.message()), HasSubstr("GONGKAI_MAX_HANDLER_THREADS"));
}

TEST(ServerConfigTest, FlagsWinOverTheEnvironment) {
  config::ConfigReader reader(config::ConfigSource::FromMaps(
      {{"max_polling_threads", "8"}}, {{"GONGKAI_MAX_POLLING_THREADS", "32"}}));
  ServerConfig config = ReadServerConfig(reader, "0.0.0.0:50051", "0.0.0.0:9101");
  ASSERT_TRUE(reader.Finish().ok());
  EXPECT_EQ(config.max_polling_threads, 8);
}

}  // namespace
}  // namespace gongkai::server
