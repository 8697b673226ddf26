// The opinion domain on the real MySQL repository (label: integration): collection with
// OPI-2 routing and OPI-4 clocks, the OPI-1 workflow with every step recorded, answers
// stopping clocks, contradicting answers, the grade raised during assessment, closing
// rules, OPI-5 supervision, roles and unit scope, and bad input that changes nothing.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "libs/db/testing/status_matchers.h"
#include "services/opinion/clocks/clock_plan.h"
#include "services/opinion/tests/opinion_test_fixture.h"

namespace gongkai::opinion::testing {
namespace {

using ::gongkai::db::testing::StatusIs;
using ::testing::_;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

using OpinionEventsTest = OpinionFixture;

TEST_F(OpinionEventsTest, Opi1CollectRoutesByOpi2AndStartsOpi4ClocksFromFirstSeen) {
  const absl::Time seen = Shanghai(2026, 3, 10, 23, 30);
  clock_.Set(seen + absl::Minutes(5));
  auto event = events_->CollectEvent(office_, [&] {
    auto r = Request(v1::GRADE_MAJOR, seen);
    r.set_collecting_unit_id(kCityOffice);
    return r;
  }());
  ASSERT_TRUE(event.ok()) << event.status();
  EXPECT_EQ(event->state(), v1::EVENT_COLLECTED);
  EXPECT_EQ(event->responsibility().rule(), "local_matter");
  EXPECT_EQ(event->responsibility().lead_unit_id(), kQingxiuHealth);
  EXPECT_THAT(event->responsibility().rule_citation(), HasSubstr("opinion.routing v1"));
  ASSERT_THAT(event->clocks(), SizeIs(2));
  const v1::EventClock* known = ClockOf(*event, v1::CLOCK_KNOWN_FACTS);
  ASSERT_NE(known, nullptr);
  // Across midnight on the wall clock.
  EXPECT_EQ(FromTimestamp(known->due_time()), Shanghai(2026, 3, 11, 0, 30));
  EXPECT_THAT(known->rule(), HasSubstr("known_facts.period = 1h"));
  EXPECT_EQ(FromTimestamp(ClockOf(*event, v1::CLOCK_AUTHORITATIVE)->due_time()),
            Shanghai(2026, 3, 11, 4, 30));
  auto history = events_->ListEventHistory(office_, [&] {
    v1::ListEventHistoryRequest r;
    r.set_id(event->id());
    return r;
  }());
  ASSERT_TRUE(history.ok());
  ASSERT_THAT(history->steps(), SizeIs(1));
  EXPECT_EQ(history->steps(0).action(), "collect");
  EXPECT_EQ(history->steps(0).actor(), "office");
}

TEST_F(OpinionEventsTest, CollectIsIdempotentUnderItsRequestId) {
  const absl::Time seen = Shanghai(2026, 3, 10, 9, 0);
  clock_.Set(seen);
  auto request = Request(v1::GRADE_GENERAL, seen, "collect-1");
  auto first = events_->CollectEvent(qingxiu_staff_, request);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->collecting_unit_id(), kQingxiuHealth);
  auto again = events_->CollectEvent(qingxiu_staff_, request);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->id(), first->id());
  EXPECT_EQ(Count("opinion_events"), 1);
  request.set_title("另一事件");
  EXPECT_THAT(events_->CollectEvent(qingxiu_staff_, request).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("request_id")));
}

