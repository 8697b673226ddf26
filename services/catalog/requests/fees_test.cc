// NAT-9 fee tiers at every boundary.
#include "services/catalog/requests/fees.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gongkai::catalog::requests {
namespace {

using ::testing::HasSubstr;

constexpr int64_t kYuan = 100;  // fen

TEST(FeeByCountTest, FirstTenRequestsOfTheMonthAreFree) {
  EXPECT_EQ(FeeByCount(1, 2024, 3).fen, 0);
  EXPECT_EQ(FeeByCount(10, 2024, 3).fen, 0);
  EXPECT_THAT(FeeByCount(10, 2024, 3).explanation, HasSubstr("前 10 件不收费"));
}

TEST(FeeByCountTest, EleventhToThirtiethCostOneHundredYuanEach) {
  EXPECT_EQ(FeeByCount(11, 2024, 3).fen, 100 * kYuan);
  EXPECT_EQ(FeeByCount(30, 2024, 3).fen, 100 * kYuan);
  const Fee fee = FeeByCount(11, 2024, 3);
  EXPECT_EQ(fee.method, catalog::v1::FEE_BY_COUNT);
  EXPECT_THAT(fee.explanation, HasSubstr("2024 年 3 月"));
  EXPECT_THAT(fee.explanation, HasSubstr("第 11 件申请"));
  EXPECT_THAT(fee.explanation, HasSubstr("本件收费 100.00 元"));
}

TEST(FeeByCountTest, EachFurtherTenAddsOneHundredYuan) {
  EXPECT_EQ(FeeByCount(31, 2024, 3).fen, 200 * kYuan);
  EXPECT_EQ(FeeByCount(40, 2024, 3).fen, 200 * kYuan);
  EXPECT_EQ(FeeByCount(41, 2024, 3).fen, 300 * kYuan);
  EXPECT_EQ(FeeByCount(50, 2024, 3).fen, 300 * kYuan);
  EXPECT_EQ(FeeByCount(51, 2024, 3).fen, 400 * kYuan);
  EXPECT_THAT(FeeByCount(41, 2024, 3).explanation, HasSubstr("第 41–50 件每件 300 元"));
}

TEST(FeeByPagesTest, ThirtyPagesAreFree) {
  EXPECT_EQ(FeeByPages(30).fen, 0);
  EXPECT_EQ(FeeByPages(0).fen, 0);
  EXPECT_THAT(FeeByPages(30).explanation, HasSubstr("合计 0.00 元"));
}

TEST(FeeByPagesTest, ThirtyFirstToHundredthCostTenYuanAPage) {
  EXPECT_EQ(FeeByPages(31).fen, 10 * kYuan);
  EXPECT_EQ(FeeByPages(100).fen, 700 * kYuan);
}

TEST(FeeByPagesTest, TiersAreProgressive) {
  EXPECT_EQ(FeeByPages(101).fen, (700 + 20) * kYuan);
  EXPECT_EQ(FeeByPages(200).fen, (700 + 2000) * kYuan);
  EXPECT_EQ(FeeByPages(201).fen, (700 + 2000 + 40) * kYuan);
  const Fee fee = FeeByPages(150);
  EXPECT_EQ(fee.method, catalog::v1::FEE_BY_PAGES);
  EXPECT_EQ(fee.fen, 1700 * kYuan);
  EXPECT_THAT(fee.explanation, HasSubstr("31–100 页 70 页 × 10 元 = 700 元"));
  EXPECT_THAT(fee.explanation, HasSubstr("101–150 页 50 页 × 20 元 = 1000 元"));
  EXPECT_THAT(fee.explanation, HasSubstr("合计 1700.00 元"));
}

TEST(FormatYuanTest, PrintsFenAsYuanWithTwoDecimals) {
  EXPECT_EQ(FormatYuan(170000), "1700.00");
  EXPECT_EQ(FormatYuan(5), "0.05");
}

}  // namespace
}  // namespace gongkai::catalog::requests
