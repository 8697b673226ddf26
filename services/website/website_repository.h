// The website service's storage, as an interface (SQL lives only in
// mysql_website_repository.cc): the register (sites, history, columns), the prober's
// schedule and results, messages and severe errors, supervision runs and their
// results, and notices.
//
// Work shared by replicas is claimed with conditional UPDATEs (claim_token and
// claim_expires columns), portable to MySQL 8, MariaDB and TiDB: a claim whose replica
// stopped expires and is taken over; finishing a claim checks the token, so a replica
// that lost its claim changes nothing. Scheduled probes are unique per (site, slot).
//
// Errors: NOT_FOUND for a missing id, ABORTED for a stale version or a lost claim,
// UNAVAILABLE when the database is unreachable. Thread-safe.
#ifndef GONGKAI_SERVICES_WEBSITE_WEBSITE_REPOSITORY_H_
#define GONGKAI_SERVICES_WEBSITE_WEBSITE_REPOSITORY_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gongkai/website/v1/website.pb.h"
#include "libs/calendar/deadline.h"
#include "libs/idempotency/idempotency.h"
#include "services/website/scoring/evaluation.h"

namespace gongkai::website {

// NAT-1: what the notices table stores in rectify_by (DATE NOT NULL) while a notice's
// rectification deadline is pending — it reaches a year whose official calendar is not
// loaded yet. Never shown: such a notice has no rectify_by in the API. Later than every
// real day, so no "rectify_by < today" counts it overdue.
inline absl::CivilDay PendingRectifyByStandIn() { return calendar::PendingDayStandIn(); }

// One history line to write with a site change.
struct SiteChange {
  std::string actor;
  std::string action;  // "create", "change_state", "update_procedures"
  std::string old_state;
  std::string new_state;
  std::string detail;
};

// A probe slot a replica claimed.
struct ClaimedSlot {
  int64_t site_id = 0;
  absl::Time slot;
  std::optional<absl::Time> last_content_check;
};

struct RunProgress {
  std::vector<v1::SupervisionResult> results;  // With annual_report in ANNUAL_REPORT runs.
  int64_t cursor_site_id = 0;
  bool finished = false;
  // ANNUAL_REPORT: stored with the last batch (NAT-14).
  std::optional<v1::OfficeAnnualReport> office_report;
};

// What a site's annual report counts over a year (NAT-14), read from what is stored.
struct AnnualFacts {
  int64_t columns = 0;
  int64_t probes_made = 0;  // Scheduled, not forbidden by robots.txt.
  int64_t probes_failed = 0;
  std::vector<scoring::SlotGap> gaps;  // Overlapping the year.
  int64_t messages_received = 0;
  int64_t messages_answered = 0;  // Of those received in the year, answered.
  double answer_seconds_total = 0;
  int64_t severe_errors = 0;
  int64_t notices_issued = 0;
  int64_t notices_rectified = 0;
  int64_t evaluations = 0;  // Results of runs with as_of in the year.
  int64_t evaluations_failed = 0;
};

struct WebsiteGauges {
  std::vector<std::pair<int, int64_t>> sites_by_state;  // state number, count
  int64_t probes_overdue = 0;  // Slots due longer than one interval ago, unclaimed.
  int64_t runs_running = 0;
  int64_t notices_overdue = 0;  // Past rectify_by, not RECTIFIED.
  // Not RECTIFIED, rectify_by pending: its year's calendar is not loaded (NAT-1).
  int64_t notices_deadline_pending = 0;
};

// The compliance evidence of one unit (ASM-6 item 6).
struct UnitPlatformFacts {
  std::vector<int64_t> sites;                        // Registered, not shut down or migrated.
  std::vector<int64_t> sites_migrated;               // WEB-5.
  std::vector<int64_t> accounts_without_procedures;  // WEB-6.
  std::vector<int64_t> sites_failed;                 // Failed in a run with as_of in the period.
  std::vector<int64_t> sites_vetoed;
  std::vector<int64_t> sites_evaluated;
  std::vector<int64_t> notices_issued;   // Issued in the period.
  std::vector<int64_t> notices_overdue;  // Due in the period, not rectified (never pending).
  std::vector<int64_t> severe_errors;    // Found in the period.
};

class WebsiteRepository {
 public:
  virtual ~WebsiteRepository() = default;

