#include "services/opinion/events/opinion_events.h"

#include <algorithm>
#include <set>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "libs/calendar/working_day_calendar.h"
#include "libs/idempotency/idempotency.h"
#include "libs/pagination/page_token.h"
#include "libs/protoconv/protoconv.h"
#include "libs/status/errors.h"
#include "libs/status/status_macros.h"
#include "libs/validation/validation.h"
#include "services/opinion/clocks/clock_plan.h"
#include "services/opinion/events/event_access.h"
#include "services/opinion/events/event_validation.h"
#include "services/opinion/events/interpretation_supplement.h"
#include "services/opinion/opinion_rule_sets.h"

namespace gongkai::opinion::events {
namespace {

using auth::Role;
using auth::RoleSet;
using validation::CheckId;
using validation::CheckText;

constexpr RoleSet kMembers = {Role::kStaff, Role::kHead};
constexpr RoleSet kHeads = {Role::kHead};

bool HasTime(const google::protobuf::Timestamp& t) { return t.seconds() != 0 || t.nanos() != 0; }

absl::Status StateError(const v1::OpinionEvent& event, absl::string_view what) {
  return PreconditionFailed(
      "STATE", absl::StrCat("opinion_event/", event.id()),
      absl::StrCat("event ", event.id(), " is ", v1::EventState_Name(event.state()), ": ", what));
}

absl::Status NotClosed(const v1::OpinionEvent& event) {
  if (event.state() == v1::EVENT_CLOSED) return StateError(event, "it is closed");
  return absl::OkStatus();
}

// The Asia/Shanghai day of `t`: the rule sets in effect that day apply.
absl::CivilDay DayInShanghai(absl::Time t) { return absl::ToCivilDay(t, ShanghaiTimeZone()); }

routing::RoutingInput RoutingInputOf(const v1::CollectEventRequest& request) {
  routing::RoutingInput input;
  input.category = request.category();
  input.territory = request.territory();
  input.locality_unit_ids.assign(request.locality_unit_ids().begin(),
                                 request.locality_unit_ids().end());
  input.concerned_unit_ids.assign(request.concerned_unit_ids().begin(),
                                  request.concerned_unit_ids().end());
  return input;
}

std::vector<v1::EventClock> ClocksOf(const v1::OpinionEvent& event) {
  return {event.clocks().begin(), event.clocks().end()};
}

}  // namespace

v1::OpinionEvent OpinionEvents::Present(v1::OpinionEvent event) const {
  const absl::Time now = clock_->Now();
  for (v1::EventClock& clock : *event.mutable_clocks()) clock.set_late(clocks::IsLate(clock, now));
  event.set_needs_consultation(
      std::any_of(event.contradictions().begin(), event.contradictions().end(),
                  [](const v1::Contradiction& c) { return !c.resolved(); }));
  return event;
}

absl::StatusOr<v1::OpinionEvent> OpinionEvents::CollectEvent(
    const auth::Principal& caller, const v1::CollectEventRequest& request) {
  RETURN_IF_ERROR(MayCollect(caller));
  const absl::Time now = clock_->Now();
  FieldViolations violations;
  CheckCollect(violations, request, now);
  int64_t collecting_unit = request.collecting_unit_id();
  if (!IsOffice(caller)) {
    if (collecting_unit != 0 && collecting_unit != *caller.unit_id) {
      return absl::PermissionDeniedError("STAFF and HEAD collect for their own unit only");
    }
    collecting_unit = *caller.unit_id;
  } else if (collecting_unit == 0) {
    violations.Add("collecting_unit_id", "required for OFFICE and ADMIN");
  }
  RETURN_IF_ERROR(violations.ToStatus());
  const routing::RoutingInput input = RoutingInputOf(request);
  RETURN_IF_ERROR(routing::CheckUnits(input, *units_));

  const idempotency::Key key =
      idempotency::MakeKey(caller.subject, "CollectEvent", request.request_id(), request);
  absl::StatusOr<v1::OpinionEvent> created = idempotency::IdempotentCreate<v1::OpinionEvent>(
      *repository_, key,
      [&](const idempotency::Key* stored_key) -> absl::StatusOr<v1::OpinionEvent> {
        const absl::Time first_seen =
            HasTime(request.first_seen_time()) ? FromTimestamp(request.first_seen_time()) : now;
        const absl::CivilDay day = DayInShanghai(first_seen);
        // OPI-2: the responsible units by the rule set of the day it was first seen.
        ASSIGN_OR_RETURN(std::shared_ptr<const rules::RuleSet> routing_rules,
                         rules_->EffectiveOn(kRoutingRuleSet, day));
        ASSIGN_OR_RETURN(v1::Responsibility responsibility,
                         routing::Route(input, *routing_rules, *units_));
        // OPI-4/NAT-12: the clocks of its grade, from the time first seen.
        ASSIGN_OR_RETURN(std::shared_ptr<const rules::RuleSet> clock_rules,
                         rules_->EffectiveOn(kClockRuleSet, day));
        ASSIGN_OR_RETURN(std::vector<clocks::PlannedClock> plan,
                         clocks::PlanClocks(*clock_rules, request.grade(),
                                            request.heavy_casualties() || request.wide_impact()));
        v1::OpinionEvent event;
        event.set_title(request.title());
        event.set_summary(request.summary());
        event.set_source(request.source());
        event.set_category(request.category());
        event.set_grade(request.grade());
        event.set_territory(request.territory());
        *event.mutable_locality_unit_ids() = request.locality_unit_ids();
        *event.mutable_concerned_unit_ids() = request.concerned_unit_ids();
        *event.mutable_document_ids() = request.document_ids();
        *event.mutable_evidence() = request.evidence();
        *event.mutable_first_seen_time() = ToTimestamp(first_seen);
        event.set_heavy_casualties(request.heavy_casualties());
        event.set_wide_impact(request.wide_impact());
        event.set_state(v1::EVENT_COLLECTED);
        event.set_collecting_unit_id(collecting_unit);
        *event.mutable_responsibility() = std::move(responsibility);
        if (!request.leader_instruction().empty()) {
          event.set_leader_instruction(request.leader_instruction());
          event.set_instructing_leader(request.instructing_leader());
          *event.mutable_instruction_time() = ToTimestamp(now);
        }
        for (const clocks::PlannedClock& planned : plan) {
          *event.add_clocks() = clocks::StartClock(planned, first_seen, "first seen");
        }
        return repository_->Create(event, caller.subject, now, stored_key);
      });
  if (!created.ok()) return created.status();
  if (observer_ != nullptr) {
    observer_->EventCollected(*created);
    observer_->ClocksChanged();
  }
  return Present(*std::move(created));
}

absl::StatusOr<v1::OpinionEvent> OpinionEvents::GetEvent(const auth::Principal& caller,
                                                         const v1::GetEventRequest& request) {
  FieldViolations violations;
  CheckId(violations, "id", request.id(), /*required=*/true);
  RETURN_IF_ERROR(violations.ToStatus());
  if (caller.anonymous()) return absl::UnauthenticatedError("a token is required");
  ASSIGN_OR_RETURN(v1::OpinionEvent event, repository_->Get(request.id()));
  RETURN_IF_ERROR(MayRead(caller, event));
  return Present(std::move(event));
}

absl::StatusOr<v1::ListEventsResponse> OpinionEvents::ListEvents(
    const auth::Principal& caller, const v1::ListEventsRequest& request) {
  if (caller.anonymous()) return absl::UnauthenticatedError("a token is required");
  FieldViolations violations;
  validation::CheckEnum(violations, "state", request.state(), v1::EventState_IsValid, false);
  validation::CheckEnum(violations, "grade", request.grade(), v1::EventGrade_IsValid, false);
  CheckId(violations, "unit_id", request.unit_id(), /*required=*/false);
  RETURN_IF_ERROR(violations.ToStatus());
  EventFilter filter;
  filter.state = request.state();
  filter.grade = request.grade();
  filter.unit_id = request.unit_id();
  filter.breached_only = request.breached_only();
  filter.now = clock_->Now();
  if (!ReadsAll(caller)) {
    const bool member = caller.roles.Contains(Role::kStaff) || caller.roles.Contains(Role::kHead);
    if (!member || !caller.unit_id.has_value()) {
      return absl::PermissionDeniedError("listing events needs a role that reads them");
    }
    if (filter.unit_id == 0) filter.unit_id = *caller.unit_id;
    if (filter.unit_id != *caller.unit_id) {
      return absl::PermissionDeniedError("STAFF and HEAD list their own unit's events only");
    }
  }
  const std::string fingerprint = absl::StrCat("events:", filter.state, ":", filter.grade, ":",
                                               filter.unit_id, ":", filter.breached_only);
  ASSIGN_OR_RETURN(int64_t before_id,
                   pagination::DecodePageToken(request.page_token(), fingerprint));
  ASSIGN_OR_RETURN(int page_size, pagination::ResolvePageSize(request.page_size()));
  ASSIGN_OR_RETURN(std::vector<v1::OpinionEvent> events,
                   repository_->List(filter, before_id, page_size + 1));
  v1::ListEventsResponse response;
  response.set_next_page_token(pagination::TrimPage(
      events, page_size, fingerprint, [](const v1::OpinionEvent& e) { return e.id(); }));
  for (v1::OpinionEvent& event : events) *response.add_events() = Present(std::move(event));
  return response;
}

absl::StatusOr<v1::ListEventHistoryResponse> OpinionEvents::ListEventHistory(
    const auth::Principal& caller, const v1::ListEventHistoryRequest& request) {
  FieldViolations violations;
  CheckId(violations, "id", request.id(), /*required=*/true);
  RETURN_IF_ERROR(violations.ToStatus());
  if (caller.anonymous()) return absl::UnauthenticatedError("a token is required");
  ASSIGN_OR_RETURN(v1::OpinionEvent event, repository_->Get(request.id()));
  RETURN_IF_ERROR(MayRead(caller, event));
  const std::string fingerprint = absl::StrCat("history:", request.id());
  ASSIGN_OR_RETURN(int64_t after_id,
                   pagination::DecodePageToken(request.page_token(), fingerprint));
  ASSIGN_OR_RETURN(int page_size, pagination::ResolvePageSize(request.page_size()));
  ASSIGN_OR_RETURN(std::vector<v1::EventStep> steps,
                   repository_->ListSteps(request.id(), after_id, page_size + 1));
  v1::ListEventHistoryResponse response;
  response.set_next_page_token(pagination::TrimPage(steps, page_size, fingerprint,
                                                    [](const v1::EventStep& s) { return s.id(); }));
  for (v1::EventStep& step : steps) *response.add_steps() = std::move(step);
  return response;
}

absl::StatusOr<v1::OpinionEvent> OpinionEvents::Change(
    const auth::Principal& caller, int64_t id, int64_t expected_version,
    const std::function<absl::Status(const auth::Principal&, const v1::OpinionEvent&)>& may_change,
    const std::function<absl::StatusOr<EventChange>(const v1::OpinionEvent&)>& change,
    const idempotency::Key* key) {
  if (caller.anonymous()) return absl::UnauthenticatedError("a token is required");
  ASSIGN_OR_RETURN(v1::OpinionEvent stored,
                   repository_->Update(
                       id, expected_version, caller.subject, clock_->Now(),
                       [&](const v1::OpinionEvent& current) -> absl::StatusOr<EventChange> {
                         RETURN_IF_ERROR(may_change(caller, current));
                         return change(current);
                       },
                       key));
  if (observer_ != nullptr) observer_->ClocksChanged();
  return Present(std::move(stored));
}

absl::StatusOr<v1::OpinionEvent> OpinionEvents::RecordConsultation(
    const auth::Principal& caller, const v1::RecordConsultationRequest& request) {
  FieldViolations violations;
  CheckId(violations, "id", request.id(), /*required=*/true);
  if (request.participants_size() < 1 || request.participants_size() > kMaxParticipants) {
    violations.Add("participants", absl::StrCat("1 to ", kMaxParticipants, " participants"));
  }
  for (int i = 0; i < request.participants_size(); ++i) {
    CheckText(violations, absl::StrCat("participants[", i, "]"), request.participants(i),
              {.min_chars = 1, .max_chars = 100});
  }
  CheckText(violations, "conclusion", request.conclusion(),
            {.min_chars = 1, .max_chars = 4000, .allow_newlines = true});
  RETURN_IF_ERROR(violations.ToStatus());
  const absl::Time now = clock_->Now();
  return Change(
      caller, request.id(), request.expected_version(),
      [](const auth::Principal& c, const v1::OpinionEvent& e) {
        return MayAct(c, e, UnitScope::kResponsible, kMembers, "a joint consultation");
      },
      [&](const v1::OpinionEvent& current) -> absl::StatusOr<EventChange> {
        RETURN_IF_ERROR(NotClosed(current));
        EventChange change;
        change.event = current;
        v1::OpinionEvent& next = change.event;
        // OPI-1: the first consultation moves the event on; later ones are recorded.
        if (current.state() == v1::EVENT_COLLECTED) next.set_state(v1::EVENT_CONSULTED);
        v1::JointConsultation* consultation = next.mutable_last_consultation();
        *consultation->mutable_participants() = request.participants();
        consultation->set_conclusion(request.conclusion());
        consultation->set_recorded_by(caller.subject);
        *consultation->mutable_time() = ToTimestamp(now);
        // OPI-2: a consultation settles the contradictions found before it.
        int resolved = 0;
        for (v1::Contradiction& c : *next.mutable_contradictions()) {
          if (!c.resolved()) ++resolved;
          c.set_resolved(true);
        }
        change.action = "consult";
        change.detail = absl::StrCat("participants: ", absl::StrJoin(request.participants(), "、"),
                                     "; conclusion: ", request.conclusion());
        if (resolved > 0) absl::StrAppend(&change.detail, "; contradictions settled: ", resolved);
        return change;
      });
}

absl::StatusOr<v1::OpinionEvent> OpinionEvents::RecordAssessment(
    const auth::Principal& caller, const v1::RecordAssessmentRequest& request) {
  FieldViolations violations;
  CheckId(violations, "id", request.id(), /*required=*/true);
  CheckText(violations, "risk", request.risk(),
            {.min_chars = 1, .max_chars = 4000, .allow_newlines = true});
  validation::CheckEnum(violations, "grade", request.grade(), v1::EventGrade_IsValid, true);
  RETURN_IF_ERROR(violations.ToStatus());
  const absl::Time now = clock_->Now();
  return Change(
      caller, request.id(), request.expected_version(),
      [](const auth::Principal& c, const v1::OpinionEvent& e) {
        return MayAct(c, e, UnitScope::kResponsible, kMembers, "an assessment");
      },
      [&](const v1::OpinionEvent& current) -> absl::StatusOr<EventChange> {
        if (current.state() == v1::EVENT_COLLECTED) {
          return StateError(current, "a joint consultation comes before the assessment (OPI-1)");
        }
        if (current.state() == v1::EVENT_EVALUATED || current.state() == v1::EVENT_CLOSED) {
          return StateError(current, "it was already evaluated");
        }
        EventChange change;
        change.event = current;
        v1::OpinionEvent& next = change.event;
        if (current.state() == v1::EVENT_CONSULTED) next.set_state(v1::EVENT_ASSESSED);
        next.set_grade(request.grade());
        next.set_heavy_casualties(request.heavy_casualties());
        next.set_wide_impact(request.wide_impact());
        v1::Assessment* assessment = next.mutable_last_assessment();
        assessment->set_risk(request.risk());
        assessment->set_grade(request.grade());
        assessment->set_heavy_casualties(request.heavy_casualties());
        assessment->set_wide_impact(request.wide_impact());
        assessment->set_recorded_by(caller.subject);
        *assessment->mutable_time() = ToTimestamp(now);
        change.action = "assess";
        change.detail =
            absl::StrCat("grade ", v1::EventGrade_Name(request.grade()),
                         request.grade() != current.grade()
                             ? absl::StrCat(" (was ", v1::EventGrade_Name(current.grade()), ")")
                             : " (confirmed)",
                         "; risk: ", request.risk());
        // OPI-4: the grade (and casualties, impact) decide the clocks; those the new
        // assessment adds start now, those it drops are cancelled, the rest keep running.
        const absl::CivilDay day = DayInShanghai(FromTimestamp(current.first_seen_time()));
        ASSIGN_OR_RETURN(std::shared_ptr<const rules::RuleSet> clock_rules,
                         rules_->EffectiveOn(kClockRuleSet, day));
        ASSIGN_OR_RETURN(std::vector<clocks::PlannedClock> plan,
                         clocks::PlanClocks(*clock_rules, request.grade(),
                                            request.heavy_casualties() || request.wide_impact()));
        const clocks::Replan replan = clocks::ReplanClocks(ClocksOf(current), plan);
        for (int64_t clock_id : replan.cancel_clock_ids) {
          for (const v1::EventClock& clock : current.clocks()) {
            if (clock.id() != clock_id) continue;
            v1::EventClock cancelled = clock;
            cancelled.set_status(v1::CLOCK_CANCELLED);
            change.clock_updates.push_back(std::move(cancelled));
          }
        }
        const std::string reason = absl::StrCat(
            "assessment at ", absl::FormatTime("%Y-%m-%d %H:%M", now, ShanghaiTimeZone()),
            ": grade ", v1::EventGrade_Name(request.grade()),
            request.heavy_casualties() || request.wide_impact()
                ? " with heavy casualties or wide impact"
                : "");
        for (const clocks::PlannedClock& planned : replan.start) {
          change.new_clocks.push_back(clocks::StartClock(planned, now, reason));
        }
        if (!replan.cancel_clock_ids.empty() || !replan.start.empty()) {
          absl::StrAppend(&change.detail, "; clocks cancelled: ", replan.cancel_clock_ids.size(),
                          ", started: ", replan.start.size());
        }
        return change;
      });
}

absl::StatusOr<v1::OpinionEvent> OpinionEvents::ReassignEvent(
    const auth::Principal& caller, const v1::ReassignEventRequest& request) {
  RETURN_IF_ERROR(MayReassign(caller));
  FieldViolations violations;
  CheckId(violations, "id", request.id(), /*required=*/true);
  if (request.unit_ids_size() < 1 || request.unit_ids_size() > kMaxUnits) {
    violations.Add("unit_ids", absl::StrCat("1 to ", kMaxUnits, " units, the lead first"));
  }
  std::set<int64_t> seen;
  std::vector<std::string> names;
  for (int i = 0; i < request.unit_ids_size(); ++i) {
    const std::string field = absl::StrCat("unit_ids[", i, "]");
    const int64_t unit_id = request.unit_ids(i);
    if (unit_id <= 0) {
      violations.Add(field, "must be positive");
      continue;
    }
    if (!seen.insert(unit_id).second) {
      violations.Add(field, "listed twice");
      continue;
    }
    absl::StatusOr<routing::UnitInfo> unit = units_->Get(unit_id);
    if (absl::IsNotFound(unit.status())) {
      violations.Add(field, absl::StrCat("no unit ", unit_id));
    } else if (!unit.ok()) {
      return unit.status();
    } else {
      names.push_back(absl::StrCat(unit->name, " (", unit_id, ")"));
    }
  }
  CheckText(violations, "reason", request.reason(),
            {.min_chars = 1, .max_chars = 2000, .allow_newlines = true});
  RETURN_IF_ERROR(violations.ToStatus());
  const absl::Time now = clock_->Now();
  return Change(
      caller, request.id(), request.expected_version(),
      [](const auth::Principal& c, const v1::OpinionEvent&) { return MayReassign(c); },
      [&](const v1::OpinionEvent& current) -> absl::StatusOr<EventChange> {
        RETURN_IF_ERROR(NotClosed(current));
        EventChange change;
        change.event = current;
        v1::Responsibility* r = change.event.mutable_responsibility();
        r->Clear();
        r->set_lead_unit_id(request.unit_ids(0));
        *r->mutable_unit_ids() = request.unit_ids();
        r->set_rule("reassigned");
        r->set_reason(absl::StrCat("reassigned by the general office to ",
                                   absl::StrJoin(names, "、"), ": ", request.reason()));
        r->set_assigned_by(caller.subject);
        *r->mutable_assign_time() = ToTimestamp(now);
        change.action = "reassign";
        change.detail =
            absl::StrCat("from ", current.responsibility().reason(), " to ", r->reason());
        return change;
      });
}

absl::StatusOr<v1::OpinionEvent> OpinionEvents::RecordLeaderInstruction(
    const auth::Principal& caller, const v1::RecordLeaderInstructionRequest& request) {
  RETURN_IF_ERROR(MayRecordInstruction(caller));
  FieldViolations violations;
  CheckId(violations, "id", request.id(), /*required=*/true);
  CheckText(violations, "instruction", request.instruction(),
            {.min_chars = 1, .max_chars = 4000, .allow_newlines = true});
  CheckText(violations, "leader", request.leader(), {.min_chars = 1, .max_chars = 100});
  RETURN_IF_ERROR(violations.ToStatus());
  const absl::Time now = clock_->Now();
  return Change(
      caller, request.id(), request.expected_version(),
      [](const auth::Principal& c, const v1::OpinionEvent&) { return MayRecordInstruction(c); },
      [&](const v1::OpinionEvent& current) -> absl::StatusOr<EventChange> {
        RETURN_IF_ERROR(NotClosed(current));
        EventChange change;
        change.event = current;
        // OPI-5: from now on the supervision office follows the event.
        change.event.set_leader_instruction(request.instruction());
        change.event.set_instructing_leader(request.leader());
        *change.event.mutable_instruction_time() = ToTimestamp(now);
        change.action = "instruction";
        change.detail = absl::StrCat(request.leader(), ": ", request.instruction());
        return change;
      });
}

absl::StatusOr<v1::OpinionEvent> OpinionEvents::RecordResponse(
    const auth::Principal& caller, const v1::RecordResponseRequest& request) {
  FieldViolations violations;
  CheckId(violations, "id", request.id(), /*required=*/true);
  RETURN_IF_ERROR(violations.ToStatus());
  if (caller.anonymous()) return absl::UnauthenticatedError("a token is required");
  const idempotency::Key key =
      idempotency::MakeKey(caller.subject, "RecordResponse", request.request_id(), request);
  ASSIGN_OR_RETURN(std::optional<v1::OpinionEvent> replay,
                   idempotency::Replay<v1::OpinionEvent>(*repository_, key));
  if (replay.has_value()) return Present(*std::move(replay));
  const absl::Time now = clock_->Now();
  v1::EventResponse recorded;
  bool contradicts = false;
  absl::StatusOr<v1::OpinionEvent> stored = Change(
      caller, request.id(), /*expected_version=*/0,
      [](const auth::Principal& c, const v1::OpinionEvent& e) {
        return MayAct(c, e, UnitScope::kResponsible, kMembers, "an answer");
      },
      [&](const v1::OpinionEvent& current) -> absl::StatusOr<EventChange> {
        FieldViolations v;
        CheckResponse(v, request, FromTimestamp(current.first_seen_time()), now);
        const auto& responsible = current.responsibility().unit_ids();
        int64_t unit_id = request.unit_id();
        if (unit_id == 0) {
          const bool own = caller.unit_id.has_value() &&
                           std::find(responsible.begin(), responsible.end(), *caller.unit_id) !=
                               responsible.end();
          unit_id = own ? *caller.unit_id : current.responsibility().lead_unit_id();
        } else if (std::find(responsible.begin(), responsible.end(), unit_id) ==
                   responsible.end()) {
          v.Add("unit_id", "not a responsible unit of the event");
        } else if (!IsOffice(caller) && caller.unit_id != unit_id) {
          return absl::PermissionDeniedError("STAFF and HEAD answer for their own unit");
        }
        RETURN_IF_ERROR(v.ToStatus());
        if (current.state() != v1::EVENT_ASSESSED && current.state() != v1::EVENT_RESPONDING) {
          return StateError(current, "answers follow the assessment (OPI-1)");
        }
        for (const v1::Contradiction& c : current.contradictions()) {
          if (!c.resolved()) {
            return PreconditionFailed(
                "CONTRADICTION", absl::StrCat("opinion_event/", current.id()),
                absl::StrCat("answers ", c.earlier_response_id(), " and ", c.response_id(),
                             " state different figures for \"", c.fact(),
                             "\"; record a joint consultation before the next release (OPI-2)"));
          }
        }
        EventChange change;
        change.event = current;
        v1::OpinionEvent& next = change.event;
        next.set_state(v1::EVENT_RESPONDING);
        v1::EventResponse response;
        response.set_channel(request.channel());
        response.set_content(request.content());
        *response.mutable_publish_time() = request.publish_time();
        response.set_spokesperson(request.spokesperson());
        response.set_link(request.link());
        response.set_unit_id(unit_id);
        response.set_authoritative(request.authoritative());
        *response.mutable_facts() = request.facts();
        response.set_recorded_by(caller.subject);
        // OPI-2: the same fact with a different figure than an earlier answer.
        for (const v1::StatedFact& fact : request.facts()) {
          const std::string name = NormalizeFact(fact.fact());
          const std::string value(absl::StripAsciiWhitespace(fact.value()));
          for (const v1::EventResponse& earlier : current.responses()) {
            for (const v1::StatedFact& said : earlier.facts()) {
              if (NormalizeFact(said.fact()) != name) continue;
              const std::string earlier_value(absl::StripAsciiWhitespace(said.value()));
              if (earlier_value == value) continue;
              v1::Contradiction* c = next.add_contradictions();
              c->set_fact(fact.fact());
              c->set_earlier_response_id(earlier.id());
              c->set_earlier_value(earlier_value);
              c->set_response_id(kNewResponseId);
              c->set_value(value);
              response.set_contradicts_earlier(true);
            }
          }
        }
        // OPI-4: the clocks this answer satisfies stop; a late one is a breach on record.
        const absl::Time published = FromTimestamp(request.publish_time());
        for (const v1::EventClock& clock : current.clocks()) {
          if (clock.status() != v1::CLOCK_RUNNING || !clocks::Satisfies(clock.kind(), response) ||
              published < FromTimestamp(clock.start_time())) {
            continue;
          }
          v1::EventClock met = clock;
          met.set_status(v1::CLOCK_MET);
          *met.mutable_met_time() = request.publish_time();
          met.set_met_by_response_id(kNewResponseId);
          if (published > FromTimestamp(clock.due_time()) &&
              !HasTime(clock.breach_recorded_time())) {
            *met.mutable_breach_recorded_time() = ToTimestamp(now);
            v1::Escalation breach;
            breach.set_clock_id(clock.id());
            breach.set_event_id(current.id());
            breach.set_clock_kind(clock.kind());
            breach.set_stage(v1::ESCALATION_BREACHED);
            *breach.mutable_due_time() = clock.due_time();
            *breach.mutable_record_time() = ToTimestamp(now);
            breach.set_recorded_by(absl::StrCat("late answer recorded by ", caller.subject));
            breach.set_lead_unit_id(current.responsibility().lead_unit_id());
            change.escalations.push_back(std::move(breach));
          }
          response.add_satisfied_clocks(clock.kind());
          change.clock_updates.push_back(std::move(met));
        }
        change.response = response;
        recorded = response;
        contradicts = response.contradicts_earlier();
        change.action = "respond";
        change.detail = absl::StrCat(
            v1::ResponseChannel_Name(request.channel()), " by ", request.spokesperson(), " at ",
            absl::FormatTime("%Y-%m-%d %H:%M", published, ShanghaiTimeZone()),
            contradicts ? "; contradicts an earlier answer" : "");
        return change;
      },
      idempotency::StoredKey(key));
  if (!stored.ok()) return stored.status();
  // The contradictions name the new answer by its id, known once stored.
  v1::OpinionEvent event = *std::move(stored);
  if (observer_ != nullptr) observer_->ResponseRecorded(recorded, contradicts);
  return event;
}

absl::StatusOr<v1::OpinionEvent> OpinionEvents::DecideNotToRespond(
    const auth::Principal& caller, const v1::DecideNotToRespondRequest& request) {
  FieldViolations violations;
  CheckId(violations, "id", request.id(), /*required=*/true);
  CheckText(violations, "reason", request.reason(),
            {.min_chars = 1, .max_chars = 2000, .allow_newlines = true});
  RETURN_IF_ERROR(violations.ToStatus());
  return Change(
      caller, request.id(), request.expected_version(),
      [](const auth::Principal& c, const v1::OpinionEvent& e) {
        return MayAct(c, e, UnitScope::kResponsible, kHeads, "a decision not to respond");
      },
      [&](const v1::OpinionEvent& current) -> absl::StatusOr<EventChange> {
        if (current.state() != v1::EVENT_ASSESSED) {
          return StateError(current,
                            "a decision not to respond is taken after the assessment, "
                            "before any answer");
        }
        EventChange change;
        change.event = current;
        change.event.set_state(v1::EVENT_RESPONDING);
        change.event.set_decided_not_to_respond(true);
        change.event.set_no_response_reason(request.reason());
        for (const v1::EventClock& clock : current.clocks()) {
          if (clock.status() != v1::CLOCK_RUNNING) continue;
          v1::EventClock waived = clock;
          waived.set_status(v1::CLOCK_WAIVED);
          change.clock_updates.push_back(std::move(waived));
        }
        change.action = "decide_not_to_respond";
        change.detail = request.reason();
        return change;
      });
}

// INT-2/OPI-1: a misread policy → a supplementary interpretation requested from the
// interpretation service (delivered by the outbox relay, opinion_app.cc).
absl::StatusOr<v1::OpinionEvent> OpinionEvents::RequestInterpretationSupplement(
    const auth::Principal& caller, const v1::RequestInterpretationSupplementRequest& request) {
  FieldViolations violations;
  CheckId(violations, "id", request.id(), /*required=*/true);
  CheckId(violations, "document_id", request.document_id(), /*required=*/true);
  CheckText(violations, "reason", request.reason(),
            {.min_chars = 1, .max_chars = 2000, .allow_newlines = true});
  validation::CheckRequestId(violations, "request_id", request.request_id());
  RETURN_IF_ERROR(violations.ToStatus());
  if (caller.anonymous()) return absl::UnauthenticatedError("a token is required");
  const idempotency::Key key = idempotency::MakeKey(
      caller.subject, "RequestInterpretationSupplement", request.request_id(), request);
  ASSIGN_OR_RETURN(std::optional<v1::OpinionEvent> replay,
                   idempotency::Replay<v1::OpinionEvent>(*repository_, key));
  if (replay.has_value()) return Present(*std::move(replay));
  const absl::Time now = clock_->Now();
  ASSIGN_OR_RETURN(v1::OpinionEvent stored,
                   Change(
                       caller, request.id(), request.expected_version(),
                       [](const auth::Principal& c, const v1::OpinionEvent& e) {
                         return MayAct(c, e, UnitScope::kResponsible, kMembers,
                                       "a supplementary interpretation request");
                       },
                       [&](const v1::OpinionEvent& current) {
                         return PlanInterpretationSupplement(current, request, caller.subject, now);
                       },
                       idempotency::StoredKey(key)));
  if (observer_ != nullptr) observer_->InterpretationSupplementRequested();
  return stored;
}

absl::StatusOr<v1::OpinionEvent> OpinionEvents::RecordEvaluation(
    const auth::Principal& caller, const v1::RecordEvaluationRequest& request) {
  FieldViolations violations;
  CheckId(violations, "id", request.id(), /*required=*/true);
  CheckText(violations, "effect", request.effect(),
            {.min_chars = 1, .max_chars = 4000, .allow_newlines = true});
  CheckText(violations, "lessons", request.lessons(),
            {.min_chars = 1, .max_chars = 4000, .allow_newlines = true});
  RETURN_IF_ERROR(violations.ToStatus());
  return Change(
      caller, request.id(), request.expected_version(),
      [](const auth::Principal& c, const v1::OpinionEvent& e) {
        return MayAct(c, e, UnitScope::kLead, kMembers, "an evaluation");
      },
      [&](const v1::OpinionEvent& current) -> absl::StatusOr<EventChange> {
        if (current.state() != v1::EVENT_RESPONDING) {
          return StateError(current, "the evaluation follows the answers (OPI-1)");
        }
        EventChange change;
        change.event = current;
        change.event.set_state(v1::EVENT_EVALUATED);
        change.event.set_evaluation_effect(request.effect());
        change.event.set_evaluation_lessons(request.lessons());
        change.action = "evaluate";
        change.detail =
            absl::StrCat("effect: ", request.effect(), "; lessons: ", request.lessons());
        return change;
      });
}

absl::StatusOr<v1::OpinionEvent> OpinionEvents::CloseEvent(const auth::Principal& caller,
                                                           const v1::CloseEventRequest& request) {
  FieldViolations violations;
  CheckId(violations, "id", request.id(), /*required=*/true);
  RETURN_IF_ERROR(violations.ToStatus());
  return Change(
      caller, request.id(), request.expected_version(),
      [](const auth::Principal& c, const v1::OpinionEvent& e) {
        return MayAct(c, e, UnitScope::kLead, kHeads, "closing an event");
      },
      [&](const v1::OpinionEvent& current) -> absl::StatusOr<EventChange> {
        if (current.responses_size() == 0 && !current.decided_not_to_respond()) {
          return PreconditionFailed("NO_RESPONSE", absl::StrCat("opinion_event/", current.id()),
                                    "an event is closed only after an answer or a recorded "
                                    "decision not to respond");
        }
        if (current.state() != v1::EVENT_EVALUATED) {
          return StateError(current, "an event is closed after its evaluation (OPI-1)");
        }
        EventChange change;
        change.event = current;
        change.event.set_state(v1::EVENT_CLOSED);
        change.action = "close";
        change.detail = current.decided_not_to_respond()
                            ? absl::StrCat("no answer: ", current.no_response_reason())
                            : absl::StrCat(current.responses_size(), " answers");
        return change;
      });
}

absl::StatusOr<v1::ListEventsResponse> OpinionEvents::ListSupervisedEvents(
    const auth::Principal& caller, const v1::ListSupervisedEventsRequest& request) {
  RETURN_IF_ERROR(MaySupervise(caller));
  EventFilter filter;
  filter.supervised_only = true;
  filter.include_closed = request.include_closed();
  filter.now = clock_->Now();
  const std::string fingerprint = absl::StrCat("supervised:", request.include_closed());
  ASSIGN_OR_RETURN(int64_t before_id,
                   pagination::DecodePageToken(request.page_token(), fingerprint));
  ASSIGN_OR_RETURN(int page_size, pagination::ResolvePageSize(request.page_size()));
  ASSIGN_OR_RETURN(std::vector<v1::OpinionEvent> events,
                   repository_->List(filter, before_id, page_size + 1));
  v1::ListEventsResponse response;
  response.set_next_page_token(pagination::TrimPage(
      events, page_size, fingerprint, [](const v1::OpinionEvent& e) { return e.id(); }));
  for (v1::OpinionEvent& event : events) *response.add_events() = Present(std::move(event));
  return response;
}

absl::StatusOr<v1::ListEscalationsResponse> OpinionEvents::ListEscalations(
    const auth::Principal& caller, const v1::ListEscalationsRequest& request) {
  if (caller.anonymous()) return absl::UnauthenticatedError("a token is required");
  FieldViolations violations;
  CheckId(violations, "event_id", request.event_id(), /*required=*/false);
  CheckId(violations, "unit_id", request.unit_id(), /*required=*/false);
  RETURN_IF_ERROR(violations.ToStatus());
  EscalationFilter filter;
  filter.event_id = request.event_id();
  filter.lead_unit_id = request.unit_id();
  if (!ReadsAll(caller)) {
    const bool member = caller.roles.Contains(Role::kStaff) || caller.roles.Contains(Role::kHead);
    if (!member || !caller.unit_id.has_value()) {
      return absl::PermissionDeniedError("listing escalations needs a role that reads events");
    }
    if (filter.lead_unit_id == 0) filter.lead_unit_id = *caller.unit_id;
    if (filter.lead_unit_id != *caller.unit_id) {
      return absl::PermissionDeniedError("STAFF and HEAD list their own unit's escalations only");
    }
  }
  const std::string fingerprint =
      absl::StrCat("escalations:", filter.event_id, ":", filter.lead_unit_id);
  ASSIGN_OR_RETURN(int64_t before_id,
                   pagination::DecodePageToken(request.page_token(), fingerprint));
  ASSIGN_OR_RETURN(int page_size, pagination::ResolvePageSize(request.page_size()));
  ASSIGN_OR_RETURN(std::vector<v1::Escalation> escalations,
                   repository_->ListEscalations(filter, before_id, page_size + 1));
  v1::ListEscalationsResponse response;
  response.set_next_page_token(pagination::TrimPage(
      escalations, page_size, fingerprint, [](const v1::Escalation& e) { return e.id(); }));
  for (v1::Escalation& e : escalations) *response.add_escalations() = std::move(e);
  return response;
}

}  // namespace gongkai::opinion::events
