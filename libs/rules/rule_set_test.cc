// Unit tests of rule-set parsing, validation against a schema, typed accessors and
// citations (rule_set.h, rule_set_json.h).
#include "libs/rules/rule_set.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "libs/db/testing/status_matchers.h"
#include "libs/rules/rule_set_json.h"
#include "libs/rules/testing/test_rule_schema.h"
#include "libs/rules/testing/test_rule_sets.h"
#include "libs/status/errors.h"

namespace gongkai::rules {
namespace {

using ::gongkai::db::testing::IsOk;
using ::gongkai::db::testing::StatusIs;
using ::gongkai::rules::testing::TestRuleSchema;
using ::gongkai::rules::testing::TestRuleSetJson;
using ::testing::AllOf;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;
using Json = nlohmann::json;

// The fields named by the BadRequest of `status`.
std::vector<std::string> BadFields(const absl::Status& status) {
  std::vector<std::string> fields;
  for (const FieldViolation& v : FieldViolationsOf(status)) fields.push_back(v.field);
  return fields;
}

absl::StatusOr<RuleSet> Parse(const std::string& json) {
  return ParseRuleSetJson(json, TestRuleSchema());
}

absl::Status ParseError(const std::function<void(Json&)>& edit) {
  return Parse(TestRuleSetJson(1, "2019-05-15", edit)).status();
}

TEST(RuleSetJsonTest, ValidSetParsesEveryType) {
  ASSERT_OK_AND_ASSIGN(RuleSet set, Parse(TestRuleSetJson(3, "2026-01-01")));
  EXPECT_EQ(set.name, "test.openness");
  EXPECT_EQ(set.version, 3);
  EXPECT_EQ(set.effective_from, absl::CivilDay(2026, 1, 1));
  EXPECT_EQ(set.basis, "《政府信息公开条例》(2019)");
  EXPECT_EQ(set.rules.at("publication.working_days").value, RuleValue(int64_t{20}));
  EXPECT_EQ(set.rules.at("assessment.openness_weight").value, RuleValue(4.0));
  EXPECT_EQ(set.rules.at("opinion.authoritative").value, RuleValue(absl::Hours(5)));
  EXPECT_EQ(set.rules.at("annual_report.department_due").value, RuleValue(MonthDay{1, 31}));
  EXPECT_EQ(set.rules.at("annual_report.first_filer").value, RuleValue(std::string("departments")));
  EXPECT_EQ(set.rules.at("fee.by_pages").value,
            RuleValue(std::vector<Tier>{{1, 0}, {31, 10}, {101, 20}, {201, 40}}));
  EXPECT_EQ(set.schema, TestRuleSchema());
}

TEST(RuleSetJsonTest, MissingRuleIsNamed) {
  absl::Status s = ParseError([](Json& j) { j["rules"].erase("fee.by_pages"); });
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("rules.fee.by_pages")));
  EXPECT_THAT(BadFields(s), ElementsAre("rules.fee.by_pages"));
}

TEST(RuleSetJsonTest, UnknownRuleIsNamed) {
  absl::Status s = ParseError([](Json& j) {
    j["rules"]["reply.working_days"] = Json{{"value", 20}};
  });
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("not a rule of")));
  EXPECT_THAT(BadFields(s), ElementsAre("rules.reply.working_days"));
}

TEST(RuleSetJsonTest, ValueOfTheWrongTypeIsNamedOnce) {
  absl::Status s =
      ParseError([](Json& j) { j["rules"]["publication.working_days"]["value"] = "twenty"; });
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("must be an integer")));
  EXPECT_THAT(BadFields(s), ElementsAre("rules.publication.working_days"));
}

TEST(RuleSetJsonTest, FractionWhereAnIntegerIsDeclaredIsRejected) {
  absl::Status s =
      ParseError([](Json& j) { j["rules"]["publication.working_days"]["value"] = 20.5; });
  EXPECT_THAT(BadFields(s), ElementsAre("rules.publication.working_days"));
}

TEST(RuleSetJsonTest, ValuesOutsideTheSchemaBoundsAreNamed) {
  absl::Status s = ParseError([](Json& j) {
    j["rules"]["publication.working_days"]["value"] = 0;
    j["rules"]["assessment.openness_weight"]["value"] = 3.9;
    j["rules"]["opinion.authoritative"]["value"] = "72h";
  });
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kInvalidArgument,
                          AllOf(HasSubstr("must be from 1 to 60 working_days, not 0"),
                                HasSubstr("must be from 4 to 100 percent, not 3.9"),
                                HasSubstr("must be from 10m to 48h, not 72h"))));
  EXPECT_THAT(BadFields(s),
              ElementsAre("rules.assessment.openness_weight", "rules.opinion.authoritative",
                          "rules.publication.working_days"));
}

