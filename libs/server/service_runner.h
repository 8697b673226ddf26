// The process every gongkai service runs: one call from main() that reads the shared
// configuration, connects the database, applies migrations (the libraries' and the
// service's own), verifies tokens, keeps the suite's one calendar in sync, hosts the
// service's gRPC services with health, reflection, metrics and access logs, refreshes
// business gauges in the background and shuts down cleanly on SIGTERM.
//
// A service's main.cc names only what is particular to it (tests/template/main.cc is a
// complete one):
//
//   int main(int argc, char** argv) {
//     server::ServiceDefinition definition;
//     definition.name = "notes";                // gongkai-notes, database gongkai_notes
//     definition.default_grpc_address = "0.0.0.0:50099";
//     definition.default_metrics_address = "0.0.0.0:9199";
//     definition.migrations = db::EmbeddedMigrations();
//     definition.rule_schemas = {NotesRuleSchema()};
//     definition.builtin_rule_sets = rules::EmbeddedRuleSetFiles();
//     definition.read_config = [&](config::ConfigReader& r) { ... its own settings ... };
//     definition.build = [&](const server::ServiceEnvironment& env)
//         -> absl::StatusOr<std::unique_ptr<server::ServiceApp>> {
//       return std::make_unique<NotesApp>(env);  // repositories, rules, handlers
//     };
//     return server::RunService(argc, argv, definition);
//   }
//
// Commands: `gongkai-<name> [serve]` runs the server; `gongkai-<name> migrate` applies
// pending migrations and exits.
//
// Shared settings (GONGKAI_* environment or --flags, see docs/operations.md): the server
// settings of server_config.h; GONGKAI_DB_HOST, _PORT, _NAME (default gongkai_<name>),
// _USER (the same), _PASSWORD(_FILE), _POOL_SIZE, _ACQUIRE_TIMEOUT, _TLS_CA_FILE (TLS to
// the database, verified against this CA: db::DbConfig::tls_ca_file); the JWT settings of
// libs/auth/auth_config_reader.h; GONGKAI_CALENDAR_DIR (extra year files, loaded at
// start); GONGKAI_CALENDAR_ADDRESS (the calendar owner's gRPC address; required unless
// the service owns the calendar); GONGKAI_RULES_DIR (extra rule-set versions, loaded at
// start; services with rule sets only); GONGKAI_METRICS_REFRESH (the background period);
// GONGKAI_IDEMPOTENCY_RETENTION (how long a create's request id is remembered for
// retries, default 720h = 30 days, 1h at least; rows older than that are purged hourly
// in batches, libs/db/idempotency.h). Migrations run on a pool of their own without the
// read timeout (db::MigrationDbConfig).
// Services that call others (ServiceDefinition::peers) also read GONGKAI_PEERS
// (name=host:port,...; every declared peer must be there, others are ignored) and sign
// their calls as the service principal "service:<name>" (libs/auth/service_identity.h)
// with the HS256 secret of the JWT settings, or with GONGKAI_SERVICE_JWT_RS256_PRIVATE_KEY
// (_FILE) and GONGKAI_SERVICE_JWT_RS256_KID where tokens are RS256;
// GONGKAI_SERVICE_TOKEN_LIFETIME (default 10m).
// A bad or missing value stops the process with one line naming it.
//
// Start-up order: the gRPC and metrics ports are bound at once with health NOT_SERVING;
// then, in the background, migrations are applied (waiting while the database is
// unreachable), the calendar is synced from its source (retried every second until it
// succeeds: a replica never serves on calendar data it could not confirm), ServiceApp::
// Start() runs (retried likewise), and health turns SERVING. From then on, every
// refresh period: ServiceApp::Refresh(), a calendar sync, and ServiceApp::
// OnCalendarChanged() when a year changed (also once at start-up, since another replica
// may have changed a year while this one was down).
//
// Rule sets (libs/rules, ADR 0019): a service that declares rule schemas gets a RuleBook
// in its environment holding its built-in sets (normally rules::EmbeddedRuleSetFiles()),
// the versions in GONGKAI_RULES_DIR and those stored in its database's rule_sets table
// (the library migration is added), hosts gongkai.common.v1.RuleSetService for ADMINs
// to put new versions at run time, syncs the stored versions with the calendar (before
// SERVING and every refresh period) and calls ServiceApp::OnRulesChanged() when the
// book gained a version, here or on another replica. A migration that fails for any
// other reason than an unreachable database stops the process with exit code 1.
#ifndef GONGKAI_LIBS_SERVER_SERVICE_RUNNER_H_
#define GONGKAI_LIBS_SERVER_SERVICE_RUNNER_H_

#include <grpcpp/grpcpp.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "google/protobuf/descriptor.h"
#include "libs/auth/authenticator.h"
#include "libs/auth/service_identity.h"
#include "libs/calendar/calendar_source.h"
#include "libs/calendar/working_day_calendar.h"
#include "libs/clock/clock.h"
#include "libs/config/config.h"
#include "libs/db/connection_pool.h"
#include "libs/db/migrator.h"
#include "libs/metrics/registry.h"
#include "libs/rules/rule_book.h"
#include "libs/rules/rule_schema.h"
#include "libs/server/peers.h"

