// INT-2/OPI-1 (issues 9 and 11): when the assessment (研判) or a response step finds a
// policy misread, the event asks the interpretation service for a supplementary
// interpretation of the document. This is the pure rule: what the request changes on
// the event. The repository stores it with its outbox event in one transaction
// (event_repository.h); the relay in opinion_app.cc delivers it.
#ifndef GONGKAI_SERVICES_OPINION_EVENTS_INTERPRETATION_SUPPLEMENT_H_
#define GONGKAI_SERVICES_OPINION_EVENTS_INTERPRETATION_SUPPLEMENT_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "gongkai/opinion/v1/opinion.pb.h"
#include "services/opinion/events/event_repository.h"

namespace gongkai::opinion::events {

// The request id the interpretation service dedups on: unique per event and version
// (one change per version), the same on every redelivery. E.g.
// "opinion-event-42-supplement-7".
std::string SupplementRequestId(int64_t event_id, int64_t next_version);

// The change that records the request on `current` (field checks of `request` done by
// the caller): FAILED_PRECONDITION (type "STATE") for a CLOSED event; INVALID_ARGUMENT
// with a violation on document_id when the document is not one the event concerns
// (its document_ids); otherwise the event unchanged but for the new supplement, its
// history step "request_interpretation_supplement" with the reason, and the supplement
// for the outbox.
absl::StatusOr<EventChange> PlanInterpretationSupplement(
    const v1::OpinionEvent& current, const v1::RequestInterpretationSupplementRequest& request,
    const std::string& actor, absl::Time now);

}  // namespace gongkai::opinion::events

#endif  // GONGKAI_SERVICES_OPINION_EVENTS_INTERPRETATION_SUPPLEMENT_H_