TEST(RuleSetJsonTest, UnitThatIsNotTheSchemasIsNamed) {
  absl::Status s =
      ParseError([](Json& j) { j["rules"]["publication.working_days"]["unit"] = "calendar_days"; });
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("\"working_days\"")));
  EXPECT_THAT(BadFields(s), ElementsAre("rules.publication.working_days.unit"));
}

TEST(RuleSetJsonTest, TiersMustAscendAndStayInBounds) {
  absl::Status s = ParseError([](Json& j) {
    j["rules"]["fee.by_pages"]["value"] =
        Json::array({Json{{"from", 1}, {"value", 0}}, Json{{"from", 1}, {"value", 10}},
                     Json{{"from", 50}, {"value", 5000}}});
  });
  EXPECT_THAT(BadFields(s), ElementsAre("rules.fee.by_pages[1]", "rules.fee.by_pages[2]"));
}

TEST(RuleSetJsonTest, MalformedTierIsNamedByIndex) {
  absl::Status s = ParseError([](Json& j) {
    j["rules"]["fee.by_pages"]["value"] = Json::array({Json{{"from", 1}}});
  });
  EXPECT_THAT(BadFields(s), ElementsAre("rules.fee.by_pages[0]"));
}

TEST(RuleSetJsonTest, TextOutsideTheAllowedWordsIsNamed) {
  absl::Status s =
      ParseError([](Json& j) { j["rules"]["annual_report.first_filer"]["value"] = "counties"; });
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kInvalidArgument,
                          HasSubstr("must be one of departments, governments")));
  EXPECT_THAT(BadFields(s), ElementsAre("rules.annual_report.first_filer"));
}

TEST(RuleSetJsonTest, DayThatDoesNotExistIsNamed) {
  absl::Status s =
      ParseError([](Json& j) { j["rules"]["annual_report.department_due"]["value"] = "02-30"; });
  EXPECT_THAT(BadFields(s), ElementsAre("rules.annual_report.department_due"));
}

TEST(RuleSetJsonTest, DurationNeedsUnits) {
  absl::Status s =
      ParseError([](Json& j) { j["rules"]["opinion.authoritative"]["value"] = "5 hours"; });
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("\"90m\"")));
  EXPECT_THAT(BadFields(s), ElementsAre("rules.opinion.authoritative"));
}

TEST(RuleSetJsonTest, HeaderFieldsAreChecked) {
  absl::Status s = ParseError([](Json& j) {
    j["name"] = "other.set";
    j["version"] = 0;
    j["effective_from"] = "2019-5-15";
    j["basis"] = "";
    j["owner"] = "me";
  });
  EXPECT_THAT(BadFields(s), ElementsAre("effective_from", "owner", "name", "version", "basis"));
}

TEST(RuleSetJsonTest, MissingMembersAreNamed) {
  absl::Status s = ParseError([](Json& j) {
    j.erase("basis");
    j.erase("rules");
  });
  EXPECT_THAT(BadFields(s), AllOf(Contains("basis"), Contains("rules")));
}

TEST(RuleSetJsonTest, TextThatIsNotJsonIsInvalidArgument) {
  EXPECT_THAT(Parse("{\"name\": "),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("not valid JSON")));
  EXPECT_THAT(Parse("[1]"), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("object")));
}

TEST(RuleSetJsonTest, CanonicalJsonRoundTripsAndIgnoresLayout) {
  ASSERT_OK_AND_ASSIGN(RuleSet a, Parse(TestRuleSetJson(2, "2026-01-01")));
  const std::string canonical = RuleSetToJson(a);
  ASSERT_OK_AND_ASSIGN(RuleSet b, Parse(canonical));
  EXPECT_EQ(a, b);
  EXPECT_EQ(RuleSetToJson(b), canonical);
  EXPECT_THAT(canonical, HasSubstr("\"unit\":\"working_days\""));
  EXPECT_THAT(canonical, HasSubstr("\"basis\":\"《政府信息公开条例》(2019)\""));
}

TEST(RuleSetJsonTest, NoteIsContent) {
  ASSERT_OK_AND_ASSIGN(RuleSet a, Parse(TestRuleSetJson(1, "2019-05-15")));
  ASSERT_OK_AND_ASSIGN(RuleSet b, Parse(TestRuleSetJson(1, "2019-05-15", [](Json& j) {
                         j["rules"]["publication.working_days"]["note"] = "Art. 26";
                       })));
  EXPECT_NE(a, b);
  EXPECT_EQ(b.rules.at("publication.working_days").note, "Art. 26");
}

