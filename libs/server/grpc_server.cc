#include "libs/server/grpc_server.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/resource_quota.h>

#include <dirent.h>

#include <cstdio>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "libs/log/log.h"
#include "libs/metrics/process_metrics.h"
#include "libs/server/access_log_interceptor.h"
#include "libs/server/request_decode_interceptor.h"

namespace gongkai::server {
namespace {

// Counts the calls a handler thread has taken and not finished (the interceptor lives
// as long as its call), and stamps when the last one was taken.
class CallTracker final : public grpc::experimental::Interceptor {
 public:
  explicit CallTracker(std::shared_ptr<std::atomic<int64_t>> running)
      : running_(std::move(running)) {
    running_->fetch_add(1);
  }
  ~CallTracker() override { running_->fetch_sub(1); }
  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    methods->Proceed();
  }

 private:
  std::shared_ptr<std::atomic<int64_t>> running_;
};

class CallTrackerFactory final : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  CallTrackerFactory(std::shared_ptr<std::atomic<int64_t>> running,
                     std::shared_ptr<std::atomic<int64_t>> last_start_ns)
      : running_(std::move(running)), last_start_ns_(std::move(last_start_ns)) {}
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* /*info*/) override {
    last_start_ns_->store(absl::ToUnixNanos(absl::Now()));
    return new CallTracker(running_);
  }

 private:
  std::shared_ptr<std::atomic<int64_t>> running_;
  std::shared_ptr<std::atomic<int64_t>> last_start_ns_;
};

// gRPC's synchronous-server threads of this process, running a call or waiting for
// one: grpc_core::Thread names them "grpcpp_sync_server", which Linux cuts to 15 bytes.
double CountHandlerThreads() {
  DIR* tasks = opendir("/proc/self/task");
  if (tasks == nullptr) return 0;
  int threads = 0;
  while (const dirent* task = readdir(tasks)) {
    if (task->d_name[0] == '.') continue;
    const std::string path = absl::StrCat("/proc/self/task/", task->d_name, "/comm");
    FILE* comm = std::fopen(path.c_str(), "r");
    if (comm == nullptr) continue;  // The thread ended meanwhile.
    char name[32] = {};
    if (std::fgets(name, sizeof(name), comm) != nullptr &&
        std::strcmp(name, "grpcpp_sync_ser\n") == 0) {
      ++threads;
    }
    std::fclose(comm);
  }
  closedir(tasks);
  return threads;
}

// Handler threads now and gRPC's quota (ServerConfig::max_handler_threads): a call that
// finds all but one of them busy is refused before any interceptor sees it, so these
// two gauges are the only server-side sign of it (issue 14 P3).
void RegisterHandlerThreadMetrics(metrics::Registry& registry, int max_handler_threads) {
  registry.AddCollector([max_handler_threads] {
    std::vector<metrics::CollectedFamily> out(2);
    out[0].name = "gongkai_grpc_handler_threads";
    out[0].help = "gRPC handler threads of the process, running a call or waiting for one.";
    out[0].samples.push_back({{}, CountHandlerThreads()});
    out[1].name = "gongkai_grpc_handler_threads_max";
    out[1].help =
        "Most gRPC handler threads at once (GONGKAI_MAX_HANDLER_THREADS); a call that finds "
        "all but one busy is answered RESOURCE_EXHAUSTED.";
    out[1].samples.push_back({{}, static_cast<double>(max_handler_threads)});
    return out;
  });
}

}  // namespace

