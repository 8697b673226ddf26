// The printable HTML page of an annual report, laid out like the official tables of
// the 2021 format (NAT-10): the text sections, Table 2 (主动公开), Table 3 (依申请公开,
// seven applicant columns) and Table 4 (行政复议、行政诉讼).
//
//   std::string page = RenderAnnualReportHtml(report);
//
// Every text taken from the report (unit name, entered sections) is HTML-escaped; the
// page is self-contained (inline CSS, no scripts, no external resources). Stable
// markers for tests and portals: each table carries data-table="2|3|4", each Table 3
// row data-row="<row key>" (e.g. "new_requests", "OUTCOME_DISCLOSED"), each figure cell
// data-source="computed|entered" where Table 2 distinguishes them.
//
// Thread-safety: a stateless function.
#ifndef GONGKAI_SERVICES_CATALOG_ANNUAL_REPORT_HTML_RENDERER_H_
#define GONGKAI_SERVICES_CATALOG_ANNUAL_REPORT_HTML_RENDERER_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "gongkai/catalog/v1/annual_report.pb.h"

namespace gongkai::catalog::annual_report {

// Escapes & < > " ' for text and attribute values.
std::string HtmlEscape(absl::string_view text);

// Fen as 万元 without rounding: 123456789 → "123.456789", 1000000 → "1".
std::string FenAsWanYuan(int64_t fen);

std::string RenderAnnualReportHtml(const v1::AnnualReport& report);

}  // namespace gongkai::catalog::annual_report

#endif  // GONGKAI_SERVICES_CATALOG_ANNUAL_REPORT_HTML_RENDERER_H_