  // ---- Register.
  // Inserts the site (id, version 1, times assigned), its "create" history line, its
  // probe schedule row when it is probed (first slot `first_slot`) and the idempotency
  // record of `key`, in one transaction.
  virtual absl::StatusOr<v1::Site> CreateSite(v1::Site site, const SiteChange& change,
                                              absl::Time first_slot, const idempotency::Key* key,
                                              absl::Time now) = 0;
  virtual absl::StatusOr<v1::Site> GetSite(int64_t id) = 0;
  // unit_id 0: every unit. Sites with id > after_id, by id.
  virtual absl::StatusOr<std::vector<v1::Site>> ListSites(int64_t unit_id, int64_t after_id,
                                                          int limit) = 0;
  // Stores `site` when its stored version is `site.version()` (ABORTED otherwise),
  // bumping the version; adds the history line; starts or stops probing as
  // `site.probed()` says.
  virtual absl::StatusOr<v1::Site> UpdateSite(v1::Site site, const SiteChange& change,
                                              absl::Time first_slot, absl::Time now) = 0;
  virtual absl::StatusOr<std::vector<v1::SiteHistoryEntry>> ListHistory(int64_t site_id,
                                                                        int64_t after_id,
                                                                        int limit) = 0;
  virtual absl::StatusOr<v1::Column> CreateColumn(v1::Column column, const idempotency::Key* key,
                                                  absl::Time now) = 0;
  virtual absl::StatusOr<std::vector<v1::Column>> ListColumns(int64_t site_id, int64_t after_id,
                                                              int limit) = 0;
  virtual absl::StatusOr<int64_t> CountColumns(int64_t site_id) = 0;

  // ---- Prober.
  // Claims up to `limit` slots due at `now` (unclaimed or whose claim expired), marking
  // them with `token` until `now + lease`.
  virtual absl::StatusOr<std::vector<ClaimedSlot>> ClaimDueSlots(const std::string& token,
                                                                 absl::Time now,
                                                                 absl::Duration lease,
                                                                 int limit) = 0;
  // Records a probe and the column results it carries. Scheduled (`claim_token` set):
  // also moves the site's schedule to `next_slot` and releases the claim, only while the
  // claim is still `claim_token`; a slot already recorded (another replica took it
  // over) changes nothing and returns ABORTED. `gap`: the slots missed before this one
  // (NAT-13), stored in the same transaction. Returns the probe with its id.
  virtual absl::StatusOr<v1::Probe> RecordProbe(v1::Probe probe,
                                                const std::optional<std::string>& claim_token,
                                                absl::Time next_slot, absl::Time now,
                                                const std::optional<scoring::SlotGap>& gap) = 0;
  // Gives a claimed slot back (the site vanished, the rules could not be read).
  virtual absl::Status ReleaseSlot(int64_t site_id, const std::string& token,
                                   absl::Time next_slot) = 0;
  // Newest first: probes with id < before_id (0: from the newest).
  virtual absl::StatusOr<std::vector<v1::Probe>> ListProbes(int64_t site_id, int64_t before_id,
                                                            int limit) = 0;

  // ---- Interaction and severe errors.
  // Inserts or updates by (site, external_id); returns how many were stored.
  virtual absl::StatusOr<int> UpsertMessages(int64_t site_id,
                                             const std::vector<v1::Message>& messages) = 0;
  virtual absl::StatusOr<v1::SevereError> CreateSevereError(v1::SevereError error,
                                                            const idempotency::Key* key,
                                                            absl::Time now) = 0;

  // ---- What an evaluation reads (EvaluationInput without the rules).
  // `window_start`/`end`: the availability window; `messages_since`: the oldest received
  // time whose late answer still counts; `severe_since`: the first day of the lookback.
  virtual absl::StatusOr<scoring::EvaluationInput> LoadEvaluationInput(
      const v1::Site& site, absl::CivilDay as_of, absl::Time window_start, absl::Time end,
      absl::Time messages_since, absl::CivilDay severe_since, absl::Duration timely) = 0;

