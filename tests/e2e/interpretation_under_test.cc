#include "tests/e2e/interpretation_under_test.h"

#include <arpa/inet.h>
#include <grpcpp/grpcpp.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <utility>

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "libs/auth/token_minter.h"
#include "libs/status/status_macros.h"
#include "tests/e2e/catalog_under_test.h"
#include "tests/e2e/gateway_under_test.h"

#ifndef GONGKAI_CATALOG_BINARY
#error "GONGKAI_CATALOG_BINARY must be defined by the build"
#endif
#ifndef GONGKAI_INTERPRETATION_BINARY
#error "GONGKAI_INTERPRETATION_BINARY must be defined by the build"
#endif

namespace gongkai::e2e {

absl::StatusOr<int> PickFreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return absl::InternalError("socket() failed");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof(address);
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    close(fd);
    return absl::InternalError("bind() on 127.0.0.1:0 failed");
  }
  const int port = ntohs(address.sin_port);
  close(fd);
  return port;
}

absl::StatusOr<std::unique_ptr<InterpretationSuite>> InterpretationSuite::Start(
    absl::string_view prefix, std::map<std::string, std::string> catalog_env,
    std::map<std::string, std::string> interpretation_env) {
  std::unique_ptr<InterpretationSuite> suite(new InterpretationSuite());
  ASSIGN_OR_RETURN(suite->catalog_db_, E2eDatabase::Create(absl::StrCat(prefix, "_cat")));
  ASSIGN_OR_RETURN(suite->interpretation_db_, E2eDatabase::Create(absl::StrCat(prefix, "_int")));
  absl::BitGen gen;
  for (int i = 0; i < 4; ++i) {
    absl::StrAppend(&suite->jwt_secret_, absl::Hex(absl::Uniform<uint64_t>(gen), absl::kZeroPad16));
  }
  ASSIGN_OR_RETURN(suite->catalog_port_, PickFreePort());
  ASSIGN_OR_RETURN(suite->interpretation_port_, PickFreePort());
  suite->catalog_env_ = std::move(catalog_env);
  suite->interpretation_env_ = std::move(interpretation_env);
  RETURN_IF_ERROR(suite->StartCatalog());
  RETURN_IF_ERROR(suite->StartInterpretation());
  return suite;
}

InterpretationSuite::~InterpretationSuite() {
  gateway_.reset();
  interpretation_.reset();
  catalog_.reset();
}

absl::Status InterpretationSuite::StartCatalog() {
  ServiceProcess::Options options;
  options.binary = GONGKAI_CATALOG_BINARY;
  options.env = catalog_db_->ServiceEnv();
  options.env["GONGKAI_GRPC_ADDRESS"] = absl::StrCat("127.0.0.1:", catalog_port_);
  options.env["GONGKAI_METRICS_ADDRESS"] = "127.0.0.1:0";
  options.env["GONGKAI_JWT_HS256_SECRET"] = jwt_secret_;
  options.env["GONGKAI_JWT_ISSUER"] = kE2eIssuer;
  options.env["GONGKAI_JWT_AUDIENCE"] = kE2eAudience;
  options.env["GONGKAI_DB_POOL_SIZE"] = "4";
  options.env["GONGKAI_APPLICANT_KEY_SECRET"] = absl::StrCat(jwt_secret_, "-applicants");
  options.env["GONGKAI_PEERS"] = absl::StrCat("interpretation=127.0.0.1:", interpretation_port_);
  options.env["GONGKAI_OUTBOX_POLL_INTERVAL"] = "200ms";
  options.env["GONGKAI_INTERPRETATION_CALL_TIMEOUT"] = "2s";
  for (const auto& [key, value] : catalog_env_) options.env[key] = value;
  catalog_.reset();
  ASSIGN_OR_RETURN(catalog_, ServiceProcess::Start(std::move(options)));
  return absl::OkStatus();
}

