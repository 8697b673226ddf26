// Scoring an item from its evidence (ASM-6): deductions by rule, the rule and evidence
// shown, unavailable evidence never scored zero, ranking and CSV.
#include "services/assessment/scoring.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "services/assessment/assessment_testing.h"

namespace gongkai::assessment {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

common::v1::EvidenceIndicator Indicator(const std::string& name, int64_t count) {
  common::v1::EvidenceIndicator indicator;
  indicator.set_name(name);
  indicator.set_description(name);
  indicator.set_count(count);
  indicator.add_references("document/1");
  return indicator;
}

SchemeItemRule Rule(double weight, std::vector<DeductionRule> deductions) {
  SchemeItemRule rule;
  rule.item = common::v1::PROACTIVE_CATALOG;
  rule.weight = weight;
  rule.source = "catalog";
  rule.deductions = std::move(deductions);
  rule.weight_rule = "assessment.scheme v1 (2020-01-01) items.05.weight = 8 count (ASM-6)";
  rule.deductions_rule = "assessment.scheme v1 (2020-01-01) items.05.deductions = ... (ASM-6)";
  return rule;
}

TEST(ScoringTest, Asm6DeductionsPerRecordUpToTheirCapsWithTheRuleAndEvidenceShown) {
  common::v1::ItemEvidence evidence;
  evidence.set_complete(true);
  *evidence.add_indicators() = Indicator("late", 3);
  *evidence.add_indicators() = Indicator("missing", 5);
  const v1::ItemScore score =
      ScoreFromEvidence(Rule(8, {{"late", 0.5, 8}, {"missing", 1, 2}}), evidence);
  EXPECT_EQ(score.status(), v1::SCORED);
  EXPECT_DOUBLE_EQ(score.points(), 8 - 1.5 - 2);
  EXPECT_THAT(score.rule(), HasSubstr("items.05.deductions"));
  EXPECT_THAT(score.explanation(), HasSubstr("late (late) 3 x 0.50 (cap 8.00) = -1.50"));
  EXPECT_THAT(score.explanation(), HasSubstr("missing (missing) 5 x 1.00 (cap 2.00) = -2.00"));
  EXPECT_EQ(score.indicators_size(), 2);
  EXPECT_TRUE(score.evidence_complete());
}

TEST(ScoringTest, PointsNeverGoBelowZero) {
  common::v1::ItemEvidence evidence;
  *evidence.add_indicators() = Indicator("late", 100);
  *evidence.add_indicators() = Indicator("missing", 100);
  EXPECT_DOUBLE_EQ(
      ScoreFromEvidence(Rule(8, {{"late", 1, 8}, {"missing", 1, 8}}), evidence).points(), 0);
}

TEST(ScoringTest, AnIndicatorTheServiceDidNotReportMakesTheEvidenceIncomplete) {
  common::v1::ItemEvidence evidence;
  evidence.set_complete(true);
  const v1::ItemScore score = ScoreFromEvidence(Rule(8, {{"renamed", 1, 8}}), evidence);
  EXPECT_EQ(score.status(), v1::SCORED);
  EXPECT_FALSE(score.evidence_complete());
  EXPECT_THAT(score.incomplete_reasons(), ElementsAre(HasSubstr("renamed")));
}

TEST(ScoringTest, UnavailableEvidenceIsNotScoredAndNotCountedAsZero) {
  const v1::ItemScore gap = EvidenceUnavailable(Rule(8, {}), "catalog: UNAVAILABLE: down");
  EXPECT_EQ(gap.status(), v1::EVIDENCE_UNAVAILABLE);
  EXPECT_EQ(gap.unavailable_reason(), "catalog: UNAVAILABLE: down");
  common::v1::ItemEvidence evidence;
  const UnitTotal total = TotalOf({ScoreFromEvidence(Rule(8, {}), evidence), gap});
  EXPECT_DOUBLE_EQ(total.total, 8);
  EXPECT_FALSE(total.complete);
  EXPECT_EQ(total.unavailable, 1);
}

TEST(ScoringTest, InspectorPointsAreCappedAtTheWeightAndAwaitedWithoutEvidence) {
  SchemeItemRule rule = Rule(6, {});
  rule.source = kInspectorSource;
  EXPECT_EQ(ScoreFromInspector(rule, std::nullopt).status(), v1::AWAITING_INSPECTOR);
  v1::InspectorEvidence evidence;
  evidence.set_id(7);
  evidence.set_points(5.5);
  evidence.set_inspector("li");
  evidence.set_text("领导小组已成立");
  evidence.add_attachments("file/leading-group.pdf");
  const v1::ItemScore score = ScoreFromInspector(rule, evidence);
  EXPECT_EQ(score.status(), v1::SCORED);
  EXPECT_DOUBLE_EQ(score.points(), 5.5);
  EXPECT_THAT(score.indicators(0).references(),
              ElementsAre("inspector_evidence/7", "file/leading-group.pdf"));
  evidence.set_points(9);
  EXPECT_DOUBLE_EQ(ScoreFromInspector(rule, evidence).points(), 6);
}

TEST(ScoringTest, EqualTotalsShareARank) {
  EXPECT_THAT(Rank({80, 95, 80, 70.004, 70}), ElementsAre(2, 1, 2, 4, 4));
}

TEST(ScoringTest, CsvQuotesNamesAndMarksUnscoredItems) {
  v1::UnitScore score;
  score.set_rank(1);
  score.set_unit_id(3);
  score.set_unit_code("NN-EDU");
  score.set_unit_name("教育局, \"市\"");
  score.set_total(12.5);
  v1::ItemScore* item = score.add_items();
  item->set_item(common::v1::ANNUAL_REPORT);
  item->set_status(v1::EVIDENCE_UNAVAILABLE);
  const std::string csv = ScoresCsv({score});
  EXPECT_THAT(csv, HasSubstr("rank,unit_id,unit_code,unit_name,total"));
  EXPECT_THAT(csv, HasSubstr("1,3,NN-EDU,\"教育局, \"\"市\"\"\",12.50,no"));
  EXPECT_THAT(csv, HasSubstr(",unavailable,\r\n"));
}

}  // namespace
}  // namespace gongkai::assessment
