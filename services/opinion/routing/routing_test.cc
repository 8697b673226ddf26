// OPI-2 routing on a small unit tree like Nanning's: the city government, city
// departments, two district governments and their departments; the rules from the
// built-in opinion.routing set.
#include "services/opinion/routing/routing.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <memory>

#include "libs/rules/embedded_rule_sets.h"
#include "libs/rules/rule_book.h"
#include "libs/status/errors.h"
#include "services/opinion/opinion_rule_sets.h"
#include "services/opinion/routing/fake_unit_lookup.h"

namespace gongkai::opinion::routing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

class RoutingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    units_ = NanningUnits();
    book_ = std::make_shared<rules::RuleBook>(std::vector<std::shared_ptr<const rules::RuleSchema>>{
        ClockRuleSchema(), RoutingRuleSchema()});
    ASSERT_TRUE(rules::LoadEmbeddedRuleSets(*book_).ok());
    set_ = *book_->EffectiveOn(kRoutingRuleSet, absl::CivilDay(2026, 5, 1));
  }

  absl::StatusOr<v1::Responsibility> RouteIt(const RoutingInput& input) {
    absl::Status checked = CheckUnits(input, units_);
    if (!checked.ok()) return checked;
    return Route(input, *set_, units_);
  }

  FakeUnitLookup units_;
  std::shared_ptr<rules::RuleBook> book_;
  std::shared_ptr<const rules::RuleSet> set_;
};

TEST_F(RoutingTest, Opi2MajorCityPolicyGoesToTheCompetentCityDepartment) {
  RoutingInput input{v1::CATEGORY_CITY_DECISIONS,
                     v1::TERRITORY_ONE_LOCALITY,
                     {kQingxiu},
                     {kCityHealth, kQingxiuHealth}};
  auto r = RouteIt(input);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->rule(), "city_policy");
  EXPECT_EQ(r->lead_unit_id(), kCityHealth);
  EXPECT_THAT(r->unit_ids(), ElementsAre(kCityHealth));
  EXPECT_THAT(r->rule_citation(), HasSubstr("routing.city_policy = city_department (OPI-2)"));
  EXPECT_THAT(r->reason(), HasSubstr("市卫生健康委"));
}

TEST_F(RoutingTest, Opi2LocalMatterGoesToTheLocalDepartment) {
  RoutingInput input{v1::CATEGORY_LIVELIHOOD_MORALITY,
                     v1::TERRITORY_ONE_LOCALITY,
                     {kQingxiu},
                     {kCityHealth, kQingxiuHealth}};
  auto r = RouteIt(input);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->rule(), "local_matter");
  EXPECT_THAT(r->unit_ids(), ElementsAre(kQingxiuHealth));
  EXPECT_THAT(r->reason(), HasSubstr("青秀区"));
}

TEST_F(RoutingTest, Opi2LocalMatterWithoutALocalDepartmentGoesToTheDistrictGovernment) {
  RoutingInput input{
      v1::CATEGORY_MEDIA_INTEREST, v1::TERRITORY_ONE_LOCALITY, {kXixiangtang}, {kCityHealth}};
  auto r = RouteIt(input);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_THAT(r->unit_ids(), ElementsAre(kXixiangtang));
  EXPECT_THAT(r->reason(), HasSubstr("district or county government answers"));
}

TEST_F(RoutingTest, Opi2SeveralLocalitiesGoToTheCompetentDepartmentOneLevelUp) {
  RoutingInput input{v1::CATEGORY_EMERGENCY,
                     v1::TERRITORY_SEVERAL_LOCALITIES,
                     {kQingxiu, kXixiangtang},
                     {kQingxiuHealth, kCityHealth}};
  auto r = RouteIt(input);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->rule(), "several_localities");
  EXPECT_THAT(r->unit_ids(), ElementsAre(kCityHealth));
}

TEST_F(RoutingTest, Opi2SeveralLocalitiesWithoutACityDepartmentGoToTheCommonParent) {
  RoutingInput input{v1::CATEGORY_EMERGENCY,
                     v1::TERRITORY_SEVERAL_LOCALITIES,
                     {kQingxiu, kXixiangtang},
                     {kQingxiuHealth}};
  auto r = RouteIt(input);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_THAT(r->unit_ids(), ElementsAre(kCity));
}

TEST_F(RoutingTest, Opi2SeveralDepartmentsAnswerEachByDutyLedByTheFirstListed) {
  RoutingInput input{
      v1::CATEGORY_CITY_DECISIONS, v1::TERRITORY_CITY, {}, {kCityTransport, kCityHealth}};
  auto r = RouteIt(input);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->rule(), "several_departments");
  EXPECT_EQ(r->lead_unit_id(), kCityTransport);
  EXPECT_THAT(r->unit_ids(), ElementsAre(kCityTransport, kCityHealth));
  EXPECT_THAT(r->rule_citation(), HasSubstr("routing.several_departments.lead = first_listed"));
}

TEST_F(RoutingTest, Opi2TheLeadChoiceIsDataInTheRuleSet) {
  auto set = book_->ParseJson(R"({"name": "opinion.routing", "version": 2,
      "effective_from": "2026-01-01", "basis": "test",
      "rules": {"routing.city_policy": {"value": "city_department"},
                "routing.local_matter": {"value": "local_department"},
                "routing.several_localities": {"value": "department_one_level_up"},
                "routing.several_departments.lead": {"value": "highest_level"}}})");
  ASSERT_TRUE(set.ok()) << set.status();
  RoutingInput input{v1::CATEGORY_CITY_DECISIONS, v1::TERRITORY_CITY, {}, {kCityTransport, kCity}};
  auto r = Route(input, *set, units_);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->lead_unit_id(), kCity);
  EXPECT_THAT(r->rule_citation(), HasSubstr("opinion.routing v2"));
}

TEST_F(RoutingTest, Opi2UnknownUnitsAndMisfitLocalitiesAreFieldViolations) {
  RoutingInput input{v1::CATEGORY_EMERGENCY,
                     v1::TERRITORY_ONE_LOCALITY,
                     {kCityHealth},
                     {999, kCityHealth, kCityHealth}};
  absl::Status s = CheckUnits(input, units_);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  std::vector<std::string> fields;
  for (const FieldViolation& v : FieldViolationsOf(s)) fields.push_back(v.field);
  EXPECT_THAT(fields, ElementsAre("locality_unit_ids[0]", "concerned_unit_ids[0]",
                                  "concerned_unit_ids[2]"));
  RoutingInput several{v1::CATEGORY_EMERGENCY, v1::TERRITORY_SEVERAL_LOCALITIES, {kQingxiu}, {}};
  EXPECT_EQ(CheckUnits(several, units_).code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(RoutingTest, Opi2NoUnitToBeFoundIsAPreconditionForTheOffice) {
  RoutingInput input{v1::CATEGORY_EMERGENCY, v1::TERRITORY_CITY, {}, {}};
  auto r = RouteIt(input);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(RoutingTest, Opi2AnUnavailableDirectoryIsNotTheCallersFault) {
  units_.SetUnavailable(true);
  RoutingInput input{v1::CATEGORY_EMERGENCY, v1::TERRITORY_CITY, {}, {kCityHealth}};
  EXPECT_EQ(CheckUnits(input, units_).code(), absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace gongkai::opinion::routing
