#include "services/interpretation/mysql_interpretation_repository.h"

#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/util/json_util.h"
#include "libs/db/idempotency.h"
#include "libs/db/transaction.h"
#include "libs/outbox/outbox.h"
#include "libs/protoconv/protoconv.h"
#include "libs/status/status_macros.h"

namespace gongkai::interpretation {
namespace {

using db::Connection;
using db::Value;

constexpr char kColumns[] =
    "i.id, i.document_id, i.kind, i.state, i.unit_id, i.document_title, i.issuing_authority, "
    "i.content, i.first_interpreter, i.approve_time, i.document_publish_time, i.release_time, "
    "i.release_lag_working_days, i.late, i.lag_rule, i.supplement_reason, i.requested_by, "
    "i.created_by, i.create_time, i.update_time, i.version";

// The editable content as one JSON document (read and written whole).
absl::StatusOr<std::string> ContentJson(const v1::Interpretation& interpretation) {
  v1::Interpretation content;
  *content.mutable_sections() = interpretation.sections();
  *content.mutable_plan() = interpretation.plan();
  *content.mutable_materials() = interpretation.materials();
  std::string json;
  google::protobuf::util::Status s = google::protobuf::util::MessageToJsonString(content, &json);
  if (!s.ok()) return absl::InternalError(absl::StrCat("content to JSON: ", s.ToString()));
  return json;
}

Value OptionalTime(const v1::Interpretation& i, bool has, const google::protobuf::Timestamp& t) {
  (void)i;
  if (!has) return Value::Null();
  return Value(FromTimestamp(t));
}

absl::StatusOr<v1::Interpretation> FromRow(const db::Row& row) {
  v1::Interpretation i;
  ASSIGN_OR_RETURN(int64_t id, row.GetInt64("id"));
  i.set_id(id);
  ASSIGN_OR_RETURN(int64_t document_id, row.GetInt64("document_id"));
  i.set_document_id(document_id);
  ASSIGN_OR_RETURN(int64_t kind, row.GetInt64("kind"));
  i.set_kind(static_cast<v1::InterpretationKind>(kind));
  ASSIGN_OR_RETURN(int64_t state, row.GetInt64("state"));
  i.set_state(static_cast<v1::InterpretationState>(state));
  ASSIGN_OR_RETURN(int64_t unit_id, row.GetInt64("unit_id"));
  i.set_unit_id(unit_id);
  ASSIGN_OR_RETURN(*i.mutable_document_title(), row.GetString("document_title"));
  ASSIGN_OR_RETURN(int64_t authority, row.GetInt64("issuing_authority"));
  i.set_issuing_authority(static_cast<catalog::v1::IssuingAuthority>(authority));
  ASSIGN_OR_RETURN(std::string content, row.GetString("content"));
  v1::Interpretation parsed;
  google::protobuf::util::Status s = google::protobuf::util::JsonStringToMessage(content, &parsed);
  if (!s.ok()) {
    return absl::InternalError(absl::StrCat("interpretation ", id, " content: ", s.ToString()));
  }
  *i.mutable_sections() = parsed.sections();
  *i.mutable_plan() = parsed.plan();
  *i.mutable_materials() = parsed.materials();
  ASSIGN_OR_RETURN(*i.mutable_first_interpreter(), row.GetString("first_interpreter"));
  ASSIGN_OR_RETURN(std::optional<absl::Time> approve, row.GetOptionalTime("approve_time"));
  if (approve.has_value()) *i.mutable_approve_time() = ToTimestamp(*approve);
  ASSIGN_OR_RETURN(std::optional<absl::Time> published,
                   row.GetOptionalTime("document_publish_time"));
  if (published.has_value()) *i.mutable_document_publish_time() = ToTimestamp(*published);
  ASSIGN_OR_RETURN(std::optional<absl::Time> released, row.GetOptionalTime("release_time"));
  if (released.has_value()) *i.mutable_release_time() = ToTimestamp(*released);
  ASSIGN_OR_RETURN(int64_t lag, row.GetInt64("release_lag_working_days"));
  i.set_release_lag_working_days(static_cast<int32_t>(lag));
  ASSIGN_OR_RETURN(bool late, row.GetBool("late"));
  i.set_late(late);
  ASSIGN_OR_RETURN(*i.mutable_lag_rule(), row.GetString("lag_rule"));
  ASSIGN_OR_RETURN(*i.mutable_supplement_reason(), row.GetString("supplement_reason"));
  ASSIGN_OR_RETURN(*i.mutable_requested_by(), row.GetString("requested_by"));
  ASSIGN_OR_RETURN(*i.mutable_created_by(), row.GetString("created_by"));
  ASSIGN_OR_RETURN(absl::Time created, row.GetTime("create_time"));
  *i.mutable_create_time() = ToTimestamp(created);
  ASSIGN_OR_RETURN(absl::Time updated, row.GetTime("update_time"));
  *i.mutable_update_time() = ToTimestamp(updated);
  ASSIGN_OR_RETURN(int64_t version, row.GetInt64("version"));
  i.set_version(version);
  return i;
}

absl::StatusOr<v1::ReleaseRecord> ReleaseFromRow(const db::Row& row) {
  v1::ReleaseRecord r;
  ASSIGN_OR_RETURN(int64_t id, row.GetInt64("id"));
  r.set_id(id);
  ASSIGN_OR_RETURN(int64_t form, row.GetInt64("form"));
  r.set_form(static_cast<v1::InterpretationForm>(form));
  ASSIGN_OR_RETURN(int64_t channel, row.GetInt64("channel"));
  r.set_channel(static_cast<v1::ReleaseChannel>(channel));
  ASSIGN_OR_RETURN(*r.mutable_reference(), row.GetString("reference"));
  ASSIGN_OR_RETURN(absl::CivilDay on, row.GetCivilDay("released_on"));
  *r.mutable_released_on() = ToProtoDate(on);
  ASSIGN_OR_RETURN(*r.mutable_recorded_by(), row.GetString("recorded_by"));
  ASSIGN_OR_RETURN(absl::Time at, row.GetTime("record_time"));
  *r.mutable_record_time() = ToTimestamp(at);
  return r;
}

absl::StatusOr<Publication> PublicationFromRow(const db::Row& row) {
  Publication p;
  ASSIGN_OR_RETURN(p.document_id, row.GetInt64("p_document_id"));
  ASSIGN_OR_RETURN(p.unit_id, row.GetInt64("p_unit_id"));
  ASSIGN_OR_RETURN(int64_t authority, row.GetInt64("p_issuing_authority"));
  p.issuing_authority = static_cast<int32_t>(authority);
  ASSIGN_OR_RETURN(p.document_title, row.GetString("p_document_title"));
  ASSIGN_OR_RETURN(p.publish_time, row.GetTime("p_publish_time"));
  ASSIGN_OR_RETURN(p.event_id, row.GetString("p_event_id"));
  return p;
}

// One row per document: a second publication of the same document (a redelivered
// event, or one learnt from the catalog meanwhile) fails on the primary key,
// ALREADY_EXISTS.
absl::Status InsertPublication(Connection& conn, const Publication& p, absl::Time received) {
  return conn
      .Execute(
          "INSERT INTO document_publications (document_id, unit_id, issuing_authority, "
          "document_title, publish_time, event_id, receive_time) VALUES (?, ?, ?, ?, ?, ?, ?)",
          {Value(p.document_id), Value(p.unit_id), Value(static_cast<int64_t>(p.issuing_authority)),
           Value(p.document_title), Value(p.publish_time), Value(p.event_id), Value(received)})
      .status();
}

// "?, ?, ..." n times.
std::string Placeholders(size_t n) {
  std::string marks;
  for (size_t i = 0; i < n; ++i) absl::StrAppend(&marks, i == 0 ? "?" : ", ?");
  return marks;
}

constexpr char kPublicationColumns[] =
    "p.document_id AS p_document_id, p.unit_id AS p_unit_id, p.issuing_authority AS "
    "p_issuing_authority, p.document_title AS p_document_title, p.publish_time AS "
    "p_publish_time, p.event_id AS p_event_id";

// The values of every column an update writes, then id.
absl::StatusOr<std::vector<Value>> UpdateValues(const v1::Interpretation& i, absl::Time now) {
  ASSIGN_OR_RETURN(std::string content, ContentJson(i));
  return std::vector<Value>{
      Value(static_cast<int64_t>(i.state())),
      Value(std::move(content)),
      Value(i.first_interpreter()),
      OptionalTime(i, i.has_approve_time(), i.approve_time()),
      OptionalTime(i, i.has_document_publish_time(), i.document_publish_time()),
      OptionalTime(i, i.has_release_time(), i.release_time()),
      Value(static_cast<int64_t>(i.release_lag_working_days())),
      Value(static_cast<int64_t>(i.late() ? 1 : 0)),
      Value(i.lag_rule()),
      Value(now),
      Value(i.id())};
}

constexpr char kUpdateSql[] =
    "UPDATE interpretations SET state = ?, content = ?, first_interpreter = ?, approve_time = ?, "
    "document_publish_time = ?, release_time = ?, release_lag_working_days = ?, late = ?, "
    "lag_rule = ?, update_time = ?, version = version + 1 WHERE id = ? AND version = ?";

class MysqlInterpretationRepository final : public InterpretationRepository {
 public:
  explicit MysqlInterpretationRepository(db::ConnectionPool* pool) : pool_(pool) {}

