// gongkai-gateway: every service's API as REST/JSON (see gateway.h for the pipeline and
// docs/services/gateway.md for the settings). Configuration is read once here from
// flags or GONGKAI_* variables; any bad value stops the process with every problem listed.

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <string>
#include <thread>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/synchronization/mutex.h"
#include "gateway/api_keys.h"
#include "gateway/backends.h"
#include "gateway/cors.h"
#include "gateway/gateway.h"
#include "gateway/gateway_metrics.h"
#include "gateway/http_server.h"
#include "gateway/rate_limiter.h"
#include "gateway/route_table.h"
#include "gateway/transcoder.h"
#include "libs/auth/auth_config_reader.h"
#include "libs/auth/jwt_authenticator.h"
#include "libs/clock/clock.h"
#include "libs/config/config.h"
#include "libs/log/log.h"
#include "libs/metrics/http_exposer.h"
#include "libs/metrics/process_metrics.h"
#include "libs/metrics/registry.h"
#include "libs/server/process_memory.h"
#include "libs/server/shutdown_signals.h"

namespace gongkai::gateway {
namespace {

constexpr char kProgram[] = "gongkai-gateway";

struct Config {
  HttpServerConfig http;
  std::string metrics_address;
  std::map<std::string, std::string> backends;
  BackendOptions backend_options;
  std::string descriptor_set_file;
  GatewayConfig gateway;
  auth::AuthConfig auth;
  RateLimitConfig rate_limits;
  CorsConfig cors;
  std::string api_keys_file;
  absl::Duration shutdown_grace;
  std::string log_level;
};

// "catalog=127.0.0.1:50051,consultation=127.0.0.1:50053"
std::map<std::string, std::string> ParseBackends(config::ConfigReader& reader) {
  std::map<std::string, std::string> out;
  const std::string value = reader.String("backends", "catalog=127.0.0.1:50051");
  for (absl::string_view entry : absl::StrSplit(value, ',', absl::SkipEmpty())) {
    std::pair<std::string, std::string> kv = absl::StrSplit(entry, absl::MaxSplits('=', 1));
    if (kv.first.empty() || kv.second.empty()) {
      reader.AddError(
          absl::StrCat("GONGKAI_BACKENDS entry \"", entry, "\" must be name=host:port"));
      continue;
    }
    out[kv.first] = kv.second;
  }
  return out;
}

// "RATE:BURST", e.g. "50:100"; "0:0" switches the limit off.
RateLimit ParseRateLimit(config::ConfigReader& reader, absl::string_view key, RateLimit fallback) {
  const std::string value =
      reader.String(key, absl::StrCat(fallback.per_second, ":", fallback.burst));
  std::pair<std::string, std::string> parts = absl::StrSplit(value, absl::MaxSplits(':', 1));
  RateLimit limit;
  if (!absl::SimpleAtod(parts.first, &limit.per_second) ||
      !absl::SimpleAtod(parts.second, &limit.burst)) {
    reader.AddError(absl::StrCat(key, " \"", value,
                                 "\" must be RATE:BURST (requests per second : bucket size)"));
  }
  return limit;
}

// "gongkai.catalog.v1.CatalogService.SearchDocuments=5s,..."
std::map<std::string, absl::Duration> ParseMethodDeadlines(config::ConfigReader& reader) {
  std::map<std::string, absl::Duration> out;
  const std::string value = reader.String("method_deadlines", "");
  for (absl::string_view entry : absl::StrSplit(value, ',', absl::SkipEmpty())) {
    std::pair<std::string, std::string> kv = absl::StrSplit(entry, absl::MaxSplits('=', 1));
    absl::Duration d;
    if (kv.first.empty() || !absl::ParseDuration(kv.second, &d) || d <= absl::ZeroDuration()) {
      reader.AddError(absl::StrCat("GONGKAI_METHOD_DEADLINES entry \"", entry,
                                   "\" must be package.Service.Method=DURATION (e.g. 5s)"));
      continue;
    }
    out[kv.first] = d;
  }
  return out;
}

Config ReadConfig(int argc, char** argv) {
  config::ConfigReader reader(config::ConfigSource::FromProcess(argc, argv));
  Config c;
  c.http.address = reader.Address("http_address", "0.0.0.0:8080");
  c.metrics_address = reader.Address("metrics_address", "0.0.0.0:9100");
  const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  // Half the cores read requests, half receive responses and write them (backends.h).
  c.http.io_threads = static_cast<int>(reader.Int("io_threads", std::max(1, cores / 2), 1, 64));
  c.http.max_header_bytes =
      static_cast<size_t>(reader.Int("max_header_bytes", 16 * 1024, 1024, 1024 * 1024));
  c.http.max_body_bytes =
      static_cast<size_t>(reader.Int("max_body_bytes", 1024 * 1024, 1024, 64 * 1024 * 1024));
  c.http.request_timeout = reader.Duration("request_timeout", absl::Seconds(15),
                                           absl::Milliseconds(100), absl::Minutes(10));
  c.http.max_in_flight = static_cast<int>(reader.Int("max_in_flight", 512, 1, 100000));
  c.http.max_connections = static_cast<int>(reader.Int("max_connections", 10000, 1, 1000000));
  c.backends = ParseBackends(reader);
  c.backend_options.channels_per_backend =
      static_cast<int>(reader.Int("channels_per_backend", 2, 1, 64));
  c.backend_options.completion_threads =
      static_cast<int>(reader.Int("completion_threads", std::max(1, cores / 2), 1, 64));
  c.descriptor_set_file = reader.String("descriptor_set", "");
  c.gateway.default_deadline = reader.Duration("default_deadline", absl::Seconds(10),
                                               absl::Milliseconds(10), absl::Minutes(10));
  c.gateway.max_deadline =
      reader.Duration("max_deadline", absl::Seconds(60), absl::Milliseconds(10), absl::Hours(1));
  c.gateway.method_deadlines = ParseMethodDeadlines(reader);
  c.gateway.readiness_timeout = reader.Duration("readiness_timeout", c.gateway.readiness_timeout,
                                                absl::Milliseconds(10), absl::Minutes(1));
  c.gateway.trust_forwarded_for = reader.Bool("trust_forwarded_for", false);
  c.gateway.access_log = reader.Bool("access_log", true);
  c.auth = auth::ReadAuthConfig(reader);
  c.gateway.internal_token_secret = c.auth.hs256_secret;
  c.gateway.internal_token_issuer = c.auth.issuer;
  c.gateway.internal_token_audience = c.auth.audience;
  c.gateway.internal_token_ttl =
      reader.Duration("api_key_token_ttl", absl::Minutes(5), absl::Seconds(30), absl::Hours(1));
  c.rate_limits.authenticated =
      ParseRateLimit(reader, "rate_limit_authenticated", c.rate_limits.authenticated);
  c.rate_limits.anonymous_read =
      ParseRateLimit(reader, "rate_limit_anonymous_read", c.rate_limits.anonymous_read);
  c.rate_limits.anonymous_write =
      ParseRateLimit(reader, "rate_limit_anonymous_write", c.rate_limits.anonymous_write);
  c.rate_limits.max_tracked_keys =
      static_cast<size_t>(reader.Int("rate_limit_max_keys", 100000, 1, 100000000));
  for (absl::string_view origin :
       absl::StrSplit(reader.String("cors_allowed_origins", ""), ',', absl::SkipEmpty())) {
    c.cors.allowed_origins.emplace_back(absl::StripAsciiWhitespace(origin));
  }
  c.cors.allow_credentials = reader.Bool("cors_allow_credentials", false);
  c.api_keys_file = reader.String("api_keys_file", "");
  if (!c.api_keys_file.empty() && c.auth.hs256_secret.empty()) {
    reader.AddError(
        "GONGKAI_API_KEYS_FILE needs GONGKAI_JWT_HS256_SECRET: API-key callers are forwarded "
        "with a token the gateway signs for them");
  }
  c.shutdown_grace =
      reader.Duration("shutdown_grace", absl::Seconds(10), absl::ZeroDuration(), absl::Minutes(5));
  c.log_level = reader.String("log_level", "info");
  log::Level level = log::Level::kInfo;
  if (!log::ParseLevel(c.log_level, &level)) {
    reader.AddError(absl::StrCat("GONGKAI_LOG_LEVEL \"", c.log_level,
                                 "\" must be debug, info, warning or error"));
  }
  config::ExitOnConfigError(reader.Finish(), kProgram);
  log::SetMinLevel(level);
  return c;
}

template <typename T>
T OrExit(absl::StatusOr<T> value, absl::string_view what) {
  if (!value.ok()) {
    config::ExitOnConfigError(
        absl::InvalidArgumentError(absl::StrCat(what, ": ", value.status().message())), kProgram);
  }
  return *std::move(value);
}

int Run(int argc, char** argv) {
  server::LimitMallocArenas();
  // The graph of lock orders absl keeps for deadlock detection costs on every lock of
  // the request path (metrics families, caches); the code holds no nested locks.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  server::ShutdownSignals signals;
  const Config config = ReadConfig(argc, argv);
  RealClock clock;

  std::unique_ptr<Descriptors> descriptors;
  if (config.descriptor_set_file.empty()) {
    descriptors = OrExit(Descriptors::Load(EmbeddedDescriptorSet()), "descriptor set");
  } else {
    std::ifstream in(config.descriptor_set_file, std::ios::binary);
    if (!in) {
      config::ExitOnConfigError(
          absl::InvalidArgumentError(
              absl::StrCat("GONGKAI_DESCRIPTOR_SET: cannot read ", config.descriptor_set_file)),
          kProgram);
    }
    const std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    descriptors = OrExit(Descriptors::Load(bytes), "descriptor set");
  }
  RouteTable routes =
      OrExit(RouteTable::Build(descriptors->pool(), descriptors->annotated_services()),
             "google.api.http annotations");
  for (const std::string& backend : routes.Backends()) {
    if (config.backends.count(backend) == 0) {
      GK_LOG(WARNING, "routes without a backend address; they answer 503")
          .With("backend", backend)
          .With("hint", "add it to GONGKAI_BACKENDS");
    }
  }
  Transcoder transcoder(&descriptors->pool());
  std::unique_ptr<Backends> backends =
      OrExit(Backends::Create(config.backends, config.backend_options), "GONGKAI_BACKENDS");
  std::unique_ptr<auth::Authenticator> authenticator =
      OrExit(auth::NewJwtAuthenticator(config.auth, clock), "JWT settings");
  std::unique_ptr<ApiKeyStore> api_keys;
  if (!config.api_keys_file.empty()) {
    api_keys = OrExit(LoadApiKeyStoreFile(config.api_keys_file), "GONGKAI_API_KEYS_FILE");
  }
  std::unique_ptr<RateLimiter> rate_limiter =
      OrExit(NewTokenBucketRateLimiter(config.rate_limits, clock), "rate limits");
  CorsPolicy cors = OrExit(CorsPolicy::Create(config.cors), "GONGKAI_CORS_ALLOWED_ORIGINS");

  // Loading the descriptor set and building the routes peaked at several MiB of heap
  // that is free now; glibc keeps free pages below the top of the heap resident until
  // asked. Free memory only, once: nothing in use is paged out (issue 14, P4).
  server::ReleaseFreeMemory();

  metrics::Registry registry;
  metrics::RegisterProcessMetrics(registry);
  GatewayMetrics gateway_metrics(&registry);
  GatewayDependencies deps;
  deps.routes = &routes;
  deps.transcoder = &transcoder;
  deps.backends = backends.get();
  deps.authenticator = authenticator.get();
  deps.api_keys = api_keys.get();
  deps.rate_limiter = rate_limiter.get();
  deps.cors = &cors;
  deps.registry = &registry;
  deps.metrics = &gateway_metrics;
  deps.clock = &clock;
  Gateway gateway(deps, config.gateway);

  absl::StatusOr<std::unique_ptr<metrics::MetricsHttpServer>> metrics_server =
      metrics::MetricsHttpServer::Start(config.metrics_address, &registry);
  if (!metrics_server.ok()) {
    GK_LOG(ERROR, "cannot start the metrics server").With("status", metrics_server.status());
    return 1;
  }
  absl::StatusOr<std::unique_ptr<HttpServer>> http = HttpServer::Start(config.http, &gateway);
  if (!http.ok()) {
    GK_LOG(ERROR, "cannot start the HTTP server").With("status", http.status());
    return 1;
  }
  GK_LOG(INFO, "gateway listening")
      .With("http_port", (*http)->port())
      .With("metrics_port", (*metrics_server)->port())
      .With("routes", static_cast<int64_t>(routes.routes().size()))
      .With("api_keys", static_cast<int64_t>(api_keys == nullptr ? 0 : api_keys->size()));

  const int signal = signals.Wait();
  GK_LOG(INFO, "shutting down").With("signal", signal);
  // Not ready first (load balancers stop routing here), then drain the HTTP side, then
  // cancel whatever backend call outlived the grace period and wait for its completion
  // before the objects it reports to are destroyed.
  gateway.StartDraining();
  (*http)->Shutdown(config.shutdown_grace);
  backends->Shutdown();
  return 0;
}

}  // namespace
}  // namespace gongkai::gateway

int main(int argc, char** argv) { return gongkai::gateway::Run(argc, argv); }
