#include "services/opinion/events/mysql_event_repository.h"

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gongkai/interpretation/v1/interpretation.pb.h"
#include "libs/db/idempotency.h"
#include "libs/db/transaction.h"
#include "libs/outbox/outbox.h"
#include "libs/protoconv/protoconv.h"
#include "libs/status/status_macros.h"
#include "services/opinion/clocks/clock_plan.h"

namespace gongkai::opinion::events {
namespace {

constexpr char kEventColumns[] =
    "e.id, e.state, e.grade, e.lead_unit_id, e.body, e.created_by, e.create_time, "
    "e.update_time, e.close_time, e.version";
constexpr char kClockColumns[] =
    "id, event_id, kind, status, start_time, period_seconds, due_time, due_soon_time, "
    "due_soon_recorded_time, breach_recorded_time, met_time, met_by_response_id, rule, "
    "start_reason";
constexpr char kEscalationColumns[] =
    "id, clock_id, event_id, clock_kind, stage, due_time, record_time, recorded_by, lead_unit_id";

bool HasTime(const google::protobuf::Timestamp& t) { return t.seconds() != 0 || t.nanos() != 0; }
std::optional<absl::Time> OptionalTime(const google::protobuf::Timestamp& t) {
  if (!HasTime(t)) return std::nullopt;
  return FromTimestamp(t);
}
// Sets the field through `mutable_field` only when there is a time: an unset time stays
// absent in the message (not a present 1970-01-01).
template <typename MutableField>
void SetOptional(MutableField mutable_field, const std::optional<absl::Time>& t) {
  if (t.has_value()) *mutable_field() = ToTimestamp(*t);
}

// "?, ?, ?" for n placeholders.
std::string Placeholders(size_t n) {
  std::string out;
  for (size_t i = 0; i < n; ++i) absl::StrAppend(&out, i == 0 ? "?" : ", ?");
  return out;
}

// The body column: the event without what lives in other tables or columns.
std::string BodyOf(const v1::OpinionEvent& event) {
  v1::OpinionEvent body = event;
  body.clear_clocks();
  body.clear_responses();
  body.clear_interpretation_supplements();
  body.clear_id();
  body.clear_version();
  body.clear_create_time();
  body.clear_update_time();
  body.clear_close_time();
  return body.SerializeAsString();
}

absl::StatusOr<v1::OpinionEvent> ReadEvent(const db::Row& row) {
  v1::OpinionEvent event;
  ASSIGN_OR_RETURN(std::string body, row.GetString("body"));
  if (!event.ParseFromString(body)) return absl::InternalError("unreadable opinion event body");
  ASSIGN_OR_RETURN(int64_t id, row.GetInt64("id"));
  event.set_id(id);
  ASSIGN_OR_RETURN(int64_t state, row.GetInt64("state"));
  event.set_state(static_cast<v1::EventState>(state));
  ASSIGN_OR_RETURN(int64_t grade, row.GetInt64("grade"));
  event.set_grade(static_cast<v1::EventGrade>(grade));
  ASSIGN_OR_RETURN(*event.mutable_created_by(), row.GetString("created_by"));
  ASSIGN_OR_RETURN(absl::Time created, row.GetTime("create_time"));
  *event.mutable_create_time() = ToTimestamp(created);
  ASSIGN_OR_RETURN(absl::Time updated, row.GetTime("update_time"));
  *event.mutable_update_time() = ToTimestamp(updated);
  ASSIGN_OR_RETURN(std::optional<absl::Time> closed, row.GetOptionalTime("close_time"));
  SetOptional([&] { return event.mutable_close_time(); }, closed);
  ASSIGN_OR_RETURN(int64_t version, row.GetInt64("version"));
  event.set_version(version);
  return event;
}

absl::StatusOr<v1::EventClock> ReadClock(const db::Row& row) {
  v1::EventClock clock;
  ASSIGN_OR_RETURN(int64_t id, row.GetInt64("id"));
  clock.set_id(id);
  ASSIGN_OR_RETURN(int64_t kind, row.GetInt64("kind"));
  clock.set_kind(static_cast<v1::ClockKind>(kind));
  ASSIGN_OR_RETURN(int64_t status, row.GetInt64("status"));
  clock.set_status(static_cast<v1::ClockStatus>(status));
  ASSIGN_OR_RETURN(absl::Time start, row.GetTime("start_time"));
  *clock.mutable_start_time() = ToTimestamp(start);
  ASSIGN_OR_RETURN(int64_t period, row.GetInt64("period_seconds"));
  clock.set_period_seconds(period);
  ASSIGN_OR_RETURN(absl::Time due, row.GetTime("due_time"));
  *clock.mutable_due_time() = ToTimestamp(due);
  ASSIGN_OR_RETURN(absl::Time due_soon, row.GetTime("due_soon_time"));
  *clock.mutable_due_soon_time() = ToTimestamp(due_soon);
  ASSIGN_OR_RETURN(std::optional<absl::Time> t, row.GetOptionalTime("due_soon_recorded_time"));
  SetOptional([&] { return clock.mutable_due_soon_recorded_time(); }, t);
  ASSIGN_OR_RETURN(t, row.GetOptionalTime("breach_recorded_time"));
  SetOptional([&] { return clock.mutable_breach_recorded_time(); }, t);
  ASSIGN_OR_RETURN(t, row.GetOptionalTime("met_time"));
  SetOptional([&] { return clock.mutable_met_time(); }, t);
  ASSIGN_OR_RETURN(std::optional<int64_t> met_by, row.GetOptionalInt64("met_by_response_id"));
  clock.set_met_by_response_id(met_by.value_or(0));
  ASSIGN_OR_RETURN(*clock.mutable_rule(), row.GetString("rule"));
  ASSIGN_OR_RETURN(*clock.mutable_start_reason(), row.GetString("start_reason"));
  return clock;
}

absl::StatusOr<v1::Escalation> ReadEscalation(const db::Row& row) {
  v1::Escalation escalation;
  ASSIGN_OR_RETURN(int64_t id, row.GetInt64("id"));
  escalation.set_id(id);
  ASSIGN_OR_RETURN(int64_t clock_id, row.GetInt64("clock_id"));
  escalation.set_clock_id(clock_id);
  ASSIGN_OR_RETURN(int64_t event_id, row.GetInt64("event_id"));
  escalation.set_event_id(event_id);
  ASSIGN_OR_RETURN(int64_t kind, row.GetInt64("clock_kind"));
  escalation.set_clock_kind(static_cast<v1::ClockKind>(kind));
  ASSIGN_OR_RETURN(int64_t stage, row.GetInt64("stage"));
  escalation.set_stage(static_cast<v1::EscalationStage>(stage));
  ASSIGN_OR_RETURN(absl::Time due, row.GetTime("due_time"));
  *escalation.mutable_due_time() = ToTimestamp(due);
  ASSIGN_OR_RETURN(absl::Time recorded, row.GetTime("record_time"));
  *escalation.mutable_record_time() = ToTimestamp(recorded);
  ASSIGN_OR_RETURN(*escalation.mutable_recorded_by(), row.GetString("recorded_by"));
  ASSIGN_OR_RETURN(int64_t lead, row.GetInt64("lead_unit_id"));
  escalation.set_lead_unit_id(lead);
  return escalation;
}

std::optional<absl::Time> NextFire(const v1::EventClock& clock) {
  return clocks::NextFireTime(clock);
}

absl::Status InsertClock(db::Connection& conn, int64_t event_id, const v1::EventClock& clock) {
  return conn
      .Execute(
          "INSERT INTO opinion_clocks (event_id, kind, status, start_time, period_seconds, "
          "due_time, due_soon_time, due_soon_recorded_time, breach_recorded_time, met_time, "
          "met_by_response_id, rule, start_reason, next_fire_time, version) "
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)",
          {event_id, static_cast<int64_t>(clock.kind()), static_cast<int64_t>(clock.status()),
           FromTimestamp(clock.start_time()), clock.period_seconds(),
           FromTimestamp(clock.due_time()), FromTimestamp(clock.due_soon_time()),
           OptionalTime(clock.due_soon_recorded_time()), OptionalTime(clock.breach_recorded_time()),
           OptionalTime(clock.met_time()),
           clock.met_by_response_id() > 0 ? db::Value(clock.met_by_response_id()) : db::Value(),
           clock.rule(), clock.start_reason(), NextFire(clock)})
      .status();
}

absl::Status InsertEscalations(db::Connection& conn, const std::vector<v1::Escalation>& rows) {
  if (rows.empty()) return absl::OkStatus();
  std::string sql =
      "INSERT INTO opinion_escalations (clock_id, event_id, clock_kind, stage, due_time, "
      "record_time, recorded_by, lead_unit_id) VALUES ";
  std::vector<db::Value> params;
  for (size_t i = 0; i < rows.size(); ++i) {
    const v1::Escalation& e = rows[i];
    absl::StrAppend(&sql, i == 0 ? "" : ", ", "(?, ?, ?, ?, ?, ?, ?, ?)");
    params.insert(params.end(),
                  {e.clock_id(), e.event_id(), static_cast<int64_t>(e.clock_kind()),
                   static_cast<int64_t>(e.stage()), FromTimestamp(e.due_time()),
                   FromTimestamp(e.record_time()), e.recorded_by(), e.lead_unit_id()});
  }
  return conn.Execute(sql, params).status();
}

absl::Status InsertStep(db::Connection& conn, int64_t event_id, const std::string& actor,
                        const std::string& action, v1::EventState old_state,
                        v1::EventState new_state, const std::string& detail, absl::Time now) {
  return conn
      .Execute(
          "INSERT INTO opinion_event_steps (event_id, actor, action, old_state, new_state, "
          "detail, step_time) VALUES (?, ?, ?, ?, ?, ?, ?)",
          {event_id, actor, action, static_cast<int64_t>(old_state),
           static_cast<int64_t>(new_state), detail, now})
      .status();
}

absl::Status ReplaceUnits(db::Connection& conn, int64_t event_id,
                          const v1::Responsibility& responsibility) {
  RETURN_IF_ERROR(
      conn.Execute("DELETE FROM opinion_event_units WHERE event_id = ?", {event_id}).status());
  std::vector<int64_t> units(responsibility.unit_ids().begin(), responsibility.unit_ids().end());
  std::sort(units.begin(), units.end());
  units.erase(std::unique(units.begin(), units.end()), units.end());
  if (units.empty()) return absl::OkStatus();
  std::string sql = "INSERT INTO opinion_event_units (unit_id, event_id) VALUES ";
  std::vector<db::Value> params;
  for (size_t i = 0; i < units.size(); ++i) {
    absl::StrAppend(&sql, i == 0 ? "" : ", ", "(?, ?)");
    params.insert(params.end(), {units[i], event_id});
  }
  return conn.Execute(sql, params).status();
}

// INT-2/OPI-1: the supplement's row and its outbox event, on the caller's transaction.
absl::Status InsertSupplement(db::Connection& conn, int64_t event_id,
                              const v1::InterpretationSupplement& supplement,
                              const std::string& actor, absl::Time now) {
  RETURN_IF_ERROR(conn.Execute("INSERT INTO opinion_interpretation_supplements (event_id, "
                               "request_id, document_id, reason, requested_by, request_time) "
                               "VALUES (?, ?, ?, ?, ?, ?)",
                               {event_id, supplement.request_id(), supplement.document_id(),
                                supplement.reason(), actor, now})
                      .status());
  interpretation::v1::RequestSupplementaryInterpretationRequest request;
  request.set_document_id(supplement.document_id());
  request.set_reason(supplement.reason());
  request.set_request_id(supplement.request_id());
  outbox::OutboxEvent event;
  event.topic = kSupplementRequestedTopic;
  event.destination = "interpretation";
  event.event_key = supplement.request_id();
  event.ordering_key = absl::StrCat(event_id);
  event.payload = request.SerializeAsString();
  ASSIGN_OR_RETURN(bool added, outbox::Enqueue(conn, event, now));
  if (!added) {
    return absl::AlreadyExistsError(
        absl::StrCat("supplementary interpretation ", supplement.request_id(), " already exists"));
  }
  return absl::OkStatus();
}

class MysqlEventRepository final : public EventRepository {
 public:
  explicit MysqlEventRepository(db::ConnectionPool* pool) : pool_(pool) {}

