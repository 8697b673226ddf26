// INT-2/OPI-1 on real MariaDB: a supplementary interpretation request and its outbox
// event (libs/outbox, ADR 0024) commit together with the event's change, and roll back
// together.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "gongkai/interpretation/v1/interpretation.pb.h"
#include "libs/db/testing/status_matchers.h"
#include "services/opinion/events/interpretation_supplement.h"
#include "services/opinion/tests/opinion_test_fixture.h"

namespace gongkai::opinion::testing {
namespace {

using ::gongkai::db::testing::StatusIs;

constexpr int64_t kMisreadDocument = 7;

class InterpretationSupplementOutboxTest : public OpinionFixture {
 protected:
  v1::OpinionEvent CollectWithDocument() {
    const absl::Time seen = Shanghai(2026, 3, 10, 8, 0);
    clock_.Set(seen);
    v1::CollectEventRequest request = Request(v1::GRADE_GENERAL, seen);
    request.set_collecting_unit_id(kCityOffice);
    request.add_document_ids(kMisreadDocument);
    absl::StatusOr<v1::OpinionEvent> e = events_->CollectEvent(office_, request);
    EXPECT_TRUE(e.ok()) << e.status();
    return e.ok() ? *e : v1::OpinionEvent();
  }

  v1::RequestInterpretationSupplementRequest Misread(int64_t id, const std::string& request_id) {
    v1::RequestInterpretationSupplementRequest r;
    r.set_id(id);
    r.set_document_id(kMisreadDocument);
    r.set_reason("研判：网民把补贴“原则上按季度发放”误读为“停发”");
    r.set_request_id(request_id);
    return r;
  }

