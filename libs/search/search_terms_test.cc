#include "libs/search/search_terms.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gongkai::search {
namespace {

using ::testing::ElementsAre;
using ::testing::IsSupersetOf;

TEST(SearchTermsTest, ChineseRunsBecomeOverlappingBigrams) {
  EXPECT_THAT(ExtractTerms("政务公开"), ElementsAre("政务", "务公", "公开"));
}

TEST(SearchTermsTest, SingleCjkCharacterIsItsOwnTerm) {
  EXPECT_THAT(ExtractTerms("市 政府"), ElementsAre("市", "政府"));
}

TEST(SearchTermsTest, AsciiWordsAreLowerCasedAndPunctuationSeparates) {
  EXPECT_THAT(ExtractTerms("PPP项目，2024年GDP"), ElementsAre("ppp", "项目", "2024", "年", "gdp"));
}

TEST(SearchTermsTest, DuplicatesAreDropped) {
  EXPECT_THAT(ExtractTerms("公开公开"), ElementsAre("公开", "开公"));
}

TEST(SearchTermsTest, InvalidUtf8IsASeparator) {
  EXPECT_THAT(ExtractTerms(std::string("教育\xff卫生", 13)), ElementsAre("教育", "卫生"));
}

TEST(SearchTermsTest, LongWordsAreTruncated) {
  auto terms = ExtractTerms(std::string(200, 'a'));
  ASSERT_EQ(terms.size(), 1u);
  EXPECT_EQ(terms[0].size(), kMaxTermBytes);
}

TEST(SearchTermsTest, DocumentTermsAlsoHoldTheLastCharacterOfEachRun) {
  EXPECT_THAT(DocumentTerms("纳税", ""), ElementsAre("纳税", "税"));
  EXPECT_TRUE(IsSingleCjkCharacter("税"));
  EXPECT_FALSE(IsSingleCjkCharacter("纳税"));
  EXPECT_FALSE(IsSingleCjkCharacter("a"));
}

// Every occurrence of a character starts one of the document's terms, so a prefix
// match on a single-character query term finds it wherever it stands.
TEST(SearchTermsTest, EveryCharacterOpensSomeDocumentTerm) {
  const auto terms = DocumentTerms("2024年工作报告，依法纳税", "");
  for (const char* ch : {"年", "工", "报", "告", "依", "税"}) {
    bool found = false;
    for (const auto& t : terms) found = found || t.rfind(ch, 0) == 0;
    EXPECT_TRUE(found) << ch;
  }
}

TEST(SearchTermsTest, DocumentTermsTakeTitleFirstAndRespectTheCap) {
  auto terms = DocumentTerms("环境保护", "大气污染防治", 4);
  EXPECT_THAT(terms, ElementsAre("环境", "境保", "保护", "护"));
  EXPECT_THAT(DocumentTerms("标题", "正文内容"), IsSupersetOf({"标题", "正文", "内容"}));
}

TEST(SearchTermsTest, QueryTermsAreASubsetOfTheTextTerms) {
  // A document containing the query text always matches (every query term is present).
  auto doc = DocumentTerms("关于印发南宁市全面推进政务公开工作实施方案的通知", "");
  EXPECT_THAT(doc, IsSupersetOf(ExtractTerms("政务公开")));
  EXPECT_THAT(doc, IsSupersetOf(ExtractTerms("南宁市")));
}

}  // namespace
}  // namespace gongkai::search