  absl::StatusOr<std::optional<std::string>> FindIdempotentResponse(
      const idempotency::Key& key) override {
    return db::FindIdempotentResponse(*pool_, key);
  }

  absl::StatusOr<v1::OpinionEvent> Create(const v1::OpinionEvent& event, const std::string& actor,
                                          absl::Time now, const idempotency::Key* key) override {
    v1::OpinionEvent stored;
    RETURN_IF_ERROR(
        db::RunInTransactionWithRetries(*pool_, [&](db::Connection& conn) -> absl::Status {
          ASSIGN_OR_RETURN(
              db::ExecResult inserted,
              conn.ExecuteInsert(
                  "INSERT INTO opinion_events (state, grade, category, collecting_unit_id, "
                  "lead_unit_id, supervised, decided_not_to_respond, first_seen_time, body, "
                  "created_by, create_time, update_time, version) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)",
                  {static_cast<int64_t>(event.state()), static_cast<int64_t>(event.grade()),
                   static_cast<int64_t>(event.category()), event.collecting_unit_id(),
                   event.responsibility().lead_unit_id(), !event.leader_instruction().empty(),
                   event.decided_not_to_respond(), FromTimestamp(event.first_seen_time()),
                   BodyOf(event), actor, now, now}));
          const int64_t id = static_cast<int64_t>(inserted.last_insert_id);
          RETURN_IF_ERROR(ReplaceUnits(conn, id, event.responsibility()));
          for (const v1::EventClock& clock : event.clocks())
            RETURN_IF_ERROR(InsertClock(conn, id, clock));
          RETURN_IF_ERROR(InsertStep(conn, id, actor, "collect", v1::EVENT_STATE_UNSPECIFIED,
                                     event.state(), event.responsibility().reason(), now));
          ASSIGN_OR_RETURN(stored, Load(conn, id, /*for_update=*/false));
          return db::InsertIdempotencyRecord(conn, key, stored.SerializeAsString(), now);
        }));
    return stored;
  }

