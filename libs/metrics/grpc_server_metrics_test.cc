// Starts a real gRPC server on port 0 with the metrics interceptor and the standard
// health service, calls it, and reads the series from the registry and over HTTP.
#include "libs/metrics/grpc_server_metrics.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <grpcpp/health_check_service_interface.h>
#include <httplib.h>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "google/protobuf/descriptor.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "gtest/gtest.h"
#include "libs/metrics/http_exposer.h"

namespace gongkai::metrics {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

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
  // Labels are emitted in name order: code, method, service, type.
  EXPECT_THAT(text, HasSubstr("grpc_server_started_total{grpc_method=\"Check\",grpc_service="
                              "\"grpc.health.v1.Health\",grpc_type=\"unary\"} 2\n"));
  EXPECT_THAT(text, HasSubstr("grpc_server_handled_total{grpc_code=\"OK\",grpc_method=\"Check\","
                              "grpc_service=\"grpc.health.v1.Health\",grpc_type=\"unary\"} 1\n"));
  EXPECT_THAT(text,
              HasSubstr("grpc_server_handled_total{grpc_code=\"NotFound\",grpc_method=\"Check\","
                        "grpc_service=\"grpc.health.v1.Health\",grpc_type=\"unary\"} 1\n"));
  // Every code is there from the start, at zero.
  EXPECT_THAT(
      text, HasSubstr("grpc_server_handled_total{grpc_code=\"Unauthenticated\",grpc_method="
                      "\"Check\",grpc_service=\"grpc.health.v1.Health\",grpc_type=\"unary\"} 0\n"));
  // Pre-registered: the streaming Watch method exists with zeros.
  EXPECT_THAT(text, HasSubstr("grpc_server_started_total{grpc_method=\"Watch\",grpc_service="
                              "\"grpc.health.v1.Health\",grpc_type=\"server_stream\"} 0\n"));
  EXPECT_THAT(text, HasSubstr("grpc_server_handling_seconds_count{grpc_method=\"Check\","
                              "grpc_service=\"grpc.health.v1.Health\",grpc_type=\"unary\"} 2\n"));

  absl::StatusOr<std::unique_ptr<MetricsHttpServer>> exposer =
      MetricsHttpServer::Start("127.0.0.1:0", &registry);
  ASSERT_TRUE(exposer.ok()) << exposer.status();
  httplib::Client client("127.0.0.1", (*exposer)->port());
  auto result = client.Get("/metrics");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 200);
  EXPECT_THAT(result->get_header_value("Content-Type"), ::testing::StartsWith("text/plain"));
  EXPECT_THAT(result->body, HasSubstr("grpc_server_handled_total"));
  (*exposer)->Stop();
  server->Shutdown();
}

// A server on port 0 with the health and reflection services and the interceptor.
class InterceptedServer {
 public:
  explicit InterceptedServer(GrpcServerMetrics& metrics) {
    grpc::EnableDefaultHealthCheckService(true);
    grpc::reflection::InitProtoReflectionServerBuilderPlugin();
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port_);
    std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> factories;
    factories.push_back(metrics.NewInterceptorFactory());
    builder.experimental().SetInterceptorCreators(std::move(factories));
    server_ = builder.BuildAndStart();
    channel_ =
        grpc::CreateChannel(absl::StrCat("127.0.0.1:", port_), grpc::InsecureChannelCredentials());
  }
  ~InterceptedServer() { server_->Shutdown(); }
  std::shared_ptr<grpc::Channel> channel() const { return channel_; }

 private:
  int port_ = 0;
  std::unique_ptr<grpc::Server> server_;
  std::shared_ptr<grpc::Channel> channel_;
};

