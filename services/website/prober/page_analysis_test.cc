// NAT-13 freshness: the latest date of a column's items, items without dates, empty
// columns, the home page's latest date, link extraction for the broken-link sample.
#include "services/website/prober/page_analysis.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gongkai::website::prober {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

const absl::CivilDay kToday(2026, 12, 7);

TEST(FindDatesTest, Nat13ReadsTheCommonChineseDateForms) {
  EXPECT_THAT(FindDates("发布 2026-11-30 与 2026/1/5、2025.07.01 和 2024年5月1日", kToday),
              ElementsAre(absl::CivilDay(2026, 11, 30), absl::CivilDay(2026, 1, 5),
                          absl::CivilDay(2025, 7, 1), absl::CivilDay(2024, 5, 1)));
}

TEST(FindDatesTest, Nat13IgnoresImpossibleMixedAndFutureDates) {
  EXPECT_TRUE(FindDates("2026-02-30 2026-13-01 2026-11/02 12026-01-01 2027-01-01", kToday).empty());
  EXPECT_TRUE(FindDates("电话 20261201 编号 1999", kToday).empty());
}

TEST(ExtractionTest, Nat13ColumnLatestDateIsTheNewestItem) {
  absl::StatusOr<Extraction> extraction = Extraction::Parse("ul.news li", "");
  ASSERT_TRUE(extraction.ok()) << extraction.status();
  const ExtractionResult r = extraction->Run(
      "<html><body><ul class='nav'><li>首页 2026-12-01</li></ul>"
      "<ul class=\"list news\"><li><a href=a.html>通知一</a><span>2026-10-01</span>"
      "<li><a href=b.html>通知二</a> <span>2026-11-20</span></li>"
      "<li>没有日期的条目</li></ul></body></html>",
      kToday);
  ASSERT_EQ(r.items.size(), 3u);
  EXPECT_EQ(r.latest_date, absl::CivilDay(2026, 11, 20));
  EXPECT_EQ(r.undated_items, 1);
  EXPECT_THAT(r.items[0].text, HasSubstr("通知一"));
}

TEST(ExtractionTest, Nat13ItemsWithoutDatesLeaveNoLatestDate) {
  absl::StatusOr<Extraction> extraction = Extraction::Parse("", "");
  ASSERT_TRUE(extraction.ok());
  const ExtractionResult r = extraction->Run("<ul><li>甲</li><li>乙</li></ul>", kToday);
  EXPECT_EQ(r.items.size(), 2u);
  EXPECT_FALSE(r.latest_date.has_value());
  EXPECT_EQ(r.undated_items, 2);
}

TEST(ExtractionTest, Nat13EmptyColumnHasNoItems) {
  absl::StatusOr<Extraction> extraction = Extraction::Parse("div#list .item", "");
  ASSERT_TRUE(extraction.ok());
  const ExtractionResult r =
      extraction->Run("<div id=list><p>暂无信息</p></div><div class=item>2026-01-01</div>", kToday);
  EXPECT_TRUE(r.items.empty());
  EXPECT_FALSE(r.latest_date.has_value());
}

TEST(ExtractionTest, CustomPatternReadsGroupsAsYearMonthDay) {
  absl::StatusOr<Extraction> extraction = Extraction::Parse("td", R"(\[(\d{4})(\d{2})(\d{2})\])");
  ASSERT_TRUE(extraction.ok()) << extraction.status();
  const ExtractionResult r =
      extraction->Run("<table><tr><td>公告 [20261102]<td>旧 [20250101]</table>", kToday);
  ASSERT_EQ(r.items.size(), 2u);
  EXPECT_EQ(r.latest_date, absl::CivilDay(2026, 11, 2));
}

TEST(ExtractionTest, BadSelectorsAndPatternsAreInvalidArguments) {
  EXPECT_EQ(Extraction::Parse("ul > li", "").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Extraction::Parse("li", "(\\d+").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Extraction::Parse("li", "(\\d+)-(\\d+)").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Extraction::Parse(std::string(201, 'a'), "").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(ExtractionTest, ScriptsCommentsAndStylesAreNotText) {
  absl::StatusOr<Extraction> extraction = Extraction::Parse("li", "");
  ASSERT_TRUE(extraction.ok());
  const ExtractionResult r = extraction->Run(
      "<ul><li>A<script>var d='2026-12-01 <li>';</script><!-- 2026-12-02 --><style>x{}</style>"
      "</li></ul>",
      kToday);
  ASSERT_EQ(r.items.size(), 1u);
  EXPECT_FALSE(r.latest_date.has_value());
}

TEST(LatestDateInPageTest, Nat13HomePageLatestDate) {
  EXPECT_EQ(LatestDateInPage("<p>2026-10-01</p><p>更新于2026年11月3日</p>", kToday),
            absl::CivilDay(2026, 11, 3));
  EXPECT_FALSE(LatestDateInPage("<p>欢迎</p>", kToday).has_value());
}

TEST(LinksTest, ResolvesAndDeduplicatesHttpLinks) {
  const std::vector<std::string> links = ExtractLinks(
      "<a href='/a'>1</a><a href=\"b/c.html#x\">2</a><a href='../d'>3</a>"
      "<a href='mailto:x@y'>4</a><a href='javascript:void(0)'>5</a><a href='/a'>6</a>"
      "<a href='https://other.example/x?q=1'>7</a><a href='#top'>8</a><a "
      "href='//cdn.example/z'>9</a>",
      "http://site.example:8080/news/index.html", 100);
  EXPECT_THAT(links,
              ElementsAre("http://site.example:8080/a", "http://site.example:8080/news/b/c.html",
                          "http://site.example:8080/d", "https://other.example/x?q=1",
                          "http://cdn.example/z"));
}

TEST(LinksTest, ResolveUrlHandlesQueriesAndDotSegments) {
  EXPECT_EQ(ResolveUrl("http://h/a/b", "?p=2"), "http://h/a/b?p=2");
  EXPECT_EQ(ResolveUrl("http://h", "x.html"), "http://h/x.html");
  EXPECT_EQ(ResolveUrl("http://h/a/b/", "./c/../d"), "http://h/a/b/d");
  EXPECT_EQ(ResolveUrl("http://h/a/", "ftp://h/x"), "");
}

}  // namespace
}  // namespace gongkai::website::prober