  absl::StatusOr<v1::OpinionEvent> Get(int64_t id) override {
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    return Load(*conn, id, /*for_update=*/false);
  }

  absl::StatusOr<v1::OpinionEvent> Update(int64_t id, int64_t expected_version,
                                          const std::string& actor, absl::Time now,
                                          const ChangeFn& change,
                                          const idempotency::Key* key) override {
    v1::OpinionEvent stored;
    RETURN_IF_ERROR(
        db::RunInTransactionWithRetries(*pool_, [&](db::Connection& conn) -> absl::Status {
          ASSIGN_OR_RETURN(v1::OpinionEvent current, Load(conn, id, /*for_update=*/true));
          if (expected_version != 0 && expected_version != current.version()) {
            return db::StaleVersionError(absl::StrCat("opinion event ", id, " is at version ",
                                                      current.version(), ", not ",
                                                      expected_version));
          }
          ASSIGN_OR_RETURN(EventChange applied, change(current));
          v1::OpinionEvent& next = applied.event;
          int64_t response_id = 0;
          if (applied.response.has_value()) {
            ASSIGN_OR_RETURN(db::ExecResult inserted,
                             conn.ExecuteInsert(
                                 "INSERT INTO opinion_responses (event_id, unit_id, publish_time, "
                                 "body, record_time) VALUES (?, ?, ?, ?, ?)",
                                 {id, applied.response->unit_id(),
                                  FromTimestamp(applied.response->publish_time()),
                                  applied.response->SerializeAsString(), now}));
            response_id = static_cast<int64_t>(inserted.last_insert_id);
            for (v1::Contradiction& c : *next.mutable_contradictions()) {
              if (c.response_id() == kNewResponseId) c.set_response_id(response_id);
            }
          }
          for (v1::EventClock clock : applied.clock_updates) {
            if (clock.met_by_response_id() == kNewResponseId)
              clock.set_met_by_response_id(response_id);
            RETURN_IF_ERROR(
                conn.Execute(
                        "UPDATE opinion_clocks SET status = ?, due_soon_recorded_time = ?, "
                        "breach_recorded_time = ?, met_time = ?, met_by_response_id = ?, "
                        "next_fire_time = ?, version = version + 1 WHERE id = ? AND event_id = ?",
                        {static_cast<int64_t>(clock.status()),
                         OptionalTime(clock.due_soon_recorded_time()),
                         OptionalTime(clock.breach_recorded_time()), OptionalTime(clock.met_time()),
                         clock.met_by_response_id() > 0 ? db::Value(clock.met_by_response_id())
                                                        : db::Value(),
                         NextFire(clock), clock.id(), id})
                    .status());
          }
          for (const v1::EventClock& clock : applied.new_clocks) {
            RETURN_IF_ERROR(InsertClock(conn, id, clock));
          }
          RETURN_IF_ERROR(InsertEscalations(conn, applied.escalations));
          if (applied.interpretation_supplement.has_value()) {
            RETURN_IF_ERROR(
                InsertSupplement(conn, id, *applied.interpretation_supplement, actor, now));
          }
          if (next.responsibility().SerializeAsString() !=
              current.responsibility().SerializeAsString()) {
            RETURN_IF_ERROR(ReplaceUnits(conn, id, next.responsibility()));
          }
          const bool closing =
              next.state() == v1::EVENT_CLOSED && current.state() != v1::EVENT_CLOSED;
          RETURN_IF_ERROR(
              conn.Execute("UPDATE opinion_events SET state = ?, grade = ?, lead_unit_id = ?, "
                           "supervised = ?, decided_not_to_respond = ?, body = ?, update_time = ?, "
                           "close_time = COALESCE(close_time, ?), version = version + 1 "
                           "WHERE id = ?",
                           {static_cast<int64_t>(next.state()), static_cast<int64_t>(next.grade()),
                            next.responsibility().lead_unit_id(),
                            !next.leader_instruction().empty(), next.decided_not_to_respond(),
                            BodyOf(next), now, closing ? db::Value(now) : db::Value(), id})
                  .status());
          RETURN_IF_ERROR(InsertStep(conn, id, actor, applied.action, current.state(), next.state(),
                                     applied.detail, now));
          ASSIGN_OR_RETURN(stored, Load(conn, id, /*for_update=*/false));
          return db::InsertIdempotencyRecord(conn, key, stored.SerializeAsString(), now);
        }));
    return stored;
  }

