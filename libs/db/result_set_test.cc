#include "libs/db/result_set.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "libs/db/testing/status_matchers.h"

namespace gongkai::db {
namespace {

using ::gongkai::db::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::Optional;

Row MakeRow() {
  auto columns = std::make_shared<internal::Columns>();
  columns->names = {"id", "Title", "flag", "created", "day", "maybe", "amount", "big"};
  return Row(columns, {Row::Cell(int64_t{42}), Row::Cell(std::string("公开")),
                       Row::Cell(int64_t{1}), Row::Cell(std::string("2024-03-05 14:07:09.5")),
                       Row::Cell(std::string("2024-10-01")), Row::Cell(std::monostate()),
                       Row::Cell(std::string("12.50")), Row::Cell(uint64_t{1} << 63)});
}

TEST(RowTest, ReadsByIndexAndByCaseInsensitiveName) {
  Row row = MakeRow();
  EXPECT_EQ(*row.GetInt64(0), 42);
  EXPECT_EQ(*row.GetInt64("id"), 42);
  EXPECT_EQ(*row.GetString("title"), "公开");
  EXPECT_EQ(*row.GetBool("flag"), true);
  EXPECT_EQ(*row.GetString("id"), "42");
  EXPECT_DOUBLE_EQ(*row.GetDouble("amount"), 12.5);
}

TEST(RowTest, ReadsDatetimeAsUtcTimeAndDateAsCivilDay) {
  Row row = MakeRow();
  EXPECT_EQ(*row.GetTime("created"),
            absl::FromCivil(absl::CivilSecond(2024, 3, 5, 14, 7, 9), absl::UTCTimeZone()) +
                absl::Milliseconds(500));
  EXPECT_EQ(*row.GetCivilDay("day"), absl::CivilDay(2024, 10, 1));
  EXPECT_EQ(*row.GetString("created"), "2024-03-05 14:07:09.5");
}

// The hand parser of the server's form agrees with absl::ParseTime, and what it does
// not accept still goes through absl::ParseTime (or is refused).
TEST(ParseDatetimeTest, ServerFormsMatchAbslParseTime) {
  for (const char* text :
       {"2024-03-05 14:07:09", "2024-03-05 14:07:09.5", "1970-01-01 00:00:00",
        "2024-02-29 23:59:59.999999", "1969-12-31 23:59:59.000001", "9999-12-31 23:59:59",
        "0001-01-01 00:00:00", "2026-12-07 08:40:13.04"}) {
    absl::Time expected;
    std::string error;
    ASSERT_TRUE(
        absl::ParseTime("%Y-%m-%d %H:%M:%E*S", text, absl::UTCTimeZone(), &expected, &error))
        << text;
    EXPECT_THAT(ParseDatetime(text), ::gongkai::db::testing::IsOkAndHolds(expected)) << text;
  }
  for (const char* bad :
       {"2023-02-29 00:00:00", "2024-13-01 00:00:00", "2024-01-01 24:00:00", "2024-01-01 00:00:00.",
        "2024-01-01T00:00:00", "2024-01-01 00:00:00.1234567x", "", "garbage"}) {
    EXPECT_THAT(ParseDatetime(bad), StatusIs(absl::StatusCode::kInternal, HasSubstr("DATETIME")))
        << bad;
  }
}

TEST(RowTest, NullReadsAsNulloptOrInternalForNonOptionalGetters) {
  Row row = MakeRow();
  EXPECT_EQ(*row.GetOptionalString("maybe"), std::nullopt);
  EXPECT_THAT(*row.GetOptionalInt64("id"), Optional(42));
  EXPECT_TRUE(*row.IsNull("maybe"));
  EXPECT_THAT(row.GetString("maybe"),
              StatusIs(absl::StatusCode::kInternal, HasSubstr("column 'maybe' is NULL")));
}

TEST(RowTest, UnknownColumnAndBadConversionAreInternalNamingTheColumn) {
  Row row = MakeRow();
  EXPECT_THAT(row.GetInt64("nope"),
              StatusIs(absl::StatusCode::kInternal, HasSubstr("no column 'nope'")));
  EXPECT_THAT(row.GetInt64(99), StatusIs(absl::StatusCode::kInternal, HasSubstr("out of range")));
  EXPECT_THAT(row.GetInt64("title"),
              StatusIs(absl::StatusCode::kInternal, HasSubstr("'title' does not hold an int64")));
  EXPECT_THAT(row.GetInt64("big"),
              StatusIs(absl::StatusCode::kInternal, HasSubstr("value too large")));
  EXPECT_EQ(*row.GetUint64("big"), uint64_t{1} << 63);
  EXPECT_THAT(row.GetTime("title"),
              StatusIs(absl::StatusCode::kInternal, HasSubstr("does not hold a DATETIME")));
}

}  // namespace
}  // namespace gongkai::db
