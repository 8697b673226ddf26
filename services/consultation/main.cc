// gongkai-consultation: public participation (CON-1..CON-5, NAT-11). The process is
// libs/server/service_runner.h; the object graph consultation_app.h.
//
//   gongkai-consultation [serve]   run the gRPC server (applies pending migrations first)
//   gongkai-consultation migrate   apply pending migrations and exit
//
// It reads the calendar from the catalog (GONGKAI_CALENDAR_ADDRESS) and the units from
// the catalog's ListUnits as the service principal (GONGKAI_PEERS=catalog=host:port).
#include <memory>

#include "libs/db/embedded_migrations.h"
#include "libs/outbox/outbox.h"
#include "libs/rules/embedded_rule_sets.h"
#include "libs/server/service_runner.h"
#include "services/consultation/consultation_app.h"
#include "services/consultation/consultation_rules.h"

int main(int argc, char** argv) {
  using namespace gongkai;  // NOLINT(build/namespaces): the composition root.
  consultation::ConsultationConfig consultation_config;
  server::ServiceDefinition definition;
  definition.name = "consultation";
  definition.default_grpc_address = "0.0.0.0:50053";
  definition.default_metrics_address = "0.0.0.0:9103";
  // The catalog: calendar, units, and the feedback statements sent through the outbox
  // (CON-3).
  definition.peers = {"catalog"};
  definition.library_migrations = {outbox::OutboxMigrationSet()};
  definition.migrations = db::EmbeddedMigrations();
  // NAT-11 periods, CON-1 scope, comment limits: schemas in code, numbers in rules/*.json.
  definition.rule_schemas = consultation::ConsultationRuleSchemas();
  definition.builtin_rule_sets = rules::EmbeddedRuleSetFiles();
  definition.read_config = [&](config::ConfigReader& r) {
    consultation::ReadConsultationConfig(r, consultation_config);
  };
  definition.build = [&](const server::ServiceEnvironment& env) {
    return consultation::NewConsultationApp(env, consultation_config);
  };
  return server::RunService(argc, argv, definition);
}
