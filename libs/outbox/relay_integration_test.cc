// The relay against the real MariaDB: exactly-once delivery of a committed event in the
// ordinary case, retries with back-off, parking, per-key order, takeover of a dead
// relay's claims after the lease, and two relays on one table never delivering the same
// event at the same time (INT-3: the interpretation is released with its document even
// when a process dies between the commit and the delivery).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "libs/metrics/registry.h"
#include "libs/outbox/outbox.h"
#include "libs/outbox/outbox_store.h"
#include "libs/outbox/outbox_test_fixture.h"

namespace gongkai::outbox {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::OutboxDatabaseTest;

constexpr char kTopic[] = "widget.created";

// What handlers saw, thread-safe.
class Recorder {
 public:
  void Record(const DeliveredEvent& event) {
    absl::MutexLock lock(&mu_);
    keys_.push_back(event.event_key);
    attempts_[event.event_key].push_back(event.attempt);
  }
  std::vector<std::string> keys() {
    absl::MutexLock lock(&mu_);
    return keys_;
  }
  std::vector<int> attempts(const std::string& key) {
    absl::MutexLock lock(&mu_);
    return attempts_[key];
  }

 private:
  absl::Mutex mu_;
  std::vector<std::string> keys_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, std::vector<int>> attempts_ ABSL_GUARDED_BY(mu_);
};

class RelayTest : public OutboxDatabaseTest {
 protected:
  // A relay on the fake clock whose handler records and then answers `respond`.
  std::unique_ptr<Relay> MakeRelay(std::function<absl::Status(const DeliveredEvent&)> respond,
                                   RelayOptions options = RelayOptions{},
                                   metrics::Registry* registry = nullptr) {
    options.handlers[kTopic] = [this, respond](const DeliveredEvent& event) {
      recorder_.Record(event);
      return respond(event);
    };
    absl::StatusOr<std::unique_ptr<Relay>> relay =
        NewRelay(pool_.get(), &clock_, registry, std::move(options));
    EXPECT_TRUE(relay.ok()) << relay.status();
    return relay.ok() ? std::move(*relay) : nullptr;
  }

  int DeliverOnce(Relay& relay) {
    absl::StatusOr<int> attempted = relay.DeliverOnce();
    EXPECT_TRUE(attempted.ok()) << attempted.status();
    return attempted.value_or(-1);
  }

