#include "services/assessment/assessment_metrics.h"

#include "libs/log/log.h"

namespace gongkai::assessment {

AssessmentMetrics::AssessmentMetrics(metrics::Registry& registry)
    : runs_(registry.AddGauge("assessment_runs", "Assessment runs by state.", {"state"})),
      items_unavailable_(
          registry
              .AddGauge("assessment_items_unavailable",
                        "Unit-items of RUNNING runs whose evidence is unavailable (retried).", {})
              .WithLabels({})),
      evidence_calls_(registry.AddCounter("assessment_evidence_calls_total",
                                          "GetComplianceEvidence calls by service and result.",
                                          {"service", "result"})),
      refresh_errors_(registry
                          .AddCounter("assessment_metrics_refresh_errors_total",
                                      "Failed refreshes of the run gauges.", {})
                          .WithLabels({})) {
  for (int state = v1::RUNNING; state <= v1::INCOMPLETE; ++state) {
    runs_.WithLabels({v1::AssessmentRunState_Name(static_cast<v1::AssessmentRunState>(state))});
  }
}

void AssessmentMetrics::Refresh(AssessmentRepository& repository) {
  absl::StatusOr<RunCounts> counts = repository.CountRuns();
  if (!counts.ok()) {
    refresh_errors_.Increment();
    GK_LOG(WARNING, "refreshing assessment gauges failed").With("status", counts.status());
    return;
  }
  for (int state = v1::RUNNING; state <= v1::INCOMPLETE; ++state) {
    auto found = counts->by_state.find(static_cast<v1::AssessmentRunState>(state));
    runs_.WithLabels({v1::AssessmentRunState_Name(static_cast<v1::AssessmentRunState>(state))})
        .Set(found == counts->by_state.end() ? 0 : static_cast<double>(found->second));
  }
  items_unavailable_.Set(static_cast<double>(counts->items_unavailable_running));
}

void AssessmentMetrics::EvidenceCall(const std::string& service, bool ok) {
  evidence_calls_.WithLabels({service, ok ? "ok" : "unavailable"}).Increment();
}

}  // namespace gongkai::assessment
