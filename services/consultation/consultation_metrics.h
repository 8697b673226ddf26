// The consultation service's business metrics, refreshed from the database every
// refresh period (libs/server):
//   consultation_consultations{state="scheduled|open|closed_unconcluded"}  gauge
//   consultation_undecided_comments        comments without a feedback decision in
//                                          closed, unconcluded consultations (CON-3)
//   consultation_reported_comments         visible comments readers reported
//   consultation_missing_pre_disclosures   decisions that required a consultation and
//                                          had none (CON-1/CON-2), up to 1000
//   consultation_periods_pending           unconcluded consultations whose last day waits
//                                          for a calendar year not loaded (NAT-1)
//   consultation_search_backlog_comments   comments waiting for their search terms
//   consultation_search_backlog_oldest_seconds  age of the oldest of them (0: none)
//   consultation_search_indexed_comments_total  indexed by this replica's indexer
//   consultation_search_index_failures_total    failed batches of this replica
//   consultation_metrics_refresh_errors_total
// Thread-safe.
#ifndef GONGKAI_SERVICES_CONSULTATION_CONSULTATION_METRICS_H_
#define GONGKAI_SERVICES_CONSULTATION_CONSULTATION_METRICS_H_

#include "libs/metrics/registry.h"
#include "services/consultation/comment_indexer.h"
#include "services/consultation/consultations.h"

namespace gongkai::consultation {

class ConsultationMetrics {
 public:
  explicit ConsultationMetrics(metrics::Registry& registry);
  void Refresh(Consultations& consultations, const CommentIndexer& indexer, absl::CivilDay today,
               absl::Time now);

 private:
  metrics::Family<metrics::Gauge>& consultations_;
  metrics::Gauge& undecided_;
  metrics::Gauge& reported_;
  metrics::Gauge& missing_;
  metrics::Gauge& periods_pending_;
  metrics::Gauge& search_backlog_;
  metrics::Gauge& search_oldest_;
  metrics::Counter& search_indexed_;
  metrics::Counter& search_failures_;
  int64_t indexed_reported_ = 0;
  int64_t failures_reported_ = 0;
  metrics::Counter& refresh_errors_;
};

}  // namespace gongkai::consultation

#endif  // GONGKAI_SERVICES_CONSULTATION_CONSULTATION_METRICS_H_
