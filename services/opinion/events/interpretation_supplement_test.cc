// The rule of a supplementary interpretation request (INT-2/OPI-1), without SQL.
#include "services/opinion/events/interpretation_supplement.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "libs/protoconv/protoconv.h"
#include "libs/status/errors.h"

namespace gongkai::opinion::events {
namespace {

v1::OpinionEvent OpenEvent() {
  v1::OpinionEvent event;
  event.set_id(42);
  event.set_version(6);
  event.set_state(v1::EVENT_ASSESSED);
  event.add_document_ids(7);
  event.add_document_ids(9);
  return event;
}

v1::RequestInterpretationSupplementRequest Misread(int64_t document_id) {
  v1::RequestInterpretationSupplementRequest request;
  request.set_id(42);
  request.set_document_id(document_id);
  request.set_reason("网民把“原则上”理解为“一律”");
  request.set_request_id("client-1");
  return request;
}

TEST(InterpretationSupplementTest, Int2Opi1AMisreadPolicyOfTheEventIsRequestedWithItsReason) {
  const absl::Time now = absl::FromUnixSeconds(1'780'000'000);
  absl::StatusOr<EventChange> change =
      PlanInterpretationSupplement(OpenEvent(), Misread(9), "office", now);
  ASSERT_TRUE(change.ok()) << change.status();
  ASSERT_TRUE(change->interpretation_supplement.has_value());
  const v1::InterpretationSupplement& supplement = *change->interpretation_supplement;
  // The id the interpretation service dedups on names the event and the version the
  // change creates, so it is the same on every redelivery and unique per request.
  EXPECT_EQ(supplement.request_id(), "opinion-event-42-supplement-7");
  EXPECT_EQ(supplement.document_id(), 9);
  EXPECT_EQ(supplement.reason(), "网民把“原则上”理解为“一律”");
  EXPECT_EQ(supplement.requested_by(), "office");
  EXPECT_EQ(FromTimestamp(supplement.request_time()), now);
  EXPECT_EQ(supplement.interpretation_id(), 0);
  EXPECT_FALSE(supplement.has_deliver_time());
  // The event's state is not moved by the request; the history names it.
  EXPECT_EQ(change->event.state(), v1::EVENT_ASSESSED);
  EXPECT_EQ(change->action, "request_interpretation_supplement");
  EXPECT_THAT(change->detail, ::testing::HasSubstr("document 9"));
}

TEST(InterpretationSupplementTest, Int2ADocumentTheEventDoesNotConcernIsBadInput) {
  absl::StatusOr<EventChange> change =
      PlanInterpretationSupplement(OpenEvent(), Misread(8), "office", absl::Now());
  EXPECT_EQ(change.status().code(), absl::StatusCode::kInvalidArgument);
  ASSERT_EQ(FieldViolationsOf(change.status()).size(), 1u);
  EXPECT_EQ(FieldViolationsOf(change.status())[0].field, "document_id");
}

TEST(InterpretationSupplementTest, Opi1AClosedEventRequestsNothing) {
  v1::OpinionEvent closed = OpenEvent();
  closed.set_state(v1::EVENT_CLOSED);
  absl::StatusOr<EventChange> change =
      PlanInterpretationSupplement(closed, Misread(7), "office", absl::Now());
  EXPECT_EQ(change.status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST(InterpretationSupplementTest, Int2EveryStateBeforeClosedMayRequest) {
  for (v1::EventState state : {v1::EVENT_COLLECTED, v1::EVENT_CONSULTED, v1::EVENT_ASSESSED,
                               v1::EVENT_RESPONDING, v1::EVENT_EVALUATED}) {
    v1::OpinionEvent event = OpenEvent();
    event.set_state(state);
    EXPECT_TRUE(PlanInterpretationSupplement(event, Misread(7), "office", absl::Now()).ok())
        << v1::EventState_Name(state);
  }
}

}  // namespace
}  // namespace gongkai::opinion::events
