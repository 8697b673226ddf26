// The interpretation service's business metrics, declared once:
//   interpretation_interpretations{state}                   gauge, refreshed from the database
//   interpretation_publications_flagged{status}             gauge, LATE / MISSING (INT-3)
//   interpretation_approvals_total                          counter
//   interpretation_publications_applied_total{outcome}      counter, applied / duplicate
//   interpretation_released_total{timing}                   counter, in_sync / late
//   interpretation_publication_delivery_delay_seconds       histogram, catalog commit → applied
//   interpretation_publications_learnt_total                counter, publications whose event
//                                                           never came (learnt from the catalog)
//   interpretation_metrics_refresh_errors_total             counter
// The interpretation service sends nothing another service must follow, so it has no
// outbox of its own; the two publication metrics are its side of the catalog's outbox
// (docs/services/interpretation.md, "The outbox seen from the receiving side").
// Thread-safe.
#ifndef GONGKAI_SERVICES_INTERPRETATION_INTERPRETATION_METRICS_H_
#define GONGKAI_SERVICES_INTERPRETATION_INTERPRETATION_METRICS_H_

#include "absl/time/civil_time.h"
#include "libs/metrics/registry.h"
#include "services/interpretation/interpretation_repository.h"
#include "services/interpretation/interpretations.h"

namespace gongkai::interpretation {

class InterpretationMetrics final : public InterpretationObserver {
 public:
  explicit InterpretationMetrics(metrics::Registry& registry);

  void Approved() override;
  void PublicationApplied(bool duplicate) override;
  void Released(bool late) override;
  void PublicationDelivered(absl::Duration delay) override;
  void PublicationLearnt() override;

  // Reads the counts behind the gauges (the flags as of `today`).
  void Refresh(InterpretationRepository& repository, const Interpretations& interpretations,
               absl::CivilDay today);

 private:
  metrics::Family<metrics::Gauge>& interpretations_;
  metrics::Family<metrics::Gauge>& flagged_;
  metrics::Counter& approvals_;
  metrics::Family<metrics::Counter>& applied_;
  metrics::Family<metrics::Counter>& released_;
  metrics::Histogram& delivery_delay_;
  metrics::Counter& learnt_;
  metrics::Counter& refresh_errors_;
};

}  // namespace gongkai::interpretation

#endif  // GONGKAI_SERVICES_INTERPRETATION_INTERPRETATION_METRICS_H_
