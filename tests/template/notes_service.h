// The minimal test-only service (see notes.proto): the three layers every gongkai service
// has, each a few lines, on the shared libraries only.
//
//   NotesHandler (gRPC; libs/auth/authenticated_call.h)
//     -> Notes (rules: validation, the reply clock from the suite's calendar and the
//        period from the "notes.reply" rule set, idempotent creates through
//        libs/idempotency)
//       -> NotesRepository (interface) <- MySQL implementation (libs/db, and the
//          idempotency_keys table libs/db ships as a library migration)
//
// Thread-safe.
#ifndef GONGKAI_TESTS_TEMPLATE_NOTES_SERVICE_H_
#define GONGKAI_TESTS_TEMPLATE_NOTES_SERVICE_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "gongkai/testing/notes/v1/notes.grpc.pb.h"
#include "libs/auth/authenticator.h"
#include "libs/auth/principal.h"
#include "libs/calendar/working_day_calendar.h"
#include "libs/clock/clock.h"
#include "libs/db/connection_pool.h"
#include "libs/idempotency/idempotency.h"
#include "libs/rules/rule_book.h"
#include "libs/rules/rule_schema.h"

namespace gongkai::testing::notes {

class NotesRepository {
 public:
  virtual ~NotesRepository() = default;
  // Stores `note` (its id is assigned) with the idempotency record of `key`.
  virtual absl::StatusOr<v1::Note> Create(v1::Note note, const idempotency::Key* key,
                                          absl::Time now) = 0;
  virtual absl::StatusOr<v1::Note> Get(int64_t id) = 0;
  // Up to `limit` notes with an id above `after_id`, in id order.
  virtual absl::StatusOr<std::vector<v1::Note>> ListAfter(int64_t after_id, int limit) = 0;
  virtual absl::Status UpdateReplyDue(int64_t id, absl::CivilDay due) = 0;
  virtual absl::StatusOr<std::optional<std::string>> FindIdempotentResponse(
      const idempotency::Key& key) = 0;
};

std::unique_ptr<NotesRepository> NewMysqlNotesRepository(db::ConnectionPool* pool);

// The rule set the service reads: how many working days a reply may take ("TPL-1", a
// made-up requirement of this test-only service).
std::shared_ptr<const rules::RuleSchema> NotesRuleSchema();

class Notes {
 public:
  Notes(NotesRepository* repository, std::shared_ptr<const calendar::WorkingDayCalendar> calendar,
        std::shared_ptr<const rules::RuleBook> rules, const Clock* clock)
      : repository_(repository),
        calendar_(std::move(calendar)),
        rules_(std::move(rules)),
        clock_(clock) {}

  absl::StatusOr<v1::Note> CreateNote(const auth::Principal& caller,
                                      const v1::CreateNoteRequest& request);
  absl::StatusOr<v1::Note> GetNote(const auth::Principal& caller,
                                   const v1::GetNoteRequest& request);

  // After a calendar change (NAT-1): every stored due date computed again from its start
  // day and length on the current calendar; returns how many changed. A note whose
  // period reaches a year that is not loaded keeps its date.
  absl::StatusOr<int> RecomputeReplyDue(const std::function<bool()>& stopping);

 private:
  NotesRepository* repository_;
  std::shared_ptr<const calendar::WorkingDayCalendar> calendar_;
  std::shared_ptr<const rules::RuleBook> rules_;
  const Clock* clock_;
};

class NotesHandler final : public v1::NotesService::Service {
 public:
  NotesHandler(Notes* notes, const auth::Authenticator* authenticator)
      : notes_(notes), authenticator_(authenticator) {}

  grpc::Status CreateNote(grpc::ServerContext* context, const v1::CreateNoteRequest* request,
                          v1::Note* response) override;
  grpc::Status GetNote(grpc::ServerContext* context, const v1::GetNoteRequest* request,
                       v1::Note* response) override;

 private:
  Notes* notes_;
  const auth::Authenticator* authenticator_;
};

}  // namespace gongkai::testing::notes

#endif  // GONGKAI_TESTS_TEMPLATE_NOTES_SERVICE_H_
