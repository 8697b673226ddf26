#include "tests/template/notes_service.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "libs/auth/authenticated_call.h"
#include "libs/calendar/working_day_calendar.h"
#include "libs/db/idempotency.h"
#include "libs/db/transaction.h"
#include "libs/protoconv/protoconv.h"
#include "libs/status/errors.h"
#include "libs/status/status_macros.h"
#include "libs/validation/validation.h"

namespace gongkai::testing::notes {
namespace {

constexpr char kSelectNote[] =
    "SELECT id, text, created_on, reply_working_days, reply_due, created_by FROM notes";

absl::StatusOr<v1::Note> ReadNote(const db::Row& row) {
  v1::Note note;
  ASSIGN_OR_RETURN(int64_t id, row.GetInt64("id"));
  note.set_id(id);
  ASSIGN_OR_RETURN(*note.mutable_text(), row.GetString("text"));
  ASSIGN_OR_RETURN(absl::CivilDay created_on, row.GetCivilDay("created_on"));
  *note.mutable_created_on() = ToProtoDate(created_on);
  ASSIGN_OR_RETURN(int64_t days, row.GetInt64("reply_working_days"));
  note.set_reply_working_days(static_cast<int32_t>(days));
  ASSIGN_OR_RETURN(absl::CivilDay due, row.GetCivilDay("reply_due"));
  *note.mutable_reply_due() = ToProtoDate(due);
  ASSIGN_OR_RETURN(*note.mutable_created_by(), row.GetString("created_by"));
  return note;
}

class MysqlNotesRepository final : public NotesRepository {
 public:
  explicit MysqlNotesRepository(db::ConnectionPool* pool) : pool_(pool) {}

  absl::StatusOr<v1::Note> Create(v1::Note note, const idempotency::Key* key,
                                  absl::Time now) override {
    RETURN_IF_ERROR(
        db::RunInTransactionWithRetries(*pool_, [&](db::Connection& conn) -> absl::Status {
          ASSIGN_OR_RETURN(absl::CivilDay due, ToCivilDay(note.reply_due()));
          ASSIGN_OR_RETURN(absl::CivilDay created_on, ToCivilDay(note.created_on()));
          ASSIGN_OR_RETURN(
              db::ExecResult inserted,
              conn.ExecuteInsert("INSERT INTO notes (text, created_on, reply_working_days, "
                                 "reply_due, created_by, create_time) VALUES (?, ?, ?, ?, ?, ?)",
                                 {note.text(), created_on, note.reply_working_days(), due,
                                  note.created_by(), now}));
          note.set_id(static_cast<int64_t>(inserted.last_insert_id));
          return db::InsertIdempotencyRecord(conn, key, note.SerializeAsString(), now);
        }));
    return note;
  }

  absl::StatusOr<v1::Note> Get(int64_t id) override {
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    ASSIGN_OR_RETURN(db::ResultSet rows,
                     conn->Query(absl::StrCat(kSelectNote, " WHERE id = ?"), {id}));
    if (rows.empty()) return absl::NotFoundError(absl::StrCat("note ", id, " not found"));
    return ReadNote(rows[0]);
  }

  absl::StatusOr<std::vector<v1::Note>> ListAfter(int64_t after_id, int limit) override {
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    ASSIGN_OR_RETURN(db::ResultSet rows,
                     conn->Query(absl::StrCat(kSelectNote, " WHERE id > ? ORDER BY id LIMIT ?"),
                                 {after_id, int64_t{limit}}));
    std::vector<v1::Note> notes;
    for (const db::Row& row : rows) {
      ASSIGN_OR_RETURN(v1::Note note, ReadNote(row));
      notes.push_back(std::move(note));
    }
    return notes;
  }

  absl::Status UpdateReplyDue(int64_t id, absl::CivilDay due) override {
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    return conn->Execute("UPDATE notes SET reply_due = ? WHERE id = ?", {due, id}).status();
  }

  absl::StatusOr<std::optional<std::string>> FindIdempotentResponse(
      const idempotency::Key& key) override {
    return db::FindIdempotentResponse(*pool_, key);
  }