  absl::StatusOr<v1::Interpretation> Create(const v1::Interpretation& interpretation,
                                            const idempotency::Key* key, absl::Time now) override {
    v1::Interpretation stored = interpretation;
    *stored.mutable_create_time() = ToTimestamp(now);
    *stored.mutable_update_time() = ToTimestamp(now);
    stored.set_version(1);
    ASSIGN_OR_RETURN(std::string content, ContentJson(stored));
    RETURN_IF_ERROR(db::RunInTransactionWithRetries(*pool_, [&](Connection& conn) -> absl::Status {
      ASSIGN_OR_RETURN(
          db::ExecResult inserted,
          conn.ExecuteInsert(
              "INSERT INTO interpretations (document_id, primary_document_id, kind, state, "
              "unit_id, document_title, issuing_authority, content, document_publish_time, "
              "supplement_reason, requested_by, created_by, create_time, update_time, version) "
              "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)",
              {Value(stored.document_id()),
               stored.kind() == v1::PRIMARY ? Value(stored.document_id()) : Value::Null(),
               Value(static_cast<int64_t>(stored.kind())),
               Value(static_cast<int64_t>(stored.state())), Value(stored.unit_id()),
               Value(stored.document_title()),
               Value(static_cast<int64_t>(stored.issuing_authority())), Value(content),
               OptionalTime(stored, stored.has_document_publish_time(),
                            stored.document_publish_time()),
               Value(stored.supplement_reason()), Value(stored.requested_by()),
               Value(stored.created_by()), Value(now), Value(now)}));
      stored.set_id(static_cast<int64_t>(inserted.last_insert_id));
      return db::InsertIdempotencyRecord(conn, key, stored.SerializeAsString(), now);
    }));
    return stored;
  }

