// The annual report's domain rules (CAT-9, NAT-10): computes Tables 2, 3 and 4 for a
// year and a unit (unit_id 0: the whole government), checks the Table 3 invariant,
// stores entered figures, publishes a snapshot as a catalog document, renders the
// printable page and tracks the Jan 31 / Mar 31 deadlines.
//
// Publication is a small state machine over the stored row, so that a failure at any
// point is completed by calling PublishAnnualReport again (by any user allowed to):
//
//   DRAFT --(A)--> PUBLISHING --(B)--> PUBLISHING with document --(C)--> PUBLISHED
//
//   (A) builds the report, checks the invariant and stores it as the frozen snapshot
//       (publish_time, published_by, publishing unit and title included). Retries
//       never rebuild: the published numbers are the frozen ones.
//   (B) creates the catalog document from the snapshot (request id
//       "annual-report-<row id>"; a user taking over first looks for the document the
//       previous holder created), records its id on the row at once, then submits it
//       to the confidentiality review (CAT-4), which a reviewer of the publishing unit
//       other than the publisher passes in the ordinary queue (ReviewDocument). Until
//       then PublishAnnualReport answers the report still PUBLISHING, with its
//       document_id; called again after the review, it publishes the document. Before
//       the document exists the publication is leased to whoever started (or took
//       over) it for kPublicationLease; others get ABORTED until then.
//   (C) marks the row PUBLISHED.
// Each step is one version-checked transaction.
//
// Pure C++ over AnnualReportRepository and ReportPublisher: no gRPC, no SQL. Every
// method validates its input (INVALID_ARGUMENT naming each bad field), checks the
// caller's right with the one rule table in annual_reports.cc, and returns:
//   NOT_FOUND            the unit, or (for a caller who may not see drafts) a
//                        published report, does not exist;
//   FAILED_PRECONDITION  Table 3 does not add up (PreconditionFailure lists each row
//                        and column), the year has not ended (publish), the report is
//                        published or being published (save), a retried publication
//                        names another publishing unit or title than it started with;
//   ABORTED              expected_version is stale, is 0 while a draft already
//                        exists (save), a concurrent save or publication step won, or
//                        another user's publication is within its lease (publish).
//
//   AnnualReports reports(&repository, publisher.get(), &clock);
//   ASSIGN_OR_RETURN(v1::AnnualReport report, reports.ComputeAnnualReport(caller, request));
//
// Thread-safe: holds no mutable state of its own.
#ifndef GONGKAI_SERVICES_CATALOG_ANNUAL_REPORT_ANNUAL_REPORTS_H_
#define GONGKAI_SERVICES_CATALOG_ANNUAL_REPORT_ANNUAL_REPORTS_H_

#include <memory>
#include <optional>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "gongkai/catalog/v1/annual_report.pb.h"
#include "libs/auth/principal.h"
#include "libs/clock/clock.h"
#include "libs/rules/rule_book.h"
#include "services/catalog/annual_report/report_publisher.h"
#include "services/catalog/annual_report/report_repository.h"

namespace gongkai::catalog::annual_report {

// How long a publication without a catalog document belongs to the user who started
// (or took over) it: long enough for one create to finish, short enough that an
// interrupted publication is soon completed by someone else. Another user retrying
// within it gets ABORTED; after it, the publication is taken over.
inline constexpr absl::Duration kPublicationLease = absl::Minutes(2);

class AnnualReports {
 public:
  // All pointers must outlive the object. `rules` holds catalog.annual_report (NAT-10
  // deadlines, deadlines.h).
  AnnualReports(AnnualReportRepository* repository, ReportPublisher* publisher,
                std::shared_ptr<const rules::RuleBook> rules, const Clock* clock)
      : repository_(repository), publisher_(publisher), rules_(std::move(rules)), clock_(clock) {}

  absl::StatusOr<v1::AnnualReport> ComputeAnnualReport(
      const auth::Principal& caller, const v1::ComputeAnnualReportRequest& request);
  absl::StatusOr<v1::AnnualReport> SaveAnnualReport(const auth::Principal& caller,
                                                    const v1::SaveAnnualReportRequest& request);
  absl::StatusOr<v1::AnnualReport> PublishAnnualReport(
      const auth::Principal& caller, const v1::PublishAnnualReportRequest& request);
  absl::StatusOr<v1::AnnualReport> GetAnnualReport(const auth::Principal& caller,
                                                   const v1::GetAnnualReportRequest& request);
  absl::StatusOr<v1::ListAnnualReportsResponse> ListAnnualReports(
      const auth::Principal& caller, const v1::ListAnnualReportsRequest& request);
  absl::StatusOr<v1::AnnualReportHtml> RenderAnnualReportHtml(
      const auth::Principal& caller, const v1::RenderAnnualReportHtmlRequest& request);
  absl::StatusOr<v1::ListAnnualReportDeadlinesResponse> ListAnnualReportDeadlines(
      const auth::Principal& caller, const v1::ListAnnualReportDeadlinesRequest& request);

 private:
  // The unit a report is about; unit 0 is the whole government.
  absl::StatusOr<ReportUnit> ResolveScope(int64_t unit_id);
  // Computes the tables and checks the invariant (FAILED_PRECONDITION when it fails).
  absl::StatusOr<v1::AnnualReport> Build(int year, const ReportUnit& scope,
                                         const v1::AnnualReportInputs& inputs);
  // The published snapshot, or (for callers who may see drafts) the frozen snapshot of
  // a report being published or the draft computed now.
  absl::StatusOr<v1::AnnualReport> Load(const auth::Principal& caller, int year, int64_t unit_id);
  // Steps B and C of a publication, from wherever `stored` (PUBLISHING) stands.
  absl::StatusOr<v1::AnnualReport> ContinuePublication(const auth::Principal& caller,
                                                       StoredReport stored);
  absl::CivilDay Today() const;

  AnnualReportRepository* repository_;
  ReportPublisher* publisher_;
  std::shared_ptr<const rules::RuleBook> rules_;
  const Clock* clock_;
};

}  // namespace gongkai::catalog::annual_report

#endif  // GONGKAI_SERVICES_CATALOG_ANNUAL_REPORT_ANNUAL_REPORTS_H_