 private:
  db::ConnectionPool* pool_;
};

absl::Status RequireStaff(const auth::Principal& caller) {
  if (caller.anonymous()) return absl::UnauthenticatedError("a token is required");
  if (!caller.roles.Contains(auth::Role::kStaff) && !caller.roles.Contains(auth::Role::kAdmin)) {
    return absl::PermissionDeniedError("notes are for STAFF and ADMIN");
  }
  return absl::OkStatus();
}

}  // namespace

std::shared_ptr<const rules::RuleSchema> NotesRuleSchema() {
  static const auto* const schema =
      new std::shared_ptr<const rules::RuleSchema>(std::make_shared<const rules::RuleSchema>(
          "notes.reply", std::vector<rules::RuleSpec>{rules::RuleSpec::Integer(
                             "reply.working_days", rules::Unit::kWorkingDays, {1, 100}, "TPL-1",
                             "a note is answered within")}));
  return *schema;
}

std::unique_ptr<NotesRepository> NewMysqlNotesRepository(db::ConnectionPool* pool) {
  return std::make_unique<MysqlNotesRepository>(pool);
}

absl::StatusOr<v1::Note> Notes::CreateNote(const auth::Principal& caller,
                                           const v1::CreateNoteRequest& request) {
  RETURN_IF_ERROR(RequireStaff(caller));
  FieldViolations violations;
  validation::CheckRequestId(violations, "request_id", request.request_id());
  validation::CheckText(violations, "text", request.text(), {.min_chars = 1, .max_chars = 500});
  RETURN_IF_ERROR(violations.ToStatus());
  const idempotency::Key key{caller.subject, "CreateNote", request.request_id()};
  return idempotency::IdempotentCreate<v1::Note>(
      *repository_, key, [&](const idempotency::Key* stored_key) -> absl::StatusOr<v1::Note> {
        const absl::CivilDay today = calendar::TodayInShanghai(*clock_);
        ASSIGN_OR_RETURN(std::shared_ptr<const rules::RuleSet> rule_set,
                         rules_->EffectiveOn("notes.reply", today));
        ASSIGN_OR_RETURN(rules::Cited<int64_t> period, rule_set->WorkingDays("reply.working_days"));
        ASSIGN_OR_RETURN(calendar::Deadline due,
                         calendar_->AddWorkingDays(today, static_cast<int>(period.value)));
        v1::Note note;
        note.set_text(request.text());
        note.set_created_by(caller.subject);
        *note.mutable_created_on() = ToProtoDate(today);
        note.set_reply_working_days(static_cast<int32_t>(period.value));
        *note.mutable_reply_due() = ToProtoDate(due.due);
        *note.mutable_reply_due_explanation() = ToProto(due);
        note.set_reply_period_rule(period.rule.Explain());
        return repository_->Create(std::move(note), stored_key, clock_->Now());
      });
}

absl::StatusOr<v1::Note> Notes::GetNote(const auth::Principal& caller,
                                        const v1::GetNoteRequest& request) {
  RETURN_IF_ERROR(RequireStaff(caller));
  FieldViolations violations;
  validation::CheckId(violations, "id", request.id(), /*required=*/true);
  RETURN_IF_ERROR(violations.ToStatus());
  return repository_->Get(request.id());
}

absl::StatusOr<int> Notes::RecomputeReplyDue(const std::function<bool()>& stopping) {
  constexpr int kBatch = 100;
  int changed = 0;
  int64_t after_id = 0;
  while (!stopping()) {
    ASSIGN_OR_RETURN(std::vector<v1::Note> notes, repository_->ListAfter(after_id, kBatch));
    for (const v1::Note& note : notes) {
      after_id = note.id();
      ASSIGN_OR_RETURN(absl::CivilDay created_on, ToCivilDay(note.created_on()));
      absl::StatusOr<calendar::Deadline> due =
          calendar_->AddWorkingDays(created_on, note.reply_working_days());
      if (absl::IsFailedPrecondition(due.status())) continue;  // A year not loaded yet.
      if (!due.ok()) return due.status();
      if (ToProtoDate(due->due).SerializeAsString() == note.reply_due().SerializeAsString()) {
        continue;
      }
      RETURN_IF_ERROR(repository_->UpdateReplyDue(note.id(), due->due));
      ++changed;
    }
    if (static_cast<int>(notes.size()) < kBatch) break;
  }
  return changed;
}

grpc::Status NotesHandler::CreateNote(grpc::ServerContext* context,
                                      const v1::CreateNoteRequest* request, v1::Note* response) {
  return auth::AnswerAuthenticated(
      *authenticator_, *context, response,
      [&](const auth::Principal& caller) { return notes_->CreateNote(caller, *request); });
}

grpc::Status NotesHandler::GetNote(grpc::ServerContext* context, const v1::GetNoteRequest* request,
                                   v1::Note* response) {
  return auth::AnswerAuthenticated(
      *authenticator_, *context, response,
      [&](const auth::Principal& caller) { return notes_->GetNote(caller, *request); });
}

}  // namespace gongkai::testing::notes
