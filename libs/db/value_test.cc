#include "libs/db/value.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <optional>

namespace gongkai::db {
namespace {

TEST(ValueTest, IntegersKeepTheirSignedness) {
  EXPECT_EQ(std::get<int64_t>(Value(-3).data()), -3);
  EXPECT_EQ(std::get<int64_t>(Value(int64_t{1} << 40).data()), int64_t{1} << 40);
  EXPECT_EQ(std::get<uint64_t>(Value(uint64_t{18446744073709551615u}).data()),
            18446744073709551615u);
  EXPECT_EQ(std::get<bool>(Value(true).data()), true);
}

TEST(ValueTest, StringsAreBinarySafe) {
  const std::string bytes("a\0b", 3);
  EXPECT_EQ(std::get<std::string>(Value(bytes).data()), bytes);
  EXPECT_EQ(std::get<std::string>(Value("政务公开").data()), "政务公开");
}

TEST(ValueTest, TimesAreUtcDatetimeStringsAndDaysAreDates) {
  absl::Time t = absl::FromCivil(absl::CivilSecond(2024, 3, 5, 14, 7, 9), absl::UTCTimeZone()) +
                 absl::Microseconds(123456);
  EXPECT_EQ(std::get<std::string>(Value(t).data()), "2024-03-05 14:07:09.123456");
  EXPECT_EQ(std::get<std::string>(Value(absl::CivilDay(2024, 10, 1)).data()), "2024-10-01");
}

TEST(ValueTest, NullAndEmptyOptionalAreNull) {
  EXPECT_TRUE(Value::Null().is_null());
  EXPECT_TRUE(Value(std::optional<int64_t>()).is_null());
  EXPECT_EQ(std::get<int64_t>(Value(std::optional<int64_t>(5)).data()), 5);
}

TEST(ValueTest, DebugStringNeverShowsStringContents) {
  EXPECT_EQ(Value("secret").DebugString(), "string(6 bytes)");
  EXPECT_EQ(Value::Null().DebugString(), "NULL");
}

}  // namespace
}  // namespace gongkai::db
