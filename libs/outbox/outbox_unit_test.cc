// Unit tests of libs/outbox that need no database: the back-off, the retry/park
// classification, event and option validation.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "libs/clock/clock.h"
#include "libs/db/connection_pool.h"
#include "libs/outbox/outbox.h"
#include "libs/outbox/outbox_store.h"
#include "libs/status/errors.h"

namespace gongkai::outbox {
namespace {

using ::testing::HasSubstr;

TEST(BackoffDelayTest, GrowsExponentiallyFromTheInitialWait) {
  BackoffPolicy policy;
  policy.initial = absl::Milliseconds(200);
  policy.max = absl::Seconds(60);
  policy.multiplier = 2.0;
  // jitter 1 is the top of the [½, 1] band: the plain exponential.
  EXPECT_EQ(BackoffDelay(policy, 1, 1.0), absl::Milliseconds(200));
  EXPECT_EQ(BackoffDelay(policy, 2, 1.0), absl::Milliseconds(400));
  EXPECT_EQ(BackoffDelay(policy, 3, 1.0), absl::Milliseconds(800));
  EXPECT_EQ(BackoffDelay(policy, 8, 1.0), absl::Milliseconds(25600));
}

TEST(BackoffDelayTest, IsCappedAtTheMaximumEvenForHugeAttemptCounts) {
  BackoffPolicy policy;
  policy.initial = absl::Milliseconds(200);
  policy.max = absl::Seconds(60);
  EXPECT_EQ(BackoffDelay(policy, 10, 1.0), absl::Seconds(60));
  EXPECT_EQ(BackoffDelay(policy, 100000, 1.0), absl::Seconds(60));  // 2^99999 overflows.
}

TEST(BackoffDelayTest, JitterSpreadsTheWaitOverTheUpperHalfAndNeverToZero) {
  BackoffPolicy policy;
  policy.initial = absl::Seconds(1);
  EXPECT_EQ(BackoffDelay(policy, 1, 0.0), absl::Milliseconds(500));
  EXPECT_EQ(BackoffDelay(policy, 1, 0.5), absl::Milliseconds(750));
  EXPECT_EQ(BackoffDelay(policy, 1, 1.0), absl::Seconds(1));
  // Out-of-range jitter is clamped, not trusted.
  EXPECT_EQ(BackoffDelay(policy, 1, -3.0), absl::Milliseconds(500));
  EXPECT_EQ(BackoffDelay(policy, 1, 7.0), absl::Seconds(1));
}

TEST(BackoffDelayTest, AZeroOrNegativeAttemptCountIsTheFirstWait) {
  BackoffPolicy policy;
  policy.initial = absl::Seconds(1);
  EXPECT_EQ(BackoffDelay(policy, 0, 1.0), absl::Seconds(1));
  EXPECT_EQ(BackoffDelay(policy, -5, 1.0), absl::Seconds(1));
}

TEST(IsRetryableTest, TransientFailuresAreRetried) {
  for (absl::StatusCode code : {absl::StatusCode::kUnavailable, absl::StatusCode::kDeadlineExceeded,
                                absl::StatusCode::kAborted, absl::StatusCode::kResourceExhausted,
                                absl::StatusCode::kInternal, absl::StatusCode::kUnknown,
                                absl::StatusCode::kCancelled, absl::StatusCode::kUnauthenticated}) {
    EXPECT_TRUE(IsRetryable(code)) << absl::StatusCodeToString(code);
  }
}

TEST(IsRetryableTest, PermanentFailuresPark) {
  for (absl::StatusCode code :
       {absl::StatusCode::kInvalidArgument, absl::StatusCode::kFailedPrecondition,
        absl::StatusCode::kPermissionDenied, absl::StatusCode::kNotFound,
        absl::StatusCode::kAlreadyExists, absl::StatusCode::kOutOfRange,
        absl::StatusCode::kUnimplemented, absl::StatusCode::kDataLoss}) {
    EXPECT_FALSE(IsRetryable(code)) << absl::StatusCodeToString(code);
  }
}

OutboxEvent GoodEvent() {
  OutboxEvent event;
  event.topic = "document.published";
  event.destination = "interpretation";
  event.event_key = "document-published/42";
  event.ordering_key = "42";
  event.payload = std::string("\0\x01\xff binary", 10);
  return event;
}

TEST(ValidateEventTest, AWellFormedEventPasses) {
  EXPECT_TRUE(internal::ValidateEvent(GoodEvent()).ok());
  OutboxEvent minimal;
  minimal.topic = "t";
  minimal.event_key = "k";
  EXPECT_TRUE(internal::ValidateEvent(minimal).ok());  // destination, ordering, payload empty
}

TEST(ValidateEventTest, EveryBadFieldIsNamed) {
  OutboxEvent event;
  event.topic = "Document Published";  // upper case and a space
  event.destination = std::string(kMaxDestinationLength + 1, 'a');
  event.event_key = "";
  event.ordering_key = "has space";
  event.payload = std::string(kMaxPayloadBytes + 1, 'x');
  absl::Status status = internal::ValidateEvent(event);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  std::vector<std::string> fields;
  for (const FieldViolation& v : FieldViolationsOf(status)) fields.push_back(v.field);
  EXPECT_THAT(fields, ::testing::UnorderedElementsAre("topic", "destination", "event_key",
                                                      "ordering_key", "payload"));
}

TEST(ValidateEventTest, LimitsAreInclusive) {
  OutboxEvent event = GoodEvent();
  event.topic = std::string(kMaxTopicLength, 'a');
  event.event_key = std::string(kMaxEventKeyLength, 'k');
  event.ordering_key = std::string(kMaxOrderingKeyLength, 'o');
  EXPECT_TRUE(internal::ValidateEvent(event).ok());
  event.event_key += "k";
  EXPECT_FALSE(internal::ValidateEvent(event).ok());
}

TEST(FormatErrorTest, NamesTheCodeAndCutsLongMessagesAtACharacterBoundary) {
  EXPECT_EQ(internal::FormatError(absl::UnavailableError("connection refused")),
            "UNAVAILABLE: connection refused");
  // "解" is 3 bytes: a cut at 1024 bytes must not split one.
  std::string message;
  while (message.size() < 2000) message += "解";
  const std::string text = internal::FormatError(absl::InternalError(message));
  EXPECT_LE(text.size(), 1024u);
  EXPECT_GT(text.size(), 1000u);
  EXPECT_EQ((text.size() - std::string("INTERNAL: ").size()) % 3, 0u);
}

class NewRelayTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db::DbConfig config;
    config.database = "unused";
    config.user = "unused";
    absl::StatusOr<std::unique_ptr<db::ConnectionPool>> pool = db::ConnectionPool::Create(config);
    ASSERT_TRUE(pool.ok()) << pool.status();
    pool_ = std::move(*pool);
  }
  RelayOptions Options() {
    RelayOptions options;
    options.handlers["document.published"] = [](const DeliveredEvent&) { return absl::OkStatus(); };
    return options;
  }
  std::unique_ptr<db::ConnectionPool> pool_;
  FakeClock clock_{absl::UnixEpoch()};
};

