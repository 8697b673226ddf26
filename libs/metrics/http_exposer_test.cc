#include "libs/metrics/http_exposer.h"

#include <httplib.h>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gongkai::metrics {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

TEST(MetricsHttpServerTest, ServesTheRegistryAndHealth) {
  Registry registry;
  registry.AddCounter("demo_requests_total", "Requests.", {"code"})
      .WithLabels({"200"})
      .Increment(7);
  absl::StatusOr<std::unique_ptr<MetricsHttpServer>> server =
      MetricsHttpServer::Start("127.0.0.1:0", &registry);
  ASSERT_TRUE(server.ok()) << server.status();
  ASSERT_GT((*server)->port(), 0);

  httplib::Client client("127.0.0.1", (*server)->port());
  httplib::Result metrics = client.Get("/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_EQ(metrics->status, 200);
  // prometheus-cpp's content type; Prometheus reads text/plain as the 0.0.4 format.
  EXPECT_THAT(metrics->get_header_value("Content-Type"), StartsWith("text/plain"));
  EXPECT_THAT(metrics->body, HasSubstr(registry.Serialize()));
  EXPECT_THAT(metrics->body, HasSubstr("demo_requests_total{code=\"200\"} 7\n"));
  EXPECT_THAT(metrics->body, HasSubstr("exposer_scrapes_total"));

  httplib::Result health = client.Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  EXPECT_EQ(health->body, "ok\n");
  EXPECT_EQ(client.Get("/other")->status, 404);
}

TEST(MetricsHttpServerTest, StopRightAfterStartReturns) {
  Registry registry;
  for (int i = 0; i < 10; ++i) {
    absl::StatusOr<std::unique_ptr<MetricsHttpServer>> server =
        MetricsHttpServer::Start("127.0.0.1:0", &registry);
    ASSERT_TRUE(server.ok()) << server.status();
    (*server)->Stop();
  }
}

TEST(MetricsHttpServerTest, StopIsIdempotentAndTheDestructorStops) {
  Registry registry;
  absl::StatusOr<std::unique_ptr<MetricsHttpServer>> server =
      MetricsHttpServer::Start("127.0.0.1:0", &registry);
  ASSERT_TRUE(server.ok()) << server.status();
  const int port = (*server)->port();
  (*server)->Stop();
  (*server)->Stop();
  EXPECT_FALSE(httplib::Client("127.0.0.1", port).Get("/healthz"));
  server->reset();  // Destructor after Stop().
}

TEST(MetricsHttpServerTest, ARegistryDestroyedFirstIsNoLongerServed) {
  auto registry = std::make_unique<Registry>();
  registry->AddGauge("gone_items", "Gone.", {}).WithLabels({}).Set(1);
  absl::StatusOr<std::unique_ptr<MetricsHttpServer>> server =
      MetricsHttpServer::Start("127.0.0.1:0", registry.get());
  ASSERT_TRUE(server.ok()) << server.status();
  registry.reset();
  httplib::Result metrics = httplib::Client("127.0.0.1", (*server)->port()).Get("/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_EQ(metrics->status, 200);
  EXPECT_THAT(metrics->body, ::testing::Not(HasSubstr("gone_items")));
}

TEST(MetricsHttpServerTest, PortHeldByAnotherServerIsUnavailable) {
  Registry registry;
  absl::StatusOr<std::unique_ptr<MetricsHttpServer>> first =
      MetricsHttpServer::Start("127.0.0.1:0", &registry);
  ASSERT_TRUE(first.ok()) << first.status();
  absl::StatusOr<std::unique_ptr<MetricsHttpServer>> second =
      MetricsHttpServer::Start(absl::StrCat("127.0.0.1:", (*first)->port()), &registry);
  EXPECT_EQ(second.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(second.status().message(), HasSubstr("cannot bind the metrics port"));
}

TEST(MetricsHttpServerTest, MalformedAddressIsInvalidArgument) {
  Registry registry;
  for (const char* address : {"nonsense", "127.0.0.1:", "127.0.0.1:http", "127.0.0.1:70000",
                              ":9101", "127.0.0.1:+80", "127.0.0.1:0,127.0.0.1:1", "9101"}) {
    absl::StatusOr<std::unique_ptr<MetricsHttpServer>> server =
        MetricsHttpServer::Start(address, &registry);
    EXPECT_EQ(server.status().code(), absl::StatusCode::kInvalidArgument) << address;
    EXPECT_THAT(server.status().message(), HasSubstr("must be host:port")) << address;
  }
}

TEST(MetricsHttpServerTest, BracketedIpv6HostServesOrSaysIpv6IsUnsupported) {
  Registry registry;
  absl::StatusOr<std::unique_ptr<MetricsHttpServer>> server =
      MetricsHttpServer::Start("[::1]:0", &registry);
  if (!server.ok()) {
    EXPECT_EQ(server.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(server.status().message(), HasSubstr("IPv6 is not supported"));
    return;
  }
  httplib::Client client("::1", (*server)->port());
  httplib::Result health = client.Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
}

}  // namespace
}  // namespace gongkai::metrics
