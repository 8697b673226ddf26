#include "services/website/website_metrics.h"

#include "libs/log/log.h"

namespace gongkai::website {

WebsiteMetrics::WebsiteMetrics(metrics::Registry& registry)
    : sites_(registry.AddGauge("website_sites", "Registered sites and accounts by state (WEB-1).",
                               {"state"})),
      probes_overdue_(registry
                          .AddGauge("website_probes_overdue",
                                    "Probe slots due for over one interval and not claimed "
                                    "(NAT-13 needs at least 20 probes a day).",
                                    {})
                          .WithLabels({})),
      runs_running_(registry
                        .AddGauge("website_supervision_runs_running",
                                  "Supervision runs in progress (WEB-2).", {})
                        .WithLabels({})),
      notices_overdue_(registry
                           .AddGauge("website_notices_overdue",
                                     "Notices of criticism past their rectification deadline "
                                     "and not rectified (WEB-4).",
                                     {})
                           .WithLabels({})),
      notices_deadline_pending_(
          registry
              .AddGauge("website_notices_deadline_pending",
                        "Notices of criticism not rectified whose rectification deadline waits "
                        "for the calendar of a year not loaded yet (NAT-1).",
                        {})
              .WithLabels({})),
      deadlines_recomputed_(
          registry
              .AddCounter("website_notice_deadlines_recomputed_total",
                          "Rectification deadlines changed after a calendar year was loaded or "
                          "replaced (NAT-1).",
                          {})
              .WithLabels({})),
      deadline_recompute_failures_(
          registry
              .AddCounter("website_notice_deadline_recompute_failures_total",
                          "Failed passes recomputing rectification deadlines after a calendar "
                          "change (retried at the next refresh; NAT-1).",
                          {})
              .WithLabels({})),
      probes_(
          registry.AddCounter("website_probes_total", "Probes recorded, by outcome.", {"outcome"})),
      slots_missed_(registry
                        .AddCounter("website_probe_slots_missed_total",
                                    "Scheduled probe slots that passed while no replica probed "
                                    "(recorded as gaps, not as failures; NAT-13).",
                                    {})
                        .WithLabels({})),
      home_seconds_(registry
                        .AddHistogram("website_probe_home_seconds",
                                      "Home-page load time of recorded probes.", {},
                                      {0.1, 0.25, 0.5, 1, 2, 5, 10, 15, 30})
                        .WithLabels({})),
      in_flight_(registry
                     .AddGauge("website_fetches_in_flight",
                               "Outbound HTTP requests of the prober in flight.", {})
                     .WithLabels({})),
      refresh_errors_(registry
                          .AddCounter("website_metrics_refresh_errors_total",
                                      "Failed refreshes of the website gauges.", {})
                          .WithLabels({})) {
  for (const char* outcome : {"ok", "failed", "disallowed"}) probes_.WithLabels({outcome});
  for (int state = v1::OPENING; state <= v1::MIGRATED; ++state) {
    sites_.WithLabels({v1::SiteState_Name(static_cast<v1::SiteState>(state))});
  }
}

void WebsiteMetrics::ProbeRecorded(const v1::Probe& probe) {
  const char* outcome = probe.robots_disallowed() ? "disallowed"
                        : probe.home_ok()         ? "ok"
                                                  : "failed";
  probes_.WithLabels({outcome}).Increment();
  if (probe.slots_missed_before() > 0) slots_missed_.Increment(probe.slots_missed_before());
  if (!probe.robots_disallowed()) home_seconds_.Observe(probe.elapsed_ms() / 1000.0);
}

void WebsiteMetrics::DeadlinesRecomputed(int changed) {
  if (changed > 0) deadlines_recomputed_.Increment(changed);
}

void WebsiteMetrics::DeadlineRecomputeFailed() { deadline_recompute_failures_.Increment(); }

void WebsiteMetrics::Refresh(WebsiteRepository& repository, absl::Time now,
                             absl::Duration probe_interval, absl::CivilDay today,
                             const prober::PoliteFetcher& fetcher) {
  in_flight_.Set(fetcher.in_flight());
  absl::StatusOr<WebsiteGauges> gauges = repository.ReadGauges(now, probe_interval, today);
  if (!gauges.ok()) {
    refresh_errors_.Increment();
    GK_LOG(WARNING, "refreshing the website gauges failed").With("status", gauges.status());
    return;
  }
  for (int state = v1::OPENING; state <= v1::MIGRATED; ++state) {
    sites_.WithLabels({v1::SiteState_Name(static_cast<v1::SiteState>(state))}).Set(0);
  }
  for (const auto& [state, count] : gauges->sites_by_state) {
    if (!v1::SiteState_IsValid(state)) continue;
    sites_.WithLabels({v1::SiteState_Name(static_cast<v1::SiteState>(state))})
        .Set(static_cast<double>(count));
  }
  probes_overdue_.Set(static_cast<double>(gauges->probes_overdue));
  runs_running_.Set(static_cast<double>(gauges->runs_running));
  notices_overdue_.Set(static_cast<double>(gauges->notices_overdue));
  notices_deadline_pending_.Set(static_cast<double>(gauges->notices_deadline_pending));
}

}  // namespace gongkai::website
