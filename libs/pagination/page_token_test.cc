#include "libs/pagination/page_token.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gongkai::pagination {
namespace {

using ::testing::HasSubstr;

TEST(PageTokenTest, RoundTripsWithTheSameFilters) {
  std::string token = EncodePageToken(12345, "unit=3");
  EXPECT_EQ(*DecodePageToken(token, "unit=3"), 12345);
  EXPECT_EQ(*DecodePageToken("", "unit=3"), 0);
}

TEST(PageTokenTest, TokenForOtherFiltersIsRefused) {
  auto status = DecodePageToken(EncodePageToken(7, "unit=3"), "unit=4").status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()), HasSubstr("page_token"));
}

TEST(PageTokenTest, GarbageIsRefused) {
  EXPECT_EQ(DecodePageToken("!!not-base64!!", "").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(DecodePageToken("djE6LTE6MA", "").status().code(),  // "v1:-1:0"
            absl::StatusCode::kInvalidArgument);
}

TEST(PageSizeTest, DefaultsAndBounds) {
  EXPECT_EQ(*ResolvePageSize(0), kDefaultPageSize);
  EXPECT_EQ(*ResolvePageSize(100), 100);
  EXPECT_THAT(std::string(ResolvePageSize(101).status().message()), HasSubstr("page_size"));
  EXPECT_EQ(ResolvePageSize(-1).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(TrimPageTest, ExtraRowMeansAnotherPageAfterTheLastKept) {
  std::vector<int64_t> rows = {9, 8, 7};
  const std::string token = TrimPage(rows, 2, "f", [](int64_t id) { return id; });
  EXPECT_EQ(rows, (std::vector<int64_t>{9, 8}));
  EXPECT_EQ(*DecodePageToken(token, "f"), 8);
}

TEST(TrimPageTest, LastPageHasNoToken) {
  std::vector<int64_t> rows = {9, 8};
  EXPECT_EQ(TrimPage(rows, 2, "f", [](int64_t id) { return id; }), "");
  EXPECT_EQ(rows.size(), 2u);
}

}  // namespace
}  // namespace gongkai::pagination
