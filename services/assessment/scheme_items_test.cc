// The shipped scheme scores items 6-10 and 12 from the indicators their services report
// (ASM-6): website 6 (services/website/evidence), consultation 7, 8, 12
// (services/consultation/consultation_evidence.cc), interpretation 9
// (services/interpretation/evidence), opinion 10 (services/opinion/evidence). Every
// indicator name a deduction uses must be one the service reports (else the evidence is
// marked incomplete and nothing is deducted), and the ASM-3 situations mapped to items 6,
// 9 and 10 are reached by a single record of the kind they describe.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

#include "absl/strings/str_cat.h"

#include "services/assessment/assessment_testing.h"
#include "services/assessment/scheme.h"
#include "services/assessment/scoring.h"

namespace gongkai::assessment {
namespace {

using ::testing::HasSubstr;

// Every indicator each service reports for the item, as in its evidence source.
const std::map<InspectionItem, std::vector<std::string>>& ReportedIndicators() {
  static const auto* const reported = new std::map<InspectionItem, std::vector<std::string>>{
      {common::v1::OPENNESS_PLATFORMS,
       {"sites_registered", "sites_migrated", "accounts_without_procedures", "sites_evaluated",
        "sites_failed", "sites_vetoed", "notices_issued", "notices_overdue", "severe_errors"}},
      {common::v1::OPEN_MEETINGS,
       {"meetings_held", "livelihood_meetings", "livelihood_meetings_not_open",
        "meetings_with_recorded_attendance"}},
      {common::v1::DECISION_PRE_DISCLOSURE,
       {"consultations_opened", "consultations_shortened", "decisions_without_pre_disclosure"}},
      {common::v1::POLICY_INTERPRETATION,
       {"policy_documents_published", "interpretations_in_sync", "interpretations_late",
        "interpretations_missing", "interpretations_pending"}},
      {common::v1::PUBLIC_OPINION_RESPONSE,
       {"events_especially_major", "events_major", "events_general", "responded_on_time",
        "responded_late", "not_responded", "decided_not_to_respond"}},
      {common::v1::PUBLIC_PARTICIPATION,
       {"comments_received", "comments_answered", "consultations_closed_without_statement",
        "consultations_concluded", "hearings_held", "hearings_without_minutes"}},
  };
  return *reported;
}

// The evidence a service returns: every indicator it reports, zero except `counts`.
common::v1::ItemEvidence Evidence(InspectionItem item, const std::map<std::string, int>& counts) {
  common::v1::ItemEvidence evidence;
  evidence.set_item(item);
  evidence.set_complete(true);
  for (const std::string& name : ReportedIndicators().at(item)) {
    common::v1::EvidenceIndicator& indicator = *evidence.add_indicators();
    indicator.set_name(name);
    indicator.set_description(name);
    auto it = counts.find(name);
    const int count = it == counts.end() ? 0 : it->second;
    indicator.set_count(count);
    for (int i = 1; i <= count; ++i) indicator.add_references(absl::StrCat("x/", i));
  }
  return evidence;
}

class SchemeItemsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<Scheme> scheme = ReadScheme(*testing::SchemeBook(), 2026);
    ASSERT_TRUE(scheme.ok()) << scheme.status();
    scheme_ = *std::move(scheme);
  }
  v1::ItemScore Score(InspectionItem item, const std::map<std::string, int>& counts) {
    return ScoreFromEvidence(scheme_.Item(item), Evidence(item, counts));
  }
  // The ASM-3 rule: under accountability.below_percent of the weight raises the trigger.
  bool RaisesTrigger(const v1::ItemScore& score) {
    return score.points() <
           score.weight() * static_cast<double>(scheme_.accountability_below_percent) / 100.0;
  }
  InspectionItem TriggerItem(v1::TriggerKind kind) {
    for (const AccountabilityRule& rule : scheme_.accountability) {
      if (rule.kind == kind) return rule.item;
    }
    return common::v1::INSPECTION_ITEM_UNSPECIFIED;
  }
  Scheme scheme_;
};

TEST_F(SchemeItemsTest, Asm6EveryItemSixToTwelveDeductsOnlyIndicatorsItsServiceReports) {
  for (const auto& [item, names] : ReportedIndicators()) {
    const SchemeItemRule& rule = scheme_.Item(item);
    EXPECT_FALSE(rule.deductions.empty()) << "item " << item << " deducts nothing";
    for (const DeductionRule& deduction : rule.deductions) {
      EXPECT_THAT(names, ::testing::Contains(deduction.indicator)) << "item " << item;
    }
    const v1::ItemScore clean = Score(item, {});
    EXPECT_EQ(clean.status(), v1::SCORED);
    EXPECT_TRUE(clean.evidence_complete()) << item << ": " << clean.DebugString();
    EXPECT_DOUBLE_EQ(clean.points(), rule.weight) << item;
  }
}

