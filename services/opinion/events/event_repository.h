// Storage of opinion events, their clocks, answers, history and escalations: the
// interface the domain (opinion_events.h), the clock scheduler (clocks/clock_scheduler.h)
// and the compliance evidence read and write through. MySQL implementation:
// mysql_event_repository.h.
//
// A write to an existing event is one transaction around a pure function: Update() locks
// the event (and its clocks), hands the current event to `change`, and stores what it
// returns — the new event fields, one history step, clock updates and new clocks, an
// answer, escalations — or nothing when it returns an error. So the rules see the state
// they change, and a clock cannot be fired and met at once.
//
// The scheduler's claim is portable (no GET_LOCK, no SKIP LOCKED): a clock is fired by a
// conditional UPDATE on its version and next_fire_time, in the same transaction as its
// escalation rows; a unique key on (clock, stage) backs it. Whichever replica's UPDATE
// changes the row records the escalation; the others change nothing.
//
// Thread-safe.
#ifndef GONGKAI_SERVICES_OPINION_EVENTS_EVENT_REPOSITORY_H_
#define GONGKAI_SERVICES_OPINION_EVENTS_EVENT_REPOSITORY_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "gongkai/opinion/v1/opinion.pb.h"
#include "libs/idempotency/idempotency.h"

namespace gongkai::opinion::events {

namespace v1 = ::gongkai::opinion::v1;

// In EventChange::clock_updates, a met_by_response_id that stands for the answer the
// same change inserts (its id is known only once stored).
inline constexpr int64_t kNewResponseId = -1;

// What a write does to an event.
struct EventChange {
  // The event's new fields; its clocks and responses are ignored (see below), its id,
  // version and times are set by the repository.
  v1::OpinionEvent event;
  // The history step: action and detail (old and new state come from the events).
  std::string action;
  std::string detail;
  // Existing clocks (by id) with their new status and met/recorded fields.
  std::vector<v1::EventClock> clock_updates;
  // Clocks to start.
  std::vector<v1::EventClock> new_clocks;
  // An answer to add (its id assigned by the repository).
  std::optional<v1::EventResponse> response;
  // Escalations to record with the change (a late answer to a clock whose breach the
  // scheduler had not recorded yet); clock_id kNewResponseId is not used here.
  std::vector<v1::Escalation> escalations;
  // INT-2/OPI-1: a supplementary interpretation to request. Stored with the change, and
  // in the same transaction the outbox event (topic kSupplementRequestedTopic) that the
  // relay delivers to the interpretation service: both commit or neither does.
  std::optional<v1::InterpretationSupplement> interpretation_supplement;
};

// The outbox topic of a requested supplementary interpretation; its payload is a
// gongkai.interpretation.v1.RequestSupplementaryInterpretationRequest whose request_id
// is the event key.
inline constexpr char kSupplementRequestedTopic[] = "opinion.interpretation_supplement_requested";

using ChangeFn = std::function<absl::StatusOr<EventChange>(const v1::OpinionEvent& current)>;

struct EventFilter {
  v1::EventState state = v1::EVENT_STATE_UNSPECIFIED;
  v1::EventGrade grade = v1::EVENT_GRADE_UNSPECIFIED;
  int64_t unit_id = 0;  // Collected by or routed to; 0: any.
  // Only events with a running clock past its deadline at `now`.
  bool breached_only = false;
  // Only events with a leader's instruction (OPI-5), and closed ones only when asked.
  bool supervised_only = false;
  bool include_closed = true;
  absl::Time now;
};

struct EscalationFilter {
  int64_t event_id = 0;      // 0: any.
  int64_t lead_unit_id = 0;  // 0: any.
};

// Clocks by status for the gauges.
struct ClockCounts {
  int64_t running = 0;
  int64_t due_soon = 0;  // Running, due-soon recorded, not breached.
  int64_t breached = 0;  // Running, past the deadline.
  int64_t open_events = 0;
};

// One event's standing for the compliance evidence (item 10).
struct EventOutcome {
  int64_t event_id = 0;
  v1::EventGrade grade = v1::EVENT_GRADE_UNSPECIFIED;
  int64_t responses = 0;
  bool decided_not_to_respond = false;
  // Clocks met after their deadline or still running after it.
  int64_t late_clocks = 0;
};

class EventRepository {
 public:
  virtual ~EventRepository() = default;

