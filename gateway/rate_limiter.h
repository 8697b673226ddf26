// Request rate limits at the gateway's edge: token buckets keyed by who is calling.
//
// The key is the principal ("sub:<subject>") for authenticated callers and the client
// address ("ip:<addr>") for anonymous ones; every (key, class) pair has its own bucket,
// so one caller's anonymous writes do not use up its reads. A bucket holds up to
// `burst` tokens, refills at `per_second`, and each admitted request takes one token.
// Anonymous writes (public comments, disclosure requests) get a much stricter default.
//
//   ASSIGN_OR_RETURN(std::unique_ptr<RateLimiter> limiter,
//                    NewTokenBucketRateLimiter(RateLimitConfig{}, clock));
//   RateDecision d = limiter->Admit("ip:203.0.113.7", RateClass::kAnonymousWrite);
//   if (!d.allowed) { /* 429, Retry-After: RetryAfterSeconds(d.retry_after) */ }
//
// Memory is bounded by `max_tracked_keys` buckets. When full, a new bucket replaces an
// idle bucket that has refilled completely (forgetting it loses nothing: a fresh bucket
// is full too); only when no such bucket is at hand is the least recently used one
// dropped, which hands that caller a fresh burst.
//
// Thread-safety: RateLimiter implementations are safe to call from many threads; the
// token-bucket limiter is split into up to 16 independently locked shards (one below
// 2048 tracked keys, so small limits evict in exact order), O(1) per call.
#ifndef GONGKAI_GATEWAY_RATE_LIMITER_H_
#define GONGKAI_GATEWAY_RATE_LIMITER_H_

#include <cstddef>
#include <cstdint>
#include <memory>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "libs/clock/clock.h"

namespace gongkai::gateway {

enum class RateClass { kAuthenticated, kAnonymousRead, kAnonymousWrite };

// "authenticated", "anonymous_read", "anonymous_write" (for logs and metric labels).
absl::string_view RateClassName(RateClass rate_class);

struct RateLimit {
  double per_second = 0;  // Sustained rate; 0 = unlimited (no bucket is kept).
  double burst = 0;       // Bucket size; at least 1 when per_second > 0.
};

struct RateLimitConfig {
  RateLimit authenticated{50, 100};
  RateLimit anonymous_read{20, 40};
  RateLimit anonymous_write{0.2, 5};  // Stricter default for anonymous writes.
  size_t max_tracked_keys = 100000;   // Memory bound (buckets); idle full buckets go first.
};

struct RateDecision {
  bool allowed;
  absl::Duration retry_after;  // When refused: how long until one token is back. Zero otherwise.
};

class RateLimiter {
 public:
  virtual ~RateLimiter() = default;

  // Takes one token from the bucket of (key, rate_class) if there is one.
  virtual RateDecision Admit(absl::string_view key, RateClass rate_class) = 0;

  // Buckets currently held (for a gauge); 0 for implementations that keep none.
  virtual size_t TrackedBuckets() const { return 0; }
};

// INVALID_ARGUMENT naming the bad field when a rate or burst is negative or not finite,
// a limited class has burst < 1, or max_tracked_keys is 0. `clock` must outlive the
// limiter.
absl::StatusOr<std::unique_ptr<RateLimiter>> NewTokenBucketRateLimiter(
    const RateLimitConfig& config, const Clock& clock);

// The Retry-After header value for a refusal: whole seconds, rounded up, at least 1.
int64_t RetryAfterSeconds(absl::Duration retry_after);

}  // namespace gongkai::gateway

#endif  // GONGKAI_GATEWAY_RATE_LIMITER_H_
