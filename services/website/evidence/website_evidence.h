// The website service's answer to the suite's compliance-evidence call (ASM-6, ADR
// 0022): inspection item 6, openness platforms (公开平台), for one unit and period — the
// unit's registered sites and accounts, those migrated onto the upper-level platform
// (WEB-5), accounts without their recorded procedures (WEB-6), the sites evaluated,
// failed and vetoed in supervision runs whose as_of lies in the period (WEB-2, NAT-13,
// NAT-14), notices of criticism issued and not rectified by their deadline (WEB-4), and
// severe errors found (NAT-13). The shared handler (libs/evidence/evidence_handler.h)
// validates, authorizes and marks a period that has not ended; this class only reads.
// An item is incomplete when no supervision run covered the period (nothing was
// evaluated: the failure counts would read as zero without meaning it).
//
//   WebsiteEvidence evidence(&repository, unit_check);
//   evidence::ComplianceEvidenceHandler handler("website", &evidence, authenticator, clock);
//
// Thread-safe.
#ifndef GONGKAI_SERVICES_WEBSITE_EVIDENCE_WEBSITE_EVIDENCE_H_
#define GONGKAI_SERVICES_WEBSITE_EVIDENCE_WEBSITE_EVIDENCE_H_

#include <vector>

#include "libs/evidence/evidence_source.h"
#include "services/website/website.h"
#include "services/website/website_repository.h"

namespace gongkai::website {

class WebsiteEvidence final : public evidence::EvidenceSource {
 public:
  // `unit_check` (may be empty) answers NOT_FOUND for units the suite does not know.
  WebsiteEvidence(WebsiteRepository* repository, UnitCheck unit_check)
      : repository_(repository), unit_check_(std::move(unit_check)) {}

  std::vector<evidence::InspectionItem> Items() const override;
  absl::StatusOr<evidence::ItemEvidence> Collect(evidence::InspectionItem item,
                                                 const evidence::EvidenceQuery& query) override;

 private:
  WebsiteRepository* repository_;
  UnitCheck unit_check_;
};

}  // namespace gongkai::website

#endif  // GONGKAI_SERVICES_WEBSITE_EVIDENCE_WEBSITE_EVIDENCE_H_
