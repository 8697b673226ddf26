// The bootstrap every gongkai service runs: a gRPC server with the standard health
// service, reflection, message-size limits and keepalive, the metrics and access-log
// interceptors, a Prometheus /metrics endpoint on its own port, and graceful shutdown.
//
//   ShutdownSignals signals;                       // first thing in main()
//   auto server = GrpcServer::Start(config, {&handler}, registry);
//   ... connect the database, apply migrations ...
//   (*server)->SetServing(true);                   // health: SERVING
//   signals.Wait();                                // SIGTERM or SIGINT
//   (*server)->Shutdown();                         // NOT_SERVING, drain, stop
//
// Health is NOT_SERVING from start until SetServing(true) and again as soon as
// Shutdown() begins, so load balancers stop sending before connections close.
// Thread-safe after Start().
#ifndef GONGKAI_LIBS_SERVER_GRPC_SERVER_H_
#define GONGKAI_LIBS_SERVER_GRPC_SERVER_H_

#include <grpcpp/grpcpp.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "libs/metrics/grpc_server_metrics.h"
#include "libs/metrics/http_exposer.h"
#include "libs/metrics/registry.h"
#include "libs/server/server_config.h"
#include "libs/server/shutdown_signals.h"  // ShutdownSignals, used beside the server

namespace gongkai::server {

class GrpcServer {
 public:
  // Binds both ports and starts serving (health NOT_SERVING). `services` and
  // `registry` must outlive the server. UNAVAILABLE when a port cannot be bound.
  static absl::StatusOr<std::unique_ptr<GrpcServer>> Start(
      const ServerConfig& config, const std::vector<grpc::Service*>& services,
      metrics::Registry* registry);

  ~GrpcServer();
  GrpcServer(const GrpcServer&) = delete;
  GrpcServer& operator=(const GrpcServer&) = delete;

  int grpc_port() const { return grpc_port_; }
  int metrics_port() const;

  // Names a registered service for per-service health (grpc.health.v1 `service`) and
  // creates its metrics series up front. Call once per service after Start().
  void RegisterServiceName(const google::protobuf::ServiceDescriptor& descriptor);

  // Sets the health of the whole server ("") and of every registered service.
  void SetServing(bool serving);
  bool serving() const;

  // NOT_SERVING, then stops accepting calls and gives in-flight ones the configured
  // grace period before cancelling them. Idempotent.
  void Shutdown();

 private:
  GrpcServer() = default;

  ServerConfig config_;
  std::vector<std::string> service_names_;
  std::unique_ptr<metrics::GrpcServerMetrics> grpc_metrics_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<metrics::MetricsHttpServer> metrics_http_;
  int grpc_port_ = 0;
  // Calls handed to a handler thread and not finished yet, and when the last one was
  // handed over (absl::ToUnixNanos), for the drain in Shutdown().
  std::shared_ptr<std::atomic<int64_t>> calls_running_ = std::make_shared<std::atomic<int64_t>>(0);
  std::shared_ptr<std::atomic<int64_t>> last_call_start_ns_ =
      std::make_shared<std::atomic<int64_t>>(0);
  mutable absl::Mutex mu_;
  bool serving_ ABSL_GUARDED_BY(mu_) = false;
  bool shut_down_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace gongkai::server

#endif  // GONGKAI_LIBS_SERVER_GRPC_SERVER_H_
