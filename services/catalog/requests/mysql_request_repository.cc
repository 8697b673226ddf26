#include "services/catalog/requests/mysql_request_repository.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "libs/db/idempotency.h"
#include "libs/db/map_rows.h"
#include "libs/db/transaction.h"
#include "libs/protoconv/protoconv.h"
#include "libs/status/status_macros.h"
#include "libs/validation/validation.h"
#include "services/catalog/mysql_id_sample.h"
#include "services/catalog/mysql_keyset.h"

namespace gongkai::catalog::requests {
namespace {

using db::Connection;
using db::InsertIdempotencyRecord;
using db::MapRows;
using db::Row;
using db::Value;

// States in which the reply clock runs (not answered, not awaiting correction).
constexpr int kRunningStates[] = {v1::REQUEST_RECEIVED, v1::REQUEST_CORRECTED, v1::REQUEST_ASSIGNED,
                                  v1::REQUEST_IN_CONSULTATION};
constexpr char kRunningStatesSql[] = "state IN (?, ?, ?, ?)";

std::optional<absl::CivilDay> OptDay(const common::v1::Date& d) {
  if (d.year() == 0) return std::nullopt;
  return absl::CivilDay(d.year(), d.month(), d.day());
}

std::optional<int64_t> OptId(int64_t id) {
  if (id == 0) return std::nullopt;
  return id;
}

// Columns every request write sets, in one order for INSERT and UPDATE.
constexpr const char* kWritableColumns[] = {"unit_id",
                                            "applicant_type",
                                            "applicant_name",
                                            "applicant_contact",
                                            "channel",
                                            "state",
                                            "subject",
                                            "description",
                                            "received_on",
                                            "clock_start_on",
                                            "correction_due_on",
                                            "correction_notice_on",
                                            "correction_notice_text",
                                            "corrected_on",
                                            "consultation_third_party",
                                            "consultation_started_on",
                                            "consultation_due_on",
                                            "consultation_ended_on",
                                            "paused_working_days",
                                            "extension_working_days",
                                            "extension_approver",
                                            "extension_reason",
                                            "extended_on",
                                            "reply_due_on",
                                            "reply_deadline",
                                            "calendar_versions",
                                            "outcome",
                                            "outcome_reason",
                                            "answered_on",
                                            "answered_by",
                                            "on_the_spot",
                                            "already_public_document_id",
                                            "holder_name",
                                            "fee_method",
                                            "fee_pages",
                                            "fee_fen",
                                            "fee_explanation",
                                            "already_public_reference",
                                            "governing_law",
                                            "extension_notice_text",
                                            "extension_notice_on",
                                            "extension_notice_channel",
                                            "update_time"};

std::vector<Value> WritableValues(const v1::DisclosureRequest& r, absl::Time now) {
  std::optional<std::string> reply_blob;
  std::string versions;
  if (r.has_reply_deadline()) {
    reply_blob = r.reply_deadline().SerializeAsString();
    versions = CalendarVersionsKey(FromProto(r.reply_deadline()).calendars);
  }
  return {Value(r.unit_id()),
          Value(static_cast<int>(r.applicant_type())),
          Value(r.applicant_name()),
          Value(r.applicant_contact()),
          Value(static_cast<int>(r.channel())),
          Value(static_cast<int>(r.state())),
          Value(r.subject()),
          Value(r.description()),
          Value(OptDay(r.received_on())),
          Value(OptDay(r.clock_start_on())),
          Value(OptDay(r.correction_deadline().due())),
          Value(OptDay(r.correction_notice_on())),
          Value(r.correction_notice_text()),
          Value(OptDay(r.corrected_on())),
          Value(r.consultation_third_party()),
          Value(OptDay(r.consultation_started_on())),
          Value(OptDay(r.consultation_deadline().due())),
          Value(OptDay(r.consultation_ended_on())),
          Value(r.paused_working_days()),
          Value(r.extension_working_days()),
          Value(r.extension_approver()),
          Value(r.extension_reason()),
          Value(OptDay(r.extended_on())),
          Value(OptDay(r.reply_deadline().due())),
          Value(reply_blob),
          Value(versions),
          Value(r.outcome() == v1::REQUEST_OUTCOME_UNSPECIFIED
                    ? std::nullopt
                    : std::optional<int>(static_cast<int>(r.outcome()))),
          Value(r.outcome_reason()),
          Value(OptDay(r.answered_on())),
          Value(r.answered_by()),
          Value(r.on_the_spot()),
          Value(OptId(r.already_public_document_id())),
          Value(r.holder_name()),
          Value(static_cast<int>(r.fee_method())),
          Value(r.fee_pages()),
          Value(r.fee_fen()),
          Value(r.fee_explanation()),
          Value(r.already_public_reference()),
          Value(r.governing_law()),
          Value(r.extension_notice_text()),
          Value(OptDay(r.extension_notice_on())),
          Value(static_cast<int>(r.extension_notice_channel())),
          Value(now)};
}

constexpr char kSelectColumns[] =
    "id, tracking_code, unit_id, applicant_type, applicant_name, applicant_contact, channel, "
    "state, subject, description, received_on, clock_start_on, correction_notice_on, "
    "correction_notice_text, corrected_on, consultation_third_party, consultation_started_on, "
    "consultation_ended_on, paused_working_days, extension_working_days, extension_approver, "
    "extension_reason, extended_on, reply_deadline, outcome, outcome_reason, answered_on, "
    "answered_by, on_the_spot, already_public_document_id, holder_name, fee_method, fee_pages, "
    "fee_fen, fee_explanation, already_public_reference, governing_law, extension_notice_text, "
    "extension_notice_on, extension_notice_channel, created_by, create_time, update_time, version";

// Sets a date field from a DATE column; a NULL leaves the field unset. `field` returns
// the mutable field (called only when there is a value, so NULL adds no empty message).
template <typename FieldFn>
absl::Status SetDate(const Row& row, absl::string_view column, FieldFn field) {
  ASSIGN_OR_RETURN(std::optional<absl::CivilDay> day, row.GetOptionalCivilDay(column));
  if (day.has_value()) *field() = ToProtoDate(*day);
  return absl::OkStatus();
}

absl::StatusOr<v1::DisclosureRequest> RequestFromRow(const Row& row) {
  v1::DisclosureRequest r;
  ASSIGN_OR_RETURN(int64_t id, row.GetInt64("id"));
  r.set_id(id);
  ASSIGN_OR_RETURN(std::string code, row.GetString("tracking_code"));
  r.set_tracking_code(std::move(code));
  ASSIGN_OR_RETURN(int64_t unit, row.GetInt64("unit_id"));
  r.set_unit_id(unit);
  ASSIGN_OR_RETURN(int64_t type, row.GetInt64("applicant_type"));
  r.set_applicant_type(static_cast<v1::ApplicantType>(type));
  ASSIGN_OR_RETURN(std::string name, row.GetString("applicant_name"));
  r.set_applicant_name(std::move(name));
  ASSIGN_OR_RETURN(std::string contact, row.GetString("applicant_contact"));
  r.set_applicant_contact(std::move(contact));
  ASSIGN_OR_RETURN(int64_t channel, row.GetInt64("channel"));
  r.set_channel(static_cast<v1::RequestChannel>(channel));
  ASSIGN_OR_RETURN(int64_t state, row.GetInt64("state"));
  r.set_state(static_cast<v1::DisclosureRequestState>(state));
  ASSIGN_OR_RETURN(std::string subject, row.GetString("subject"));
  r.set_subject(std::move(subject));
  ASSIGN_OR_RETURN(std::string description, row.GetString("description"));
  r.set_description(std::move(description));
  RETURN_IF_ERROR(SetDate(row, "received_on", [&] { return r.mutable_received_on(); }));
  RETURN_IF_ERROR(SetDate(row, "clock_start_on", [&] { return r.mutable_clock_start_on(); }));
  RETURN_IF_ERROR(
      SetDate(row, "correction_notice_on", [&] { return r.mutable_correction_notice_on(); }));
  ASSIGN_OR_RETURN(std::string notice, row.GetString("correction_notice_text"));
  r.set_correction_notice_text(std::move(notice));
  RETURN_IF_ERROR(SetDate(row, "corrected_on", [&] { return r.mutable_corrected_on(); }));
  ASSIGN_OR_RETURN(std::string third_party, row.GetString("consultation_third_party"));
  r.set_consultation_third_party(std::move(third_party));
  RETURN_IF_ERROR(
      SetDate(row, "consultation_started_on", [&] { return r.mutable_consultation_started_on(); }));
  RETURN_IF_ERROR(
      SetDate(row, "consultation_ended_on", [&] { return r.mutable_consultation_ended_on(); }));
  ASSIGN_OR_RETURN(int64_t paused, row.GetInt64("paused_working_days"));
  r.set_paused_working_days(static_cast<int32_t>(paused));
  ASSIGN_OR_RETURN(int64_t extension, row.GetInt64("extension_working_days"));
  r.set_extension_working_days(static_cast<int32_t>(extension));
  ASSIGN_OR_RETURN(std::string approver, row.GetString("extension_approver"));
  r.set_extension_approver(std::move(approver));
  ASSIGN_OR_RETURN(std::string extension_reason, row.GetString("extension_reason"));
  r.set_extension_reason(std::move(extension_reason));
  RETURN_IF_ERROR(SetDate(row, "extended_on", [&] { return r.mutable_extended_on(); }));
  ASSIGN_OR_RETURN(std::optional<std::string> reply, row.GetOptionalString("reply_deadline"));
  if (reply.has_value() && !reply->empty() &&
      !r.mutable_reply_deadline()->ParseFromString(*reply)) {
    return absl::InternalError(
        absl::StrCat("request ", id, ": stored reply deadline is unreadable"));
  }
  ASSIGN_OR_RETURN(std::optional<int64_t> outcome, row.GetOptionalInt64("outcome"));
  r.set_outcome(static_cast<v1::RequestOutcome>(outcome.value_or(0)));
  ASSIGN_OR_RETURN(std::string outcome_reason, row.GetString("outcome_reason"));
  r.set_outcome_reason(std::move(outcome_reason));
  RETURN_IF_ERROR(SetDate(row, "answered_on", [&] { return r.mutable_answered_on(); }));
  ASSIGN_OR_RETURN(std::string answered_by, row.GetString("answered_by"));
  r.set_answered_by(std::move(answered_by));
  ASSIGN_OR_RETURN(bool on_the_spot, row.GetBool("on_the_spot"));
  r.set_on_the_spot(on_the_spot);
  ASSIGN_OR_RETURN(std::optional<int64_t> document,
                   row.GetOptionalInt64("already_public_document_id"));
  r.set_already_public_document_id(document.value_or(0));
  ASSIGN_OR_RETURN(std::string holder, row.GetString("holder_name"));
  r.set_holder_name(std::move(holder));
  ASSIGN_OR_RETURN(std::string reference, row.GetString("already_public_reference"));
  r.set_already_public_reference(std::move(reference));
  ASSIGN_OR_RETURN(std::string law, row.GetString("governing_law"));
  r.set_governing_law(std::move(law));
  ASSIGN_OR_RETURN(std::optional<std::string> extension_notice,
                   row.GetOptionalString("extension_notice_text"));
  r.set_extension_notice_text(extension_notice.value_or(""));
  RETURN_IF_ERROR(
      SetDate(row, "extension_notice_on", [&] { return r.mutable_extension_notice_on(); }));
  ASSIGN_OR_RETURN(int64_t notice_channel, row.GetInt64("extension_notice_channel"));
  r.set_extension_notice_channel(static_cast<v1::RequestChannel>(notice_channel));
  ASSIGN_OR_RETURN(int64_t fee_method, row.GetInt64("fee_method"));
  r.set_fee_method(static_cast<v1::FeeMethod>(fee_method));
  ASSIGN_OR_RETURN(int64_t fee_pages, row.GetInt64("fee_pages"));
  r.set_fee_pages(static_cast<int32_t>(fee_pages));
  ASSIGN_OR_RETURN(int64_t fee_fen, row.GetInt64("fee_fen"));
  r.set_fee_fen(fee_fen);
  ASSIGN_OR_RETURN(std::string fee_explanation, row.GetString("fee_explanation"));
  r.set_fee_explanation(std::move(fee_explanation));
  ASSIGN_OR_RETURN(std::string created_by, row.GetString("created_by"));
  r.set_created_by(std::move(created_by));
  ASSIGN_OR_RETURN(absl::Time created, row.GetTime("create_time"));
  *r.mutable_create_time() = ToTimestamp(created);
  ASSIGN_OR_RETURN(absl::Time updated, row.GetTime("update_time"));
  *r.mutable_update_time() = ToTimestamp(updated);
  ASSIGN_OR_RETURN(int64_t version, row.GetInt64("version"));
  r.set_version(version);
  return r;
}

constexpr char kChallengeColumns[] =
    "id, request_id, unit_id, kind, result, filed_on, decided_on, case_number, note, "
    "created_by, create_time, update_time";

absl::StatusOr<v1::DisclosureChallenge> ChallengeFromRow(const Row& row) {
  v1::DisclosureChallenge c;
  ASSIGN_OR_RETURN(int64_t id, row.GetInt64("id"));
  c.set_id(id);
  ASSIGN_OR_RETURN(int64_t request_id, row.GetInt64("request_id"));
  c.set_disclosure_request_id(request_id);
  ASSIGN_OR_RETURN(int64_t unit, row.GetInt64("unit_id"));
  c.set_unit_id(unit);
  ASSIGN_OR_RETURN(int64_t kind, row.GetInt64("kind"));
  c.set_kind(static_cast<v1::ChallengeKind>(kind));
  ASSIGN_OR_RETURN(int64_t result, row.GetInt64("result"));
  c.set_result(static_cast<v1::ChallengeResult>(result));
  RETURN_IF_ERROR(SetDate(row, "filed_on", [&] { return c.mutable_filed_on(); }));
  RETURN_IF_ERROR(SetDate(row, "decided_on", [&] { return c.mutable_decided_on(); }));
  ASSIGN_OR_RETURN(std::string case_number, row.GetString("case_number"));
  c.set_case_number(std::move(case_number));
  ASSIGN_OR_RETURN(std::string note, row.GetString("note"));
  c.set_note(std::move(note));
  ASSIGN_OR_RETURN(std::string created_by, row.GetString("created_by"));
  c.set_created_by(std::move(created_by));
  ASSIGN_OR_RETURN(absl::Time created, row.GetTime("create_time"));
  *c.mutable_create_time() = ToTimestamp(created);
  ASSIGN_OR_RETURN(absl::Time updated, row.GetTime("update_time"));
  *c.mutable_update_time() = ToTimestamp(updated);
  return c;
}

absl::StatusOr<v1::DisclosureRequestEvent> EventFromRow(const Row& row) {
  v1::DisclosureRequestEvent e;
  ASSIGN_OR_RETURN(int64_t id, row.GetInt64("id"));
  e.set_id(id);
  ASSIGN_OR_RETURN(std::string actor, row.GetString("actor"));
  e.set_actor(std::move(actor));
  ASSIGN_OR_RETURN(std::string action, row.GetString("action"));
  e.set_action(std::move(action));
  ASSIGN_OR_RETURN(int64_t old_state, row.GetInt64("old_state"));
  e.set_old_state(static_cast<v1::DisclosureRequestState>(old_state));
  ASSIGN_OR_RETURN(int64_t new_state, row.GetInt64("new_state"));
  e.set_new_state(static_cast<v1::DisclosureRequestState>(new_state));
  RETURN_IF_ERROR(SetDate(row, "event_on", [&] { return e.mutable_event_on(); }));
  ASSIGN_OR_RETURN(std::string detail, row.GetString("detail"));
  e.set_detail(std::move(detail));
  ASSIGN_OR_RETURN(absl::Time time, row.GetTime("create_time"));
  *e.mutable_time() = ToTimestamp(time);
  return e;
}

// Why a version-checked UPDATE of request `id` changed no row: NOT_FOUND, or ABORTED
// naming the version it is at now.
absl::Status MissingOrStale(Connection& conn, int64_t id, int64_t expected_version) {
  ASSIGN_OR_RETURN(db::ResultSet rows,
                   conn.Query("SELECT version FROM disclosure_requests WHERE id = ?", {Value(id)}));
  if (rows.empty()) {
    return absl::NotFoundError(absl::StrCat("disclosure request ", id, " not found"));
  }
  ASSIGN_OR_RETURN(int64_t version, rows[0].GetInt64(0));
  return db::StaleVersionError(absl::StrCat("disclosure request ", id, " is at version ", version,
                                            ", not ", expected_version,
                                            "; it changed concurrently, reload and retry"));
}

absl::Status InsertEvent(Connection& conn, int64_t request_id, const RequestEvent& e) {
  return conn
      .Execute(
          "INSERT INTO disclosure_request_history (request_id, actor, action, old_state, "
          "new_state, event_on, detail, create_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
          {Value(request_id), Value(e.actor), Value(e.action), Value(static_cast<int>(e.old_state)),
           Value(static_cast<int>(e.new_state)), Value(e.event_on),
           Value(validation::TruncateUtf8(e.detail, 2000)), Value(e.time)})
      .status();
}

void AddRunningStates(std::vector<Value>& params) {
  for (int s : kRunningStates) params.emplace_back(s);
}

class MysqlRequestRepository final : public RequestRepository {
 public:
  explicit MysqlRequestRepository(db::ConnectionPool* pool) : pool_(pool) {}

