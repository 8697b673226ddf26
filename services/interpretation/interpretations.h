// The interpretation service's rules (INT-1 to INT-4): drafting an interpretation of a
// policy document by its interpreting unit, the nine sections, the plan and materials
// approved by the unit's principal head, release with the document's publication (the
// catalog's outbox event), INT-4 release records, supplementary interpretations, the
// release gate the catalog asks, and the late/missing flags.
//
// Pure C++ over InterpretationRepository and DocumentLookup: no gRPC types beyond the
// generated messages, no SQL. The handler (interpretation_handler.h) authenticates the
// caller and passes the principal in; every method validates its input
// (INVALID_ARGUMENT naming each bad field, nothing written), checks the caller's right
// with the one rule table (interpretation_rules.h) and writes in one transaction.
//
// Thread-safe: holds no mutable state of its own.
#ifndef GONGKAI_SERVICES_INTERPRETATION_INTERPRETATIONS_H_
#define GONGKAI_SERVICES_INTERPRETATION_INTERPRETATIONS_H_

#include <memory>
#include <optional>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "gongkai/interpretation/v1/interpretation.pb.h"
#include "libs/auth/principal.h"
#include "libs/calendar/working_day_calendar.h"
#include "libs/clock/clock.h"
#include "libs/rules/rule_book.h"
#include "services/interpretation/document_lookup.h"
#include "services/interpretation/interpretation_repository.h"

namespace gongkai::interpretation {

// Business events for the metrics (interpretation_metrics.h). Implementations must be
// thread-safe.
class InterpretationObserver {
 public:
  virtual ~InterpretationObserver() = default;
  virtual void Approved() = 0;
  virtual void PublicationApplied(bool duplicate) = 0;
  virtual void Released(bool late) = 0;
  // A publication applied for the first time, `delay` after the catalog committed it
  // (the outbox, the relay and its retries: the delivery as the receiver sees it).
  virtual void PublicationDelivered(absl::Duration delay) { (void)delay; }
  // A publication learnt from the catalog because its event never arrived (published
  // before the gate existed, or the event was lost): each one is a delivery that failed.
  virtual void PublicationLearnt() {}
  // A primary interpretation released after its document committed its report to the
  // catalog to the outbox (the relay is woken to deliver it).
  virtual void ReleaseReportQueued() {}
};

// The outbox topic of an interpretation released after its document (approved after
// the publication, or by the reconcile): the catalog records it on the document, late
// or within the allowed lag (INT-3). The payload is a
// gongkai.catalog.v1.RecordInterpretationReleaseRequest whose event_id is the event key
// "interpretation-released/<interpretation id>".
inline constexpr absl::string_view kReleasedAfterDocumentTopic =
    "interpretation.released_after_document";

// The report of `released` (a RELEASED primary interpretation that followed its
// document) to the catalog.
OutboxMessage ReleaseReport(const v1::Interpretation& released);

// How a published document's interpretation followed it (INT-3), computed for a day.
struct LagAssessment {
  v1::LagStatus status = v1::LAG_STATUS_UNSPECIFIED;
  int lag_working_days = 0;
  std::string rule;  // The allowed-lag rule's explanation.
  // False when the calendar of a year the lag spans is not loaded (status PENDING then).
  bool complete = true;
};

// One pass of ReconcilePublications.
struct ReconcileResult {
  int checked = 0;   // Approved primary interpretations looked at.
  int released = 0;  // Of which released now (their document was published).
  // Where the next pass starts (0: from the beginning again).
  int64_t next_after_id = 0;
};

class Interpretations {
 public:
  // All pointers must outlive the Interpretations; `observer` may be null. `rules` holds
  // the interpretation.release rule set.
  Interpretations(InterpretationRepository* repository, DocumentLookup* documents,
                  std::shared_ptr<const calendar::WorkingDayCalendar> calendar,
                  std::shared_ptr<const rules::RuleBook> rules, const Clock* clock,
                  InterpretationObserver* observer);