TEST(RuleSetTest, TypedAccessorCitesTheRule) {
  ASSERT_OK_AND_ASSIGN(RuleSet set, Parse(TestRuleSetJson(2, "2026-01-01", [](Json& j) {
                         j["rules"]["publication.working_days"]["value"] = 15;
                       })));
  ASSERT_OK_AND_ASSIGN(Cited<int64_t> days, set.WorkingDays("publication.working_days"));
  EXPECT_EQ(days.value, 15);
  EXPECT_EQ(days.rule.set, "test.openness");
  EXPECT_EQ(days.rule.version, 2);
  EXPECT_EQ(days.rule.requirement, "CAT-3");
  EXPECT_EQ(days.rule.basis, "《政府信息公开条例》(2019)");
  EXPECT_EQ(days.rule.Explain(),
            "test.openness v2 (2026-01-01) publication.working_days = 15 working days (CAT-3)");
  EXPECT_EQ(days.rule.VersionKey(), "test.openness@2");
}

TEST(RuleSetTest, EveryTypeHasItsAccessorAndText) {
  ASSERT_OK_AND_ASSIGN(RuleSet set, Parse(TestRuleSetJson(1, "2019-05-15")));
  ASSERT_OK_AND_ASSIGN(Cited<int64_t> comments, set.CalendarDays("comments.calendar_days"));
  EXPECT_EQ(comments.rule.value, "30 calendar days");
  ASSERT_OK_AND_ASSIGN(Cited<double> weight, set.Decimal("assessment.openness_weight"));
  EXPECT_EQ(weight.value, 4.0);
  EXPECT_EQ(weight.rule.value, "4%");
  ASSERT_OK_AND_ASSIGN(Cited<absl::Duration> clock, set.Duration("opinion.authoritative"));
  EXPECT_EQ(clock.value, absl::Hours(5));
  EXPECT_EQ(clock.rule.Explain(),
            "test.openness v1 (2019-05-15) opinion.authoritative = 5h (OPI-4)");
  ASSERT_OK_AND_ASSIGN(Cited<std::vector<Tier>> fees, set.Tiers("fee.by_pages"));
  EXPECT_EQ(fees.value.size(), 4u);
  EXPECT_EQ(fees.rule.value, "[1+: 0, 31+: 10, 101+: 20, 201+: 40] yuan by pages");
  ASSERT_OK_AND_ASSIGN(Cited<MonthDay> due, set.MonthDayOf("annual_report.department_due"));
  EXPECT_EQ(due.value, (MonthDay{1, 31}));
  EXPECT_EQ(due.rule.value, "01-31");
  ASSERT_OK_AND_ASSIGN(Cited<std::string> filer, set.Text("annual_report.first_filer"));
  EXPECT_EQ(filer.value, "departments");
  ASSERT_OK_AND_ASSIGN(RuleRef ref, set.Cite("fee.by_pages"));
  EXPECT_EQ(ref.requirement, "NAT-9");
}

TEST(RuleSetTest, AskingForAnUndeclaredRuleOrTheWrongUnitIsInternal) {
  ASSERT_OK_AND_ASSIGN(RuleSet set, Parse(TestRuleSetJson(1, "2019-05-15")));
  EXPECT_THAT(set.WorkingDays("reply.working_days"),
              StatusIs(absl::StatusCode::kInternal, HasSubstr("reply.working_days")));
  EXPECT_THAT(set.CalendarDays("publication.working_days"),
              StatusIs(absl::StatusCode::kInternal, HasSubstr("working_days, not calendar_days")));
  EXPECT_THAT(set.Duration("publication.working_days"),
              StatusIs(absl::StatusCode::kInternal, HasSubstr("duration")));
}

TEST(RuleSetTest, UnvalidatedSetHasNoCitations) {
  RuleSet set;
  set.name = "test.openness";
  set.version = 1;
  set.rules["publication.working_days"] = Rule{int64_t{20}, ""};
  EXPECT_THAT(set.WorkingDays("publication.working_days"),
              StatusIs(absl::StatusCode::kInternal, HasSubstr("not validated")));
}

TEST(RuleSetTest, ValidationAttachesTheSchemaOnlyWhenTheSetFits) {
  RuleSet set;
  set.name = "test.openness";
  set.version = 1;
  set.effective_from = absl::CivilDay(2020, 1, 1);
  set.basis = "basis";
  EXPECT_THAT(ValidateRuleSet(set, TestRuleSchema()),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("rules.fee.by_pages")));
  EXPECT_EQ(set.schema, nullptr);
}

TEST(RuleSetTest, ValidationUsesThePrefixAndReportsTypeMismatches) {
  ASSERT_OK_AND_ASSIGN(RuleSet set, Parse(TestRuleSetJson(1, "2019-05-15")));
  set.rules["publication.working_days"].value = absl::Hours(3);
  FieldViolations v;
  ValidateRuleSet(set, TestRuleSchema(), v, "rule_set.");
  EXPECT_THAT(
      v.violations(),
      ElementsAre(AllOf(Field(&FieldViolation::field, "rule_set.rules.publication.working_days"),
                        Field(&FieldViolation::description,
                              HasSubstr("must be of type integer, not duration")))));
}

}  // namespace
}  // namespace gongkai::rules