  absl::StatusOr<std::optional<std::string>> FindIdempotentResponse(
      const IdempotencyKey& key) override {
    return db::FindIdempotentResponse(*pool_, key);
  }

  absl::StatusOr<v1::DisclosureRequest> CreateRequest(const v1::DisclosureRequest& request,
                                                      const RequestSecrets& secrets,
                                                      const RequestEvent& event,
                                                      const IdempotencyKey* key) override {
    v1::DisclosureRequest created = request;
    *created.mutable_create_time() = ToTimestamp(event.time);
    *created.mutable_update_time() = ToTimestamp(event.time);
    created.set_version(1);
    static const std::string* sql = [] {
      std::string marks;
      for (size_t i = 0; i < std::size(kWritableColumns); ++i) marks += "?, ";
      return new std::string(absl::StrCat(
          "INSERT INTO disclosure_requests (", absl::StrJoin(kWritableColumns, ", "),
          ", tracking_code, secret_sha256, applicant_key, created_by, create_time, version) "
          "VALUES (",
          marks, "?, ?, ?, ?, ?, 1)"));
    }();
    std::vector<Value> values = WritableValues(request, event.time);
    values.emplace_back(request.tracking_code());
    values.emplace_back(secrets.secret_sha256);
    values.emplace_back(secrets.applicant_key);
    values.emplace_back(request.created_by());
    values.emplace_back(event.time);
    RETURN_IF_ERROR(Write([&](Connection& conn) -> absl::Status {
      ASSIGN_OR_RETURN(db::ExecResult r, conn.ExecuteInsert(*sql, values));
      created.set_id(static_cast<int64_t>(r.last_insert_id));
      RETURN_IF_ERROR(InsertEvent(conn, created.id(), event));
      return InsertIdempotencyRecord(conn, key, created.SerializeAsString(), event.time);
    }));
    return created;
  }

