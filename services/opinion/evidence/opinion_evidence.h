// The opinion service's answer to the suite's compliance-evidence call (ASM-6, ADR 0022):
// inspection item 10 (回应关切) for one unit and period — the events routed to the unit
// that were first seen in the period, per grade, and whether they were answered on
// time, late or not at all (OPI-4, NAT-12), each with the event ids. The shared handler
// (libs/evidence/evidence_handler.h) validates, authorizes and marks a period that has
// not ended; this class only reads the clocks the service stored.
//
// Indicators ("<kind>/<id>" references are "opinion_event/<id>"):
//   events_especially_major, events_major, events_general   by current grade
//   responded_on_time     answered (or decided not to), no clock late
//   responded_late        answered, and a clock met after its deadline or still
//                         running past it
//   not_responded         no answer and no recorded decision not to respond
//   decided_not_to_respond
// Thread-safe.
#ifndef GONGKAI_SERVICES_OPINION_EVIDENCE_OPINION_EVIDENCE_H_
#define GONGKAI_SERVICES_OPINION_EVIDENCE_OPINION_EVIDENCE_H_

#include <vector>

#include "libs/clock/clock.h"
#include "libs/evidence/evidence_source.h"
#include "services/opinion/events/event_repository.h"

namespace gongkai::opinion {

class OpinionEvidence final : public evidence::EvidenceSource {
 public:
  // Both must outlive this object.
  OpinionEvidence(events::EventRepository* repository, const Clock* clock)
      : repository_(repository), clock_(clock) {}

  std::vector<evidence::InspectionItem> Items() const override;
  absl::StatusOr<evidence::ItemEvidence> Collect(evidence::InspectionItem item,
                                                 const evidence::EvidenceQuery& query) override;

 private:
  events::EventRepository* repository_;
  const Clock* clock_;
};

}  // namespace gongkai::opinion

#endif  // GONGKAI_SERVICES_OPINION_EVIDENCE_OPINION_EVIDENCE_H_