  Recorder recorder_;
};

absl::Status Ok(const DeliveredEvent&) { return absl::OkStatus(); }

TEST_F(RelayTest, Int3_CommittedEventIsDeliveredExactlyOnce) {
  ASSERT_TRUE(CreateWidget(1, Event("widget/1")).ok());
  std::unique_ptr<Relay> relay = MakeRelay(Ok);
  EXPECT_EQ(DeliverOnce(*relay), 1);
  EXPECT_EQ(DeliverOnce(*relay), 0);
  clock_.Advance(absl::Hours(1));
  EXPECT_EQ(DeliverOnce(*relay), 0);
  EXPECT_THAT(recorder_.keys(), ElementsAre("widget/1"));
  absl::StatusOr<StoredEvent> stored = ReadEvent(*pool_, "widget/1");
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_EQ(stored->state, EventState::kDelivered);
  EXPECT_EQ(stored->attempts, 1);
  EXPECT_TRUE(stored->delivered_time.has_value());
  EXPECT_FALSE(stored->claim_until.has_value());
}

TEST_F(RelayTest, Int3_RolledBackEventIsNeverDelivered) {
  (void)db::RunInTransaction(*pool_, [&](db::Connection& conn) -> absl::Status {
    EXPECT_TRUE(Enqueue(conn, Event("ghost"), clock_.Now()).ok());
    return absl::InternalError("rolled back");
  });
  std::unique_ptr<Relay> relay = MakeRelay(Ok);
  EXPECT_EQ(DeliverOnce(*relay), 0);
  EXPECT_TRUE(recorder_.keys().empty());
}

TEST_F(RelayTest, HandlerSeesTheEventAsEnqueued) {
  OutboxEvent event = Event("seen", "7");
  event.payload = std::string("\x08\x2a\x12\x00\xff", 5);
  ASSERT_TRUE(EnqueueCommitted(event).ok());
  DeliveredEvent seen;
  std::unique_ptr<Relay> relay = MakeRelay([&](const DeliveredEvent& e) {
    seen = e;
    return absl::OkStatus();
  });
  EXPECT_EQ(DeliverOnce(*relay), 1);
  EXPECT_EQ(seen.topic, kTopic);
  EXPECT_EQ(seen.destination, "receiver");
  EXPECT_EQ(seen.event_key, "seen");
  EXPECT_EQ(seen.ordering_key, "7");
  EXPECT_EQ(seen.payload, event.payload);
  EXPECT_EQ(seen.create_time, clock_.Now());
  EXPECT_EQ(seen.attempt, 1);
  EXPECT_GT(seen.id, 0);
}

TEST_F(RelayTest, OnlyEventsOfTheRelaysTopicsAreClaimed) {
  ASSERT_TRUE(EnqueueCommitted(Event("other", "", "someone.elses")).ok());
  std::unique_ptr<Relay> relay = MakeRelay(Ok);
  EXPECT_EQ(DeliverOnce(*relay), 0);
  EXPECT_EQ(ReadEvent(*pool_, "other")->state, EventState::kPending);
  EXPECT_FALSE(ReadEvent(*pool_, "other")->claim_until.has_value());
}

// A batch handler gets the claimed events of its topic in one call and answers per
// event: the OK ones are delivered, a retryable failure backs off, a permanent one is
// parked; a result of the wrong size retries them all. Events of other topics still go
// one call each.
TEST_F(RelayTest, BatchHandlerDeliversTheEventsOfAClaimInOneCallWithPerEventOutcomes) {
  for (int i = 1; i <= 4; ++i) {
    ASSERT_TRUE(
        EnqueueCommitted(Event(absl::StrCat("batched/", i), absl::StrCat(i), "batch.topic")).ok());
  }
  ASSERT_TRUE(EnqueueCommitted(Event("single/1")).ok());
  std::vector<std::vector<std::string>> calls;
  bool wrong_size = false;
  RelayOptions options;
  options.batch_handlers["batch.topic"] = [&](const std::vector<DeliveredEvent>& events) {
    std::vector<std::string> keys;
    std::vector<absl::Status> statuses;
    for (const DeliveredEvent& event : events) {
      keys.push_back(event.event_key);
      EXPECT_EQ(event.topic, "batch.topic");
      EXPECT_EQ(event.payload, absl::StrCat("payload of ", event.event_key));
      if (event.event_key == "batched/2") {
        statuses.push_back(absl::UnavailableError("busy"));
      } else if (event.event_key == "batched/3") {
        statuses.push_back(absl::InvalidArgumentError("refused"));
      } else {
        statuses.push_back(absl::OkStatus());
      }
    }
    calls.push_back(keys);
    if (wrong_size) statuses.pop_back();
    return statuses;
  };
  std::unique_ptr<Relay> relay = MakeRelay(Ok, options);
  EXPECT_EQ(DeliverOnce(*relay), 5);
  ASSERT_EQ(calls.size(), 1u);  // One call for the four.
  EXPECT_THAT(calls[0], ElementsAre("batched/1", "batched/2", "batched/3", "batched/4"));
  EXPECT_THAT(recorder_.keys(), ElementsAre("single/1"));
  EXPECT_EQ(ReadEvent(*pool_, "batched/1")->state, EventState::kDelivered);
  EXPECT_EQ(ReadEvent(*pool_, "batched/4")->state, EventState::kDelivered);
  EXPECT_EQ(ReadEvent(*pool_, "single/1")->state, EventState::kDelivered);
  absl::StatusOr<StoredEvent> busy = ReadEvent(*pool_, "batched/2");
  EXPECT_EQ(busy->state, EventState::kPending);
  EXPECT_EQ(busy->last_error, "UNAVAILABLE: busy");
  EXPECT_EQ(ReadEvent(*pool_, "batched/3")->state, EventState::kParked);

  // The retry: a handler answering the wrong number of statuses retries the event.
  wrong_size = true;
  clock_.Advance(absl::Minutes(2));
  EXPECT_EQ(DeliverOnce(*relay), 1);
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_THAT(calls[1], ElementsAre("batched/2"));
  busy = ReadEvent(*pool_, "batched/2");
  EXPECT_EQ(busy->state, EventState::kPending);
  EXPECT_EQ(busy->attempts, 2);
  EXPECT_THAT(busy->last_error, HasSubstr("returned 0 statuses for 1 events"));
}

TEST_F(RelayTest, HandlerAndBatchHandlerForOneTopicAreRefused) {
  RelayOptions options;
  options.handlers[kTopic] = Ok;
  options.batch_handlers[kTopic] = [](const std::vector<DeliveredEvent>& events) {
    return std::vector<absl::Status>(events.size());
  };
  EXPECT_EQ(NewRelay(pool_.get(), &clock_, nullptr, options).status().code(),
            absl::StatusCode::kInvalidArgument);
  RelayOptions batch_only;
  batch_only.batch_handlers[kTopic] = options.batch_handlers[kTopic];
  EXPECT_TRUE(NewRelay(pool_.get(), &clock_, nullptr, batch_only).ok());
}

TEST_F(RelayTest, RetryableFailureIsRetriedAfterTheBackoffThenDelivered) {
  ASSERT_TRUE(EnqueueCommitted(Event("flaky")).ok());
  int calls = 0;
  RelayOptions options;
  options.backoff.initial = absl::Seconds(2);
  options.backoff.max = absl::Seconds(60);
  std::unique_ptr<Relay> relay = MakeRelay(
      [&](const DeliveredEvent&) {
        return ++calls <= 2 ? absl::UnavailableError("receiver down") : absl::OkStatus();
      },
      options);
  const absl::Time start = clock_.Now();

  EXPECT_EQ(DeliverOnce(*relay), 1);  // Fails: next attempt in [1 s, 2 s].
  absl::StatusOr<StoredEvent> stored = ReadEvent(*pool_, "flaky");
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->state, EventState::kPending);
  EXPECT_EQ(stored->attempts, 1);
  EXPECT_EQ(stored->last_error, "UNAVAILABLE: receiver down");
  EXPECT_GE(stored->next_attempt_time, start + absl::Seconds(1));
  EXPECT_LE(stored->next_attempt_time, start + absl::Seconds(2));
  EXPECT_FALSE(stored->claim_until.has_value());
  EXPECT_EQ(DeliverOnce(*relay), 0);  // Not due yet.

