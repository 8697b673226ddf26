#include "services/website/prober/probe_scheduler.h"

#include <random>

#include "absl/strings/str_cat.h"
#include "libs/calendar/working_day_calendar.h"
#include "libs/log/log.h"
#include "libs/protoconv/protoconv.h"
#include "libs/status/status_macros.h"
#include "services/website/website.h"
#include "services/website/website_rules.h"

namespace gongkai::website {

SlotCatchUp CatchUp(int64_t site_id, absl::Time claimed, absl::Time now, absl::Duration interval) {
  SlotCatchUp result;
  result.slot = claimed;
  // The site's grid slot at or before now (NextSlot is the first one after now).
  const absl::Time latest_due = NextSlot(site_id, now, interval) - interval;
  if (latest_due <= claimed) return result;
  // Missed: the claimed slot (perhaps off the grid: a site's first slot is its
  // registration time) and every grid slot after it before latest_due.
  scoring::SlotGap gap;
  gap.first_slot = claimed;
  gap.interval = interval;
  const absl::Time first_grid = NextSlot(site_id, claimed, interval);
  absl::Duration remainder;
  const int64_t on_grid = first_grid < latest_due
                              ? absl::IDivDuration(latest_due - first_grid, interval, &remainder)
                              : 0;
  gap.slots = 1 + on_grid;
  gap.last_slot = on_grid > 0 ? latest_due - interval : claimed;
  result.slot = latest_due;
  result.gap = gap;
  return result;
}

ProbeScheduler::ProbeScheduler(WebsiteRepository* repository, prober::SiteChecker* checker,
                               std::shared_ptr<const rules::RuleBook> rules, const Clock* clock,
                               ProbeObserver observer, ProbeSchedulerOptions options)
    : repository_(repository),
      checker_(checker),
      rules_(std::move(rules)),
      clock_(clock),
      observer_(std::move(observer)),
      options_(std::move(options)) {
  if (options_.replica.empty()) {
    std::random_device random;
    options_.replica = absl::StrCat("r", random(), "-", random());
  }
}

ProbeScheduler::~ProbeScheduler() { Stop(); }

std::string ProbeScheduler::NewToken() {
  return absl::StrCat(options_.replica, "-", token_counter_.fetch_add(1));
}

absl::Status ProbeScheduler::ProbeSlot(const ClaimedSlot& slot, const std::string& token) {
  const absl::CivilDay today = calendar::TodayInShanghai(*clock_);
  ASSIGN_OR_RETURN(NationalRules rules, ReadNationalRules(*rules_, today));
  const absl::Duration interval = ProbeInterval(rules);
  absl::StatusOr<v1::Site> site = repository_->GetSite(slot.site_id);
  if (!site.ok() || !site->probed()) {
    // Gone or no longer probed (the schedule row goes with it); give the slot back.
    return repository_->ReleaseSlot(slot.site_id, token,
                                    NextSlot(slot.site_id, clock_->Now(), interval));
  }
  ASSIGN_OR_RETURN(std::vector<v1::Column> columns, repository_->ListColumns(site->id(), 0, 200));
  const absl::Time started = clock_->Now();
  const absl::Duration content_every = absl::Hours(24) / rules.content_checks_per_day.value;
  const bool content =
      !slot.last_content_check.has_value() || started - *slot.last_content_check >= content_every;
  // NAT-13: the probe takes the latest slot due; slots before it that passed while no
  // replica ran (all stopped, or behind) are a gap, recorded with it — never probed late
  // (that would show the site as it is now) and never counted as the site's failures.
  const SlotCatchUp catch_up = CatchUp(site->id(), slot.slot, started, interval);
  v1::Probe probe = checker_->Check(TargetOf(*site, columns),
                                    {.home_timeout = rules.home_timeout.value,
                                     .links_sampled = static_cast<int>(rules.links_sampled.value),
                                     .content = content},
                                    today, started);
  *probe.mutable_slot_start() = ToTimestamp(catch_up.slot);
  probe.set_scheduled(true);
  if (catch_up.gap.has_value()) probe.set_slots_missed_before(catch_up.gap->slots);
  const absl::Time now = clock_->Now();
  absl::StatusOr<v1::Probe> recorded = repository_->RecordProbe(
      std::move(probe), token, NextSlot(site->id(), now, interval), now, catch_up.gap);
  if (!recorded.ok()) return recorded.status();
  if (observer_) observer_(*recorded);
  return absl::OkStatus();
}

absl::StatusOr<int> ProbeScheduler::RunOnce(int limit) {
  const std::string token = NewToken();
  ASSIGN_OR_RETURN(std::vector<ClaimedSlot> slots,
                   repository_->ClaimDueSlots(token, clock_->Now(), options_.claim_lease, limit));
  int recorded = 0;
  for (const ClaimedSlot& slot : slots) {
    absl::Status status = ProbeSlot(slot, token);
    if (status.ok()) {
      ++recorded;
    } else {
      GK_LOG(WARNING, "probe not recorded").With("site_id", slot.site_id).With("status", status);
    }
  }
  return recorded;
}

void ProbeScheduler::Start() {
  stopping_ = false;
  threads_.emplace_back([this] { ClaimLoop(); });
  for (int i = 0; i < options_.workers; ++i) threads_.emplace_back([this] { WorkerLoop(); });
}

void ProbeScheduler::Stop() {
  stopping_ = true;
  std::deque<std::pair<ClaimedSlot, std::string>> unstarted;
  {
    absl::MutexLock lock(&mu_);
    unstarted.swap(queue_);
  }
  for (std::thread& t : threads_) {
    if (t.joinable()) t.join();
  }
  threads_.clear();
  // Claims this replica will not probe are given back still due, so another replica
  // takes them at once rather than after the lease (a killed replica's claims expire).
  for (const auto& [slot, token] : unstarted) {
    absl::Status released = repository_->ReleaseSlot(slot.site_id, token, slot.slot);
    if (!released.ok()) {
      GK_LOG(WARNING, "releasing a probe slot failed").With("site_id", slot.site_id);
    }
  }
}

void ProbeScheduler::ClaimLoop() {
  while (!stopping_) {
    int room = 0;
    {
      absl::MutexLock lock(&mu_);
      room = options_.workers * 2 - static_cast<int>(queue_.size()) - busy_;
    }
    if (room > 0) {
      const std::string token = NewToken();
      absl::StatusOr<std::vector<ClaimedSlot>> slots =
          repository_->ClaimDueSlots(token, clock_->Now(), options_.claim_lease, room);
      if (!slots.ok()) {
        GK_LOG(WARNING, "claiming probe slots failed").With("status", slots.status());
      } else if (!slots->empty()) {
        absl::MutexLock lock(&mu_);
        for (const ClaimedSlot& slot : *slots) queue_.emplace_back(slot, token);
        continue;  // More may be due: claim again at once.
      }
    }
    absl::SleepFor(options_.poll_interval);
  }
}

void ProbeScheduler::WorkerLoop() {
  while (!stopping_) {
    std::optional<std::pair<ClaimedSlot, std::string>> work;
    {
      absl::MutexLock lock(&mu_);
      const auto ready = [this]() ABSL_SHARED_LOCKS_REQUIRED(mu_) {
        return !queue_.empty() || stopping_.load();
      };
      mu_.AwaitWithTimeout(absl::Condition(&ready), absl::Milliseconds(200));
      if (queue_.empty()) continue;
      work = queue_.front();
      queue_.pop_front();
      ++busy_;
    }
    absl::Status status = ProbeSlot(work->first, work->second);
    if (!status.ok()) {
      GK_LOG(WARNING, "probe not recorded")
          .With("site_id", work->first.site_id)
          .With("status", status);
    }
    absl::MutexLock lock(&mu_);
    --busy_;
  }
}

}  // namespace gongkai::website
