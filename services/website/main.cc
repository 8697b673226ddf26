// gongkai-website: the website-supervision service process (libs/server/service_runner.h
// runs it; its object graph is website_app.h).
//
//   gongkai-website [serve]   run the gRPC server and the prober
//   gongkai-website migrate   apply pending migrations and exit
//
// Its own settings besides the shared ones (docs/services/website.md):
// GONGKAI_PROBER_ENABLED, _WORKERS, _MAX_CONCURRENCY, _HOST_INTERVAL, _CONNECT_TIMEOUT,
// _MAX_REDIRECTS, _CA_FILE, _HONOUR_ROBOTS.
#include <memory>

#include "libs/db/embedded_migrations.h"
#include "libs/rules/embedded_rule_sets.h"
#include "libs/server/service_runner.h"
#include "services/website/website_app.h"
#include "services/website/website_rules.h"

int main(int argc, char** argv) {
  using namespace gongkai;  // NOLINT(build/namespaces): the composition root.
  website::WebsiteConfig website_config;
  server::ServiceDefinition definition;
  definition.name = "website";
  definition.default_grpc_address = "0.0.0.0:50055";
  definition.default_metrics_address = "0.0.0.0:9105";
  // Unit ids are checked against the catalog's directory (libs/directory).
  definition.peers = {"catalog"};
  definition.migrations = db::EmbeddedMigrations();
  // NAT-13, NAT-14, WEB-4: schemas in code, the national numbers as data (rules/).
  definition.rule_schemas = website::WebsiteRuleSchemas();
  definition.builtin_rule_sets = rules::EmbeddedRuleSetFiles();
  definition.read_config = [&](config::ConfigReader& r) {
    website::ReadWebsiteConfig(r, website_config);
  };
  definition.build = [&](const server::ServiceEnvironment& env)
      -> absl::StatusOr<std::unique_ptr<server::ServiceApp>> {
    return website::NewWebsiteApp(env, website_config);
  };
  return server::RunService(argc, argv, definition);
}