  absl::StatusOr<v1::Interpretation> CreateInterpretation(
      const auth::Principal& caller, const v1::CreateInterpretationRequest& request);
  absl::StatusOr<v1::Interpretation> RequestSupplementaryInterpretation(
      const auth::Principal& caller, const v1::RequestSupplementaryInterpretationRequest& request);
  absl::StatusOr<v1::Interpretation> UpdateInterpretation(
      const auth::Principal& caller, const v1::UpdateInterpretationRequest& request);
  absl::StatusOr<v1::Interpretation> ApproveInterpretation(
      const auth::Principal& caller, const v1::ApproveInterpretationRequest& request);
  absl::StatusOr<v1::Interpretation> RecordRelease(const auth::Principal& caller,
                                                   const v1::RecordReleaseRequest& request);
  absl::StatusOr<v1::Interpretation> GetInterpretation(const auth::Principal& caller,
                                                       const v1::GetInterpretationRequest& request);
  absl::StatusOr<v1::ListInterpretationsResponse> ListInterpretations(
      const auth::Principal& caller, const v1::ListInterpretationsRequest& request);
  absl::StatusOr<v1::ReleaseCheck> CheckRelease(const auth::Principal& caller,
                                                const v1::CheckReleaseRequest& request);
  absl::StatusOr<v1::ApplyPublicationResponse> ApplyPublication(
      const auth::Principal& caller, const v1::ApplyPublicationRequest& request);
  // The publications of one relay claim in one transaction, each as ApplyPublication;
  // a publication with bad input is refused alone (its outcome), the others applied.
  absl::StatusOr<v1::ApplyPublicationsResponse> ApplyPublications(
      const auth::Principal& caller, const v1::ApplyPublicationsRequest& request);
  absl::StatusOr<v1::ListPublicationLagsResponse> ListPublicationLags(
      const auth::Principal& caller, const v1::ListPublicationLagsRequest& request);

  // INT-3 recovery, run in the background: up to `limit` APPROVED primary
  // interpretations with id > `after_id` whose document the catalog published without
  // this service hearing of it (published before the release gate existed, or its event
  // was lost before the outbox existed) are released now, their lag measured from the
  // publication and flagged late per the rule set. Asks the catalog about a document
  // only when its publication is not recorded; UNAVAILABLE (nothing more done) when it
  // cannot ask.
  absl::StatusOr<ReconcileResult> ReconcilePublications(int64_t after_id, int limit);

  // INT-3: how the interpretation `primary` (nullopt: none) followed `publication`, as
  // of `today`: IN_SYNC or LATE once released (lag against the rule in effect on the
  // publication day), MISSING when not released and the allowed lag has passed,
  // PENDING before.
  LagAssessment AssessLag(const Publication& publication,
                          const std::optional<v1::Interpretation>& primary,
                          absl::CivilDay today) const;

 private:
  // The allowed lag in effect on `day`, with its explanation.
  absl::StatusOr<std::pair<int, std::string>> AllowedLag(absl::CivilDay day) const;
  // Loads an interpretation the caller may see; NOT_FOUND otherwise (an unreleased
  // interpretation of another unit is invisible, not forbidden).
  absl::StatusOr<v1::Interpretation> LoadVisible(const auth::Principal& caller, int64_t id);
  absl::StatusOr<catalog::v1::Document> LookupDocument(int64_t document_id);
  // Whether the document's publication is known: recorded (the catalog's event), or
  // learnt now from the catalog and recorded. UNAVAILABLE when the catalog cannot be
  // asked.
  absl::StatusOr<bool> LearnPublication(int64_t document_id);
  // Makes `interpretation` RELEASED now, following `publication`: the lag in working
  // days from the publication day, late when over the rule in effect on that day.
  absl::Status ReleaseFollowing(v1::Interpretation& interpretation, const Publication& publication,
                                absl::Time now) const;
  absl::CivilDay Today() const;
  // A publication event's fields checked (under `prefix`) and turned into what the
  // repository applies.
  absl::StatusOr<PublicationRelease> ToRelease(const v1::ApplyPublicationRequest& request,
                                               absl::string_view prefix) const;
  // The observer's view of one applied publication.
  void Observe(const PublicationRelease& release, const AppliedPublication& applied) const;

  InterpretationRepository* repository_;
  DocumentLookup* documents_;
  std::shared_ptr<const calendar::WorkingDayCalendar> calendar_;
  std::shared_ptr<const rules::RuleBook> rules_;
  const Clock* clock_;
  InterpretationObserver* observer_;
};

}  // namespace gongkai::interpretation

#endif  // GONGKAI_SERVICES_INTERPRETATION_INTERPRETATIONS_H_