TEST_F(OpinionEventsTest, Opi1TheWorkflowRunsInOrderAndEveryStepIsRecorded) {
  const v1::OpinionEvent event = Collect(v1::GRADE_GENERAL, Shanghai(2026, 3, 10, 9, 0));
  clock_.Advance(absl::Minutes(10));
  EXPECT_THAT(Assess(event.id(), v1::GRADE_GENERAL).status(),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("consultation")));
  EXPECT_THAT(events_->RecordResponse(office_, Answer(event.id(), v1::CHANNEL_WEIBO, clock_.Now()))
                  .status(),
              StatusIs(absl::StatusCode::kFailedPrecondition, _));
  ASSERT_TRUE(Consult(event.id()).ok());
  ASSERT_TRUE(Assess(event.id(), v1::GRADE_GENERAL).ok());
  auto answered =
      events_->RecordResponse(qingxiu_staff_, Answer(event.id(), v1::CHANNEL_WEIBO, clock_.Now()));
  ASSERT_TRUE(answered.ok()) << answered.status();
  EXPECT_EQ(answered->state(), v1::EVENT_RESPONDING);
  ASSERT_NE(ClockOf(*answered, v1::CLOCK_GENERAL_RESPONSE, v1::CLOCK_MET), nullptr);
  EXPECT_EQ(answered->responses(0).unit_id(), kQingxiuHealth);
  EXPECT_THAT(answered->responses(0).satisfied_clocks(), ElementsAre(v1::CLOCK_GENERAL_RESPONSE));
  v1::CloseEventRequest close;
  close.set_id(event.id());
  EXPECT_THAT(events_->CloseEvent(office_, close).status(),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("evaluation")));
  v1::RecordEvaluationRequest evaluate;
  evaluate.set_id(event.id());
  evaluate.set_effect("网民情绪平复");
  evaluate.set_lessons("首次发布应更早");
  ASSERT_TRUE(events_->RecordEvaluation(qingxiu_staff_, evaluate).ok());
  auto closed = events_->CloseEvent(qingxiu_head_, close);
  ASSERT_TRUE(closed.ok()) << closed.status();
  EXPECT_EQ(closed->state(), v1::EVENT_CLOSED);
  auto history = events_->ListEventHistory(office_, [&] {
    v1::ListEventHistoryRequest r;
    r.set_id(event.id());
    return r;
  }());
  ASSERT_TRUE(history.ok());
  std::vector<std::string> actions;
  for (const auto& step : history->steps()) actions.push_back(step.action());
  EXPECT_THAT(actions, ElementsAre("collect", "consult", "assess", "respond", "evaluate", "close"));
  EXPECT_EQ(history->steps(5).new_state(), v1::EVENT_CLOSED);
}

TEST_F(OpinionEventsTest, ClosingNeedsAnAnswerOrARecordedDecisionNotToRespond) {
  const v1::OpinionEvent event = Collect(v1::GRADE_GENERAL, Shanghai(2026, 3, 10, 9, 0));
  ASSERT_TRUE(Consult(event.id()).ok());
  ASSERT_TRUE(Assess(event.id(), v1::GRADE_GENERAL).ok());
  v1::CloseEventRequest close;
  close.set_id(event.id());
  EXPECT_THAT(
      events_->CloseEvent(office_, close).status(),
      StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("decision not to respond")));
  v1::DecideNotToRespondRequest decide;
  decide.set_id(event.id());
  decide.set_reason("经核实为个别网民情绪宣泄，热度已自然消退");
  EXPECT_THAT(events_->DecideNotToRespond(qingxiu_staff_, decide).status(),
              StatusIs(absl::StatusCode::kPermissionDenied, _));
  auto decided = events_->DecideNotToRespond(qingxiu_head_, decide);
  ASSERT_TRUE(decided.ok()) << decided.status();
  EXPECT_TRUE(decided->decided_not_to_respond());
  EXPECT_NE(ClockOf(*decided, v1::CLOCK_GENERAL_RESPONSE, v1::CLOCK_WAIVED), nullptr);
  v1::RecordEvaluationRequest evaluate;
  evaluate.set_id(event.id());
  evaluate.set_effect("未发酵");
  evaluate.set_lessons("持续监测");
  ASSERT_TRUE(events_->RecordEvaluation(office_, evaluate).ok());
  EXPECT_TRUE(events_->CloseEvent(office_, close).ok());
}

