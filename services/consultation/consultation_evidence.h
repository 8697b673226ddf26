// The consultation service's answer to the suite's compliance-evidence call (ASM-6,
// ADR 0022; libs/evidence): inspection items 7 (open meetings, CON-4), 8 (pre-disclosure
// of major decisions, CON-1/CON-2/NAT-11) and 12 (public participation, CON-3), for one
// unit and period. The indicators are listed in docs/services/consultation.md.
// Reads through the repository and Consultations; recomputes no rule. Thread-safe.
#ifndef GONGKAI_SERVICES_CONSULTATION_CONSULTATION_EVIDENCE_H_
#define GONGKAI_SERVICES_CONSULTATION_CONSULTATION_EVIDENCE_H_

#include <vector>

#include "libs/evidence/evidence_source.h"
#include "services/consultation/consultations.h"

namespace gongkai::consultation {

class ConsultationEvidence final : public evidence::EvidenceSource {
 public:
  ConsultationEvidence(Consultations* consultations, UnitLookup units)
      : consultations_(consultations), units_(std::move(units)) {}

  std::vector<evidence::InspectionItem> Items() const override;
  absl::StatusOr<evidence::ItemEvidence> Collect(evidence::InspectionItem item,
                                                 const evidence::EvidenceQuery& query) override;

 private:
  Consultations* consultations_;
  UnitLookup units_;
};

}  // namespace gongkai::consultation

#endif  // GONGKAI_SERVICES_CONSULTATION_CONSULTATION_EVIDENCE_H_
