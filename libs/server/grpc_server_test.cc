#include "libs/server/grpc_server.h"

#include <httplib.h>

#include <filesystem>
#include <fstream>
#include <limits>
#include <set>
#include <thread>

#include "gmock/gmock.h"
#include "gongkai/common/v1/calendar.grpc.pb.h"
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
  // Issue 14 P3: the handler threads against gRPC's thread quota.
  EXPECT_THAT(result->body, HasSubstr("gongkai_grpc_handler_threads_max 256"));
  // At least the one thread gRPC starts waiting for calls.
  EXPECT_THAT(result->body, ::testing::ContainsRegex("\ngongkai_grpc_handler_threads [1-9]"));
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

// A synchronous handler that holds each call until `open_at` calls have entered, so a
// test can have exactly N calls running at once on N handler threads.
class HeldCalendarService final : public common::v1::CalendarService::Service {
 public:
  grpc::Status GetCalendarYears(grpc::ServerContext* /*context*/,
                                const common::v1::GetCalendarYearsRequest* /*request*/,
                                common::v1::GetCalendarYearsResponse* /*response*/) override {
    absl::MutexLock lock(&mu_);
    ++entered_;
    mu_.Await(absl::Condition(this, &HeldCalendarService::Open));
    return grpc::Status::OK;
  }
  void OpenAt(int entered) {
    absl::MutexLock lock(&mu_);
    open_at_ = entered;
  }
  // Returns when `entered` calls have entered (or after 30 s, and the test fails later).
  void AwaitEntered(int entered) {
    absl::MutexLock lock(&mu_);
    awaited_ = entered;
    mu_.AwaitWithTimeout(absl::Condition(this, &HeldCalendarService::EnteredEnough),
                         absl::Seconds(30));
  }

 private:
  bool Open() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return entered_ >= open_at_; }
  bool EnteredEnough() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return entered_ >= awaited_; }
  absl::Mutex mu_;
  int entered_ ABSL_GUARDED_BY(mu_) = 0;
  int open_at_ ABSL_GUARDED_BY(mu_) = 0;
  int awaited_ ABSL_GUARDED_BY(mu_) = 0;
};

