// The scheduled prober (NAT-13), shared by every replica of the service: each replica
// claims due slots in the database (WebsiteRepository::ClaimDueSlots, a conditional
// UPDATE), probes them on a bounded pool of workers and records each result while its
// claim holds. A slot is never recorded twice (the claim is checked in the same
// transaction, and scheduled probes are unique per site and slot); a replica that stops
// leaves its claims to expire, and another replica takes the slots over. Sites are
// probed probe.per_day times a day (>= 20), spread over the day by site id; a content
// check (columns, links, names) runs probe.content_checks_per_day times a day.
//
//   ProbeScheduler scheduler(&repository, &checker, rules, clock, observer, options);
//   scheduler.Start();      // background threads
//   ...
//   scheduler.Stop();       // waits for probes in flight
//   // tests: scheduler.RunOnce() claims and probes one batch on the calling thread.
//
// Thread-safe.
#ifndef GONGKAI_SERVICES_WEBSITE_PROBER_PROBE_SCHEDULER_H_
#define GONGKAI_SERVICES_WEBSITE_PROBER_PROBE_SCHEDULER_H_

#include <atomic>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "libs/clock/clock.h"
#include "libs/rules/rule_book.h"
#include "services/website/prober/site_checker.h"
#include "services/website/website_repository.h"

namespace gongkai::website {

struct ProbeSchedulerOptions {
  int workers = 8;  // Sites probed at once by this replica.
  absl::Duration claim_lease = absl::Minutes(5);
  absl::Duration poll_interval = absl::Seconds(1);
  std::string replica{};  // Prefix of this replica's claim tokens (default: random).
};

// Which slot a probe made at `now` for a claimed slot takes, and the slots missed before
// it (NAT-13): a replica that claims a slot long due (every replica was stopped) probes
// for the latest slot due and records the earlier ones as a gap.
struct SlotCatchUp {
  absl::Time slot;
  std::optional<scoring::SlotGap> gap;
};
SlotCatchUp CatchUp(int64_t site_id, absl::Time claimed, absl::Time now, absl::Duration interval);

// Told about every probe recorded (metrics).
using ProbeObserver = std::function<void(const v1::Probe& probe)>;

class ProbeScheduler {
 public:
  ProbeScheduler(WebsiteRepository* repository, prober::SiteChecker* checker,
                 std::shared_ptr<const rules::RuleBook> rules, const Clock* clock,
                 ProbeObserver observer, ProbeSchedulerOptions options);
  ~ProbeScheduler();

  void Start();
  void Stop();

  // Claims up to `limit` due slots and probes them on the calling thread; returns how
  // many were recorded.
  absl::StatusOr<int> RunOnce(int limit);

 private:
  absl::Status ProbeSlot(const ClaimedSlot& slot, const std::string& token);
  void ClaimLoop();
  void WorkerLoop();
  std::string NewToken();

  WebsiteRepository* repository_;
  prober::SiteChecker* checker_;
  std::shared_ptr<const rules::RuleBook> rules_;
  const Clock* clock_;
  ProbeObserver observer_;
  ProbeSchedulerOptions options_;
  std::atomic<bool> stopping_{false};
  std::atomic<int64_t> token_counter_{0};
  absl::Mutex mu_;
  std::deque<std::pair<ClaimedSlot, std::string>> queue_ ABSL_GUARDED_BY(mu_);
  int busy_ ABSL_GUARDED_BY(mu_) = 0;
  std::vector<std::thread> threads_;
};

}  // namespace gongkai::website

#endif  // GONGKAI_SERVICES_WEBSITE_PROBER_PROBE_SCHEDULER_H_
