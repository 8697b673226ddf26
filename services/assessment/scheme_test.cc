// The scheme as a rule set (ASM-1, ASM-6): the shipped data, the ASM-1 floor, routing and
// scoring rules as data.
#include "services/assessment/scheme.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "libs/db/testing/status_matchers.h"
#include "libs/status/errors.h"
#include "services/assessment/assessment_testing.h"

namespace gongkai::assessment {
namespace {

using ::gongkai::db::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(SchemeTest, ShippedSchemeHasTheFifteenItemsOfTheAnnex) {  // ASM-6
  auto book = testing::SchemeBook();
  absl::StatusOr<Scheme> scheme = ReadScheme(*book, 2026);
  ASSERT_TRUE(scheme.ok()) << scheme.status();
  ASSERT_EQ(scheme->items.size(), 15u);
  EXPECT_DOUBLE_EQ(scheme->TotalPoints(), 100);
  EXPECT_GE(scheme->openness_weight_percent, 4);
  EXPECT_EQ(scheme->version_key, "assessment.scheme@1");
  for (int n : {1, 2, 15}) EXPECT_EQ(scheme->items[n - 1].source, kInspectorSource) << n;
  for (int n : {3, 4, 5, 11, 14}) EXPECT_EQ(scheme->items[n - 1].source, "catalog") << n;
  EXPECT_EQ(scheme->Item(common::v1::TRAINING).source, "assessment");
  EXPECT_THAT(scheme->Services(), ElementsAre("assessment", "catalog", "consultation",
                                              "interpretation", "opinion", "website"));
  EXPECT_THAT(scheme->Item(common::v1::DISCLOSURE_ATTRIBUTE).weight_rule,
              HasSubstr("assessment.scheme v1"));
  EXPECT_EQ(scheme->accountability.size(), 6u);
}

TEST(SchemeTest, Asm1SchemeGivingOpennessUnderFourPercentIsRefused) {
  auto book = testing::SchemeBook();
  absl::StatusOr<rules::RuleSet> set = book->ParseJson(
      testing::SchemeVersionJson(2, "2027-01-01", {{"\"value\": 4.0", "\"value\": 3.5"}}));
  absl::Status put = set.ok() ? book->Put(*std::move(set)).status() : set.status();
  EXPECT_THAT(put, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("openness.weight")));
  absl::StatusOr<Scheme> scheme = ReadScheme(*book, 2027);
  ASSERT_TRUE(scheme.ok());
  EXPECT_EQ(scheme->version_key, "assessment.scheme@1");  // Nothing was stored.
}

TEST(SchemeTest, Asm1SchemeAtOrAboveFourPercentIsAcceptedForItsYear) {
  auto book = testing::SchemeBook();
  absl::StatusOr<rules::RuleSet> set = book->ParseJson(
      testing::SchemeVersionJson(2, "2027-01-01", {{"\"value\": 4.0", "\"value\": 5.5"}}));
  ASSERT_TRUE(set.ok()) << set.status();
  ASSERT_TRUE(book->Put(*std::move(set)).ok());
  EXPECT_DOUBLE_EQ(ReadScheme(*book, 2027)->openness_weight_percent, 5.5);
  EXPECT_DOUBLE_EQ(ReadScheme(*book, 2026)->openness_weight_percent, 4.0);  // Its own year.
  // A run keeps the version it started with.
  EXPECT_DOUBLE_EQ(ReadSchemeVersion(*book, 2027, "assessment.scheme@1")->openness_weight_percent,
                   4.0);
  EXPECT_THAT(ReadSchemeVersion(*book, 2027, "assessment.scheme@9").status(),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("")));
}

TEST(SchemeTest, WhichServiceAnswersAnItemIsData) {  // ADR 0022: routing without code
  auto book = testing::SchemeBook();
  absl::StatusOr<rules::RuleSet> set = book->ParseJson(testing::SchemeVersionJson(
      2, "2028-01-01", {{"\"value\": \"interpretation\"", "\"value\": \"inspector\""}}));
  ASSERT_TRUE(set.ok()) << set.status();
  ASSERT_TRUE(book->Put(*std::move(set)).ok());
  EXPECT_EQ(ReadScheme(*book, 2028)->Item(common::v1::POLICY_INTERPRETATION).source, "inspector");
}

TEST(SchemeTest, DeductionsParseWithDefaultAndExplicitCaps) {
  absl::StatusOr<std::vector<DeductionRule>> parsed = ParseDeductions("a_b:0.5;c:2:3", 8);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  ASSERT_EQ(parsed->size(), 2u);
  EXPECT_EQ((*parsed)[0].indicator, "a_b");
  EXPECT_DOUBLE_EQ((*parsed)[0].points_per_record, 0.5);
  EXPECT_DOUBLE_EQ((*parsed)[0].cap, 8);
  EXPECT_DOUBLE_EQ((*parsed)[1].cap, 3);
  EXPECT_TRUE(ParseDeductions("-", 8)->empty());
}

TEST(SchemeTest, MalformedDeductionsAreRefusedWhenTheSchemeIsRead) {
  for (const char* bad : {"x", "x:-1", "x:1:2:3", "X:1", ";"}) {
    EXPECT_THAT(ParseDeductions(bad, 8).status(),
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("")))
        << bad;
  }
  auto book = testing::SchemeBook();
  absl::StatusOr<rules::RuleSet> set = book->ParseJson(testing::SchemeVersionJson(
      2, "2029-01-01", {{"documents_without_attribute:1", "documents_without_attribute"}}));
  ASSERT_TRUE(set.ok()) << set.status();
  ASSERT_TRUE(book->Put(*std::move(set)).ok());
  absl::StatusOr<Scheme> scheme = ReadScheme(*book, 2029);
  EXPECT_THAT(scheme.status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("deduction")));
  EXPECT_THAT(FieldViolationsOf(scheme.status())[0].field, "rules.items.04.deductions");
}

TEST(SchemeTest, NoSchemeBeforeTheFirstVersionIsAFailedPrecondition) {
  auto book = testing::SchemeBook();
  EXPECT_THAT(ReadScheme(*book, 2019).status(),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("in effect")));
}

}  // namespace
}  // namespace gongkai::assessment
