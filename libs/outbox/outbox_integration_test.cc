// Enqueue and the inspection/operation functions of libs/outbox against the real
// MariaDB: the event commits or rolls back with the business write (INT-3: "the catalog
// writes the event to an outbox table in the same transaction as the publication").
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "libs/outbox/outbox.h"
#include "libs/outbox/outbox_store.h"
#include "libs/outbox/outbox_test_fixture.h"

namespace gongkai::outbox {
namespace {

using ::testing::HasSubstr;
using testing::OutboxDatabaseTest;

class EnqueueTest : public OutboxDatabaseTest {};

TEST_F(EnqueueTest, Int3_RolledBackTransactionLeavesNeitherRowNorEvent) {
  absl::Status status = db::RunInTransaction(*pool_, [&](db::Connection& conn) -> absl::Status {
    RETURN_IF_ERROR(conn.Execute("INSERT INTO widgets (id, name) VALUES (1, 'w')").status());
    absl::StatusOr<bool> added = Enqueue(conn, Event("widget/1"), clock_.Now());
    EXPECT_TRUE(added.ok() && *added) << added.status();
    return absl::AbortedError("the business rule said no");
  });
  EXPECT_EQ(status.code(), absl::StatusCode::kAborted);
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM widgets"), 0);
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM outbox_events"), 0);
}

TEST_F(EnqueueTest, Int3_CommittedTransactionLeavesOnePendingEvent) {
  ASSERT_TRUE(CreateWidget(1, Event("widget/1", "1")).ok());
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM widgets"), 1);
  absl::StatusOr<StoredEvent> stored = ReadEvent(*pool_, "widget/1");
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_EQ(stored->state, EventState::kPending);
  EXPECT_EQ(stored->event.topic, "widget.created");
  EXPECT_EQ(stored->event.destination, "receiver");
  EXPECT_EQ(stored->event.ordering_key, "1");
  EXPECT_EQ(stored->event.payload, "payload of widget/1");
  EXPECT_EQ(stored->event.create_time, clock_.Now());
  EXPECT_EQ(stored->next_attempt_time, clock_.Now());
  EXPECT_EQ(stored->attempts, 0);
  EXPECT_EQ(stored->event.attempt, 1);
  EXPECT_FALSE(stored->claim_until.has_value());
  EXPECT_FALSE(stored->delivered_time.has_value());
  EXPECT_EQ(stored->last_error, "");
}

TEST_F(EnqueueTest, BinaryPayloadIsStoredByteForByte) {
  OutboxEvent event = Event("binary");
  event.payload = std::string("\0\x01\x02\xff\xfe proto bytes \0", 20);
  ASSERT_TRUE(EnqueueCommitted(event).ok());
  absl::StatusOr<StoredEvent> stored = ReadEvent(*pool_, "binary");
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_EQ(stored->event.payload, event.payload);
}

TEST_F(EnqueueTest, SameEventKeyTwiceAddsNothingTheSecondTime) {
  ASSERT_TRUE(EnqueueCommitted(Event("once")).ok());
  absl::Status status = db::RunInTransaction(*pool_, [&](db::Connection& conn) -> absl::Status {
    OutboxEvent again = Event("once");
    again.payload = "a different payload";
    absl::StatusOr<bool> added = Enqueue(conn, again, clock_.Now() + absl::Seconds(5));
    EXPECT_TRUE(added.ok()) << added.status();
    EXPECT_FALSE(added.value_or(true));
    return absl::OkStatus();
  });
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM outbox_events"), 1);
  EXPECT_EQ(ReadEvent(*pool_, "once")->event.payload, "payload of once");
}

TEST_F(EnqueueTest, BadEventIsRefusedAndNothingIsWritten) {
  OutboxEvent bad = Event("");
  bad.topic = "Not A Topic";
  absl::Status status = CreateWidget(1, bad);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()), HasSubstr("event_key"));
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM widgets"), 0);
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM outbox_events"), 0);
}

TEST_F(EnqueueTest, ReadEventOfAnUnknownKeyIsNotFound) {
  EXPECT_EQ(ReadEvent(*pool_, "nope").status().code(), absl::StatusCode::kNotFound);
}

TEST_F(EnqueueTest, MigrationsRunTwiceAreHarmless) {
  db::Migrator again(pool_.get(), {OutboxMigrationSet()}, {});
  absl::StatusOr<std::vector<int64_t>> applied = again.Migrate();
  ASSERT_TRUE(applied.ok()) << applied.status();
  EXPECT_TRUE(again.library_applied().empty());
}

