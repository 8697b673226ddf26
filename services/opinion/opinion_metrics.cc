#include "services/opinion/opinion_metrics.h"

#include <string>

#include "absl/strings/ascii.h"
#include "libs/log/log.h"
#include "libs/protoconv/protoconv.h"
#include "services/opinion/clocks/clock_plan.h"

namespace gongkai::opinion {
namespace {

std::string Lower(const std::string& name) { return absl::AsciiStrToLower(name); }

}  // namespace

OpinionMetrics::OpinionMetrics(metrics::Registry& registry)
    : collected_(registry.AddCounter("opinion_events_collected_total",
                                     "Opinion events collected (OPI-1, OPI-3).",
                                     {"category", "grade"})),
      responses_(registry.AddCounter("opinion_responses_total",
                                     "Answers published, and whether they contradict an "
                                     "earlier answer (OPI-2).",
                                     {"channel", "contradicts"})),
      escalations_(registry.AddCounter("opinion_clock_escalations_total",
                                       "Clock escalations recorded by this replica's scheduler "
                                       "(OPI-4, NAT-12).",
                                       {"clock", "stage"})),
      delay_(registry.AddHistogram("opinion_clock_escalation_delay_seconds",
                                   "Time from a clock's due-soon or deadline moment to the "
                                   "escalation's record.",
                                   {"stage"}, {0.05, 0.1, 0.25, 0.5, 1, 2, 5, 30, 300, 3600})),
      scheduler_errors_(registry
                            .AddCounter("opinion_scheduler_errors_total",
                                        "Clock scheduler passes that failed (retried).", {})
                            .WithLabels({})),
      open_events_(registry.AddGauge("opinion_open_events", "Opinion events not closed.", {})
                       .WithLabels({})),
      running_(registry.AddGauge("opinion_clocks_running", "Response clocks running.", {})
                   .WithLabels({})),
      due_soon_(registry
                    .AddGauge("opinion_clocks_due_soon",
                              "Running clocks marked due soon, deadline not passed.", {})
                    .WithLabels({})),
      breached_(registry
                    .AddGauge("opinion_clocks_breached",
                              "Running clocks past their deadline (no answer yet).", {})
                    .WithLabels({})),
      refresh_errors_(registry
                          .AddCounter("opinion_metrics_refresh_errors_total",
                                      "Gauge refreshes that failed.", {})
                          .WithLabels({})) {}

void OpinionMetrics::EventCollected(const v1::OpinionEvent& event) {
  collected_
      .WithLabels({Lower(v1::EventCategory_Name(event.category())),
                   Lower(v1::EventGrade_Name(event.grade()))})
      .Increment();
}

void OpinionMetrics::ResponseRecorded(const v1::EventResponse& response, bool contradicts) {
  responses_
      .WithLabels(
          {Lower(v1::ResponseChannel_Name(response.channel())), contradicts ? "true" : "false"})
      .Increment();
}

void OpinionMetrics::ClocksChanged() {
  if (scheduler_ != nullptr) scheduler_->Wake();
}

void OpinionMetrics::Escalated(const v1::Escalation& escalation) {
  const bool breach = escalation.stage() == v1::ESCALATION_BREACHED;
  const std::string stage = breach ? "breached" : "due_soon";
  escalations_.WithLabels({std::string(clocks::ClockName(escalation.clock_kind())), stage})
      .Increment();
  delay_.WithLabels({stage}).Observe(absl::ToDoubleSeconds(FromTimestamp(escalation.record_time()) -
                                                           FromTimestamp(escalation.due_time())));
  if (breach) {
    breached_.Increment();
    due_soon_.Decrement();
  } else {
    due_soon_.Increment();
  }
}

void OpinionMetrics::SchedulerError() { scheduler_errors_.Increment(); }

void OpinionMetrics::Refresh(events::EventRepository& repository, absl::Time now) {
  absl::StatusOr<events::ClockCounts> counts = repository.CountClocks(now);
  if (!counts.ok()) {
    refresh_errors_.Increment();
    GK_LOG(WARNING, "opinion gauges not refreshed").With("status", counts.status());
    return;
  }
  open_events_.Set(static_cast<double>(counts->open_events));
  running_.Set(static_cast<double>(counts->running));
  due_soon_.Set(static_cast<double>(counts->due_soon));
  breached_.Set(static_cast<double>(counts->breached));
}

}  // namespace gongkai::opinion