  absl::StatusOr<v1::Interpretation> Get(int64_t id) override {
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    return GetOn(*conn, id);
  }

  absl::StatusOr<std::optional<v1::Interpretation>> FindPrimary(int64_t document_id) override {
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    ASSIGN_OR_RETURN(db::ResultSet rows, conn->Query(absl::StrCat("SELECT ", kColumns,
                                                                  " FROM interpretations i WHERE "
                                                                  "i.primary_document_id = ?"),
                                                     {Value(document_id)}));
    if (rows.empty()) return std::optional<v1::Interpretation>();
    ASSIGN_OR_RETURN(v1::Interpretation found, FromRow(rows[0]));
    return std::optional<v1::Interpretation>(std::move(found));
  }

  absl::StatusOr<std::optional<PrimaryStatus>> FindPrimaryStatus(int64_t document_id) override {
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    ASSIGN_OR_RETURN(db::ResultSet rows,
                     conn->Query("SELECT id, unit_id, state FROM interpretations WHERE "
                                 "primary_document_id = ?",
                                 {Value(document_id)}));
    if (rows.empty()) return std::optional<PrimaryStatus>();
    PrimaryStatus status;
    ASSIGN_OR_RETURN(status.id, rows[0].GetInt64("id"));
    ASSIGN_OR_RETURN(status.unit_id, rows[0].GetInt64("unit_id"));
    ASSIGN_OR_RETURN(int64_t state, rows[0].GetInt64("state"));
    status.state = static_cast<v1::InterpretationState>(state);
    return std::optional<PrimaryStatus>(status);
  }

  absl::StatusOr<v1::Interpretation> Update(const v1::Interpretation& interpretation,
                                            int64_t expected_version, absl::Time now) override {
    ASSIGN_OR_RETURN(std::vector<Value> values, UpdateValues(interpretation, now));
    values.emplace_back(expected_version);
    v1::Interpretation result;
    RETURN_IF_ERROR(db::RunInTransactionWithRetries(*pool_, [&](Connection& conn) -> absl::Status {
      ASSIGN_OR_RETURN(db::ExecResult r, conn.Execute(kUpdateSql, values));
      if (r.affected_rows == 0) return Conflict(conn, interpretation.id(), expected_version);
      ASSIGN_OR_RETURN(result, GetOn(conn, interpretation.id()));
      return absl::OkStatus();
    }));
    return result;
  }

