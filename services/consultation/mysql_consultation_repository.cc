// The MySQL implementation of consultation_repository.h.
#include <algorithm>
#include <array>
#include <optional>
#include <tuple>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "libs/db/idempotency.h"
#include "libs/db/map_rows.h"
#include "libs/db/transaction.h"
#include "libs/protoconv/protoconv.h"
#include "libs/search/search_terms.h"
#include "libs/status/status_macros.h"
#include "services/consultation/consultation_repository.h"
#include "services/consultation/consultation_rules.h"

namespace gongkai::consultation {
namespace {

constexpr char kSelectConsultation[] =
    "SELECT id, unit_id, title, draft, basis, category, domain, decision_type, methods, "
    "channels, opens_on, closes_on, period_days, period_explanation, period_rule, "
    "shortening_reason, consultation_required, scope_rule, concluded, conclude_time, "
    "created_by, create_time, version FROM consultations";

// Comments with their group's size and decision. STRAIGHT_JOIN (MySQL, MariaDB, TiDB):
// the comments' keyset range drives the join; left to itself the optimizer may scan the
// groups first and sort (a p99 of 190 ms at 100,000 comments).
#define GONGKAI_COMMENT_COLUMNS                                                              \
  "c.id, c.consultation_id, c.group_id, c.text, c.name, c.contact, c.show_name, "            \
  "c.visibility, c.hide_reason, c.report_count, c.create_time, g.member_count, g.decision, " \
  "g.reason"
constexpr char kSelectComment[] = "SELECT STRAIGHT_JOIN " GONGKAI_COMMENT_COLUMNS
                                  " FROM comments c JOIN comment_groups g ON g.id = c.group_id";

// A group's representative is representative_comment_id, or, while that is 0, its only
// member: PostComment creates a group without naming it (its id is not known before the
// comment's INSERT, and an UPDATE after it would cost a round trip per new group), and
// the first comment to join names it. The second join is an index probe on
// (group_id, id) with a key that is -1 (no row) for every group naming its
// representative, so a campaign's members are never scanned.
constexpr char kSelectGroup[] =
    "SELECT g.id, g.consultation_id, COALESCE(r.id, s.id) AS representative_comment_id, "
    "g.member_count, g.decision, g.reason, g.decided_by, g.version, "
    "COALESCE(r.text, s.text) AS representative_text, "
    "COALESCE(r.visibility, s.visibility) AS representative_visibility FROM comment_groups g "
    "LEFT JOIN comments r ON r.id = g.representative_comment_id "
    "LEFT JOIN comments s ON s.group_id = CASE WHEN g.representative_comment_id = 0 THEN g.id "
    "ELSE -1 END";

constexpr char kSelectHearing[] =
    "SELECT id, consultation_id, unit_id, kind, title, place, held_on, notice_published_on, "
    "notice_due, notice_rule, notice_explanation, participant_limit, minutes, version "
    "FROM hearings";

constexpr char kSelectMeeting[] =
    "SELECT m.id, m.unit_id, m.title, m.meeting_on, m.decides_category, m.domain, "
    "m.consultation_id, m.major_livelihood_topic, m.invited, m.is_public, m.broadcast, "
    "m.live_stream_url, m.feedback_statement, m.created_by, m.version, m.statement_document_id "
    "FROM meeting_plans m";

constexpr char kSelectApplication[] =
    "SELECT id, target, target_id, name, contact, attendee_kind, statement, selected, attended, "
    "create_time FROM applications";

std::string JoinNumbers(const google::protobuf::RepeatedField<int>& values) {
  return absl::StrJoin(values, ",");
}

template <typename Add>
absl::Status SplitNumbers(const std::string& text, Add add) {
  for (absl::string_view part : absl::StrSplit(text, ',', absl::SkipEmpty())) {
    int value = 0;
    if (!absl::SimpleAtoi(part, &value)) {
      return absl::InternalError(absl::StrCat("bad number list in the database: ", text));
    }
    add(value);
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::Consultation> ReadConsultation(const db::Row& row) {
  v1::Consultation c;
  ASSIGN_OR_RETURN(int64_t id, row.GetInt64("id"));
  c.set_id(id);
  ASSIGN_OR_RETURN(int64_t unit_id, row.GetInt64("unit_id"));
  c.set_unit_id(unit_id);
  ASSIGN_OR_RETURN(*c.mutable_title(), row.GetString("title"));
  ASSIGN_OR_RETURN(*c.mutable_draft(), row.GetString("draft"));
  ASSIGN_OR_RETURN(*c.mutable_basis(), row.GetString("basis"));
  ASSIGN_OR_RETURN(int64_t category, row.GetInt64("category"));
  c.set_category(static_cast<v1::MatterCategory>(category));
  ASSIGN_OR_RETURN(*c.mutable_domain(), row.GetString("domain"));
  ASSIGN_OR_RETURN(int64_t type, row.GetInt64("decision_type"));
  c.set_decision_type(static_cast<v1::DecisionType>(type));
  ASSIGN_OR_RETURN(std::string methods, row.GetString("methods"));
  RETURN_IF_ERROR(SplitNumbers(
      methods, [&](int v) { c.add_methods(static_cast<v1::ParticipationMethod>(v)); }));
  ASSIGN_OR_RETURN(std::string channels, row.GetString("channels"));
  RETURN_IF_ERROR(
      SplitNumbers(channels, [&](int v) { c.add_channels(static_cast<v1::Channel>(v)); }));
  ASSIGN_OR_RETURN(absl::CivilDay opens_on, row.GetCivilDay("opens_on"));
  *c.mutable_opens_on() = ToProtoDate(opens_on);
  ASSIGN_OR_RETURN(absl::CivilDay closes_on, row.GetCivilDay("closes_on"));
  // The stand-in day of a pending period is not a closing day (NAT-1).
  if (closes_on != PendingClosingDay()) *c.mutable_closes_on() = ToProtoDate(closes_on);
  ASSIGN_OR_RETURN(int64_t days, row.GetInt64("period_days"));
  c.set_period_days(static_cast<int32_t>(days));
  ASSIGN_OR_RETURN(std::string explanation, row.GetString("period_explanation"));
  if (!c.mutable_period_explanation()->ParseFromString(explanation)) {
    return absl::InternalError(absl::StrCat("consultation ", id, ": bad period explanation"));
  }
  ASSIGN_OR_RETURN(*c.mutable_period_rule(), row.GetString("period_rule"));
  ASSIGN_OR_RETURN(*c.mutable_shortening_reason(), row.GetString("shortening_reason"));
  ASSIGN_OR_RETURN(bool required, row.GetBool("consultation_required"));
  c.set_consultation_required(required);
  ASSIGN_OR_RETURN(*c.mutable_scope_rule(), row.GetString("scope_rule"));
  ASSIGN_OR_RETURN(bool concluded, row.GetBool("concluded"));
  if (concluded) c.set_state(v1::CONCLUDED);
  ASSIGN_OR_RETURN(std::optional<absl::Time> conclude_time, row.GetOptionalTime("conclude_time"));
  if (conclude_time.has_value()) *c.mutable_conclude_time() = ToTimestamp(*conclude_time);
  ASSIGN_OR_RETURN(*c.mutable_created_by(), row.GetString("created_by"));
  ASSIGN_OR_RETURN(absl::Time created, row.GetTime("create_time"));
  *c.mutable_create_time() = ToTimestamp(created);
  ASSIGN_OR_RETURN(int64_t version, row.GetInt64("version"));
  c.set_version(version);
  return c;
}

absl::StatusOr<v1::Comment> ReadComment(const db::Row& row) {
  v1::Comment c;
  ASSIGN_OR_RETURN(int64_t id, row.GetInt64("id"));
  c.set_id(id);
  ASSIGN_OR_RETURN(int64_t consultation_id, row.GetInt64("consultation_id"));
  c.set_consultation_id(consultation_id);
  ASSIGN_OR_RETURN(int64_t group_id, row.GetInt64("group_id"));
  c.set_group_id(group_id);
  ASSIGN_OR_RETURN(*c.mutable_text(), row.GetString("text"));
  ASSIGN_OR_RETURN(*c.mutable_name(), row.GetString("name"));
  ASSIGN_OR_RETURN(*c.mutable_contact(), row.GetString("contact"));
  ASSIGN_OR_RETURN(bool show_name, row.GetBool("show_name"));
  c.set_show_name(show_name);
  ASSIGN_OR_RETURN(int64_t visibility, row.GetInt64("visibility"));
  c.set_visibility(static_cast<v1::Visibility>(visibility));
  ASSIGN_OR_RETURN(int64_t hide_reason, row.GetInt64("hide_reason"));
  c.set_hide_reason(static_cast<v1::HideReason>(hide_reason));
  ASSIGN_OR_RETURN(int64_t reports, row.GetInt64("report_count"));
  c.set_report_count(static_cast<int32_t>(reports));
  ASSIGN_OR_RETURN(absl::Time created, row.GetTime("create_time"));
  *c.mutable_create_time() = ToTimestamp(created);
  ASSIGN_OR_RETURN(int64_t members, row.GetInt64("member_count"));
  c.set_group_size(members);
  ASSIGN_OR_RETURN(int64_t decision, row.GetInt64("decision"));
  c.set_decision(static_cast<v1::FeedbackDecision>(decision));
  ASSIGN_OR_RETURN(*c.mutable_decision_reason(), row.GetString("reason"));
  return c;
}

absl::StatusOr<v1::CommentGroup> ReadGroup(const db::Row& row) {
  v1::CommentGroup g;
  ASSIGN_OR_RETURN(int64_t id, row.GetInt64("id"));
  g.set_id(id);
  ASSIGN_OR_RETURN(int64_t consultation_id, row.GetInt64("consultation_id"));
  g.set_consultation_id(consultation_id);
  ASSIGN_OR_RETURN(std::optional<int64_t> representative,
                   row.GetOptionalInt64("representative_comment_id"));
  g.set_representative_comment_id(representative.value_or(0));
  ASSIGN_OR_RETURN(int64_t members, row.GetInt64("member_count"));
  g.set_member_count(members);
  ASSIGN_OR_RETURN(int64_t decision, row.GetInt64("decision"));
  g.set_decision(static_cast<v1::FeedbackDecision>(decision));
  ASSIGN_OR_RETURN(*g.mutable_reason(), row.GetString("reason"));
  ASSIGN_OR_RETURN(*g.mutable_decided_by(), row.GetString("decided_by"));
  ASSIGN_OR_RETURN(int64_t version, row.GetInt64("version"));
  g.set_version(version);
  ASSIGN_OR_RETURN(std::optional<std::string> text, row.GetOptionalString("representative_text"));
  ASSIGN_OR_RETURN(std::optional<int64_t> visibility,
                   row.GetOptionalInt64("representative_visibility"));
  // The representative's text follows its moderation: hidden text is not repeated here.
  if (text.has_value() && visibility.value_or(v1::VISIBLE) != v1::HIDDEN) {
    g.set_representative_text(*text);
  }
  return g;
}

absl::StatusOr<v1::Hearing> ReadHearing(const db::Row& row) {
  v1::Hearing h;
  ASSIGN_OR_RETURN(int64_t id, row.GetInt64("id"));
  h.set_id(id);
  ASSIGN_OR_RETURN(int64_t consultation_id, row.GetInt64("consultation_id"));
  h.set_consultation_id(consultation_id);
  ASSIGN_OR_RETURN(int64_t unit_id, row.GetInt64("unit_id"));
  h.set_unit_id(unit_id);
  ASSIGN_OR_RETURN(int64_t kind, row.GetInt64("kind"));
  h.set_kind(static_cast<v1::HearingKind>(kind));
  ASSIGN_OR_RETURN(*h.mutable_title(), row.GetString("title"));
  ASSIGN_OR_RETURN(*h.mutable_place(), row.GetString("place"));
  ASSIGN_OR_RETURN(absl::CivilDay held_on, row.GetCivilDay("held_on"));
  *h.mutable_held_on() = ToProtoDate(held_on);
  ASSIGN_OR_RETURN(absl::CivilDay published, row.GetCivilDay("notice_published_on"));
  *h.mutable_notice_published_on() = ToProtoDate(published);
  ASSIGN_OR_RETURN(absl::CivilDay due, row.GetCivilDay("notice_due"));
  *h.mutable_notice_due() = ToProtoDate(due);
  ASSIGN_OR_RETURN(*h.mutable_notice_rule(), row.GetString("notice_rule"));
  ASSIGN_OR_RETURN(*h.mutable_notice_explanation(), row.GetString("notice_explanation"));
  ASSIGN_OR_RETURN(int64_t limit, row.GetInt64("participant_limit"));
  h.set_participant_limit(static_cast<int32_t>(limit));
  ASSIGN_OR_RETURN(*h.mutable_minutes(), row.GetString("minutes"));
  ASSIGN_OR_RETURN(int64_t version, row.GetInt64("version"));
  h.set_version(version);
  return h;
}

absl::StatusOr<v1::MeetingPlan> ReadMeeting(const db::Row& row) {
  v1::MeetingPlan m;
  ASSIGN_OR_RETURN(int64_t id, row.GetInt64("id"));
  m.set_id(id);
  ASSIGN_OR_RETURN(int64_t unit_id, row.GetInt64("unit_id"));
  m.set_unit_id(unit_id);
  ASSIGN_OR_RETURN(*m.mutable_title(), row.GetString("title"));
  ASSIGN_OR_RETURN(absl::CivilDay meeting_on, row.GetCivilDay("meeting_on"));
  *m.mutable_meeting_on() = ToProtoDate(meeting_on);
  ASSIGN_OR_RETURN(int64_t category, row.GetInt64("decides_category"));
  m.set_decides_category(static_cast<v1::MatterCategory>(category));
  ASSIGN_OR_RETURN(*m.mutable_domain(), row.GetString("domain"));
  ASSIGN_OR_RETURN(int64_t consultation_id, row.GetInt64("consultation_id"));
  m.set_consultation_id(consultation_id);
  ASSIGN_OR_RETURN(bool livelihood, row.GetBool("major_livelihood_topic"));
  m.set_major_livelihood_topic(livelihood);
  ASSIGN_OR_RETURN(std::string invited, row.GetString("invited"));
  RETURN_IF_ERROR(
      SplitNumbers(invited, [&](int v) { m.add_invited(static_cast<v1::AttendeeKind>(v)); }));
  ASSIGN_OR_RETURN(bool is_public, row.GetBool("is_public"));
  m.set_is_public(is_public);
  ASSIGN_OR_RETURN(std::string broadcast, row.GetString("broadcast"));
  RETURN_IF_ERROR(SplitNumbers(
      broadcast, [&](int v) { m.add_broadcast(static_cast<v1::BroadcastMedium>(v)); }));
  ASSIGN_OR_RETURN(*m.mutable_live_stream_url(), row.GetString("live_stream_url"));
  ASSIGN_OR_RETURN(std::optional<std::string> statement,
                   row.GetOptionalString("feedback_statement"));
  if (statement.has_value() && !m.mutable_feedback_statement()->ParseFromString(*statement)) {
    return absl::InternalError(absl::StrCat("meeting ", id, ": bad feedback statement"));
  }
  ASSIGN_OR_RETURN(*m.mutable_created_by(), row.GetString("created_by"));
  ASSIGN_OR_RETURN(int64_t version, row.GetInt64("version"));
  m.set_version(version);
  ASSIGN_OR_RETURN(int64_t document_id, row.GetInt64("statement_document_id"));
  m.set_statement_document_id(document_id);
  return m;
}

absl::StatusOr<v1::Application> ReadApplication(const db::Row& row) {
  v1::Application a;
  ASSIGN_OR_RETURN(int64_t id, row.GetInt64("id"));
  a.set_id(id);
  ASSIGN_OR_RETURN(int64_t target, row.GetInt64("target"));
  a.set_target(static_cast<v1::ApplicationTarget>(target));
  ASSIGN_OR_RETURN(int64_t target_id, row.GetInt64("target_id"));
  a.set_target_id(target_id);
  ASSIGN_OR_RETURN(*a.mutable_name(), row.GetString("name"));
  ASSIGN_OR_RETURN(*a.mutable_contact(), row.GetString("contact"));
  ASSIGN_OR_RETURN(int64_t kind, row.GetInt64("attendee_kind"));
  a.set_attendee_kind(static_cast<v1::AttendeeKind>(kind));
  ASSIGN_OR_RETURN(*a.mutable_statement(), row.GetString("statement"));
  ASSIGN_OR_RETURN(bool selected, row.GetBool("selected"));
  a.set_selected(selected);
  ASSIGN_OR_RETURN(bool attended, row.GetBool("attended"));
  a.set_attended(attended);
  ASSIGN_OR_RETURN(absl::Time created, row.GetTime("create_time"));
  *a.mutable_create_time() = ToTimestamp(created);
  return a;
}

std::vector<int64_t> IdsOf(const db::ResultSet& rows) {
  std::vector<int64_t> ids;
  for (const db::Row& row : rows) {
    absl::StatusOr<int64_t> id = row.GetInt64(0);
    if (id.ok()) ids.push_back(*id);
  }
  return ids;
}

// "?, ?, ..." with `count` placeholders.
std::string Placeholders(int count) {
  std::string sql;
  sql.reserve(static_cast<size_t>(3 * count));
  for (int i = 0; i < count; ++i) sql.append(i == 0 ? "?" : ", ?");
  return sql;
}

// Appends `ids` and then 0 (no comment's id) up to `slots` values in all.
void AppendPaddedIds(const std::vector<int64_t>& ids, int slots, std::vector<db::Value>& params) {
  for (int64_t id : ids) params.emplace_back(id);
  for (int i = static_cast<int>(ids.size()); i < slots; ++i) params.emplace_back(int64_t{0});
}

// The band rows' keys of `fingerprint` (migration 0014): band number * 2048 + value.
std::array<int64_t, kBands> BandKeys(uint64_t fingerprint) {
  std::array<int64_t, kBands> keys = Bands(fingerprint);
  for (int i = 0; i < kBands; ++i) keys[i] += int64_t{2048} * i;
  return keys;
}

// One row of comment_terms.
struct TermRow {
  int64_t consultation_id = 0;
  std::string term;
  int64_t comment_id = 0;
};

// Inserts `rows` with multi-row INSERTs of up to 1000 rows, as text: binding thousands
// of parameters in Connector/C++ costs more CPU than the statement (clearParameters and
// setString were 30% of the service's CPU per comment in docs/performance.md's profile).
// Nothing in the text comes from a client unencoded: the ids are integers and every term
// is a hex literal with the utf8mb4 introducer (MySQL 8, MariaDB, TiDB).
absl::Status InsertTermRows(db::Connection& conn, const std::vector<TermRow>& rows) {
  constexpr size_t kMaxRows = 1000;
  for (size_t start = 0; start < rows.size(); start += kMaxRows) {
    const size_t end = std::min(rows.size(), start + kMaxRows);
    std::string sql = "INSERT INTO comment_terms (consultation_id, term, comment_id) VALUES ";
    sql.reserve(sql.size() + (end - start) * 64);
    for (size_t i = start; i < end; ++i) {
      absl::StrAppend(&sql, i == start ? "(" : ", (", rows[i].consultation_id, ", _utf8mb4 X'",
                      absl::BytesToHexString(rows[i].term), "', ", rows[i].comment_id, ")");
    }
    RETURN_IF_ERROR(conn.ExecuteUnprepared(sql));
  }
  return absl::OkStatus();
}

// Inserts `terms` of comment `comment_id`.
absl::Status InsertCommentTerms(db::Connection& conn, int64_t consultation_id, int64_t comment_id,
                                const std::vector<std::string>& terms) {
  std::vector<TermRow> rows;
  rows.reserve(terms.size());
  for (const std::string& term : terms) rows.push_back({consultation_id, term, comment_id});
  return InsertTermRows(conn, rows);
}

class MysqlConsultationRepository final : public ConsultationRepository {
 public:
  MysqlConsultationRepository(db::ConnectionPool* pool, outbox::Notifier* notifier)
      : pool_(pool), notifier_(notifier) {}

  absl::StatusOr<v1::Consultation> CreateConsultation(v1::Consultation c,
                                                      const idempotency::Key* key,
                                                      absl::Time now) override {
    ASSIGN_OR_RETURN(absl::CivilDay opens_on, ToCivilDay(c.opens_on()));
    ASSIGN_OR_RETURN(absl::CivilDay closes_on, ClosingDayOf(c));
    c.set_version(1);
    *c.mutable_create_time() = ToTimestamp(now);
    RETURN_IF_ERROR(
        db::RunInTransactionWithRetries(*pool_, [&](db::Connection& conn) -> absl::Status {
          ASSIGN_OR_RETURN(
              db::ExecResult inserted,
              conn.ExecuteInsert(
                  "INSERT INTO consultations (unit_id, title, draft, basis, category, domain, "
                  "decision_type, methods, channels, opens_on, closes_on, period_days, "
                  "period_explanation, period_rule, shortening_reason, consultation_required, "
                  "scope_rule, created_by, create_time, version) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)",
                  {c.unit_id(), c.title(), c.draft(), c.basis(), int64_t{c.category()}, c.domain(),
                   int64_t{c.decision_type()}, JoinNumbers(c.methods()), JoinNumbers(c.channels()),
                   opens_on, closes_on, int64_t{c.period_days()},
                   c.period_explanation().SerializeAsString(), c.period_rule(),
                   c.shortening_reason(), c.consultation_required(), c.scope_rule(), c.created_by(),
                   now}));
          c.set_id(static_cast<int64_t>(inserted.last_insert_id));
          return db::InsertIdempotencyRecord(conn, key, c.SerializeAsString(), now);
        }));
    return c;
  }

  absl::StatusOr<v1::Consultation> GetConsultation(int64_t id) override {
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    ASSIGN_OR_RETURN(db::ResultSet rows,
                     conn->Query(absl::StrCat(kSelectConsultation, " WHERE id = ?"), {id}));
    if (rows.empty()) return absl::NotFoundError(absl::StrCat("consultation ", id, " not found"));
    return ReadConsultation(rows[0]);
  }

  absl::StatusOr<std::vector<v1::Consultation>> ListConsultations(const ConsultationFilter& f,
                                                                  int64_t before_id,
                                                                  int limit) override {
    std::string sql = absl::StrCat(kSelectConsultation, " WHERE id < ?");
    std::vector<db::Value> params = {before_id > 0 ? before_id : INT64_MAX};
    if (f.unit_id > 0) {
      sql += " AND unit_id = ?";
      params.emplace_back(f.unit_id);
    }
    if (f.opened_by.has_value()) {
      sql += " AND opens_on <= ?";
      params.emplace_back(*f.opened_by);
    }
    switch (f.state) {
      case v1::SCHEDULED:
        sql += " AND opens_on > ? AND concluded = FALSE";
        params.emplace_back(f.today);
        break;
      case v1::OPEN:
        sql += " AND opens_on <= ? AND closes_on >= ? AND concluded = FALSE";
        params.emplace_back(f.today);
        params.emplace_back(f.today);
        break;
      case v1::CLOSED:
        sql += " AND closes_on < ? AND concluded = FALSE";
        params.emplace_back(f.today);
        break;
      case v1::CONCLUDED:
        sql += " AND concluded = TRUE";
        break;
      default:
        break;
    }
    sql += " ORDER BY id DESC LIMIT ?";
    params.emplace_back(int64_t{limit});
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    ASSIGN_OR_RETURN(db::ResultSet rows, conn->Query(sql, params));
    return db::MapRows<v1::Consultation>(rows, ReadConsultation);
  }

  absl::StatusOr<CommentCounts> CountComments(int64_t consultation_id) override {
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    return CountIn(*conn, consultation_id, false);
  }

  absl::StatusOr<std::vector<v1::Consultation>> ListClosingFrom(absl::CivilDay from,
                                                                int64_t after_id,
                                                                int limit) override {
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    ASSIGN_OR_RETURN(db::ResultSet rows,
                     conn->Query(absl::StrCat(kSelectConsultation,
                                              " WHERE id > ? AND closes_on >= ? AND concluded = "
                                              "FALSE ORDER BY id LIMIT ?"),
                                 {after_id, from, int64_t{limit}}));
    return db::MapRows<v1::Consultation>(rows, ReadConsultation);
  }

  absl::Status UpdatePeriod(int64_t id, absl::CivilDay closes_on,
                            const common::v1::DeadlineExplanation& explanation) override {
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    return conn
        ->Execute(
            "UPDATE consultations SET closes_on = ?, period_explanation = ?, version = "
            "version + 1 WHERE id = ?",
            {closes_on, explanation.SerializeAsString(), id})
        .status();
  }

  absl::StatusOr<v1::Consultation> Conclude(int64_t id, int64_t version, absl::Time now) override {
    RETURN_IF_ERROR(
        db::RunInTransactionWithRetries(*pool_, [&](db::Connection& conn) -> absl::Status {
          ASSIGN_OR_RETURN(db::ResultSet locked,
                           conn.Query("SELECT version, concluded FROM consultations WHERE id = ? "
                                      "FOR UPDATE",
                                      {id}));
          if (locked.empty()) {
            return absl::NotFoundError(absl::StrCat("consultation ", id, " not found"));
          }
          ASSIGN_OR_RETURN(int64_t stored, locked[0].GetInt64("version"));
          if (stored != version) {
            return db::StaleVersionError(
                absl::StrCat("consultation ", id, " is at version ", stored, ", not ", version));
          }
          ASSIGN_OR_RETURN(CommentCounts counts, CountIn(conn, id, true));
          if (counts.undecided > 0) {
            return PreconditionFailed(
                "UNDECIDED_COMMENTS", absl::StrCat("consultation/", id),
                absl::StrCat(counts.undecided, " of ", counts.total,
                             " comments have no feedback decision yet (CON-3)"));
          }
          return conn
              .Execute(
                  "UPDATE consultations SET concluded = TRUE, conclude_time = ?, "
                  "version = version + 1 WHERE id = ?",
                  {now, id})
              .status();
        }));
    return GetConsultation(id);
  }

  absl::StatusOr<v1::Comment> PostComment(const NewComment& n, const idempotency::Key* key,
                                          absl::Time now) override {
    v1::Comment stored;
    const int64_t fingerprint = static_cast<int64_t>(n.fingerprint);
    const std::array<int64_t, kBands> band_keys = BandKeys(n.fingerprint);
    // Round trips are the cost of a comment (docs/performance.md): the per-client count
    // and the band lookups are one statement, anchored on the consultation's row so it
    // has a row when no fingerprint is near; a new group's id goes into the comment's
    // INSERT through LAST_INSERT_ID(). The count needs no bound: the limit it enforces
    // keeps it below per_client_limit. Only fingerprints within the distance come back:
    // BIT_COUNT (MySQL, MariaDB, TiDB) is computed on the band rows, so the many rows of
    // similar campaigns sharing a band are not sent.
    static const std::string candidates_sql = absl::StrCat(
        "SELECT (SELECT COUNT(*) FROM comments WHERE client_key = ? AND created_on = ?) AS "
        "posted, b.fingerprint, b.group_id FROM consultations k LEFT JOIN "
        "comment_fingerprint_bands b ON b.consultation_id = ? AND b.band_key IN (",
        Placeholders(kBands), ") AND BIT_COUNT(b.fingerprint ^ ?) <= ? WHERE k.id = ?");
    RETURN_IF_ERROR(
        db::RunInTransactionWithRetries(*pool_, [&](db::Connection& conn) -> absl::Status {
          const int64_t cid = n.comment.consultation_id();
          std::vector<db::Value> params = {n.client_key, n.day, cid};
          for (int64_t key : band_keys) params.emplace_back(key);
          params.emplace_back(fingerprint);
          params.emplace_back(int64_t{n.max_distance_bits});
          params.emplace_back(cid);
          ASSIGN_OR_RETURN(db::ResultSet rows, conn.Query(candidates_sql, params));
          if (rows.empty()) {
            return absl::NotFoundError(absl::StrCat("consultation ", cid, " not found"));
          }
          // Every row holds the client's count today (the rule set's daily limit).
          ASSIGN_OR_RETURN(int64_t posted, rows[0].GetInt64("posted"));
          if (posted >= n.per_client_limit) {
            return absl::ResourceExhaustedError(
                absl::StrCat("this client has posted ", posted,
                             " comments today, the daily limit: ", n.limit_rule));
          }
          // CON-3: the group of an identical text, else of the nearest near-identical one.
          int64_t group_id = 0;
          bool known_fingerprint = false;
          int best = n.max_distance_bits + 1;
          for (const db::Row& row : rows) {
            ASSIGN_OR_RETURN(std::optional<int64_t> candidate, row.GetOptionalInt64("fingerprint"));
            if (!candidate.has_value()) continue;  // No band row near: the LEFT JOIN's NULLs.
            const int64_t other = *candidate;
            const int distance =
                HammingDistance(static_cast<uint64_t>(other), static_cast<uint64_t>(fingerprint));
            if (distance < best) {
              best = distance;
              ASSIGN_OR_RETURN(group_id, row.GetInt64("group_id"));
              known_fingerprint = distance == 0;
            }
          }
          // The comment as stored, with its group's size and decision (the answer tells
          // the commenter the group), in the read that also yields the new ids.
          const auto read_stored = [&]() -> absl::Status {
            ASSIGN_OR_RETURN(
                db::ResultSet just_stored,
                conn.Query(absl::StrCat(kSelectComment, " WHERE c.id = LAST_INSERT_ID()")));
            if (just_stored.empty()) {
              return absl::InternalError("the comment just inserted is not found");
            }
            ASSIGN_OR_RETURN(stored, ReadComment(just_stored[0]));
            return absl::OkStatus();
          };
          // A new fingerprint's band rows (LAST_INSERT_ID() is unchanged: no auto-increment).
          const auto insert_bands = [&](int64_t group) -> absl::Status {
            if (known_fingerprint) return absl::OkStatus();
            static const std::string sql = [] {
              std::string text =
                  "INSERT INTO comment_fingerprint_bands (consultation_id, band_key, "
                  "fingerprint, group_id) VALUES (?, ?, ?, ?)";
              for (int i = 1; i < kBands; ++i) text.append(", (?, ?, ?, ?)");
              return text;
            }();
            std::vector<db::Value> band_rows;
            band_rows.reserve(4 * kBands);
            for (int64_t band_key : band_keys) {
              band_rows.emplace_back(cid);
              band_rows.emplace_back(band_key);
              band_rows.emplace_back(fingerprint);
              band_rows.emplace_back(group);
            }
            absl::StatusOr<db::ExecResult> inserted = conn.Execute(sql, band_rows);
            // Another transaction stored the same new text first: run again to join its
            // group (ABORTED is retried by RunInTransactionWithRetries).
            if (absl::IsAlreadyExists(inserted.status())) {
              return absl::AbortedError("a concurrent comment created the same group; retry");
            }
            return inserted.status();
          };
          // The comment waits for its search terms (search_pending: the indexer writes
          // them in batches, off this transaction).
          if (group_id == 0) {
            // A new group's representative is its first member (kSelectGroup), so no
            // UPDATE follows the group's INSERT.
            RETURN_IF_ERROR(conn.Execute("INSERT INTO comment_groups (consultation_id, "
                                         "member_count) VALUES (?, 1)",
                                         {cid})
                                .status());
            RETURN_IF_ERROR(
                conn.Execute(
                        "INSERT INTO comments (consultation_id, group_id, text, name, contact, "
                        "show_name, client_key, created_on, visibility, create_time, "
                        "search_pending) VALUES (?, LAST_INSERT_ID(), ?, ?, ?, ?, ?, ?, ?, ?, "
                        "TRUE)",
                        {cid, n.comment.text(), n.comment.name(), n.comment.contact(),
                         n.comment.show_name(), n.client_key, n.day, int64_t{v1::VISIBLE}, now})
                    .status());
            RETURN_IF_ERROR(read_stored());
            RETURN_IF_ERROR(insert_bands(stored.group_id()));
          } else {
            RETURN_IF_ERROR(
                conn.Execute(
                        "INSERT INTO comments (consultation_id, group_id, text, name, "
                        "contact, show_name, client_key, created_on, visibility, "
                        "create_time, search_pending) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                        "TRUE)",
                        {cid, group_id, n.comment.text(), n.comment.name(), n.comment.contact(),
                         n.comment.show_name(), n.client_key, n.day, int64_t{v1::VISIBLE}, now})
                    .status());
            RETURN_IF_ERROR(insert_bands(group_id));
            // Last before the commit: a campaign's group row is what its comments queue
            // on, so it stays locked only for the commit. The first comment to join names
            // the group's representative: its earliest member (kSelectGroup).
            RETURN_IF_ERROR(
                conn.Execute("UPDATE comment_groups SET member_count = member_count + 1, "
                             "representative_comment_id = CASE WHEN representative_comment_id = 0 "
                             "THEN (SELECT MIN(m.id) FROM comments m WHERE m.group_id = ?) ELSE "
                             "representative_comment_id END WHERE id = ?",
                             {group_id, group_id})
                    .status());
            RETURN_IF_ERROR(read_stored());
          }
          return db::InsertIdempotencyRecord(conn, key, stored.SerializeAsString(), now);
        }));
    return stored;
  }

  absl::StatusOr<v1::Comment> UngroupComment(int64_t id, int64_t group_version,
                                             uint64_t fingerprint) override {
    RETURN_IF_ERROR(
        db::RunInTransactionWithRetries(*pool_, [&](db::Connection& conn) -> absl::Status {
          ASSIGN_OR_RETURN(db::ResultSet rows,
                           conn.Query("SELECT c.consultation_id, c.group_id, g.version, "
                                      "g.member_count, g.representative_comment_id FROM comments "
                                      "c JOIN comment_groups g ON g.id = c.group_id WHERE c.id = ? "
                                      "FOR UPDATE",
                                      {id}));
          if (rows.empty()) return absl::NotFoundError(absl::StrCat("comment ", id, " not found"));
          ASSIGN_OR_RETURN(int64_t cid, rows[0].GetInt64("consultation_id"));
          ASSIGN_OR_RETURN(int64_t old_group, rows[0].GetInt64("group_id"));
          ASSIGN_OR_RETURN(int64_t version, rows[0].GetInt64("version"));
          ASSIGN_OR_RETURN(int64_t members, rows[0].GetInt64("member_count"));
          ASSIGN_OR_RETURN(int64_t representative, rows[0].GetInt64("representative_comment_id"));
          if (version != group_version) {
            return db::StaleVersionError(absl::StrCat("group ", old_group, " is at version ",
                                                      version, ", not ", group_version));
          }
          if (members <= 1) {
            return PreconditionFailed("GROUP_OF_ONE", absl::StrCat("comment/", id),
                                      "the comment is alone in its group already");
          }
          ASSIGN_OR_RETURN(db::ExecResult created,
                           conn.ExecuteInsert("INSERT INTO comment_groups (consultation_id, "
                                              "representative_comment_id, member_count) VALUES "
                                              "(?, ?, 1)",
                                              {cid, id}));
          const int64_t new_group = static_cast<int64_t>(created.last_insert_id);
          RETURN_IF_ERROR(
              conn.Execute("UPDATE comments SET group_id = ? WHERE id = ?", {new_group, id})
                  .status());
          // The old group's representative stays shown: pinned to its first remaining
          // member when it was this comment or implicit (0).
          if (representative == 0 || representative == id) {
            ASSIGN_OR_RETURN(
                db::ResultSet first,
                conn.Query("SELECT MIN(id) FROM comments WHERE group_id = ?", {old_group}));
            ASSIGN_OR_RETURN(representative, first[0].GetInt64(0));
          }
          RETURN_IF_ERROR(conn.Execute("UPDATE comment_groups SET member_count = member_count - "
                                       "1, representative_comment_id = ?, version = version + 1 "
                                       "WHERE id = ?",
                                       {representative, old_group})
                              .status());
          // Later copies of this very text follow it into its own group.
          std::vector<db::Value> params = {new_group, cid};
          for (int64_t key : BandKeys(fingerprint)) params.emplace_back(key);
          params.emplace_back(static_cast<int64_t>(fingerprint));
          params.emplace_back(old_group);
          return conn
              .Execute(absl::StrCat("UPDATE comment_fingerprint_bands SET group_id = ? WHERE "
                                    "consultation_id = ? AND band_key IN (",
                                    Placeholders(kBands), ") AND fingerprint = ? AND group_id = ?"),
                       params)
              .status();
        }));
    return GetComment(id);
  }

  absl::StatusOr<std::vector<UnindexedComment>> ClaimUnindexedComments(const std::string& claim,
                                                                       absl::Time now,
                                                                       absl::Duration lease,
                                                                       int limit) override {
    if (limit <= 0) return std::vector<UnindexedComment>();
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    // A plain read of the backlog's head (the (search_pending, id) key, no locks), then a
    // conditional UPDATE of exactly those rows by primary key: rows another claim holds
    // unexpired are left to it, and equality on the key locks no gap, so the inserts of
    // new comments (at the newest ids) never wait for an indexer.
    ASSIGN_OR_RETURN(db::ResultSet head,
                     conn->Query("SELECT id FROM comments WHERE search_pending = TRUE AND "
                                 "(index_claim_until IS NULL OR index_claim_until < ?) ORDER BY "
                                 "id LIMIT ?",
                                 {now, int64_t{limit}}));
    if (head.empty()) return std::vector<UnindexedComment>();
    const std::vector<int64_t> ids = IdsOf(head);
    std::vector<db::Value> params = {claim, now + lease};
    AppendPaddedIds(ids, limit, params);
    params.emplace_back(now);
    ASSIGN_OR_RETURN(
        db::ExecResult claimed,
        conn->Execute(absl::StrCat("UPDATE comments SET index_claim = ?, index_claim_until = ? "
                                   "WHERE id IN (",
                                   Placeholders(limit),
                                   ") AND search_pending = TRUE AND (index_claim_until IS NULL "
                                   "OR index_claim_until < ?)"),
                      params));
    if (claimed.affected_rows == 0) return std::vector<UnindexedComment>();
    params.clear();
    AppendPaddedIds(ids, limit, params);
    params.emplace_back(claim);
    ASSIGN_OR_RETURN(db::ResultSet rows,
                     conn->Query(absl::StrCat("SELECT id, consultation_id, text FROM comments "
                                              "WHERE id IN (",
                                              Placeholders(limit),
                                              ") AND search_pending = TRUE AND index_claim = ? "
                                              "ORDER BY id"),
                                 params));
    return db::MapRows<UnindexedComment>(
        rows, [](const db::Row& row) -> absl::StatusOr<UnindexedComment> {
          UnindexedComment c;
          ASSIGN_OR_RETURN(c.id, row.GetInt64("id"));
          ASSIGN_OR_RETURN(c.consultation_id, row.GetInt64("consultation_id"));
          ASSIGN_OR_RETURN(c.text, row.GetString("text"));
          return c;
        });
  }

  absl::StatusOr<int> StoreCommentTerms(const std::string& claim,
                                        const std::vector<IndexedComment>& batch) override {
    if (batch.empty()) return 0;
    std::vector<int64_t> batch_ids;
    batch_ids.reserve(batch.size());
    for (const IndexedComment& c : batch) batch_ids.push_back(c.id);
    // Statements padded to a power of two of ids: few texts for any batch size.
    int slots = 1;
    while (slots < static_cast<int>(batch_ids.size())) slots *= 2;
    std::vector<db::Value> params;
    AppendPaddedIds(batch_ids, slots, params);
    params.emplace_back(claim);
    int stored = 0;
    RETURN_IF_ERROR(
        db::RunInTransactionWithRetries(*pool_, [&](db::Connection& conn) -> absl::Status {
          // The comments still ours (a plain read): a claim that expired and was taken
          // over, or whose comments another replica indexed meanwhile, stores nothing for
          // them. Comment rows are locked only by the last UPDATE, just before the commit:
          // a comment's post (a group's first joiner reads its earliest member) never
          // waits for a batch's term inserts.
          ASSIGN_OR_RETURN(
              db::ResultSet held,
              conn.Query(absl::StrCat("SELECT id FROM comments WHERE id IN (", Placeholders(slots),
                                      ") AND search_pending = TRUE AND index_claim "
                                      "= ?"),
                         params));
          std::vector<int64_t> ids = IdsOf(held);
          std::sort(ids.begin(), ids.end());
          std::vector<TermRow> rows;
          for (const IndexedComment& c : batch) {
            if (!std::binary_search(ids.begin(), ids.end(), c.id)) continue;
            for (const std::string& term : c.terms) rows.push_back({c.consultation_id, term, c.id});
          }
          // In key order: the batch fills the index's pages in one pass.
          std::sort(rows.begin(), rows.end(), [](const TermRow& a, const TermRow& b) {
            return std::tie(a.consultation_id, a.term, a.comment_id) <
                   std::tie(b.consultation_id, b.term, b.comment_id);
          });
          absl::Status inserted = InsertTermRows(conn, rows);
          if (absl::IsAlreadyExists(inserted)) {
            return absl::AbortedError("a claimed comment was indexed by another replica");
          }
          RETURN_IF_ERROR(inserted);
          ASSIGN_OR_RETURN(db::ExecResult done,
                           conn.Execute(absl::StrCat("UPDATE comments SET search_pending = "
                                                     "FALSE, index_claim = NULL, "
                                                     "index_claim_until = NULL WHERE id IN (",
                                                     Placeholders(slots),
                                                     ") AND search_pending = TRUE AND "
                                                     "index_claim = ?"),
                                        params));
          // A comment taken over between the read and this UPDATE: the terms just
          // inserted would not match the marks; roll back and read again (ABORTED is
          // retried by RunInTransactionWithRetries).
          if (done.affected_rows != static_cast<int64_t>(ids.size())) {
            return absl::AbortedError("a claimed comment was taken over during the batch");
          }
          stored = static_cast<int>(done.affected_rows);
          return absl::OkStatus();
        }));
    return stored;
  }

  absl::StatusOr<int> BackfillCommentTerms(int limit) override {
    int indexed = 0;
    RETURN_IF_ERROR(
        db::RunInTransactionWithRetries(*pool_, [&](db::Connection& conn) -> absl::Status {
          indexed = 0;
          ASSIGN_OR_RETURN(db::ResultSet cursor,
                           conn.Query("SELECT next_after_id, through_id FROM "
                                      "comment_terms_backfill WHERE id = 1 FOR UPDATE"));
          if (cursor.empty()) return absl::OkStatus();
          ASSIGN_OR_RETURN(int64_t after_id, cursor[0].GetInt64("next_after_id"));
          ASSIGN_OR_RETURN(int64_t through_id, cursor[0].GetInt64("through_id"));
          if (after_id >= through_id) return absl::OkStatus();
          ASSIGN_OR_RETURN(db::ResultSet rows,
                           conn.Query("SELECT id, consultation_id, text FROM comments WHERE id > "
                                      "? AND id <= ? ORDER BY id LIMIT ?",
                                      {after_id, through_id, int64_t{limit}}));
          int64_t last = through_id;
          for (const db::Row& row : rows) {
            ASSIGN_OR_RETURN(int64_t id, row.GetInt64("id"));
            ASSIGN_OR_RETURN(int64_t cid, row.GetInt64("consultation_id"));
            ASSIGN_OR_RETURN(std::string text, row.GetString("text"));
            RETURN_IF_ERROR(conn.Execute("DELETE FROM comment_terms WHERE consultation_id = ? "
                                         "AND comment_id = ?",
                                         {cid, id})
                                .status());
            RETURN_IF_ERROR(InsertCommentTerms(conn, cid, id, search::DocumentTerms("", text)));
            last = id;
            ++indexed;
          }
          if (static_cast<int>(rows.size()) < limit) last = through_id;
          return conn
              .Execute("UPDATE comment_terms_backfill SET next_after_id = ? WHERE id = 1", {last})
              .status();
        }));
    return indexed;
  }

  absl::StatusOr<v1::Comment> GetComment(int64_t id) override {
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    ASSIGN_OR_RETURN(db::ResultSet rows,
                     conn->Query(absl::StrCat(kSelectComment, " WHERE c.id = ?"), {id}));
    if (rows.empty()) return absl::NotFoundError(absl::StrCat("comment ", id, " not found"));
    return ReadComment(rows[0]);
  }

  absl::StatusOr<std::vector<v1::Comment>> ListComments(int64_t consultation_id, int64_t group_id,
                                                        int64_t after_id, int limit) override {
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    db::ResultSet rows;
    if (group_id > 0) {
      ASSIGN_OR_RETURN(rows, conn->Query(absl::StrCat(kSelectComment,
                                                      " WHERE c.group_id = ? AND "
                                                      "c.consultation_id = ? AND c.id > ? "
                                                      "ORDER BY c.id LIMIT ?"),
                                         {group_id, consultation_id, after_id, int64_t{limit}}));
    } else {
      ASSIGN_OR_RETURN(rows, conn->Query(absl::StrCat(kSelectComment,
                                                      " WHERE c.consultation_id = ? AND c.id > ? "
                                                      "ORDER BY c.id LIMIT ?"),
                                         {consultation_id, after_id, int64_t{limit}}));
    }
    return db::MapRows<v1::Comment>(rows, ReadComment);
  }

  absl::StatusOr<std::vector<v1::Comment>> SearchComments(int64_t consultation_id,
                                                          const std::vector<std::string>& terms,
                                                          int64_t after_id, int limit) override {
    if (terms.empty()) return std::vector<v1::Comment>();
    // As the catalog's document search (ADR 0004): whole terms are equality probes on the
    // (consultation_id, term, comment_id) key, the first driving the scan in comment-id
    // order; a single CJK character matches any term it starts.
    std::vector<std::string> whole, single;
    for (const std::string& term : terms) {
      (search::IsSingleCjkCharacter(term) ? single : whole).push_back(term);
    }
    std::string sql;
    std::vector<db::Value> params;
    std::string id_column;
    if (!whole.empty()) {
      sql = "SELECT STRAIGHT_JOIN " GONGKAI_COMMENT_COLUMNS " FROM comment_terms t0";
      for (size_t i = 1; i < whole.size(); ++i) {
        absl::StrAppend(&sql, " JOIN comment_terms t", i, " ON t", i, ".consultation_id = ? AND t",
                        i, ".term = ? AND t", i, ".comment_id = t0.comment_id");
        params.emplace_back(consultation_id);
        params.emplace_back(whole[i]);
      }
      absl::StrAppend(&sql,
                      " JOIN comments c ON c.id = t0.comment_id JOIN comment_groups g ON g.id = "
                      "c.group_id WHERE t0.consultation_id = ? AND t0.term = ?");
      params.emplace_back(consultation_id);
      params.emplace_back(whole[0]);
      id_column = "t0.comment_id";
    } else {
      sql = absl::StrCat(kSelectComment, " WHERE c.consultation_id = ?");
      params.emplace_back(consultation_id);
      id_column = "c.id";
    }
    for (size_t k = 0; k < single.size(); ++k) {
      absl::StrAppend(&sql, " AND EXISTS (SELECT 1 FROM comment_terms s", k, " WHERE s", k,
                      ".consultation_id = ? AND s", k, ".comment_id = c.id AND s", k,
                      ".term LIKE ?)");
      params.emplace_back(consultation_id);
      params.emplace_back(absl::StrCat(single[k], "%"));
    }
    absl::StrAppend(&sql, " AND ", id_column, " > ? ORDER BY ", id_column, " LIMIT ?");
    params.emplace_back(after_id);
    params.emplace_back(int64_t{limit});
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    ASSIGN_OR_RETURN(db::ResultSet rows, conn->Query(sql, params));
    return db::MapRows<v1::Comment>(rows, ReadComment);
  }

  absl::StatusOr<v1::Comment> ReportComment(int64_t id) override {
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    ASSIGN_OR_RETURN(db::ExecResult r,
                     conn->Execute("UPDATE comments SET report_count = report_count + 1 WHERE "
                                   "id = ?",
                                   {id}));
    if (r.affected_rows == 0)
      return absl::NotFoundError(absl::StrCat("comment ", id, " not found"));
    return GetComment(id);
  }

  absl::StatusOr<v1::Comment> SetVisibility(int64_t id, v1::Visibility visibility,
                                            v1::HideReason reason) override {
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    RETURN_IF_ERROR(
        conn->Execute("UPDATE comments SET visibility = ?, hide_reason = ? WHERE id = ?",
                      {int64_t{visibility}, int64_t{reason}, id})
            .status());
    return GetComment(id);
  }

  absl::StatusOr<v1::CommentGroup> GetGroup(int64_t id) override {
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    ASSIGN_OR_RETURN(db::ResultSet rows,
                     conn->Query(absl::StrCat(kSelectGroup, " WHERE g.id = ?"), {id}));
    if (rows.empty()) return absl::NotFoundError(absl::StrCat("group ", id, " not found"));
    return ReadGroup(rows[0]);
  }

  absl::StatusOr<std::vector<v1::CommentGroup>> ListGroups(int64_t consultation_id,
                                                           int64_t min_members, int64_t after_id,
                                                           int limit) override {
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    ASSIGN_OR_RETURN(db::ResultSet rows,
                     conn->Query(absl::StrCat(kSelectGroup,
                                              " WHERE g.consultation_id = ? AND g.id > ? AND "
                                              "g.member_count >= ? ORDER BY g.id LIMIT ?"),
                                 {consultation_id, after_id, min_members, int64_t{limit}}));
    return db::MapRows<v1::CommentGroup>(rows, ReadGroup);
  }

  absl::StatusOr<v1::CommentGroup> DecideGroup(const GroupDecision& d) override {
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    ASSIGN_OR_RETURN(
        db::ExecResult r,
        conn->Execute("UPDATE comment_groups SET decision = ?, reason = ?, "
                      "decided_by = ?, version = version + 1 WHERE id = ? AND "
                      "version = ?",
                      {int64_t{d.decision}, d.reason, d.decided_by, d.group_id, d.version}));
    if (r.affected_rows == 0) {
      ASSIGN_OR_RETURN(v1::CommentGroup current, GetGroup(d.group_id));
      return db::StaleVersionError(absl::StrCat("group ", d.group_id, " is at version ",
                                                current.version(), ", not ", d.version));
    }
    return GetGroup(d.group_id);
  }

  absl::StatusOr<std::vector<std::string>> ShownNames(int64_t group_id, int limit) override {
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    ASSIGN_OR_RETURN(db::ResultSet rows,
                     conn->Query("SELECT name FROM comments WHERE group_id = ? AND show_name = "
                                 "TRUE AND name <> '' ORDER BY id LIMIT ?",
                                 {group_id, int64_t{limit}}));
    std::vector<std::string> names;
    for (const db::Row& row : rows) {
      ASSIGN_OR_RETURN(std::string name, row.GetString(0));
      names.push_back(std::move(name));
    }
    return names;
  }

  absl::Status PublishStatement(const v1::FeedbackStatement& statement, absl::Time now) override {
    return db::RunInTransactionWithRetries(*pool_, [&](db::Connection& conn) -> absl::Status {
      ASSIGN_OR_RETURN(CommentCounts counts, CountIn(conn, statement.consultation_id(), true));
      if (counts.undecided > 0 || counts.total != statement.comment_count()) {
        return PreconditionFailed("UNDECIDED_COMMENTS",
                                  absl::StrCat("consultation/", statement.consultation_id()),
                                  absl::StrCat(counts.undecided, " of ", counts.total,
                                               " comments have no feedback decision yet (CON-3)"));
      }
      return conn
          .Execute(
              "INSERT INTO feedback_statements (consultation_id, statement, publish_time) "
              "VALUES (?, ?, ?)",
              {statement.consultation_id(), statement.SerializeAsString(), now})
          .status();
    });
  }

  absl::StatusOr<std::optional<v1::FeedbackStatement>> GetStatement(
      int64_t consultation_id) override {
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    ASSIGN_OR_RETURN(db::ResultSet rows,
                     conn->Query("SELECT statement FROM feedback_statements WHERE "
                                 "consultation_id = ?",
                                 {consultation_id}));
    if (rows.empty()) return std::nullopt;
    ASSIGN_OR_RETURN(std::string bytes, rows[0].GetString(0));
    v1::FeedbackStatement statement;
    if (!statement.ParseFromString(bytes)) return absl::InternalError("bad feedback statement");
    return statement;
  }

  absl::StatusOr<v1::Hearing> CreateHearing(v1::Hearing h, const idempotency::Key* key,
                                            absl::Time now) override {
    ASSIGN_OR_RETURN(absl::CivilDay held_on, ToCivilDay(h.held_on()));
    ASSIGN_OR_RETURN(absl::CivilDay published, ToCivilDay(h.notice_published_on()));
    ASSIGN_OR_RETURN(absl::CivilDay due, ToCivilDay(h.notice_due()));
    h.set_version(1);
    RETURN_IF_ERROR(
        db::RunInTransactionWithRetries(*pool_, [&](db::Connection& conn) -> absl::Status {
          ASSIGN_OR_RETURN(
              db::ExecResult inserted,
              conn.ExecuteInsert(
                  "INSERT INTO hearings (consultation_id, unit_id, kind, title, place, held_on, "
                  "notice_published_on, notice_due, notice_rule, notice_explanation, "
                  "participant_limit, minutes, version, create_time) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', 1, ?)",
                  {h.consultation_id(), h.unit_id(), int64_t{h.kind()}, h.title(), h.place(),
                   held_on, published, due, h.notice_rule(), h.notice_explanation(),
                   int64_t{h.participant_limit()}, now}));
          h.set_id(static_cast<int64_t>(inserted.last_insert_id));
          return db::InsertIdempotencyRecord(conn, key, h.SerializeAsString(), now);
        }));
    return h;
  }

  absl::StatusOr<v1::Hearing> GetHearing(int64_t id) override {
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    ASSIGN_OR_RETURN(db::ResultSet rows,
                     conn->Query(absl::StrCat(kSelectHearing, " WHERE id = ?"), {id}));
    if (rows.empty()) return absl::NotFoundError(absl::StrCat("hearing ", id, " not found"));
    return ReadHearing(rows[0]);
  }

  absl::StatusOr<v1::Hearing> RecordMinutes(int64_t id, int64_t version,
                                            const std::string& minutes) override {
    {
      ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
      ASSIGN_OR_RETURN(db::ExecResult r,
                       conn->Execute("UPDATE hearings SET minutes = ?, version = version + 1 "
                                     "WHERE id = ? AND version = ?",
                                     {minutes, id, version}));
      if (r.affected_rows == 0) {
        ASSIGN_OR_RETURN(v1::Hearing current, GetHearing(id));
        return db::StaleVersionError(
            absl::StrCat("hearing ", id, " is at version ", current.version(), ", not ", version));
      }
    }
    return GetHearing(id);
  }

  absl::StatusOr<v1::MeetingPlan> CreateMeeting(v1::MeetingPlan m, const idempotency::Key* key,
                                                absl::Time now) override {
    ASSIGN_OR_RETURN(absl::CivilDay meeting_on, ToCivilDay(m.meeting_on()));
    m.set_version(1);
    RETURN_IF_ERROR(
        db::RunInTransactionWithRetries(*pool_, [&](db::Connection& conn) -> absl::Status {
          ASSIGN_OR_RETURN(
              db::ExecResult inserted,
              conn.ExecuteInsert(
                  "INSERT INTO meeting_plans (unit_id, title, meeting_on, decides_category, "
                  "domain, consultation_id, major_livelihood_topic, invited, is_public, "
                  "broadcast, live_stream_url, created_by, create_time, version) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)",
                  {m.unit_id(), m.title(), meeting_on, int64_t{m.decides_category()}, m.domain(),
                   m.consultation_id(), m.major_livelihood_topic(), JoinNumbers(m.invited()),
                   m.is_public(), JoinNumbers(m.broadcast()), m.live_stream_url(), m.created_by(),
                   now}));
          m.set_id(static_cast<int64_t>(inserted.last_insert_id));
          return db::InsertIdempotencyRecord(conn, key, m.SerializeAsString(), now);
        }));
    return m;
  }

  absl::StatusOr<v1::MeetingPlan> GetMeeting(int64_t id) override {
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    ASSIGN_OR_RETURN(db::ResultSet rows,
                     conn->Query(absl::StrCat(kSelectMeeting, " WHERE m.id = ?"), {id}));
    if (rows.empty()) return absl::NotFoundError(absl::StrCat("meeting plan ", id, " not found"));
    return ReadMeeting(rows[0]);
  }

  absl::StatusOr<v1::MeetingPlan> AttachStatement(int64_t id, int64_t version,
                                                  int64_t consultation_id,
                                                  const v1::FeedbackStatement& s,
                                                  const outbox::OutboxEvent& delivery,
                                                  absl::Time now) override {
    bool stale = false;
    RETURN_IF_ERROR(
        db::RunInTransactionWithRetries(*pool_, [&](db::Connection& conn) -> absl::Status {
          ASSIGN_OR_RETURN(
              db::ExecResult r,
              conn.Execute("UPDATE meeting_plans SET feedback_statement = ?, consultation_id = ?, "
                           "statement_document_id = CASE WHEN consultation_id = ? THEN "
                           "statement_document_id ELSE 0 END, version = version + 1 WHERE id = ? "
                           "AND version = ?",
                           {s.SerializeAsString(), consultation_id, consultation_id, id, version}));
          stale = r.affected_rows == 0;
          if (stale) return absl::OkStatus();
          // CON-3: the statement reaches the catalog with this commit or not at all.
          return outbox::Enqueue(conn, delivery, now).status();
        }));
    if (stale) {
      ASSIGN_OR_RETURN(v1::MeetingPlan current, GetMeeting(id));
      return db::StaleVersionError(absl::StrCat("meeting plan ", id, " is at version ",
                                                current.version(), ", not ", version));
    }
    if (notifier_ != nullptr) notifier_->Notify();
    return GetMeeting(id);
  }

  absl::Status RecordStatementDocument(int64_t id, int64_t consultation_id,
                                       int64_t document_id) override {
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    return conn
        ->Execute(
            "UPDATE meeting_plans SET statement_document_id = ? WHERE id = ? AND "
            "consultation_id = ?",
            {document_id, id, consultation_id})
        .status();
  }

  absl::StatusOr<std::vector<v1::MeetingPlan>> ListDecisionsWithoutConsultation(
      int64_t unit_id, int64_t after_id, int limit) override {
    std::string sql = absl::StrCat(
        kSelectMeeting,
        " LEFT JOIN consultations c ON c.id = m.consultation_id AND c.closes_on < m.meeting_on "
        "WHERE m.decides_category <> 0 AND c.id IS NULL AND m.id > ?");
    std::vector<db::Value> params = {after_id};
    if (unit_id > 0) {
      sql += " AND m.unit_id = ?";
      params.emplace_back(unit_id);
    }
    sql += " ORDER BY m.id LIMIT ?";
    params.emplace_back(int64_t{limit});
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    ASSIGN_OR_RETURN(db::ResultSet rows, conn->Query(sql, params));
    return db::MapRows<v1::MeetingPlan>(rows, ReadMeeting);
  }

  absl::StatusOr<v1::Application> Apply(v1::Application a, const idempotency::Key* key,
                                        absl::Time now) override {
    *a.mutable_create_time() = ToTimestamp(now);
    RETURN_IF_ERROR(
        db::RunInTransactionWithRetries(*pool_, [&](db::Connection& conn) -> absl::Status {
          ASSIGN_OR_RETURN(
              db::ExecResult inserted,
              conn.ExecuteInsert("INSERT INTO applications (target, target_id, name, contact, "
                                 "attendee_kind, statement, create_time) VALUES (?, ?, ?, ?, ?, "
                                 "?, ?)",
                                 {int64_t{a.target()}, a.target_id(), a.name(), a.contact(),
                                  int64_t{a.attendee_kind()}, a.statement(), now}));
          a.set_id(static_cast<int64_t>(inserted.last_insert_id));
          return db::InsertIdempotencyRecord(conn, key, a.SerializeAsString(), now);
        }));
    return a;
  }

  absl::StatusOr<std::vector<v1::Application>> ListApplications(v1::ApplicationTarget target,
                                                                int64_t target_id, int64_t after_id,
                                                                int limit) override {
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    ASSIGN_OR_RETURN(db::ResultSet rows,
                     conn->Query(absl::StrCat(kSelectApplication,
                                              " WHERE target = ? AND target_id = ? AND id > ? "
                                              "ORDER BY id LIMIT ?"),
                                 {int64_t{target}, target_id, after_id, int64_t{limit}}));
    return db::MapRows<v1::Application>(rows, ReadApplication);
  }

  absl::Status MarkApplications(v1::ApplicationTarget target, int64_t target_id,
                                const std::vector<int64_t>& ids, bool attendance) override {
    const char* column = attendance ? "attended" : "selected";
    return db::RunInTransactionWithRetries(*pool_, [&](db::Connection& conn) -> absl::Status {
      ASSIGN_OR_RETURN(db::ResultSet rows,
                       conn.Query("SELECT id FROM applications WHERE target = ? AND target_id = ? "
                                  "FOR UPDATE",
                                  {int64_t{target}, target_id}));
      std::vector<int64_t> known = IdsOf(rows);
      std::sort(known.begin(), known.end());
      for (int64_t id : ids) {
        if (!std::binary_search(known.begin(), known.end(), id)) {
          return InvalidField("application_ids",
                              absl::StrCat("application ", id, " is not an application to this ",
                                           target == v1::TARGET_HEARING ? "hearing" : "meeting"));
        }
      }
      RETURN_IF_ERROR(conn.Execute(absl::StrCat("UPDATE applications SET ", column,
                                                " = FALSE WHERE target = ? AND target_id = ?"),
                                   {int64_t{target}, target_id})
                          .status());
      for (int64_t id : ids) {
        RETURN_IF_ERROR(
            conn.Execute(absl::StrCat("UPDATE applications SET ", column, " = TRUE WHERE id = ?"),
                         {id})
                .status());
      }
      return absl::OkStatus();
    });
  }

  absl::StatusOr<EvidenceCounts> Evidence(int64_t unit_id, absl::CivilDay start, absl::CivilDay end,
                                          absl::CivilDay today) override {
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    EvidenceCounts e;
    const auto ids = [&](const std::string& sql,
                         std::vector<db::Value> params) -> absl::StatusOr<std::vector<int64_t>> {
      ASSIGN_OR_RETURN(db::ResultSet rows, conn->Query(sql, params));
      return IdsOf(rows);
    };
    ASSIGN_OR_RETURN(e.consultations,
                     ids("SELECT id FROM consultations WHERE unit_id = ? AND opens_on BETWEEN ? "
                         "AND ? AND opens_on <= ? ORDER BY id",
                         {unit_id, start, end, today}));
    ASSIGN_OR_RETURN(e.consultations_short_period,
                     ids("SELECT id FROM consultations WHERE unit_id = ? AND opens_on BETWEEN ? "
                         "AND ? AND opens_on <= ? AND shortening_reason <> '' ORDER BY id",
                         {unit_id, start, end, today}));
    ASSIGN_OR_RETURN(e.consultations_concluded,
                     ids("SELECT id FROM consultations WHERE unit_id = ? AND closes_on BETWEEN ? "
                         "AND ? AND closes_on < ? AND concluded = TRUE ORDER BY id",
                         {unit_id, start, end, today}));
    ASSIGN_OR_RETURN(e.consultations_unconcluded,
                     ids("SELECT id FROM consultations WHERE unit_id = ? AND closes_on BETWEEN ? "
                         "AND ? AND closes_on < ? AND concluded = FALSE ORDER BY id",
                         {unit_id, start, end, today}));
    ASSIGN_OR_RETURN(e.consultations_without_statement,
                     ids("SELECT c.id FROM consultations c LEFT JOIN feedback_statements s ON "
                         "s.consultation_id = c.id WHERE c.unit_id = ? AND c.closes_on BETWEEN ? "
                         "AND ? AND c.closes_on < ? AND s.consultation_id IS NULL ORDER BY c.id",
                         {unit_id, start, end, today}));
    ASSIGN_OR_RETURN(db::ResultSet comments,
                     conn->Query("SELECT COALESCE(SUM(g.member_count), 0) AS total, "
                                 "COALESCE(SUM(CASE WHEN g.decision <> 0 THEN g.member_count "
                                 "ELSE 0 END), 0) AS decided FROM comment_groups g JOIN "
                                 "consultations c ON c.id = g.consultation_id WHERE c.unit_id = ? "
                                 "AND c.opens_on BETWEEN ? AND ?",
                                 {unit_id, start, end}));
    ASSIGN_OR_RETURN(e.comments, comments[0].GetInt64("total"));
    ASSIGN_OR_RETURN(e.comments_decided, comments[0].GetInt64("decided"));
    ASSIGN_OR_RETURN(e.hearings, ids("SELECT id FROM hearings WHERE unit_id = ? AND held_on "
                                     "BETWEEN ? AND ? ORDER BY id",
                                     {unit_id, start, end}));
    ASSIGN_OR_RETURN(e.hearings_without_minutes,
                     ids("SELECT id FROM hearings WHERE unit_id = ? AND held_on BETWEEN ? AND ? "
                         "AND held_on < ? AND minutes = '' ORDER BY id",
                         {unit_id, start, end, today}));
    ASSIGN_OR_RETURN(e.meetings, ids("SELECT id FROM meeting_plans WHERE unit_id = ? AND "
                                     "meeting_on BETWEEN ? AND ? ORDER BY id",
                                     {unit_id, start, end}));
    ASSIGN_OR_RETURN(e.livelihood_meetings,
                     ids("SELECT id FROM meeting_plans WHERE unit_id = ? AND meeting_on BETWEEN ? "
                         "AND ? AND major_livelihood_topic = TRUE ORDER BY id",
                         {unit_id, start, end}));
    ASSIGN_OR_RETURN(e.livelihood_meetings_closed,
                     ids("SELECT id FROM meeting_plans WHERE unit_id = ? AND meeting_on BETWEEN ? "
                         "AND ? AND major_livelihood_topic = TRUE AND is_public = FALSE AND "
                         "invited = '' ORDER BY id",
                         {unit_id, start, end}));
    ASSIGN_OR_RETURN(e.meetings_with_attendees,
                     ids("SELECT DISTINCT m.id FROM meeting_plans m JOIN applications a ON "
                         "a.target = ? AND a.target_id = m.id AND a.attended = TRUE WHERE "
                         "m.unit_id = ? AND m.meeting_on BETWEEN ? AND ? ORDER BY m.id",
                         {int64_t{v1::TARGET_MEETING}, unit_id, start, end}));
    return e;
  }

  absl::StatusOr<Gauges> ReadGauges(absl::CivilDay today) override {
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    ASSIGN_OR_RETURN(
        db::ResultSet rows,
        conn->Query(
            "SELECT "
            "(SELECT COUNT(*) FROM consultations WHERE concluded = FALSE AND opens_on <= ? AND "
            "closes_on >= ?) AS open_count, "
            "(SELECT COUNT(*) FROM consultations WHERE concluded = FALSE AND opens_on > ?) AS "
            "scheduled_count, "
            "(SELECT COUNT(*) FROM consultations WHERE concluded = FALSE AND closes_on < ?) AS "
            "closed_count, "
            "(SELECT COALESCE(SUM(g.member_count), 0) FROM comment_groups g JOIN consultations c "
            "ON c.id = g.consultation_id WHERE c.concluded = FALSE AND c.closes_on < ? AND "
            "g.decision = 0) AS undecided, "
            "(SELECT COUNT(*) FROM comments WHERE report_count > 0 AND visibility = ?) AS "
            "reported, "
            "(SELECT COUNT(*) FROM comments WHERE search_pending = TRUE) AS search_backlog, "
            "(SELECT COUNT(*) FROM consultations WHERE concluded = FALSE AND closes_on = ?) AS "
            "pending_periods, "
            "(SELECT create_time FROM comments WHERE search_pending = TRUE ORDER BY id LIMIT 1) "
            "AS oldest_unindexed",
            {today, today, today, today, today, int64_t{v1::VISIBLE}, PendingClosingDay()}));
    Gauges g;
    ASSIGN_OR_RETURN(g.open_consultations, rows[0].GetInt64("open_count"));
    ASSIGN_OR_RETURN(g.scheduled_consultations, rows[0].GetInt64("scheduled_count"));
    ASSIGN_OR_RETURN(g.closed_unconcluded, rows[0].GetInt64("closed_count"));
    ASSIGN_OR_RETURN(g.undecided_comments_closed, rows[0].GetInt64("undecided"));
    ASSIGN_OR_RETURN(g.reported_visible_comments, rows[0].GetInt64("reported"));
    ASSIGN_OR_RETURN(g.search_backlog, rows[0].GetInt64("search_backlog"));
    ASSIGN_OR_RETURN(g.pending_periods, rows[0].GetInt64("pending_periods"));
    ASSIGN_OR_RETURN(g.oldest_unindexed, rows[0].GetOptionalTime("oldest_unindexed"));
    return g;
  }

  absl::StatusOr<std::optional<std::string>> FindIdempotentResponse(
      const idempotency::Key& key) override {
    return db::FindIdempotentResponse(*pool_, key);
  }

 private:
  // Counts from the groups (one row per distinct text cluster, not per comment).
  static absl::StatusOr<CommentCounts> CountIn(db::Connection& conn, int64_t consultation_id,
                                               bool lock) {
    ASSIGN_OR_RETURN(
        db::ResultSet rows,
        conn.Query(absl::StrCat("SELECT COALESCE(SUM(member_count), 0) AS total, "
                                "COALESCE(SUM(CASE WHEN decision = 0 THEN member_count ELSE 0 "
                                "END), 0) AS undecided FROM comment_groups WHERE "
                                "consultation_id = ?",
                                lock ? " LOCK IN SHARE MODE" : ""),
                   {consultation_id}));
    CommentCounts counts;
    ASSIGN_OR_RETURN(counts.total, rows[0].GetInt64("total"));
    ASSIGN_OR_RETURN(counts.undecided, rows[0].GetInt64("undecided"));
    return counts;
  }

  db::ConnectionPool* pool_;
  outbox::Notifier* notifier_;
};

}  // namespace

std::unique_ptr<ConsultationRepository> NewMysqlConsultationRepository(db::ConnectionPool* pool,
                                                                       outbox::Notifier* notifier) {
  return std::make_unique<MysqlConsultationRepository>(pool, notifier);
}

}  // namespace gongkai::consultation
