// gongkai-catalog: the catalog service process (libs/server/service_runner.h runs it;
// its object graph is catalog_app.h).
//
//   gongkai-catalog [serve]   run the gRPC server (applies pending migrations first)
//   gongkai-catalog migrate   apply pending migrations and exit
//
// The catalog owns the suite's calendar: it keeps the years loaded at run time in its
// database and serves them to the other services (gongkai.common.v1.CalendarService).
// Its own settings besides the shared ones (docs/services/catalog.md):
// GONGKAI_APPLICANT_KEY_SECRET(_FILE), GONGKAI_DOCUMENT_CACHE_BYTES,
// GONGKAI_DOCUMENT_CACHE_MAX_STALENESS, GONGKAI_DOCUMENT_LIST_CACHE_BYTES,
// GONGKAI_INTERPRETATION_CALL_TIMEOUT, GONGKAI_OUTBOX_POLL_INTERVAL. Its peer (GONGKAI_PEERS):
// interpretation.
#include <memory>

#include "libs/db/embedded_migrations.h"
#include "libs/outbox/outbox.h"
#include "libs/rules/embedded_rule_sets.h"
#include "libs/server/service_runner.h"
#include "services/catalog/catalog_app.h"
#include "services/catalog/catalog_rule_sets.h"

int main(int argc, char** argv) {
  using namespace gongkai;  // NOLINT(build/namespaces): the composition root.
  catalog::CatalogConfig catalog_config;
  server::ServiceDefinition definition;
  definition.name = "catalog";
  definition.default_grpc_address = "0.0.0.0:50051";
  definition.default_metrics_address = "0.0.0.0:9101";
  definition.owns_calendar = true;
  // INT-3: the release gate and the publication events go to the interpretation service;
  // the events wait in the outbox (libs/outbox) until it has them.
  definition.peers = {"interpretation"};
  definition.library_migrations = {outbox::OutboxMigrationSet()};
  definition.migrations = db::EmbeddedMigrations();
  // The statutory numbers (CAT-3, NAT-10): schemas in code, the national defaults as data
  // (services/catalog/rules), versions put at run time in the database (ADR 0019).
  definition.rule_schemas = catalog::CatalogRuleSchemas();
  definition.builtin_rule_sets = rules::EmbeddedRuleSetFiles();
  definition.read_config = [&](config::ConfigReader& r) {
    catalog::ReadCatalogConfig(r, catalog_config);
  };
  definition.build = [&](const server::ServiceEnvironment& env)
      -> absl::StatusOr<std::unique_ptr<server::ServiceApp>> {
    return catalog::NewCatalogApp(env, catalog_config);
  };
  return server::RunService(argc, argv, definition);
}