  int64_t Steps(int64_t event_id) {
    auto conn = db_->pool->Acquire();
    auto rows = (*conn)->Query("SELECT COUNT(*) AS n FROM opinion_event_steps WHERE event_id = ?",
                               {event_id});
    return *(*rows)[0].GetInt64("n");
  }
};

TEST_F(InterpretationSupplementOutboxTest, Int2Opi1TheRequestAndItsOutboxEventCommitTogether) {
  const v1::OpinionEvent event = CollectWithDocument();
  const int64_t steps_before = Steps(event.id());
  absl::StatusOr<v1::OpinionEvent> requested =
      events_->RequestInterpretationSupplement(office_, Misread(event.id(), "misread-1"));
  ASSERT_TRUE(requested.ok()) << requested.status();
  ASSERT_EQ(requested->interpretation_supplements_size(), 1);
  const v1::InterpretationSupplement& supplement = requested->interpretation_supplements(0);
  EXPECT_EQ(supplement.request_id(), events::SupplementRequestId(event.id(), event.version() + 1));
  EXPECT_EQ(supplement.document_id(), kMisreadDocument);
  EXPECT_EQ(supplement.requested_by(), "office");
  EXPECT_FALSE(supplement.has_deliver_time());
  EXPECT_EQ(requested->version(), event.version() + 1);
  EXPECT_EQ(Steps(event.id()), steps_before + 1);

  // Exactly one outbox event, keyed by the request id the interpretation service dedups on.
  auto conn = db_->pool->Acquire();
  auto rows = (*conn)->Query(
      "SELECT topic, destination, event_key, payload, delivered_time FROM outbox_events");
  ASSERT_TRUE(rows.ok()) << rows.status();
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ(*(*rows)[0].GetString("topic"), events::kSupplementRequestedTopic);
  EXPECT_EQ(*(*rows)[0].GetString("destination"), "interpretation");
  EXPECT_EQ(*(*rows)[0].GetString("event_key"), supplement.request_id());
  interpretation::v1::RequestSupplementaryInterpretationRequest payload;
  ASSERT_TRUE(payload.ParseFromString(*(*rows)[0].GetString("payload")));
  EXPECT_EQ(payload.document_id(), kMisreadDocument);
  EXPECT_EQ(payload.request_id(), supplement.request_id());
  EXPECT_EQ(payload.reason(), supplement.reason());

  // A retry of the same call (same client request id) requests nothing more.
  absl::StatusOr<v1::OpinionEvent> retried =
      events_->RequestInterpretationSupplement(office_, Misread(event.id(), "misread-1"));
  ASSERT_TRUE(retried.ok()) << retried.status();
  EXPECT_EQ(retried->version(), requested->version());
  EXPECT_EQ(Count("outbox_events"), 1);
  EXPECT_EQ(Count("opinion_interpretation_supplements"), 1);

  // Delivered: the event shows the interpretation's id and when; a redelivery keeps both.
  const absl::Time delivered = clock_.Now() + absl::Minutes(3);
  ASSERT_TRUE(repository_->MarkSupplementDelivered(supplement.request_id(), 55, delivered).ok());
  ASSERT_TRUE(
      repository_
          ->MarkSupplementDelivered(supplement.request_id(), 55, delivered + absl::Minutes(1))
          .ok());
  absl::StatusOr<v1::OpinionEvent> read = repository_->Get(event.id());
  ASSERT_TRUE(read.ok()) << read.status();
  ASSERT_EQ(read->interpretation_supplements_size(), 1);
  EXPECT_EQ(read->interpretation_supplements(0).interpretation_id(), 55);
  EXPECT_EQ(FromTimestamp(read->interpretation_supplements(0).deliver_time()), delivered);
  EXPECT_THAT(repository_->MarkSupplementDelivered("opinion-event-0-supplement-0", 1, delivered),
              StatusIs(absl::StatusCode::kNotFound, ::testing::_));
}

TEST_F(InterpretationSupplementOutboxTest, Int2WhenTheOutboxWriteFailsTheEventChangeRollsBack) {
  const v1::OpinionEvent event = CollectWithDocument();
  const int64_t steps_before = Steps(event.id());
  // An outbox event already holds the key the request would take: Enqueue adds nothing,
  // so the repository fails the transaction — and the supplement row, the step and the
  // version bump written before it in the same transaction are undone.
  {
    auto conn = db_->pool->Acquire();
    outbox::OutboxEvent taken;
    taken.topic = "test.taken";
    taken.event_key = events::SupplementRequestId(event.id(), event.version() + 1);
    taken.payload = "x";
    ASSERT_TRUE(outbox::Enqueue(**conn, taken, clock_.Now()).ok());
  }
  EXPECT_THAT(events_->RequestInterpretationSupplement(office_, Misread(event.id(), "m-2")),
              StatusIs(absl::StatusCode::kAlreadyExists, ::testing::_));
  absl::StatusOr<v1::OpinionEvent> read = repository_->Get(event.id());
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->version(), event.version());
  EXPECT_EQ(read->interpretation_supplements_size(), 0);
  EXPECT_EQ(Count("opinion_interpretation_supplements"), 0);
  EXPECT_EQ(Steps(event.id()), steps_before);
  EXPECT_EQ(Count("outbox_events"), 1);  // Only the one planted above.
}

TEST_F(InterpretationSupplementOutboxTest, Int2WhenTheEventChangeFailsNoOutboxEventIsWritten) {
  const v1::OpinionEvent event = CollectWithDocument();
  // Stale version: ABORTED, nothing written.
  v1::RequestInterpretationSupplementRequest stale = Misread(event.id(), "m-3");
  stale.set_expected_version(event.version() + 5);
  EXPECT_THAT(events_->RequestInterpretationSupplement(office_, stale),
              StatusIs(absl::StatusCode::kAborted, ::testing::_));
  // A document the event does not concern: INVALID_ARGUMENT, nothing written.
  v1::RequestInterpretationSupplementRequest other = Misread(event.id(), "m-4");
  other.set_document_id(kMisreadDocument + 1);
  EXPECT_THAT(events_->RequestInterpretationSupplement(office_, other),
              StatusIs(absl::StatusCode::kInvalidArgument, ::testing::_));
  // A unit the event does not concern may not ask (OPI-2 responsibility).
  EXPECT_THAT(
      events_->RequestInterpretationSupplement(transport_staff_, Misread(event.id(), "m-5")),
      StatusIs(absl::StatusCode::kPermissionDenied, ::testing::_));
  // Empty reason: INVALID_ARGUMENT.
  v1::RequestInterpretationSupplementRequest empty = Misread(event.id(), "m-6");
  empty.clear_reason();
  EXPECT_THAT(events_->RequestInterpretationSupplement(office_, empty),
              StatusIs(absl::StatusCode::kInvalidArgument, ::testing::_));
  EXPECT_EQ(Count("outbox_events"), 0);
  EXPECT_EQ(Count("opinion_interpretation_supplements"), 0);
  absl::StatusOr<v1::OpinionEvent> read = repository_->Get(event.id());
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->version(), event.version());
}

}  // namespace
}  // namespace gongkai::opinion::testing
