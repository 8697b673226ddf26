// The background work of supervision runs (WEB-2): any replica claims a RUNNING run
// (a conditional UPDATE; an expired claim is taken over), evaluates its sites in id
// order in batches, and stores each batch's results together with the run's cursor in
// one transaction — so a restart resumes after the last stored batch, and a cancelled
// run (or one another replica took over) stores nothing more. A replica stopping
// cleanly gives its run back at once; a killed one leaves a claim that expires after
// `lease`.
//
// Each cadence does what its name says (the scope is scoring::EvaluationInput::scope):
//   WEEKLY_CHECK        availability over the week and the home page's freshness
//   MONTHLY_MONITORING  the full national scoring, websites and working accounts
//   QUARTERLY_CENSUS    every registered site: the register's completeness + scoring
//   ANNUAL_REPORT       each site's annual report (and its year-end scoring); when the
//                       run ends, the supervising office's report over all of them
//
//   RunWorker worker(&repository, &website, clock, {.batch = 50});
//   worker.Start();          // polls for runs in the background
//   worker.RunOnce();        // tests: claims one run and works it to the end
//
// Thread-safe.
#ifndef GONGKAI_SERVICES_WEBSITE_SUPERVISION_RUN_WORKER_H_
#define GONGKAI_SERVICES_WEBSITE_SUPERVISION_RUN_WORKER_H_

#include <atomic>
#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "libs/clock/clock.h"
#include "services/website/website.h"
#include "services/website/website_repository.h"

namespace gongkai::website {

struct RunWorkerOptions {
  int batch = 50;
  absl::Duration lease = absl::Minutes(2);
  absl::Duration poll_interval = absl::Seconds(2);
  // A pause between batches, so a long run leaves the database to the prober.
  absl::Duration batch_pause = absl::ZeroDuration();
  std::string replica{};
};

class RunWorker {
 public:
  RunWorker(WebsiteRepository* repository, Website* website, const Clock* clock,
            RunWorkerOptions options);
  ~RunWorker();

  void Start();
  void Stop();

  // Claims one run and works on it until it ends, is cancelled, or `max_batches`
  // batches were stored (-1: no limit). Returns the batches stored (0: no run).
  absl::StatusOr<int> RunOnce(int max_batches = -1);

 private:
  void Loop();
  absl::StatusOr<v1::SupervisionResult> Work(const v1::SupervisionRun& run, const v1::Site& site);
  absl::StatusOr<v1::OfficeAnnualReport> OfficeReport(
      const v1::SupervisionRun& run, const std::vector<v1::SupervisionResult>& last_batch);

  WebsiteRepository* repository_;
  Website* website_;
  const Clock* clock_;
  RunWorkerOptions options_;
  std::atomic<bool> stopping_{false};
  std::atomic<int64_t> counter_{0};
  std::thread thread_;
};

}  // namespace gongkai::website

#endif  // GONGKAI_SERVICES_WEBSITE_SUPERVISION_RUN_WORKER_H_
