// gongkai-catalog: the catalog service process.
//
//   gongkai-catalog [serve]   run the gRPC server (applies pending migrations first)
//   gongkai-catalog migrate   apply pending migrations and exit
//
// Configuration comes from GONGKAI_* environment variables or --flags (libs/config);
// see docs/services/catalog.md for the full list. A bad or missing value stops the
// process with one line naming it.
#include <atomic>
#include <memory>
#include <string>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/synchronization/notification.h"
#include "google/protobuf/descriptor.h"
#include "libs/auth/auth_config_reader.h"
#include "libs/auth/jwt_authenticator.h"
#include "libs/calendar/working_day_calendar.h"
#include "libs/clock/clock.h"
#include "libs/config/config.h"
#include "libs/db/connection_pool.h"
#include "libs/db/embedded_migrations.h"
#include "libs/db/migrator.h"
#include "libs/log/log.h"
#include "libs/server/db_metrics.h"
#include "libs/server/grpc_server.h"
#include "services/catalog/annual_report/annual_report_handler.h"
#include "services/catalog/annual_report/annual_reports.h"
#include "services/catalog/annual_report/mysql_report_repository.h"
#include "services/catalog/catalog_handler.h"
#include "services/catalog/catalog_metrics.h"
#include "services/catalog/catalog_modules.h"
#include "services/catalog/mysql_catalog_repositories.h"
#include "services/catalog/requests/disclosure_requests.h"
#include "services/catalog/requests/mysql_request_repository.h"
#include "services/catalog/requests/request_handler.h"
#include "services/catalog/requests/request_metrics.h"

