// The interpretation service's compliance evidence (ASM-6 inspection item 9, 政策解读):
// for one unit and period, the policy documents published and whether their
// interpretation was released in sync, late, or is missing (INT-3), each with the
// documents behind the count. Served by libs/evidence's ComplianceEvidenceHandler.
// Thread-safe.
#ifndef GONGKAI_SERVICES_INTERPRETATION_EVIDENCE_INTERPRETATION_EVIDENCE_H_
#define GONGKAI_SERVICES_INTERPRETATION_EVIDENCE_INTERPRETATION_EVIDENCE_H_

#include <vector>

#include "libs/evidence/evidence_source.h"
#include "services/interpretation/interpretation_repository.h"
#include "services/interpretation/interpretations.h"

namespace gongkai::interpretation {

class InterpretationEvidence final : public evidence::EvidenceSource {
 public:
  // Both must outlive this object.
  InterpretationEvidence(InterpretationRepository* repository,
                         const Interpretations* interpretations)
      : repository_(repository), interpretations_(interpretations) {}

  std::vector<evidence::InspectionItem> Items() const override;
  absl::StatusOr<evidence::ItemEvidence> Collect(evidence::InspectionItem item,
                                                 const evidence::EvidenceQuery& query) override;

 private:
  InterpretationRepository* repository_;
  const Interpretations* interpretations_;
};

}  // namespace gongkai::interpretation

#endif  // GONGKAI_SERVICES_INTERPRETATION_EVIDENCE_INTERPRETATION_EVIDENCE_H_