  absl::StatusOr<v1::DisclosureRequest> GetRequest(int64_t id) override {
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    ASSIGN_OR_RETURN(db::ResultSet rows,
                     conn->Query(absl::StrCat("SELECT ", kSelectColumns,
                                              " FROM disclosure_requests WHERE id = ?"),
                                 {Value(id)}));
    if (rows.empty()) {
      return absl::NotFoundError(absl::StrCat("disclosure request ", id, " not found"));
    }
    return RequestFromRow(rows[0]);
  }

  absl::StatusOr<Tracked> FindByTrackingCode(const std::string& tracking_code) override {
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    ASSIGN_OR_RETURN(db::ResultSet rows,
                     conn->Query(absl::StrCat("SELECT ", kSelectColumns,
                                              ", secret_sha256 FROM disclosure_requests WHERE "
                                              "tracking_code = ?"),
                                 {Value(tracking_code)}));
    if (rows.empty()) return absl::NotFoundError("no request has this tracking code");
    Tracked tracked;
    ASSIGN_OR_RETURN(tracked.request, RequestFromRow(rows[0]));
    ASSIGN_OR_RETURN(tracked.secret_sha256, rows[0].GetString("secret_sha256"));
    return tracked;
  }

  absl::StatusOr<v1::DisclosureRequest> UpdateRequest(const v1::DisclosureRequest& request,
                                                      int64_t expected_version,
                                                      const RequestEvent& event) override {
    static const std::string* sql = [] {
      return new std::string(absl::StrCat(
          "UPDATE disclosure_requests SET ",
          absl::StrJoin(kWritableColumns, ", ",
                        [](std::string* out, const char* c) { absl::StrAppend(out, c, " = ?"); }),
          ", version = version + 1 WHERE id = ? AND version = ?"));
    }();
    std::vector<Value> values = WritableValues(request, event.time);
    values.emplace_back(request.id());
    values.emplace_back(expected_version);
    v1::DisclosureRequest stored = request;
    stored.set_version(expected_version + 1);
    *stored.mutable_update_time() = ToTimestamp(event.time);
    RETURN_IF_ERROR(Write([&](Connection& conn) -> absl::Status {
      ASSIGN_OR_RETURN(db::ExecResult r, conn.Execute(*sql, values));
      if (r.affected_rows == 0) return MissingOrStale(conn, request.id(), expected_version);
      return InsertEvent(conn, request.id(), event);
    }));
    return stored;
  }