  clock_.Advance(absl::Seconds(2));
  EXPECT_EQ(DeliverOnce(*relay), 1);  // Fails again: next in [2 s, 4 s].
  stored = ReadEvent(*pool_, "flaky");
  EXPECT_GE(stored->next_attempt_time, clock_.Now() + absl::Seconds(2));
  EXPECT_LE(stored->next_attempt_time, clock_.Now() + absl::Seconds(4));

  clock_.Advance(absl::Seconds(4));
  EXPECT_EQ(DeliverOnce(*relay), 1);
  EXPECT_EQ(ReadEvent(*pool_, "flaky")->state, EventState::kDelivered);
  EXPECT_EQ(ReadEvent(*pool_, "flaky")->attempts, 3);
  EXPECT_THAT(recorder_.attempts("flaky"), ElementsAre(1, 2, 3));
}

TEST_F(RelayTest, PermanentFailureParksTheEventUntilRequeued) {
  ASSERT_TRUE(EnqueueCommitted(Event("poison")).ok());
  bool fixed = false;
  std::unique_ptr<Relay> relay = MakeRelay([&](const DeliveredEvent&) {
    return fixed ? absl::OkStatus() : absl::InvalidArgumentError("bad payload");
  });
  EXPECT_EQ(DeliverOnce(*relay), 1);
  absl::StatusOr<StoredEvent> stored = ReadEvent(*pool_, "poison");
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->state, EventState::kParked);
  EXPECT_EQ(stored->last_error, "INVALID_ARGUMENT: bad payload");
  EXPECT_TRUE(stored->parked_time.has_value());
  clock_.Advance(absl::Hours(24));
  EXPECT_EQ(DeliverOnce(*relay), 0);  // Never retried by itself.

  fixed = true;
  EXPECT_EQ(RequeueParked(*pool_, kTopic, "poison", clock_.Now()).value(), 1);
  EXPECT_EQ(DeliverOnce(*relay), 1);
  EXPECT_EQ(ReadEvent(*pool_, "poison")->state, EventState::kDelivered);
  EXPECT_THAT(recorder_.attempts("poison"), ElementsAre(1, 2));
}

