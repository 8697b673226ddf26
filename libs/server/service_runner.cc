#include "libs/server/service_runner.h"

#include <atomic>
#include <map>
#include <optional>
#include <thread>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "libs/auth/auth_config_reader.h"
#include "libs/auth/jwt_authenticator.h"
#include "libs/calendar/remote_calendar_source.h"
#include "libs/db/db_config.h"
#include "libs/db/idempotency.h"
#include "libs/log/log.h"
#include "libs/rules/mysql_rule_set_store.h"
#include "libs/rules/rule_set_service.h"
#include "libs/rules/rule_set_store.h"
#include "libs/rules/rule_set_store_migrations.h"
#include "libs/server/db_metrics.h"
#include "libs/server/grpc_server.h"
#include "libs/server/process_memory.h"
#include "libs/server/server_config.h"

namespace gongkai::server {
namespace {

// How long one read of the calendar owner may take.
constexpr absl::Duration kCalendarReadDeadline = absl::Seconds(5);
// Between tries of start-up steps that wait for something outside the process.
constexpr absl::Duration kStartRetryPeriod = absl::Seconds(1);
// How often expired idempotency_keys rows are purged, and how many per DELETE.
constexpr absl::Duration kIdempotencyPurgePeriod = absl::Hours(1);
constexpr int kIdempotencyPurgeBatch = 1000;

struct SharedConfig {
  std::string command = "serve";
  ServerConfig server;
  db::DbConfig db;
  auth::AuthConfig auth;
  std::string calendar_dir;
  std::string calendar_address;
  std::string rules_dir;
  // Services with peers only.
  std::map<std::string, std::string> peer_addresses;
  auth::ServiceIdentityConfig identity;
  absl::Duration refresh = absl::Seconds(15);
  // How long idempotency_keys rows are kept (a retry later than that creates again).
  absl::Duration idempotency_retention = absl::Hours(24 * 30);
};

// GONGKAI_PEERS and the key the service signs its calls with (service_runner.h).
void ReadPeerConfig(config::ConfigReader& reader, const ServiceDefinition& definition,
                    SharedConfig& c) {
  absl::StatusOr<std::map<std::string, std::string>> addresses =
      PeerChannels::ParseAddresses(reader.String("peers", ""));
  if (!addresses.ok()) {
    reader.AddError(std::string(addresses.status().message()));
  } else if (absl::StatusOr<PeerChannels> checked =
                 PeerChannels::Create(*addresses, definition.peers);
             !checked.ok()) {
    reader.AddError(std::string(checked.status().message()));
  } else {
    c.peer_addresses = *std::move(addresses);
  }
  c.identity.service_name = definition.name;
  c.identity.issuer = c.auth.issuer;
  c.identity.audience = c.auth.audience;
  c.identity.rs256_private_key_pem = reader.OptionalSecret("service_jwt_rs256_private_key");
  if (c.identity.rs256_private_key_pem.empty()) {
    c.identity.hs256_secret = c.auth.hs256_secret;
    if (c.identity.hs256_secret.empty()) {
      reader.AddError(
          "this service calls other services and needs a key to sign its calls: "
          "GONGKAI_JWT_HS256_SECRET(_FILE) or GONGKAI_SERVICE_JWT_RS256_PRIVATE_KEY(_FILE)");
    }
  } else {
    c.identity.rs256_kid = reader.String("service_jwt_rs256_kid", "");
  }
  c.identity.token_lifetime = reader.Duration("service_token_lifetime", absl::Minutes(10),
                                              absl::Minutes(1), absl::Hours(1));
}

SharedConfig ReadSharedConfig(int argc, char** argv, const ServiceDefinition& definition,
                              const std::string& program) {
  config::ConfigReader reader(config::ConfigSource::FromProcess(argc, argv));
  SharedConfig c;
  const auto& positional = reader.source().positional();
  if (!positional.empty()) c.command = positional[0];
  if (positional.size() > 1 || (c.command != "serve" && c.command != "migrate")) {
    reader.AddError(absl::StrCat("unknown command \"", absl::StrJoin(positional, " "),
                                 "\"; use serve or migrate"));
  }
  c.server =
      ReadServerConfig(reader, definition.default_grpc_address, definition.default_metrics_address);
  const std::string database =
      definition.default_database.empty()
          ? absl::StrCat("gongkai_", absl::StrReplaceAll(definition.name, {{"-", "_"}}))
          : definition.default_database;
  c.db.host = reader.String("db_host", "127.0.0.1");
  c.db.port = static_cast<int>(reader.Int("db_port", 3306, 1, 65535));
  c.db.database = reader.String("db_name", database);
  c.db.user = reader.String("db_user", database);
  c.db.password = reader.Secret("db_password");
  c.db.tls_ca_file = reader.String("db_tls_ca_file", "");
  c.db.pool_size = static_cast<int>(reader.Int("db_pool_size", 16, 1, 512));
  c.db.acquire_timeout = reader.Duration("db_acquire_timeout", absl::Seconds(2),
                                         absl::Milliseconds(10), absl::Minutes(1));
  if (absl::Status s = c.db.Validate(); !s.ok()) reader.AddError(std::string(s.message()));
  // `migrate` needs the database only: a migration job is not asked for serving settings.
  if (c.command == "serve") {
    c.auth = auth::ReadAuthConfig(reader);
    c.calendar_dir = reader.String("calendar_dir", "");
    if (!definition.owns_calendar) {
      if (!reader.source().Get("calendar_address").has_value()) {
        reader.AddError(
            "GONGKAI_CALENDAR_ADDRESS is required: the gRPC address of the calendar's owner "
            "(the catalog), e.g. catalog:50051");
      } else {
        c.calendar_address = reader.Address("calendar_address", "");
      }
    }
    if (!definition.rule_schemas.empty()) c.rules_dir = reader.String("rules_dir", "");
    if (!definition.peers.empty()) ReadPeerConfig(reader, definition, c);
    c.refresh = reader.Duration("metrics_refresh", c.refresh, absl::Seconds(1), absl::Hours(1));
    c.idempotency_retention = reader.Duration("idempotency_retention", c.idempotency_retention,
                                              absl::Hours(1), absl::Hours(24 * 3660));
    if (definition.read_config) definition.read_config(reader);
  }
  config::ExitOnConfigError(reader.Finish(), program);
  log::Level level = log::Level::kInfo;
  log::ParseLevel(c.server.log_level, &level);
  log::SetMinLevel(level);
  return c;
}

// Applies migrations, trying again every second while that is not possible yet (the
// database unreachable, another replica holding the migration lock, a deadlock or write
// conflict). Returns OK once applied, CANCELLED when `stop` is notified first, and any
// other error (a changed checksum, bad SQL: a broken release) at once.
absl::Status MigrateWhenPossible(db::Migrator& migrator, absl::Notification& stop) {
  while (!stop.HasBeenNotified()) {
    absl::StatusOr<std::vector<int64_t>> applied = migrator.Migrate();
    if (applied.ok()) {
      GK_LOG(INFO, "migrations applied")
          .With("newly_applied", static_cast<int64_t>(applied->size()));
      for (const auto& [component, versions] : migrator.library_applied()) {
        GK_LOG(INFO, "library migrations applied")
            .With("component", component)
            .With("newly_applied", static_cast<int64_t>(versions.size()));
      }
      return absl::OkStatus();
    }
    const absl::StatusCode code = applied.status().code();
    if (code == absl::StatusCode::kCancelled) break;
    if (code != absl::StatusCode::kUnavailable && code != absl::StatusCode::kAborted) {
      return applied.status();
    }
    GK_LOG(WARNING, "migrations not possible yet; retrying").With("status", applied.status());
    stop.WaitForNotificationWithTimeout(kStartRetryPeriod);
  }
  return absl::CancelledError("stopped before migrations could be applied");
}

// Runs `step` until it succeeds or `stop` is notified (then false).
bool RetryUntilOk(absl::string_view what, absl::Notification& stop,
                  const std::function<absl::Status()>& step) {
  while (!stop.HasBeenNotified()) {
    absl::Status status = step();
    if (status.ok()) return true;
    GK_LOG(WARNING, "start-up step failed; retrying").With("step", what).With("status", status);
    stop.WaitForNotificationWithTimeout(kStartRetryPeriod);
  }
  return false;
}

// Fatal start-up problems of the process itself (not of its configuration).
int Fail(absl::string_view what, const absl::Status& status) {
  GK_LOG(ERROR, what).With("status", status);
  return 1;
}

// A service's rule sets: the book, where versions put at run time are stored, and the
// administration service (only for services that declare rule schemas).
struct RuleSets {
  std::shared_ptr<rules::RuleBook> book;
  std::unique_ptr<rules::RuleSetStore> store;
  std::unique_ptr<rules::RuleSetAdmin> admin;
  std::unique_ptr<rules::RuleSetServiceImpl> service;
  int64_t applied_generation = 0;

