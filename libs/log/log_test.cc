#include "libs/log/log.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"

namespace gongkai::log {
namespace {

class CapturingSink : public Sink {
 public:
  void Write(absl::string_view line) override { lines.emplace_back(line); }
  std::vector<std::string> lines;
};

class LogTest : public ::testing::Test {
 protected:
  void SetUp() override { SetSinkForTesting(&sink_); }
  void TearDown() override {
    SetSinkForTesting(nullptr);
    SetMinLevel(Level::kInfo);
  }
  CapturingSink sink_;
};

TEST_F(LogTest, EmitsOneJsonObjectPerLineWithEscapedFields) {
  GK_LOG(INFO, "文档 \"published\"").With("id", 42).With("ok", true).With("note", "a\nb");
  ASSERT_EQ(sink_.lines.size(), 1u);
  EXPECT_EQ(sink_.lines[0].back(), '\n');
  auto json = nlohmann::json::parse(sink_.lines[0]);
  EXPECT_EQ(json["level"], "INFO");
  EXPECT_EQ(json["msg"], "文档 \"published\"");
  EXPECT_EQ(json["id"], 42);
  EXPECT_EQ(json["ok"], true);
  EXPECT_EQ(json["note"], "a\nb");
}

TEST_F(LogTest, InvalidUtf8IsReplacedNotThrown) {
  GK_LOG(WARNING, "bad").With("bytes", std::string("\xff\xfe", 2));
  ASSERT_EQ(sink_.lines.size(), 1u);
  EXPECT_NO_THROW(nlohmann::json::parse(sink_.lines[0]));
}

TEST_F(LogTest, LinesBelowMinLevelAreDropped) {
  SetMinLevel(Level::kWarning);
  GK_LOG(INFO, "quiet");
  GK_LOG(ERROR, "loud").With("status", absl::NotFoundError("gone"));
  ASSERT_EQ(sink_.lines.size(), 1u);
  auto json = nlohmann::json::parse(sink_.lines[0]);
  EXPECT_EQ(json["status_code"], "NOT_FOUND");
  EXPECT_EQ(json["status_message"], "gone");
}

TEST(LogLevelTest, ParsesNamesCaseInsensitively) {
  Level level;
  EXPECT_TRUE(ParseLevel("Debug", &level));
  EXPECT_EQ(level, Level::kDebug);
  EXPECT_FALSE(ParseLevel("verbose", &level));
}

}  // namespace
}  // namespace gongkai::log