TEST_F(RelayTest, MaxAttemptsParksARetryableFailureToo) {
  ASSERT_TRUE(EnqueueCommitted(Event("never")).ok());
  RelayOptions options;
  options.max_attempts = 2;
  std::unique_ptr<Relay> relay =
      MakeRelay([](const DeliveredEvent&) { return absl::UnavailableError("down"); }, options);
  EXPECT_EQ(DeliverOnce(*relay), 1);
  EXPECT_EQ(ReadEvent(*pool_, "never")->state, EventState::kPending);
  clock_.Advance(absl::Minutes(2));
  EXPECT_EQ(DeliverOnce(*relay), 1);
  EXPECT_EQ(ReadEvent(*pool_, "never")->state, EventState::kParked);
}

TEST_F(RelayTest, EventsOfOneOrderingKeyGoOneAtATimeInIdOrder) {
  ASSERT_TRUE(EnqueueCommitted(Event("a-1", "a")).ok());
  ASSERT_TRUE(EnqueueCommitted(Event("a-2", "a")).ok());
  ASSERT_TRUE(EnqueueCommitted(Event("b-1", "b")).ok());
  ASSERT_TRUE(EnqueueCommitted(Event("a-3", "a")).ok());
  ASSERT_TRUE(EnqueueCommitted(Event("free", "")).ok());
  bool first_a1 = true;
  RelayOptions options;
  options.delivery_threads = 1;  // Makes the order of the recorder's list the call order.
  std::unique_ptr<Relay> relay = MakeRelay(
      [&](const DeliveredEvent& e) {
        if (e.event_key == "a-1" && first_a1) {
          first_a1 = false;
          return absl::UnavailableError("try again");
        }
        return absl::OkStatus();
      },
      options);
  // Round 1: a-2 and a-3 wait behind a-1; b-1 and the unordered event go.
  EXPECT_EQ(DeliverOnce(*relay), 3);
  EXPECT_THAT(recorder_.keys(), ElementsAre("a-1", "b-1", "free"));
  // a-1 backs off: a-2 still waits for it.
  EXPECT_EQ(DeliverOnce(*relay), 0);
  clock_.Advance(absl::Minutes(1));
  EXPECT_EQ(DeliverOnce(*relay), 1);  // a-1 delivered.
  EXPECT_EQ(DeliverOnce(*relay), 1);  // then a-2.
  EXPECT_EQ(DeliverOnce(*relay), 1);  // then a-3.
  EXPECT_THAT(recorder_.keys(), ElementsAre("a-1", "b-1", "free", "a-1", "a-2", "a-3"));
}

TEST_F(RelayTest, AParkedEventDoesNotHoldBackLaterOnesOfItsKey) {
  ASSERT_TRUE(EnqueueCommitted(Event("k-1", "k")).ok());
  ASSERT_TRUE(EnqueueCommitted(Event("k-2", "k")).ok());
  std::unique_ptr<Relay> relay = MakeRelay([](const DeliveredEvent& e) {
    return e.event_key == "k-1" ? absl::FailedPreconditionError("no") : absl::OkStatus();
  });
  EXPECT_EQ(DeliverOnce(*relay), 1);
  EXPECT_EQ(DeliverOnce(*relay), 1);
  EXPECT_EQ(ReadEvent(*pool_, "k-1")->state, EventState::kParked);
  EXPECT_EQ(ReadEvent(*pool_, "k-2")->state, EventState::kDelivered);
}

