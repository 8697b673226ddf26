// Injected time. Domain code never calls absl::Now() directly: it asks a Clock, so
// tests can fix and advance time (FakeClock) and deadlines are reproducible.
//
// Thread-safe: every implementation may be called from any thread.
#ifndef GONGKAI_LIBS_CLOCK_CLOCK_H_
#define GONGKAI_LIBS_CLOCK_CLOCK_H_

#include <memory>

#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace gongkai {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual absl::Time Now() const = 0;
};

// Wall-clock time.
class RealClock final : public Clock {
 public:
  absl::Time Now() const override { return absl::Now(); }
};

// Time that only moves when told to; for tests.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(absl::Time start) : now_(start) {}
  absl::Time Now() const override {
    absl::MutexLock lock(&mu_);
    return now_;
  }
  void Set(absl::Time t) {
    absl::MutexLock lock(&mu_);
    now_ = t;
  }
  void Advance(absl::Duration d) {
    absl::MutexLock lock(&mu_);
    now_ += d;
  }

 private:
  mutable absl::Mutex mu_;
  absl::Time now_;
};

// The suite's civil time zone (dates are Asia/Shanghai, UTC+8 with no DST). Loaded from
// the system zoneinfo when present; a fixed +08:00 zone otherwise, which is identical.
absl::TimeZone ShanghaiTimeZone();

}  // namespace gongkai

#endif  // GONGKAI_LIBS_CLOCK_CLOCK_H_
