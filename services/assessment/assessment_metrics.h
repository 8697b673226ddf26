// The assessment service's business metrics (prometheus-cpp through libs/metrics),
// declared once: runs by state, unit-items waiting for evidence, and evidence calls by
// service and outcome.
//
// Thread-safe.
#ifndef GONGKAI_SERVICES_ASSESSMENT_ASSESSMENT_METRICS_H_
#define GONGKAI_SERVICES_ASSESSMENT_ASSESSMENT_METRICS_H_

#include <string>

#include "libs/metrics/registry.h"
#include "services/assessment/assessment_repository.h"
#include "services/assessment/evidence_fetcher.h"

namespace gongkai::assessment {

class AssessmentMetrics {
 public:
  explicit AssessmentMetrics(metrics::Registry& registry);

  // Re-reads the run gauges (every refresh period).
  void Refresh(AssessmentRepository& repository);
  void EvidenceCall(const std::string& service, bool ok);

 private:
  metrics::Family<metrics::Gauge>& runs_;
  metrics::Gauge& items_unavailable_;
  metrics::Family<metrics::Counter>& evidence_calls_;
  metrics::Counter& refresh_errors_;
};

// Counts every call of `inner` in `metrics` (a decorator).
class CountingEvidenceFetcher final : public EvidenceFetcher {
 public:
  CountingEvidenceFetcher(EvidenceFetcher* inner, AssessmentMetrics* metrics)
      : inner_(inner), metrics_(metrics) {}
  absl::StatusOr<common::v1::ComplianceEvidence> Fetch(
      const std::string& service,
      const common::v1::GetComplianceEvidenceRequest& request) override {
    absl::StatusOr<common::v1::ComplianceEvidence> evidence = inner_->Fetch(service, request);
    metrics_->EvidenceCall(service, evidence.ok());
    return evidence;
  }

 private:
  EvidenceFetcher* inner_;
  AssessmentMetrics* metrics_;
};

}  // namespace gongkai::assessment

#endif  // GONGKAI_SERVICES_ASSESSMENT_ASSESSMENT_METRICS_H_
