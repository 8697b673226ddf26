#include "libs/log/log.h"

#include <string>

#include "absl/strings/str_cat.h"
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

TEST_F(LogTest, EveryValidStringRoundTripsThroughTheJsonLine) {
  const std::string corpus[] = {
      "",
      "plain ascii",
      "引号\"和反斜杠\\",
      std::string("controls \x01\x1f\x7f\b\f\t\r\n end"),
      "two-byte é, three-byte 政务公开, four-byte 😀 𠀀",
      "\u2028 line separators \u2029",
      std::string("nul \0 inside", 13),
  };
  for (const std::string& text : corpus) {
    sink_.lines.clear();
    GK_LOG(INFO, "m").With("text", text);
    ASSERT_EQ(sink_.lines.size(), 1u);
    EXPECT_EQ(nlohmann::json::parse(sink_.lines[0])["text"], text) << sink_.lines[0];
  }
}

TEST_F(LogTest, EachMalformedUtf8SequenceBecomesAReplacementCharacter) {
  const struct {
    std::string bytes;
    std::string expected;
  } cases[] = {
      {"a\x80"
       "b",
       "a\uFFFDb"},  // Lone continuation byte.
      {"a\xC0\x80"
       "b",
       "a\uFFFD\uFFFDb"},  // Overlong NUL.
      {"a\xED\xA0\x80"
       "b",
       "a\uFFFD\uFFFD\uFFFDb"},  // Surrogate U+D800.
      {"a\xF5\x80\x80\x80"
       "b",
       "a\uFFFD\uFFFD\uFFFD\uFFFDb"},  // Above U+10FFFF.
      {"a\xE6\x94"
       "b",
       "a\uFFFD\uFFFDb"},                // Truncated 政.
      {"\xE6\x94\xBF\xFF", "政\uFFFD"},  // Valid, then invalid.
  };
  for (const auto& c : cases) {
    sink_.lines.clear();
    GK_LOG(INFO, "m").With("bytes", c.bytes);
    ASSERT_EQ(sink_.lines.size(), 1u);
    EXPECT_EQ(nlohmann::json::parse(sink_.lines[0])["bytes"],
              nlohmann::json::parse(absl::StrCat("\"", c.expected, "\"")))
        << sink_.lines[0];
  }
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