grpc::Status CallCalendar(int port) {
  auto stub = common::v1::CalendarService::NewStub(
      grpc::CreateChannel("127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  common::v1::GetCalendarYearsResponse response;
  return stub->GetCalendarYears(&context, common::v1::GetCalendarYearsRequest(), &response);
}

// gRPC's synchronous-server threads of this process (named by grpc_core::Thread), by id.
std::set<int> SyncServerThreads(bool* all_sleeping = nullptr) {
  std::set<int> ids;
  if (all_sleeping != nullptr) *all_sleeping = true;
  for (const auto& task : std::filesystem::directory_iterator("/proc/self/task")) {
    std::ifstream comm_file(task.path() / "comm");
    std::string comm;
    std::getline(comm_file, comm);
    if (comm != "grpcpp_sync_ser") continue;
    ids.insert(std::stoi(task.path().filename().string()));
    std::ifstream stat_file(task.path() / "stat");
    std::string stat((std::istreambuf_iterator<char>(stat_file)), std::istreambuf_iterator<char>());
    const size_t after_name = stat.rfind(") ");
    if (all_sleeping != nullptr && after_name != std::string::npos && stat[after_name + 2] != 'S') {
      *all_sleeping = false;
    }
  }
  return ids;
}

// `calls` concurrent calls, each held until all of them run; every one must succeed.
// Returns the handler threads that existed while the calls were held.
std::set<int> RunRound(HeldCalendarService& service, int port, int calls, int* entered_so_far) {
  *entered_so_far += calls;
  service.OpenAt(std::numeric_limits<int>::max());
  std::vector<std::thread> clients;
  std::vector<grpc::Status> statuses(calls);
  for (int i = 0; i < calls; ++i) {
    clients.emplace_back([&statuses, i, port] { statuses[i] = CallCalendar(port); });
  }
  service.AwaitEntered(*entered_so_far);
  std::set<int> threads = SyncServerThreads();
  service.OpenAt(*entered_so_far);
  for (std::thread& client : clients) client.join();
  for (const grpc::Status& status : statuses) EXPECT_TRUE(status.ok()) << status.error_message();
  return threads;
}

// Waits (at most 30 s) until every handler thread is asleep waiting for a call twice in
// a row: the threads that finished a round have gone back to waiting or exited.
std::set<int> SettledSyncServerThreads() {
  const absl::Time deadline = absl::Now() + absl::Seconds(30);
  std::set<int> previous;
  while (absl::Now() < deadline) {
    bool all_sleeping = false;
    std::set<int> now = SyncServerThreads(&all_sleeping);
    if (all_sleeping && now == previous) return now;
    previous = std::move(now);
    absl::SleepFor(absl::Milliseconds(20));
  }
  return previous;
}

int NewThreads(const std::set<int>& before, const std::set<int>& after) {
  int started = 0;
  for (int id : after) started += before.count(id) == 0 ? 1 : 0;
  return started;
}

// Issue 14 P3: with the defaults, handler threads that finished a call wait for the next
// one: rounds of 8 concurrent calls (8 creates in flight in the bench) after the first
// start no thread. With gRPC's own default (2 kept waiting) every round starts 6 or more.
TEST(GrpcServerTest, Issue14P3HandlerThreadsStayForTheNextCalls) {
  for (int max_polling_threads : {ServerConfig().max_polling_threads, 2}) {
    SCOPED_TRACE(max_polling_threads);
    HeldCalendarService service;
    ServerConfig config = TestConfig();
    config.max_polling_threads = max_polling_threads;
    metrics::Registry registry;
    auto server = GrpcServer::Start(config, {&service}, &registry);
    ASSERT_TRUE(server.ok()) << server.status();
    const int port = (*server)->grpc_port();
    int entered = 0;
    const std::set<int> first = RunRound(service, port, 8, &entered);
    const std::set<int> after_first = SettledSyncServerThreads();
    std::set<int> later = RunRound(service, port, 8, &entered);
    SettledSyncServerThreads();
    const std::set<int> third = RunRound(service, port, 8, &entered);
    later.insert(third.begin(), third.end());
    EXPECT_GE(first.size(), 8u);
    if (max_polling_threads >= 9) {
      EXPECT_EQ(after_first, first);  // 8 ran the calls and one waited; all of them stay.
      EXPECT_EQ(NewThreads(first, later), 0);
    } else {
      EXPECT_LE(after_first.size(), 3u);        // The rest ended after their call.
      EXPECT_GE(NewThreads(first, later), 12);  // At least 6 started in each round.
    }
    (*server)->Shutdown();
  }
}

// Issue 14 P3: gRPC's thread quota bounds the handler threads: with room for 4, three
// calls run and the fourth is refused at once, not queued on a thread without end.
TEST(GrpcServerTest, Issue14P3ThreadQuotaRefusesCallsBeyondIt) {
  HeldCalendarService service;
  ServerConfig config = TestConfig();
  config.max_polling_threads = 2;
  config.max_handler_threads = 4;
  metrics::Registry registry;
  auto server = GrpcServer::Start(config, {&service}, &registry);
  ASSERT_TRUE(server.ok()) << server.status();
  const int port = (*server)->grpc_port();
  service.OpenAt(1000);
  std::vector<std::thread> clients;
  std::vector<grpc::Status> held(3);
  for (int i = 0; i < 3; ++i) {
    clients.emplace_back([&held, i, port] { held[i] = CallCalendar(port); });
  }
  service.AwaitEntered(3);
  httplib::Client metrics_client("127.0.0.1", (*server)->metrics_port());
  auto scrape = metrics_client.Get("/metrics");
  ASSERT_TRUE(scrape);
  EXPECT_THAT(scrape->body, HasSubstr("gongkai_grpc_handler_threads 4"));  // 3 held + 1.
  EXPECT_THAT(scrape->body, HasSubstr("gongkai_grpc_handler_threads_max 4"));
  grpc::Status refused = CallCalendar(port);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << refused.error_message();
  service.OpenAt(0);
  for (std::thread& client : clients) client.join();
  for (const grpc::Status& status : held) EXPECT_TRUE(status.ok()) << status.error_message();
  EXPECT_TRUE(CallCalendar(port).ok());  // A thread is free again.
  (*server)->Shutdown();
}

}  // namespace
}  // namespace gongkai::server
