#include "services/catalog/annual_report/html_renderer.h"

#include <cstdlib>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "services/catalog/annual_report/report_tables.h"

namespace gongkai::catalog::annual_report {
namespace {

constexpr absl::string_view kStyle =
    "body{font-family:\"SimSun\",\"Songti SC\",serif;margin:2em auto;max-width:60em;"
    "line-height:1.6}"
    "h1{text-align:center;font-size:1.6em}h2{font-size:1.2em;margin-top:1.5em}"
    "table{border-collapse:collapse;width:100%;margin:0.5em 0;page-break-inside:avoid}"
    "th,td{border:1px solid #000;padding:0.3em;text-align:center;font-size:0.9em}"
    "th.row{text-align:left}td.entered{font-style:italic}"
    ".legend{font-size:0.8em;color:#555}"
    "@media print{.legend{display:none}body{margin:0}}";

void AppendParagraphs(std::string& out, absl::string_view text) {
  bool any = false;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    line = absl::StripAsciiWhitespace(line);
    if (line.empty()) continue;
    absl::StrAppend(&out, "<p>", HtmlEscape(line), "</p>\n");
    any = true;
  }
  if (!any) absl::StrAppend(&out, "<p>无。</p>\n");
}

std::string FigureCell(const v1::Figure& figure, absl::string_view attributes = "") {
  const bool entered = figure.source() == v1::FIGURE_ENTERED;
  return absl::StrCat("<td", attributes, " class=\"", entered ? "entered" : "computed",
                      "\" data-source=\"", entered ? "entered" : "computed", "\">", figure.value(),
                      "</td>");
}

void AppendTable2(std::string& out, const v1::ProactiveDisclosureTable& t) {
  const std::string three = " colspan=\"3\"";
  absl::StrAppend(&out, "<table data-table=\"2\">\n");
  absl::StrAppend(&out, "<tr><th colspan=\"4\">第二十条第（一）项</th></tr>\n",
                  "<tr><th>信息内容</th><th>本年制发件数</th><th>本年废止件数</th>"
                  "<th>现行有效件数</th></tr>\n");
  absl::StrAppend(&out, "<tr data-row=\"regulations\"><th class=\"row\">规章</th>",
                  FigureCell(t.regulations_made()), FigureCell(t.regulations_repealed()),
                  FigureCell(t.regulations_in_force()), "</tr>\n");
  absl::StrAppend(
      &out, "<tr data-row=\"normative_documents\"><th class=\"row\">行政规范性文件</th>",
      FigureCell(t.normative_documents_made()), FigureCell(t.normative_documents_repealed()),
      FigureCell(t.normative_documents_in_force()), "</tr>\n");
  absl::StrAppend(&out, "<tr><th colspan=\"4\">第二十条第（五）项</th></tr>\n",
                  "<tr><th>信息内容</th><th colspan=\"3\">本年处理决定数量</th></tr>\n",
                  "<tr data-row=\"licensing\"><th class=\"row\">行政许可</th>",
                  FigureCell(t.licensing_decisions(), three), "</tr>\n");
  absl::StrAppend(&out, "<tr><th colspan=\"4\">第二十条第（六）项</th></tr>\n",
                  "<tr><th>信息内容</th><th colspan=\"3\">本年处理决定数量</th></tr>\n",
                  "<tr data-row=\"penalties\"><th class=\"row\">行政处罚</th>",
                  FigureCell(t.penalty_decisions(), three), "</tr>\n",
                  "<tr data-row=\"enforcement\"><th class=\"row\">行政强制</th>",
                  FigureCell(t.enforcement_decisions(), three), "</tr>\n");
  const bool fee_entered = t.fee_income_fen().source() == v1::FIGURE_ENTERED;
  absl::StrAppend(&out, "<tr><th colspan=\"4\">第二十条第（八）项</th></tr>\n",
                  "<tr><th>信息内容</th><th colspan=\"3\">本年收费金额（单位：万元）</th></tr>\n",
                  "<tr data-row=\"fees\"><th class=\"row\">行政事业性收费</th><td colspan=\"3\" "
                  "class=\"",
                  fee_entered ? "entered" : "computed", "\" data-source=\"",
                  fee_entered ? "entered" : "computed", "\">",
                  FenAsWanYuan(t.fee_income_fen().value()), "</td></tr>\n");
  absl::StrAppend(&out, "</table>\n");
}

void AppendCounts(std::string& out, const v1::ApplicantCounts& counts) {
  for (int i = 0; i < 7; ++i) absl::StrAppend(&out, "<td>", ColumnValue(counts, i), "</td>");
}

void AppendTable3(std::string& out, const v1::RequestTable& t) {
  absl::StrAppend(&out, "<table data-table=\"3\">\n",
                  "<tr><th colspan=\"3\" rowspan=\"3\">（本列数据的勾稽关系为：第一项加第二项之和，"
                  "等于第三项加第四项之和）</th><th colspan=\"7\">申请人情况</th></tr>\n",
                  "<tr><th rowspan=\"2\">自然人</th><th colspan=\"5\">法人或其他组织</th>"
                  "<th rowspan=\"2\">总计</th></tr>\n<tr>");
  for (int i = 1; i <= 5; ++i) absl::StrAppend(&out, "<th>", ApplicantColumns()[i].label, "</th>");
  absl::StrAppend(&out, "</tr>\n");

  absl::StrAppend(&out,
                  "<tr data-row=\"new_requests\"><th class=\"row\" colspan=\"3\">"
                  "一、本年新收政府信息公开申请数量</th>");
  AppendCounts(out, t.new_requests());
  absl::StrAppend(&out, "</tr>\n<tr data-row=\"carried_over\" data-source=\"",
                  t.carried_over_source() == v1::FIGURE_ENTERED ? "entered" : "computed",
                  "\"><th class=\"row\" colspan=\"3\">二、上年结转政府信息公开申请数量</th>");
  AppendCounts(out, t.carried_over());
  absl::StrAppend(&out, "</tr>\n");

  const int outcome_rows = t.outcomes_size();
  for (int i = 0; i < outcome_rows; ++i) {
    const OutcomeRowSpec& spec = OutcomeRowSpecs()[i];
    absl::StrAppend(&out, "<tr data-row=\"", v1::RequestOutcome_Name(t.outcomes(i).outcome()),
                    "\">");
    if (i == 0) {
      absl::StrAppend(&out, "<th class=\"row\" rowspan=\"", outcome_rows + 1,
                      "\">三、本年度办理结果</th>");
    }
    if (spec.item.empty()) {
      absl::StrAppend(&out, "<th class=\"row\" colspan=\"2\">", spec.group, "</th>");
    } else {
      const bool first_of_group = i == 0 || OutcomeRowSpecs()[i - 1].group != spec.group;
      if (first_of_group) {
        int span = 0;
        for (const OutcomeRowSpec& s : OutcomeRowSpecs()) span += s.group == spec.group ? 1 : 0;
        absl::StrAppend(&out, "<th class=\"row\" rowspan=\"", span, "\">", spec.group, "</th>");
      }
      absl::StrAppend(&out, "<th class=\"row\">", spec.item, "</th>");
    }
    AppendCounts(out, t.outcomes(i).counts());
    absl::StrAppend(&out, "</tr>\n");
  }
  absl::StrAppend(&out,
                  "<tr data-row=\"total_handled\"><th class=\"row\" colspan=\"2\">"
                  "（七）总计</th>");
  AppendCounts(out, t.total_handled());
  absl::StrAppend(&out,
                  "</tr>\n<tr data-row=\"carried_forward\"><th class=\"row\" colspan=\"3\">"
                  "四、结转下年度继续办理</th>");
  AppendCounts(out, t.carried_forward());
  absl::StrAppend(&out, "</tr>\n</table>\n");
}

void AppendChallengeCells(std::string& out, const v1::ChallengeCounts& c) {
  absl::StrAppend(&out, "<td>", c.upheld(), "</td><td>", c.corrected(), "</td><td>", c.other(),
                  "</td><td>", c.pending(), "</td><td>", c.total(), "</td>");
}

void AppendTable4(std::string& out, const v1::ChallengeTable& t) {
  constexpr absl::string_view kColumns =
      "<th>结果维持</th><th>结果纠正</th><th>其他结果</th><th>尚未审结</th><th>总计</th>";
  absl::StrAppend(
      &out, "<table data-table=\"4\">\n",
      "<tr><th colspan=\"5\" rowspan=\"2\">行政复议</th>"
      "<th colspan=\"10\">行政诉讼</th></tr>\n",
      "<tr><th colspan=\"5\">未经复议直接起诉</th><th colspan=\"5\">复议后起诉</th></tr>\n", "<tr>",
      kColumns, kColumns, kColumns, "</tr>\n<tr data-row=\"counts\">");
  AppendChallengeCells(out, t.administrative_review());
  AppendChallengeCells(out, t.litigation_direct());
  AppendChallengeCells(out, t.litigation_after_review());
  absl::StrAppend(&out, "</tr>\n</table>\n");
}

}  // namespace

