// Storage of disclosure requests, their history and their Table 4 challenges (CAT-8):
// the interface the domain rules (disclosure_requests.h) depend on.
// mysql_request_repository.h implements it on MySQL (tables of migration 0005); unit
// tests use MockRequestRepository.
//
// Contracts every implementation keeps (as services/catalog/repository_types.h):
// - Each mutating call is one transaction: the change, its history event and, for
//   creates, the idempotency record (table idempotency_keys) commit together or not at
//   all.
// - Updates name the version they were computed from; a mismatch is ABORTED.
// - NOT_FOUND names the missing resource.
// - Lists are keyset-paginated by id, newest first; `after_id` = 0 starts at the top.
// Thread-safe: called concurrently from gRPC worker threads.
#ifndef GONGKAI_SERVICES_CATALOG_REQUESTS_REQUEST_REPOSITORY_H_
#define GONGKAI_SERVICES_CATALOG_REQUESTS_REQUEST_REPOSITORY_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gongkai/catalog/v1/disclosure_requests.pb.h"
#include "services/catalog/repository_types.h"

namespace gongkai::catalog::requests {

namespace v1 = ::gongkai::catalog::v1;

// One history line: who, what, the state change, the civil day it took effect.
struct RequestEvent {
  std::string actor;
  std::string action;
  v1::DisclosureRequestState old_state = v1::DISCLOSURE_REQUEST_STATE_UNSPECIFIED;
  v1::DisclosureRequestState new_state = v1::DISCLOSURE_REQUEST_STATE_UNSPECIFIED;
  absl::CivilDay event_on;
  std::string detail;
  absl::Time time;
};

// What the "most requested" grouping (most_requested.h, CAT-7) reads of one request.
struct RequestDescription {
  int64_t id = 0;
  std::string subject;
  std::string applicant_key;  // Hash of the identity document number (NAT-9).
  v1::RequestOutcome outcome = v1::REQUEST_OUTCOME_UNSPECIFIED;  // Unset while open.
  int64_t already_public_document_id = 0;
  std::string already_public_reference;
};

// What is stored with a new request besides its proto.
struct RequestSecrets {
  std::string secret_sha256;  // Hex SHA-256 of the tracking secret.
  std::string applicant_key;  // Hex HMAC-SHA256 of the normalized identity document number.
};

struct RequestFilter {
  int64_t unit_id = 0;  // 0: every unit.
  v1::DisclosureRequestState state = v1::DISCLOSURE_REQUEST_STATE_UNSPECIFIED;
  v1::ApplicantType applicant_type = v1::APPLICANT_TYPE_UNSPECIFIED;
  // received_on in [received_from, received_to].
  std::optional<absl::CivilDay> received_from;
  std::optional<absl::CivilDay> received_to;
  // Only requests whose reply clock runs (not answered, not awaiting correction) and
  // whose stored reply due date is on or before this day.
  std::optional<absl::CivilDay> reply_due_by;
};

// Counts behind the business gauges.
struct RequestCounts {
  std::map<v1::DisclosureRequestState, int64_t> by_state;
  int64_t overdue = 0;   // Reply due before today, clock running.
  int64_t due_soon = 0;  // Reply due today .. due_soon_by, clock running.
};

// The annual report's Table 3 input (NAT-10): requests received on or before the
// year's last day, counted per applicant type, outcome (0: none recorded), whether
// received before the year, and when answered relative to the year.
struct RequestYearTally {
  enum class Answered { kOpen, kBeforeYear, kInYear, kAfterYear };
  int applicant_type = 0;  // v1::ApplicantType number as stored.
  int outcome = 0;         // v1::RequestOutcome number; 0 when none is recorded.
  bool received_before_year = false;
  Answered answered = Answered::kOpen;
  int64_t count = 0;
};

// The annual report's Table 4 input: review and litigation cases filed in the year,
// per kind, result as stored now, and whether decided on or before the year's end.
struct ChallengeYearTally {
  int kind = 0;    // v1::ChallengeKind number.
  int result = 0;  // v1::ChallengeResult number.
  bool decided_by_year_end = false;
  int64_t count = 0;
};

// One unit and period of the compliance evidence (ASM-6 item 11).
struct RequestEvidencePeriod {
  int64_t unit_id = 0;
  absl::CivilDay first;  // Both included (Asia/Shanghai).
  absl::CivilDay last;
  // The last day of the period that has passed (the earlier of `last` and yesterday):
  // a request is open and overdue when, at that day's end, it was unanswered and its
  // stored reply due date had passed. No overdue count when it is before `first`.
  absl::CivilDay overdue_by;
};

// The requests the unit handles (current unit_id) behind inspection item 11 (CAT-8).
struct RequestEvidence {
  IdSample received;  // received_on in the period (NAT-5).
  IdSample answered;  // answered_on in the period.
  // Answered in the period, against the stored reply_due_on (NAT-7, extension and
  // paused days included): on or before it / after it.
  IdSample answered_on_time;
  IdSample answered_late;
  // Received by overdue_by, reply_due_on on or before it, and at its end unanswered with
  // the reply clock running (answered later, or still open and not awaiting correction).
  IdSample open_overdue;
  // Request ids of administrative reviews and lawsuits filed in the period (NAT-10
  // Table 4), and of those whose result is CORRECTED.
  IdSample challenged;
  IdSample challenge_corrected;
  // Answered in the period without a stored due date (its calendar year not loaded).
  int64_t answered_without_due_date = 0;
};

class RequestRepository {
 public:
  virtual ~RequestRepository() = default;