  absl::StatusOr<int64_t> ReplaceTrackingSecret(int64_t id, int64_t expected_version,
                                                const std::string& secret_sha256,
                                                const RequestEvent& event) override {
    RETURN_IF_ERROR(Write([&](Connection& conn) -> absl::Status {
      ASSIGN_OR_RETURN(db::ExecResult r,
                       conn.Execute("UPDATE disclosure_requests SET secret_sha256 = ?, "
                                    "update_time = ?, version = version + 1 "
                                    "WHERE id = ? AND version = ?",
                                    {Value(secret_sha256), Value(event.time), Value(id),
                                     Value(expected_version)}));
      if (r.affected_rows == 0) return MissingOrStale(conn, id, expected_version);
      return InsertEvent(conn, id, event);
    }));
    return expected_version + 1;
  }

  absl::StatusOr<bool> RefreshClocks(const v1::DisclosureRequest& request) override {
    std::optional<std::string> reply_blob;
    std::string versions;
    if (request.has_reply_deadline()) {
      reply_blob = request.reply_deadline().SerializeAsString();
      versions = CalendarVersionsKey(FromProto(request.reply_deadline()).calendars);
    }
    // MySQL counts changed rows: an UPDATE that sets what is already there counts 0.
    bool written = false;
    RETURN_IF_ERROR(Write([&](Connection& conn) -> absl::Status {
      ASSIGN_OR_RETURN(
          db::ExecResult r,
          conn.Execute("UPDATE disclosure_requests SET correction_due_on = ?, "
                       "consultation_due_on = ?, reply_due_on = ?, reply_deadline = ?, "
                       "calendar_versions = ? WHERE id = ? AND version = ?",
                       {Value(OptDay(request.correction_deadline().due())),
                        Value(OptDay(request.consultation_deadline().due())),
                        Value(OptDay(request.reply_deadline().due())), Value(reply_blob),
                        Value(versions), Value(request.id()), Value(request.version())}));
      written = r.affected_rows > 0;
      return absl::OkStatus();
    }));
    return written;
  }

