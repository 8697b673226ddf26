#include "services/consultation/consultation_metrics.h"

#include <algorithm>

#include "libs/log/log.h"

namespace gongkai::consultation {

ConsultationMetrics::ConsultationMetrics(metrics::Registry& registry)
    : consultations_(registry.AddGauge("consultation_consultations",
                                       "Consultations by state (concluded ones not counted).",
                                       {"state"})),
      undecided_(registry
                     .AddGauge("consultation_undecided_comments",
                               "Comments without a feedback decision in closed, unconcluded "
                               "consultations (CON-3).",
                               {})
                     .WithLabels({})),
      reported_(registry
                    .AddGauge("consultation_reported_comments",
                              "Visible comments that readers reported, awaiting moderation.", {})
                    .WithLabels({})),
      missing_(registry
                   .AddGauge("consultation_missing_pre_disclosures",
                             "Decisions on matters requiring consultation taken without one "
                             "(CON-1, CON-2; counted up to 1000).",
                             {})
                   .WithLabels({})),
      periods_pending_(registry
                           .AddGauge("consultation_periods_pending",
                                     "Unconcluded consultations whose last day waits for the "
                                     "holiday notice of a year not loaded yet (NAT-1); they "
                                     "stay open until it is loaded.",
                                     {})
                           .WithLabels({})),
      search_backlog_(registry
                          .AddGauge("consultation_search_backlog_comments",
                                    "Comments waiting for their search terms (the background "
                                    "indexer's backlog).",
                                    {})
                          .WithLabels({})),
      search_oldest_(registry
                         .AddGauge("consultation_search_backlog_oldest_seconds",
                                   "Age of the oldest comment waiting for its search terms (0: "
                                   "none); staff search does not find it yet.",
                                   {})
                         .WithLabels({})),
      search_indexed_(registry
                          .AddCounter("consultation_search_indexed_comments_total",
                                      "Comments whose search terms this replica wrote.", {})
                          .WithLabels({})),
      search_failures_(registry
                           .AddCounter("consultation_search_index_failures_total",
                                       "Failed batches of this replica's search-term indexer.", {})
                           .WithLabels({})),
      refresh_errors_(registry
                          .AddCounter("consultation_metrics_refresh_errors_total",
                                      "Failed refreshes of the consultation gauges.", {})
                          .WithLabels({})) {
  for (const char* state : {"scheduled", "open", "closed_unconcluded"}) {
    consultations_.WithLabels({state});
  }
}

void ConsultationMetrics::Refresh(Consultations& consultations, const CommentIndexer& indexer,
                                  absl::CivilDay today, absl::Time now) {
  // The indexer's own counts, as increments since the last refresh.
  const int64_t indexed = indexer.indexed(), failures = indexer.failures();
  search_indexed_.Increment(static_cast<double>(indexed - indexed_reported_));
  search_failures_.Increment(static_cast<double>(failures - failures_reported_));
  indexed_reported_ = indexed;
  failures_reported_ = failures;
  absl::StatusOr<ConsultationRepository::Gauges> gauges =
      consultations.repository()->ReadGauges(today);
  if (!gauges.ok()) {
    refresh_errors_.Increment();
    GK_LOG(WARNING, "refreshing the consultation gauges failed").With("status", gauges.status());
    return;
  }
  consultations_.WithLabels({"scheduled"})
      .Set(static_cast<double>(gauges->scheduled_consultations));
  consultations_.WithLabels({"open"}).Set(static_cast<double>(gauges->open_consultations));
  consultations_.WithLabels({"closed_unconcluded"})
      .Set(static_cast<double>(gauges->closed_unconcluded));
  undecided_.Set(static_cast<double>(gauges->undecided_comments_closed));
  reported_.Set(static_cast<double>(gauges->reported_visible_comments));
  periods_pending_.Set(static_cast<double>(gauges->pending_periods));
  search_backlog_.Set(static_cast<double>(gauges->search_backlog));
  search_oldest_.Set(gauges->oldest_unindexed.has_value()
                         ? std::max(0.0, absl::ToDoubleSeconds(now - *gauges->oldest_unindexed))
                         : 0.0);
  absl::StatusOr<std::vector<v1::MissingPreDisclosure>> missing =
      consultations.MissingPreDisclosures(0, 1000);
  if (!missing.ok()) {
    refresh_errors_.Increment();
    GK_LOG(WARNING, "counting missing pre-disclosures failed").With("status", missing.status());
    return;
  }
  missing_.Set(static_cast<double>(missing->size()));
}

}  // namespace gongkai::consultation