TEST_F(RelayTest, Int3_ClaimsOfADeadRelayAreTakenOverAfterTheLease) {
  ASSERT_TRUE(EnqueueCommitted(Event("orphan")).ok());
  // A relay claims the event and dies (SIGKILL) before delivering it.
  internal::BatchStatements dead_relay({kTopic}, 10);
  absl::StatusOr<std::vector<DeliveredEvent>> claimed = dead_relay.Claim(
      *pool_, clock_.Now(), clock_.Now() + absl::Seconds(30), "dead-token", "dead-relay");
  ASSERT_TRUE(claimed.ok()) << claimed.status();
  ASSERT_EQ(claimed->size(), 1u);
  EXPECT_EQ(ReadEvent(*pool_, "orphan")->claimed_by, "dead-relay");

  RelayOptions options;
  options.lease = absl::Seconds(30);
  std::unique_ptr<Relay> survivor = MakeRelay(Ok, options);
  EXPECT_EQ(DeliverOnce(*survivor), 0);  // The claim is live.
  clock_.Advance(absl::Seconds(29));
  EXPECT_EQ(DeliverOnce(*survivor), 0);
  clock_.Advance(absl::Seconds(2));
  EXPECT_EQ(DeliverOnce(*survivor), 1);  // Expired: taken over.
  EXPECT_EQ(ReadEvent(*pool_, "orphan")->state, EventState::kDelivered);
  // The dead relay, were it only paused, can no longer record anything.
  EXPECT_FALSE(internal::MarkRetry(*pool_, (*claimed)[0].id, "dead-token", clock_.Now(), "x")
                   .value_or(true));
  EXPECT_EQ(ReadEvent(*pool_, "orphan")->state, EventState::kDelivered);
  EXPECT_THAT(recorder_.keys(), ElementsAre("orphan"));
}

TEST_F(RelayTest, MetricsShowBacklogOldestAgeParkedDeliveriesAndFailures) {
  metrics::Registry registry;
  ASSERT_TRUE(EnqueueCommitted(Event("m-ok")).ok());
  ASSERT_TRUE(EnqueueCommitted(Event("m-bad")).ok());
  ASSERT_TRUE(EnqueueCommitted(Event("m-later", "x")).ok());
  ASSERT_TRUE(EnqueueCommitted(Event("m-later-2", "x")).ok());
  std::unique_ptr<Relay> relay = MakeRelay(
      [](const DeliveredEvent& e) {
        if (e.event_key == "m-bad") return absl::PermissionDeniedError("no");
        if (e.event_key == "m-later") return absl::UnavailableError("down");
        return absl::OkStatus();
      },
      RelayOptions{}, &registry);
  ASSERT_TRUE(relay->RefreshMetrics().ok());
  std::string text = registry.Serialize();
  EXPECT_THAT(text, HasSubstr("gongkai_outbox_backlog{topic=\"widget.created\"} 4"));

  EXPECT_EQ(DeliverOnce(*relay), 3);
  clock_.Advance(absl::Seconds(90));
  ASSERT_TRUE(relay->RefreshMetrics().ok());
  text = registry.Serialize();
  EXPECT_THAT(text, HasSubstr("gongkai_outbox_backlog{topic=\"widget.created\"} 2"));
  EXPECT_THAT(
      text,
      HasSubstr("gongkai_outbox_oldest_undelivered_age_seconds{topic=\"widget.created\"} 90"));
  EXPECT_THAT(text, HasSubstr("gongkai_outbox_parked{topic=\"widget.created\"} 1"));
  EXPECT_THAT(text, HasSubstr("gongkai_outbox_delivered_total{topic=\"widget.created\"} 1"));
  EXPECT_THAT(text, HasSubstr("gongkai_outbox_delivery_failures_total{code=\"PERMISSION_DENIED\","
                              "topic=\"widget.created\"} 1"));
  EXPECT_THAT(text, HasSubstr("gongkai_outbox_delivery_failures_total{code=\"UNAVAILABLE\","
                              "topic=\"widget.created\"} 1"));
  EXPECT_THAT(text,
              HasSubstr("gongkai_outbox_delivery_lag_seconds_count{topic=\"widget.created\"} 1"));
}

