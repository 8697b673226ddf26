// The shared implementation of gongkai.common.v1.ComplianceEvidenceService (ASM-6): every
// service hosts one over its own EvidenceSource (evidence_source.h).
//
//   evidence::ComplianceEvidenceHandler evidence_handler("catalog", &catalog_evidence,
//                                                        authenticator, clock);
//   services.push_back(server::Hosted<common::v1::ComplianceEvidenceService>(&evidence_handler));
//
// Validation (INVALID_ARGUMENT with field violations, nothing read): unit_id > 0;
// period_start and period_end real dates, start <= end, at most kMaxPeriodDays days;
// items known and held by this service (others are named). Authorization:
// INSPECTOR, OFFICE, ADMIN and SERVICE (the assessment service) for any unit; STAFF
// and REVIEWER for their own unit only
// (another unit is PERMISSION_DENIED); anonymous callers UNAUTHENTICATED. An item whose
// period ends today or later is marked incomplete ("the period has not ended").
// Thread-safe.
#ifndef GONGKAI_LIBS_EVIDENCE_EVIDENCE_HANDLER_H_
#define GONGKAI_LIBS_EVIDENCE_EVIDENCE_HANDLER_H_

#include <string>

#include "absl/status/statusor.h"
#include "gongkai/common/v1/compliance_evidence.grpc.pb.h"
#include "libs/auth/authenticator.h"
#include "libs/auth/principal.h"
#include "libs/clock/clock.h"
#include "libs/evidence/evidence_source.h"

namespace gongkai::evidence {

// The longest period one request may cover (a year, leap years included).
inline constexpr int kMaxPeriodDays = 366;

// The rules of the call without gRPC: validation, authorization, collection.
absl::StatusOr<common::v1::ComplianceEvidence> GetComplianceEvidence(
    const std::string& service_name, EvidenceSource& source, const Clock& clock,
    const auth::Principal& caller, const common::v1::GetComplianceEvidenceRequest& request);

class ComplianceEvidenceHandler final : public common::v1::ComplianceEvidenceService::Service {
 public:
  // Pointers must outlive the handler.
  ComplianceEvidenceHandler(std::string service_name, EvidenceSource* source,
                            const auth::Authenticator* authenticator, const Clock* clock)
      : service_name_(std::move(service_name)),
        source_(source),
        authenticator_(authenticator),
        clock_(clock) {}

  grpc::Status GetComplianceEvidence(grpc::ServerContext* context,
                                     const common::v1::GetComplianceEvidenceRequest* request,
                                     common::v1::ComplianceEvidence* response) override;

 private:
  std::string service_name_;
  EvidenceSource* source_;
  const auth::Authenticator* authenticator_;
  const Clock* clock_;
};

}  // namespace gongkai::evidence

#endif  // GONGKAI_LIBS_EVIDENCE_EVIDENCE_HANDLER_H_
