// The website service's business metrics, declared once:
//   website_sites{state}                      gauge, the register by lifecycle state
//   website_probes_overdue                    gauge, slots due over one interval ago and
//                                             unclaimed (the prober falls behind: NAT-13
//                                             needs >= 20 probes a day)
//   website_supervision_runs_running          gauge, WEB-2 runs in progress
//   website_notices_overdue                   gauge, WEB-4 notices past their deadline
//   website_notices_deadline_pending          gauge, notices not rectified whose deadline
//                                             waits for a calendar year (NAT-1)
//   website_notice_deadlines_recomputed_total counter, deadlines changed by a calendar
//                                             year loaded or replaced (NAT-1)
//   website_notice_deadline_recompute_failures_total
//                                             counter, failed recomputation passes
//                                             (retried at the next refresh)
//   website_probes_total{outcome}             counter: ok, failed, disallowed
//   website_probe_slots_missed_total          counter, scheduled slots that passed while no
//                                             replica probed (recorded as gaps, NAT-13)
//   website_probe_home_seconds                histogram of home-page load times
//   website_fetches_in_flight                 gauge, outbound requests now (bounded)
//   website_metrics_refresh_errors_total      counter
// Thread-safe.
#ifndef GONGKAI_SERVICES_WEBSITE_WEBSITE_METRICS_H_
#define GONGKAI_SERVICES_WEBSITE_WEBSITE_METRICS_H_

#include "absl/time/time.h"
#include "gongkai/website/v1/website.pb.h"
#include "libs/metrics/registry.h"
#include "services/website/prober/polite_fetcher.h"
#include "services/website/website_repository.h"

namespace gongkai::website {

class WebsiteMetrics {
 public:
  explicit WebsiteMetrics(metrics::Registry& registry);

  void ProbeRecorded(const v1::Probe& probe);
  // NAT-1: a recomputation pass changed `changed` deadlines, or failed.
  void DeadlinesRecomputed(int changed);
  void DeadlineRecomputeFailed();
  void Refresh(WebsiteRepository& repository, absl::Time now, absl::Duration probe_interval,
               absl::CivilDay today, const prober::PoliteFetcher& fetcher);

 private:
  metrics::Family<metrics::Gauge>& sites_;
  metrics::Gauge& probes_overdue_;
  metrics::Gauge& runs_running_;
  metrics::Gauge& notices_overdue_;
  metrics::Gauge& notices_deadline_pending_;
  metrics::Counter& deadlines_recomputed_;
  metrics::Counter& deadline_recompute_failures_;
  metrics::Family<metrics::Counter>& probes_;
  metrics::Counter& slots_missed_;
  metrics::Histogram& home_seconds_;
  metrics::Gauge& in_flight_;
  metrics::Counter& refresh_errors_;
};

}  // namespace gongkai::website

#endif  // GONGKAI_SERVICES_WEBSITE_WEBSITE_METRICS_H_
