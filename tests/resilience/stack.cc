#include "tests/resilience/stack.h"

#include <httplib.h>
#include <signal.h>

#include <utility>

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "libs/auth/token_minter.h"
#include "tests/e2e/catalog_under_test.h"
#include "tests/e2e/gateway_under_test.h"
#include "tests/e2e/stand_in_calendar.h"

namespace gongkai::resilience {
namespace {

// The binaries CMake found built (empty when a service's target does not exist).
const std::map<std::string, std::string>& Binaries() {
  static const auto* binaries = new std::map<std::string, std::string>{
      {"catalog", GONGKAI_RESILIENCE_CATALOG_BINARY},
      {"interpretation", GONGKAI_RESILIENCE_INTERPRETATION_BINARY},
      {"consultation", GONGKAI_RESILIENCE_CONSULTATION_BINARY},
      {"opinion", GONGKAI_RESILIENCE_OPINION_BINARY},
      {"website", GONGKAI_RESILIENCE_WEBSITE_BINARY},
      {"assessment", GONGKAI_RESILIENCE_ASSESSMENT_BINARY},
  };
  return *binaries;
}

// Settings of one service beyond the common ones: quick background loops, so a test
// does not wait on them (the values of the e2e suites).
std::map<std::string, std::string> ServiceSpecificEnv(const std::string& name) {
  if (name == "catalog") return {{"GONGKAI_OUTBOX_POLL_INTERVAL", "200ms"}};
  if (name == "opinion") return {{"GONGKAI_OPINION_SCHEDULER_POLL", "200ms"}};
  if (name == "website") {
    return {{"GONGKAI_PROBER_HOST_INTERVAL", "0s"}, {"GONGKAI_PROBER_WORKERS", "2"}};
  }
  if (name == "assessment") {
    return {{"GONGKAI_METRICS_REFRESH", "1s"},
            {"GONGKAI_ASSESSMENT_RETRY_INTERVAL", "500ms"},
            {"GONGKAI_ASSESSMENT_POLL", "100ms"},
            {"GONGKAI_ASSESSMENT_EVIDENCE_DEADLINE", "5s"}};
  }
  return {};
}

}  // namespace

const std::vector<std::string>& AllServices() {
  static const auto* names = new std::vector<std::string>{
      "catalog", "interpretation", "consultation", "opinion", "website", "assessment"};
  return *names;
}

bool Stack::Built(const std::string& service) {
  auto it = Binaries().find(service);
  return it != Binaries().end() && !it->second.empty();
}

absl::StatusOr<std::unique_ptr<Stack>> Stack::Start(const std::vector<std::string>& others,
                                                    std::map<std::string, std::string> service_env,
                                                    std::map<std::string, std::string> gateway_env,
                                                    bool durable_database) {
  std::unique_ptr<Stack> stack(new Stack());
  stack->services_.push_back("catalog");
  for (const std::string& name : others) {
    if (name != "catalog") stack->services_.push_back(name);
  }
  for (const std::string& name : stack->services_) {
    if (!Built(name)) return absl::FailedPreconditionError(absl::StrCat(name, " is not built"));
  }
  stack->service_env_ = std::move(service_env);
  stack->gateway_env_ = std::move(gateway_env);
  absl::StatusOr<std::unique_ptr<OwnMariaDb>> mariadb = OwnMariaDb::Start(durable_database);
  if (!mariadb.ok()) return mariadb.status();
  stack->mariadb_ = *std::move(mariadb);
  stack->mariadb_->ExportTestEnv();
  absl::BitGen gen;
  for (int i = 0; i < 4; ++i) {
    absl::StrAppend(&stack->jwt_secret_, absl::Hex(absl::Uniform<uint64_t>(gen), absl::kZeroPad16));
  }
  // Every service's address is known before any starts: each names the others as peers.
  for (const std::string& name : AllServices()) stack->ports_[name] = FreeLoopbackPort();
  stack->ports_["gateway"] = FreeLoopbackPort();
  for (const std::string& name : stack->services_) {
    absl::StatusOr<std::unique_ptr<e2e::E2eDatabase>> database =
        e2e::E2eDatabase::Create(absl::StrCat("res", name.substr(0, 6)));
    if (!database.ok()) return database.status();
    stack->databases_[name] = *std::move(database);
    if (absl::Status launched = stack->Launch(name); !launched.ok()) return launched;
  }
  if (absl::Status launched = stack->Launch("gateway"); !launched.ok()) return launched;
  return stack;
}

Stack::~Stack() {
  if (auto it = processes_.find("gateway"); it != processes_.end()) it->second.reset();
  for (auto name = services_.rbegin(); name != services_.rend(); ++name) {
    if (auto it = processes_.find(*name); it != processes_.end()) it->second.reset();
  }
  processes_.clear();
  databases_.clear();
  mariadb_.reset();
}

e2e::ServiceProcess::Options Stack::OptionsFor(const std::string& name) const {
  e2e::ServiceProcess::Options options;
  if (name == "gateway") {
    std::vector<std::string> backends;
    for (const std::string& service : services_) {
      backends.push_back(absl::StrCat(service, "=", Address(service)));
    }
    options.env = {
        {"GONGKAI_HTTP_ADDRESS", Address("gateway")},
        {"GONGKAI_METRICS_ADDRESS", "127.0.0.1:0"},
        {"GONGKAI_BACKENDS", absl::StrJoin(backends, ",")},
        {"GONGKAI_JWT_HS256_SECRET", jwt_secret_},
        {"GONGKAI_JWT_ISSUER", e2e::kE2eIssuer},
        {"GONGKAI_JWT_AUDIENCE", e2e::kE2eAudience},
        {"GONGKAI_IO_THREADS", "2"},
        {"GONGKAI_RATE_LIMIT_AUTHENTICATED", "0:0"},
        {"GONGKAI_RATE_LIMIT_ANONYMOUS_READ", "0:0"},
        {"GONGKAI_RATE_LIMIT_ANONYMOUS_WRITE", "0:0"},
        {"GONGKAI_SHUTDOWN_GRACE", "10s"},
    };
    for (const auto& [key, value] : gateway_env_) options.env[key] = value;
    return options;
  }
  options.binary = Binaries().at(name);
  options.listening_message = absl::StrCat(name, " listening");
  options.env = databases_.at(name)->ServiceEnv();
  options.env["GONGKAI_GRPC_ADDRESS"] = Address(name);
  options.env["GONGKAI_METRICS_ADDRESS"] = "127.0.0.1:0";
  options.env["GONGKAI_JWT_HS256_SECRET"] = jwt_secret_;
  options.env["GONGKAI_JWT_ISSUER"] = e2e::kE2eIssuer;
  options.env["GONGKAI_JWT_AUDIENCE"] = e2e::kE2eAudience;
  options.env["GONGKAI_DB_POOL_SIZE"] = "4";
  options.env["GONGKAI_APPLICANT_KEY_SECRET"] = absl::StrCat(jwt_secret_, "-applicants");
  options.env["GONGKAI_CALENDAR_DIR"] = e2e::StandInCalendarDir();
  if (name != "catalog") options.env["GONGKAI_CALENDAR_ADDRESS"] = Address("catalog");
  std::vector<std::string> peers;
  for (const std::string& peer : AllServices()) {
    if (peer != name) peers.push_back(absl::StrCat(peer, "=", Address(peer)));
  }
  options.env["GONGKAI_PEERS"] = absl::StrJoin(peers, ",");
  for (const auto& [key, value] : ServiceSpecificEnv(name)) options.env[key] = value;
  for (const auto& [key, value] : service_env_) options.env[key] = value;
  options.startup_timeout = absl::Seconds(120);
  return options;
}

absl::Status Stack::Launch(const std::string& name) {
  if (auto it = processes_.find(name); it != processes_.end() && it->second != nullptr) {
    it->second->Stop().IgnoreError();  // Reaps a process killed before.
  }
  absl::StatusOr<std::unique_ptr<e2e::ServiceProcess>> process =
      name == "gateway" ? e2e::StartGatewayProcess(OptionsFor(name).env)
                        : e2e::ServiceProcess::Start(OptionsFor(name));
  if (!process.ok()) {
    return absl::Status(process.status().code(),
                        absl::StrCat(name, ": ", process.status().message()));
  }
  processes_[name] = *std::move(process);
  return absl::OkStatus();
}

absl::StatusOr<int> Stack::Terminate(const std::string& name) {
  return processes_.at(name)->Stop();
}

absl::Status Stack::Kill(const std::string& name) {
  e2e::ServiceProcess& process = *processes_.at(name);
  if (kill(process.pid(), SIGKILL) != 0) return absl::InternalError("kill failed");
  absl::StatusOr<int> code = process.Stop();  // Reaps it: "died from a signal".
  if (code.ok()) return absl::InternalError(absl::StrCat(name, " exited ", *code, " first"));
  return absl::OkStatus();
}

std::string Stack::Address(const std::string& name) const {
  return absl::StrCat("127.0.0.1:", ports_.at(name));
}

int Stack::metrics_port(const std::string& name) const {
  return processes_.at(name)->metrics_port();
}

e2e::ServiceProcess* Stack::process(const std::string& name) const {
  auto it = processes_.find(name);
  return it == processes_.end() ? nullptr : it->second.get();
}

db::DbConfig Stack::AdminConfig(const std::string& service, int pool_size) const {
  db::DbConfig config;
  config.host = "127.0.0.1";
  config.port = mariadb_->port();
  config.database = databases_.at(service)->name();
  config.user = mariadb_->admin_user();
  config.password = mariadb_->admin_password();
  config.pool_size = pool_size;
  config.pool_name = absl::StrCat("resilience-admin-", service);
  return config;
}

std::string Stack::Token(const std::string& subject, std::optional<int64_t> unit_id,
                         std::vector<std::string> roles) const {
  auth::Claims claims;
  claims.subject = subject;
  claims.unit_id = unit_id;
  claims.roles = std::move(roles);
  claims.issuer = e2e::kE2eIssuer;
  claims.audience = {e2e::kE2eAudience};
  claims.issued_at = absl::Now();
  absl::StatusOr<std::string> token = auth::MintHs256(claims, jwt_secret_, absl::Hours(4));
  return token.ok() ? *token : "";
}

}  // namespace gongkai::resilience
