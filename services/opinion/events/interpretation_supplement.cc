#include "services/opinion/events/interpretation_supplement.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "libs/protoconv/protoconv.h"
#include "libs/status/errors.h"

namespace gongkai::opinion::events {

std::string SupplementRequestId(int64_t event_id, int64_t next_version) {
  return absl::StrCat("opinion-event-", event_id, "-supplement-", next_version);
}

absl::StatusOr<EventChange> PlanInterpretationSupplement(
    const v1::OpinionEvent& current, const v1::RequestInterpretationSupplementRequest& request,
    const std::string& actor, absl::Time now) {
  if (current.state() == v1::EVENT_CLOSED) {
    return PreconditionFailed(
        "STATE", absl::StrCat("opinion_event/", current.id()),
        absl::StrCat("event ", current.id(),
                     " is closed: a supplementary interpretation is requested while it is open"));
  }
  // INT-2: the misread policy is one the event concerns; anything else is bad input.
  const auto& documents = current.document_ids();
  if (std::find(documents.begin(), documents.end(), request.document_id()) == documents.end()) {
    return InvalidField("document_id", absl::StrCat("document ", request.document_id(),
                                                    " is not one of the documents event ",
                                                    current.id(), " concerns"));
  }
  EventChange change;
  change.event = current;
  v1::InterpretationSupplement supplement;
  supplement.set_request_id(SupplementRequestId(current.id(), current.version() + 1));
  supplement.set_document_id(request.document_id());
  supplement.set_reason(request.reason());
  supplement.set_requested_by(actor);
  *supplement.mutable_request_time() = ToTimestamp(now);
  change.interpretation_supplement = supplement;
  change.action = "request_interpretation_supplement";
  change.detail = absl::StrCat("document ", request.document_id(), ": ", request.reason());
  return change;
}

}  // namespace gongkai::opinion::events
