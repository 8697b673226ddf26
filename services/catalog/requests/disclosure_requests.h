// The domain rules of disclosure on request (CAT-8, NAT-5 to NAT-9, NAT-10 Table 4):
// filing, tracking without an account, the lifecycle and its clocks, outcomes, fees,
// and the "most requested" list of CAT-7. Review and litigation records (NAT-10 Table
// 4) are challenges.h.
//
// Pure C++ over RequestRepository: no gRPC, no SQL. Units and published documents are
// looked up through their modules' interfaces (units::UnitRepository,
// documents::DocumentRepository), never their tables. The handler (request_handler.h)
// authenticates the caller and passes the principal in; every method validates its
// input (INVALID_ARGUMENT naming each bad field, nothing written), checks the caller's
// right with the one rule table in request_checks.h, applies the state and clock
// rules (request_rules.h, fees.h), and writes through the repository in one
// transaction with a history event.
//
//   DisclosureRequests requests(repository.get(), units, documents, calendar, &clock,
//                               &metrics, applicant_key_secret);
//   ASSIGN_OR_RETURN(v1::FileRequestResponse filed, requests.FileRequest(caller, req));
//
// Every request returned carries its clocks freshly computed on the loaded calendars
// (correction, consultation and reply deadlines with their explanations, `overdue`).
//
// Thread-safe: holds no mutable state of its own.
#ifndef GONGKAI_SERVICES_CATALOG_REQUESTS_DISCLOSURE_REQUESTS_H_
#define GONGKAI_SERVICES_CATALOG_REQUESTS_DISCLOSURE_REQUESTS_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "gongkai/catalog/v1/disclosure_requests.pb.h"
#include "libs/auth/principal.h"
#include "libs/calendar/working_day_calendar.h"
#include "libs/clock/clock.h"
#include "libs/rules/rule_book.h"
#include "services/catalog/documents/document_repository.h"
#include "services/catalog/requests/most_requested.h"
#include "services/catalog/requests/request_repository.h"
#include "services/catalog/units/unit_repository.h"

namespace gongkai::catalog::requests {

// Told about business events, for metrics. Implementations must be thread-safe.
class RequestObserver {
 public:
  virtual ~RequestObserver() = default;
  virtual void RequestFiled(v1::RequestChannel channel) = 0;
  // `late`: answered after the reply was due.
  virtual void RequestAnswered(v1::RequestOutcome outcome, bool late) = 0;
};

class DisclosureRequests {
 public:
  // Returns `chars` random characters for tracking codes and secrets.
  using TokenSource = std::function<std::string(int chars)>;

  // Pointers must outlive the object; `observer` may be null. `applicant_key_secret`
  // keys the hash that stands for an applicant's identity document number (NAT-9
  // counts per applicant; the number itself is never stored): keep it secret and
  // stable, a new secret starts every applicant's monthly count afresh. `tokens`
  // defaults to the CSPRNG (tracking_secret.h). `rules` holds catalog.fees (NAT-9,
  // fees.h), read for the version in effect on a request's receipt day.
  DisclosureRequests(RequestRepository* repository, units::UnitRepository* units,
                     documents::DocumentRepository* documents,
                     std::shared_ptr<calendar::WorkingDayCalendar> calendar,
                     std::shared_ptr<const rules::RuleBook> rules, const Clock* clock,
                     RequestObserver* observer, std::string applicant_key_secret,
                     TokenSource tokens = nullptr);

  absl::StatusOr<v1::FileRequestResponse> FileRequest(const auth::Principal& caller,
                                                      const v1::FileRequestRequest& request);
  // NOT_FOUND, the same for an unknown code and a wrong secret.
  absl::StatusOr<v1::TrackRequestResponse> TrackRequest(const auth::Principal& caller,
                                                        const v1::TrackRequestRequest& request);
  absl::StatusOr<v1::DisclosureRequest> GetRequest(const auth::Principal& caller,
                                                   const v1::GetRequestRequest& request);
  absl::StatusOr<v1::ListRequestsResponse> ListRequests(const auth::Principal& caller,
                                                        const v1::ListRequestsRequest& request);
  absl::StatusOr<v1::ListRequestsResponse> ListDueRequests(
      const auth::Principal& caller, const v1::ListDueRequestsRequest& request);
  absl::StatusOr<v1::ListRequestHistoryResponse> ListRequestHistory(
      const auth::Principal& caller, const v1::ListRequestHistoryRequest& request);