  absl::StatusOr<std::vector<v1::DisclosureRequest>> ListRequests(const RequestFilter& f,
                                                                  const KeysetPage& page) override {
    std::string sql =
        absl::StrCat("SELECT ", kSelectColumns, " FROM disclosure_requests WHERE 1=1");
    std::vector<Value> params;
    auto add = [&](absl::string_view clause, Value value) {
      absl::StrAppend(&sql, " AND ", clause);
      params.push_back(std::move(value));
    };
    if (f.unit_id != 0) add("unit_id = ?", Value(f.unit_id));
    if (f.state != v1::DISCLOSURE_REQUEST_STATE_UNSPECIFIED) {
      add("state = ?", Value(static_cast<int>(f.state)));
    }
    if (f.applicant_type != v1::APPLICANT_TYPE_UNSPECIFIED) {
      add("applicant_type = ?", Value(static_cast<int>(f.applicant_type)));
    }
    if (f.received_from) add("received_on >= ?", Value(*f.received_from));
    if (f.received_to) add("received_on <= ?", Value(*f.received_to));
    if (f.reply_due_by) {
      absl::StrAppend(&sql, " AND ", kRunningStatesSql);
      AddRunningStates(params);
      add("reply_due_on <= ?", Value(*f.reply_due_by));
    }
    if (page.after_id > 0) add("id < ?", Value(page.after_id));
    absl::StrAppend(&sql, " ORDER BY id DESC LIMIT ", std::max(1, page.limit));
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    ASSIGN_OR_RETURN(db::ResultSet rows, conn->Query(sql, params));
    return MapRows<v1::DisclosureRequest>(rows, RequestFromRow);
  }

  absl::StatusOr<std::vector<v1::DisclosureRequestEvent>> ListHistory(int64_t request_id) override {
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    ASSIGN_OR_RETURN(
        db::ResultSet rows,
        conn->Query("SELECT id, actor, action, old_state, new_state, event_on, detail, "
                    "create_time FROM disclosure_request_history WHERE request_id = ? ORDER BY id",
                    {Value(request_id)}));
    return MapRows<v1::DisclosureRequestEvent>(rows, EventFromRow);
  }

