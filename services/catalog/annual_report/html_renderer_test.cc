// Unit tests of the printable annual-report page: escaping and the official layout.
#include "services/catalog/annual_report/html_renderer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "services/catalog/annual_report/report_tables.h"

namespace gongkai::catalog::annual_report {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;

v1::AnnualReport SampleReport() {
  v1::AnnualReport r;
  r.set_year(2024);
  r.set_unit_id(7);
  r.set_unit_name("市教育局");
  r.set_state(v1::ANNUAL_REPORT_PUBLISHED);
  v1::AnnualReportInputs inputs;
  inputs.set_licensing_decisions(42);
  inputs.set_fee_income_fen(12'345'600);
  *r.mutable_inputs() = inputs;
  PolicyDocumentCounts docs{3, 17, 2, 15};
  *r.mutable_proactive_disclosure() = BuildProactiveTable(docs, inputs);
  std::vector<RequestTally> tallies = {
      {v1::APPLICANT_NATURAL_PERSON, v1::OUTCOME_DISCLOSED, Received::kInYear, Answered::kInYear,
       5},
      {v1::APPLICANT_BUSINESS, 0, Received::kInYear, Answered::kOpen, 2},
  };
  *r.mutable_requests() = BuildRequestTable(tallies, inputs);
  *r.mutable_challenges() =
      BuildChallengeTable({{v1::CHALLENGE_ADMINISTRATIVE_REVIEW, v1::CHALLENGE_UPHELD, true, 4}});
  return r;
}

TEST(HtmlEscapeTest, EscapesTheFiveSpecialCharacters) {
  EXPECT_EQ(HtmlEscape("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  EXPECT_EQ(HtmlEscape("政府信息"), "政府信息");
}

TEST(FenAsWanYuanTest, ShowsExactWanYuan) {
  EXPECT_EQ(FenAsWanYuan(0), "0");
  EXPECT_EQ(FenAsWanYuan(1'000'000), "1");
  EXPECT_EQ(FenAsWanYuan(12'345'600), "12.3456");
  EXPECT_EQ(FenAsWanYuan(1), "0.000001");
}

TEST(RenderAnnualReportHtmlTest, EnteredTextAndUnitNameAreEscaped) {
  v1::AnnualReport r = SampleReport();
  r.set_unit_name("<script>alert(1)</script>");
  r.mutable_inputs()->set_overview("第一段 <b>粗</b>\n\n第二段 & \"引号\"");
  r.mutable_inputs()->set_other_matters("<img src=x onerror=alert(2)>");
  const std::string html = RenderAnnualReportHtml(r);
  EXPECT_THAT(html, Not(HasSubstr("<script>")));
  EXPECT_THAT(html, Not(HasSubstr("<img")));
  EXPECT_THAT(html, Not(HasSubstr("<b>")));
  EXPECT_THAT(
      html, AllOf(HasSubstr("&lt;script&gt;alert(1)&lt;/script&gt;2024年政府信息公开工作年度报告"),
                  HasSubstr("<p>第一段 &lt;b&gt;粗&lt;/b&gt;</p>"),
                  HasSubstr("<p>第二段 &amp; &quot;引号&quot;</p>"),
                  HasSubstr("&lt;img src=x onerror=alert(2)&gt;")));
}

TEST(RenderAnnualReportHtmlTest, HasTheSixSectionsAndThreeTables) {
  const std::string html = RenderAnnualReportHtml(SampleReport());
  EXPECT_THAT(html, AllOf(HasSubstr("<!DOCTYPE html>"), HasSubstr("<meta charset=\"utf-8\">"),
                          HasSubstr("市教育局2024年政府信息公开工作年度报告"),
                          HasSubstr("一、总体情况"), HasSubstr("二、主动公开政府信息情况"),
                          HasSubstr("三、收到和处理政府信息公开申请情况"),
                          HasSubstr("四、政府信息公开行政复议、行政诉讼情况"),
                          HasSubstr("五、存在的主要问题及改进情况"),
                          HasSubstr("六、其他需要报告的事项"), HasSubstr("data-table=\"2\""),
                          HasSubstr("data-table=\"3\""), HasSubstr("data-table=\"4\"")));
  EXPECT_THAT(html, Not(HasSubstr("data-state=\"draft\"")));
}

TEST(RenderAnnualReportHtmlTest, Table2MarksComputedAndEnteredCells) {
  const std::string html = RenderAnnualReportHtml(SampleReport());
  EXPECT_THAT(html,
              HasSubstr("<tr data-row=\"normative_documents\"><th class=\"row\">行政规范性文件</th>"
                        "<td class=\"computed\" data-source=\"computed\">3</td>"
                        "<td class=\"computed\" data-source=\"computed\">2</td>"
                        "<td class=\"computed\" data-source=\"computed\">15</td></tr>"));
  // Regulations are not in the catalog: entered.
  EXPECT_THAT(html, HasSubstr("<tr data-row=\"regulations\"><th class=\"row\">规章</th>"
                              "<td class=\"entered\" data-source=\"entered\">"));
  EXPECT_THAT(html, HasSubstr("data-source=\"entered\">42</td>"));
  EXPECT_THAT(html, HasSubstr("本年收费金额（单位：万元）"));
  EXPECT_THAT(html, HasSubstr("data-source=\"entered\">12.3456</td>"));
}

TEST(RenderAnnualReportHtmlTest, Table3HasSevenApplicantColumnsAndEveryRow) {
  const std::string html = RenderAnnualReportHtml(SampleReport());
  EXPECT_THAT(html,
              AllOf(HasSubstr("<th rowspan=\"2\">自然人</th><th colspan=\"5\">法人或其他组织</th>"
                              "<th rowspan=\"2\">总计</th>"),
                    HasSubstr("<th>商业企业</th><th>科研机构</th><th>社会公益组织</th>"
                              "<th>法律服务机构</th><th>其他</th>")));
  EXPECT_THAT(html, HasSubstr("<tr data-row=\"new_requests\"><th class=\"row\" colspan=\"3\">"
                              "一、本年新收政府信息公开申请数量</th>"
                              "<td>5</td><td>2</td><td>0</td><td>0</td><td>0</td><td>0</td>"
                              "<td>7</td></tr>"));
  EXPECT_THAT(html,
              HasSubstr("<tr data-row=\"OUTCOME_DISCLOSED\"><th class=\"row\" rowspan=\"22\">"
                        "三、本年度办理结果</th><th class=\"row\" colspan=\"2\">（一）予以公开</th>"
                        "<td>5</td>"));
  EXPECT_THAT(html, HasSubstr("<th class=\"row\" rowspan=\"8\">（三）不予公开</th>"
                              "<th class=\"row\">1.属于国家秘密</th>"));
  EXPECT_THAT(html, HasSubstr("<th class=\"row\" rowspan=\"5\">（五）不予处理</th>"));
  EXPECT_THAT(html, HasSubstr("<tr data-row=\"carried_forward\"><th class=\"row\" colspan=\"3\">"
                              "四、结转下年度继续办理</th><td>0</td><td>2</td>"));
  EXPECT_THAT(html, HasSubstr("data-row=\"total_handled\""));
  EXPECT_THAT(html, HasSubstr("data-row=\"carried_over\" data-source=\"computed\""));
}

TEST(RenderAnnualReportHtmlTest, Table4HasReviewAndBothLitigationGroups) {
  const std::string html = RenderAnnualReportHtml(SampleReport());
  EXPECT_THAT(html, AllOf(HasSubstr("<th colspan=\"5\" rowspan=\"2\">行政复议</th>"),
                          HasSubstr("<th colspan=\"5\">未经复议直接起诉</th>"
                                    "<th colspan=\"5\">复议后起诉</th>"),
                          HasSubstr("<tr data-row=\"counts\"><td>4</td><td>0</td><td>0</td>"
                                    "<td>0</td><td>4</td><td>0</td>")));
}

TEST(RenderAnnualReportHtmlTest, DraftIsMarkedAsDraft) {
  v1::AnnualReport r = SampleReport();
  r.set_state(v1::ANNUAL_REPORT_DRAFT);
  EXPECT_THAT(RenderAnnualReportHtml(r), HasSubstr("data-state=\"draft\""));
}

}  // namespace
}  // namespace gongkai::catalog::annual_report