std::string HtmlEscape(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string FenAsWanYuan(int64_t fen) {
  constexpr int64_t kFenPerWan = 1'000'000;
  const bool negative = fen < 0;
  const uint64_t magnitude = negative ? 0 - static_cast<uint64_t>(fen) : static_cast<uint64_t>(fen);
  std::string out = absl::StrCat(negative ? "-" : "", magnitude / kFenPerWan);
  uint64_t rest = magnitude % kFenPerWan;
  if (rest == 0) return out;
  std::string decimals = absl::StrCat(rest + kFenPerWan).substr(1);  // Six digits.
  while (!decimals.empty() && decimals.back() == '0') decimals.pop_back();
  return absl::StrCat(out, ".", decimals);
}

std::string RenderAnnualReportHtml(const v1::AnnualReport& report) {
  const std::string title =
      HtmlEscape(absl::StrCat(report.unit_name(), report.year(), "年政府信息公开工作年度报告"));
  std::string out;
  absl::StrAppend(
      &out, "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n", "<title>",
      title, "</title>\n<style>", kStyle, "</style>\n</head>\n<body>\n", "<h1>", title, "</h1>\n");
  if (report.state() == v1::ANNUAL_REPORT_PUBLISHING) {
    absl::StrAppend(&out,
                    "<p class=\"legend\" data-state=\"publishing\">发布中：数据已冻结，"
                    "正在发布。</p>\n");
  } else if (report.state() != v1::ANNUAL_REPORT_PUBLISHED) {
    absl::StrAppend(&out,
                    "<p class=\"legend\" data-state=\"draft\">草稿：尚未发布，"
                    "数据按当前记录计算。</p>\n");
  }
  absl::StrAppend(&out,
                  "<p class=\"legend\">斜体数字为填报数据，其余为系统根据登记数据统计。</p>\n");
  absl::StrAppend(&out, "<h2>一、总体情况</h2>\n");
  AppendParagraphs(out, report.inputs().overview());
  absl::StrAppend(&out, "<h2>二、主动公开政府信息情况</h2>\n");
  AppendTable2(out, report.proactive_disclosure());
  absl::StrAppend(&out, "<h2>三、收到和处理政府信息公开申请情况</h2>\n");
  AppendTable3(out, report.requests());
  absl::StrAppend(&out, "<h2>四、政府信息公开行政复议、行政诉讼情况</h2>\n");
  AppendTable4(out, report.challenges());
  absl::StrAppend(&out, "<h2>五、存在的主要问题及改进情况</h2>\n");
  AppendParagraphs(out, report.inputs().problems_and_improvements());
  absl::StrAppend(&out, "<h2>六、其他需要报告的事项</h2>\n");
  AppendParagraphs(out, report.inputs().other_matters());
  absl::StrAppend(&out, "</body>\n</html>\n");
  return out;
}

}  // namespace gongkai::catalog::annual_report
