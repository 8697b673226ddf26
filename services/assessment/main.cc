// gongkai-assessment: the performance assessment of openness work (ASM-1..ASM-6). All
// this file names is what is particular to the service; the process is
// libs/server/service_runner.h and the object graph assessment_app.h.
#include "libs/db/embedded_migrations.h"
#include "libs/rules/embedded_rule_sets.h"
#include "libs/server/service_runner.h"
#include "services/assessment/assessment_app.h"
#include "services/assessment/scheme.h"

int main(int argc, char** argv) {
  using namespace gongkai;  // NOLINT(build/namespaces): the composition root.
  assessment::AssessmentConfig config;
  server::ServiceDefinition definition;
  definition.name = "assessment";
  definition.default_grpc_address = "0.0.0.0:50056";
  definition.default_metrics_address = "0.0.0.0:9106";
  definition.migrations = db::EmbeddedMigrations();
  definition.rule_schemas = {assessment::SchemeRuleSchema()};
  definition.builtin_rule_sets = rules::EmbeddedRuleSetFiles();
  definition.peers = assessment::AssessmentPeers();
  definition.read_config = [&](config::ConfigReader& reader) {
    assessment::ReadAssessmentConfig(reader, config);
  };
  definition.build = [&](const server::ServiceEnvironment& env) {
    return assessment::NewAssessmentApp(env, config);
  };
  return server::RunService(argc, argv, definition);
}