TEST_F(OpinionEventsTest,
       Opi2ContradictingFiguresAreFlaggedForJointConsultationBeforeTheNextRelease) {
  const v1::OpinionEvent event = Collect(v1::GRADE_MAJOR, Shanghai(2026, 3, 10, 9, 0));
  ASSERT_TRUE(Consult(event.id()).ok());
  ASSERT_TRUE(Assess(event.id(), v1::GRADE_MAJOR).ok());
  clock_.Advance(absl::Minutes(20));
  ASSERT_TRUE(events_
                  ->RecordResponse(office_, Answer(event.id(), v1::CHANNEL_WEIBO, clock_.Now(),
                                                   {{"受伤人数", "3"}}))
                  .ok());
  auto second = events_->RecordResponse(
      office_, Answer(event.id(), v1::CHANNEL_WEBSITE, clock_.Now(), {{" 受伤人数 ", "5"}}));
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_TRUE(second->needs_consultation());
  ASSERT_THAT(second->contradictions(), SizeIs(1));
  EXPECT_EQ(second->contradictions(0).earlier_value(), "3");
  EXPECT_EQ(second->contradictions(0).value(), "5");
  EXPECT_EQ(second->contradictions(0).response_id(), second->responses(1).id());
  EXPECT_TRUE(second->responses(1).contradicts_earlier());
  EXPECT_THAT(events_->RecordResponse(office_, Answer(event.id(), v1::CHANNEL_WECHAT, clock_.Now()))
                  .status(),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("joint consultation")));
  auto consulted = Consult(event.id());
  ASSERT_TRUE(consulted.ok());
  EXPECT_FALSE(consulted->needs_consultation());
  EXPECT_TRUE(
      events_->RecordResponse(office_, Answer(event.id(), v1::CHANNEL_WECHAT, clock_.Now())).ok());
}

TEST_F(OpinionEventsTest, Opi4AGradeRaisedDuringAssessmentRestartsTheRightClocks) {
  const absl::Time seen = Shanghai(2026, 3, 10, 9, 0);
  const v1::OpinionEvent event = Collect(v1::GRADE_GENERAL, seen);
  ASSERT_NE(ClockOf(event, v1::CLOCK_GENERAL_RESPONSE), nullptr);
  ASSERT_TRUE(Consult(event.id()).ok());
  clock_.Set(seen + absl::Hours(2));
  auto raised = Assess(event.id(), v1::GRADE_MAJOR);
  ASSERT_TRUE(raised.ok()) << raised.status();
  EXPECT_EQ(raised->grade(), v1::GRADE_MAJOR);
  EXPECT_NE(ClockOf(*raised, v1::CLOCK_GENERAL_RESPONSE, v1::CLOCK_CANCELLED), nullptr);
  const v1::EventClock* known = ClockOf(*raised, v1::CLOCK_KNOWN_FACTS);
  ASSERT_NE(known, nullptr);
  EXPECT_EQ(FromTimestamp(known->start_time()), seen + absl::Hours(2));
  EXPECT_EQ(FromTimestamp(known->due_time()), seen + absl::Hours(3));
  EXPECT_THAT(known->start_reason(), HasSubstr("GRADE_MAJOR"));
  const v1::EventClock* authoritative = ClockOf(*raised, v1::CLOCK_AUTHORITATIVE);
  ASSERT_NE(authoritative, nullptr);
  // Raised again with heavy casualties: only the press conference starts; the running
  // clocks keep their deadlines.
  clock_.Advance(absl::Minutes(30));
  auto heavy = Assess(event.id(), v1::GRADE_ESPECIALLY_MAJOR, /*heavy=*/true);
  ASSERT_TRUE(heavy.ok()) << heavy.status();
  EXPECT_EQ(ClockOf(*heavy, v1::CLOCK_KNOWN_FACTS)->id(), known->id());
  EXPECT_EQ(ClockOf(*heavy, v1::CLOCK_KNOWN_FACTS)->due_time().seconds(),
            known->due_time().seconds());
  const v1::EventClock* press = ClockOf(*heavy, v1::CLOCK_PRESS_CONFERENCE);
  ASSERT_NE(press, nullptr);
  EXPECT_EQ(FromTimestamp(press->due_time()),
            seen + absl::Hours(2) + absl::Minutes(30) + absl::Hours(24));
}