  absl::StatusOr<v1::Interpretation> UpdateApproved(int64_t id, int64_t expected_version,
                                                    const ApprovalDecision& decide,
                                                    absl::Time now) override {
    v1::Interpretation result;
    RETURN_IF_ERROR(db::RunInTransactionWithRetries(*pool_, [&](Connection& conn) -> absl::Status {
      // Lock the row first: ApplyPublication locks the document's interpretations before
      // it releases them, so one of the two transactions sees the other's outcome.
      ASSIGN_OR_RETURN(db::ResultSet locked,
                       conn.Query("SELECT version, document_id FROM interpretations WHERE id = ? "
                                  "FOR UPDATE",
                                  {Value(id)}));
      if (locked.empty()) {
        return absl::NotFoundError(absl::StrCat("interpretation ", id, " not found"));
      }
      ASSIGN_OR_RETURN(int64_t version, locked[0].GetInt64("version"));
      if (version != expected_version) return Conflict(conn, id, expected_version);
      ASSIGN_OR_RETURN(int64_t document_id, locked[0].GetInt64("document_id"));
      ASSIGN_OR_RETURN(std::optional<Publication> publication, PublicationOn(conn, document_id));
      ASSIGN_OR_RETURN(ApprovalOutcome decided, decide(publication));
      ASSIGN_OR_RETURN(std::vector<Value> values, UpdateValues(decided.interpretation, now));
      values.emplace_back(expected_version);
      ASSIGN_OR_RETURN(db::ExecResult r, conn.Execute(kUpdateSql, values));
      if (r.affected_rows == 0) return Conflict(conn, id, expected_version);
      if (decided.message.has_value()) {
        // INT-3: the report to the catalog commits with the release, or neither does.
        outbox::OutboxEvent event;
        event.topic = decided.message->topic;
        event.destination = decided.message->destination;
        event.event_key = decided.message->event_key;
        event.ordering_key = decided.message->ordering_key;
        event.payload = decided.message->payload;
        RETURN_IF_ERROR(outbox::Enqueue(conn, event, now).status());
      }
      ASSIGN_OR_RETURN(result, GetOn(conn, id));
      return absl::OkStatus();
    }));
    return result;
  }

  absl::StatusOr<v1::Interpretation> AddRelease(int64_t interpretation_id,
                                                const v1::ReleaseRecord& release,
                                                const idempotency::Key* key,
                                                absl::Time now) override {
    v1::Interpretation result;
    ASSIGN_OR_RETURN(absl::CivilDay released_on, ToCivilDay(release.released_on()));
    RETURN_IF_ERROR(db::RunInTransactionWithRetries(*pool_, [&](Connection& conn) -> absl::Status {
      RETURN_IF_ERROR(
          conn.Execute(
                  "INSERT INTO interpretation_releases (interpretation_id, form, channel, "
                  "reference, released_on, recorded_by, record_time) VALUES (?, ?, ?, ?, ?, ?, ?)",
                  {Value(interpretation_id), Value(static_cast<int64_t>(release.form())),
                   Value(static_cast<int64_t>(release.channel())), Value(release.reference()),
                   Value(released_on), Value(release.recorded_by()), Value(now)})
              .status());
      ASSIGN_OR_RETURN(
          db::ExecResult r,
          conn.Execute("UPDATE interpretations SET version = version + 1, update_time = ? "
                       "WHERE id = ?",
                       {Value(now), Value(interpretation_id)}));
      if (r.affected_rows == 0) {
        return absl::NotFoundError(
            absl::StrCat("interpretation ", interpretation_id, " not found"));
      }
      ASSIGN_OR_RETURN(result, GetOn(conn, interpretation_id));
      return db::InsertIdempotencyRecord(conn, key, result.SerializeAsString(), now);
    }));
    return result;
  }

