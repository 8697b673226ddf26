// gongkai-notes: the minimal test-only service (notes_service.h). All it names is what
// is particular to it; the process itself is libs/server/service_runner.h. It does not
// own the calendar, so it reads the years from the catalog (GONGKAI_CALENDAR_ADDRESS);
// its reply period is a rule set (rules/notes.reply.v1.json, replaceable at run time).
#include <memory>

#include "libs/calendar/calendar_service.h"
#include "libs/db/embedded_migrations.h"
#include "libs/log/log.h"
#include "libs/rules/embedded_rule_sets.h"
#include "libs/server/service_runner.h"
#include "tests/template/notes_service.h"

namespace gongkai::testing::notes {
namespace {

class NotesApp final : public server::ServiceApp {
 public:
  explicit NotesApp(const server::ServiceEnvironment& env)
      : repository_(NewMysqlNotesRepository(env.pool)),
        notes_(repository_.get(), env.calendar, env.rules, env.clock),
        handler_(&notes_, env.authenticator),
        calendar_service_(env.calendar) {}

  // Runs after the first calendar sync: from then on the synced years are served.
  absl::Status Start(const server::Stopping& /*stopping*/) override {
    calendar_service_.MarkSynced();
    return absl::OkStatus();
  }

  // NAT-1: stored due dates follow the calendar. (A new rule-set version changes nothing
  // stored: a note keeps the rule of the day it was created, named in its answer.)
  void OnCalendarChanged(const server::Stopping& stopping) override {
    absl::StatusOr<int> changed = notes_.RecomputeReplyDue(stopping);
    if (!changed.ok()) {
      GK_LOG(WARNING, "recomputing reply due dates failed").With("status", changed.status());
    } else if (*changed > 0) {
      GK_LOG(INFO, "reply due dates recomputed").With("notes", *changed);
    }
  }

  std::vector<server::HostedService> Services() override {
    // The calendar handler lets the tests see which years this process has synced.
    return {server::Hosted<v1::NotesService>(&handler_),
            server::Hosted<common::v1::CalendarService>(&calendar_service_)};
  }

 private:
  std::unique_ptr<NotesRepository> repository_;
  Notes notes_;
  NotesHandler handler_;
  calendar::CalendarServiceHandler calendar_service_;
};

}  // namespace
}  // namespace gongkai::testing::notes

int main(int argc, char** argv) {
  using namespace gongkai;  // NOLINT(build/namespaces): the composition root.
  server::ServiceDefinition definition;
  definition.name = "notes";
  definition.default_grpc_address = "127.0.0.1:50099";
  definition.default_metrics_address = "127.0.0.1:9199";
  definition.migrations = db::EmbeddedMigrations();
  definition.rule_schemas = {testing::notes::NotesRuleSchema()};
  definition.builtin_rule_sets = rules::EmbeddedRuleSetFiles();
  definition.build = [&](const server::ServiceEnvironment& env)
      -> absl::StatusOr<std::unique_ptr<server::ServiceApp>> {
    return std::make_unique<testing::notes::NotesApp>(env);
  };
  return server::RunService(argc, argv, definition);
}