  // Loads the versions stored by any replica; true when the book gained one since the
  // last call (whoever put it).
  absl::StatusOr<bool> Sync() {
    absl::StatusOr<rules::SyncReport> report = rules::SyncFromStore(*store, *book);
    if (!report.ok()) return report.status();
    for (const absl::Status& rejected : report->rejected) {
      GK_LOG(WARNING, "stored rule-set version not applied").With("status", rejected);
    }
    const int64_t generation = book->Generation();
    const bool changed = generation != applied_generation;
    applied_generation = generation;
    return changed;
  }
};

}  // namespace

int RunService(int argc, char** argv, const ServiceDefinition& definition) {
  // As the gateway does: the graph of lock orders Debian's Abseil keeps for deadlock
  // detection costs on every lock (about 1.7 % of a CreateDocument's CPU in the catalog's
  // profile, docs/performance.md "Issue 14 P3"); lock order is the tests' job.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  LimitMallocArenas();
  ShutdownSignals signals;
  const std::string program = absl::StrCat("gongkai-", definition.name);
  const SharedConfig config = ReadSharedConfig(argc, argv, definition, program);
  RealClock clock;

  absl::StatusOr<std::unique_ptr<db::ConnectionPool>> pool = db::ConnectionPool::Create(config.db);
  if (!pool.ok()) return Fail("cannot create the database pool", pool.status());
  std::vector<db::MigrationSet> libraries = {db::IdempotencyMigrationSet()};
  if (!definition.rule_schemas.empty()) libraries.push_back(rules::RuleSetStoreMigrationSet());
  libraries.insert(libraries.end(), definition.library_migrations.begin(),
                   definition.library_migrations.end());
  // Migrations run on a pool of their own without the read timeout: a timed-out index
  // build half-way through a file would otherwise be re-run at every start (issue 16).
  absl::StatusOr<std::unique_ptr<db::ConnectionPool>> migration_pool =
      db::ConnectionPool::Create(db::MigrationDbConfig(config.db));
  if (!migration_pool.ok()) {
    return Fail("cannot create the migration pool", migration_pool.status());
  }
  absl::Notification stop;
  db::MigratorOptions migrator_options;
  migrator_options.stopping = [&stop] { return stop.HasBeenNotified(); };
  db::Migrator migrator(migration_pool->get(), std::move(libraries), definition.migrations,
                        migrator_options);
  if (config.command == "migrate") {
    // SIGTERM or Ctrl-C while waiting (for the database or another replica's lock) ends
    // the wait; the waiter is woken by a signal of our own once the migration is done.
    std::thread signal_waiter([&] {
      signals.Wait();
      stop.Notify();
    });
    absl::Status migrated = MigrateWhenPossible(migrator, stop);
    if (!stop.HasBeenNotified()) ShutdownSignals::Request();
    signal_waiter.join();
    if (!migrated.ok()) return Fail("migration failed", migrated);
    return 0;
  }

  absl::StatusOr<std::shared_ptr<calendar::WorkingDayCalendar>> calendar =
      calendar::NewBuiltinCalendar();
  if (!calendar.ok()) return Fail("built-in calendar data is broken", calendar.status());
  if (!config.calendar_dir.empty()) {
    absl::Status loaded = calendar::LoadYearsFromDirectory(**calendar, config.calendar_dir);
    config::ExitOnConfigError(loaded.ok() ? loaded
                                          : absl::InvalidArgumentError(absl::StrCat(
                                                "GONGKAI_CALENDAR_DIR: ", loaded.message())),
                              program);
  }
  absl::StatusOr<std::unique_ptr<auth::Authenticator>> authenticator =
      auth::NewJwtAuthenticator(config.auth, clock);
  config::ExitOnConfigError(authenticator.ok()
                                ? absl::OkStatus()
                                : absl::InvalidArgumentError(absl::StrCat(
                                      "JWT settings: ", authenticator.status().message())),
                            program);

  RuleSets rule_sets;
  if (!definition.rule_schemas.empty()) {
    rule_sets.book = std::make_shared<rules::RuleBook>(definition.rule_schemas);
    absl::StatusOr<int> builtin =
        rules::LoadRuleSetFiles(*rule_sets.book, definition.builtin_rule_sets);
    if (!builtin.ok()) return Fail("built-in rule sets are broken", builtin.status());
    if (!config.rules_dir.empty()) {
      absl::StatusOr<int> loaded =
          rules::LoadRuleSetsFromDirectory(*rule_sets.book, config.rules_dir);
      config::ExitOnConfigError(loaded.ok()
                                    ? absl::OkStatus()
                                    : absl::InvalidArgumentError(absl::StrCat(
                                          "GONGKAI_RULES_DIR: ", loaded.status().message())),
                                program);
    }
    rule_sets.applied_generation = rule_sets.book->Generation();
    rule_sets.store = std::make_unique<rules::MySqlRuleSetStore>(pool->get());
    rule_sets.admin =
        std::make_unique<rules::RuleSetAdmin>(rule_sets.book.get(), rule_sets.store.get(), &clock);
    rule_sets.service =
        std::make_unique<rules::RuleSetServiceImpl>(authenticator->get(), rule_sets.admin.get());
  }

  metrics::Registry registry;
  RegisterDbPoolMetrics(registry, **pool);
  // Failed reads of the calendar's owner and of the stored rule sets (alert
  // GongkaiBackgroundSyncFailing): a service keeps computing on what it has, so only
  // this counter and the log say it has stopped following changes.
  metrics::Family<metrics::Counter>& sync_errors = registry.AddCounter(
      "gongkai_background_sync_errors_total",
      "Failed background syncs of the calendar (from its owner) and of stored rule sets.",
      {"what"});
  metrics::Counter& calendar_sync_errors = sync_errors.WithLabels({"calendar"});
  metrics::Counter* rule_set_sync_errors =
      definition.rule_schemas.empty() ? nullptr : &sync_errors.WithLabels({"rule_sets"});
  std::optional<PeerChannels> peers;
  std::unique_ptr<auth::ServiceIdentity> identity;
  if (!definition.peers.empty()) {
    absl::StatusOr<PeerChannels> channels =
        PeerChannels::Create(config.peer_addresses, definition.peers);
    absl::StatusOr<std::unique_ptr<auth::ServiceIdentity>> signer =
        auth::NewServiceIdentity(config.identity, clock);
    config::ExitOnConfigError(!channels.ok() ? channels.status() : signer.status(), program);
    peers = *std::move(channels);
    identity = *std::move(signer);
  }
  ServiceEnvironment environment;
  environment.clock = &clock;
  environment.peers = peers.has_value() ? &*peers : nullptr;
  environment.identity = identity.get();
  environment.pool = pool->get();
  environment.registry = &registry;
  environment.authenticator = authenticator->get();
  environment.calendar = *calendar;
  environment.rules = rule_sets.book;
  absl::StatusOr<std::unique_ptr<ServiceApp>> app = definition.build(environment);
  if (!app.ok()) return Fail("cannot build the service", app.status());

  std::unique_ptr<calendar::CalendarSource> remote_calendar;
  calendar::CalendarSource* calendar_source = (*app)->OwnCalendarSource();
  if (calendar_source == nullptr) {
    if (definition.owns_calendar) {
      return Fail("the calendar owner has no calendar source",
                  absl::InternalError("ServiceApp::OwnCalendarSource() returned null"));
    }
    remote_calendar = calendar::NewRemoteCalendarSource(
        grpc::CreateChannel(config.calendar_address, grpc::InsecureChannelCredentials()),
        kCalendarReadDeadline);
    calendar_source = remote_calendar.get();
  }

  std::vector<HostedService> hosted = (*app)->Services();
  if (rule_sets.service != nullptr) {
    hosted.push_back(Hosted<common::v1::RuleSetService>(rule_sets.service.get()));
  }
  std::vector<grpc::Service*> services;
  for (const HostedService& h : hosted) {
    if (h.service == nullptr || h.descriptor == nullptr) {
      return Fail("cannot host a service",
                  absl::InternalError("a HostedService has no service or descriptor"));
    }
    services.push_back(h.service);
  }
  absl::StatusOr<std::unique_ptr<GrpcServer>> server =
      GrpcServer::Start(config.server, services, &registry);
  if (!server.ok()) return Fail("cannot start the server", server.status());
  for (const HostedService& h : hosted) (*server)->RegisterServiceName(*h.descriptor);
  // "<name> listening" with the bound ports: test harnesses and scripts wait for it.
  GK_LOG(INFO, absl::StrCat(definition.name, " listening"))
      .With("grpc_port", (*server)->grpc_port())
      .With("metrics_port", (*server)->metrics_port());

  std::atomic<int> exit_code{0};
  std::thread background([&] {
    const Stopping stopping = [&stop] { return stop.HasBeenNotified(); };
    if (absl::Status migrated = MigrateWhenPossible(migrator, stop); !migrated.ok()) {
      if (migrated.code() == absl::StatusCode::kCancelled) return;
      GK_LOG(ERROR, "migration failed; stopping").With("status", migrated);
      exit_code = 1;
      ShutdownSignals::Request();  // The main thread shuts down and exits 1.
      return;
    }
    const auto sync_calendar = [&]() -> absl::StatusOr<int> {
      absl::StatusOr<int> synced = calendar_source->Sync(**calendar);
      if (!synced.ok()) calendar_sync_errors.Increment();
      return synced;
    };
    const auto sync_rules = [&]() -> absl::StatusOr<bool> {
      if (rule_sets.book == nullptr) return false;
      absl::StatusOr<bool> changed = rule_sets.Sync();
      if (!changed.ok()) rule_set_sync_errors->Increment();
      return changed;
    };
    if (!RetryUntilOk("calendar sync", stop, [&] { return sync_calendar().status(); }) ||
        !RetryUntilOk("rule-set sync", stop, [&] { return sync_rules().status(); }) ||
        !RetryUntilOk("service start", stop, [&] { return (*app)->Start(stopping); })) {
      return;
    }
    (*app)->Refresh(stopping);
    (*server)->SetServing(true);
    GK_LOG(INFO, absl::StrCat(definition.name, " serving"));
    (*app)->OnCalendarChanged(stopping);
    if (rule_sets.book != nullptr) (*app)->OnRulesChanged(stopping);
    // Start-up (migrations, rule sets, the first refresh) is done; what it freed goes
    // back to the kernel, and so does what each refresh period's calls freed since.
    ReleaseFreeMemory();
    absl::Time next_purge = absl::InfinitePast();
    const auto purge_idempotency_keys = [&] {
      const absl::Time now = clock.Now();
      if (now < next_purge) return;
      next_purge = now + kIdempotencyPurgePeriod;
      absl::StatusOr<int64_t> purged = db::PurgeIdempotencyRecords(
          **pool, now - config.idempotency_retention, kIdempotencyPurgeBatch, stopping);
      if (!purged.ok()) {
        GK_LOG(WARNING, "purging idempotency keys failed").With("status", purged.status());
      } else if (*purged > 0) {
        GK_LOG(INFO, "idempotency keys purged").With("rows", *purged);
      }
    };
    purge_idempotency_keys();
    while (!stop.WaitForNotificationWithTimeout(config.refresh)) {
      (*app)->Refresh(stopping);
      purge_idempotency_keys();
      absl::StatusOr<int> synced = sync_calendar();
      if (!synced.ok()) {
        GK_LOG(WARNING, "calendar sync failed").With("status", synced.status());
      } else if (*synced > 0) {
        GK_LOG(INFO, "calendar changed").With("years", *synced);
        (*app)->OnCalendarChanged(stopping);
      }
      absl::StatusOr<bool> rules_changed = sync_rules();
      if (!rules_changed.ok()) {
        GK_LOG(WARNING, "rule-set sync failed").With("status", rules_changed.status());
      } else if (*rules_changed) {
        GK_LOG(INFO, "rule sets changed");
        (*app)->OnRulesChanged(stopping);
      }
      ReleaseFreeMemory();
    }
  });

  const int signal = signals.Wait();
  GK_LOG(INFO, "shutting down").With("service", definition.name).With("signal", signal);
  stop.Notify();
  (*server)->Shutdown();
  background.join();
  GK_LOG(INFO, absl::StrCat(definition.name, " stopped"));
  return exit_code.load();
}

}  // namespace gongkai::server
