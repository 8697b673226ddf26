// The response clocks of an opinion event (OPI-4, NAT-12), as pure rules: which clocks an
// event of a grade gets, when each is due and due soon, which answers satisfy which
// clock, and what a change of grade does to the clocks already running. No SQL, no gRPC.
//
// Clocks count on the wall clock in hours — nights, weekends and holidays count — so a
// deadline is start + period exactly; no working-day calendar is consulted (a 1-hour
// clock started at 23:30 on a holiday is due at 00:30 the next day). The periods, the
// grades each clock applies to and the due-soon share are the rule set "opinion.clocks"
// (opinion_rule_sets.h); every planned clock cites the rules it came from.
//
//   ASSIGN_OR_RETURN(auto set, book.EffectiveOn(kClockRuleSet, DayInShanghai(first_seen)));
//   ASSIGN_OR_RETURN(std::vector<PlannedClock> plan,
//                    PlanClocks(*set, v1::GRADE_MAJOR, /*heavy_casualties_or_wide_impact=*/false));
//   // known facts 1h, authoritative 5h
//
// Thread-safety: free functions on values.
#ifndef GONGKAI_SERVICES_OPINION_CLOCKS_CLOCK_PLAN_H_
#define GONGKAI_SERVICES_OPINION_CLOCKS_CLOCK_PLAN_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "gongkai/opinion/v1/opinion.pb.h"
#include "libs/rules/rule_set.h"

namespace gongkai::opinion::clocks {

namespace v1 = ::gongkai::opinion::v1;

// One clock an event must have.
struct PlannedClock {
  v1::ClockKind kind = v1::CLOCK_KIND_UNSPECIFIED;
  absl::Duration period;
  // The clock is due soon this long before its deadline.
  absl::Duration due_soon_before;
  // The citations of the rules that made it, "; "-joined.
  std::string rule;
};

// "known_facts", "authoritative", "press_conference", "general_response" (the rule keys'
// prefix and the metrics' label).
absl::string_view ClockName(v1::ClockKind kind);

// True when a "<clock>.grades" choice covers `grade`.
bool GradesCover(absl::string_view choice, v1::EventGrade grade);

// The clocks an event of `grade` gets under `set` (an "opinion.clocks" version), in kind
// order. The press-conference clock only where there are heavy casualties or a wide
// impact (OPI-4). INTERNAL when the set is not a validated opinion.clocks set;
// INVALID_ARGUMENT for an unspecified grade.
absl::StatusOr<std::vector<PlannedClock>> PlanClocks(const rules::RuleSet& set,
                                                     v1::EventGrade grade,
                                                     bool heavy_casualties_or_wide_impact);

// A clock of `planned` started at `start`: due_time = start + period, due_soon_time =
// due_time - due_soon_before; status RUNNING; `start_reason` as given.
v1::EventClock StartClock(const PlannedClock& planned, absl::Time start,
                          absl::string_view start_reason);

// When the scheduler must next look at `clock`: its due-soon time until that was
// recorded, then its deadline until the breach was recorded; nullopt for a clock that
// is not RUNNING or has nothing left to record.
std::optional<absl::Time> NextFireTime(const v1::EventClock& clock);

// Whether an answer satisfies a clock (OPI-4): any published answer releases the known
// facts and answers a general event; authoritative information needs an answer marked
// authoritative or a press conference; the press-conference clock needs a press
// conference.
bool Satisfies(v1::ClockKind kind, const v1::EventResponse& response);

// What a new assessment does to the clocks (OPI-4: "a grade raised during assessment
// restarts the right clocks"): a kind the new plan no longer has is cancelled if still
// running; a kind it newly has starts at the assessment's time; a kind both have keeps
// its clock as it is (it does not restart). Clocks already MET, WAIVED or CANCELLED are
// history and stay; a MET clock of a kind the plan still has counts as present.
struct Replan {
  std::vector<int64_t> cancel_clock_ids;
  std::vector<PlannedClock> start;
};
Replan ReplanClocks(const std::vector<v1::EventClock>& existing,
                    const std::vector<PlannedClock>& plan);

// The clock is late: met after its deadline, or still running at or after it at `now`.
bool IsLate(const v1::EventClock& clock, absl::Time now);

}  // namespace gongkai::opinion::clocks

#endif  // GONGKAI_SERVICES_OPINION_CLOCKS_CLOCK_PLAN_H_