  absl::StatusOr<std::vector<v1::Interpretation>> List(const InterpretationFilter& filter,
                                                       int64_t before_id, int limit) override {
    std::string sql = absl::StrCat("SELECT ", kColumns, " FROM interpretations i WHERE 1=1");
    std::vector<Value> params;
    if (filter.document_id != 0) {
      absl::StrAppend(&sql, " AND i.document_id = ?");
      params.emplace_back(filter.document_id);
    }
    if (filter.unit_id != 0) {
      absl::StrAppend(&sql, " AND i.unit_id = ?");
      params.emplace_back(filter.unit_id);
    }
    if (filter.state != v1::INTERPRETATION_STATE_UNSPECIFIED) {
      absl::StrAppend(&sql, " AND i.state = ?");
      params.emplace_back(static_cast<int64_t>(filter.state));
    }
    if (filter.released_or_units) {
      absl::StrAppend(&sql, " AND (i.state = ?");
      params.emplace_back(static_cast<int64_t>(v1::RELEASED));
      for (int64_t unit : filter.readable_units) {
        absl::StrAppend(&sql, " OR i.unit_id = ?");
        params.emplace_back(unit);
      }
      absl::StrAppend(&sql, ")");
    }
    if (before_id > 0) {
      absl::StrAppend(&sql, " AND i.id < ?");
      params.emplace_back(before_id);
    }
    absl::StrAppend(&sql, " ORDER BY i.id DESC LIMIT ?");
    params.emplace_back(static_cast<int64_t>(limit));
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    ASSIGN_OR_RETURN(db::ResultSet rows, conn->Query(sql, params));
    std::vector<v1::Interpretation> result;
    for (const db::Row& row : rows) {
      ASSIGN_OR_RETURN(v1::Interpretation i, FromRow(row));
      result.push_back(std::move(i));
    }
    return result;
  }

  absl::StatusOr<AppliedPublication> ApplyPublication(const PublicationRelease& release) override {
    const Publication& p = release.publication;
    AppliedPublication applied;
    absl::Status status =
        db::RunInTransactionWithRetries(*pool_, [&](Connection& conn) -> absl::Status {
          applied = AppliedPublication{};
          // One row per document: a redelivered event fails on the primary key and the
          // transaction changes nothing.
          absl::Status inserted = InsertPublication(conn, p, release.now);
          if (absl::IsAlreadyExists(inserted)) {
            applied.already_applied = true;
            return absl::OkStatus();
          }
          RETURN_IF_ERROR(inserted);
          // Lock every interpretation of the document (see UpdateApproved), then release the
          // approved ones with the document's publication time (INT-3). Every one of them
          // learns the publication time; in the usual case (one approved interpretation)
          // that is the releasing UPDATE alone.
          ASSIGN_OR_RETURN(db::ResultSet locked,
                           conn.Query("SELECT id, state, document_publish_time IS NULL AS "
                                      "unstamped FROM interpretations WHERE document_id = ? "
                                      "ORDER BY id FOR UPDATE",
                                      {Value(p.document_id)}));
          bool others_unstamped = false;
          for (const db::Row& row : locked) {
            ASSIGN_OR_RETURN(int64_t state, row.GetInt64("state"));
            if (state != v1::APPROVED) {
              ASSIGN_OR_RETURN(bool unstamped, row.GetBool("unstamped"));
              others_unstamped = others_unstamped || unstamped;
              continue;
            }
            ASSIGN_OR_RETURN(int64_t id, row.GetInt64("id"));
            applied.released_ids.push_back(id);
          }
          if (!applied.released_ids.empty()) {
            RETURN_IF_ERROR(
                conn.Execute("UPDATE interpretations SET state = ?, release_time = ?, "
                             "document_publish_time = COALESCE(document_publish_time, ?), "
                             "release_lag_working_days = 0, late = 0, lag_rule = ?, "
                             "update_time = ?, version = version + 1 WHERE document_id = ? AND "
                             "state = ?",
                             {Value(static_cast<int64_t>(v1::RELEASED)), Value(p.publish_time),
                              Value(p.publish_time), Value(release.lag_rule), Value(release.now),
                              Value(p.document_id), Value(static_cast<int64_t>(v1::APPROVED))})
                    .status());
          }
          if (!others_unstamped) return absl::OkStatus();
          return conn
              .Execute(
                  "UPDATE interpretations SET document_publish_time = ? WHERE document_id = ? AND "
                  "document_publish_time IS NULL",
                  {Value(p.publish_time), Value(p.document_id)})
              .status();
        });
    if (!status.ok()) return status;
    return applied;
  }

