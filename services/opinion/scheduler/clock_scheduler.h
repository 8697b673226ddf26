// The OPI-4/NAT-12 clock scheduler inside the opinion service: it marks each clock due
// soon and breached at the moment that happens — not at the next page view —, records
// the escalation, and tells the metrics. Several replicas may run it on one database:
// each due clock is claimed by a conditional UPDATE in the same transaction as its
// escalation rows (EventRepository::FireDue), so no clock fires twice, and since the
// work queue is the database (opinion_clocks.next_fire_time), a clock that fell due
// while every replica was down is recorded by the first one back (its record time says
// when; the escalation keeps the deadline).
//
//   ClockScheduler scheduler(repository, clock, &metrics, {.replica = "opinion-7f9c"});
//   scheduler.Start();        // background thread
//   scheduler.Wake();         // a clock was started here: look again now
//   scheduler.Stop();
//
// The thread sleeps until the earliest next fire time (read from the index) or at most
// `poll` (clocks started on other replicas), so an idle scheduler costs one indexed
// query per poll. FireDueNow() is the same pass without the thread, on the injected
// clock, for tests.
//
// Thread-safety: Start/Stop/Wake from any thread; FireDueNow may run beside the thread.
#ifndef GONGKAI_SERVICES_OPINION_SCHEDULER_CLOCK_SCHEDULER_H_
#define GONGKAI_SERVICES_OPINION_SCHEDULER_CLOCK_SCHEDULER_H_

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "gongkai/opinion/v1/opinion.pb.h"
#include "libs/clock/clock.h"
#include "services/opinion/events/event_repository.h"

namespace gongkai::opinion::scheduler {

namespace v1 = ::gongkai::opinion::v1;

// Told about each escalation recorded by this replica (metrics). Thread-safe.
class EscalationObserver {
 public:
  virtual ~EscalationObserver() = default;
  virtual void Escalated(const v1::Escalation& escalation) = 0;
  virtual void SchedulerError() = 0;
};

struct SchedulerOptions {
  // Names this replica in the escalations it records.
  std::string replica = "opinion";
  // The longest sleep: how soon clocks started on another replica are seen.
  absl::Duration poll = absl::Seconds(1);
  // Clocks claimed per transaction.
  int batch = 200;
  // After a database error, the wait before trying again.
  absl::Duration retry = absl::Seconds(1);
};

class ClockScheduler {
 public:
  // `repository`, `clock` and `observer` (may be null) must outlive the scheduler.
  ClockScheduler(events::EventRepository* repository, const Clock* clock,
                 EscalationObserver* observer, SchedulerOptions options);
  ~ClockScheduler();  // Stops the thread.
  ClockScheduler(const ClockScheduler&) = delete;
  ClockScheduler& operator=(const ClockScheduler&) = delete;

  void Start();
  void Stop();
  void Wake();

  // Records everything due at clock->Now(), batch after batch; returns the escalations
  // this replica recorded.
  absl::StatusOr<std::vector<v1::Escalation>> FireDueNow();

 private:
  void Run();

  events::EventRepository* repository_;
  const Clock* clock_;
  EscalationObserver* observer_;
  const SchedulerOptions options_;

  absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  bool woken_ ABSL_GUARDED_BY(mu_) = false;
  std::unique_ptr<std::thread> thread_;
};

}  // namespace gongkai::opinion::scheduler

#endif  // GONGKAI_SERVICES_OPINION_SCHEDULER_CLOCK_SCHEDULER_H_