  // ---- Supervision runs.
  // Inserts a RUNNING run with sites_total counted in the same transaction.
  virtual absl::StatusOr<v1::SupervisionRun> CreateRun(v1::SupervisionRun run,
                                                       const idempotency::Key* key,
                                                       absl::Time now) = 0;
  virtual absl::StatusOr<v1::SupervisionRun> GetRun(int64_t id) = 0;
  // RUNNING → CANCELLED; FAILED_PRECONDITION when the run already ended.
  virtual absl::StatusOr<v1::SupervisionRun> CancelRun(int64_t id, absl::Time now) = 0;
  // Claims one RUNNING run nobody holds (or whose claim expired).
  virtual absl::StatusOr<std::optional<v1::SupervisionRun>> ClaimRun(const std::string& token,
                                                                     absl::Time now,
                                                                     absl::Duration lease) = 0;
  // The sites a run of `kind` covers, with id > after_site_id, by id.
  virtual absl::StatusOr<std::vector<v1::Site>> SitesForRun(v1::RunKind kind, int64_t after_site_id,
                                                            int limit) = 0;
  // Stores a batch's results and advances the cursor while the run is RUNNING and still
  // claimed by `token` (ABORTED otherwise: cancelled, or taken over); finishes it when
  // progress.finished. Extends the claim to now + lease.
  virtual absl::Status RecordRunProgress(int64_t run_id, const std::string& token,
                                         const RunProgress& progress, absl::Time now,
                                         absl::Duration lease) = 0;
  // Gives a claimed run back at once (a replica shutting down cleanly): another replica
  // resumes it without waiting for the lease.
  virtual absl::Status ReleaseRun(int64_t run_id, const std::string& token) = 0;
  // NAT-14: the facts of a site's annual report for [from, to] (Asia/Shanghai days;
  // `start`/`end` the same range as instants).
  virtual absl::StatusOr<AnnualFacts> LoadAnnualFacts(const v1::Site& site, absl::CivilDay from,
                                                      absl::CivilDay to, absl::Time start,
                                                      absl::Time end) = 0;
  virtual absl::StatusOr<std::vector<v1::SupervisionResult>> ListResults(int64_t run_id,
                                                                         int64_t after_site_id,
                                                                         int limit) = 0;

  // ---- Notices.
  virtual absl::StatusOr<v1::Notice> CreateNotice(v1::Notice notice, const idempotency::Key* key,
                                                  absl::Time now) = 0;
  virtual absl::StatusOr<v1::Notice> GetNotice(int64_t id) = 0;
  virtual absl::StatusOr<std::vector<v1::Notice>> ListNotices(int64_t unit_id, int64_t after_id,
                                                              int limit) = 0;
  // Stores `notice` when its stored version is notice.version() (ABORTED otherwise).
  virtual absl::StatusOr<v1::Notice> UpdateNotice(v1::Notice notice, absl::Time now) = 0;
  // Notices not RECTIFIED, in id order after `after_id`, at most `limit` (NAT-1: their
  // rectification deadlines follow a loaded or replaced calendar year), pending ones
  // included.
  virtual absl::StatusOr<std::vector<v1::Notice>> ListUnrectifiedNotices(int64_t after_id,
                                                                         int limit) = 0;
  // Stores the notice's rectify_by (unset: pending, PendingRectifyByStandIn()) and
  // rectify_by_explanation, nothing else, when its stored version is notice.version()
  // (ABORTED otherwise); the version goes up by one, as on any change a reader can see.
  virtual absl::StatusOr<v1::Notice> UpdateRectifyBy(v1::Notice notice, absl::Time now) = 0;

  // ---- Gauges and evidence.
  virtual absl::StatusOr<WebsiteGauges> ReadGauges(absl::Time now, absl::Duration probe_interval,
                                                   absl::CivilDay today) = 0;
  // notices_overdue: unrectified notices whose rectify_by is in [from, to] and before
  // `today` (WEB-4: not yet due is not overdue; a pending deadline never is).
  virtual absl::StatusOr<UnitPlatformFacts> ReadUnitPlatformFacts(int64_t unit_id,
                                                                  absl::CivilDay from,
                                                                  absl::CivilDay to,
                                                                  absl::CivilDay today) = 0;

  virtual absl::StatusOr<std::optional<std::string>> FindIdempotentResponse(
      const idempotency::Key& key) = 0;
};

}  // namespace gongkai::website

#endif  // GONGKAI_SERVICES_WEBSITE_WEBSITE_REPOSITORY_H_
