#include "gateway/path_template.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gongkai::gateway {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;

PathTemplate MustParse(absl::string_view text) {
  absl::StatusOr<PathTemplate> t = PathTemplate::Parse(text);
  EXPECT_TRUE(t.ok()) << t.status();
  return *t;
}

TEST(PathTemplateTest, LiteralPathMatchesOnlyItself) {
  PathTemplate t = MustParse("/v1/units");
  EXPECT_TRUE(t.Match("/v1/units").has_value());
  EXPECT_FALSE(t.Match("/v1/units/").has_value());
  EXPECT_FALSE(t.Match("/v1/unit").has_value());
  EXPECT_FALSE(t.Match("/v1/units/3").has_value());
}

TEST(PathTemplateTest, SimpleVariableBindsOneDecodedSegment) {
  PathTemplate t = MustParse("/v1/documents/{id}");
  EXPECT_THAT(*t.Match("/v1/documents/42"), ElementsAre(Pair("id", "42")));
  EXPECT_THAT(*t.Match("/v1/documents/a%2Fb%20c"), ElementsAre(Pair("id", "a/b c")));
  EXPECT_FALSE(t.Match("/v1/documents/").has_value());
  EXPECT_FALSE(t.Match("/v1/documents/4/5").has_value());
  EXPECT_FALSE(t.Match("/v1/documents/%zz").has_value());
}

TEST(PathTemplateTest, NestedFieldPathVariable) {
  PathTemplate t = MustParse("/v1/documents/{document.id}");
  EXPECT_THAT(*t.Match("/v1/documents/9"), ElementsAre(Pair("document.id", "9")));
}

TEST(PathTemplateTest, MultiSegmentVariableKeepsEncodedSlashes) {
  PathTemplate t = MustParse("/v1/{name=units/*/documents/*}");
  EXPECT_THAT(*t.Match("/v1/units/3/documents/7"),
              ElementsAre(Pair("name", "units/3/documents/7")));
  EXPECT_THAT(*t.Match("/v1/units/a%2Fb/documents/7"),
              ElementsAre(Pair("name", "units/a%2Fb/documents/7")));
  EXPECT_FALSE(t.Match("/v1/units/3/files/7").has_value());
  EXPECT_FALSE(t.Match("/v1/units/3/documents").has_value());
}

TEST(PathTemplateTest, CustomVerbIsRequiredAndStripped) {
  PathTemplate t = MustParse("/v1/documents/{id}:publish");
  EXPECT_EQ(t.verb(), "publish");
  EXPECT_THAT(*t.Match("/v1/documents/7:publish"), ElementsAre(Pair("id", "7")));
  EXPECT_FALSE(t.Match("/v1/documents/7").has_value());
  EXPECT_FALSE(t.Match("/v1/documents/7:submit").has_value());
  EXPECT_FALSE(t.Match("/v1/documents/:publish").has_value());
}

// The quick refusals (literal prefix, segment count) before splitting must not change
// what matches.
TEST(PathTemplateTest, QuickRefusalsKeepTheMatches) {
  PathTemplate leading_variable = MustParse("/{unit}/documents");
  EXPECT_THAT(*leading_variable.Match("/7/documents"), ElementsAre(Pair("unit", "7")));
  EXPECT_FALSE(leading_variable.Match("/7/documents/8").has_value());
  PathTemplate literal_then_variable = MustParse("/v1/documents/{id}");
  EXPECT_FALSE(literal_then_variable.Match("/v1/documentsX/7").has_value());
  EXPECT_FALSE(literal_then_variable.Match("/v1/documents").has_value());
  EXPECT_FALSE(literal_then_variable.Match("/v1//documents/7").has_value());
  EXPECT_FALSE(literal_then_variable.Match("v1/documents/7").has_value());
  PathTemplate rest = MustParse("/v1/files/{path=**}");
  EXPECT_THAT(*rest.Match("/v1/files/a/b/c"), ElementsAre(Pair("path", "a/b/c")));
  PathTemplate only_literals = MustParse("/v1/units");
  EXPECT_TRUE(only_literals.Match("/v1/units").has_value());
  EXPECT_FALSE(only_literals.Match("/v1/unitsX").has_value());
}

TEST(PathTemplateTest, DoubleWildcardMatchesTheRest) {
  PathTemplate t = MustParse("/v1/files/{path=**}");
  EXPECT_THAT(*t.Match("/v1/files/a/b/c"), ElementsAre(Pair("path", "a/b/c")));
  EXPECT_FALSE(t.Match("/v1/files").has_value());  // A variable never binds nothing.
}

TEST(PathTemplateTest, RejectsTemplatesOutsideTheGrammar) {
  for (absl::string_view bad : {"v1/units", "/v1//units", "/v1/{id", "/v1/id}", "/v1/{a={b}}",
                                "/v1/**/x", "/v1/{1x}", "/v1/{id}:", "/v1/a*b", "/v1/{id}/{id}"}) {
    absl::StatusOr<PathTemplate> t = PathTemplate::Parse(bad);
    EXPECT_EQ(t.status().code(), absl::StatusCode::kInvalidArgument) << bad;
  }
}

TEST(PathTemplateTest, SpecificityPrefersLiteralsAndVerbs) {
  PathTemplate literal = MustParse("/v1/documents/overdue");
  PathTemplate variable = MustParse("/v1/documents/{id}");
  PathTemplate verb = MustParse("/v1/documents/{id}:publish");
  EXPECT_TRUE(PathTemplate::MoreSpecific(literal, variable));
  EXPECT_FALSE(PathTemplate::MoreSpecific(variable, literal));
  EXPECT_TRUE(PathTemplate::MoreSpecific(verb, literal));
}

TEST(PercentDecodeTest, DecodesAndRejectsMalformedEscapes) {
  std::string out;
  EXPECT_TRUE(PercentDecode("%E5%85%AC%E5%BC%80", false, &out));
  EXPECT_EQ(out, "公开");
  EXPECT_FALSE(PercentDecode("%4", false, &out));
  EXPECT_FALSE(PercentDecode("%G0", false, &out));
  EXPECT_TRUE(PercentDecode("a%2Fb", true, &out));
  EXPECT_EQ(out, "a%2Fb");
}

}  // namespace
}  // namespace gongkai::gateway
