#include "services/catalog/annual_report/annual_reports.h"

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "libs/auth/policy.h"
#include "libs/calendar/working_day_calendar.h"
#include "libs/pagination/page_token.h"
#include "libs/protoconv/protoconv.h"
#include "libs/status/errors.h"
#include "libs/status/status_macros.h"
#include "libs/validation/validation.h"
#include "services/catalog/annual_report/deadlines.h"
#include "services/catalog/annual_report/html_renderer.h"
#include "services/catalog/annual_report/report_tables.h"

namespace gongkai::catalog::annual_report {
namespace {

using auth::Principal;
using auth::Role;
using auth::Rule;

// ---- Who may do what: every RPC's rule, in one place. --------------------------------
// Reading a draft (computed now) or computing one: the unit's staff and reviewers, the
// general office, inspectors, administrators. The whole-government report (unit 0) is
// not one unit's, so STAFF and REVIEWER cannot reach it (auth::Require with nullopt).
const Rule kReadDraft{
    .roles = {Role::kStaff, Role::kReviewer, Role::kOffice, Role::kInspector, Role::kAdmin},
    .unit_scoped = true,
    .access = auth::Access::kRead};
// Entering figures and texts.
const Rule kEditDraft{.roles = {Role::kStaff, Role::kOffice, Role::kAdmin}, .unit_scoped = true};
// Publishing: drafting, submitting and publishing the catalog document. Its
// confidentiality review (CAT-4), which the report is not exempt from, is another
// person's: a reviewer of the publishing unit passes it in the ordinary queue.
const Rule kPublishReport{.roles = {Role::kStaff, Role::kOffice, Role::kAdmin},
                          .unit_scoped = true};
// Drafts of every unit, and the deadline overview: supervisors only.
const Rule kSuperviseAll{.roles = {Role::kOffice, Role::kInspector, Role::kAdmin},
                         .access = auth::Access::kRead};

constexpr int kFirstReportYear = 2008;  // The regulation took effect on 2008-05-01.
constexpr validation::TextLimits kSectionLimits{.max_chars = 20'000, .allow_newlines = true};
constexpr validation::TextLimits kTitleLimits{.max_chars = 500};
constexpr char kWholeGovernmentName[] = "本级人民政府（全部单位汇总）";

std::optional<int64_t> UnitOf(int64_t unit_id) {
  return unit_id == 0 ? std::nullopt : std::optional<int64_t>(unit_id);
}

void CheckYear(FieldViolations& v, int year, absl::CivilDay today) {
  if (year < kFirstReportYear || year > today.year()) {
    v.Add("year", absl::StrCat("must be from ", kFirstReportYear, " to ", today.year()));
  }
}

// The largest count (or amount in fen) a client may enter. Far above any real figure,
// and low enough that sums over columns and over every unit of a government can never
// overflow int64 (6 columns x 10^12 x 10^6 units < 2^63).
constexpr int64_t kMaxEnteredCount = 1'000'000'000'000;

// NAT-10: an entered figure is a count from 0 to kMaxEnteredCount.
void CheckCount(FieldViolations& v, absl::string_view field, int64_t value) {
  if (value < 0) {
    v.Add(std::string(field), "must not be negative");
  } else if (value > kMaxEnteredCount) {
    v.Add(std::string(field), absl::StrCat("must be at most ", kMaxEnteredCount));
  }
}

void CheckInputs(FieldViolations& v, const v1::AnnualReportInputs& in) {
  CheckCount(v, "inputs.regulations_made", in.regulations_made());
  CheckCount(v, "inputs.regulations_repealed", in.regulations_repealed());
  CheckCount(v, "inputs.regulations_in_force", in.regulations_in_force());
  // inputs.normative_documents_repealed is deprecated and ignored (computed, NAT-10).
  CheckCount(v, "inputs.licensing_decisions", in.licensing_decisions());
  CheckCount(v, "inputs.penalty_decisions", in.penalty_decisions());
  CheckCount(v, "inputs.enforcement_decisions", in.enforcement_decisions());
  CheckCount(v, "inputs.fee_income_fen", in.fee_income_fen());
  if (in.has_opening_carried_over()) {
    const v1::ApplicantCounts& c = in.opening_carried_over();
    int64_t sum = 0;
    for (int i = 0; i < 6; ++i) {
      const int64_t column = ColumnValue(c, i);
      CheckCount(v, absl::StrCat("inputs.opening_carried_over.", ApplicantColumns()[i].key),
                 column);
      if (column > 0 && column <= kMaxEnteredCount) sum += column;  // Never overflows.
    }
    if (c.total() != 0 && c.total() != sum) {
      v.Add("inputs.opening_carried_over.total",
            absl::StrCat("must be 0 (computed) or the sum of the columns, ", sum));
    }
  }
  validation::CheckText(v, "inputs.overview", in.overview(), kSectionLimits);
  validation::CheckText(v, "inputs.problems_and_improvements", in.problems_and_improvements(),
                        kSectionLimits);
  validation::CheckText(v, "inputs.other_matters", in.other_matters(), kSectionLimits);
}

std::string ListFingerprint(const v1::ListAnnualReportsRequest& r) {
  return absl::StrCat("y", r.year(), "d", r.include_drafts());
}

std::string ReportSubject(int year, int64_t unit_id) {
  return absl::StrCat("annual-reports/", year, "/units/", unit_id);
}

std::string FormatShanghai(absl::Time t) {
  return absl::FormatTime("%Y-%m-%d %H:%M:%S %Ez", t, ShanghaiTimeZone());
}

// The catalog document's body: the frozen snapshot's page as it reads once published.
// Depends only on the snapshot, so whoever creates the document creates the same one.
std::string DocumentBody(v1::AnnualReport snapshot) {
  snapshot.set_state(v1::ANNUAL_REPORT_PUBLISHED);
  return annual_report::RenderAnnualReportHtml(snapshot);
}

}  // namespace

absl::CivilDay AnnualReports::Today() const { return calendar::TodayInShanghai(*clock_); }

absl::StatusOr<ReportUnit> AnnualReports::ResolveScope(int64_t unit_id) {
  if (unit_id == 0) return ReportUnit{0, kWholeGovernmentName, v1::UNIT_LEVEL_UNSPECIFIED};
  ASSIGN_OR_RETURN(std::optional<ReportUnit> unit, repository_->FindUnit(unit_id));
  if (!unit.has_value()) return absl::NotFoundError(absl::StrCat("unit ", unit_id, " not found"));
  return *std::move(unit);
}

absl::StatusOr<v1::AnnualReport> AnnualReports::Build(int year, const ReportUnit& scope,
                                                      const v1::AnnualReportInputs& inputs) {
  const YearRange range = YearRange::Of(year);
  ASSIGN_OR_RETURN(std::vector<RequestTally> requests, repository_->CountRequests(scope.id, range));
  ASSIGN_OR_RETURN(std::vector<ChallengeTally> challenges,
                   repository_->CountChallenges(scope.id, range));
  ASSIGN_OR_RETURN(PolicyDocumentCounts documents,
                   repository_->CountPolicyDocuments(scope.id, range));
  v1::AnnualReport report;
  report.set_year(year);
  report.set_unit_id(scope.id);
  report.set_unit_name(scope.name);
  report.set_state(v1::ANNUAL_REPORT_DRAFT);
  *report.mutable_proactive_disclosure() = BuildProactiveTable(documents, inputs);
  *report.mutable_requests() = BuildRequestTable(requests, inputs);
  *report.mutable_challenges() = BuildChallengeTable(challenges);
  *report.mutable_inputs() = inputs;
  ASSIGN_OR_RETURN(ReportDue due, AnnualReportDue(*rules_, year, scope.level));  // NAT-10.
  *report.mutable_due() = ToProtoDate(due.day);
  report.set_due_rule(due.rule.Explain());
  *report.mutable_compute_time() = ToTimestamp(clock_->Now());
  RETURN_IF_ERROR(CheckRequestTable(report.requests()));  // NAT-10, on every computation.
  return report;
}

absl::StatusOr<v1::AnnualReport> AnnualReports::ComputeAnnualReport(
    const Principal& caller, const v1::ComputeAnnualReportRequest& request) {
  FieldViolations v;
  CheckYear(v, request.year(), Today());
  validation::CheckId(v, "unit_id", request.unit_id(), /*required=*/false);
  CheckInputs(v, request.inputs());
  RETURN_IF_ERROR(v.ToStatus());
  RETURN_IF_ERROR(auth::Require(caller, kReadDraft, UnitOf(request.unit_id())));
  ASSIGN_OR_RETURN(ReportUnit scope, ResolveScope(request.unit_id()));
  ASSIGN_OR_RETURN(std::optional<StoredReport> stored,
                   repository_->FindReport(request.year(), request.unit_id()));
  v1::AnnualReportInputs inputs = request.inputs();
  if (!request.has_inputs() && stored.has_value()) inputs = stored->inputs;
  ASSIGN_OR_RETURN(v1::AnnualReport report, Build(request.year(), scope, inputs));
  if (stored.has_value()) report.set_version(stored->version);
  return report;
}

absl::StatusOr<v1::AnnualReport> AnnualReports::SaveAnnualReport(
    const Principal& caller, const v1::SaveAnnualReportRequest& request) {
  FieldViolations v;
  CheckYear(v, request.year(), Today());
  validation::CheckId(v, "unit_id", request.unit_id(), /*required=*/false);
  CheckInputs(v, request.inputs());
  if (request.expected_version() < 0) v.Add("expected_version", "must not be negative");
  RETURN_IF_ERROR(v.ToStatus());
  RETURN_IF_ERROR(auth::Require(caller, kEditDraft, UnitOf(request.unit_id())));
  ASSIGN_OR_RETURN(ReportUnit scope, ResolveScope(request.unit_id()));
  ASSIGN_OR_RETURN(std::optional<StoredReport> stored,
                   repository_->FindReport(request.year(), request.unit_id()));
  const std::string subject = ReportSubject(request.year(), request.unit_id());
  if (stored.has_value() && stored->state == v1::ANNUAL_REPORT_PUBLISHED) {
    return PreconditionFailed(
        "STATE", subject,
        absl::StrCat("the ", request.year(), " report is published; it can no longer change"));
  }
  if (stored.has_value() && stored->state == v1::ANNUAL_REPORT_PUBLISHING) {
    return PreconditionFailed(
        "STATE", subject,
        absl::StrCat("the ", request.year(),
                     " report is being published (ANNUAL_REPORT_PUBLISHING); its numbers are "
                     "frozen and can no longer change: call PublishAnnualReport to complete it"));
  }
  const int64_t current_version = stored.has_value() ? stored->version : 0;
  // expected_version 0 creates the first draft; it never overwrites a stored one.
  if (request.expected_version() == 0 && stored.has_value()) {
    return absl::AbortedError(absl::StrCat(
        "a draft of the ", request.year(), " report already exists at version ", current_version,
        "; pass expected_version ", current_version, " to change it"));
  }
  if (request.expected_version() != current_version) {
    return absl::AbortedError(absl::StrCat("the report is at version ", current_version, ", not ",
                                           request.expected_version(), "; reload and retry"));
  }
  // The entered figures must still make the tables add up.
  ASSIGN_OR_RETURN(v1::AnnualReport report, Build(request.year(), scope, request.inputs()));
  ASSIGN_OR_RETURN(
      StoredReport saved,
      repository_->SaveDraft(request.year(), request.unit_id(), request.inputs(), current_version,
                             ReportAudit{caller.subject, "save", "", clock_->Now()}));
  report.set_version(saved.version);
  return report;
}

absl::StatusOr<v1::AnnualReport> AnnualReports::PublishAnnualReport(
    const Principal& caller, const v1::PublishAnnualReportRequest& request) {
  const absl::CivilDay today = Today();
  FieldViolations v;
  CheckYear(v, request.year(), today);
  validation::CheckId(v, "unit_id", request.unit_id(), /*required=*/false);
  validation::CheckId(v, "publishing_unit_id", request.publishing_unit_id(),
                      /*required=*/request.unit_id() == 0);
  if (request.unit_id() != 0 && request.publishing_unit_id() != 0 &&
      request.publishing_unit_id() != request.unit_id()) {
    v.Add("publishing_unit_id", "must be 0 or unit_id for a unit's own report");
  }
  validation::CheckText(v, "title", request.title(), kTitleLimits);
  RETURN_IF_ERROR(v.ToStatus());
  RETURN_IF_ERROR(auth::Require(caller, kPublishReport, UnitOf(request.unit_id())));
  const std::string subject = ReportSubject(request.year(), request.unit_id());

  ASSIGN_OR_RETURN(std::optional<StoredReport> stored,
                   repository_->FindReport(request.year(), request.unit_id()));
  const bool frozen = stored.has_value() && stored->state != v1::ANNUAL_REPORT_DRAFT &&
                      stored->snapshot.has_value();
  int64_t publishing_unit =
      request.unit_id() != 0 ? request.unit_id() : request.publishing_unit_id();
  if (frozen && stored->snapshot->publishing_unit_id() != 0) {
    publishing_unit = stored->snapshot->publishing_unit_id();
  }
  RETURN_IF_ERROR(auth::Require(caller, kPublishReport, publishing_unit));
  // A retried publication gets the published report.
  if (frozen && stored->state == v1::ANNUAL_REPORT_PUBLISHED) return *stored->snapshot;
  if (frozen) {
    // The document's unit and title were frozen with the numbers.
    const v1::AnnualReport& snapshot = *stored->snapshot;
    if ((request.publishing_unit_id() != 0 &&
         request.publishing_unit_id() != snapshot.publishing_unit_id()) ||
        (!request.title().empty() && request.title() != snapshot.document_title())) {
      return PreconditionFailed(
          "PUBLICATION", subject,
          absl::StrCat("the publication of the ", request.year(),
                       " report started with publishing_unit_id ", snapshot.publishing_unit_id(),
                       " and title \"", snapshot.document_title(),
                       "\"; retry with those or leave them empty"));
    }
    return ContinuePublication(caller, *std::move(stored));
  }

  if (request.year() >= today.year()) {
    return PreconditionFailed("YEAR_NOT_ENDED", subject,
                              absl::StrCat("the report of ", request.year(),
                                           " can be published once the year has ended"));
  }
  ASSIGN_OR_RETURN(ReportUnit scope, ResolveScope(request.unit_id()));
  ASSIGN_OR_RETURN(ReportUnit publisher_unit, ResolveScope(publishing_unit));
  // Step A: the numbers are computed (and the invariant checked) for the last time and
  // frozen; a report that does not add up is never frozen.
  const v1::AnnualReportInputs inputs =
      stored.has_value() ? stored->inputs : v1::AnnualReportInputs();
  ASSIGN_OR_RETURN(v1::AnnualReport report, Build(request.year(), scope, inputs));
  const absl::Time now = clock_->Now();
  report.set_state(v1::ANNUAL_REPORT_PUBLISHING);
  *report.mutable_publish_time() = ToTimestamp(now);
  report.set_published_by(caller.subject);
  report.set_publishing_unit_id(publisher_unit.id);
  report.set_document_title(
      request.title().empty()
          ? absl::StrCat(request.unit_id() == 0 ? publisher_unit.name : scope.name, request.year(),
                         "年政府信息公开工作年度报告")
          : request.title());
  ASSIGN_OR_RETURN(
      StoredReport started,
      repository_->StartPublication(report, stored.has_value() ? stored->version : 0,
                                    ReportAudit{caller.subject, "publish_started", "", now}));
  return ContinuePublication(caller, std::move(started));
}

absl::StatusOr<v1::AnnualReport> AnnualReports::ContinuePublication(const Principal& caller,
                                                                    StoredReport stored) {
  const int year = stored.year;
  const int64_t unit_id = stored.unit_id;
  // Step B: the document, created once per report whoever completes the publication.
  if (stored.document_id == 0) {
    const std::string request_id = absl::StrCat("annual-report-", stored.id);
    std::optional<int64_t> document_id;
    const std::string holder = stored.publication_started_by;
    if (holder != caller.subject) {
      const absl::Time now = clock_->Now();
      const absl::Time lease_end =
          stored.publication_started_at.value_or(absl::InfinitePast()) + kPublicationLease;
      if (now < lease_end) {
        return absl::AbortedError(
            absl::StrCat("publication of the ", year, " report started by ", holder, " at ",
                         FormatShanghai(*stored.publication_started_at),
                         " is in progress; retry after ", FormatShanghai(lease_end)));
      }
      ASSIGN_OR_RETURN(stored, repository_->TakeOverPublication(
                                   year, unit_id, stored.version,
                                   ReportAudit{caller.subject, "publish_taken_over",
                                               absl::StrCat("from ", holder), now}));
      // The previous holder may have created the document before being interrupted.
      ASSIGN_OR_RETURN(document_id, publisher_->FindCreatedDocument(holder, request_id));
    }
    if (!document_id.has_value()) {
      const v1::AnnualReport& snapshot = *stored.snapshot;
      ReportDocument document;
      document.drafting_unit_id = snapshot.publishing_unit_id();
      document.issuing_authority = unit_id == 0 ? v1::CITY_GOVERNMENT_OFFICE : v1::DEPARTMENT;
      document.title = snapshot.document_title();
      document.body = DocumentBody(snapshot);
      document.request_id = request_id;
      ASSIGN_OR_RETURN(document_id, publisher_->CreateDocument(caller, document));
    }
    // Recorded at once: from here on every retry continues with this document.
    ASSIGN_OR_RETURN(stored,
                     repository_->RecordPublicationDocument(
                         year, unit_id, *document_id, stored.version,
                         ReportAudit{caller.subject, "publish_document",
                                     absl::StrCat("document ", *document_id), clock_->Now()}));
  }
  ASSIGN_OR_RETURN(PublishStep step, publisher_->PublishDocument(caller, stored.document_id));
  if (step == PublishStep::kAwaitingReview) {
    // CAT-4: in the reviewers' queue. Still PUBLISHING; called again after the review,
    // the publication continues from here.
    v1::AnnualReport awaiting = *stored.snapshot;
    awaiting.set_document_id(stored.document_id);
    return awaiting;
  }
  // Step C.
  absl::StatusOr<StoredReport> published = repository_->CompletePublication(
      year, unit_id, stored.version,
      ReportAudit{caller.subject, "publish", absl::StrCat("document ", stored.document_id),
                  clock_->Now()});
  if (published.status().code() == absl::StatusCode::kAborted) {
    // Someone else completed it meanwhile: that is the same publication.
    ASSIGN_OR_RETURN(std::optional<StoredReport> now_stored,
                     repository_->FindReport(year, unit_id));
    if (now_stored.has_value() && now_stored->state == v1::ANNUAL_REPORT_PUBLISHED &&
        now_stored->snapshot.has_value()) {
      return *now_stored->snapshot;
    }
  }
  RETURN_IF_ERROR(published.status());
  return *published->snapshot;
}

absl::StatusOr<v1::AnnualReport> AnnualReports::Load(const Principal& caller, int year,
                                                     int64_t unit_id) {
  ASSIGN_OR_RETURN(std::optional<StoredReport> stored, repository_->FindReport(year, unit_id));
  if (stored.has_value() && stored->state == v1::ANNUAL_REPORT_PUBLISHED &&
      stored->snapshot.has_value()) {
    return *stored->snapshot;
  }
  // Drafts and reports being published are invisible, not forbidden, to those who may
  // not see them.
  if (!auth::Require(caller, kReadDraft, UnitOf(unit_id)).ok()) {
    return absl::NotFoundError(
        absl::StrCat("no published annual report of ", year, " for unit ", unit_id));
  }
  // Being published: the frozen snapshot, not a fresh computation.
  if (stored.has_value() && stored->snapshot.has_value()) return *stored->snapshot;
  ASSIGN_OR_RETURN(ReportUnit scope, ResolveScope(unit_id));
  ASSIGN_OR_RETURN(
      v1::AnnualReport report,
      Build(year, scope, stored.has_value() ? stored->inputs : v1::AnnualReportInputs()));
  if (stored.has_value()) report.set_version(stored->version);
  return report;
}

absl::StatusOr<v1::AnnualReport> AnnualReports::GetAnnualReport(
    const Principal& caller, const v1::GetAnnualReportRequest& request) {
  FieldViolations v;
  CheckYear(v, request.year(), Today());
  validation::CheckId(v, "unit_id", request.unit_id(), /*required=*/false);
  RETURN_IF_ERROR(v.ToStatus());
  return Load(caller, request.year(), request.unit_id());
}

absl::StatusOr<v1::AnnualReportHtml> AnnualReports::RenderAnnualReportHtml(
    const Principal& caller, const v1::RenderAnnualReportHtmlRequest& request) {
  FieldViolations v;
  CheckYear(v, request.year(), Today());
  validation::CheckId(v, "unit_id", request.unit_id(), /*required=*/false);
  RETURN_IF_ERROR(v.ToStatus());
  ASSIGN_OR_RETURN(v1::AnnualReport report, Load(caller, request.year(), request.unit_id()));
  v1::AnnualReportHtml html;
  html.set_html(annual_report::RenderAnnualReportHtml(report));
  return html;
}

absl::StatusOr<v1::ListAnnualReportsResponse> AnnualReports::ListAnnualReports(
    const Principal& caller, const v1::ListAnnualReportsRequest& request) {
  FieldViolations v;
  if (request.year() != 0) CheckYear(v, request.year(), Today());
  absl::StatusOr<int> page_size = pagination::ResolvePageSize(request.page_size());
  if (!page_size.ok()) v.Add("page_size", std::string(page_size.status().message()));
  const std::string fingerprint = ListFingerprint(request);
  absl::StatusOr<int64_t> after = pagination::DecodePageToken(request.page_token(), fingerprint);
  if (!after.ok()) v.Add("page_token", std::string(after.status().message()));
  RETURN_IF_ERROR(v.ToStatus());
  if (request.include_drafts()) RETURN_IF_ERROR(auth::Require(caller, kSuperviseAll));

  ASSIGN_OR_RETURN(
      std::vector<StoredReport> rows,
      repository_->ListReports(request.year(), request.include_drafts(), *after, *page_size + 1));
  v1::ListAnnualReportsResponse response;
  response.set_next_page_token(pagination::TrimPage(rows, *page_size, fingerprint,
                                                    [](const StoredReport& r) { return r.id; }));
  std::map<int64_t, ReportUnit> units;
  for (const StoredReport& row : rows) {
    if (row.snapshot.has_value()) {
      *response.add_reports() = *row.snapshot;
      continue;
    }
    // A draft is listed without its tables (computing every one is GetAnnualReport's job).
    if (units.count(row.unit_id) == 0) {
      ASSIGN_OR_RETURN(ReportUnit unit, ResolveScope(row.unit_id));
      units[row.unit_id] = std::move(unit);
    }
    v1::AnnualReport* draft = response.add_reports();
    draft->set_year(row.year);
    draft->set_unit_id(row.unit_id);
    draft->set_unit_name(units[row.unit_id].name);
    draft->set_state(row.state);
    *draft->mutable_inputs() = row.inputs;
    ASSIGN_OR_RETURN(ReportDue due, AnnualReportDue(*rules_, row.year, units[row.unit_id].level));
    *draft->mutable_due() = ToProtoDate(due.day);
    draft->set_due_rule(due.rule.Explain());
    draft->set_version(row.version);
  }
  return response;
}

absl::StatusOr<v1::ListAnnualReportDeadlinesResponse> AnnualReports::ListAnnualReportDeadlines(
    const Principal& caller, const v1::ListAnnualReportDeadlinesRequest& request) {
  const absl::CivilDay today = Today();
  FieldViolations v;
  CheckYear(v, request.year(), today);
  RETURN_IF_ERROR(v.ToStatus());
  RETURN_IF_ERROR(auth::Require(caller, kSuperviseAll));

  // Publication day of every published report of the year, by unit.
  std::map<int64_t, absl::CivilDay> published_on;
  int64_t after_id = 0;
  constexpr int kBatch = 200;
  while (true) {
    ASSIGN_OR_RETURN(std::vector<StoredReport> batch,
                     repository_->ListReports(request.year(), false, after_id, kBatch));
    for (const StoredReport& r : batch) {
      // A report being published is not published yet.
      if (r.state == v1::ANNUAL_REPORT_PUBLISHED && r.publish_time.has_value()) {
        published_on[r.unit_id] = absl::ToCivilDay(*r.publish_time, ShanghaiTimeZone());
      }
    }
    if (static_cast<int>(batch.size()) < kBatch) break;
    after_id = batch.back().id;
  }

  ASSIGN_OR_RETURN(std::vector<ReportUnit> units, repository_->ListUnits());
  units.insert(units.begin(), ReportUnit{0, kWholeGovernmentName, v1::UNIT_LEVEL_UNSPECIFIED});
  v1::ListAnnualReportDeadlinesResponse response;
  for (const ReportUnit& unit : units) {
    ASSIGN_OR_RETURN(ReportDue report_due, AnnualReportDue(*rules_, request.year(), unit.level));
    const absl::CivilDay due = report_due.day;
    std::optional<absl::CivilDay> published;
    if (auto it = published_on.find(unit.id); it != published_on.end()) published = it->second;
    v1::AnnualReportDeadline* d = response.add_deadlines();
    d->set_unit_id(unit.id);
    d->set_unit_name(unit.name);
    d->set_level(unit.level);
    *d->mutable_due() = ToProtoDate(due);
    d->set_due_rule(report_due.rule.Explain());
    d->set_published(published.has_value());
    if (published.has_value()) *d->mutable_published_on() = ToProtoDate(*published);
    d->set_status(DeadlineStatusOf(due, published, today));
  }
  return response;
}

}  // namespace gongkai::catalog::annual_report
