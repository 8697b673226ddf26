// Unit tests of the rules that need no storage: INT-2 sections, INT-3 plan and
// materials, INT-4 release records, who may approve.
#include "services/interpretation/interpretation_rules.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/status/errors.h"

namespace gongkai::interpretation {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

v1::Interpretation Complete() {
  v1::Interpretation i;
  v1::Sections* s = i.mutable_sections();
  for (v1::Section* section :
       {s->mutable_background_and_basis(), s->mutable_objectives_and_tasks(),
        s->mutable_main_content(), s->mutable_scope(), s->mutable_standards_of_execution(),
        s->mutable_points_of_attention(), s->mutable_key_terms(),
        s->mutable_public_benefit_measures()}) {
    section->set_text("内容");
  }
  s->mutable_new_versus_old()->set_not_applicable(true);
  s->mutable_new_versus_old()->set_not_applicable_reason("首次制定，无旧政策");
  i.mutable_plan()->add_forms(v1::TEXT);
  i.mutable_plan()->add_channels(v1::WEBSITE);
  i.mutable_plan()->set_timing("与文件同步发布");
  i.mutable_plan()->set_spokesperson("张三");
  v1::Material* m = i.add_materials();
  m->set_title("图解");
  m->set_form(v1::GRAPHIC);
  m->set_content("https://example.gov.cn/tujie.png");
  return i;
}

TEST(InterpretationRulesTest, Int2NineSectionsInOrder) {
  ASSERT_EQ(SectionNames().size(), 9u);
  EXPECT_STREQ(SectionNames().front().field, "background_and_basis");
  EXPECT_STREQ(SectionNames().back().field, "new_versus_old");
}

TEST(InterpretationRulesTest, Int2CompleteInterpretationIsApprovable) {
  EXPECT_TRUE(CheckApprovable(Complete()).ok());
}

TEST(InterpretationRulesTest, Int2MissingSectionsAreNamedInOrder) {
  v1::Interpretation i = Complete();
  i.mutable_sections()->clear_scope();
  i.mutable_sections()->mutable_key_terms()->set_text("   ");
  EXPECT_THAT(MissingSections(i.sections()),
              ElementsAre("适用范围 (scope)", "关键词诠释 (key_terms)"));
  absl::Status status = CheckApprovable(i);
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(status.message(), HasSubstr("scope"));
  EXPECT_THAT(status.message(), HasSubstr("key_terms"));
  EXPECT_THAT(status.message(), HasSubstr("INT-2"));
}

TEST(InterpretationRulesTest, Int2NotApplicableNeedsAReason) {
  v1::Section section;
  section.set_not_applicable(true);
  EXPECT_FALSE(SectionIsComplete(section));
  section.set_not_applicable_reason("不涉及");
  EXPECT_TRUE(SectionIsComplete(section));
}

TEST(InterpretationRulesTest, Int2NotApplicableWithTextOrWithoutReasonIsBadInput) {
  v1::Interpretation i = Complete();
  i.mutable_sections()->mutable_scope()->set_not_applicable(true);  // Has text too.
  i.mutable_sections()->mutable_key_terms()->set_text("");
  i.mutable_sections()->mutable_key_terms()->set_not_applicable(true);  // No reason.
  FieldViolations v;
  ValidateContent(v, i, "interpretation.");
  std::vector<std::string> fields;
  for (const FieldViolation& f : v.violations()) fields.push_back(f.field);
  EXPECT_THAT(fields, ElementsAre("interpretation.sections.scope.text",
                                  "interpretation.sections.scope.not_applicable_reason",
                                  "interpretation.sections.key_terms.not_applicable_reason"));
}

TEST(InterpretationRulesTest, Int3PlanPartsAndMaterialsAreNamed) {
  v1::Interpretation i = Complete();
  i.mutable_plan()->clear_channels();
  i.mutable_plan()->clear_spokesperson();
  i.clear_materials();
  EXPECT_THAT(MissingPlanAndMaterials(i),
              ElementsAre("plan.channels", "plan.spokesperson", "materials"));
  absl::Status status = CheckApprovable(i);
  EXPECT_THAT(status.message(), HasSubstr("INT-3"));
  EXPECT_THAT(status.message(), HasSubstr("plan.spokesperson"));
}

TEST(InterpretationRulesTest, Int4FormsAndChannelsMustBeKnown) {
  v1::Interpretation i = Complete();
  i.mutable_plan()->add_forms(static_cast<v1::InterpretationForm>(99));
  i.mutable_plan()->add_channels(v1::RELEASE_CHANNEL_UNSPECIFIED);
  FieldViolations v;
  ValidateContent(v, i, "");
  ASSERT_EQ(v.violations().size(), 2u);
  EXPECT_EQ(v.violations()[0].field, "plan.forms[1]");
  EXPECT_EQ(v.violations()[1].field, "plan.channels[1]");
}

TEST(InterpretationRulesTest, Int4ReleaseRecordNeedsFormChannelReferenceAndDay) {
  FieldViolations v;
  ValidateRelease(v, v1::ReleaseRecord(), "release.");
  std::vector<std::string> fields;
  for (const FieldViolation& f : v.violations()) fields.push_back(f.field);
  EXPECT_THAT(fields, ElementsAre("release.form", "release.channel", "release.reference",
                                  "release.released_on"));
}

TEST(InterpretationRulesTest, Int3OnlyTheHeadOfTheUnitApproves) {
  auth::Principal head{"head-7", 7, {auth::Role::kHead}, {}};
  EXPECT_TRUE(MayApprove(head, 7).ok());
  EXPECT_EQ(MayApprove(head, 8).code(), absl::StatusCode::kPermissionDenied);
  auth::Principal staff{"staff-7", 7, {auth::Role::kStaff}, {}};
  EXPECT_EQ(MayApprove(staff, 7).code(), absl::StatusCode::kPermissionDenied);
  auth::Principal admin{"admin", std::nullopt, {auth::Role::kAdmin}, {}};
  EXPECT_EQ(MayApprove(admin, 7).code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(MayApprove(auth::Principal::Anonymous(), 7).code(), absl::StatusCode::kUnauthenticated);
}

TEST(InterpretationRulesTest, ServiceCallersPassRulesThatListThem) {
  auth::Principal catalog{"service:catalog", std::nullopt, {auth::Role::kService}, {}};
  EXPECT_TRUE(Allow(catalog, kCheckRelease, 7).ok());
  EXPECT_TRUE(Allow(catalog, kApplyPublication, std::nullopt).ok());
  EXPECT_FALSE(Allow(catalog, kDraftInterpretation, 7).ok());
}

TEST(InterpretationRulesTest, Int1GovernmentLevelAuthorities) {
  EXPECT_TRUE(IsGovernmentLevel(catalog::v1::CITY_GOVERNMENT));
  EXPECT_TRUE(IsGovernmentLevel(catalog::v1::CITY_GOVERNMENT_OFFICE));
  EXPECT_FALSE(IsGovernmentLevel(catalog::v1::DEPARTMENT));
}

}  // namespace
}  // namespace gongkai::interpretation