  absl::Status MarkSupplementDelivered(const std::string& request_id, int64_t interpretation_id,
                                       absl::Time now) override {
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    RETURN_IF_ERROR(conn->Execute("UPDATE opinion_interpretation_supplements SET "
                                  "interpretation_id = ?, deliver_time = COALESCE(deliver_time, ?) "
                                  "WHERE request_id = ?",
                                  {interpretation_id, now, request_id})
                        .status());
    ASSIGN_OR_RETURN(db::ResultSet rows,
                     conn->Query("SELECT id FROM opinion_interpretation_supplements "
                                 "WHERE request_id = ?",
                                 {request_id}));
    if (rows.empty()) {
      return absl::NotFoundError(
          absl::StrCat("supplementary interpretation ", request_id, " not found"));
    }
    return absl::OkStatus();
  }

  absl::StatusOr<std::vector<v1::OpinionEvent>> List(const EventFilter& filter, int64_t before_id,
                                                     int limit) override {
    std::string sql = absl::StrCat("SELECT ", kEventColumns, " FROM opinion_events e WHERE 1 = 1");
    std::vector<db::Value> params;
    if (before_id > 0) {
      absl::StrAppend(&sql, " AND e.id < ?");
      params.push_back(before_id);
    }
    if (filter.state != v1::EVENT_STATE_UNSPECIFIED) {
      absl::StrAppend(&sql, " AND e.state = ?");
      params.push_back(static_cast<int64_t>(filter.state));
    } else if (!filter.include_closed) {
      absl::StrAppend(&sql, " AND e.state <> ?");
      params.push_back(static_cast<int64_t>(v1::EVENT_CLOSED));
    }
    if (filter.grade != v1::EVENT_GRADE_UNSPECIFIED) {
      absl::StrAppend(&sql, " AND e.grade = ?");
      params.push_back(static_cast<int64_t>(filter.grade));
    }
    if (filter.supervised_only) absl::StrAppend(&sql, " AND e.supervised = 1");
    if (filter.unit_id > 0) {
      absl::StrAppend(&sql,
                      " AND (e.collecting_unit_id = ? OR EXISTS (SELECT 1 FROM "
                      "opinion_event_units u WHERE u.unit_id = ? AND u.event_id = e.id))");
      params.insert(params.end(), {filter.unit_id, filter.unit_id});
    }
    if (filter.breached_only) {
      absl::StrAppend(&sql,
                      " AND EXISTS (SELECT 1 FROM opinion_clocks c WHERE c.event_id = e.id AND "
                      "c.status = ? AND c.due_time <= ?)");
      params.insert(params.end(), {static_cast<int64_t>(v1::CLOCK_RUNNING), filter.now});
    }
    absl::StrAppend(&sql, " ORDER BY e.id DESC LIMIT ?");
    params.push_back(int64_t{limit});
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    ASSIGN_OR_RETURN(db::ResultSet rows, conn->Query(sql, params));
    std::vector<v1::OpinionEvent> events;
    for (const db::Row& row : rows) {
      ASSIGN_OR_RETURN(v1::OpinionEvent event, ReadEvent(row));
      events.push_back(std::move(event));
    }
    RETURN_IF_ERROR(AttachClocksAndResponses(*conn, events));
    return events;
  }

