#include "services/consultation/consultation_metrics.h"

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
      refresh_errors_(registry
                          .AddCounter("consultation_metrics_refresh_errors_total",
                                      "Failed refreshes of the consultation gauges.", {})
                          .WithLabels({})) {
  for (const char* state : {"scheduled", "open", "closed_unconcluded"}) {
    consultations_.WithLabels({state});
  }
}

void ConsultationMetrics::Refresh(Consultations& consultations, absl::CivilDay today) {
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