  absl::StatusOr<std::vector<AppliedPublication>> ApplyPublications(
      const std::vector<PublicationRelease>& releases) override {
    std::vector<AppliedPublication> applied;
    RETURN_IF_ERROR(db::RunInTransactionWithRetries(*pool_, [&](Connection& conn) -> absl::Status {
      applied.assign(releases.size(), AppliedPublication{});
      if (releases.empty()) return absl::OkStatus();
      std::vector<Value> all_ids;
      for (const PublicationRelease& r : releases) all_ids.emplace_back(r.publication.document_id);
      // The publications recorded already (redeliveries). A plain read: a publication
      // committed meanwhile by another transaction makes the INSERT below fail on the
      // primary key, and the whole transaction runs again and sees it here.
      ASSIGN_OR_RETURN(
          db::ResultSet recorded,
          conn.Query(absl::StrCat("SELECT document_id FROM document_publications WHERE "
                                  "document_id IN (",
                                  Placeholders(all_ids.size()), ")"),
                     all_ids));
      std::set<int64_t> known;
      for (const db::Row& row : recorded) {
        ASSIGN_OR_RETURN(int64_t id, row.GetInt64(0));
        known.insert(id);
      }
      std::vector<size_t> fresh;  // Indexes of the publications applied now.
      std::map<int64_t, size_t> fresh_by_document;
      for (size_t i = 0; i < releases.size(); ++i) {
        const int64_t document_id = releases[i].publication.document_id;
        if (known.count(document_id) > 0 || fresh_by_document.count(document_id) > 0) {
          applied[i].already_applied = true;
          continue;
        }
        fresh_by_document[document_id] = i;
        fresh.push_back(i);
      }
      if (fresh.empty()) return absl::OkStatus();
      std::vector<Value> values;
      std::vector<Value> fresh_ids;
      std::string rows;
      for (size_t i : fresh) {
        const Publication& p = releases[i].publication;
        absl::StrAppend(&rows, rows.empty() ? "" : ", ", "(?, ?, ?, ?, ?, ?, ?)");
        for (Value& v : std::vector<Value>{Value(p.document_id), Value(p.unit_id),
                                           Value(static_cast<int64_t>(p.issuing_authority)),
                                           Value(p.document_title), Value(p.publish_time),
                                           Value(p.event_id), Value(releases[i].now)}) {
          values.push_back(std::move(v));
        }
        fresh_ids.emplace_back(p.document_id);
      }
      absl::Status inserted =
          conn.Execute(absl::StrCat("INSERT INTO document_publications (document_id, unit_id, "
                                    "issuing_authority, document_title, publish_time, event_id, "
                                    "receive_time) VALUES ",
                                    rows),
                       values)
              .status();
      if (absl::IsAlreadyExists(inserted)) {
        return absl::AbortedError("a publication was recorded concurrently; applying again");
      }
      RETURN_IF_ERROR(inserted);
      // Lock the documents' interpretations (see UpdateApproved) and release the approved
      // ones with their document's publication time (INT-3), one UPDATE per lag rule.
      const std::string fresh_list = Placeholders(fresh_ids.size());
      ASSIGN_OR_RETURN(
          db::ResultSet locked,
          conn.Query(absl::StrCat("SELECT id, document_id, state, document_publish_time IS NULL "
                                  "AS unstamped FROM interpretations WHERE document_id IN (",
                                  fresh_list, ") ORDER BY id FOR UPDATE"),
                     fresh_ids));
      bool others_unstamped = false;
      std::map<std::string, std::vector<Value>> released_by_rule;
      std::set<int64_t> releasing_documents;
      for (const db::Row& row : locked) {
        ASSIGN_OR_RETURN(int64_t id, row.GetInt64("id"));
        ASSIGN_OR_RETURN(int64_t document_id, row.GetInt64("document_id"));
        ASSIGN_OR_RETURN(int64_t state, row.GetInt64("state"));
        if (state != v1::APPROVED) {
          ASSIGN_OR_RETURN(bool unstamped, row.GetBool("unstamped"));
          others_unstamped = others_unstamped || unstamped;
          continue;
        }
        const size_t i = fresh_by_document.at(document_id);
        applied[i].released_ids.push_back(id);
        if (releasing_documents.insert(document_id).second) {
          released_by_rule[releases[i].lag_rule].emplace_back(document_id);
        }
      }
      const absl::Time now = releases[fresh.front()].now;
      for (auto& [lag_rule, documents] : released_by_rule) {
        std::vector<Value> params = {Value(static_cast<int64_t>(v1::RELEASED)), Value(lag_rule),
                                     Value(now)};
        for (Value& id : documents) params.push_back(std::move(id));
        params.emplace_back(static_cast<int64_t>(v1::APPROVED));
        RETURN_IF_ERROR(
            conn.Execute(
                    absl::StrCat(
                        "UPDATE interpretations i JOIN document_publications p ON p.document_id "
                        "= i.document_id SET i.state = ?, i.release_time = p.publish_time, "
                        "i.document_publish_time = COALESCE(i.document_publish_time, "
                        "p.publish_time), i.release_lag_working_days = 0, i.late = 0, "
                        "i.lag_rule = ?, i.update_time = ?, i.version = i.version + 1 WHERE "
                        "i.document_id IN (",
                        Placeholders(params.size() - 4), ") AND i.state = ?"),
                    params)
                .status());
      }
      if (!others_unstamped) return absl::OkStatus();
      return conn
          .Execute(absl::StrCat("UPDATE interpretations i JOIN document_publications p ON "
                                "p.document_id = i.document_id SET i.document_publish_time = "
                                "p.publish_time WHERE i.document_id IN (",
                                fresh_list, ") AND i.document_publish_time IS NULL"),
                   fresh_ids)
          .status();
    }));
    return applied;
  }

