// Where the assessment gets the compliance evidence of items 3-14 (ASM-6, ADR 0022):
// GetComplianceEvidence of the service the scheme names for the item. The run executor
// sees only this interface; grpc_evidence_fetcher.h calls the peers over gRPC as a
// service principal with a deadline, and answers "assessment" (item 13) in process.
//
// Thread-safety: Fetch may be called concurrently.
#ifndef GONGKAI_SERVICES_ASSESSMENT_EVIDENCE_FETCHER_H_
#define GONGKAI_SERVICES_ASSESSMENT_EVIDENCE_FETCHER_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "gongkai/common/v1/compliance_evidence.pb.h"

namespace gongkai::assessment {

class EvidenceFetcher {
 public:
  virtual ~EvidenceFetcher() = default;
  // The evidence `service` holds for the request. Any error (the service down, the
  // deadline passed, an unknown service) makes its items EVIDENCE_UNAVAILABLE; the
  // status's text is shown as the reason.
  virtual absl::StatusOr<common::v1::ComplianceEvidence> Fetch(
      const std::string& service, const common::v1::GetComplianceEvidenceRequest& request) = 0;
};

// A unit of the directory (the catalog's units, libs/directory).
struct UnitInfo {
  int64_t id = 0;
  std::string code;
  std::string name;
};

// Every unit to assess. An error postpones a run's pass (retried).
using UnitLister = std::function<absl::StatusOr<std::vector<UnitInfo>>()>;

}  // namespace gongkai::assessment

#endif  // GONGKAI_SERVICES_ASSESSMENT_EVIDENCE_FETCHER_H_