TEST_F(OpinionEventsTest, Opi4AnswersStopTheClocksTheySatisfyAndALateOneIsABreachOnRecord) {
  const absl::Time seen = Shanghai(2026, 3, 10, 9, 0);
  const v1::OpinionEvent event = Collect(v1::GRADE_MAJOR, seen);
  ASSERT_TRUE(Consult(event.id()).ok());
  ASSERT_TRUE(Assess(event.id(), v1::GRADE_MAJOR).ok());
  clock_.Set(seen + absl::Hours(2));
  // Published 40 minutes after first seen, recorded later: the known-facts clock is met
  // on time; the authoritative one keeps running.
  auto first = events_->RecordResponse(
      office_, Answer(event.id(), v1::CHANNEL_WEIBO, seen + absl::Minutes(40)));
  ASSERT_TRUE(first.ok()) << first.status();
  const v1::EventClock* known = ClockOf(*first, v1::CLOCK_KNOWN_FACTS, v1::CLOCK_MET);
  ASSERT_NE(known, nullptr);
  EXPECT_FALSE(known->late());
  EXPECT_EQ(known->met_by_response_id(), first->responses(0).id());
  EXPECT_NE(ClockOf(*first, v1::CLOCK_AUTHORITATIVE), nullptr);
  // Authoritative information at 6 hours: late, and the breach is recorded with it.
  clock_.Set(seen + absl::Hours(6));
  auto second = Answer(event.id(), v1::CHANNEL_PRESS_RELEASE, clock_.Now());
  second.set_authoritative(true);
  auto late = events_->RecordResponse(office_, second);
  ASSERT_TRUE(late.ok()) << late.status();
  const v1::EventClock* authoritative = ClockOf(*late, v1::CLOCK_AUTHORITATIVE, v1::CLOCK_MET);
  ASSERT_NE(authoritative, nullptr);
  EXPECT_TRUE(authoritative->late());
  auto escalations = events_->ListEscalations(office_, [&] {
    v1::ListEscalationsRequest r;
    r.set_event_id(event.id());
    return r;
  }());
  ASSERT_TRUE(escalations.ok());
  ASSERT_THAT(escalations->escalations(), SizeIs(1));
  EXPECT_EQ(escalations->escalations(0).stage(), v1::ESCALATION_BREACHED);
  EXPECT_EQ(FromTimestamp(escalations->escalations(0).due_time()), seen + absl::Hours(5));
}

TEST_F(OpinionEventsTest, Opi2TheGeneralOfficeReassignsAndTheReassignmentIsRecorded) {
  const v1::OpinionEvent event = Collect(v1::GRADE_GENERAL, Shanghai(2026, 3, 10, 9, 0));
  v1::ReassignEventRequest r;
  r.set_id(event.id());
  r.add_unit_ids(kCityTransport);
  r.add_unit_ids(kQingxiuHealth);
  r.set_reason("涉及公交线路调整，由市交通运输局牵头");
  EXPECT_THAT(events_->ReassignEvent(qingxiu_head_, r).status(),
              StatusIs(absl::StatusCode::kPermissionDenied, _));
  auto reassigned = events_->ReassignEvent(office_, r);
  ASSERT_TRUE(reassigned.ok()) << reassigned.status();
  EXPECT_EQ(reassigned->responsibility().rule(), "reassigned");
  EXPECT_EQ(reassigned->responsibility().lead_unit_id(), kCityTransport);
  EXPECT_EQ(reassigned->responsibility().assigned_by(), "office");
  // The new lead's staff now see it in their list.
  v1::ListEventsRequest list;
  auto theirs = events_->ListEvents(transport_staff_, list);
  ASSERT_TRUE(theirs.ok()) << theirs.status();
  ASSERT_THAT(theirs->events(), SizeIs(1));
  r.set_unit_ids(0, 999);
  EXPECT_THAT(events_->ReassignEvent(office_, r).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("unit_ids[0]")));
}