class OperationsTest : public OutboxDatabaseTest {
 protected:
  // Claims everything due of `topic` with `token` and applies `mark` to each.
  void ClaimAll(absl::string_view token, const std::vector<std::string>& topics) {
    internal::BatchStatements claims(topics, 100);
    absl::StatusOr<std::vector<DeliveredEvent>> claimed =
        claims.Claim(*pool_, clock_.Now(), clock_.Now() + absl::Seconds(30), token, "test");
    ASSERT_TRUE(claimed.ok()) << claimed.status();
    claimed_ = *claimed;
  }
  std::vector<DeliveredEvent> claimed_;
};

TEST_F(OperationsTest, TopicStatsCountBacklogParkedAndTheOldest) {
  const absl::Time first = clock_.Now();
  ASSERT_TRUE(EnqueueCommitted(Event("a1", "", "a")).ok());
  clock_.Advance(absl::Seconds(10));
  ASSERT_TRUE(EnqueueCommitted(Event("a2", "", "a")).ok());
  ASSERT_TRUE(EnqueueCommitted(Event("b1", "", "b")).ok());
  ASSERT_TRUE(EnqueueCommitted(Event("b2", "", "b")).ok());
  ClaimAll("t1", {"b"});
  ASSERT_EQ(claimed_.size(), 2u);
  ASSERT_TRUE(internal::MarkParked(*pool_, claimed_[0].id, "t1", clock_.Now(), "X: y").value());
  ASSERT_TRUE(internal::MarkDelivered(*pool_, claimed_[1].id, "t1", clock_.Now()).value());

  absl::StatusOr<std::vector<TopicStats>> stats = ReadTopicStats(*pool_);
  ASSERT_TRUE(stats.ok()) << stats.status();
  ASSERT_EQ(stats->size(), 2u);
  EXPECT_EQ((*stats)[0].topic, "a");
  EXPECT_EQ((*stats)[0].backlog, 2);
  EXPECT_EQ((*stats)[0].parked, 0);
  EXPECT_EQ((*stats)[0].oldest_undelivered_create_time, first);
  EXPECT_EQ((*stats)[1].topic, "b");
  EXPECT_EQ((*stats)[1].backlog, 0);
  EXPECT_EQ((*stats)[1].parked, 1);
  EXPECT_FALSE((*stats)[1].oldest_undelivered_create_time.has_value());
}

TEST_F(OperationsTest, RequeueParkedPutsOnlyTheChosenEventsBack) {
  for (const char* key : {"p1", "p2", "p3"}) ASSERT_TRUE(EnqueueCommitted(Event(key)).ok());
  ClaimAll("t1", {"widget.created"});
  ASSERT_EQ(claimed_.size(), 3u);
  for (const DeliveredEvent& e : claimed_) {
    ASSERT_TRUE(internal::MarkParked(*pool_, e.id, "t1", clock_.Now(), "NOT_FOUND: x").value());
  }
  clock_.Advance(absl::Minutes(5));
  EXPECT_EQ(RequeueParked(*pool_, "widget.created", "p2", clock_.Now()).value(), 1);
  EXPECT_EQ(ReadEvent(*pool_, "p2")->state, EventState::kPending);
  EXPECT_EQ(ReadEvent(*pool_, "p2")->next_attempt_time, clock_.Now());
  EXPECT_FALSE(ReadEvent(*pool_, "p2")->parked_time.has_value());
  EXPECT_EQ(ReadEvent(*pool_, "p2")->attempts, 1);  // The history stays.
  EXPECT_EQ(ReadEvent(*pool_, "p1")->state, EventState::kParked);
  EXPECT_EQ(RequeueParked(*pool_, "other.topic", "", clock_.Now()).value(), 0);
  EXPECT_EQ(RequeueParked(*pool_, "widget.created", "", clock_.Now()).value(), 2);
  EXPECT_EQ(ReadEvent(*pool_, "p3")->state, EventState::kPending);
}