  virtual absl::StatusOr<std::optional<std::string>> FindIdempotentResponse(
      const IdempotencyKey& key) = 0;

  // Stores a new request (id, create/update time and version 1 assigned here from
  // `event.time`) with its first history event; the idempotency record holds the
  // serialized stored request. ALREADY_EXISTS when the tracking code or the
  // idempotency key is taken.
  virtual absl::StatusOr<v1::DisclosureRequest> CreateRequest(const v1::DisclosureRequest& request,
                                                              const RequestSecrets& secrets,
                                                              const RequestEvent& event,
                                                              const IdempotencyKey* key) = 0;
  virtual absl::StatusOr<v1::DisclosureRequest> GetRequest(int64_t id) = 0;
  // The request with this tracking code and its secret's hash. NOT_FOUND otherwise.
  struct Tracked {
    v1::DisclosureRequest request;
    std::string secret_sha256;
  };
  virtual absl::StatusOr<Tracked> FindByTrackingCode(const std::string& tracking_code) = 0;
  // Replaces the stored request if its version is still `expected_version`, appending
  // `event` to its history; version becomes expected_version + 1.
  virtual absl::StatusOr<v1::DisclosureRequest> UpdateRequest(const v1::DisclosureRequest& request,
                                                              int64_t expected_version,
                                                              const RequestEvent& event) = 0;
  // Replaces the tracking secret's hash of request `id` if it is still at
  // `expected_version`, appending `event`; returns the new version (expected + 1).
  virtual absl::StatusOr<int64_t> ReplaceTrackingSecret(int64_t id, int64_t expected_version,
                                                        const std::string& secret_sha256,
                                                        const RequestEvent& event) = 0;
  virtual absl::StatusOr<std::vector<v1::DisclosureRequest>> ListRequests(
      const RequestFilter& filter, const KeysetPage& page) = 0;
  // Rewrites the stored clock columns (correction, consultation and reply due dates, the
  // reply deadline with its explanation and calendar versions) from `request`'s clock
  // fields, if the request is still at `request.version()`. They are derived from the
  // calendar, not edited: the version stays and no history event is added. true when
  // something was written; false when the request changed meanwhile or its stored
  // clocks already were these.
  virtual absl::StatusOr<bool> RefreshClocks(const v1::DisclosureRequest& request) = 0;
  // Oldest first.
  virtual absl::StatusOr<std::vector<v1::DisclosureRequestEvent>> ListHistory(
      int64_t request_id) = 0;
  // Oldest first, at most `page.limit` events with ids above `page.after_id`.
  virtual absl::StatusOr<std::vector<v1::DisclosureRequestEvent>> ListHistoryPage(
      int64_t request_id, const KeysetPage& page) = 0;

  // NAT-9: the place of request `request_id` among the requests of the same applicant
  // to the same unit received in the same calendar month (ordered by receipt date,
  // then id); 1 for the first.
  virtual absl::StatusOr<int> ApplicantOrdinalInMonth(int64_t request_id) = 0;

  // The annual report's tallies (services/catalog/annual_report/) of unit `unit_id`
  // (0: every unit) for the year [first, last].
  virtual absl::StatusOr<std::vector<RequestYearTally>> TallyRequestsForYear(
      int64_t unit_id, absl::CivilDay first, absl::CivilDay last) = 0;
  virtual absl::StatusOr<std::vector<ChallengeYearTally>> TallyChallengesForYear(
      int64_t unit_id, absl::CivilDay first, absl::CivilDay last) = 0;

  // CAT-7: what the requests of unit `unit_id` received in [first, last] asked for (the
  // input of most_requested.h's grouping): up to `limit` of them with id > `after_id`,
  // by id (a keyset batch).
  virtual absl::StatusOr<std::vector<RequestDescription>> ListRequestDescriptions(
      int64_t unit_id, absl::CivilDay first, absl::CivilDay last, int64_t after_id, int limit) = 0;

  // ---- NAT-10 Table 4 ----
  // Stores a new challenge with a "challenge_recorded" event on its request.
  virtual absl::StatusOr<v1::DisclosureChallenge> CreateChallenge(
      const v1::DisclosureChallenge& challenge, const RequestEvent& event,
      const IdempotencyKey* key) = 0;
  virtual absl::StatusOr<v1::DisclosureChallenge> GetChallenge(int64_t id) = 0;
  // Replaces result, decided_on and note (update_time from `event.time`).
  virtual absl::StatusOr<v1::DisclosureChallenge> UpdateChallenge(
      const v1::DisclosureChallenge& challenge, const RequestEvent& event) = 0;
  // Oldest first.
  virtual absl::StatusOr<std::vector<v1::DisclosureChallenge>> ListChallenges(
      int64_t request_id) = 0;

  // The compliance evidence of one unit and period (ASM-6 item 11).
  virtual absl::StatusOr<RequestEvidence> EvidenceForUnit(const RequestEvidencePeriod& period) = 0;

  // For the gauges: `today` decides overdue, [today, due_soon_by] due soon.
  virtual absl::StatusOr<RequestCounts> CountRequests(absl::CivilDay today,
                                                      absl::CivilDay due_soon_by) = 0;
};

}  // namespace gongkai::catalog::requests

#endif  // GONGKAI_SERVICES_CATALOG_REQUESTS_REQUEST_REPOSITORY_H_
