// Starts a real gRPC server on port 0 with the metrics interceptor and the standard
// health service, calls it, and reads the series from the registry and over HTTP.
#include "libs/metrics/grpc_server_metrics.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/grpcpp.h>
#include <grpcpp/health_check_service_interface.h>
#include <httplib.h>

#include "gmock/gmock.h"
#include "google/protobuf/descriptor.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "gtest/gtest.h"
#include "libs/metrics/http_exposer.h"

namespace gongkai::metrics {
namespace {

using ::testing::HasSubstr;

TEST(GrpcServerMetricsTest, CountsCallsWithGoGrpcPrometheusLabels) {
  Registry registry;
  GrpcServerMetrics grpc_metrics(registry);
  grpc_metrics.PreRegisterService(
      *grpc::health::v1::HealthCheckRequest::descriptor()->file()->service(0));

  grpc::EnableDefaultHealthCheckService(true);
  // A synchronous service (reflection) so the server has a polled completion queue.
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> factories;
  factories.push_back(grpc_metrics.NewInterceptorFactory());
  builder.experimental().SetInterceptorCreators(std::move(factories));
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  ASSERT_NE(server, nullptr);

  auto stub = grpc::health::v1::Health::NewStub(
      grpc::CreateChannel("127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials()));
  for (const char* service : {"", "no.such.Service"}) {
    grpc::ClientContext context;
    grpc::health::v1::HealthCheckRequest request;
    request.set_service(service);
    grpc::health::v1::HealthCheckResponse response;
    stub->Check(&context, request, &response);
  }

  const std::string text = registry.Serialize();
  // Labels are emitted in declaration order: type, service, method.
  EXPECT_THAT(text, HasSubstr("grpc_server_started_total{grpc_type=\"unary\",grpc_service="
                              "\"grpc.health.v1.Health\",grpc_method=\"Check\"} 2\n"));
  EXPECT_THAT(text, HasSubstr("grpc_service=\"grpc.health.v1.Health\",grpc_method=\"Check\","
                              "grpc_code=\"OK\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("grpc_service=\"grpc.health.v1.Health\",grpc_method=\"Check\","
                              "grpc_code=\"NotFound\"} 1\n"));
  // Pre-registered: the streaming Watch method exists with zeros.
  EXPECT_THAT(text, HasSubstr("grpc_server_started_total{grpc_type=\"server_stream\","
                              "grpc_service=\"grpc.health.v1.Health\",grpc_method=\"Watch\"} 0\n"));
  EXPECT_THAT(text, HasSubstr("grpc_server_handling_seconds_count{grpc_type=\"unary\","
                              "grpc_service=\"grpc.health.v1.Health\",grpc_method=\"Check\"} 2\n"));

  absl::StatusOr<std::unique_ptr<MetricsHttpServer>> exposer =
      MetricsHttpServer::Start("127.0.0.1:0", &registry);
  ASSERT_TRUE(exposer.ok()) << exposer.status();
  httplib::Client client("127.0.0.1", (*exposer)->port());
  auto result = client.Get("/metrics");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 200);
  EXPECT_EQ(result->get_header_value("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_THAT(result->body, HasSubstr("grpc_server_handled_total"));
  (*exposer)->Stop();
  server->Shutdown();
}

}  // namespace
}  // namespace gongkai::metrics