namespace gongkai::server {

// A gRPC service a process hosts, with its descriptor (for per-service health and the
// pre-created metrics series).
struct HostedService {
  grpc::Service* service = nullptr;
  const google::protobuf::ServiceDescriptor* descriptor = nullptr;
};

// HostedService for a generated service class: Hosted<v1::CatalogService>(&handler).
template <typename GeneratedService>
HostedService Hosted(grpc::Service* service) {
  return {service, google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
                       GeneratedService::service_full_name())};
}

// True once shutdown has begun; long background work checks it between steps.
using Stopping = std::function<bool()>;

// What the bootstrap gives a service to build itself from. Everything outlives the
// ServiceApp built from it.
struct ServiceEnvironment {
  const Clock* clock = nullptr;
  db::ConnectionPool* pool = nullptr;
  metrics::Registry* registry = nullptr;
  const auth::Authenticator* authenticator = nullptr;
  // The process's working-day calendar, kept in sync with the suite's calendar owner.
  std::shared_ptr<calendar::WorkingDayCalendar> calendar;
  // The service's rule sets; null when it declares no rule schemas.
  std::shared_ptr<rules::RuleBook> rules;
  // Channels to the services named in ServiceDefinition::peers, and the identity to
  // call them with (`identity->Prepare(context, timeout)`); both null without peers.
  const PeerChannels* peers = nullptr;
  auth::ServiceIdentity* identity = nullptr;
};

// A service's object graph: repositories, rules, handlers and its background work.
// Built once by ServiceDefinition::build; destroyed after the server has stopped.
class ServiceApp {
 public:
  virtual ~ServiceApp() = default;

  // The gRPC services to host. Called once, before the server starts.
  virtual std::vector<HostedService> Services() = 0;

  // The calendar owner only (ServiceDefinition::owns_calendar): where the years loaded
  // at run time are kept. Others read the owner's over gRPC and return null here.
  virtual calendar::CalendarSource* OwnCalendarSource() { return nullptr; }

  // Work that must succeed before the process reports SERVING (after migrations and the
  // first calendar sync). An error is logged and the call retried every second.
  virtual absl::Status Start(const Stopping& /*stopping*/) { return absl::OkStatus(); }

  // Every refresh period while serving (business gauges and the like), and once just
  // before the process reports SERVING.
  virtual void Refresh(const Stopping& /*stopping*/) {}

  // A calendar year was loaded or replaced (here or at the owner), and once at start-up:
  // recompute the deadlines the service stores (NAT-1).
  virtual void OnCalendarChanged(const Stopping& /*stopping*/) {}

  // A rule-set version was added (put here or on another replica): recompute what was
  // computed from the rules and is stored (results name the version they used).
  virtual void OnRulesChanged(const Stopping& /*stopping*/) {}
};

struct ServiceDefinition {
  // Short name: the program is gongkai-<name>; the default database and database user
  // are gongkai_<name> with '-' read as '_' (override with default_database).
  std::string name;
  std::string default_database;
  std::string default_grpc_address;
  std::string default_metrics_address;
  // The suite has one calendar owner (the catalog); every other service reads its
  // years from GONGKAI_CALENDAR_ADDRESS.
  bool owns_calendar = false;
  // The services this one calls (e.g. {"catalog"}); their addresses come from
  // GONGKAI_PEERS and the process does not start while one is missing.
  std::vector<std::string> peers;
  // Library migration sets besides libs/db's idempotency_keys, which every service
  // gets; applied before `migrations` (db::MigrationSet).
  std::vector<db::MigrationSet> library_migrations;
  // The service's own, normally db::EmbeddedMigrations().
  std::vector<db::Migration> migrations;
  // The rule sets the service reads (their keys, types and bounds; the numbers are
  // data), and its built-in versions, normally rules::EmbeddedRuleSetFiles() from
  // gongkai_embed_rule_sets(<target> <dir>). Empty: the service has no rule sets.
  std::vector<std::shared_ptr<const rules::RuleSchema>> rule_schemas;
  std::vector<rules::RuleSetFile> builtin_rule_sets;
  // Reads the service's own settings; problems go to the reader (AddError) and stop
  // the process together with the shared settings' problems. May be empty.
  std::function<void(config::ConfigReader&)> read_config;
  // Builds the service from the environment. An error stops the process (exit 1).
  std::function<absl::StatusOr<std::unique_ptr<ServiceApp>>(const ServiceEnvironment&)> build;
};

// Runs the service until SIGTERM or SIGINT; returns the process exit code.
int RunService(int argc, char** argv, const ServiceDefinition& definition);

}  // namespace gongkai::server

#endif  // GONGKAI_LIBS_SERVER_SERVICE_RUNNER_H_
