#include "services/interpretation/interpretation_metrics.h"

#include <algorithm>

#include "libs/log/log.h"

namespace gongkai::interpretation {

InterpretationMetrics::InterpretationMetrics(metrics::Registry& registry)
    : interpretations_(registry.AddGauge("interpretation_interpretations",
                                         "Interpretations by state.", {"state"})),
      flagged_(registry.AddGauge(
          "interpretation_publications_flagged",
          "Published policy documents whose interpretation was released late or is missing "
          "(INT-3).",
          {"status"})),
      approvals_(registry
                     .AddCounter("interpretation_approvals_total",
                                 "Interpretations approved by the unit's principal head (INT-3).",
                                 {})
                     .WithLabels({})),
      applied_(registry.AddCounter(
          "interpretation_publications_applied_total",
          "Publication events from the catalog, applied or recognised as redeliveries.",
          {"outcome"})),
      released_(registry.AddCounter("interpretation_released_total",
                                    "Interpretations released, with the document or late.",
                                    {"timing"})),
      delivery_delay_(
          registry
              .AddHistogram(
                  "interpretation_publication_delivery_delay_seconds",
                  "Time from the catalog's publication commit to its first application here "
                  "(the outbox, relay and retries as the receiver sees them).",
                  {}, {0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600})
              .WithLabels({})),
      learnt_(registry
                  .AddCounter("interpretation_publications_learnt_total",
                              "Publications learnt from the catalog because their event never "
                              "arrived (published before the release gate, or the event lost).",
                              {})
                  .WithLabels({})),
      refresh_errors_(registry
                          .AddCounter("interpretation_metrics_refresh_errors_total",
                                      "Failed refreshes of the interpretation gauges.", {})
                          .WithLabels({})) {
  for (int state = v1::DRAFT; state <= v1::RELEASED; ++state) {
    interpretations_.WithLabels(
        {v1::InterpretationState_Name(static_cast<v1::InterpretationState>(state))});
  }
  flagged_.WithLabels({"LATE"});
  flagged_.WithLabels({"MISSING"});
  applied_.WithLabels({"applied"});
  applied_.WithLabels({"duplicate"});
  released_.WithLabels({"in_sync"});
  released_.WithLabels({"late"});
}

void InterpretationMetrics::Approved() { approvals_.Increment(); }
void InterpretationMetrics::PublicationApplied(bool duplicate) {
  applied_.WithLabels({duplicate ? "duplicate" : "applied"}).Increment();
}
void InterpretationMetrics::Released(bool late) {
  released_.WithLabels({late ? "late" : "in_sync"}).Increment();
}

void InterpretationMetrics::PublicationDelivered(absl::Duration delay) {
  // The two services' clocks may differ by a little: a negative delay counts as none.
  delivery_delay_.Observe(absl::ToDoubleSeconds(std::max(delay, absl::ZeroDuration())));
}
void InterpretationMetrics::PublicationLearnt() { learnt_.Increment(); }

void InterpretationMetrics::Refresh(InterpretationRepository& repository,
                                    const Interpretations& interpretations, absl::CivilDay today) {
  absl::StatusOr<std::map<v1::InterpretationState, int64_t>> counts = repository.CountByState();
  if (!counts.ok()) {
    refresh_errors_.Increment();
    GK_LOG(WARNING, "interpretation gauges not refreshed").With("status", counts.status());
    return;
  }
  for (int state = v1::DRAFT; state <= v1::RELEASED; ++state) {
    auto it = counts->find(static_cast<v1::InterpretationState>(state));
    interpretations_
        .WithLabels({v1::InterpretationState_Name(static_cast<v1::InterpretationState>(state))})
        .Set(it == counts->end() ? 0.0 : static_cast<double>(it->second));
  }
  int64_t late = 0, missing = 0;
  int64_t before = 0;
  constexpr int kBatch = 500;
  while (true) {
    absl::StatusOr<std::vector<PublicationWithInterpretation>> rows =
        repository.ListPublications(0, before, kBatch);
    if (!rows.ok()) {
      refresh_errors_.Increment();
      GK_LOG(WARNING, "interpretation flags not refreshed").With("status", rows.status());
      return;
    }
    for (const PublicationWithInterpretation& row : *rows) {
      before = row.publication.document_id;
      const v1::LagStatus status =
          interpretations.AssessLag(row.publication, row.primary, today).status;
      if (status == v1::LATE) ++late;
      if (status == v1::MISSING) ++missing;
    }
    if (static_cast<int>(rows->size()) < kBatch) break;
  }
  flagged_.WithLabels({"LATE"}).Set(static_cast<double>(late));
  flagged_.WithLabels({"MISSING"}).Set(static_cast<double>(missing));
}

}  // namespace gongkai::interpretation
