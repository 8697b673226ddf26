#include "tests/e2e/consultation_under_test.h"

#include <grpcpp/grpcpp.h>

#include "absl/strings/str_cat.h"
#include "libs/status/status_macros.h"
#include "tests/e2e/catalog_under_test.h"
#include "tests/e2e/stand_in_calendar.h"

namespace gongkai::e2e {

absl::StatusOr<std::unique_ptr<ConsultationUnderTest>> ConsultationUnderTest::Start(
    absl::string_view prefix, std::map<std::string, std::string> consultation_env,
    std::map<std::string, std::string> gateway_env) {
  std::unique_ptr<ConsultationUnderTest> env(new ConsultationUnderTest());
  ASSIGN_OR_RETURN(env->catalog_,
                   CatalogUnderTest::Start(prefix, {{"GONGKAI_CALENDAR_DIR", StandInCalendarDir()},
                                                    {"GONGKAI_METRICS_REFRESH", "1s"}}));
  ASSIGN_OR_RETURN(env->database_, E2eDatabase::Create(absl::StrCat(prefix, "_c")));
  ASSIGN_OR_RETURN(env->consultation_, env->StartConsultation(std::move(consultation_env)));
  // The gateway as GatewayUnderTest configures it, with both backends (a gateway is
  // ready only when every backend its routes name has an address).
  std::map<std::string, std::string> settings = {
      {"GONGKAI_HTTP_ADDRESS", "127.0.0.1:0"},
      {"GONGKAI_METRICS_ADDRESS", "127.0.0.1:0"},
      {"GONGKAI_BACKENDS", absl::StrCat("catalog=", env->catalog_->service().grpc_address(),
                                        ",consultation=", env->consultation_->grpc_address())},
      {"GONGKAI_JWT_HS256_SECRET", env->catalog_->jwt_secret()},
      {"GONGKAI_JWT_ISSUER", kE2eIssuer},
      {"GONGKAI_JWT_AUDIENCE", kE2eAudience},
      {"GONGKAI_IO_THREADS", "2"},
      {"GONGKAI_RATE_LIMIT_AUTHENTICATED", "0:0"},
      {"GONGKAI_RATE_LIMIT_ANONYMOUS_READ", "0:0"},
      {"GONGKAI_RATE_LIMIT_ANONYMOUS_WRITE", "0:0"},
      {"GONGKAI_SHUTDOWN_GRACE", "2s"},
  };
  for (auto& [key, value] : gateway_env) settings[key] = std::move(value);
  ASSIGN_OR_RETURN(env->gateway_, StartGatewayProcess(std::move(settings)));
  return env;
}

absl::StatusOr<std::unique_ptr<ServiceProcess>> ConsultationUnderTest::StartConsultation(
    std::map<std::string, std::string> extra_env) const {
  const std::string catalog_address = catalog_->service().grpc_address();
  ServiceProcess::Options options;
  options.binary = GONGKAI_CONSULTATION_BINARY;
  options.listening_message = "consultation listening";
  options.env = database_->ServiceEnv();
  options.env["GONGKAI_GRPC_ADDRESS"] = "127.0.0.1:0";
  options.env["GONGKAI_METRICS_ADDRESS"] = "127.0.0.1:0";
  options.env["GONGKAI_JWT_HS256_SECRET"] = catalog_->jwt_secret();
  options.env["GONGKAI_JWT_ISSUER"] = kE2eIssuer;
  options.env["GONGKAI_JWT_AUDIENCE"] = kE2eAudience;
  options.env["GONGKAI_DB_POOL_SIZE"] = "4";
  options.env["GONGKAI_CALENDAR_ADDRESS"] = catalog_address;
  options.env["GONGKAI_PEERS"] = absl::StrCat("catalog=", catalog_address);
  options.env["GONGKAI_METRICS_REFRESH"] = "1s";
  for (auto& [key, value] : extra_env) options.env[key] = std::move(value);
  return ServiceProcess::Start(std::move(options));
}

ConsultationUnderTest::~ConsultationUnderTest() {
  gateway_.reset();
  consultation_.reset();
  database_.reset();
  catalog_.reset();
}

std::unique_ptr<consultation::v1::ConsultationService::Stub> ConsultationUnderTest::NewStub()
    const {
  return consultation::v1::ConsultationService::NewStub(
      grpc::CreateChannel(consultation_->grpc_address(), grpc::InsecureChannelCredentials()));
}

}  // namespace gongkai::e2e