TEST_F(OpinionEventsTest, Opi5LeadersInstructionsAreSupervisedBySupervisionOnly) {
  const v1::OpinionEvent plain = Collect(v1::GRADE_GENERAL, Shanghai(2026, 3, 10, 9, 0));
  const v1::OpinionEvent instructed = Collect(v1::GRADE_MAJOR, Shanghai(2026, 3, 10, 9, 30));
  v1::RecordLeaderInstructionRequest r;
  r.set_id(instructed.id());
  r.set_instruction("请卫健部门迅速核实情况，及时回应社会关切。");
  r.set_leader("市长");
  EXPECT_THAT(events_->RecordLeaderInstruction(qingxiu_head_, r).status(),
              StatusIs(absl::StatusCode::kPermissionDenied, _));
  ASSERT_TRUE(events_->RecordLeaderInstruction(office_, r).ok());
  v1::ListSupervisedEventsRequest list;
  EXPECT_THAT(events_->ListSupervisedEvents(qingxiu_head_, list).status(),
              StatusIs(absl::StatusCode::kPermissionDenied, _));
  auto supervised = events_->ListSupervisedEvents(supervision_, list);
  ASSERT_TRUE(supervised.ok()) << supervised.status();
  ASSERT_THAT(supervised->events(), SizeIs(1));
  EXPECT_EQ(supervised->events(0).id(), instructed.id());
  EXPECT_EQ(supervised->events(0).leader_instruction(), r.instruction());
  EXPECT_THAT(supervised->events(0).clocks(), SizeIs(2));
  EXPECT_EQ(supervised->events(0).responsibility().lead_unit_id(), kQingxiuHealth);
  (void)plain;
}

TEST_F(OpinionEventsTest, RolesAndUnitScopeAreCheckedInTheService) {
  const v1::OpinionEvent event = Collect(v1::GRADE_GENERAL, Shanghai(2026, 3, 10, 9, 0));
  v1::GetEventRequest get;
  get.set_id(event.id());
  EXPECT_TRUE(events_->GetEvent(qingxiu_staff_, get).ok());
  EXPECT_TRUE(events_->GetEvent(inspector_, get).ok());
  EXPECT_TRUE(events_->GetEvent(supervision_, get).ok());
  EXPECT_THAT(events_->GetEvent(transport_staff_, get).status(),
              StatusIs(absl::StatusCode::kPermissionDenied, _));
  EXPECT_THAT(events_->GetEvent(auth::Principal::Anonymous(), get).status(),
              StatusIs(absl::StatusCode::kUnauthenticated, _));
  v1::RecordConsultationRequest consult;
  consult.set_id(event.id());
  consult.add_participants("x");
  consult.set_conclusion("y");
  EXPECT_THAT(events_->RecordConsultation(transport_staff_, consult).status(),
              StatusIs(absl::StatusCode::kPermissionDenied, _));
  EXPECT_THAT(events_->RecordConsultation(inspector_, consult).status(),
              StatusIs(absl::StatusCode::kPermissionDenied, _));
  v1::ListEventsRequest others;
  others.set_unit_id(kQingxiuHealth);
  EXPECT_THAT(events_->ListEvents(transport_staff_, others).status(),
              StatusIs(absl::StatusCode::kPermissionDenied, _));
  auto c = Request(v1::GRADE_GENERAL, clock_.Now());
  c.set_collecting_unit_id(kQingxiuHealth);
  EXPECT_THAT(events_->CollectEvent(transport_staff_, c).status(),
              StatusIs(absl::StatusCode::kPermissionDenied, _));
  EXPECT_THAT(events_->CollectEvent(inspector_, c).status(),
              StatusIs(absl::StatusCode::kPermissionDenied, _));
}