  absl::StatusOr<std::vector<v1::EventStep>> ListSteps(int64_t event_id, int64_t after_id,
                                                       int limit) override {
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    ASSIGN_OR_RETURN(
        db::ResultSet rows,
        conn->Query("SELECT id, actor, action, old_state, new_state, detail, step_time FROM "
                    "opinion_event_steps WHERE event_id = ? AND id > ? ORDER BY id LIMIT ?",
                    {event_id, after_id, int64_t{limit}}));
    std::vector<v1::EventStep> steps;
    for (const db::Row& row : rows) {
      v1::EventStep step;
      ASSIGN_OR_RETURN(int64_t id, row.GetInt64("id"));
      step.set_id(id);
      ASSIGN_OR_RETURN(*step.mutable_actor(), row.GetString("actor"));
      ASSIGN_OR_RETURN(*step.mutable_action(), row.GetString("action"));
      ASSIGN_OR_RETURN(int64_t old_state, row.GetInt64("old_state"));
      step.set_old_state(static_cast<v1::EventState>(old_state));
      ASSIGN_OR_RETURN(int64_t new_state, row.GetInt64("new_state"));
      step.set_new_state(static_cast<v1::EventState>(new_state));
      ASSIGN_OR_RETURN(*step.mutable_detail(), row.GetString("detail"));
      ASSIGN_OR_RETURN(absl::Time time, row.GetTime("step_time"));
      *step.mutable_time() = ToTimestamp(time);
      steps.push_back(std::move(step));
    }
    return steps;
  }

