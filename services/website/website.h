// The website service's rules (no SQL, no gRPC beyond the generated messages): the
// register and its lifecycle (WEB-1, WEB-5, WEB-6), columns and the extraction test
// page, on-demand probes, messages and severe errors (NAT-13), evaluations (NAT-13,
// NAT-14, WEB-3), supervision runs (WEB-2) and notices of criticism (WEB-4). Every
// method validates first (INVALID_ARGUMENT with field violations, nothing written),
// then authorizes by role and unit (website_access.h), then acts.
//
//   Website website({repository, &checker, calendar, rules, clock, unit_check});
//   ASSIGN_OR_RETURN(v1::Site site, website.CreateSite(caller, request));
//
// Thread-safe: holds no mutable state; the repository, checker and rule book are.
#ifndef GONGKAI_SERVICES_WEBSITE_WEBSITE_H_
#define GONGKAI_SERVICES_WEBSITE_WEBSITE_H_

#include <functional>
#include <memory>
#include <optional>

#include "absl/status/statusor.h"
#include "gongkai/website/v1/website.pb.h"
#include "libs/auth/principal.h"
#include "libs/calendar/working_day_calendar.h"
#include "libs/clock/clock.h"
#include "libs/rules/rule_book.h"
#include "services/website/prober/site_checker.h"
#include "services/website/website_repository.h"
#include "services/website/website_rules.h"

namespace gongkai::website {

// NOT_FOUND (or UNAVAILABLE when the unit directory cannot be reached) for a unit id
// the suite does not know; OK otherwise.
using UnitCheck = std::function<absl::Status(int64_t unit_id)>;

struct WebsiteDeps {
  WebsiteRepository* repository = nullptr;
  prober::SiteChecker* checker = nullptr;
  std::shared_ptr<const calendar::WorkingDayCalendar> calendar;
  std::shared_ptr<const rules::RuleBook> rules;
  const Clock* clock = nullptr;
  UnitCheck unit_check;  // Empty: every unit id > 0 is accepted.
};

// A site is probed while it is a website (not an account) in OPERATION or
// LEVEL_PROTECTION.
bool IsProbed(const v1::Site& site);

// WEB-1 lifecycle: whether a site may move from `from` to `to` (accounts may go from
// OPENING straight to OPERATION; SHUTDOWN and MIGRATED are final).
bool IsAllowedTransition(v1::SiteKind kind, v1::SiteState from, v1::SiteState to);

// The schedule slot after `now` for a site probed every `interval`; sites are spread
// over the interval by their id, so a fleet's probes do not all fall on the hour.
absl::Time NextSlot(int64_t site_id, absl::Time now, absl::Duration interval);

// The probe interval of the rules (a day divided by probe.per_day).
absl::Duration ProbeInterval(const NationalRules& rules);

// The checker's target for a site and its columns (bad stored extractions are skipped).
prober::CheckTarget TargetOf(const v1::Site& site, const std::vector<v1::Column>& columns);

class Website {
 public:
  explicit Website(WebsiteDeps deps) : deps_(std::move(deps)) {}

  // Register (WEB-1, WEB-5, WEB-6).
  absl::StatusOr<v1::Site> CreateSite(const auth::Principal& caller,
                                      const v1::CreateSiteRequest& request);
  absl::StatusOr<v1::Site> GetSite(const auth::Principal& caller,
                                   const v1::GetSiteRequest& request);
  absl::StatusOr<v1::ListSitesResponse> ListSites(const auth::Principal& caller,
                                                  const v1::ListSitesRequest& request);
  absl::StatusOr<v1::Site> ChangeSiteState(const auth::Principal& caller,
                                           const v1::ChangeSiteStateRequest& request);
  absl::StatusOr<v1::Site> UpdateAccountProcedures(
      const auth::Principal& caller, const v1::UpdateAccountProceduresRequest& request);
  absl::StatusOr<v1::ListSiteHistoryResponse> ListSiteHistory(
      const auth::Principal& caller, const v1::ListSiteHistoryRequest& request);
  absl::StatusOr<v1::Column> CreateColumn(const auth::Principal& caller,
                                          const v1::CreateColumnRequest& request);
  absl::StatusOr<v1::ListColumnsResponse> ListColumns(const auth::Principal& caller,
                                                      const v1::ListColumnsRequest& request);
  absl::StatusOr<v1::TestExtractionResponse> TestExtraction(
      const auth::Principal& caller, const v1::TestExtractionRequest& request);

