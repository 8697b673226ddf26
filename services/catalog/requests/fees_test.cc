// NAT-9 fee tiers at every boundary, with the shipped catalog.fees rule set
// (services/catalog/rules) and a test version.
#include "services/catalog/requests/fees.h"

#include <memory>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/catalog/catalog_rule_sets_testing.h"

namespace gongkai::catalog::requests {
namespace {

using ::testing::HasSubstr;

constexpr int64_t kYuan = 100;  // fen

// The national catalog.fees version (v1).
const rules::RuleSet& National() {
  static const auto* const set = [] {
    auto book = catalog_testing::NationalRuleBook();
    return new std::shared_ptr<const rules::RuleSet>(*book->Get(kFeeRuleSet, 1));
  }();
  return **set;
}

Fee FeeByCount(int ordinal, int year, int month) {
  absl::StatusOr<Fee> fee = requests::FeeByCount(National(), ordinal, year, month);
  EXPECT_TRUE(fee.ok()) << fee.status();
  return fee.value_or(Fee{});
}
Fee FeeByPages(int pages) {
  absl::StatusOr<Fee> fee = requests::FeeByPages(National(), pages);
  EXPECT_TRUE(fee.ok()) << fee.status();
  return fee.value_or(Fee{});
}

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

// NAT-9 (ADR 0019): the fee names the rule set version and rules it was computed with.
TEST(FeeRulesTest, Nat9ExplanationNamesTheRuleSetAndRules) {
  EXPECT_THAT(FeeByCount(11, 2024, 3).explanation, HasSubstr("依据规则：catalog.fees v1"));
  EXPECT_THAT(FeeByCount(11, 2024, 3).explanation, HasSubstr("fee.by_count = "));
  EXPECT_THAT(FeeByPages(150).explanation, HasSubstr("fee.by_pages = "));
  EXPECT_THAT(FeeByPages(150).explanation, HasSubstr("(NAT-9)"));
}

// NAT-9 as data: a city's version with other tiers and steps changes the fees.
TEST(FeeRulesTest, Nat9ACityVersionChangesTiersAndSteps) {
  auto book = catalog_testing::NationalRuleBook();
  catalog_testing::PutRuleSet(*book, R"({"name": "catalog.fees", "version": 2,
      "effective_from": "2024-01-01", "basis": "某市收费办法",
      "rules": {"fee.by_count": {"value": [{"from": 1, "value": 0}, {"from": 6, "value": 50}]},
                "fee.by_count.step_requests": {"value": 5},
                "fee.by_count.step_yuan": {"value": 50},
                "fee.by_pages": {"value": [{"from": 1, "value": 0}, {"from": 11, "value": 5}]}}})");
  const rules::RuleSet& city = **book->EffectiveOn(kFeeRuleSet, absl::CivilDay(2024, 3, 1));
  EXPECT_EQ(requests::FeeByCount(city, 5, 2024, 3)->fen, 0);
  EXPECT_EQ(requests::FeeByCount(city, 6, 2024, 3)->fen, 50 * kYuan);
  EXPECT_EQ(requests::FeeByCount(city, 10, 2024, 3)->fen, 50 * kYuan);
  EXPECT_EQ(requests::FeeByCount(city, 11, 2024, 3)->fen, 100 * kYuan);
  EXPECT_EQ(requests::FeeByPages(city, 20)->fen, 10 * 5 * kYuan);
  EXPECT_THAT(requests::FeeByPages(city, 20)->explanation, HasSubstr("catalog.fees v2"));
}

TEST(FormatYuanTest, PrintsFenAsYuanWithTwoDecimals) {
  EXPECT_EQ(FormatYuan(170000), "1700.00");
  EXPECT_EQ(FormatYuan(5), "0.05");
}

}  // namespace
}  // namespace gongkai::catalog::requests