  absl::StatusOr<std::vector<v1::Escalation>> ListEscalations(const EscalationFilter& filter,
                                                              int64_t before_id,
                                                              int limit) override {
    std::string sql =
        absl::StrCat("SELECT ", kEscalationColumns, " FROM opinion_escalations WHERE 1 = 1");
    std::vector<db::Value> params;
    if (filter.event_id > 0) {
      absl::StrAppend(&sql, " AND event_id = ?");
      params.push_back(filter.event_id);
    }
    if (filter.lead_unit_id > 0) {
      absl::StrAppend(&sql, " AND lead_unit_id = ?");
      params.push_back(filter.lead_unit_id);
    }
    if (before_id > 0) {
      absl::StrAppend(&sql, " AND id < ?");
      params.push_back(before_id);
    }
    absl::StrAppend(&sql, " ORDER BY id DESC LIMIT ?");
    params.push_back(int64_t{limit});
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    ASSIGN_OR_RETURN(db::ResultSet rows, conn->Query(sql, params));
    std::vector<v1::Escalation> escalations;
    for (const db::Row& row : rows) {
      ASSIGN_OR_RETURN(v1::Escalation escalation, ReadEscalation(row));
      escalations.push_back(std::move(escalation));
    }
    return escalations;
  }

  absl::StatusOr<std::optional<absl::Time>> NextFireTime() override {
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    // The index on next_fire_time answers this from its first entry.
    ASSIGN_OR_RETURN(db::ResultSet rows,
                     conn->Query("SELECT next_fire_time FROM opinion_clocks WHERE next_fire_time "
                                 "IS NOT NULL ORDER BY next_fire_time LIMIT 1"));
    if (rows.empty()) return std::optional<absl::Time>();
    ASSIGN_OR_RETURN(absl::Time next, rows[0].GetTime("next_fire_time"));
    return std::optional<absl::Time>(next);
  }

  absl::StatusOr<std::vector<v1::Escalation>> FireDue(absl::Time now, int limit,
                                                      const std::string& replica,
                                                      int* claimed) override {
    struct Due {
      int64_t id, event_id, kind, version, lead_unit_id;
      absl::Time due_time, due_soon_time;
      bool due_soon_recorded;
    };
    std::vector<Due> due;
    {
      ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
      ASSIGN_OR_RETURN(
          db::ResultSet rows,
          conn->Query("SELECT c.id, c.event_id, c.kind, c.version, c.due_time, c.due_soon_time, "
                      "c.due_soon_recorded_time, e.lead_unit_id "
                      "FROM opinion_clocks c JOIN opinion_events e ON e.id = c.event_id "
                      "WHERE c.next_fire_time <= ? ORDER BY c.next_fire_time, c.id LIMIT ?",
                      {now, int64_t{limit}}));
      for (const db::Row& row : rows) {
        Due d;
        ASSIGN_OR_RETURN(d.id, row.GetInt64("id"));
        ASSIGN_OR_RETURN(d.event_id, row.GetInt64("event_id"));
        ASSIGN_OR_RETURN(d.kind, row.GetInt64("kind"));
        ASSIGN_OR_RETURN(d.version, row.GetInt64("version"));
        ASSIGN_OR_RETURN(d.lead_unit_id, row.GetInt64("lead_unit_id"));
        ASSIGN_OR_RETURN(d.due_time, row.GetTime("due_time"));
        ASSIGN_OR_RETURN(d.due_soon_time, row.GetTime("due_soon_time"));
        ASSIGN_OR_RETURN(bool recorded, row.IsNull("due_soon_recorded_time"));
        d.due_soon_recorded = !recorded;
        due.push_back(d);
      }
    }
    if (claimed != nullptr) *claimed = static_cast<int>(due.size());
    if (due.empty()) return std::vector<v1::Escalation>();
    // Lock rows in id order so that two replicas firing the same batch wait for each
    // other instead of deadlocking.
    std::sort(due.begin(), due.end(), [](const Due& a, const Due& b) { return a.id < b.id; });
    std::vector<v1::Escalation> recorded;
    RETURN_IF_ERROR(
        db::RunInTransactionWithRetries(*pool_, [&](db::Connection& conn) -> absl::Status {
          recorded.clear();
          for (const Due& d : due) {
            const bool breached = now >= d.due_time;
            // The claim: only the replica whose UPDATE changes the row records (OPI-4).
            ASSIGN_OR_RETURN(
                db::ExecResult claim,
                conn.Execute("UPDATE opinion_clocks SET due_soon_recorded_time = "
                             "COALESCE(due_soon_recorded_time, ?), breach_recorded_time = ?, "
                             "next_fire_time = ?, version = version + 1 "
                             "WHERE id = ? AND version = ? AND status = ?",
                             {now, breached ? db::Value(now) : db::Value(),
                              breached ? db::Value() : db::Value(d.due_time), d.id, d.version,
                              static_cast<int64_t>(v1::CLOCK_RUNNING)}));
            if (claim.affected_rows != 1) continue;
            auto add = [&](v1::EscalationStage stage, absl::Time at) {
              v1::Escalation e;
              e.set_clock_id(d.id);
              e.set_event_id(d.event_id);
              e.set_clock_kind(static_cast<v1::ClockKind>(d.kind));
              e.set_stage(stage);
              *e.mutable_due_time() = ToTimestamp(at);
              *e.mutable_record_time() = ToTimestamp(now);
              e.set_recorded_by(replica);
              e.set_lead_unit_id(d.lead_unit_id);
              recorded.push_back(std::move(e));
            };
            if (!d.due_soon_recorded) add(v1::ESCALATION_DUE_SOON, d.due_soon_time);
            if (breached) add(v1::ESCALATION_BREACHED, d.due_time);
          }
          return InsertEscalations(conn, recorded);
        }));
    return recorded;
  }