TEST_F(NewRelayTest, AcceptsTheDefaults) {
  EXPECT_TRUE(NewRelay(pool_.get(), &clock_, nullptr, Options()).ok());
}

TEST_F(NewRelayTest, RefusesBadOptions) {
  RelayOptions none;
  EXPECT_THAT(NewRelay(pool_.get(), &clock_, nullptr, none).status().message(),
              HasSubstr("no handlers"));

  RelayOptions bad_topic = Options();
  bad_topic.handlers["Bad Topic"] = [](const DeliveredEvent&) { return absl::OkStatus(); };
  EXPECT_THAT(NewRelay(pool_.get(), &clock_, nullptr, bad_topic).status().message(),
              HasSubstr("bad topic"));

  RelayOptions null_handler = Options();
  null_handler.handlers["other"] = nullptr;
  EXPECT_FALSE(NewRelay(pool_.get(), &clock_, nullptr, null_handler).ok());

  RelayOptions short_lease = Options();
  short_lease.lease = absl::Milliseconds(500);
  short_lease.poll_interval = absl::Seconds(1);
  EXPECT_FALSE(NewRelay(pool_.get(), &clock_, nullptr, short_lease).ok());

  RelayOptions no_batch = Options();
  no_batch.batch_size = 0;
  EXPECT_FALSE(NewRelay(pool_.get(), &clock_, nullptr, no_batch).ok());

  RelayOptions no_threads = Options();
  no_threads.delivery_threads = 0;
  EXPECT_FALSE(NewRelay(pool_.get(), &clock_, nullptr, no_threads).ok());

  RelayOptions shrinking = Options();
  shrinking.backoff.multiplier = 0.5;
  EXPECT_FALSE(NewRelay(pool_.get(), &clock_, nullptr, shrinking).ok());

  RelayOptions negative_attempts = Options();
  negative_attempts.max_attempts = -1;
  EXPECT_FALSE(NewRelay(pool_.get(), &clock_, nullptr, negative_attempts).ok());

  EXPECT_FALSE(NewRelay(nullptr, &clock_, nullptr, Options()).ok());
  EXPECT_FALSE(NewRelay(pool_.get(), nullptr, nullptr, Options()).ok());
}

TEST_F(NewRelayTest, NotifyAndStopAreSafeBeforeStart) {
  absl::StatusOr<std::unique_ptr<Relay>> relay = NewRelay(pool_.get(), &clock_, nullptr, Options());
  ASSERT_TRUE(relay.ok());
  (*relay)->Notify();
  (*relay)->Stop();
  (*relay)->Notify();
  EXPECT_EQ((*relay)->Start().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ((*relay)->DeliverOnce().status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST(OutboxMigrationSetTest, IsTheOutboxComponentWithTheTable) {
  db::MigrationSet set = OutboxMigrationSet();
  EXPECT_EQ(set.component, "outbox");
  ASSERT_FALSE(set.migrations.empty());
  EXPECT_THAT(set.migrations[0].sql, HasSubstr("CREATE TABLE IF NOT EXISTS outbox_events"));
}

}  // namespace
}  // namespace gongkai::outbox