TEST_F(OperationsTest, PurgeDeletesOnlyDeliveredEventsOlderThanTheCutoff) {
  for (const char* key : {"old1", "old2", "old3"}) ASSERT_TRUE(EnqueueCommitted(Event(key)).ok());
  ClaimAll("t1", {"widget.created"});
  for (const DeliveredEvent& e : claimed_) {
    ASSERT_TRUE(internal::MarkDelivered(*pool_, e.id, "t1", clock_.Now()).value());
  }
  clock_.Advance(absl::Hours(24));
  ASSERT_TRUE(EnqueueCommitted(Event("recent")).ok());
  ASSERT_TRUE(EnqueueCommitted(Event("pending")).ok());
  ClaimAll("t2", {"widget.created"});
  ASSERT_EQ(claimed_.size(), 2u);
  ASSERT_TRUE(internal::MarkDelivered(*pool_, claimed_[0].id, "t2", clock_.Now()).value());
  ASSERT_TRUE(internal::BatchStatements({"widget.created"}, 100)
                  .Release(*pool_, {claimed_[1].id}, "t2")
                  .ok());

  // Batches of 2: three old rows take two statements.
  absl::StatusOr<int64_t> purged = PurgeDelivered(*pool_, clock_.Now() - absl::Hours(1), 2);
  ASSERT_TRUE(purged.ok()) << purged.status();
  EXPECT_EQ(*purged, 3);
  EXPECT_EQ(ReadEvent(*pool_, "old1").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(ReadEvent(*pool_, "recent")->state, EventState::kDelivered);
  EXPECT_EQ(ReadEvent(*pool_, "pending")->state, EventState::kPending);
  EXPECT_FALSE(ReadEvent(*pool_, "pending")->claim_until.has_value());
}

TEST_F(OperationsTest, OutcomesNeedTheClaimToken) {
  ASSERT_TRUE(EnqueueCommitted(Event("e")).ok());
  ClaimAll("mine", {"widget.created"});
  ASSERT_EQ(claimed_.size(), 1u);
  const int64_t id = claimed_[0].id;
  EXPECT_FALSE(internal::MarkDelivered(*pool_, id, "someone-else", clock_.Now()).value());
  EXPECT_FALSE(internal::MarkRetry(*pool_, id, "someone-else", clock_.Now(), "x").value());
  EXPECT_FALSE(internal::MarkParked(*pool_, id, "someone-else", clock_.Now(), "x").value());
  EXPECT_EQ(ReadEvent(*pool_, "e")->state, EventState::kPending);
  EXPECT_EQ(ReadEvent(*pool_, "e")->claimed_by, "test");
  EXPECT_TRUE(internal::MarkDelivered(*pool_, id, "mine", clock_.Now()).value());
  EXPECT_FALSE(internal::MarkDelivered(*pool_, id, "mine", clock_.Now()).value());  // Once.
}

TEST_F(OperationsTest, BatchOutcomesTouchOnlyTheListedEventsStillClaimedWithTheToken) {
  for (const char* key : {"b1", "b2", "b3", "b4"}) ASSERT_TRUE(EnqueueCommitted(Event(key)).ok());
  internal::BatchStatements batches({"widget.created"}, 3);  // Smaller than the backlog.
  absl::StatusOr<std::vector<DeliveredEvent>> claimed =
      batches.Claim(*pool_, clock_.Now(), clock_.Now() + absl::Seconds(30), "tok", "me");
  ASSERT_TRUE(claimed.ok()) << claimed.status();
  ASSERT_EQ(claimed->size(), 3u);
  EXPECT_EQ((*claimed)[0].event_key, "b1");
  EXPECT_EQ((*claimed)[2].event_key, "b3");
  EXPECT_FALSE(ReadEvent(*pool_, "b4")->claim_until.has_value());

  const absl::Time later = clock_.Now() + absl::Minutes(5);
  ASSERT_TRUE(batches.Renew(*pool_, {(*claimed)[0].id, (*claimed)[1].id}, "tok", later).ok());
  EXPECT_EQ(ReadEvent(*pool_, "b1")->claim_until, later);
  EXPECT_EQ(ReadEvent(*pool_, "b3")->claim_until, clock_.Now() + absl::Seconds(30));
  ASSERT_TRUE(batches.Renew(*pool_, {(*claimed)[2].id}, "not-mine", later).ok());
  EXPECT_EQ(ReadEvent(*pool_, "b3")->claim_until, clock_.Now() + absl::Seconds(30));

  // b2's claim was lost (another relay's token now): only b1 is marked.
  ASSERT_TRUE(internal::MarkRetry(*pool_, (*claimed)[1].id, "tok", clock_.Now(), "x").value());
  absl::StatusOr<int64_t> marked =
      batches.MarkDelivered(*pool_, {(*claimed)[0].id, (*claimed)[1].id}, "tok", clock_.Now());
  ASSERT_TRUE(marked.ok()) << marked.status();
  EXPECT_EQ(*marked, 1);
  EXPECT_EQ(ReadEvent(*pool_, "b1")->state, EventState::kDelivered);
  EXPECT_EQ(ReadEvent(*pool_, "b2")->state, EventState::kPending);
  EXPECT_EQ(batches.MarkDelivered(*pool_, {}, "tok", clock_.Now()).value(), 0);

  ASSERT_TRUE(batches.Release(*pool_, {(*claimed)[2].id}, "tok").ok());
  EXPECT_FALSE(ReadEvent(*pool_, "b3")->claim_until.has_value());
  EXPECT_EQ(ReadEvent(*pool_, "b3")->state, EventState::kPending);
}

}  // namespace
}  // namespace gongkai::outbox