  absl::StatusOr<ClockCounts> CountClocks(absl::Time now) override {
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    ASSIGN_OR_RETURN(
        db::ResultSet rows,
        conn->Query("SELECT COUNT(*) AS running, "
                    "COALESCE(SUM(CASE WHEN due_time <= ? THEN 1 ELSE 0 END), 0) AS breached, "
                    "COALESCE(SUM(CASE WHEN due_time > ? AND due_soon_recorded_time IS NOT NULL "
                    "THEN 1 ELSE 0 END), 0) AS due_soon "
                    "FROM opinion_clocks WHERE status = ?",
                    {now, now, static_cast<int64_t>(v1::CLOCK_RUNNING)}));
    ClockCounts counts;
    ASSIGN_OR_RETURN(counts.running, rows[0].GetInt64("running"));
    ASSIGN_OR_RETURN(counts.breached, rows[0].GetInt64("breached"));
    ASSIGN_OR_RETURN(counts.due_soon, rows[0].GetInt64("due_soon"));
    ASSIGN_OR_RETURN(db::ResultSet open,
                     conn->Query("SELECT COUNT(*) AS n FROM opinion_events WHERE state <> ?",
                                 {static_cast<int64_t>(v1::EVENT_CLOSED)}));
    ASSIGN_OR_RETURN(counts.open_events, open[0].GetInt64("n"));
    return counts;
  }

  absl::StatusOr<std::vector<EventOutcome>> EventOutcomes(int64_t unit_id, absl::Time start,
                                                          absl::Time end, absl::Time now) override {
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    ASSIGN_OR_RETURN(
        db::ResultSet rows,
        conn->Query(
            "SELECT e.id, e.grade, e.decided_not_to_respond, "
            "(SELECT COUNT(*) FROM opinion_responses r WHERE r.event_id = e.id) AS responses, "
            "(SELECT COUNT(*) FROM opinion_clocks c WHERE c.event_id = e.id AND "
            " ((c.status = ? AND c.met_time > c.due_time) OR (c.status = ? AND c.due_time <= ?)))"
            " AS late_clocks "
            "FROM opinion_events e JOIN opinion_event_units u ON u.event_id = e.id "
            "WHERE u.unit_id = ? AND e.first_seen_time >= ? AND e.first_seen_time < ? "
            "ORDER BY e.id",
            {static_cast<int64_t>(v1::CLOCK_MET), static_cast<int64_t>(v1::CLOCK_RUNNING), now,
             unit_id, start, end}));
    std::vector<EventOutcome> outcomes;
    for (const db::Row& row : rows) {
      EventOutcome o;
      ASSIGN_OR_RETURN(o.event_id, row.GetInt64("id"));
      ASSIGN_OR_RETURN(int64_t grade, row.GetInt64("grade"));
      o.grade = static_cast<v1::EventGrade>(grade);
      ASSIGN_OR_RETURN(o.decided_not_to_respond, row.GetBool("decided_not_to_respond"));
      ASSIGN_OR_RETURN(o.responses, row.GetInt64("responses"));
      ASSIGN_OR_RETURN(o.late_clocks, row.GetInt64("late_clocks"));
      outcomes.push_back(o);
    }
    return outcomes;
  }

