#include "libs/server/grpc_server.h"

#include <httplib.h>

#include "gmock/gmock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "gtest/gtest.h"
#include "libs/log/log.h"
#include "nlohmann/json.hpp"

namespace gongkai::server {
namespace {

using ::grpc::health::v1::HealthCheckRequest;
using ::grpc::health::v1::HealthCheckResponse;
using ::testing::HasSubstr;

class CapturingSink : public log::Sink {
 public:
  void Write(absl::string_view line) override {
    absl::MutexLock lock(&mu);
    lines.emplace_back(line);
  }
  std::vector<std::string> Lines() {
    absl::MutexLock lock(&mu);
    return lines;
  }
  absl::Mutex mu;
  std::vector<std::string> lines;
};

ServerConfig TestConfig() {
  ServerConfig config;
  config.grpc_address = "127.0.0.1:0";
  config.metrics_address = "127.0.0.1:0";
  config.shutdown_grace = absl::Seconds(1);
  return config;
}

HealthCheckResponse::ServingStatus Check(int port, const std::string& service,
                                         const std::string& request_id = "",
                                         std::string* returned_request_id = nullptr) {
  auto stub = grpc::health::v1::Health::NewStub(
      grpc::CreateChannel("127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  if (!request_id.empty()) context.AddMetadata("x-request-id", request_id);
  HealthCheckRequest request;
  request.set_service(service);
  HealthCheckResponse response;
  grpc::Status status = stub->Check(&context, request, &response);
  if (returned_request_id != nullptr) {
    auto it = context.GetServerInitialMetadata().find("x-request-id");
    if (it != context.GetServerInitialMetadata().end()) {
      *returned_request_id = std::string(it->second.data(), it->second.size());
    }
  }
  return status.ok() ? response.status() : HealthCheckResponse::UNKNOWN;
}

TEST(GrpcServerTest, HealthIsNotServingUntilReadyAndPerServiceNamesFollow) {
  metrics::Registry registry;
  auto server = GrpcServer::Start(TestConfig(), {}, &registry);
  ASSERT_TRUE(server.ok()) << server.status();
  const int port = (*server)->grpc_port();
  ASSERT_GT(port, 0);
  (*server)->RegisterServiceName(*HealthCheckRequest::descriptor()->file()->service(0));
  EXPECT_EQ(Check(port, ""), HealthCheckResponse::NOT_SERVING);
  EXPECT_EQ(Check(port, "grpc.health.v1.Health"), HealthCheckResponse::NOT_SERVING);
  (*server)->SetServing(true);
  EXPECT_EQ(Check(port, ""), HealthCheckResponse::SERVING);
  EXPECT_EQ(Check(port, "grpc.health.v1.Health"), HealthCheckResponse::SERVING);
  (*server)->Shutdown();
  (*server)->Shutdown();  // Idempotent.
  EXPECT_FALSE((*server)->serving());
  (*server)->SetServing(true);  // Ignored after shutdown.
  EXPECT_FALSE((*server)->serving());
}

TEST(GrpcServerTest, MetricsEndpointServesGrpcAndProcessMetrics) {
  metrics::Registry registry;
  auto server = GrpcServer::Start(TestConfig(), {}, &registry);
  ASSERT_TRUE(server.ok());
  (*server)->SetServing(true);
  Check((*server)->grpc_port(), "");
  httplib::Client client("127.0.0.1", (*server)->metrics_port());
  auto result = client.Get("/metrics");
  ASSERT_TRUE(result);
  EXPECT_THAT(result->get_header_value("Content-Type"), ::testing::StartsWith("text/plain"));
  EXPECT_THAT(result->body, HasSubstr("grpc_server_handled_total{grpc_code=\"OK\","
                                      "grpc_method=\"Check\","
                                      "grpc_service=\"grpc.health.v1.Health\","
                                      "grpc_type=\"unary\"} 1"));
  EXPECT_THAT(result->body, HasSubstr("process_resident_memory_bytes"));
}

TEST(GrpcServerTest, AccessLogHasOneLinePerCallWithTheCallersRequestId) {
  CapturingSink sink;
  log::SetSinkForTesting(&sink);
  metrics::Registry registry;
  auto server = GrpcServer::Start(TestConfig(), {}, &registry);
  ASSERT_TRUE(server.ok());
  std::string echoed;
  Check((*server)->grpc_port(), "", "req-42", &echoed);
  EXPECT_EQ(echoed, "req-42");
  Check((*server)->grpc_port(), "", "bad id with spaces", &echoed);
  EXPECT_EQ(echoed.size(), 32u);  // Replaced by a generated id.
  (*server)->Shutdown();
  log::SetSinkForTesting(nullptr);
  int calls = 0;
  for (const std::string& line : sink.Lines()) {
    auto json = nlohmann::json::parse(line);
    if (json["msg"] != "grpc call") continue;
    ++calls;
    EXPECT_EQ(json["method"], "/grpc.health.v1.Health/Check");
    EXPECT_EQ(json["code"], "OK");
    EXPECT_THAT(json["peer"].get<std::string>(), HasSubstr("127.0.0.1"));
    EXPECT_TRUE(json.contains("latency_ms"));
    if (calls == 1) {
      EXPECT_EQ(json["request_id"], "req-42");
    }
  }
  EXPECT_EQ(calls, 2);
}

TEST(GrpcServerTest, BusyPortIsUnavailable) {
  metrics::Registry registry;
  auto first = GrpcServer::Start(TestConfig(), {}, &registry);
  ASSERT_TRUE(first.ok());
  ServerConfig config = TestConfig();
  config.metrics_address = "127.0.0.1:" + std::to_string((*first)->metrics_port());
  metrics::Registry other;
  auto second = GrpcServer::Start(config, {}, &other);
  EXPECT_EQ(second.status().code(), absl::StatusCode::kUnavailable);
  ServerConfig same_grpc = TestConfig();
  same_grpc.grpc_address = "127.0.0.1:" + std::to_string((*first)->grpc_port());
  metrics::Registry third;
  auto conflict = GrpcServer::Start(same_grpc, {}, &third);
  EXPECT_EQ(conflict.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(std::string(conflict.status().message()), HasSubstr("cannot listen"));
}

}  // namespace
}  // namespace gongkai::server
