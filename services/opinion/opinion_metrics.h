// Business metrics of the opinion service, declared once:
//   opinion_events_collected_total{category,grade}       counter
//   opinion_responses_total{channel,contradicts}         counter
//   opinion_clock_escalations_total{clock,stage}         counter, at the moment recorded
//   opinion_clock_escalation_delay_seconds{stage}        histogram: record time - due time
//   opinion_scheduler_errors_total                       counter
//   opinion_open_events                                  gauge (refreshed)
//   opinion_clocks_running / _due_soon / _breached       gauges (refreshed; due-soon and
//                                                        breached also bumped as recorded)
//   opinion_metrics_refresh_errors_total                 counter
// Labels come from small fixed sets (enum names), never ids. Thread-safe.
#ifndef GONGKAI_SERVICES_OPINION_OPINION_METRICS_H_
#define GONGKAI_SERVICES_OPINION_OPINION_METRICS_H_

#include "absl/time/time.h"
#include "libs/metrics/registry.h"
#include "services/opinion/events/event_repository.h"
#include "services/opinion/events/opinion_events.h"
#include "services/opinion/scheduler/clock_scheduler.h"

namespace gongkai::opinion {

class OpinionMetrics final : public events::EventObserver, public scheduler::EscalationObserver {
 public:
  explicit OpinionMetrics(metrics::Registry& registry);

  // The scheduler to wake when clocks change (may be set once, after construction).
  void SetScheduler(scheduler::ClockScheduler* scheduler) { scheduler_ = scheduler; }

  void EventCollected(const v1::OpinionEvent& event) override;
  void ResponseRecorded(const v1::EventResponse& response, bool contradicts) override;
  void ClocksChanged() override;
  void Escalated(const v1::Escalation& escalation) override;
  void SchedulerError() override;

  // Reads the gauges' counts.
  void Refresh(events::EventRepository& repository, absl::Time now);

 private:
  metrics::Family<metrics::Counter>& collected_;
  metrics::Family<metrics::Counter>& responses_;
  metrics::Family<metrics::Counter>& escalations_;
  metrics::Family<metrics::Histogram>& delay_;
  metrics::Counter& scheduler_errors_;
  metrics::Gauge& open_events_;
  metrics::Gauge& running_;
  metrics::Gauge& due_soon_;
  metrics::Gauge& breached_;
  metrics::Counter& refresh_errors_;
  scheduler::ClockScheduler* scheduler_ = nullptr;
};

}  // namespace gongkai::opinion

#endif  // GONGKAI_SERVICES_OPINION_OPINION_METRICS_H_
