// OPI-4 / NAT-12 clocks as pure rules, on the built-in opinion.clocks rule set and an
// injected time: which clocks a grade gets, deadlines on the wall clock (across midnight
// and a public holiday, where no working-day calendar applies), what answers satisfy,
// and what a change of grade restarts.
#include "services/opinion/clocks/clock_plan.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>

#include "libs/clock/clock.h"
#include "libs/protoconv/protoconv.h"
#include "libs/rules/embedded_rule_sets.h"
#include "libs/rules/rule_book.h"
#include "services/opinion/opinion_rule_sets.h"

namespace gongkai::opinion::clocks {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

absl::Time Shanghai(int y, int m, int d, int hh, int mm) {
  return absl::FromCivil(absl::CivilMinute(y, m, d, hh, mm), ShanghaiTimeZone());
}

class ClockPlanTest : public ::testing::Test {
 protected:
  void SetUp() override {
    book_ = std::make_shared<rules::RuleBook>(std::vector<std::shared_ptr<const rules::RuleSchema>>{
        ClockRuleSchema(), RoutingRuleSchema()});
    ASSERT_TRUE(rules::LoadEmbeddedRuleSets(*book_).ok());
    auto set = book_->EffectiveOn(kClockRuleSet, absl::CivilDay(2026, 10, 1));
    ASSERT_TRUE(set.ok()) << set.status();
    set_ = *set;
  }

  std::vector<v1::ClockKind> Kinds(v1::EventGrade grade, bool heavy) {
    auto plan = PlanClocks(*set_, grade, heavy);
    EXPECT_TRUE(plan.ok()) << plan.status();
    std::vector<v1::ClockKind> kinds;
    for (const PlannedClock& p : *plan) kinds.push_back(p.kind);
    return kinds;
  }

  PlannedClock Planned(v1::EventGrade grade, bool heavy, v1::ClockKind kind) {
    auto plan = PlanClocks(*set_, grade, heavy);
    for (const PlannedClock& p : *plan) {
      if (p.kind == kind) return p;
    }
    ADD_FAILURE() << "no clock " << kind;
    return {};
  }