TEST_F(RelayTest, StartRefusesADatabaseWithoutTheTable) {
  absl::StatusOr<db::ConnectionLease> conn = pool_->Acquire();
  ASSERT_TRUE(conn.ok());
  ASSERT_TRUE((*conn)->ExecuteUnprepared("DROP TABLE outbox_events").ok());
  std::unique_ptr<Relay> relay = MakeRelay(Ok);
  absl::Status started = relay->Start();
  EXPECT_EQ(started.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(started.message()), HasSubstr("outbox"));
}

// Relays on their own threads with the real clock.
class RunningRelayTest : public RelayTest {
 protected:
  std::unique_ptr<Relay> Running(std::function<absl::Status(const DeliveredEvent&)> respond,
                                 RelayOptions options) {
    options.handlers[kTopic] = std::move(respond);
    absl::StatusOr<std::unique_ptr<Relay>> relay =
        NewRelay(pool_.get(), &real_clock_, nullptr, std::move(options));
    EXPECT_TRUE(relay.ok()) << relay.status();
    if (!relay.ok()) return nullptr;
    absl::Status started = (*relay)->Start();
    EXPECT_TRUE(started.ok()) << started;
    return std::move(*relay);
  }

  absl::Status EnqueueNow(const OutboxEvent& event) {
    return db::RunInTransaction(*pool_, [&](db::Connection& conn) -> absl::Status {
      return Enqueue(conn, event, real_clock_.Now()).status();
    });
  }

  // Waits (polling the table) until no event is pending, at most `limit`.
  bool WaitUntilAllDelivered(absl::Duration limit) {
    const absl::Time give_up = absl::Now() + limit;
    while (absl::Now() < give_up) {
      if (CountRows("SELECT COUNT(*) FROM outbox_events WHERE state = 0") == 0) return true;
      absl::SleepFor(absl::Milliseconds(50));
    }
    return false;
  }

  RealClock real_clock_;
};

TEST_F(RunningRelayTest, Int3_TwoRelaysOnOneTableNeverDeliverAnEventTwiceNorConcurrently) {
  absl::Mutex mu;
  std::set<std::string> in_flight;
  std::map<std::string, int> deliveries;
  std::map<std::string, std::vector<int>> order_by_key;  // sequence numbers per key
  std::atomic<int> overlaps{0};
  auto handler = [&](const DeliveredEvent& e) {
    {
      absl::MutexLock lock(&mu);
      if (!in_flight.insert(e.event_key).second) ++overlaps;
      ++deliveries[e.event_key];
      order_by_key[e.ordering_key].push_back(std::stoi(e.payload));
    }
    absl::SleepFor(absl::Milliseconds(2));
    absl::MutexLock lock(&mu);
    in_flight.erase(e.event_key);
    return absl::OkStatus();
  };
  RelayOptions options;
  options.poll_interval = absl::Milliseconds(20);
  options.batch_size = 8;
  std::unique_ptr<Relay> first = Running(handler, options);
  std::unique_ptr<Relay> second = Running(handler, options);
  constexpr int kEvents = 200;
  for (int i = 0; i < kEvents; ++i) {
    OutboxEvent event = Event(absl::StrCat("e", i), absl::StrCat("key", i % 10));
    event.payload = absl::StrCat(i);
    ASSERT_TRUE(EnqueueNow(event).ok());
    (i % 2 == 0 ? first : second)->Notify();
  }
  ASSERT_TRUE(WaitUntilAllDelivered(absl::Seconds(60)));
  first->Stop();
  second->Stop();
  absl::MutexLock lock(&mu);
  EXPECT_EQ(overlaps.load(), 0);
  ASSERT_EQ(deliveries.size(), static_cast<size_t>(kEvents));
  for (const auto& [key, count] : deliveries) EXPECT_EQ(count, 1) << key;
  // Each ordering key's events were delivered in the order they were enqueued.
  for (const auto& [key, sequence] : order_by_key) {
    EXPECT_TRUE(std::is_sorted(sequence.begin(), sequence.end())) << key;
  }
}