absl::StatusOr<std::unique_ptr<GrpcServer>> GrpcServer::Start(
    const ServerConfig& config, const std::vector<grpc::Service*>& services,
    metrics::Registry* registry) {
  auto server = std::unique_ptr<GrpcServer>(new GrpcServer());
  server->config_ = config;
  metrics::RegisterProcessMetrics(*registry);
  RegisterHandlerThreadMetrics(*registry, config.max_handler_threads);
  server->grpc_metrics_ = std::make_unique<metrics::GrpcServerMetrics>(*registry);
  server->grpc_metrics_->PreRegisterMethod("/grpc.health.v1.Health/Check", "unary");

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  builder.AddListeningPort(config.grpc_address, grpc::InsecureServerCredentials(),
                           &server->grpc_port_);
  for (grpc::Service* service : services) {
    builder.RegisterService(service);
  }
  builder.SetMaxReceiveMessageSize(config.max_receive_message_bytes);
  builder.SetMaxSendMessageSize(config.max_send_message_bytes);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIME_MS,
                             static_cast<int>(absl::ToInt64Milliseconds(config.keepalive_time)));
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIMEOUT_MS,
                             static_cast<int>(absl::ToInt64Milliseconds(config.keepalive_timeout)));
  builder.AddChannelArgument(
      GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS,
      static_cast<int>(absl::ToInt64Milliseconds(config.min_client_ping_interval)));
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  // A second process on the same port must fail, not share it silently.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  // Handler threads kept between calls instead of one started and ended per call under
  // load, bounded by gRPC's thread quota (ServerConfig::max_polling_threads, issue 14 P3).
  builder.SetSyncServerOption(grpc::ServerBuilder::SyncServerOption::MIN_POLLERS,
                              config.min_polling_threads);
  builder.SetSyncServerOption(grpc::ServerBuilder::SyncServerOption::MAX_POLLERS,
                              config.max_polling_threads);
  grpc::ResourceQuota thread_quota("gongkai-handler-threads");
  thread_quota.SetMaxThreads(config.max_handler_threads);
  builder.SetResourceQuota(thread_quota);
  // Order matters for PRE_SEND_STATUS: the decode fix-up runs first, so the metrics and
  // the access log record the status the client actually receives.
  InstallProtobufLogHandler();
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> factories;
  factories.push_back(std::make_unique<RequestDecodeInterceptorFactory>());
  factories.push_back(server->grpc_metrics_->NewInterceptorFactory());
  factories.push_back(std::make_unique<AccessLogInterceptorFactory>());
  factories.push_back(
      std::make_unique<CallTrackerFactory>(server->calls_running_, server->last_call_start_ns_));
  builder.experimental().SetInterceptorCreators(std::move(factories));

  server->server_ = builder.BuildAndStart();
  if (server->server_ == nullptr || server->grpc_port_ == 0) {
    return absl::UnavailableError(absl::StrCat("cannot listen for gRPC on ", config.grpc_address));
  }
  absl::StatusOr<std::unique_ptr<metrics::MetricsHttpServer>> exposer =
      metrics::MetricsHttpServer::Start(config.metrics_address, registry);
  if (!exposer.ok()) {
    server->server_->Shutdown();
    return exposer.status();
  }
  server->metrics_http_ = *std::move(exposer);
  server->SetServing(false);
  return server;
}

void GrpcServer::RegisterServiceName(const google::protobuf::ServiceDescriptor& descriptor) {
  grpc_metrics_->PreRegisterService(descriptor);
  absl::MutexLock lock(&mu_);
  service_names_.push_back(descriptor.full_name());
  server_->GetHealthCheckService()->SetServingStatus(descriptor.full_name(), serving_);
}

GrpcServer::~GrpcServer() { Shutdown(); }

int GrpcServer::metrics_port() const { return metrics_http_ ? metrics_http_->port() : 0; }

void GrpcServer::SetServing(bool serving) {
  absl::MutexLock lock(&mu_);
  if (shut_down_ || server_ == nullptr) return;
  serving_ = serving;
  grpc::HealthCheckServiceInterface* health = server_->GetHealthCheckService();
  health->SetServingStatus(serving);
  for (const std::string& name : service_names_) health->SetServingStatus(name, serving);
}

bool GrpcServer::serving() const {
  absl::MutexLock lock(&mu_);
  return serving_;
}

void GrpcServer::Shutdown() {
  if (server_ == nullptr) return;  // Start() failed before the server existed.
  {
    absl::MutexLock lock(&mu_);
    if (shut_down_) return;
    shut_down_ = true;
    serving_ = false;
    // Health first, so balancers and probes stop sending before connections close.
    server_->GetHealthCheckService()->Shutdown();
  }
  // The drain (ServerConfig::shutdown_drain): every call received before now is handed to
  // a handler before the server stops taking calls.
  constexpr absl::Duration kQuiet = absl::Milliseconds(50);
  const absl::Time drain_until = absl::Now() + config_.shutdown_drain;
  while (absl::Now() < drain_until &&
         (calls_running_->load() > 0 ||
          absl::Now() - absl::FromUnixNanos(last_call_start_ns_->load()) < kQuiet)) {
    absl::SleepFor(absl::Milliseconds(5));
  }
  server_->Shutdown(absl::ToChronoTime(absl::Now() + config_.shutdown_grace));
  server_->Wait();
  if (metrics_http_) metrics_http_->Stop();
}

}  // namespace gongkai::server
