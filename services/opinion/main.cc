// gongkai-opinion: the opinion-response service (OPI-1..OPI-5, NAT-12; opinion_app.h).
// It reads the suite's calendar and units from the catalog (its peer) and keeps its
// response clocks in hours with a scheduler of its own.
#include "libs/db/embedded_migrations.h"
#include "libs/outbox/outbox.h"
#include "libs/rules/embedded_rule_sets.h"
#include "libs/server/service_runner.h"
#include "services/opinion/opinion_app.h"
#include "services/opinion/opinion_rule_sets.h"

int main(int argc, char** argv) {
  using namespace gongkai;  // NOLINT(build/namespaces): the composition root.
  opinion::OpinionConfig opinion_config;
  server::ServiceDefinition definition;
  definition.name = "opinion";
  definition.default_grpc_address = "0.0.0.0:50054";
  definition.default_metrics_address = "0.0.0.0:9104";
  // The catalog: calendar and units; the interpretation service: supplementary
  // interpretations requested through the outbox (INT-2/OPI-1).
  definition.peers = {"catalog", "interpretation"};
  definition.library_migrations = {outbox::OutboxMigrationSet()};
  definition.migrations = db::EmbeddedMigrations();
  definition.rule_schemas = {opinion::ClockRuleSchema(), opinion::RoutingRuleSchema()};
  definition.builtin_rule_sets = rules::EmbeddedRuleSetFiles();
  definition.read_config = [&](config::ConfigReader& r) {
    opinion::ReadOpinionConfig(r, opinion_config);
  };
  definition.build = [&](const server::ServiceEnvironment& env) {
    return opinion::NewOpinionApp(env, opinion_config);
  };
  return server::RunService(argc, argv, definition);
}