  absl::StatusOr<std::vector<v1::DisclosureRequestEvent>> ListHistoryPage(
      int64_t request_id, const KeysetPage& page) override {
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    std::string sql =
        "SELECT id, actor, action, old_state, new_state, event_on, detail, create_time FROM "
        "disclosure_request_history WHERE request_id = ?";
    std::vector<Value> params = {Value(request_id)};
    AppendKeysetAscending("id", page, sql, params);
    ASSIGN_OR_RETURN(db::ResultSet rows, conn->Query(sql, params));
    return MapRows<v1::DisclosureRequestEvent>(rows, EventFromRow);
  }

  absl::StatusOr<int> ApplicantOrdinalInMonth(int64_t request_id) override {
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    ASSIGN_OR_RETURN(db::ResultSet head,
                     conn->Query("SELECT applicant_key, unit_id, received_on FROM "
                                 "disclosure_requests WHERE id = ?",
                                 {Value(request_id)}));
    if (head.empty()) {
      return absl::NotFoundError(absl::StrCat("disclosure request ", request_id, " not found"));
    }
    ASSIGN_OR_RETURN(std::string applicant_key, head[0].GetString("applicant_key"));
    ASSIGN_OR_RETURN(int64_t unit, head[0].GetInt64("unit_id"));
    ASSIGN_OR_RETURN(absl::CivilDay received, head[0].GetCivilDay("received_on"));
    const absl::CivilDay month_start(received.year(), received.month(), 1);
    ASSIGN_OR_RETURN(
        db::ResultSet rows,
        conn->Query("SELECT COUNT(*) FROM disclosure_requests WHERE applicant_key = ? AND "
                    "unit_id = ? AND received_on >= ? AND (received_on < ? OR "
                    "(received_on = ? AND id <= ?))",
                    {Value(applicant_key), Value(unit), Value(month_start), Value(received),
                     Value(received), Value(request_id)}));
    ASSIGN_OR_RETURN(int64_t count, rows[0].GetInt64(0));
    return static_cast<int>(count);
  }

  absl::StatusOr<std::vector<RequestYearTally>> TallyRequestsForYear(int64_t unit_id,
                                                                     absl::CivilDay first,
                                                                     absl::CivilDay last) override {
    // Mirrors ClassifyReceived / ClassifyAnswered (annual_report/report_tables.h).
    std::string sql =
        "SELECT applicant_type, outcome_code, received_bucket, answered_bucket, COUNT(*) AS n "
        "FROM (SELECT applicant_type, COALESCE(outcome, 0) AS outcome_code, "
        "CASE WHEN received_on < ? THEN 0 ELSE 1 END AS received_bucket, "
        "CASE WHEN answered_on IS NULL THEN 0 WHEN answered_on < ? THEN 1 "
        "WHEN answered_on <= ? THEN 2 ELSE 3 END AS answered_bucket "
        "FROM disclosure_requests WHERE received_on <= ?";
    std::vector<Value> params = {first, first, last, last};
    if (unit_id != 0) {
      sql += " AND unit_id = ?";
      params.emplace_back(unit_id);
    }
    sql += ") t GROUP BY applicant_type, outcome_code, received_bucket, answered_bucket";
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    ASSIGN_OR_RETURN(db::ResultSet rows, conn->Query(sql, params));
    std::vector<RequestYearTally> out;
    for (const Row& row : rows) {
      RequestYearTally t;
      ASSIGN_OR_RETURN(int64_t type, row.GetInt64("applicant_type"));
      ASSIGN_OR_RETURN(int64_t outcome, row.GetInt64("outcome_code"));
      ASSIGN_OR_RETURN(int64_t received, row.GetInt64("received_bucket"));
      ASSIGN_OR_RETURN(int64_t answered, row.GetInt64("answered_bucket"));
      ASSIGN_OR_RETURN(t.count, row.GetInt64("n"));
      t.applicant_type = static_cast<int>(type);
      t.outcome = static_cast<int>(outcome);
      t.received_before_year = received == 0;
      t.answered = answered == 0   ? RequestYearTally::Answered::kOpen
                   : answered == 1 ? RequestYearTally::Answered::kBeforeYear
                   : answered == 2 ? RequestYearTally::Answered::kInYear
                                   : RequestYearTally::Answered::kAfterYear;
      out.push_back(t);
    }
    return out;
  }

  absl::StatusOr<std::vector<ChallengeYearTally>> TallyChallengesForYear(
      int64_t unit_id, absl::CivilDay first, absl::CivilDay last) override {
    // Mirrors DecidedByYearEnd (annual_report/report_tables.h).
    std::string sql =
        "SELECT kind, result, decided, COUNT(*) AS n FROM (SELECT kind, result, "
        "CASE WHEN decided_on IS NOT NULL AND decided_on <= ? THEN 1 ELSE 0 END AS decided "
        "FROM disclosure_challenges WHERE filed_on >= ? AND filed_on <= ?";
    std::vector<Value> params = {last, first, last};
    if (unit_id != 0) {
      sql += " AND unit_id = ?";
      params.emplace_back(unit_id);
    }
    sql += ") t GROUP BY kind, result, decided";
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    ASSIGN_OR_RETURN(db::ResultSet rows, conn->Query(sql, params));
    std::vector<ChallengeYearTally> out;
    for (const Row& row : rows) {
      ChallengeYearTally t;
      ASSIGN_OR_RETURN(int64_t kind, row.GetInt64("kind"));
      ASSIGN_OR_RETURN(int64_t result, row.GetInt64("result"));
      ASSIGN_OR_RETURN(t.decided_by_year_end, row.GetBool("decided"));
      ASSIGN_OR_RETURN(t.count, row.GetInt64("n"));
      t.kind = static_cast<int>(kind);
      t.result = static_cast<int>(result);
      out.push_back(t);
    }
    return out;
  }

