// The opinion-response rules (OPI-1..OPI-5, NAT-12) without gRPC or SQL: who may do
// what, input checks, the workflow, OPI-2 routing, the OPI-4 clocks of a grade and what
// answers do to them, contradicting answers, the supervision view. One method per RPC of
// gongkai.opinion.v1.OpinionService (opinion_handler.h calls them).
//
//   collected → consulted (会商) → assessed (研判) → responding → evaluated → closed
//
// Roles (libs/auth/principal.h), checked here, not only at the gateway:
//   collect                  STAFF, HEAD (own unit collects), OFFICE, ADMIN
//   consult, assess, answer  STAFF, HEAD of a responsible unit; OFFICE, ADMIN
//   request a supplementary  STAFF, HEAD of a responsible unit; OFFICE, ADMIN
//   interpretation (INT-2)
//   decide not to respond    HEAD of a responsible unit; OFFICE, ADMIN
//   evaluate                 STAFF, HEAD of the lead unit; OFFICE, ADMIN
//   close                    HEAD of the lead unit; OFFICE, ADMIN
//   reassign (OPI-2)         OFFICE, ADMIN
//   leader's instruction     OFFICE, SUPERVISION, ADMIN
//   read                     STAFF, HEAD of the collecting or a responsible unit;
//                            OFFICE, SUPERVISION, INSPECTOR, ADMIN
//   supervised view (OPI-5)  SUPERVISION, OFFICE, ADMIN
// Errors: INVALID_ARGUMENT with field violations (nothing written), NOT_FOUND, ABORTED
// for a stale expected_version, FAILED_PRECONDITION for a step out of order (type
// "STATE"), an answer while contradictions wait ("CONTRADICTION"), a close without an
// answer or a decision ("NO_RESPONSE").
//
// Thread-safe: holds no mutable state of its own.
#ifndef GONGKAI_SERVICES_OPINION_EVENTS_OPINION_EVENTS_H_
#define GONGKAI_SERVICES_OPINION_EVENTS_OPINION_EVENTS_H_

#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "gongkai/opinion/v1/opinion.pb.h"
#include "libs/auth/principal.h"
#include "libs/clock/clock.h"
#include "libs/rules/rule_book.h"
#include "services/opinion/events/event_repository.h"
#include "services/opinion/routing/routing.h"

namespace gongkai::opinion::events {

// Told about what happened, for counters and to wake the scheduler. May be null.
class EventObserver {
 public:
  virtual ~EventObserver() = default;
  virtual void EventCollected(const v1::OpinionEvent& event) = 0;
  virtual void ResponseRecorded(const v1::EventResponse& response, bool contradicts) = 0;
  // Clocks were started or changed: the scheduler's next fire time may be earlier.
  virtual void ClocksChanged() = 0;
  // INT-2/OPI-1: a supplementary interpretation request committed with its outbox event:
  // wake the relay (after the commit).
  virtual void InterpretationSupplementRequested() {}
};

class OpinionEvents {
 public:
  // All pointers must outlive this object; `observer` may be null.
  OpinionEvents(EventRepository* repository, const routing::UnitLookup* units,
                std::shared_ptr<const rules::RuleBook> rules, const Clock* clock,
                EventObserver* observer)
      : repository_(repository),
        units_(units),
        rules_(std::move(rules)),
        clock_(clock),
        observer_(observer) {}

  absl::StatusOr<v1::OpinionEvent> CollectEvent(const auth::Principal& caller,
                                                const v1::CollectEventRequest& request);
  absl::StatusOr<v1::OpinionEvent> GetEvent(const auth::Principal& caller,
                                            const v1::GetEventRequest& request);
  absl::StatusOr<v1::ListEventsResponse> ListEvents(const auth::Principal& caller,
                                                    const v1::ListEventsRequest& request);
  absl::StatusOr<v1::ListEventHistoryResponse> ListEventHistory(
      const auth::Principal& caller, const v1::ListEventHistoryRequest& request);
  absl::StatusOr<v1::OpinionEvent> RecordConsultation(const auth::Principal& caller,
                                                      const v1::RecordConsultationRequest& request);
  absl::StatusOr<v1::OpinionEvent> RecordAssessment(const auth::Principal& caller,
                                                    const v1::RecordAssessmentRequest& request);
  absl::StatusOr<v1::OpinionEvent> ReassignEvent(const auth::Principal& caller,
                                                 const v1::ReassignEventRequest& request);
  absl::StatusOr<v1::OpinionEvent> RecordLeaderInstruction(
      const auth::Principal& caller, const v1::RecordLeaderInstructionRequest& request);
  absl::StatusOr<v1::OpinionEvent> RecordResponse(const auth::Principal& caller,
                                                  const v1::RecordResponseRequest& request);
  absl::StatusOr<v1::OpinionEvent> DecideNotToRespond(const auth::Principal& caller,
                                                      const v1::DecideNotToRespondRequest& request);
  absl::StatusOr<v1::OpinionEvent> RequestInterpretationSupplement(
      const auth::Principal& caller, const v1::RequestInterpretationSupplementRequest& request);
  absl::StatusOr<v1::OpinionEvent> RecordEvaluation(const auth::Principal& caller,
                                                    const v1::RecordEvaluationRequest& request);
  absl::StatusOr<v1::OpinionEvent> CloseEvent(const auth::Principal& caller,
                                              const v1::CloseEventRequest& request);
  absl::StatusOr<v1::ListEventsResponse> ListSupervisedEvents(
      const auth::Principal& caller, const v1::ListSupervisedEventsRequest& request);
  absl::StatusOr<v1::ListEscalationsResponse> ListEscalations(
      const auth::Principal& caller, const v1::ListEscalationsRequest& request);

 private:
  // Loads, authorizes with `may_change`, and applies `change` in one transaction.
  absl::StatusOr<v1::OpinionEvent> Change(
      const auth::Principal& caller, int64_t id, int64_t expected_version,
      const std::function<absl::Status(const auth::Principal&, const v1::OpinionEvent&)>&
          may_change,
      const std::function<absl::StatusOr<EventChange>(const v1::OpinionEvent&)>& change,
      const idempotency::Key* key = nullptr);
  // Adds the output-only fields (late clocks, needs_consultation).
  v1::OpinionEvent Present(v1::OpinionEvent event) const;

  EventRepository* repository_;
  const routing::UnitLookup* units_;
  std::shared_ptr<const rules::RuleBook> rules_;
  const Clock* clock_;
  EventObserver* observer_;
};

}  // namespace gongkai::opinion::events

#endif  // GONGKAI_SERVICES_OPINION_EVENTS_OPINION_EVENTS_H_
