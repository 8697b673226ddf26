#include "services/website/website_app.h"

#include "libs/calendar/working_day_calendar.h"
#include "libs/directory/unit_directory.h"
#include "libs/evidence/evidence_handler.h"
#include "libs/log/log.h"
#include "services/website/evidence/website_evidence.h"
#include "services/website/mysql_website_repository.h"
#include "services/website/prober/probe_scheduler.h"
#include "services/website/supervision/run_worker.h"
#include "services/website/website.h"
#include "services/website/website_handler.h"
#include "services/website/website_metrics.h"

namespace gongkai::website {
namespace {

// Unit ids are the catalog's (libs/directory); until the catalog has answered once,
// creates naming a unit are UNAVAILABLE rather than accepted unchecked.
UnitCheck CheckUnitsIn(directory::UnitDirectory* units) {
  return [units](int64_t unit_id) { return units->Get(unit_id).status(); };
}

class WebsiteApp final : public server::ServiceApp {
 public:
  WebsiteApp(const server::ServiceEnvironment& env, const WebsiteConfig& config,
             std::unique_ptr<directory::UnitDirectory> units)
      : env_(env),
        config_(config),
        units_(std::move(units)),
        metrics_(*env.registry),
        repository_(NewMysqlWebsiteRepository(env.pool)),
        http_client_({.connect_timeout = config.connect_timeout,
                      .max_redirects = config.max_redirects,
                      .ca_file = config.ca_file}),
        fetcher_(&http_client_, {.max_concurrency = config.prober_max_concurrency,
                                 .host_interval = config.host_interval,
                                 .honour_robots = config.honour_robots}),
        checker_(&fetcher_),
        website_({repository_.get(), &checker_, env.calendar, env.rules, env.clock,
                  CheckUnitsIn(units_.get())}),
        handler_(&website_, env.authenticator),
        scheduler_(repository_.get(), &checker_, env.rules, env.clock,
                   [this](const v1::Probe& probe) { metrics_.ProbeRecorded(probe); },
                   {.workers = config.prober_workers, .claim_lease = config.claim_lease}),
        run_worker_(repository_.get(), &website_, env.clock,
                    {.batch = config.supervision_batch,
                     .lease = config.supervision_lease,
                     .batch_pause = config.supervision_pause}),
        evidence_(repository_.get(), CheckUnitsIn(units_.get())),
        evidence_handler_("website", &evidence_, env.authenticator, env.clock) {}

  ~WebsiteApp() override {
    scheduler_.Stop();
    run_worker_.Stop();
  }

  std::vector<server::HostedService> Services() override {
    return {server::Hosted<v1::WebsiteService>(&handler_),
            server::Hosted<common::v1::ComplianceEvidenceService>(&evidence_handler_)};
  }

  absl::Status Start(const server::Stopping& /*stopping*/) override {
    if (!started_) {
      if (config_.prober_enabled) scheduler_.Start();
      run_worker_.Start();
      started_ = true;
    }
    return absl::OkStatus();
  }

  void Refresh(const server::Stopping& stopping) override {
    if (recompute_pending_) OnCalendarChanged(stopping);
    absl::Status units = units_->Refresh();
    if (!units.ok()) {
      GK_LOG(WARNING, "refreshing the unit directory failed").With("status", units);
    }
    const absl::CivilDay today = calendar::TodayInShanghai(*env_.clock);
    absl::Duration interval = absl::Hours(1);
    absl::StatusOr<NationalRules> rules = ReadNationalRules(*env_.rules, today);
    if (rules.ok()) interval = ProbeInterval(*rules);
    metrics_.Refresh(*repository_, env_.clock->Now(), interval, today, fetcher_);
  }

  // NAT-1: a calendar year was loaded or replaced (and once at start-up): pending and
  // stale rectification deadlines are computed again. A failed pass is run again at the
  // next refresh, so a deadline is never left on a replaced year's data.
  void OnCalendarChanged(const server::Stopping& stopping) override {
    absl::StatusOr<int> changed = website_.RecomputeRectificationDeadlines(stopping);
    recompute_pending_ = !changed.ok();
    if (!changed.ok()) {
      metrics_.DeadlineRecomputeFailed();
      GK_LOG(WARNING, "recomputing rectification deadlines failed; retried at the next refresh")
          .With("status", changed.status());
      return;
    }
    metrics_.DeadlinesRecomputed(*changed);
    if (*changed > 0) GK_LOG(INFO, "rectification deadlines recomputed").With("notices", *changed);
  }

 private:
  server::ServiceEnvironment env_;
  WebsiteConfig config_;
  bool started_ = false;
  // Set when OnCalendarChanged failed; Refresh() runs it again (background thread only).
  bool recompute_pending_ = false;
  std::unique_ptr<directory::UnitDirectory> units_;
  WebsiteMetrics metrics_;
  std::unique_ptr<WebsiteRepository> repository_;
  prober::CurlHttpClient http_client_;
  prober::PoliteFetcher fetcher_;
  prober::SiteChecker checker_;
  Website website_;
  WebsiteHandler handler_;
  ProbeScheduler scheduler_;
  RunWorker run_worker_;
  WebsiteEvidence evidence_;
  evidence::ComplianceEvidenceHandler evidence_handler_;
};

}  // namespace

void ReadWebsiteConfig(config::ConfigReader& r, WebsiteConfig& c) {
  c.prober_enabled = r.Bool("prober_enabled", c.prober_enabled);
  c.prober_workers = static_cast<int>(r.Int("prober_workers", c.prober_workers, 1, 256));
  c.prober_max_concurrency =
      static_cast<int>(r.Int("prober_max_concurrency", c.prober_max_concurrency, 1, 1024));
  c.host_interval =
      r.Duration("prober_host_interval", c.host_interval, absl::ZeroDuration(), absl::Minutes(1));
  c.connect_timeout = r.Duration("prober_connect_timeout", c.connect_timeout,
                                 absl::Milliseconds(100), absl::Seconds(60));
  c.max_redirects = static_cast<int>(r.Int("prober_max_redirects", c.max_redirects, 0, 20));
  c.ca_file = r.String("prober_ca_file", "");
  c.honour_robots = r.Bool("prober_honour_robots", c.honour_robots);
  c.claim_lease = r.Duration("prober_claim_lease", c.claim_lease, absl::Seconds(1), absl::Hours(1));
  c.supervision_batch = static_cast<int>(r.Int("supervision_batch", c.supervision_batch, 1, 1000));
  c.supervision_lease =
      r.Duration("supervision_lease", c.supervision_lease, absl::Seconds(1), absl::Hours(1));
  c.supervision_pause =
      r.Duration("supervision_pause", c.supervision_pause, absl::ZeroDuration(), absl::Minutes(1));
}

absl::StatusOr<std::unique_ptr<server::ServiceApp>> NewWebsiteApp(
    const server::ServiceEnvironment& env, const WebsiteConfig& config) {
  absl::StatusOr<std::shared_ptr<grpc::Channel>> catalog = env.peers->Channel("catalog");
  if (!catalog.ok()) return catalog.status();
  return std::make_unique<WebsiteApp>(
      env, config, directory::NewRemoteUnitDirectory(*catalog, env.identity, *env.clock));
}

}  // namespace gongkai::website
