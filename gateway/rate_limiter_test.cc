#include "gateway/rate_limiter.h"

#include <atomic>
#include <limits>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "libs/clock/clock.h"

namespace gongkai::gateway {
namespace {

using ::testing::HasSubstr;

class RateLimiterTest : public ::testing::Test {
 protected:
  std::unique_ptr<RateLimiter> Make(const RateLimitConfig& config) {
    absl::StatusOr<std::unique_ptr<RateLimiter>> limiter =
        NewTokenBucketRateLimiter(config, clock_);
    EXPECT_TRUE(limiter.ok()) << limiter.status();
    return std::move(limiter).value();
  }

  // How many of `n` back-to-back requests pass.
  static int AdmittedOf(RateLimiter& limiter, absl::string_view key, RateClass rate_class, int n) {
    int admitted = 0;
    for (int i = 0; i < n; ++i) admitted += limiter.Admit(key, rate_class).allowed ? 1 : 0;
    return admitted;
  }

  FakeClock clock_{absl::FromUnixSeconds(1700000000)};
};

TEST_F(RateLimiterTest, BurstPassesThenRefusesWithRetryAfter) {
  RateLimitConfig config;
  config.authenticated = {10, 3};
  auto limiter = Make(config);
  EXPECT_EQ(AdmittedOf(*limiter, "sub:alice", RateClass::kAuthenticated, 3), 3);
  RateDecision refused = limiter->Admit("sub:alice", RateClass::kAuthenticated);
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after, absl::Milliseconds(100));
  EXPECT_EQ(RetryAfterSeconds(refused.retry_after), 1);
}

TEST_F(RateLimiterTest, TokensRefillAtTheConfiguredRate) {
  RateLimitConfig config;
  config.authenticated = {10, 3};
  auto limiter = Make(config);
  ASSERT_EQ(AdmittedOf(*limiter, "sub:alice", RateClass::kAuthenticated, 5), 3);
  clock_.Advance(absl::Milliseconds(200));  // Two tokens back.
  EXPECT_EQ(AdmittedOf(*limiter, "sub:alice", RateClass::kAuthenticated, 5), 2);
  clock_.Advance(absl::Hours(1));  // Never more than the burst.
  EXPECT_EQ(AdmittedOf(*limiter, "sub:alice", RateClass::kAuthenticated, 10), 3);
}

TEST_F(RateLimiterTest, AnonymousWritesHaveTheStricterDefault) {
  auto limiter = Make(RateLimitConfig{});
  EXPECT_EQ(AdmittedOf(*limiter, "ip:203.0.113.7", RateClass::kAnonymousWrite, 20), 5);
  RateDecision refused = limiter->Admit("ip:203.0.113.7", RateClass::kAnonymousWrite);
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(RetryAfterSeconds(refused.retry_after), 5);  // 0.2 per second.
  // Reads from the same address use their own, larger bucket.
  EXPECT_EQ(AdmittedOf(*limiter, "ip:203.0.113.7", RateClass::kAnonymousRead, 100), 40);
}

TEST_F(RateLimiterTest, KeysAndClassesHaveSeparateBuckets) {
  RateLimitConfig config;
  config.authenticated = {1, 2};
  config.anonymous_read = {1, 2};
  auto limiter = Make(config);
  EXPECT_EQ(AdmittedOf(*limiter, "sub:alice", RateClass::kAuthenticated, 5), 2);
  EXPECT_EQ(AdmittedOf(*limiter, "sub:bob", RateClass::kAuthenticated, 5), 2);
  EXPECT_EQ(AdmittedOf(*limiter, "sub:alice", RateClass::kAnonymousRead, 5), 2);
}

TEST_F(RateLimiterTest, ZeroRateMeansUnlimitedAndTracksNothing) {
  RateLimitConfig config;
  config.authenticated = {0, 0};
  auto limiter = Make(config);
  EXPECT_EQ(AdmittedOf(*limiter, "sub:batch", RateClass::kAuthenticated, 10000), 10000);
  EXPECT_EQ(limiter->TrackedBuckets(), 0u);
}

TEST_F(RateLimiterTest, MemoryStaysWithinMaxTrackedKeys) {
  RateLimitConfig config;
  config.max_tracked_keys = 4096;  // Several shards.
  auto limiter = Make(config);
  for (int i = 0; i < 20000; ++i) {
    limiter->Admit(absl::StrCat("ip:10.", i / 65536, ".", i / 256 % 256, ".", i % 256),
                   RateClass::kAnonymousRead);
  }
  EXPECT_LE(limiter->TrackedBuckets(), 4096u);
  EXPECT_GT(limiter->TrackedBuckets(), 3000u);
}

TEST_F(RateLimiterTest, IdleFullBucketsAreEvictedBeforeDrainedOnes) {
  RateLimitConfig config;
  config.max_tracked_keys = 2;
  config.authenticated = {1, 2};
  config.anonymous_write = {0.001, 2};  // Does not refill within the test.
  auto limiter = Make(config);
  ASSERT_EQ(AdmittedOf(*limiter, "ip:abuser", RateClass::kAnonymousWrite, 3), 2);
  ASSERT_TRUE(limiter->Admit("sub:idle", RateClass::kAuthenticated).allowed);
  clock_.Advance(absl::Seconds(10));  // sub:idle is full again; ip:abuser is not.
  // A newcomer needs room: the full idle bucket goes although ip:abuser is older.
  ASSERT_TRUE(limiter->Admit("sub:newcomer", RateClass::kAuthenticated).allowed);
  EXPECT_EQ(limiter->TrackedBuckets(), 2u);
  EXPECT_FALSE(limiter->Admit("ip:abuser", RateClass::kAnonymousWrite).allowed);
}

TEST_F(RateLimiterTest, LeastRecentlyUsedIsDroppedWhenNothingIsFull) {
  RateLimitConfig config;
  config.max_tracked_keys = 2;
  config.authenticated = {0.001, 1};
  auto limiter = Make(config);
  ASSERT_TRUE(limiter->Admit("sub:a", RateClass::kAuthenticated).allowed);
  ASSERT_TRUE(limiter->Admit("sub:b", RateClass::kAuthenticated).allowed);
  ASSERT_TRUE(limiter->Admit("sub:c", RateClass::kAuthenticated).allowed);   // Drops sub:a.
  EXPECT_FALSE(limiter->Admit("sub:b", RateClass::kAuthenticated).allowed);  // Still drained.
  // sub:a was forgotten and gets a fresh bucket: the documented cost of the memory bound.
  EXPECT_TRUE(limiter->Admit("sub:a", RateClass::kAuthenticated).allowed);
  EXPECT_EQ(limiter->TrackedBuckets(), 2u);
}

TEST_F(RateLimiterTest, ConcurrentCallersNeverExceedTheBurst) {
  RateLimitConfig config;
  config.authenticated = {1, 1000};
  auto limiter = Make(config);
  std::atomic<int> admitted{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 500; ++i) {
        if (limiter->Admit("sub:shared", RateClass::kAuthenticated).allowed) ++admitted;
        limiter->Admit(absl::StrCat("sub:own", i), RateClass::kAuthenticated);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(admitted.load(), 1000);  // The fake clock does not move.
}

TEST_F(RateLimiterTest, ClockGoingBackwardsGrantsNothing) {
  RateLimitConfig config;
  config.authenticated = {1, 1};
  auto limiter = Make(config);
  ASSERT_TRUE(limiter->Admit("sub:alice", RateClass::kAuthenticated).allowed);
  clock_.Advance(absl::Seconds(-30));
  EXPECT_FALSE(limiter->Admit("sub:alice", RateClass::kAuthenticated).allowed);
}

TEST(RateLimiterConfigTest, RejectsBadConfigurationNamingTheField) {
  FakeClock clock(absl::UnixEpoch());
  RateLimitConfig negative;
  negative.anonymous_read.per_second = -1;
  EXPECT_THAT(NewTokenBucketRateLimiter(negative, clock).status().message(),
              HasSubstr("anonymous_read.per_second"));
  EXPECT_EQ(NewTokenBucketRateLimiter(negative, clock).status().code(),
            absl::StatusCode::kInvalidArgument);

  RateLimitConfig no_burst;
  no_burst.anonymous_write = {1, 0.5};
  EXPECT_THAT(NewTokenBucketRateLimiter(no_burst, clock).status().message(),
              HasSubstr("anonymous_write.burst must be at least 1"));

  RateLimitConfig not_finite;
  not_finite.authenticated.burst = std::numeric_limits<double>::infinity();
  EXPECT_THAT(NewTokenBucketRateLimiter(not_finite, clock).status().message(),
              HasSubstr("authenticated.burst"));

  RateLimitConfig no_room;
  no_room.max_tracked_keys = 0;
  EXPECT_THAT(NewTokenBucketRateLimiter(no_room, clock).status().message(),
              HasSubstr("max_tracked_keys"));
}

TEST(RetryAfterSecondsTest, RoundsUpToWholeSecondsAndNeverZero) {
  EXPECT_EQ(RetryAfterSeconds(absl::Milliseconds(1)), 1);
  EXPECT_EQ(RetryAfterSeconds(absl::ZeroDuration()), 1);
  EXPECT_EQ(RetryAfterSeconds(absl::Milliseconds(4001)), 5);
  EXPECT_EQ(RetryAfterSeconds(absl::Seconds(5)), 5);
}

TEST(RateClassNameTest, NamesEveryClass) {
  EXPECT_EQ(RateClassName(RateClass::kAuthenticated), "authenticated");
  EXPECT_EQ(RateClassName(RateClass::kAnonymousRead), "anonymous_read");
  EXPECT_EQ(RateClassName(RateClass::kAnonymousWrite), "anonymous_write");
}

}  // namespace
}  // namespace gongkai::gateway
