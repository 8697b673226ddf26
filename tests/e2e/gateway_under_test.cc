#include "tests/e2e/gateway_under_test.h"

#include <httplib.h>

#include <utility>

#include "absl/strings/str_cat.h"
#include "libs/status/status_macros.h"

#ifndef GONGKAI_GATEWAY_BINARY
#error "GONGKAI_GATEWAY_BINARY must be defined by the build"
#endif

namespace gongkai::e2e {

absl::StatusOr<std::unique_ptr<ServiceProcess>> StartGatewayProcess(
    std::map<std::string, std::string> env) {
  ServiceProcess::Options options;
  options.binary = GONGKAI_GATEWAY_BINARY;
  options.env = std::move(env);
  options.listening_message = "gateway listening";
  options.port_keys = {"http_port", "metrics_port"};
  options.readiness_probe = [](const ServiceProcess& process) -> absl::Status {
    httplib::Client client("127.0.0.1", process.port("http_port"));
    client.set_connection_timeout(1, 0);
    client.set_read_timeout(2, 0);
    httplib::Result result = client.Get("/readyz");
    if (!result) {
      return absl::UnavailableError(
          absl::StrCat("GET /readyz failed: ", httplib::to_string(result.error())));
    }
    if (result->status != 200) {
      return absl::UnavailableError(
          absl::StrCat("GET /readyz: HTTP ", result->status, " ", result->body));
    }
    return absl::OkStatus();
  };
  return ServiceProcess::Start(std::move(options));
}

absl::StatusOr<std::unique_ptr<GatewayUnderTest>> GatewayUnderTest::Start(
    absl::string_view prefix, std::map<std::string, std::string> gateway_env,
    std::map<std::string, std::string> catalog_env) {
  std::unique_ptr<GatewayUnderTest> under_test(new GatewayUnderTest());
  ASSIGN_OR_RETURN(under_test->catalog_, CatalogUnderTest::Start(prefix, std::move(catalog_env)));
  ASSIGN_OR_RETURN(under_test->gateway_, under_test->StartGateway(std::move(gateway_env)));
  return under_test;
}

GatewayUnderTest::~GatewayUnderTest() {
  gateway_.reset();  // The gateway first: it must not outlive its backend by much.
  catalog_.reset();
}

std::map<std::string, std::string> GatewayUnderTest::BaseEnv() const {
  return {
      {"GONGKAI_HTTP_ADDRESS", "127.0.0.1:0"},
      {"GONGKAI_METRICS_ADDRESS", "127.0.0.1:0"},
      // The catalog only: the other services' routes answer 503 (NOT_CONFIGURED), and
      // the gateway is ready because one backend serves.
      {"GONGKAI_BACKENDS", absl::StrCat("catalog=", catalog_->service().grpc_address())},
      {"GONGKAI_JWT_HS256_SECRET", catalog_->jwt_secret()},
      {"GONGKAI_JWT_ISSUER", kE2eIssuer},
      {"GONGKAI_JWT_AUDIENCE", kE2eAudience},
      {"GONGKAI_IO_THREADS", "2"},
      {"GONGKAI_RATE_LIMIT_AUTHENTICATED", "0:0"},
      {"GONGKAI_RATE_LIMIT_ANONYMOUS_READ", "0:0"},
      {"GONGKAI_RATE_LIMIT_ANONYMOUS_WRITE", "0:0"},
      {"GONGKAI_SHUTDOWN_GRACE", "2s"},
  };
}

absl::StatusOr<std::unique_ptr<ServiceProcess>> GatewayUnderTest::StartGateway(
    std::map<std::string, std::string> extra_env) const {
  std::map<std::string, std::string> env = BaseEnv();
  for (auto& [key, value] : extra_env) env[key] = std::move(value);
  return StartGatewayProcess(std::move(env));
}

}  // namespace gongkai::e2e