 private:
  absl::StatusOr<v1::OpinionEvent> Load(db::Connection& conn, int64_t id, bool for_update) {
    ASSIGN_OR_RETURN(
        db::ResultSet rows,
        conn.Query(absl::StrCat("SELECT ", kEventColumns, " FROM opinion_events e WHERE e.id = ?",
                                for_update ? " FOR UPDATE" : ""),
                   {id}));
    if (rows.empty()) return absl::NotFoundError(absl::StrCat("opinion event ", id, " not found"));
    ASSIGN_OR_RETURN(v1::OpinionEvent event, ReadEvent(rows[0]));
    std::vector<v1::OpinionEvent> one = {std::move(event)};
    // The event row's lock serializes writers of the event; the clocks' rows are locked
    // too so that the scheduler's claim waits for this change (and then finds it).
    RETURN_IF_ERROR(AttachClocksAndResponses(conn, one, for_update));
    return std::move(one.front());
  }

  absl::Status AttachClocksAndResponses(db::Connection& conn, std::vector<v1::OpinionEvent>& events,
                                        bool for_update = false) {
    if (events.empty()) return absl::OkStatus();
    std::map<int64_t, v1::OpinionEvent*> by_id;
    std::vector<db::Value> ids;
    for (v1::OpinionEvent& event : events) {
      by_id[event.id()] = &event;
      ids.push_back(event.id());
    }
    ASSIGN_OR_RETURN(
        db::ResultSet clocks,
        conn.Query(absl::StrCat(
                       "SELECT ", kClockColumns, " FROM opinion_clocks WHERE event_id IN (",
                       Placeholders(ids.size()), ") ORDER BY id", for_update ? " FOR UPDATE" : ""),
                   ids));
    for (const db::Row& row : clocks) {
      ASSIGN_OR_RETURN(int64_t event_id, row.GetInt64("event_id"));
      ASSIGN_OR_RETURN(v1::EventClock clock, ReadClock(row));
      *by_id[event_id]->add_clocks() = std::move(clock);
    }
    ASSIGN_OR_RETURN(db::ResultSet responses,
                     conn.Query(absl::StrCat("SELECT id, event_id, body, record_time FROM "
                                             "opinion_responses WHERE event_id IN (",
                                             Placeholders(ids.size()), ") ORDER BY id"),
                                ids));
    for (const db::Row& row : responses) {
      ASSIGN_OR_RETURN(int64_t event_id, row.GetInt64("event_id"));
      ASSIGN_OR_RETURN(std::string body, row.GetString("body"));
      v1::EventResponse response;
      if (!response.ParseFromString(body)) return absl::InternalError("unreadable response");
      ASSIGN_OR_RETURN(int64_t id, row.GetInt64("id"));
      response.set_id(id);
      ASSIGN_OR_RETURN(absl::Time recorded, row.GetTime("record_time"));
      *response.mutable_record_time() = ToTimestamp(recorded);
      *by_id[event_id]->add_responses() = std::move(response);
    }
    ASSIGN_OR_RETURN(
        db::ResultSet supplements,
        conn.Query(absl::StrCat("SELECT event_id, request_id, document_id, reason, requested_by, "
                                "request_time, interpretation_id, deliver_time FROM "
                                "opinion_interpretation_supplements WHERE event_id IN (",
                                Placeholders(ids.size()), ") ORDER BY id"),
                   ids));
    for (const db::Row& row : supplements) {
      ASSIGN_OR_RETURN(int64_t event_id, row.GetInt64("event_id"));
      v1::InterpretationSupplement supplement;
      ASSIGN_OR_RETURN(*supplement.mutable_request_id(), row.GetString("request_id"));
      ASSIGN_OR_RETURN(int64_t document_id, row.GetInt64("document_id"));
      supplement.set_document_id(document_id);
      ASSIGN_OR_RETURN(*supplement.mutable_reason(), row.GetString("reason"));
      ASSIGN_OR_RETURN(*supplement.mutable_requested_by(), row.GetString("requested_by"));
      ASSIGN_OR_RETURN(absl::Time requested, row.GetTime("request_time"));
      *supplement.mutable_request_time() = ToTimestamp(requested);
      ASSIGN_OR_RETURN(std::optional<int64_t> interpretation_id,
                       row.GetOptionalInt64("interpretation_id"));
      if (interpretation_id.has_value()) supplement.set_interpretation_id(*interpretation_id);
      ASSIGN_OR_RETURN(std::optional<absl::Time> delivered, row.GetOptionalTime("deliver_time"));
      SetOptional([&] { return supplement.mutable_deliver_time(); }, delivered);
      *by_id[event_id]->add_interpretation_supplements() = std::move(supplement);
    }
    return absl::OkStatus();
  }

  db::ConnectionPool* pool_;
};

}  // namespace

std::unique_ptr<EventRepository> NewMysqlEventRepository(db::ConnectionPool* pool) {
  return std::make_unique<MysqlEventRepository>(pool);
}

}  // namespace gongkai::opinion::events