  std::shared_ptr<rules::RuleBook> book_;
  std::shared_ptr<const rules::RuleSet> set_;
};

TEST_F(ClockPlanTest, Opi4MajorEventsGetKnownFactsAndAuthoritativeClocks) {
  EXPECT_THAT(Kinds(v1::GRADE_MAJOR, false),
              ElementsAre(v1::CLOCK_KNOWN_FACTS, v1::CLOCK_AUTHORITATIVE));
  EXPECT_THAT(Kinds(v1::GRADE_ESPECIALLY_MAJOR, false),
              ElementsAre(v1::CLOCK_KNOWN_FACTS, v1::CLOCK_AUTHORITATIVE));
}

TEST_F(ClockPlanTest, Opi4PressConferenceOnlyWithHeavyCasualtiesOrWideImpact) {
  EXPECT_THAT(
      Kinds(v1::GRADE_MAJOR, true),
      ElementsAre(v1::CLOCK_KNOWN_FACTS, v1::CLOCK_AUTHORITATIVE, v1::CLOCK_PRESS_CONFERENCE));
  // A general event with wide impact still has only the 48-hour clock.
  EXPECT_THAT(Kinds(v1::GRADE_GENERAL, true), ElementsAre(v1::CLOCK_GENERAL_RESPONSE));
}

TEST_F(ClockPlanTest, Nat12GeneralOpinionIsAnsweredWithin48Hours) {
  EXPECT_THAT(Kinds(v1::GRADE_GENERAL, false), ElementsAre(v1::CLOCK_GENERAL_RESPONSE));
  EXPECT_EQ(Planned(v1::GRADE_GENERAL, false, v1::CLOCK_GENERAL_RESPONSE).period, absl::Hours(48));
}

TEST_F(ClockPlanTest, Opi4PeriodsComeFromTheRuleSetAndAreCited) {
  const PlannedClock known = Planned(v1::GRADE_MAJOR, true, v1::CLOCK_KNOWN_FACTS);
  EXPECT_EQ(known.period, absl::Hours(1));
  EXPECT_EQ(known.due_soon_before, absl::Minutes(15));  // 25 % of the hour.
  EXPECT_THAT(known.rule, HasSubstr("opinion.clocks v1"));
  EXPECT_THAT(known.rule, HasSubstr("known_facts.period = 1h"));
  EXPECT_EQ(Planned(v1::GRADE_MAJOR, true, v1::CLOCK_AUTHORITATIVE).period, absl::Hours(5));
  EXPECT_EQ(Planned(v1::GRADE_MAJOR, true, v1::CLOCK_PRESS_CONFERENCE).period, absl::Hours(24));
}

TEST_F(ClockPlanTest, Opi4AnUnspecifiedGradeIsRejected) {
  EXPECT_EQ(PlanClocks(*set_, v1::EVENT_GRADE_UNSPECIFIED, false).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(ClockPlanTest, Nat12DeadlinesRunAcrossMidnightOnTheWallClock) {
  const absl::Time seen = Shanghai(2026, 3, 10, 23, 30);
  const v1::EventClock clock =
      StartClock(Planned(v1::GRADE_MAJOR, false, v1::CLOCK_KNOWN_FACTS), seen, "first seen");
  EXPECT_EQ(FromTimestamp(clock.due_time()), Shanghai(2026, 3, 11, 0, 30));
  EXPECT_EQ(FromTimestamp(clock.due_soon_time()), Shanghai(2026, 3, 11, 0, 15));
  EXPECT_EQ(clock.status(), v1::CLOCK_RUNNING);
}

TEST_F(ClockPlanTest, Nat12HolidaysAndWeekendsCountInHourClocks) {
  // National Day 2026-10-01 (a holiday, then the weekend): 48 hours are 48 hours.
  const absl::Time seen = Shanghai(2026, 10, 1, 22, 0);
  const v1::EventClock general =
      StartClock(Planned(v1::GRADE_GENERAL, false, v1::CLOCK_GENERAL_RESPONSE), seen, "first seen");
  EXPECT_EQ(FromTimestamp(general.due_time()), Shanghai(2026, 10, 3, 22, 0));
  const v1::EventClock authoritative =
      StartClock(Planned(v1::GRADE_MAJOR, false, v1::CLOCK_AUTHORITATIVE), seen, "first seen");
  EXPECT_EQ(FromTimestamp(authoritative.due_time()), Shanghai(2026, 10, 2, 3, 0));
}

TEST_F(ClockPlanTest, Opi4NextFireTimeIsDueSoonThenDeadlineThenNothing) {
  v1::EventClock clock = StartClock(Planned(v1::GRADE_MAJOR, false, v1::CLOCK_KNOWN_FACTS),
                                    Shanghai(2026, 3, 10, 8, 0), "first seen");
  EXPECT_EQ(NextFireTime(clock), Shanghai(2026, 3, 10, 8, 45));
  *clock.mutable_due_soon_recorded_time() = ToTimestamp(Shanghai(2026, 3, 10, 8, 45));
  EXPECT_EQ(NextFireTime(clock), Shanghai(2026, 3, 10, 9, 0));
  *clock.mutable_breach_recorded_time() = ToTimestamp(Shanghai(2026, 3, 10, 9, 0));
  EXPECT_EQ(NextFireTime(clock), std::nullopt);
  clock.clear_breach_recorded_time();
  clock.set_status(v1::CLOCK_MET);
  EXPECT_EQ(NextFireTime(clock), std::nullopt);
}

TEST_F(ClockPlanTest, Opi4WhichAnswersSatisfyWhichClock) {
  v1::EventResponse weibo;
  weibo.set_channel(v1::CHANNEL_WEIBO);
  EXPECT_TRUE(Satisfies(v1::CLOCK_KNOWN_FACTS, weibo));
  EXPECT_TRUE(Satisfies(v1::CLOCK_GENERAL_RESPONSE, weibo));
  EXPECT_FALSE(Satisfies(v1::CLOCK_AUTHORITATIVE, weibo));
  EXPECT_FALSE(Satisfies(v1::CLOCK_PRESS_CONFERENCE, weibo));
  weibo.set_authoritative(true);
  EXPECT_TRUE(Satisfies(v1::CLOCK_AUTHORITATIVE, weibo));
  v1::EventResponse conference;
  conference.set_channel(v1::CHANNEL_PRESS_CONFERENCE);
  EXPECT_TRUE(Satisfies(v1::CLOCK_PRESS_CONFERENCE, conference));
  EXPECT_TRUE(Satisfies(v1::CLOCK_AUTHORITATIVE, conference));
}

TEST_F(ClockPlanTest, Opi4GradeRaisedCancelsTheGeneralClockAndStartsTheMajorOnes) {
  v1::EventClock general = StartClock(Planned(v1::GRADE_GENERAL, false, v1::CLOCK_GENERAL_RESPONSE),
                                      Shanghai(2026, 3, 10, 8, 0), "first seen");
  general.set_id(7);
  auto plan = PlanClocks(*set_, v1::GRADE_MAJOR, false);
  ASSERT_TRUE(plan.ok());
  const Replan replan = ReplanClocks({general}, *plan);
  EXPECT_THAT(replan.cancel_clock_ids, ElementsAre(7));
  ASSERT_EQ(replan.start.size(), 2u);
  EXPECT_EQ(replan.start[0].kind, v1::CLOCK_KNOWN_FACTS);
  EXPECT_EQ(replan.start[1].kind, v1::CLOCK_AUTHORITATIVE);
}

TEST_F(ClockPlanTest, Opi4GradeRaisedWithinMajorGradesRestartsNothing) {
  auto major = PlanClocks(*set_, v1::GRADE_MAJOR, false);
  std::vector<v1::EventClock> running;
  int64_t id = 1;
  for (const PlannedClock& p : *major) {
    running.push_back(StartClock(p, Shanghai(2026, 3, 10, 8, 0), "first seen"));
    running.back().set_id(id++);
  }
  auto especially = PlanClocks(*set_, v1::GRADE_ESPECIALLY_MAJOR, false);
  const Replan replan = ReplanClocks(running, *especially);
  EXPECT_THAT(replan.cancel_clock_ids, IsEmpty());
  EXPECT_THAT(replan.start, IsEmpty());
  // Wide impact found later adds only the press conference.
  auto heavy = PlanClocks(*set_, v1::GRADE_ESPECIALLY_MAJOR, true);
  const Replan more = ReplanClocks(running, *heavy);
  ASSERT_EQ(more.start.size(), 1u);
  EXPECT_EQ(more.start[0].kind, v1::CLOCK_PRESS_CONFERENCE);
}

TEST_F(ClockPlanTest, Opi4AMetClockIsNotRestartedAndIsLateOnlyWhenMetAfterItsDeadline) {
  v1::EventClock known = StartClock(Planned(v1::GRADE_MAJOR, false, v1::CLOCK_KNOWN_FACTS),
                                    Shanghai(2026, 3, 10, 8, 0), "first seen");
  known.set_id(3);
  known.set_status(v1::CLOCK_MET);
  *known.mutable_met_time() = ToTimestamp(Shanghai(2026, 3, 10, 8, 50));
  EXPECT_FALSE(IsLate(known, Shanghai(2026, 3, 11, 0, 0)));
  *known.mutable_met_time() = ToTimestamp(Shanghai(2026, 3, 10, 9, 10));
  EXPECT_TRUE(IsLate(known, Shanghai(2026, 3, 11, 0, 0)));
  auto plan = PlanClocks(*set_, v1::GRADE_MAJOR, false);
  const Replan replan = ReplanClocks({known}, *plan);
  ASSERT_EQ(replan.start.size(), 1u);
  EXPECT_EQ(replan.start[0].kind, v1::CLOCK_AUTHORITATIVE);
}

}  // namespace
}  // namespace gongkai::opinion::clocks