  absl::StatusOr<v1::DisclosureRequest> IssueCorrectionNotice(
      const auth::Principal& caller, const v1::IssueCorrectionNoticeRequest& request);
  absl::StatusOr<v1::DisclosureRequest> RecordCorrection(
      const auth::Principal& caller, const v1::RecordCorrectionRequest& request);
  absl::StatusOr<v1::DisclosureRequest> AssignRequest(const auth::Principal& caller,
                                                      const v1::AssignRequestRequest& request);
  absl::StatusOr<v1::DisclosureRequest> StartThirdPartyConsultation(
      const auth::Principal& caller, const v1::StartThirdPartyConsultationRequest& request);
  absl::StatusOr<v1::DisclosureRequest> EndThirdPartyConsultation(
      const auth::Principal& caller, const v1::EndThirdPartyConsultationRequest& request);
  absl::StatusOr<v1::ResetTrackingSecretResponse> ResetTrackingSecret(
      const auth::Principal& caller, const v1::ResetTrackingSecretRequest& request);
  absl::StatusOr<v1::DisclosureRequest> ExtendRequest(const auth::Principal& caller,
                                                      const v1::ExtendRequestRequest& request);
  absl::StatusOr<v1::FeeQuote> QuoteFee(const auth::Principal& caller,
                                        const v1::QuoteFeeRequest& request);
  absl::StatusOr<v1::DisclosureRequest> AnswerRequest(const auth::Principal& caller,
                                                      const v1::AnswerRequestRequest& request);

  absl::StatusOr<v1::ListMostRequestedResponse> ListMostRequested(
      const auth::Principal& caller, const v1::ListMostRequestedRequest& request);

  // CAT-7: the whole list the annual self-review stores (most_requested.h), for
  // CatalogModules::SetMostRequestedSource. No authorization: the self-review checks its own.
  absl::StatusOr<YearMostRequested> MostRequestedForSelfReview(int64_t unit_id, int year);

  // Brings the stored clocks of open requests up to the loaded calendars and returns
  // how many changed. Reads always recompute, but the overdue and due-soon lists and
  // gauges select on the stored reply due date: a request filed while a year of its
  // period was not loaded has none, and a revised calendar moves it. Run after a
  // calendar year is loaded or replaced; stops with CANCELLED when `cancelled()`.
  absl::StatusOr<int> RecomputeStoredClocks(const std::function<bool()>& cancelled);

  // Fills the clock fields (correction, consultation and reply deadlines with their
  // explanations and catalog.requests rules, `overdue`) from the request's facts, on the
  // current calendars and rule sets (request_clocks.h). A
  // period reaching a year whose calendar is not loaded keeps its start and length,
  // without a due date (NAT-1: never a guess). Errors other than that are returned.
  absl::Status ApplyClocks(v1::DisclosureRequest& request) const;

 private:
  // One keyset page of requests matching `filter`, with their clocks applied.
  absl::StatusOr<v1::ListRequestsResponse> ListPage(const RequestFilter& filter,
                                                    int32_t requested_page_size,
                                                    const std::string& page_token);
  absl::StatusOr<v1::DisclosureRequest> Load(int64_t id) const;
  // Checks the caller's expected version, stores `updated` with its event.
  absl::StatusOr<v1::DisclosureRequest> Store(const auth::Principal& caller,
                                              const v1::DisclosureRequest& current,
                                              v1::DisclosureRequest updated,
                                              int64_t expected_version, absl::string_view action,
                                              std::string detail);
  absl::CivilDay Today() const;
  // The stored stand-in for an identity document number.
  std::string ApplicantKey(absl::string_view id_number) const;

  RequestRepository* repository_;
  units::UnitRepository* units_;              // The units module: does a unit exist?
  documents::DocumentRepository* documents_;  // The documents module: already public?
  std::shared_ptr<calendar::WorkingDayCalendar> calendar_;
  std::shared_ptr<const rules::RuleBook> rules_;
  const Clock* clock_;
  RequestObserver* observer_;
  std::string applicant_key_secret_;
  TokenSource tokens_;
};

}  // namespace gongkai::catalog::requests

#endif  // GONGKAI_SERVICES_CATALOG_REQUESTS_DISCLOSURE_REQUESTS_H_