  absl::StatusOr<std::vector<RequestDescription>> ListRequestDescriptions(int64_t unit_id,
                                                                          absl::CivilDay first,
                                                                          absl::CivilDay last,
                                                                          int64_t after_id,
                                                                          int limit) override {
    // ix_disclosure_requests_unit (unit_id, id) serves the keyset; the receipt days
    // filter the range.
    const std::string sql = absl::StrCat(
        "SELECT id, subject, applicant_key, COALESCE(outcome, 0) AS outcome, "
        "COALESCE(already_public_document_id, 0) AS doc, already_public_reference "
        "FROM disclosure_requests WHERE unit_id = ? AND id > ? AND received_on >= ? "
        "AND received_on <= ? ORDER BY id LIMIT ",
        std::max(1, limit));
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    ASSIGN_OR_RETURN(db::ResultSet rows, conn->Query(sql, {Value(unit_id), Value(after_id),
                                                           Value(first), Value(last)}));
    std::vector<RequestDescription> out;
    out.reserve(rows.size());
    for (const Row& row : rows) {
      RequestDescription d;
      ASSIGN_OR_RETURN(d.id, row.GetInt64("id"));
      ASSIGN_OR_RETURN(d.subject, row.GetString("subject"));
      ASSIGN_OR_RETURN(d.applicant_key, row.GetString("applicant_key"));
      ASSIGN_OR_RETURN(int64_t outcome, row.GetInt64("outcome"));
      d.outcome = static_cast<v1::RequestOutcome>(outcome);
      ASSIGN_OR_RETURN(d.already_public_document_id, row.GetInt64("doc"));
      ASSIGN_OR_RETURN(d.already_public_reference, row.GetString("already_public_reference"));
      out.push_back(std::move(d));
    }
    return out;
  }

  absl::StatusOr<v1::DisclosureChallenge> CreateChallenge(const v1::DisclosureChallenge& challenge,
                                                          const RequestEvent& event,
                                                          const IdempotencyKey* key) override {
    v1::DisclosureChallenge created = challenge;
    *created.mutable_create_time() = ToTimestamp(event.time);
    *created.mutable_update_time() = ToTimestamp(event.time);
    RETURN_IF_ERROR(Write([&](Connection& conn) -> absl::Status {
      ASSIGN_OR_RETURN(
          db::ExecResult r,
          conn.ExecuteInsert(
              "INSERT INTO disclosure_challenges (request_id, unit_id, kind, result, filed_on, "
              "decided_on, case_number, note, created_by, create_time, update_time) VALUES "
              "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
              {Value(challenge.disclosure_request_id()), Value(challenge.unit_id()),
               Value(static_cast<int>(challenge.kind())),
               Value(static_cast<int>(challenge.result())), Value(OptDay(challenge.filed_on())),
               Value(OptDay(challenge.decided_on())), Value(challenge.case_number()),
               Value(challenge.note()), Value(challenge.created_by()), Value(event.time),
               Value(event.time)}));
      created.set_id(static_cast<int64_t>(r.last_insert_id));
      RETURN_IF_ERROR(InsertEvent(conn, challenge.disclosure_request_id(), event));
      return InsertIdempotencyRecord(conn, key, created.SerializeAsString(), event.time);
    }));
    return created;
  }

  absl::StatusOr<v1::DisclosureChallenge> GetChallenge(int64_t id) override {
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    ASSIGN_OR_RETURN(db::ResultSet rows,
                     conn->Query(absl::StrCat("SELECT ", kChallengeColumns,
                                              " FROM disclosure_challenges WHERE id = ?"),
                                 {Value(id)}));
    if (rows.empty()) return absl::NotFoundError(absl::StrCat("challenge ", id, " not found"));
    return ChallengeFromRow(rows[0]);
  }

  absl::StatusOr<v1::DisclosureChallenge> UpdateChallenge(const v1::DisclosureChallenge& challenge,
                                                          const RequestEvent& event) override {
    v1::DisclosureChallenge stored = challenge;
    *stored.mutable_update_time() = ToTimestamp(event.time);
    RETURN_IF_ERROR(Write([&](Connection& conn) -> absl::Status {
      // Only a pending challenge changes: a concurrent decision wins once.
      ASSIGN_OR_RETURN(
          db::ExecResult r,
          conn.Execute(
              "UPDATE disclosure_challenges SET result = ?, decided_on = ?, note = ?, "
              "update_time = ? WHERE id = ? AND result = ?",
              {Value(static_cast<int>(challenge.result())), Value(OptDay(challenge.decided_on())),
               Value(challenge.note()), Value(event.time), Value(challenge.id()),
               Value(static_cast<int>(v1::CHALLENGE_PENDING))}));
      if (r.affected_rows == 0) {
        return absl::FailedPreconditionError(
            absl::StrCat("challenge ", challenge.id(), " is no longer pending"));
      }
      return InsertEvent(conn, challenge.disclosure_request_id(), event);
    }));
    return stored;
  }

