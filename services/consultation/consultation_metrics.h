// The consultation service's business metrics, refreshed from the database every
// refresh period (libs/server):
//   consultation_consultations{state="scheduled|open|closed_unconcluded"}  gauge
//   consultation_undecided_comments        comments without a feedback decision in
//                                          closed, unconcluded consultations (CON-3)
//   consultation_reported_comments         visible comments readers reported
//   consultation_missing_pre_disclosures   decisions that required a consultation and
//                                          had none (CON-1/CON-2), up to 1000
//   consultation_metrics_refresh_errors_total
// Thread-safe.
#ifndef GONGKAI_SERVICES_CONSULTATION_CONSULTATION_METRICS_H_
#define GONGKAI_SERVICES_CONSULTATION_CONSULTATION_METRICS_H_

#include "libs/metrics/registry.h"
#include "services/consultation/consultations.h"

namespace gongkai::consultation {

class ConsultationMetrics {
 public:
  explicit ConsultationMetrics(metrics::Registry& registry);
  void Refresh(Consultations& consultations, absl::CivilDay today);

 private:
  metrics::Family<metrics::Gauge>& consultations_;
  metrics::Gauge& undecided_;
  metrics::Gauge& reported_;
  metrics::Gauge& missing_;
  metrics::Counter& refresh_errors_;
};

}  // namespace gongkai::consultation

#endif  // GONGKAI_SERVICES_CONSULTATION_CONSULTATION_METRICS_H_