  absl::StatusOr<std::optional<Publication>> FindPublication(int64_t document_id) override {
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    return PublicationOn(*conn, document_id);
  }

  absl::Status RecordPublication(const Publication& p, absl::Time now) override {
    return db::RunInTransactionWithRetries(*pool_, [&](Connection& conn) -> absl::Status {
      // The document's row is the key: the catalog's event arriving meanwhile (or later)
      // finds it and changes nothing, and this finds the event's row the same way.
      absl::Status inserted = InsertPublication(conn, p, now);
      if (absl::IsAlreadyExists(inserted)) return absl::OkStatus();
      RETURN_IF_ERROR(inserted);
      return conn
          .Execute(
              "UPDATE interpretations SET document_publish_time = ? WHERE document_id = ? AND "
              "document_publish_time IS NULL",
              {Value(p.publish_time), Value(p.document_id)})
          .status();
    });
  }

  absl::StatusOr<std::vector<ApprovedPrimary>> ListApprovedPrimaries(int64_t after_id,
                                                                     int limit) override {
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    ASSIGN_OR_RETURN(db::ResultSet rows,
                     conn->Query("SELECT id, document_id, version FROM interpretations WHERE "
                                 "state = ? AND kind = ? AND id > ? ORDER BY id LIMIT ?",
                                 {Value(static_cast<int64_t>(v1::APPROVED)),
                                  Value(static_cast<int64_t>(v1::PRIMARY)), Value(after_id),
                                  Value(static_cast<int64_t>(limit))}));
    std::vector<ApprovedPrimary> result;
    for (const db::Row& row : rows) {
      ApprovedPrimary approved;
      ASSIGN_OR_RETURN(approved.id, row.GetInt64("id"));
      ASSIGN_OR_RETURN(approved.document_id, row.GetInt64("document_id"));
      ASSIGN_OR_RETURN(approved.version, row.GetInt64("version"));
      result.push_back(approved);
    }
    return result;
  }

  absl::StatusOr<std::vector<PublicationWithInterpretation>> ListPublications(
      int64_t unit_id, int64_t before_document_id, int limit) override {
    std::string sql = absl::StrCat("SELECT ", kPublicationColumns, ", ", kColumns,
                                   " FROM document_publications p LEFT JOIN interpretations i ON "
                                   "i.primary_document_id = p.document_id WHERE 1=1");
    std::vector<Value> params;
    if (unit_id != 0) {
      absl::StrAppend(&sql, " AND p.unit_id = ?");
      params.emplace_back(unit_id);
    }
    if (before_document_id > 0) {
      absl::StrAppend(&sql, " AND p.document_id < ?");
      params.emplace_back(before_document_id);
    }
    absl::StrAppend(&sql, " ORDER BY p.document_id DESC LIMIT ?");
    params.emplace_back(static_cast<int64_t>(limit));
    return QueryPublications(sql, params);
  }

  absl::StatusOr<std::vector<PublicationWithInterpretation>> PublicationsInPeriod(
      int64_t unit_id, absl::Time start, absl::Time end) override {
    return QueryPublications(
        absl::StrCat("SELECT ", kPublicationColumns, ", ", kColumns,
                     " FROM document_publications p LEFT JOIN interpretations i ON "
                     "i.primary_document_id = p.document_id WHERE p.unit_id = ? AND "
                     "p.publish_time >= ? AND p.publish_time < ? ORDER BY p.document_id"),
        {Value(unit_id), Value(start), Value(end)});
  }