TEST_F(RunningRelayTest, Int3_TheLeaseOfASlowDeliveryIsRenewedSoNoOtherRelayTakesItOver) {
  absl::Mutex mu;
  int calls = 0;
  auto slow = [&](const DeliveredEvent&) {
    {
      absl::MutexLock lock(&mu);
      ++calls;
    }
    absl::SleepFor(absl::Seconds(5));  // Two and a half leases.
    return absl::OkStatus();
  };
  RelayOptions options;
  options.lease = absl::Seconds(2);  // Renewed every 667 ms: 1.3 s of slack on a busy machine.
  options.poll_interval = absl::Milliseconds(100);
  std::unique_ptr<Relay> first = Running(slow, options);
  std::unique_ptr<Relay> second = Running(slow, options);
  ASSERT_TRUE(EnqueueNow(Event("slow")).ok());
  first->Notify();
  ASSERT_TRUE(WaitUntilAllDelivered(absl::Seconds(30)));
  first->Stop();
  second->Stop();
  absl::MutexLock lock(&mu);
  EXPECT_EQ(calls, 1);
}

TEST_F(RunningRelayTest, NotifyDeliversWithoutWaitingForThePoll) {
  absl::Notification delivered;
  RelayOptions options;
  options.poll_interval = absl::Seconds(20);
  options.lease = absl::Seconds(60);
  std::unique_ptr<Relay> relay = Running(
      [&](const DeliveredEvent&) {
        delivered.Notify();
        return absl::OkStatus();
      },
      options);
  absl::SleepFor(absl::Milliseconds(200));  // The relay is idle, waiting out its poll.
  ASSERT_TRUE(EnqueueNow(Event("now")).ok());
  relay->Notify();
  // Far below the 20 s poll: only the Notify can have woken it.
  EXPECT_TRUE(delivered.WaitForNotificationWithTimeout(absl::Seconds(10)));
  relay->Stop();
}

TEST_F(RunningRelayTest, ABackoffShorterThanThePollIsNotStretchedToIt) {
  std::atomic<int> calls{0};
  absl::Notification delivered;
  RelayOptions options;
  options.poll_interval = absl::Seconds(20);
  options.lease = absl::Seconds(60);
  options.backoff.initial = absl::Milliseconds(100);
  std::unique_ptr<Relay> relay = Running(
      [&](const DeliveredEvent&) {
        if (++calls == 1) return absl::UnavailableError("once");
        delivered.Notify();
        return absl::OkStatus();
      },
      options);
  ASSERT_TRUE(EnqueueNow(Event("retry-soon")).ok());
  relay->Notify();
  EXPECT_TRUE(delivered.WaitForNotificationWithTimeout(absl::Seconds(10)));
  relay->Stop();
  EXPECT_EQ(calls.load(), 2);
}

TEST_F(RunningRelayTest, StopReleasesClaimsOnEventsNotYetAttempted) {
  absl::Notification entered;
  RelayOptions options;
  options.delivery_threads = 1;
  options.lease = absl::Minutes(5);
  ASSERT_TRUE(EnqueueNow(Event("first")).ok());
  ASSERT_TRUE(EnqueueNow(Event("second")).ok());
  std::unique_ptr<Relay> relay = Running(
      [&](const DeliveredEvent&) {
        entered.Notify();
        absl::SleepFor(absl::Milliseconds(500));
        return absl::OkStatus();
      },
      options);
  relay->Notify();
  ASSERT_TRUE(entered.WaitForNotificationWithTimeout(absl::Seconds(10)));
  relay->Stop();  // "first" is in its handler; "second" is claimed, waiting for the thread.
  EXPECT_EQ(ReadEvent(*pool_, "first")->state, EventState::kDelivered);
  absl::StatusOr<StoredEvent> second = ReadEvent(*pool_, "second");
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->state, EventState::kPending);
  EXPECT_FALSE(second->claim_until.has_value());  // Free for another replica at once.
  EXPECT_EQ(second->attempts, 0);
}

}  // namespace
}  // namespace gongkai::outbox