  absl::StatusOr<std::vector<v1::DisclosureChallenge>> ListChallenges(int64_t request_id) override {
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    ASSIGN_OR_RETURN(db::ResultSet rows,
                     conn->Query(absl::StrCat("SELECT ", kChallengeColumns,
                                              " FROM disclosure_challenges WHERE request_id = ? "
                                              "ORDER BY id"),
                                 {Value(request_id)}));
    return MapRows<v1::DisclosureChallenge>(rows, ChallengeFromRow);
  }

  absl::StatusOr<RequestCounts> CountRequests(absl::CivilDay today,
                                              absl::CivilDay due_soon_by) override {
    RequestCounts counts;
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    ASSIGN_OR_RETURN(db::ResultSet by_state,
                     conn->Query("SELECT state, COUNT(*) AS n FROM disclosure_requests "
                                 "GROUP BY state"));
    for (const Row& row : by_state) {
      ASSIGN_OR_RETURN(int64_t state, row.GetInt64("state"));
      ASSIGN_OR_RETURN(int64_t n, row.GetInt64("n"));
      counts.by_state[static_cast<v1::DisclosureRequestState>(state)] = n;
    }
    std::vector<Value> params = {Value(today), Value(today), Value(due_soon_by)};
    AddRunningStates(params);
    ASSIGN_OR_RETURN(
        db::ResultSet due,
        conn->Query(absl::StrCat("SELECT COALESCE(SUM(CASE WHEN reply_due_on < ? THEN 1 ELSE 0 "
                                 "END), 0) AS overdue, COALESCE(SUM(CASE WHEN reply_due_on >= ? "
                                 "AND reply_due_on <= ? THEN 1 ELSE 0 END), 0) AS due_soon FROM "
                                 "disclosure_requests WHERE ",
                                 kRunningStatesSql),
                    params));
    ASSIGN_OR_RETURN(counts.overdue, due[0].GetInt64("overdue"));
    ASSIGN_OR_RETURN(counts.due_soon, due[0].GetInt64("due_soon"));
    return counts;
  }

  absl::StatusOr<RequestEvidence> EvidenceForUnit(const RequestEvidencePeriod& p) override {
    constexpr char kAnswered[] =
        "FROM disclosure_requests WHERE unit_id = ? AND answered_on >= ? AND answered_on <= ?";
    constexpr char kChallenged[] =
        "FROM disclosure_challenges WHERE unit_id = ? AND filed_on >= ? AND filed_on <= ?";
    const std::vector<Value> period = {Value(p.unit_id), Value(p.first), Value(p.last)};
    RequestEvidence e;
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    ASSIGN_OR_RETURN(e.received, QueryIdSample(*conn, "id",
                                               "FROM disclosure_requests WHERE unit_id = ? AND "
                                               "received_on >= ? AND received_on <= ?",
                                               period));
    ASSIGN_OR_RETURN(e.answered, QueryIdSample(*conn, "id", kAnswered, period));
    ASSIGN_OR_RETURN(
        e.answered_on_time,
        QueryIdSample(*conn, "id", absl::StrCat(kAnswered, " AND answered_on <= reply_due_on"),
                      period));
    ASSIGN_OR_RETURN(
        e.answered_late,
        QueryIdSample(*conn, "id", absl::StrCat(kAnswered, " AND answered_on > reply_due_on"),
                      period));
    ASSIGN_OR_RETURN(
        IdSample pending,
        QueryIdSample(*conn, "id", absl::StrCat(kAnswered, " AND reply_due_on IS NULL"), period));
    e.answered_without_due_date = pending.count;
    if (p.overdue_by >= p.first) {
      std::vector<Value> params = {Value(p.unit_id), Value(p.overdue_by), Value(p.overdue_by)};
      AddRunningStates(params);
      params.emplace_back(p.overdue_by);
      ASSIGN_OR_RETURN(
          e.open_overdue,
          QueryIdSample(*conn, "id",
                        absl::StrCat("FROM disclosure_requests WHERE unit_id = ? AND received_on "
                                     "<= ? AND reply_due_on <= ? AND ((answered_on IS NULL AND ",
                                     kRunningStatesSql, ") OR answered_on > ?)"),
                        params));
    }
    ASSIGN_OR_RETURN(e.challenged, QueryIdSample(*conn, "request_id", kChallenged, period));
    std::vector<Value> corrected = period;
    corrected.emplace_back(static_cast<int>(v1::CHALLENGE_CORRECTED));
    ASSIGN_OR_RETURN(e.challenge_corrected,
                     QueryIdSample(*conn, "request_id",
                                   absl::StrCat(kChallenged, " AND result = ?"), corrected));
    return e;
  }

 private:
  // One write transaction, retried on deadlock / write conflict; a stale version is
  // returned at once.
  absl::Status Write(absl::FunctionRef<absl::Status(Connection&)> fn) {
    return db::RunInTransactionWithRetries(*pool_, fn);
  }

  db::ConnectionPool* pool_;
};

}  // namespace

std::unique_ptr<RequestRepository> NewMysqlRequestRepository(db::ConnectionPool* pool) {
  return std::make_unique<MysqlRequestRepository>(pool);
}

}  // namespace gongkai::catalog::requests
