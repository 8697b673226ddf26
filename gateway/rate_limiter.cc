#include "gateway/rate_limiter.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <list>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/hash/hash.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"

namespace gongkai::gateway {
namespace {

constexpr size_t kMaxShards = 16;
// Small limiters (tests, tiny deployments) are one shard, so eviction order is exact.
constexpr size_t kMinBucketsPerShard = 1024;
constexpr size_t kClassCount = 3;

struct Bucket {
  std::string key;
  double tokens;
  absl::Time refilled_at;  // Also the time of last use: every Admit refills first.
};

// Buckets of one rate class in one shard, most recently used first. The index views
// point into the list nodes' keys, which do not move while the node lives.
struct ClassTable {
  std::list<Bucket> lru;
  absl::flat_hash_map<absl::string_view, std::list<Bucket>::iterator> index;
};

struct Shard {
  absl::Mutex mu;
  std::array<ClassTable, kClassCount> tables ABSL_GUARDED_BY(mu);
  size_t size ABSL_GUARDED_BY(mu) = 0;
};

double TokensAt(const Bucket& bucket, const RateLimit& limit, absl::Time now) {
  const double elapsed = std::max(0.0, absl::ToDoubleSeconds(now - bucket.refilled_at));
  return std::min(limit.burst, bucket.tokens + elapsed * limit.per_second);
}

absl::Status ValidateLimit(absl::string_view field, const RateLimit& limit) {
  if (!std::isfinite(limit.per_second) || limit.per_second < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ".per_second must be a finite number >= 0, got ", limit.per_second));
  }
  if (!std::isfinite(limit.burst) || limit.burst < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ".burst must be a finite number >= 0, got ", limit.burst));
  }
  if (limit.per_second > 0 && limit.burst < 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, ".burst must be at least 1 when per_second > 0 (no request could pass), got ",
        limit.burst));
  }
  return absl::OkStatus();
}

class TokenBucketRateLimiter final : public RateLimiter {
 public:
  TokenBucketRateLimiter(const RateLimitConfig& config, const Clock& clock)
      : limits_{config.authenticated, config.anonymous_read, config.anonymous_write},
        clock_(clock),
        shards_(std::clamp<size_t>(config.max_tracked_keys / kMinBucketsPerShard, 1, kMaxShards)),
        shard_capacity_(config.max_tracked_keys / shards_.size()) {}

  RateDecision Admit(absl::string_view key, RateClass rate_class) override {
    const size_t class_index = static_cast<size_t>(rate_class);
    const RateLimit& limit = limits_[class_index];
    if (limit.per_second == 0) return {true, absl::ZeroDuration()};
    const absl::Time now = clock_.Now();

    Shard& shard = ShardFor(key);
    absl::MutexLock lock(&shard.mu);
    ClassTable& table = shard.tables[class_index];
    Bucket* bucket;
    auto found = table.index.find(key);
    if (found != table.index.end()) {
      table.lru.splice(table.lru.begin(), table.lru, found->second);
      bucket = &*found->second;
      bucket->tokens = TokensAt(*bucket, limit, now);
      bucket->refilled_at = now;
    } else {
      if (shard.size >= shard_capacity_) EvictOne(shard, now);
      table.lru.push_front(Bucket{std::string(key), limit.burst, now});
      bucket = &table.lru.front();
      table.index.emplace(bucket->key, table.lru.begin());
      ++shard.size;
    }

    if (bucket->tokens >= 1) {
      bucket->tokens -= 1;
      return {true, absl::ZeroDuration()};
    }
    return {false, absl::Seconds((1 - bucket->tokens) / limit.per_second)};
  }

  size_t TrackedBuckets() const override {
    size_t total = 0;
    for (Shard& shard : shards_) {
      absl::MutexLock lock(&shard.mu);
      total += shard.size;
    }
    return total;
  }

 private:
  Shard& ShardFor(absl::string_view key) const {
    // High bits: the shard's hash maps use the low bits of the same hash.
    const uint64_t hash = absl::Hash<absl::string_view>{}(key);
    return shards_[(hash >> 40) % shards_.size()];
  }

  // Makes room for one bucket. Prefers the least recently used bucket of any class that
  // has refilled completely (dropping it changes no decision); otherwise drops the
  // least recently used bucket overall. O(number of classes).
  void EvictOne(Shard& shard, absl::Time now) ABSL_EXCLUSIVE_LOCKS_REQUIRED(shard.mu) {
    ClassTable* oldest = nullptr;
    for (size_t c = 0; c < kClassCount; ++c) {
      ClassTable& table = shard.tables[c];
      if (table.lru.empty()) continue;
      const Bucket& tail = table.lru.back();
      if (TokensAt(tail, limits_[c], now) >= limits_[c].burst) {
        Erase(shard, table);
        return;
      }
      if (oldest == nullptr || tail.refilled_at < oldest->lru.back().refilled_at) oldest = &table;
    }
    if (oldest != nullptr) Erase(shard, *oldest);
  }

  static void Erase(Shard& shard, ClassTable& table) ABSL_EXCLUSIVE_LOCKS_REQUIRED(shard.mu) {
    table.index.erase(absl::string_view(table.lru.back().key));
    table.lru.pop_back();
    --shard.size;
  }

  const std::array<RateLimit, kClassCount> limits_;
  const Clock& clock_;
  mutable std::vector<Shard> shards_;
  const size_t shard_capacity_;
};

}  // namespace

absl::string_view RateClassName(RateClass rate_class) {
  switch (rate_class) {
    case RateClass::kAuthenticated:
      return "authenticated";
    case RateClass::kAnonymousRead:
      return "anonymous_read";
    case RateClass::kAnonymousWrite:
      return "anonymous_write";
  }
  return "unknown";
}

absl::StatusOr<std::unique_ptr<RateLimiter>> NewTokenBucketRateLimiter(
    const RateLimitConfig& config, const Clock& clock) {
  for (absl::Status status : {ValidateLimit("authenticated", config.authenticated),
                              ValidateLimit("anonymous_read", config.anonymous_read),
                              ValidateLimit("anonymous_write", config.anonymous_write)}) {
    if (!status.ok()) return status;
  }
  if (config.max_tracked_keys == 0) {
    return absl::InvalidArgumentError("max_tracked_keys must be at least 1");
  }
  return std::unique_ptr<RateLimiter>(new TokenBucketRateLimiter(config, clock));
}

int64_t RetryAfterSeconds(absl::Duration retry_after) {
  const int64_t seconds = absl::ToInt64Seconds(absl::Ceil(retry_after, absl::Seconds(1)));
  return std::max<int64_t>(1, seconds);
}

}  // namespace gongkai::gateway
