// The tables of the annual report (NAT-10, format of 2021) built from the tallies of
// report_repository.h, and the Table 3 invariant. Pure functions: no I/O, no clock.
//
// Aggregation rules (each unit-tested in report_tables_test.cc):
//   Table 3, per applicant column, for report year Y:
//     new            received in Y
//     carried over   received before Y and not answered before Jan 1 of Y — or, when
//                    entered, the opening figure (first year of use) instead
//     outcome rows   answered in Y, by recorded outcome (ALREADY_PUBLIC → 予以公开)
//     total handled  the sum of the outcome rows
//     carried fwd    received by Dec 31 of Y and not answered by then
//   So a request received 2024-12-30 and answered 2025-01-05 is carried forward out of
//   2024, carried over into 2025 and handled in 2025.
//   Table 4: a case counts in the year it was filed; its column is its result when
//   decided by Dec 31 of that year, else 尚未审结 (pending).
//   Table 2: see ProactiveDisclosureTable in annual_report.proto (computed vs entered).
//
//   v1::RequestTable t3 = BuildRequestTable(tallies, inputs);
//   RETURN_IF_ERROR(CheckRequestTable(t3));  // FAILED_PRECONDITION naming what disagrees
//
// Thread-safety: stateless functions.
#ifndef GONGKAI_SERVICES_CATALOG_ANNUAL_REPORT_REPORT_TABLES_H_
#define GONGKAI_SERVICES_CATALOG_ANNUAL_REPORT_REPORT_TABLES_H_

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "gongkai/catalog/v1/annual_report.pb.h"
#include "gongkai/catalog/v1/disclosure_types.pb.h"
#include "services/catalog/annual_report/report_repository.h"

namespace gongkai::catalog::annual_report {

// The classification every repository applies (SQL mirrors these exactly).
// nullopt: received after the year (not part of the report).
std::optional<Received> ClassifyReceived(absl::CivilDay received_on, const YearRange& year);
Answered ClassifyAnswered(std::optional<absl::CivilDay> answered_on, const YearRange& year);
bool DecidedByYearEnd(std::optional<absl::CivilDay> decided_on, const YearRange& year);
// NAT-10 Table 2, for a published policy document: repealed (本年废止) when repealed_on
// falls in the year; in force (现行有效) at the year end when published before Jan 1 of
// the next year and not repealed on or before Dec 31. So a document repealed on Dec 31
// is repealed in that year and not in force at its end; one repealed on Jan 1 of the
// next year still counts as in force at the end of the year before.
bool RepealedInYear(std::optional<absl::CivilDay> repealed_on, const YearRange& year);
bool InForceAtYearEnd(absl::Time publish_time, std::optional<absl::CivilDay> repealed_on,
                      const YearRange& year);

// One row of Table 3 part 三 in official order, with its official labels.
struct OutcomeRowSpec {
  v1::RequestOutcome outcome;
  absl::string_view group;  // e.g. "（三）不予公开"
  absl::string_view item;   // e.g. "1.属于国家秘密"; empty for rows without sub-items.
};
const std::vector<OutcomeRowSpec>& OutcomeRowSpecs();

// The Table 3 row a recorded outcome is counted in (NAT-8, NAT-10): ALREADY_PUBLIC is
// counted as DISCLOSED, DOES_NOT_EXIST as CANNOT_PROVIDE_NOT_HELD (本机关不掌握相关政府信息),
// GOVERNED_BY_OTHER_LAW as OTHER (其他处理 3.其他); nullopt for UNSPECIFIED or an unknown
// number.
std::optional<v1::RequestOutcome> RowOf(int outcome);

// The seven Table 3 columns in official order (the last is 总计), with their labels.
struct ApplicantColumn {
  absl::string_view key;    // The ApplicantCounts field name, e.g. "natural_person".
  absl::string_view label;  // e.g. "自然人".
};
const std::array<ApplicantColumn, 7>& ApplicantColumns();
// The value of column `index` (0..6, in ApplicantColumns() order).
int64_t ColumnValue(const v1::ApplicantCounts& counts, int index);
// Adds `n` to the column of `applicant_type` and to the total. An unknown type adds to
// the total only, which CheckRequestTable then reports.
void AddToColumn(v1::ApplicantCounts& counts, int applicant_type, int64_t n);

v1::RequestTable BuildRequestTable(const std::vector<RequestTally>& tallies,
                                   const v1::AnnualReportInputs& inputs);
v1::ChallengeTable BuildChallengeTable(const std::vector<ChallengeTally>& tallies);
v1::ProactiveDisclosureTable BuildProactiveTable(const PolicyDocumentCounts& documents,
                                                 const v1::AnnualReportInputs& inputs);

// NAT-10: OK when, for every applicant column, new + carried over = total handled +
// carried forward, the total handled equals the sum of the outcome rows, and every row's
// 总计 equals the sum of its six columns. Otherwise FAILED_PRECONDITION whose message and
// google.rpc.PreconditionFailure (one violation per disagreement; type
// "TABLE3_INVARIANT", "TABLE3_TOTAL_HANDLED" or "TABLE3_ROW_TOTAL"; subject the row and
// column, e.g. "requests.natural_person") name every row and column that disagree.
absl::Status CheckRequestTable(const v1::RequestTable& table);

}  // namespace gongkai::catalog::annual_report

#endif  // GONGKAI_SERVICES_CATALOG_ANNUAL_REPORT_REPORT_TABLES_H_