TEST_F(OpinionEventsTest, BadInputIsRejectedWithFieldViolationsAndChangesNothing) {
  const v1::OpinionEvent event = Collect(v1::GRADE_GENERAL, Shanghai(2026, 3, 10, 9, 0));
  ASSERT_TRUE(Consult(event.id()).ok());
  ASSERT_TRUE(Assess(event.id(), v1::GRADE_GENERAL).ok());
  const int64_t events = Count("opinion_events"), steps = Count("opinion_event_steps"),
                clocks = Count("opinion_clocks"), responses = Count("opinion_responses");
  std::vector<v1::CollectEventRequest> bad_collects;
  for (int i = 0; i < 8; ++i) bad_collects.push_back(Request(v1::GRADE_GENERAL, clock_.Now()));
  bad_collects[0].clear_title();
  bad_collects[1].set_grade(static_cast<v1::EventGrade>(42));
  bad_collects[2].clear_territory();
  bad_collects[3].set_locality_unit_ids(0, kCityHealth);  // Not a district or county.
  bad_collects[4].mutable_evidence(0)->set_url("ftp://x");
  *bad_collects[5].mutable_first_seen_time() = ToTimestamp(clock_.Now() + absl::Hours(1));
  bad_collects[6].add_concerned_unit_ids(999);
  bad_collects[7].set_title(std::string("\xff\xfe", 2));
  for (const auto& r : bad_collects) {
    auto collected = events_->CollectEvent(office_, [&] {
      auto c = r;
      c.set_collecting_unit_id(kCityOffice);
      return c;
    }());
    EXPECT_THAT(collected.status(), StatusIs(absl::StatusCode::kInvalidArgument, _))
        << r.ShortDebugString();
  }
  std::vector<v1::RecordResponseRequest> bad_answers;
  for (int i = 0; i < 6; ++i)
    bad_answers.push_back(Answer(event.id(), v1::CHANNEL_WEIBO, clock_.Now()));
  bad_answers[0].clear_content();
  bad_answers[1].clear_link();
  bad_answers[2].clear_spokesperson();
  *bad_answers[3].mutable_publish_time() = ToTimestamp(Shanghai(2026, 3, 1, 0, 0));  // Before seen.
  bad_answers[4].set_unit_id(kCityTransport);  // Not responsible.
  bad_answers[5].clear_channel();
  for (const auto& r : bad_answers) {
    EXPECT_THAT(events_->RecordResponse(office_, r).status(),
                StatusIs(absl::StatusCode::kInvalidArgument, _))
        << r.ShortDebugString();
  }
  v1::RecordAssessmentRequest stale;
  stale.set_id(event.id());
  stale.set_risk("r");
  stale.set_grade(v1::GRADE_MAJOR);
  stale.set_expected_version(1);
  EXPECT_THAT(events_->RecordAssessment(office_, stale).status(),
              StatusIs(absl::StatusCode::kAborted, _));
  v1::GetEventRequest missing;
  missing.set_id(987654);
  EXPECT_THAT(events_->GetEvent(office_, missing).status(),
              StatusIs(absl::StatusCode::kNotFound, _));
  EXPECT_EQ(Count("opinion_events"), events);
  EXPECT_EQ(Count("opinion_event_steps"), steps);
  EXPECT_EQ(Count("opinion_clocks"), clocks);
  EXPECT_EQ(Count("opinion_responses"), responses);
}

TEST_F(OpinionEventsTest, ListsArePagedNewestFirstAndFilterBreachedClocks) {
  for (int i = 0; i < 5; ++i) Collect(v1::GRADE_GENERAL, Shanghai(2026, 3, 10, 9, i));
  v1::ListEventsRequest list;
  list.set_page_size(2);
  std::vector<int64_t> ids;
  while (true) {
    auto page = events_->ListEvents(office_, list);
    ASSERT_TRUE(page.ok()) << page.status();
    for (const auto& e : page->events()) ids.push_back(e.id());
    if (page->next_page_token().empty()) break;
    list.set_page_token(page->next_page_token());
  }
  ASSERT_THAT(ids, SizeIs(5));
  EXPECT_TRUE(std::is_sorted(ids.rbegin(), ids.rend()));
  v1::ListEventsRequest breached;
  breached.set_breached_only(true);
  EXPECT_THAT(events_->ListEvents(office_, breached)->events(), IsEmpty());
  clock_.Advance(absl::Hours(49));
  EXPECT_THAT(events_->ListEvents(office_, breached)->events(), SizeIs(5));
}

}  // namespace
}  // namespace gongkai::opinion::testing