namespace gongkai::catalog {
namespace {

constexpr char kProgram[] = "gongkai-catalog";
constexpr size_t kMinApplicantKeyBytes = 32;

struct CatalogConfig {
  std::string command = "serve";
  server::ServerConfig server;
  db::DbConfig db;
  auth::AuthConfig auth;
  // Keys the stored stand-in for applicants' identity document numbers (NAT-9).
  std::string applicant_key_secret;
  std::string calendar_dir;
  absl::Duration metrics_refresh = absl::Seconds(15);
  int64_t document_cache_bytes = 8 << 20;
};

CatalogConfig ReadConfig(int argc, char** argv) {
  config::ConfigReader reader(config::ConfigSource::FromProcess(argc, argv));
  CatalogConfig c;
  const auto& positional = reader.source().positional();
  if (!positional.empty()) c.command = positional[0];
  if (positional.size() > 1 || (c.command != "serve" && c.command != "migrate")) {
    reader.AddError(absl::StrCat("unknown command \"", absl::StrJoin(positional, " "),
                                 "\"; use serve or migrate"));
  }
  c.server = server::ReadServerConfig(reader, "0.0.0.0:50051", "0.0.0.0:9101");
  c.db.host = reader.String("db_host", "127.0.0.1");
  c.db.port = static_cast<int>(reader.Int("db_port", 3306, 1, 65535));
  c.db.database = reader.String("db_name", "gongkai_catalog");
  c.db.user = reader.String("db_user", "gongkai_catalog");
  c.db.password = reader.Secret("db_password");
  c.db.pool_size = static_cast<int>(reader.Int("db_pool_size", 16, 1, 512));
  c.db.acquire_timeout = reader.Duration("db_acquire_timeout", absl::Seconds(2),
                                         absl::Milliseconds(10), absl::Minutes(1));
  c.auth = auth::ReadAuthConfig(reader);
  c.applicant_key_secret = reader.Secret("applicant_key_secret");
  if (!c.applicant_key_secret.empty() && c.applicant_key_secret.size() < kMinApplicantKeyBytes) {
    reader.AddError(absl::StrCat("GONGKAI_APPLICANT_KEY_SECRET must be at least ",
                                 kMinApplicantKeyBytes, " bytes (e.g. openssl rand -hex 32)"));
  }
  c.calendar_dir = reader.String("calendar_dir", "");
  c.metrics_refresh =
      reader.Duration("metrics_refresh", c.metrics_refresh, absl::Seconds(1), absl::Hours(1));
  c.document_cache_bytes =
      reader.Int("document_cache_bytes", c.document_cache_bytes, 0, int64_t{1} << 34);
  if (absl::Status s = c.db.Validate(); !s.ok()) reader.AddError(std::string(s.message()));
  config::ExitOnConfigError(reader.Finish(), kProgram);
  log::Level level = log::Level::kInfo;
  log::ParseLevel(c.server.log_level, &level);
  log::SetMinLevel(level);
  return c;
}

// Applies migrations, waiting (1 s between tries) while the database is unreachable,
// until it succeeds or `stop` is notified. Migrations that fail for another reason
// (a changed checksum, bad SQL) stop the process: that is a broken release.
// Applies migrations, waiting (1 s between tries) while the database is unreachable.
// Returns OK once applied, CANCELLED when `stop` is notified first, and any other
// error (a changed checksum, bad SQL: a broken release) at once.
absl::Status MigrateWhenReachable(db::ConnectionPool& pool, absl::Notification& stop) {
  db::Migrator migrator(&pool, db::EmbeddedMigrations());
  while (!stop.HasBeenNotified()) {
    absl::StatusOr<std::vector<int64_t>> applied = migrator.Migrate();
    if (applied.ok()) {
      GK_LOG(INFO, "migrations applied")
          .With("newly_applied", static_cast<int64_t>(applied->size()));
      return absl::OkStatus();
    }
    if (applied.status().code() != absl::StatusCode::kUnavailable) return applied.status();
    GK_LOG(WARNING, "database not reachable yet").With("status", applied.status());
    stop.WaitForNotificationWithTimeout(absl::Seconds(1));
  }
  return absl::CancelledError("stopped before the database was reachable");
}

int Run(int argc, char** argv) {
  server::ShutdownSignals signals;
  const CatalogConfig config = ReadConfig(argc, argv);
  RealClock clock;

  absl::StatusOr<std::shared_ptr<calendar::WorkingDayCalendar>> calendar =
      calendar::NewBuiltinCalendar();
  if (!calendar.ok()) {
    GK_LOG(ERROR, "built-in calendar data is broken").With("status", calendar.status());
    return 1;
  }
  if (!config.calendar_dir.empty()) {
    absl::Status loaded = calendar::LoadYearsFromDirectory(**calendar, config.calendar_dir);
    config::ExitOnConfigError(loaded.ok() ? loaded
                                          : absl::InvalidArgumentError(absl::StrCat(
                                                "GONGKAI_CALENDAR_DIR: ", loaded.message())),
                              kProgram);
  }
  absl::StatusOr<std::unique_ptr<auth::Authenticator>> authenticator =
      auth::NewJwtAuthenticator(config.auth, clock);
  config::ExitOnConfigError(authenticator.ok()
                                ? absl::OkStatus()
                                : absl::InvalidArgumentError(absl::StrCat(
                                      "JWT settings: ", authenticator.status().message())),
                            kProgram);
  absl::StatusOr<std::unique_ptr<db::ConnectionPool>> pool = db::ConnectionPool::Create(config.db);
  if (!pool.ok()) {
    GK_LOG(ERROR, "cannot create the database pool").With("status", pool.status());
    return 1;
  }

  absl::Notification stop;
  std::atomic<int> exit_code{0};
  if (config.command == "migrate") {
    absl::Status migrated = MigrateWhenReachable(**pool, stop);
    if (!migrated.ok()) GK_LOG(ERROR, "migration failed").With("status", migrated);
    return migrated.ok() ? 0 : 1;
  }

  metrics::Registry registry;
  server::RegisterDbPoolMetrics(registry, **pool);
  CatalogMetrics catalog_metrics(registry);
  MysqlCatalogRepositories repositories(pool->get(),
                                        static_cast<size_t>(config.document_cache_bytes));
  documents::DocumentRepository* repository = repositories.repositories().documents;
  RegisterDocumentCacheMetrics(registry, repositories.document_cache());
  documents::AllowAllReleaseGate release_gate;
  CatalogModules catalog(repositories.repositories(), *calendar, &clock, &release_gate,
                         &catalog_metrics);
  CatalogHandler handler(&catalog, authenticator->get());
  // Disclosure on request (CAT-8, NAT-5 to NAT-9); its "most requested" list feeds the
  // catalog's annual self-review (CAT-7).
  std::unique_ptr<requests::RequestRepository> request_repository =
      requests::NewMysqlRequestRepository(pool->get());
  requests::RequestMetrics request_metrics(registry);
  requests::DisclosureRequests disclosure_requests(
      request_repository.get(), repositories.repositories().units,
      repositories.repositories().documents, *calendar, &clock, &request_metrics,
      config.applicant_key_secret);
  requests::Challenges challenges(request_repository.get(), &clock);
  requests::RequestHandler request_handler(&disclosure_requests, &challenges, authenticator->get());
  catalog.SetMostRequestedSource([&disclosure_requests](int64_t unit_id, int year) {
    return disclosure_requests.MostRequestedForSelfReview(unit_id, year);
  });
  // The annual report (CAT-9, NAT-10) publishes through the catalog's own rules.
  std::unique_ptr<annual_report::AnnualReportRepository> report_repository =
      annual_report::NewMysqlAnnualReportRepository(
          pool->get(), {request_repository.get(), repositories.repositories().documents,
                        repositories.repositories().units});
  std::unique_ptr<annual_report::ReportPublisher> report_publisher =
      annual_report::NewCatalogReportPublisher(&catalog.documents());
  annual_report::AnnualReports annual_reports(report_repository.get(), report_publisher.get(),
                                              &clock);
  annual_report::AnnualReportHandler annual_report_handler(&annual_reports, authenticator->get());

  absl::StatusOr<std::unique_ptr<server::GrpcServer>> server = server::GrpcServer::Start(
      config.server, {&handler, &annual_report_handler, &request_handler}, &registry);
  if (!server.ok()) {
    GK_LOG(ERROR, "cannot start the server").With("status", server.status());
    return 1;
  }
  (*server)->RegisterServiceName(
      *google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
          v1::CatalogService::service_full_name()));
  (*server)->RegisterServiceName(
      *google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
          v1::AnnualReportService::service_full_name()));
  (*server)->RegisterServiceName(
      *google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
          v1::DisclosureRequestService::service_full_name()));
  GK_LOG(INFO, "catalog listening")
      .With("grpc_port", (*server)->grpc_port())
      .With("metrics_port", (*server)->metrics_port());

  // Readiness: SERVING once the database answers and the schema is current; business
  // gauges are refreshed in the background after that.
  std::thread startup([&] {
    if (absl::Status migrated = MigrateWhenReachable(**pool, stop); !migrated.ok()) {
      if (migrated.code() == absl::StatusCode::kCancelled) return;
      GK_LOG(ERROR, "migration failed; stopping").With("status", migrated);
      exit_code = 1;
      server::ShutdownSignals::Request();  // main() shuts down and exits 1.
      return;
    }
    if (absl::StatusOr<int> synced = catalog.SyncCalendarsFromStore(); !synced.ok()) {
      GK_LOG(ERROR, "stored calendars cannot be applied").With("status", synced.status());
    }
    (*server)->SetServing(true);
    GK_LOG(INFO, "catalog serving");
    catalog_metrics.Refresh(*repository, calendar::TodayInShanghai(clock));
    catalog_metrics.RefreshCalendar(**calendar, calendar::TodayInShanghai(clock));
    request_metrics.Refresh(*request_repository, **calendar, calendar::TodayInShanghai(clock));
    const auto stopping = [&stop] { return stop.HasBeenNotified(); };
    const auto recompute_clocks = [&](absl::string_view why) {
      absl::StatusOr<int> documents = catalog.RecomputeStaleDeadlines(stopping);
      absl::StatusOr<int> requests = disclosure_requests.RecomputeStoredClocks(stopping);
      if (!documents.ok() || !requests.ok()) {
        GK_LOG(WARNING, "recomputing deadlines failed")
            .With("why", why)
            .With("documents_status", documents.status())
            .With("requests_status", requests.status());
      } else if (*documents > 0 || *requests > 0) {
        GK_LOG(INFO, "deadlines recomputed")
            .With("why", why)
            .With("documents", *documents)
            .With("requests", *requests);
      }
    };
    recompute_clocks("start-up");
    while (!stop.WaitForNotificationWithTimeout(config.metrics_refresh)) {
      catalog_metrics.Refresh(*repository, calendar::TodayInShanghai(clock));
      catalog_metrics.RefreshCalendar(**calendar, calendar::TodayInShanghai(clock));
      request_metrics.Refresh(*request_repository, **calendar, calendar::TodayInShanghai(clock));
      // A calendar loaded through another replica reaches this one here (NAT-1).
      absl::StatusOr<int> synced = catalog.SyncCalendarsFromStore();
      if (!synced.ok()) {
        GK_LOG(WARNING, "reading stored calendars failed").With("status", synced.status());
      }
      const bool requested = catalog.TakeRecomputeRequest();
      if ((synced.ok() && *synced > 0) || requested) {
        GK_LOG(INFO, "calendar changed").With("years_from_database", synced.ok() ? *synced : 0);
        recompute_clocks("calendar changed");
      }
    }
  });

  const int signal = signals.Wait();
  GK_LOG(INFO, "shutting down").With("signal", signal);
  stop.Notify();
  (*server)->Shutdown();
  startup.join();
  GK_LOG(INFO, "catalog stopped");
  return exit_code.load();
}

}  // namespace
}  // namespace gongkai::catalog

int main(int argc, char** argv) { return gongkai::catalog::Run(argc, argv); }
