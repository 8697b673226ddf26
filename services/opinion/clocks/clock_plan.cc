#include "services/opinion/clocks/clock_plan.h"

#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "libs/protoconv/protoconv.h"
#include "libs/status/status_macros.h"
#include "services/opinion/opinion_rule_sets.h"

namespace gongkai::opinion::clocks {
namespace {

constexpr v1::ClockKind kKinds[] = {v1::CLOCK_KNOWN_FACTS, v1::CLOCK_AUTHORITATIVE,
                                    v1::CLOCK_PRESS_CONFERENCE, v1::CLOCK_GENERAL_RESPONSE};

bool HasTime(const google::protobuf::Timestamp& t) { return t.seconds() != 0 || t.nanos() != 0; }

}  // namespace

absl::string_view ClockName(v1::ClockKind kind) {
  switch (kind) {
    case v1::CLOCK_KNOWN_FACTS:
      return "known_facts";
    case v1::CLOCK_AUTHORITATIVE:
      return "authoritative";
    case v1::CLOCK_PRESS_CONFERENCE:
      return "press_conference";
    case v1::CLOCK_GENERAL_RESPONSE:
      return "general_response";
    default:
      return "unspecified";
  }
}

bool GradesCover(absl::string_view choice, v1::EventGrade grade) {
  if (choice == kGradesEspeciallyMajor) return grade == v1::GRADE_ESPECIALLY_MAJOR;
  if (choice == kGradesMajorAndAbove) {
    return grade == v1::GRADE_MAJOR || grade == v1::GRADE_ESPECIALLY_MAJOR;
  }
  if (choice == kGradesGeneralAndAbove) return grade != v1::EVENT_GRADE_UNSPECIFIED;
  if (choice == kGradesGeneralOnly) return grade == v1::GRADE_GENERAL;
  return false;  // kGradesNone.
}

absl::StatusOr<std::vector<PlannedClock>> PlanClocks(const rules::RuleSet& set,
                                                     v1::EventGrade grade,
                                                     bool heavy_casualties_or_wide_impact) {
  if (grade == v1::EVENT_GRADE_UNSPECIFIED || !v1::EventGrade_IsValid(grade)) {
    return absl::InvalidArgumentError("an event needs a grade to plan its clocks");
  }
  // OPI-4: the due-soon mark, a share of each period.
  ASSIGN_OR_RETURN(rules::Cited<int64_t> due_soon,
                   set.Integer("due_soon.remaining_percent", rules::Unit::kPercent));
  std::vector<PlannedClock> plan;
  for (v1::ClockKind kind : kKinds) {
    const std::string name(ClockName(kind));
    ASSIGN_OR_RETURN(rules::Cited<std::string> grades, set.Text(name + ".grades"));
    if (!GradesCover(grades.value, grade)) continue;
    // OPI-4: the press conference only where there are heavy casualties or wide impact.
    if (kind == v1::CLOCK_PRESS_CONFERENCE && !heavy_casualties_or_wide_impact) continue;
    ASSIGN_OR_RETURN(rules::Cited<absl::Duration> period, set.Duration(name + ".period"));
    PlannedClock clock;
    clock.kind = kind;
    clock.period = period.value;
    clock.due_soon_before = period.value * static_cast<double>(due_soon.value) / 100.0;
    clock.rule = absl::StrCat(period.rule.Explain(), "; ", grades.rule.Explain(), "; ",
                              due_soon.rule.Explain());
    plan.push_back(std::move(clock));
  }
  return plan;
}

v1::EventClock StartClock(const PlannedClock& planned, absl::Time start,
                          absl::string_view start_reason) {
  v1::EventClock clock;
  clock.set_kind(planned.kind);
  clock.set_status(v1::CLOCK_RUNNING);
  *clock.mutable_start_time() = ToTimestamp(start);
  clock.set_period_seconds(absl::ToInt64Seconds(planned.period));
  const absl::Time due = start + planned.period;
  *clock.mutable_due_time() = ToTimestamp(due);
  *clock.mutable_due_soon_time() = ToTimestamp(due - planned.due_soon_before);
  clock.set_rule(planned.rule);
  clock.set_start_reason(std::string(start_reason));
  return clock;
}

std::optional<absl::Time> NextFireTime(const v1::EventClock& clock) {
  if (clock.status() != v1::CLOCK_RUNNING) return std::nullopt;
  if (!HasTime(clock.due_soon_recorded_time())) return FromTimestamp(clock.due_soon_time());
  if (!HasTime(clock.breach_recorded_time())) return FromTimestamp(clock.due_time());
  return std::nullopt;
}

bool Satisfies(v1::ClockKind kind, const v1::EventResponse& response) {
  switch (kind) {
    case v1::CLOCK_KNOWN_FACTS:
    case v1::CLOCK_GENERAL_RESPONSE:
      return true;
    case v1::CLOCK_AUTHORITATIVE:
      return response.authoritative() || response.channel() == v1::CHANNEL_PRESS_CONFERENCE;
    case v1::CLOCK_PRESS_CONFERENCE:
      return response.channel() == v1::CHANNEL_PRESS_CONFERENCE;
    default:
      return false;
  }
}

Replan ReplanClocks(const std::vector<v1::EventClock>& existing,
                    const std::vector<PlannedClock>& plan) {
  std::set<int> planned_kinds;
  for (const PlannedClock& p : plan) planned_kinds.insert(p.kind);
  std::set<int> present_kinds;
  Replan replan;
  for (const v1::EventClock& clock : existing) {
    const bool still_planned = planned_kinds.count(clock.kind()) > 0;
    if (clock.status() == v1::CLOCK_RUNNING) {
      if (still_planned) {
        present_kinds.insert(clock.kind());
      } else {
        replan.cancel_clock_ids.push_back(clock.id());
      }
    } else if (clock.status() == v1::CLOCK_MET || clock.status() == v1::CLOCK_WAIVED) {
      present_kinds.insert(clock.kind());
    }
  }
  for (const PlannedClock& p : plan) {
    if (present_kinds.count(p.kind) == 0) replan.start.push_back(p);
  }
  return replan;
}

bool IsLate(const v1::EventClock& clock, absl::Time now) {
  const absl::Time due = FromTimestamp(clock.due_time());
  if (clock.status() == v1::CLOCK_MET) return FromTimestamp(clock.met_time()) > due;
  if (clock.status() == v1::CLOCK_RUNNING) return now >= due;  // Breached at the deadline.
  return false;
}

}  // namespace gongkai::opinion::clocks
