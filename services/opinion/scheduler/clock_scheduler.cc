#include "services/opinion/scheduler/clock_scheduler.h"

#include <algorithm>
#include <utility>

#include "absl/time/clock.h"
#include "libs/log/log.h"
#include "libs/status/status_macros.h"

namespace gongkai::opinion::scheduler {

ClockScheduler::ClockScheduler(events::EventRepository* repository, const Clock* clock,
                               EscalationObserver* observer, SchedulerOptions options)
    : repository_(repository), clock_(clock), observer_(observer), options_(std::move(options)) {}

ClockScheduler::~ClockScheduler() { Stop(); }

void ClockScheduler::Start() {
  absl::MutexLock lock(&mu_);
  if (thread_ != nullptr) return;
  stopping_ = false;
  thread_ = std::make_unique<std::thread>([this] { Run(); });
}

void ClockScheduler::Stop() {
  std::unique_ptr<std::thread> thread;
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
    thread = std::move(thread_);
  }
  if (thread != nullptr) thread->join();
}

void ClockScheduler::Wake() {
  absl::MutexLock lock(&mu_);
  woken_ = true;
}

absl::StatusOr<std::vector<v1::Escalation>> ClockScheduler::FireDueNow() {
  std::vector<v1::Escalation> all;
  while (true) {
    int claimed = 0;
    ASSIGN_OR_RETURN(
        std::vector<v1::Escalation> recorded,
        repository_->FireDue(clock_->Now(), options_.batch, options_.replica, &claimed));
    for (v1::Escalation& e : recorded) {
      if (observer_ != nullptr) observer_->Escalated(e);
      all.push_back(std::move(e));
    }
    if (claimed < options_.batch) break;
    absl::MutexLock lock(&mu_);
    if (stopping_) break;
  }
  return all;
}

void ClockScheduler::Run() {
  while (true) {
    absl::Duration wait = options_.poll;
    absl::StatusOr<std::vector<v1::Escalation>> fired = FireDueNow();
    absl::StatusOr<std::optional<absl::Time>> next =
        fired.ok() ? repository_->NextFireTime() : fired.status();
    if (!next.ok()) {
      GK_LOG(WARNING, "opinion clock scheduler pass failed").With("status", next.status());
      if (observer_ != nullptr) observer_->SchedulerError();
      wait = options_.retry;
    } else if (next->has_value()) {
      // Sleep exactly until the earliest clock needs us (at most `poll`).
      wait = std::clamp(**next - clock_->Now(), absl::ZeroDuration(), options_.poll);
    }
    absl::MutexLock lock(&mu_);
    auto wake = [this]() { return stopping_ || woken_; };
    mu_.AwaitWithTimeout(absl::Condition(&wake), wait);
    if (stopping_) return;
    woken_ = false;
  }
}

}  // namespace gongkai::opinion::scheduler