  // Probes and what the prober cannot see (NAT-13).
  absl::StatusOr<v1::Probe> ProbeSiteNow(const auth::Principal& caller,
                                         const v1::ProbeSiteNowRequest& request);
  absl::StatusOr<v1::ListProbesResponse> ListProbes(const auth::Principal& caller,
                                                    const v1::ListProbesRequest& request);
  absl::StatusOr<v1::SubmitMessagesResponse> SubmitMessages(
      const auth::Principal& caller, const v1::SubmitMessagesRequest& request);
  absl::StatusOr<v1::SevereError> RecordSevereError(const auth::Principal& caller,
                                                    const v1::RecordSevereErrorRequest& request);

  // Scoring (NAT-13, NAT-14, WEB-3).
  absl::StatusOr<v1::SiteEvaluation> EvaluateSite(const auth::Principal& caller,
                                                  const v1::EvaluateSiteRequest& request);

  // Supervision runs (WEB-2); the work itself is RunWorker's (supervision/run_worker.h).
  absl::StatusOr<v1::SupervisionRun> StartSupervisionRun(
      const auth::Principal& caller, const v1::StartSupervisionRunRequest& request);
  absl::StatusOr<v1::SupervisionRun> GetSupervisionRun(const auth::Principal& caller,
                                                       const v1::GetSupervisionRunRequest& request);
  absl::StatusOr<v1::SupervisionRun> CancelSupervisionRun(
      const auth::Principal& caller, const v1::CancelSupervisionRunRequest& request);
  absl::StatusOr<v1::ListSupervisionResultsResponse> ListSupervisionResults(
      const auth::Principal& caller, const v1::ListSupervisionResultsRequest& request);

  // Notices of criticism (WEB-4).
  absl::StatusOr<v1::Notice> CreateNotice(const auth::Principal& caller,
                                          const v1::CreateNoticeRequest& request);
  absl::StatusOr<v1::Notice> GetNotice(const auth::Principal& caller,
                                       const v1::GetNoticeRequest& request);
  absl::StatusOr<v1::ListNoticesResponse> ListNotices(const auth::Principal& caller,
                                                      const v1::ListNoticesRequest& request);
  absl::StatusOr<v1::Notice> ReportRectification(const auth::Principal& caller,
                                                 const v1::ReportRectificationRequest& request);
  absl::StatusOr<v1::Notice> RecheckNotice(const auth::Principal& caller,
                                           const v1::RecheckNoticeRequest& request);
  absl::StatusOr<v1::Notice> EscalateNotice(const auth::Principal& caller,
                                            const v1::EscalateNoticeRequest& request);

  // NAT-1, for ServiceApp::OnCalendarChanged: after a calendar year was loaded or
  // replaced, the rectification deadline of every notice not RECTIFIED that is pending
  // (no rectify_by: its year was not loaded) or stale (computed on a replaced year) is
  // computed again from its start and length on the current calendar, with its
  // explanation; a stale one that now reaches a year not loaded becomes pending, never
  // keeps a day the calendar no longer gives. Works in batches; a notice changed
  // meanwhile is read again. Returns how many notices changed; CANCELLED when `stopping`
  // answers true (what is stored stays; a later pass finishes), other errors as the
  // repository's (the caller runs the pass again later).
  absl::StatusOr<int> RecomputeRectificationDeadlines(const std::function<bool()>& stopping);

  // Without authorization, for the run worker and re-checks: the site's evaluation on
  // `as_of` from what is stored, in the scope of a cadence (WEB-2; unset: the full
  // scoring). QUARTERLY_CENSUS also checks the register's record, the owner unit
  // against the unit directory (UNAVAILABLE when it cannot be asked).
  absl::StatusOr<v1::SiteEvaluation> Evaluate(const v1::Site& site, absl::CivilDay as_of,
                                              v1::RunKind scope = v1::RUN_KIND_UNSPECIFIED);

  // Without authorization, for ANNUAL_REPORT runs: the site's annual website report for
  // `year` (NAT-14), due on `due`.
  absl::StatusOr<v1::SiteAnnualReport> AnnualReport(const v1::Site& site, int year,
                                                    absl::CivilDay due);

  // Without authorization: a content check of `site` now, stored as an extra probe.
  absl::StatusOr<v1::Probe> ProbeNow(const v1::Site& site);

 private:
  absl::StatusOr<v1::Site> ReadableSite(const auth::Principal& caller, int64_t site_id);
  absl::StatusOr<v1::Site> WritableSite(const auth::Principal& caller, int64_t site_id);
  absl::StatusOr<v1::Notice> NoticeForUpdate(int64_t id, int64_t version);
  absl::CivilDay Today() const;
  void MarkOverdue(v1::Notice& notice) const;
  // The notice with its deadline computed again, or nullopt when it needs no change.
  absl::StatusOr<std::optional<v1::Notice>> RecomputedRectifyBy(const v1::Notice& notice) const;

  WebsiteDeps deps_;
};

}  // namespace gongkai::website

#endif  // GONGKAI_SERVICES_WEBSITE_WEBSITE_H_
