// gongkai-interpretation: the interpretation service process (libs/server/
// service_runner.h runs it; its object graph is interpretation_app.h).
//
//   gongkai-interpretation [serve]   run the gRPC server (applies pending migrations first)
//   gongkai-interpretation migrate   apply pending migrations and exit
//
// It reads the calendar and documents from the catalog (its peer "catalog",
// GONGKAI_PEERS) and is called by the catalog (the release gate and the publication
// events); its outbox relay reports releases after the document to the catalog. Its own
// settings: GONGKAI_CATALOG_CALL_TIMEOUT and the relay's GONGKAI_OUTBOX_*
// (docs/services/interpretation.md).
#include <memory>

#include "libs/db/embedded_migrations.h"
#include "libs/outbox/outbox.h"
#include "libs/rules/embedded_rule_sets.h"
#include "libs/server/service_runner.h"
#include "services/interpretation/interpretation_app.h"
#include "services/interpretation/interpretation_rules.h"

int main(int argc, char** argv) {
  using namespace gongkai;  // NOLINT(build/namespaces): the composition root.
  interpretation::InterpretationConfig interpretation_config;
  server::ServiceDefinition definition;
  definition.name = "interpretation";
  definition.default_grpc_address = "0.0.0.0:50052";
  definition.default_metrics_address = "0.0.0.0:9102";
  definition.peers = {"catalog"};
  definition.migrations = db::EmbeddedMigrations();
  // The outbox of the reports to the catalog (INT-3; table outbox_events, ADR 0024).
  definition.library_migrations = {outbox::OutboxMigrationSet()};
  // INT-3's allowed lag: the schema in code, the national default as data (rules/).
  definition.rule_schemas = {interpretation::ReleaseRuleSchema()};
  definition.builtin_rule_sets = rules::EmbeddedRuleSetFiles();
  definition.read_config = [&](config::ConfigReader& r) {
    interpretation::ReadInterpretationConfig(r, interpretation_config);
  };
  definition.build = [&](const server::ServiceEnvironment& env)
      -> absl::StatusOr<std::unique_ptr<server::ServiceApp>> {
    return interpretation::NewInterpretationApp(env, interpretation_config);
  };
  return server::RunService(argc, argv, definition);
}
