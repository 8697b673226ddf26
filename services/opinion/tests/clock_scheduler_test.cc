// The OPI-4 / NAT-12 clock scheduler on the real database (label: integration): marks at
// the moment on an injected clock (across midnight and a holiday), two replicas sharing
// the database recording each escalation exactly once, a breach that fell while no
// replica ran recorded when one comes back, and the background thread on the wall clock.
#include "services/opinion/scheduler/clock_scheduler.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>

#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "services/opinion/tests/opinion_test_fixture.h"

namespace gongkai::opinion::testing {
namespace {

using ::testing::IsEmpty;
using ::testing::SizeIs;

class CountingObserver final : public scheduler::EscalationObserver {
 public:
  void Escalated(const v1::Escalation&) override { ++escalations; }
  void SchedulerError() override { ++errors; }
  std::atomic<int> escalations{0};
  std::atomic<int> errors{0};
};

class ClockSchedulerTest : public OpinionFixture {
 protected:
  std::vector<v1::Escalation> AllEscalations() {
    auto page = repository_->ListEscalations({}, 0, 100000);
    EXPECT_TRUE(page.ok()) << page.status();
    return page.ok() ? *page : std::vector<v1::Escalation>();
  }
};

TEST_F(ClockSchedulerTest, Opi4MarksDueSoonAndBreachAtTheMomentAcrossMidnight) {
  const absl::Time seen = Shanghai(2026, 3, 10, 23, 30);
  const v1::OpinionEvent event = Collect(v1::GRADE_MAJOR, seen);
  CountingObserver observer;
  scheduler::ClockScheduler scheduler(repository_.get(), &clock_, &observer, {.replica = "a"});
  clock_.Set(Shanghai(2026, 3, 11, 0, 14));
  EXPECT_THAT(*scheduler.FireDueNow(), IsEmpty());
  // Known facts: 1 hour, due soon with 15 minutes left, at 00:15.
  clock_.Set(Shanghai(2026, 3, 11, 0, 15));
  auto due_soon = scheduler.FireDueNow();
  ASSERT_TRUE(due_soon.ok()) << due_soon.status();
  ASSERT_THAT(*due_soon, SizeIs(1));
  EXPECT_EQ((*due_soon)[0].stage(), v1::ESCALATION_DUE_SOON);
  EXPECT_EQ((*due_soon)[0].clock_kind(), v1::CLOCK_KNOWN_FACTS);
  EXPECT_EQ((*due_soon)[0].lead_unit_id(), kQingxiuHealth);
  clock_.Set(Shanghai(2026, 3, 11, 0, 30));
  auto breached = scheduler.FireDueNow();
  ASSERT_THAT(*breached, SizeIs(1));
  EXPECT_EQ((*breached)[0].stage(), v1::ESCALATION_BREACHED);
  EXPECT_EQ(FromTimestamp((*breached)[0].due_time()), Shanghai(2026, 3, 11, 0, 30));
  EXPECT_EQ(FromTimestamp((*breached)[0].record_time()), Shanghai(2026, 3, 11, 0, 30));
  EXPECT_THAT(*scheduler.FireDueNow(), IsEmpty());  // Nothing fires twice.
  v1::GetEventRequest get;
  get.set_id(event.id());
  auto stored = events_->GetEvent(office_, get);
  const v1::EventClock* known = ClockOf(*stored, v1::CLOCK_KNOWN_FACTS);
  ASSERT_NE(known, nullptr);
  EXPECT_TRUE(known->late());
  EXPECT_EQ(FromTimestamp(known->breach_recorded_time()), Shanghai(2026, 3, 11, 0, 30));
  EXPECT_EQ(observer.escalations, 2);
}

TEST_F(ClockSchedulerTest, Nat12A48HourClockOverAHolidayBreachesOnTheThirdEvening) {
  const absl::Time seen = Shanghai(2026, 10, 1, 22, 0);  // National Day.
  Collect(v1::GRADE_GENERAL, seen);
  scheduler::ClockScheduler scheduler(repository_.get(), &clock_, nullptr, {.replica = "a"});
  clock_.Set(Shanghai(2026, 10, 3, 9, 59));
  EXPECT_THAT(*scheduler.FireDueNow(), IsEmpty());
  clock_.Set(Shanghai(2026, 10, 3, 10, 0));  // 12 hours left.
  EXPECT_THAT(*scheduler.FireDueNow(), SizeIs(1));
  clock_.Set(Shanghai(2026, 10, 3, 21, 59));
  EXPECT_THAT(*scheduler.FireDueNow(), IsEmpty());
  clock_.Set(Shanghai(2026, 10, 3, 22, 0));
  auto breach = scheduler.FireDueNow();
  ASSERT_THAT(*breach, SizeIs(1));
  EXPECT_EQ((*breach)[0].stage(), v1::ESCALATION_BREACHED);
}

TEST_F(ClockSchedulerTest, Opi4AMetClockNeverFires) {
  const absl::Time seen = Shanghai(2026, 3, 10, 9, 0);
  const v1::OpinionEvent event = Collect(v1::GRADE_GENERAL, seen);
  ASSERT_TRUE(Consult(event.id()).ok());
  ASSERT_TRUE(Assess(event.id(), v1::GRADE_GENERAL).ok());
  clock_.Set(seen + absl::Hours(2));
  ASSERT_TRUE(
      events_->RecordResponse(office_, Answer(event.id(), v1::CHANNEL_WEIBO, seen + absl::Hours(1)))
          .ok());
  scheduler::ClockScheduler scheduler(repository_.get(), &clock_, nullptr, {.replica = "a"});
  clock_.Set(seen + absl::Hours(100));
  EXPECT_THAT(*scheduler.FireDueNow(), IsEmpty());
}

TEST_F(ClockSchedulerTest, Opi4TwoReplicasSharingTheDatabaseRecordEachEscalationOnce) {
  const absl::Time seen = Shanghai(2026, 3, 10, 9, 0);
  constexpr int kEvents = 150;  // 300 clocks, 600 escalations.
  for (int i = 0; i < kEvents; ++i) Collect(v1::GRADE_MAJOR, seen + absl::Seconds(i));
  clock_.Set(seen + absl::Hours(6));
  // Two replicas, each with its own repository (its own pool would be the same here).
  auto other_repository = events::NewMysqlEventRepository(db_->pool.get());
  CountingObserver a_observer, b_observer;
  scheduler::ClockScheduler a(repository_.get(), &clock_, &a_observer,
                              {.replica = "a", .batch = 25});
  scheduler::ClockScheduler b(other_repository.get(), &clock_, &b_observer,
                              {.replica = "b", .batch = 25});
  std::atomic<bool> failed{false};
  std::thread ta([&] { failed = failed || !a.FireDueNow().ok(); });
  std::thread tb([&] { failed = failed || !b.FireDueNow().ok(); });
  ta.join();
  tb.join();
  ASSERT_FALSE(failed);
  const std::vector<v1::Escalation> all = AllEscalations();
  EXPECT_THAT(all, SizeIs(kEvents * 2 * 2));
  std::set<std::pair<int64_t, int>> unique;
  for (const v1::Escalation& e : all) unique.insert({e.clock_id(), e.stage()});
  EXPECT_EQ(unique.size(), all.size());
  EXPECT_EQ(a_observer.escalations + b_observer.escalations, static_cast<int>(all.size()));
  EXPECT_THAT(*a.FireDueNow(), IsEmpty());
  EXPECT_THAT(*b.FireDueNow(), IsEmpty());
}

TEST_F(ClockSchedulerTest, Opi4ABreachThatFellWhileNoReplicaRanIsRecordedOnReturn) {
  const absl::Time seen = Shanghai(2026, 3, 10, 9, 0);
  Collect(v1::GRADE_MAJOR, seen);
  {
    scheduler::ClockScheduler before(repository_.get(), &clock_, nullptr, {.replica = "old"});
    clock_.Set(seen + absl::Minutes(10));
    EXPECT_THAT(*before.FireDueNow(), IsEmpty());
  }  // Every replica is down from here on.
  clock_.Set(seen + absl::Hours(7));
  scheduler::ClockScheduler after(repository_.get(), &clock_, nullptr, {.replica = "new"});
  auto recorded = after.FireDueNow();
  ASSERT_TRUE(recorded.ok()) << recorded.status();
  // Both clocks: due soon and breach, recorded now, each naming its own deadline.
  ASSERT_THAT(*recorded, SizeIs(4));
  std::set<absl::Time> deadlines;
  for (const v1::Escalation& e : *recorded) {
    EXPECT_EQ(e.recorded_by(), "new");
    EXPECT_EQ(FromTimestamp(e.record_time()), seen + absl::Hours(7));
    if (e.stage() == v1::ESCALATION_BREACHED) deadlines.insert(FromTimestamp(e.due_time()));
  }
  EXPECT_EQ(deadlines, (std::set<absl::Time>{seen + absl::Hours(1), seen + absl::Hours(5)}));
}

TEST_F(ClockSchedulerTest, Opi4TheBackgroundThreadRecordsABreachOnTheWallClock) {
  RealClock real;
  events::OpinionEvents events(repository_.get(), &units_, book_, &real, nullptr);
  // First seen almost an hour ago: the known-facts clock breaches in about a second.
  const absl::Time seen = absl::Now() - absl::Hours(1) + absl::Seconds(1);
  auto request = Request(v1::GRADE_MAJOR, seen);
  request.set_collecting_unit_id(kCityOffice);
  ASSERT_TRUE(events.CollectEvent(office_, request).ok());
  CountingObserver observer;
  scheduler::ClockScheduler scheduler(repository_.get(), &real, &observer,
                                      {.replica = "thread", .poll = absl::Milliseconds(200)});
  scheduler.Start();
  const absl::Time give_up = absl::Now() + absl::Seconds(30);
  while (observer.escalations < 2 && absl::Now() < give_up) absl::SleepFor(absl::Milliseconds(50));
  scheduler.Stop();
  std::vector<v1::Escalation> all = AllEscalations();
  int breaches = 0;
  for (const v1::Escalation& e : all) {
    if (e.stage() == v1::ESCALATION_BREACHED) {
      ++breaches;
      EXPECT_GE(FromTimestamp(e.record_time()), FromTimestamp(e.due_time()));
    }
  }
  EXPECT_EQ(breaches, 1);
  EXPECT_EQ(observer.errors, 0);
}

}  // namespace
}  // namespace gongkai::opinion::testing
