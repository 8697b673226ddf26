// Storage of the annual report (CAT-9, NAT-10): the narrow interface the report's domain
// rules (annual_reports.h) depend on. mysql_report_repository.h implements it with
// aggregate GROUP BY queries over the catalog's documents, the disclosure-request
// tables (read only) and the report's own tables; unit tests use
// fake_report_repository.h.
//
//   ASSIGN_OR_RETURN(std::vector<RequestTally> tallies,
//                    repository.CountRequests(/*unit_id=*/0, YearRange::Of(2025)));
//
// Contracts every implementation keeps:
// - unit_id 0 means every unit (the whole government); otherwise only that unit's rows.
// - Tallies classify each row against the year exactly as ClassifyReceived /
//   ClassifyAnswered / DecidedByYearEnd (report_tables.h) say.
// - Writes are one transaction each, with their audit entry. Optimistic concurrency:
//   a write names the version it was computed from (0: nothing stored yet); a
//   mismatch, or a row not in the state the write starts from, is ABORTED and nothing
//   is written. Every write increments the version.
// - States: DRAFT --StartPublication--> PUBLISHING --CompletePublication--> PUBLISHED.
//   While PUBLISHING, RecordPublicationDocument sets the document id once, and
//   TakeOverPublication (only before the document exists) moves the publication to
//   another user.
// Thread-safe: called concurrently from gRPC worker threads.
#ifndef GONGKAI_SERVICES_CATALOG_ANNUAL_REPORT_REPORT_REPOSITORY_H_
#define GONGKAI_SERVICES_CATALOG_ANNUAL_REPORT_REPORT_REPOSITORY_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gongkai/catalog/v1/annual_report.pb.h"
#include "gongkai/catalog/v1/catalog.pb.h"

namespace gongkai::catalog::annual_report {

namespace v1 = ::gongkai::catalog::v1;

// The report year as civil days (Asia/Shanghai) and instants.
struct YearRange {
  int year = 0;
  absl::CivilDay first;   // Jan 1.
  absl::CivilDay last;    // Dec 31.
  absl::Time start;       // Jan 1 00:00 Asia/Shanghai.
  absl::Time next_start;  // Jan 1 of the next year, 00:00 Asia/Shanghai.

  static YearRange Of(int year);
};

// When a request was received, relative to the report year. Requests received after
// the year are never returned.
enum class Received { kBeforeYear, kInYear };
// When a request was answered (answered_on), relative to the report year.
enum class Answered { kOpen, kBeforeYear, kInYear, kAfterYear };

// The number of requests sharing one applicant type, outcome and classification.
struct RequestTally {
  int applicant_type = 0;  // v1::ApplicantType number as stored.
  int outcome = 0;         // v1::RequestOutcome number; 0 when none is recorded.
  Received received = Received::kInYear;
  Answered answered = Answered::kOpen;
  int64_t count = 0;
};

// The number of review/litigation cases filed in the year sharing one kind and result.
struct ChallengeTally {
  int kind = 0;                      // v1::ChallengeKind number.
  int result = 0;                    // v1::ChallengeResult number as stored now.
  bool decided_by_year_end = false;  // decided_on is set and on or before Dec 31.
  int64_t count = 0;
};

// Published policy documents (is_policy_document) of the scope, classified as
// RepealedInYear / InForceAtYearEnd (report_tables.h) say (NAT-10 Table 2).
struct PolicyDocumentCounts {
  int64_t published_in_year = 0;      // publish_time in [start, next_start).
  int64_t published_by_year_end = 0;  // publish_time before next_start.
  int64_t repealed_in_year = 0;       // repealed_on in [first, last].
  // publish_time before next_start and not repealed on or before Dec 31.
  int64_t in_force_at_year_end = 0;
};

struct ReportUnit {
  int64_t id = 0;
  std::string name;
  v1::UnitLevel level = v1::UNIT_LEVEL_UNSPECIFIED;
};

// One stored report: the entered inputs of a draft, or the snapshot once frozen.
struct StoredReport {
  int64_t id = 0;
  int year = 0;
  int64_t unit_id = 0;
  v1::AnnualReportState state = v1::ANNUAL_REPORT_DRAFT;
  v1::AnnualReportInputs inputs;
  // Set from StartPublication on: the report exactly as it is (being) published, its
  // state and document_id those of the row, its version the row's.
  std::optional<v1::AnnualReport> snapshot;
  // The catalog document; 0 until RecordPublicationDocument.
  int64_t document_id = 0;
  int64_t version = 0;
  absl::Time update_time;
  // When the publication started (the snapshot's publish_time).
  std::optional<absl::Time> publish_time;
  // Who holds the publication (started it or last took it over), and since when; ""
  // and nullopt for a draft.
  std::string publication_started_by;
  std::optional<absl::Time> publication_started_at;
};

struct ReportAudit {
  std::string actor;
  // "save", "publish_started", "publish_taken_over", "publish_document", "publish".
  std::string action;
  std::string detail;
  absl::Time time;
};

class AnnualReportRepository {
 public:
  virtual ~AnnualReportRepository() = default;