  virtual absl::StatusOr<std::optional<std::string>> FindIdempotentResponse(
      const idempotency::Key& key) = 0;

  // Stores a new event with its clocks (event.clocks) and its "collect" step, and the
  // idempotency record of `key` (the stored event). Returns the stored event.
  virtual absl::StatusOr<v1::OpinionEvent> Create(const v1::OpinionEvent& event,
                                                  const std::string& actor, absl::Time now,
                                                  const idempotency::Key* key) = 0;

  // The event with its clocks and answers. NOT_FOUND.
  virtual absl::StatusOr<v1::OpinionEvent> Get(int64_t id) = 0;

  // See the header comment. NOT_FOUND; ABORTED when expected_version is not 0 and not
  // the event's version; `change`'s error as is. `key` (may be null) is stored with the
  // change; the stored response is the returned event.
  virtual absl::StatusOr<v1::OpinionEvent> Update(int64_t id, int64_t expected_version,
                                                  const std::string& actor, absl::Time now,
                                                  const ChangeFn& change,
                                                  const idempotency::Key* key) = 0;

  // Records that the supplementary interpretation `request_id` was delivered: the
  // interpretation service's id for it and when. Repeating it changes nothing (the
  // first delivery time stays). NOT_FOUND for an unknown request id.
  virtual absl::Status MarkSupplementDelivered(const std::string& request_id,
                                               int64_t interpretation_id, absl::Time now) = 0;

  // Up to `limit` events with an id below `before_id` (0: from the newest), newest
  // first, with their clocks and answers.
  virtual absl::StatusOr<std::vector<v1::OpinionEvent>> List(const EventFilter& filter,
                                                             int64_t before_id, int limit) = 0;

  // Up to `limit` steps of an event with an id above `after_id`, oldest first.
  virtual absl::StatusOr<std::vector<v1::EventStep>> ListSteps(int64_t event_id, int64_t after_id,
                                                               int limit) = 0;

  virtual absl::StatusOr<std::vector<v1::Escalation>> ListEscalations(
      const EscalationFilter& filter, int64_t before_id, int limit) = 0;

  // ---- The clock scheduler -------------------------------------------------------------
  // The earliest time a clock needs the scheduler; nullopt when none does.
  virtual absl::StatusOr<std::optional<absl::Time>> NextFireTime() = 0;

  // Records, for up to `limit` clocks whose next fire time is at or before `now`, the
  // due-soon mark and (when `now` is at or past the deadline) the breach, each as one
  // escalation row recorded by `replica` at `now`. Returns the escalations this call
  // recorded (those another replica recorded first are not repeated). `claimed` is set
  // to the number of due clocks looked at (== limit: call again).
  virtual absl::StatusOr<std::vector<v1::Escalation>> FireDue(absl::Time now, int limit,
                                                              const std::string& replica,
                                                              int* claimed) = 0;

  // ---- Gauges and evidence ---------------------------------------------------------------
  virtual absl::StatusOr<ClockCounts> CountClocks(absl::Time now) = 0;

  // The events routed to `unit_id` first seen in [start, end), with their standing at
  // `now`, in id order.
  virtual absl::StatusOr<std::vector<EventOutcome>> EventOutcomes(int64_t unit_id, absl::Time start,
                                                                  absl::Time end,
                                                                  absl::Time now) = 0;
};

}  // namespace gongkai::opinion::events

#endif  // GONGKAI_SERVICES_OPINION_EVENTS_EVENT_REPOSITORY_H_