absl::Status InterpretationSuite::StartInterpretation() {
  ServiceProcess::Options options;
  options.binary = GONGKAI_INTERPRETATION_BINARY;
  options.listening_message = "interpretation listening";
  options.env = interpretation_db_->ServiceEnv();
  options.env["GONGKAI_GRPC_ADDRESS"] = absl::StrCat("127.0.0.1:", interpretation_port_);
  options.env["GONGKAI_METRICS_ADDRESS"] = "127.0.0.1:0";
  options.env["GONGKAI_JWT_HS256_SECRET"] = jwt_secret_;
  options.env["GONGKAI_JWT_ISSUER"] = kE2eIssuer;
  options.env["GONGKAI_JWT_AUDIENCE"] = kE2eAudience;
  options.env["GONGKAI_DB_POOL_SIZE"] = "4";
  options.env["GONGKAI_PEERS"] = absl::StrCat("catalog=127.0.0.1:", catalog_port_);
  options.env["GONGKAI_CALENDAR_ADDRESS"] = absl::StrCat("127.0.0.1:", catalog_port_);
  for (const auto& [key, value] : interpretation_env_) options.env[key] = value;
  interpretation_.reset();
  ASSIGN_OR_RETURN(interpretation_, ServiceProcess::Start(std::move(options)));
  return absl::OkStatus();
}

namespace {
void Kill(std::unique_ptr<ServiceProcess>& process) {
  if (process == nullptr) return;
  kill(process->pid(), SIGKILL);
  // Reaps it; the result (killed by signal 9) is expected, so it is not checked.
  (void)process->Stop();
  process.reset();
}
}  // namespace

void InterpretationSuite::KillCatalog() { Kill(catalog_); }
void InterpretationSuite::KillInterpretation() { Kill(interpretation_); }

absl::Status InterpretationSuite::StartGateway() {
  std::map<std::string, std::string> env = {
      {"GONGKAI_HTTP_ADDRESS", "127.0.0.1:0"},
      {"GONGKAI_METRICS_ADDRESS", "127.0.0.1:0"},
      {"GONGKAI_BACKENDS", absl::StrCat("catalog=127.0.0.1:", catalog_port_,
                                        ",interpretation=127.0.0.1:", interpretation_port_)},
      {"GONGKAI_JWT_HS256_SECRET", jwt_secret_},
      {"GONGKAI_JWT_ISSUER", kE2eIssuer},
      {"GONGKAI_JWT_AUDIENCE", kE2eAudience},
      {"GONGKAI_IO_THREADS", "2"},
      {"GONGKAI_RATE_LIMIT_AUTHENTICATED", "0:0"},
      {"GONGKAI_RATE_LIMIT_ANONYMOUS_READ", "0:0"},
      {"GONGKAI_RATE_LIMIT_ANONYMOUS_WRITE", "0:0"},
      {"GONGKAI_SHUTDOWN_GRACE", "2s"},
  };
  ASSIGN_OR_RETURN(gateway_, StartGatewayProcess(std::move(env)));
  return absl::OkStatus();
}

std::string InterpretationSuite::Token(const std::string& subject, std::optional<int64_t> unit_id,
                                       std::vector<std::string> roles) const {
  auth::Claims claims;
  claims.subject = subject;
  claims.unit_id = unit_id;
  claims.roles = std::move(roles);
  claims.issuer = kE2eIssuer;
  claims.audience = {kE2eAudience};
  claims.issued_at = absl::Now();
  absl::StatusOr<std::string> token = auth::MintHs256(claims, jwt_secret_, absl::Hours(1));
  if (!token.ok()) {
    std::cerr << "minting a test token failed: " << token.status() << "\n";
    std::abort();
  }
  return *std::move(token);
}

std::unique_ptr<catalog::v1::CatalogService::Stub> InterpretationSuite::CatalogStub() const {
  return catalog::v1::CatalogService::NewStub(grpc::CreateChannel(
      absl::StrCat("127.0.0.1:", catalog_port_), grpc::InsecureChannelCredentials()));
}

std::unique_ptr<interpretation::v1::InterpretationService::Stub>
InterpretationSuite::InterpretationStub() const {
  return interpretation::v1::InterpretationService::NewStub(grpc::CreateChannel(
      absl::StrCat("127.0.0.1:", interpretation_port_), grpc::InsecureChannelCredentials()));
}

}  // namespace gongkai::e2e