  // ---- Aggregates (read only) ----
  // Requests of the scope received on or before the year's last day.
  virtual absl::StatusOr<std::vector<RequestTally>> CountRequests(int64_t unit_id,
                                                                  const YearRange& year) = 0;
  // Review and litigation cases of the scope filed in the year.
  virtual absl::StatusOr<std::vector<ChallengeTally>> CountChallenges(int64_t unit_id,
                                                                      const YearRange& year) = 0;
  virtual absl::StatusOr<PolicyDocumentCounts> CountPolicyDocuments(int64_t unit_id,
                                                                    const YearRange& year) = 0;

  // ---- Units ----
  virtual absl::StatusOr<std::optional<ReportUnit>> FindUnit(int64_t id) = 0;
  // Every unit, by id.
  virtual absl::StatusOr<std::vector<ReportUnit>> ListUnits() = 0;

  // ---- Stored reports ----
  virtual absl::StatusOr<std::optional<StoredReport>> FindReport(int year, int64_t unit_id) = 0;
  // Stores the inputs of a draft: inserts when expected_version is 0, else updates the
  // draft at that version (version + 1). ABORTED on a version mismatch, a concurrent
  // insert, or a report whose publication started meanwhile.
  virtual absl::StatusOr<StoredReport> SaveDraft(int year, int64_t unit_id,
                                                 const v1::AnnualReportInputs& inputs,
                                                 int64_t expected_version,
                                                 const ReportAudit& audit) = 0;
  // Step A of a publication: freezes `snapshot` (its publish_time is the row's) with
  // state PUBLISHING and no document, inserting (expected_version 0) or updating the
  // DRAFT at expected_version; `audit.actor` / `audit.time` hold the publication.
  // ABORTED on a version mismatch, a concurrent insert, or a row that is not a draft.
  virtual absl::StatusOr<StoredReport> StartPublication(const v1::AnnualReport& snapshot,
                                                        int64_t expected_version,
                                                        const ReportAudit& audit) = 0;
  // Moves a PUBLISHING report without a document at expected_version to `audit.actor`
  // from `audit.time` on. ABORTED otherwise.
  virtual absl::StatusOr<StoredReport> TakeOverPublication(int year, int64_t unit_id,
                                                           int64_t expected_version,
                                                           const ReportAudit& audit) = 0;
  // Records the catalog document (> 0) of a PUBLISHING report without one, at
  // expected_version (row and snapshot). ABORTED otherwise.
  virtual absl::StatusOr<StoredReport> RecordPublicationDocument(int year, int64_t unit_id,
                                                                 int64_t document_id,
                                                                 int64_t expected_version,
                                                                 const ReportAudit& audit) = 0;
  // Step C: a PUBLISHING report with its document, at expected_version, becomes
  // PUBLISHED (row and snapshot). ABORTED otherwise.
  virtual absl::StatusOr<StoredReport> CompletePublication(int year, int64_t unit_id,
                                                           int64_t expected_version,
                                                           const ReportAudit& audit) = 0;
  // Reports of `year` (0: every year), PUBLISHED only unless include_drafts (then also
  // DRAFT and PUBLISHING), by id descending, after `after_id` (0: from the top), at
  // most `limit`.
  virtual absl::StatusOr<std::vector<StoredReport>> ListReports(int year, bool include_drafts,
                                                                int64_t after_id, int limit) = 0;
};

}  // namespace gongkai::catalog::annual_report

#endif  // GONGKAI_SERVICES_CATALOG_ANNUAL_REPORT_REPORT_REPOSITORY_H_