TEST_F(SchemeItemsTest, Asm6Item6VetoedSiteTakesTheItemAndRaisesPlatformNotInPlace) {
  EXPECT_EQ(TriggerItem(v1::PLATFORM_NOT_IN_PLACE), common::v1::OPENNESS_PLATFORMS);
  const v1::ItemScore vetoed = Score(
      common::v1::OPENNESS_PLATFORMS,
      {{"sites_registered", 1}, {"sites_evaluated", 1}, {"sites_failed", 1}, {"sites_vetoed", 1}});
  EXPECT_DOUBLE_EQ(vetoed.points(), 0);
  EXPECT_TRUE(RaisesTrigger(vetoed));
  EXPECT_THAT(vetoed.explanation(), HasSubstr("sites_vetoed"));
  const v1::ItemScore minor =
      Score(common::v1::OPENNESS_PLATFORMS,
            {{"sites_registered", 2}, {"accounts_without_procedures", 1}, {"severe_errors", 1}});
  EXPECT_DOUBLE_EQ(minor.points(), 8 - 1 - 2);
  EXPECT_FALSE(RaisesTrigger(minor));
}

TEST_F(SchemeItemsTest, Asm6Item7ClosedLivelihoodMeetingDeducts) {
  EXPECT_DOUBLE_EQ(
      Score(common::v1::OPEN_MEETINGS,
            {{"meetings_held", 3}, {"livelihood_meetings", 2}, {"livelihood_meetings_not_open", 1}})
          .points(),
      6 - 2);
}

TEST_F(SchemeItemsTest, Asm6Item8DecisionWithoutPreDisclosureDeductsAShortenedPeriodDoesNot) {
  EXPECT_DOUBLE_EQ(Score(common::v1::DECISION_PRE_DISCLOSURE,
                         {{"consultations_opened", 2}, {"consultations_shortened", 1}})
                       .points(),
                   6);
  EXPECT_DOUBLE_EQ(
      Score(common::v1::DECISION_PRE_DISCLOSURE, {{"decisions_without_pre_disclosure", 2}})
          .points(),
      6 - 4);
}

TEST_F(SchemeItemsTest, Asm6Item9MissingInterpretationRaisesMajorPolicyNotInterpreted) {
  EXPECT_EQ(TriggerItem(v1::MAJOR_POLICY_NOT_INTERPRETED), common::v1::POLICY_INTERPRETATION);
  const v1::ItemScore missing =
      Score(common::v1::POLICY_INTERPRETATION, {{"policy_documents_published", 2},
                                                {"interpretations_in_sync", 1},
                                                {"interpretations_missing", 1}});
  EXPECT_DOUBLE_EQ(missing.points(), 8 - 4);
  EXPECT_TRUE(RaisesTrigger(missing));
  const v1::ItemScore late =
      Score(common::v1::POLICY_INTERPRETATION,
            {{"policy_documents_published", 1}, {"interpretations_late", 1}});
  EXPECT_DOUBLE_EQ(late.points(), 8 - 1);
  EXPECT_FALSE(RaisesTrigger(late));
  // Pending (still within the allowed lag) is not a failure.
  EXPECT_DOUBLE_EQ(
      Score(common::v1::POLICY_INTERPRETATION, {{"interpretations_pending", 3}}).points(), 8);
}

TEST_F(SchemeItemsTest, Asm6Item10LateResponseRaisesLateResponseToHotTopics) {
  EXPECT_EQ(TriggerItem(v1::LATE_RESPONSE_TO_HOT_TOPICS), common::v1::PUBLIC_OPINION_RESPONSE);
  const v1::ItemScore late =
      Score(common::v1::PUBLIC_OPINION_RESPONSE, {{"events_general", 1}, {"responded_late", 1}});
  EXPECT_DOUBLE_EQ(late.points(), 8 - 4);
  EXPECT_TRUE(RaisesTrigger(late));
  EXPECT_DOUBLE_EQ(
      Score(common::v1::PUBLIC_OPINION_RESPONSE, {{"not_responded", 1}, {"responded_late", 1}})
          .points(),
      0);
  // A documented decision not to respond (OPI-1) is not a failure.
  EXPECT_DOUBLE_EQ(Score(common::v1::PUBLIC_OPINION_RESPONSE,
                         {{"events_general", 1}, {"decided_not_to_respond", 1}})
                       .points(),
                   8);
}

TEST_F(SchemeItemsTest, Asm6Item12ConsultationWithoutFeedbackStatementDeducts) {
  EXPECT_DOUBLE_EQ(Score(common::v1::PUBLIC_PARTICIPATION,
                         {{"comments_received", 1}, {"consultations_closed_without_statement", 1}})
                       .points(),
                   6 - 2);
  EXPECT_DOUBLE_EQ(Score(common::v1::PUBLIC_PARTICIPATION,
                         {{"hearings_held", 1}, {"hearings_without_minutes", 1}})
                       .points(),
                   6 - 1);
}

}  // namespace
}  // namespace gongkai::assessment
