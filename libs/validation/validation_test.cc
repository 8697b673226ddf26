#include "libs/validation/validation.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gongkai::validation {
namespace {

using ::testing::ElementsAre;
using ::testing::Field;

bool SmallEnumIsValid(int v) { return v >= 0 && v <= 3; }

std::vector<std::string> Fields(const FieldViolations& v) {
  std::vector<std::string> out;
  for (const auto& f : v.violations()) out.push_back(f.field + ": " + f.description);
  return out;
}

TEST(ValidationTest, Utf8RulesRejectOverlongAndSurrogates) {
  EXPECT_TRUE(IsValidUtf8("政务公开 ok"));
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));      // Overlong '/'.
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));  // Surrogate U+D800.
  EXPECT_FALSE(IsValidUtf8("\xE6\x94"));      // Truncated.
  EXPECT_EQ(Utf8Length("政务ab"), 4u);
}

TEST(ValidationTest, TextLimitsCountCharactersNotBytes) {
  FieldViolations v;
  CheckText(v, "title", "", {.min_chars = 1, .max_chars = 3});
  CheckText(v, "name", "政务公开", {.min_chars = 1, .max_chars = 3});
  CheckText(v, "ok", "政务公", {.min_chars = 1, .max_chars = 3});
  CheckText(v, "ctl",
            "a\x01"
            "b",
            {.max_chars = 10});
  CheckText(v, "body", "line1\nline2", {.max_chars = 100, .allow_newlines = true});
  CheckText(v, "bytes", "政务", {.max_chars = 10, .max_bytes = 5});
  EXPECT_THAT(Fields(v),
              ElementsAre("title: is required", "name: must have at most 3 characters (has 4)",
                          "ctl: must not contain control characters",
                          "bytes: must be at most 5 bytes (is 6)"));
}

TEST(ValidationTest, TruncationNeverCutsACharacter) {
  EXPECT_EQ(TruncateUtf8("政务公开", 2), "政务");
  EXPECT_EQ(TruncateUtf8("ab政务", 3), "ab政");
  EXPECT_EQ(TruncateUtf8("short", 10), "short");
  EXPECT_EQ(TruncateUtf8("政务", 0), "");
}

TEST(ValidationTest, ToValidUtf8ReplacesEachBadByteAndKeepsTheRest) {
  EXPECT_EQ(ToValidUtf8("政务 ok"), "政务 ok");
  EXPECT_EQ(ToValidUtf8("a\xFF\xFE"
                        "b"),
            "a\uFFFD\uFFFD"
            "b");
  EXPECT_EQ(ToValidUtf8("\xE6\x94"), "\uFFFD\uFFFD");            // cut character
  EXPECT_EQ(ToValidUtf8("\xC0\xAF"), "\uFFFD\uFFFD");            // overlong "/"
  EXPECT_EQ(ToValidUtf8("\xED\xA0\x80"), "\uFFFD\uFFFD\uFFFD");  // surrogate
  EXPECT_TRUE(IsValidUtf8(ToValidUtf8("\xF4\x90\x80\x80\xC1\x8E\x8A\x9F")));
}

TEST(ValidationTest, EnumsIdsAndRequestIds) {
  FieldViolations v;
  CheckEnum(v, "a", 9, SmallEnumIsValid, false);
  CheckEnum(v, "b", 0, SmallEnumIsValid, true);
  CheckEnum(v, "c", 2, SmallEnumIsValid, true);
  CheckId(v, "d", 0, true);
  CheckId(v, "e", -1, false);
  CheckRequestId(v, "f", "has space");
  CheckRequestId(v, "g", "9f1c-ok");
  EXPECT_THAT(Fields(v),
              ElementsAre("a: has unknown value 9", "b: is required", "d: must be a positive id",
                          "e: must not be negative", "f: must be printable ASCII without spaces"));
}

}  // namespace
}  // namespace gongkai::validation