// Runs a generic bidi-streaming call: sends `requests`, half-closes, reads every reply.
grpc::Status BidiCall(std::shared_ptr<grpc::Channel> channel, const std::string& method,
                      const std::vector<std::string>& requests, int* replies) {
  grpc::GenericStub stub(std::move(channel));
  grpc::CompletionQueue cq;
  grpc::ClientContext context;
  std::unique_ptr<grpc::GenericClientAsyncReaderWriter> call =
      stub.PrepareCall(&context, method, &cq);
  void* tag = nullptr;
  bool ok = false;
  auto await = [&] { return cq.Next(&tag, &ok) && ok; };
  call->StartCall(reinterpret_cast<void*>(1));
  if (!await()) return grpc::Status(grpc::StatusCode::UNAVAILABLE, "start failed");
  for (const std::string& request : requests) {
    grpc::Slice slice(request);
    call->Write(grpc::ByteBuffer(&slice, 1), reinterpret_cast<void*>(2));
    if (!await()) break;
  }
  call->WritesDone(reinterpret_cast<void*>(3));
  await();
  *replies = 0;
  grpc::ByteBuffer reply;
  for (;;) {
    call->Read(&reply, reinterpret_cast<void*>(4));
    if (!await()) break;
    ++*replies;
  }
  grpc::Status status;
  call->Finish(&status, reinterpret_cast<void*>(5));
  cq.Next(&tag, &ok);
  cq.Shutdown();
  while (cq.Next(&tag, &ok)) {
  }
  return status;
}

TEST(GrpcServerMetricsTest, StreamMessagesAreCountedOnceEach) {
  Registry registry;
  GrpcServerMetrics grpc_metrics(registry);
  InterceptedServer server(grpc_metrics);
  // Two ServerReflectionRequest{list_services: ""} messages (field 7, empty string).
  const std::string list_services("\x3a\x00", 2);
  int replies = 0;
  grpc::Status status =
      BidiCall(server.channel(), "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo",
               {list_services, list_services}, &replies);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(replies, 2);

  const std::string labels =
      "{grpc_method=\"ServerReflectionInfo\",grpc_service="
      "\"grpc.reflection.v1alpha.ServerReflection\",grpc_type=\"bidi_stream\"}";
  const std::string text = registry.Serialize();
  // Created on first use: the method is compiled into this binary.
  EXPECT_THAT(text, HasSubstr(absl::StrCat("grpc_server_started_total", labels, " 1\n")));
  // The read that found the end of the client stream is not a message.
  EXPECT_THAT(text, HasSubstr(absl::StrCat("grpc_server_msg_received_total", labels, " 2\n")));
  EXPECT_THAT(text, HasSubstr(absl::StrCat("grpc_server_msg_sent_total", labels, " 2\n")));
}

TEST(GrpcServerMetricsTest, CallsToUnknownMethodsCreateNoSeries) {
  Registry registry;
  GrpcServerMetrics grpc_metrics(registry);
  InterceptedServer server(grpc_metrics);
  for (int i = 0; i < 3; ++i) {
    int replies = 0;
    grpc::Status status =
        BidiCall(server.channel(), absl::StrCat("/made.up.Service/Method", i), {"x"}, &replies);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::UNIMPLEMENTED);
  }
  EXPECT_THAT(registry.Serialize(), Not(HasSubstr("made.up.Service")));
  EXPECT_EQ(grpc_metrics.ForMethod("/made.up.Service/Method0"), nullptr);
  EXPECT_EQ(grpc_metrics.ForMethod("no-slash"), nullptr);
  EXPECT_NE(grpc_metrics.ForMethod("/grpc.health.v1.Health/Watch"), nullptr);
}

TEST(GrpcServerMetricsTest, CodeNamesAreGrpcGoNames) {
  EXPECT_STREQ(GrpcCodeName(0), "OK");
  EXPECT_STREQ(GrpcCodeName(1), "Canceled");
  EXPECT_STREQ(GrpcCodeName(3), "InvalidArgument");
  EXPECT_STREQ(GrpcCodeName(16), "Unauthenticated");
  EXPECT_STREQ(GrpcCodeName(17), "Unknown");
  EXPECT_STREQ(GrpcCodeName(-1), "Unknown");
}

}  // namespace
}  // namespace gongkai::metrics