  absl::StatusOr<std::map<v1::InterpretationState, int64_t>> CountByState() override {
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    ASSIGN_OR_RETURN(
        db::ResultSet rows,
        conn->Query("SELECT state, COUNT(*) AS n FROM interpretations GROUP BY state"));
    std::map<v1::InterpretationState, int64_t> counts;
    for (const db::Row& row : rows) {
      ASSIGN_OR_RETURN(int64_t state, row.GetInt64("state"));
      ASSIGN_OR_RETURN(int64_t n, row.GetInt64("n"));
      counts[static_cast<v1::InterpretationState>(state)] = n;
    }
    return counts;
  }

  absl::StatusOr<std::optional<std::string>> FindIdempotentResponse(
      const idempotency::Key& key) override {
    return db::FindIdempotentResponse(*pool_, key);
  }

 private:
  absl::StatusOr<v1::Interpretation> GetOn(Connection& conn, int64_t id) {
    ASSIGN_OR_RETURN(
        db::ResultSet rows,
        conn.Query(absl::StrCat("SELECT ", kColumns, " FROM interpretations i WHERE i.id = ?"),
                   {Value(id)}));
    if (rows.empty()) return absl::NotFoundError(absl::StrCat("interpretation ", id, " not found"));
    ASSIGN_OR_RETURN(v1::Interpretation i, FromRow(rows[0]));
    ASSIGN_OR_RETURN(db::ResultSet releases,
                     conn.Query("SELECT id, form, channel, reference, released_on, recorded_by, "
                                "record_time FROM interpretation_releases WHERE "
                                "interpretation_id = ? ORDER BY id",
                                {Value(id)}));
    for (const db::Row& row : releases) {
      ASSIGN_OR_RETURN(*i.add_releases(), ReleaseFromRow(row));
    }
    return i;
  }

  absl::StatusOr<std::optional<Publication>> PublicationOn(Connection& conn, int64_t document_id) {
    ASSIGN_OR_RETURN(db::ResultSet rows,
                     conn.Query(absl::StrCat("SELECT ", kPublicationColumns,
                                             " FROM document_publications p WHERE "
                                             "p.document_id = ?"),
                                {Value(document_id)}));
    if (rows.empty()) return std::optional<Publication>();
    ASSIGN_OR_RETURN(Publication p, PublicationFromRow(rows[0]));
    return std::optional<Publication>(std::move(p));
  }

  absl::StatusOr<std::vector<PublicationWithInterpretation>> QueryPublications(
      const std::string& sql, const std::vector<Value>& params) {
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    ASSIGN_OR_RETURN(db::ResultSet rows, conn->Query(sql, params));
    std::vector<PublicationWithInterpretation> result;
    for (const db::Row& row : rows) {
      PublicationWithInterpretation entry;
      ASSIGN_OR_RETURN(entry.publication, PublicationFromRow(row));
      ASSIGN_OR_RETURN(bool no_interpretation, row.IsNull("id"));
      if (!no_interpretation) {
        ASSIGN_OR_RETURN(v1::Interpretation i, FromRow(row));
        entry.primary = std::move(i);
      }
      result.push_back(std::move(entry));
    }
    return result;
  }

  // After an optimistic update touched no row: NOT_FOUND or ABORTED.
  static absl::Status Conflict(Connection& conn, int64_t id, int64_t expected_version) {
    ASSIGN_OR_RETURN(db::ResultSet rows,
                     conn.Query("SELECT version FROM interpretations WHERE id = ?", {Value(id)}));
    if (rows.empty()) return absl::NotFoundError(absl::StrCat("interpretation ", id, " not found"));
    ASSIGN_OR_RETURN(int64_t version, rows[0].GetInt64(0));
    return db::StaleVersionError(absl::StrCat("interpretation ", id, " is at version ", version,
                                              ", not ", expected_version,
                                              "; it changed concurrently, reload and retry"));
  }

  db::ConnectionPool* pool_;
};

}  // namespace

std::unique_ptr<InterpretationRepository> NewMysqlInterpretationRepository(
    db::ConnectionPool* pool) {
  return std::make_unique<MysqlInterpretationRepository>(pool);
}

}  // namespace gongkai::interpretation
