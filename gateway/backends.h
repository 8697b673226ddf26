// The gRPC side of the gateway: a small pool of channels per backend service, unary
// calls by method name with serialized messages, and the standard health check.
//
//   ASSIGN_OR_RETURN(std::unique_ptr<Backends> backends,
//                    Backends::Create({{"catalog", "127.0.0.1:50051"}}, BackendOptions{}));
//   backends->Call("catalog", "/gongkai.catalog.v1.CatalogService/GetDocument", bytes,
//                  CallOptions{deadline, metadata},
//                  [](const grpc::Status& status, std::string response) { ... });
//
// Calls never block the caller: completion runs on one of the completion threads
// (BackendOptions::completion_threads), which the done callbacks must not block.
//
// Thread-safety: all methods may be called concurrently.
#ifndef GONGKAI_GATEWAY_BACKENDS_H_
#define GONGKAI_GATEWAY_BACKENDS_H_

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "grpcpp/support/status.h"

namespace gongkai::gateway {

struct BackendOptions {
  // Channels (so TCP connections) per backend; calls go round-robin over them.
  int channels_per_backend = 2;
  // Threads that receive the backends' responses, each serving its own completion
  // queue; the response's JSON and its HTTP write happen on that thread. The gateway's
  // main sets half the cores (GONGKAI_COMPLETION_THREADS): the other half serve HTTP I/O,
  // and each queue's thread is its only gRPC poller (no hand-offs between pollers).
  int completion_threads = 1;
  int max_receive_message_bytes = 16 * 1024 * 1024;
};

struct CallOptions {
  absl::Time deadline = absl::InfiniteFuture();
  std::vector<std::pair<std::string, std::string>> metadata;
};

struct BackendHealth {
  std::string backend;
  std::string address;
  bool serving = false;
  std::string detail;  // "SERVING", "NOT_SERVING", or the call's error.
};

class Backends {
 public:
  using CallDone = std::function<void(const grpc::Status& status, std::string response)>;

  virtual ~Backends() = default;

  // INVALID_ARGUMENT when a name or address is empty.
  static absl::StatusOr<std::unique_ptr<Backends>> Create(
      const std::map<std::string, std::string>& addresses, const BackendOptions& options);

  virtual bool Has(absl::string_view backend) const = 0;
  // UNAVAILABLE to `done` for an unknown backend.
  virtual void Call(absl::string_view backend, const std::string& grpc_method,
                    const std::string& request, const CallOptions& options, CallDone done) = 0;
  // grpc.health.v1.Health/Check (service "") on every backend, each bounded by
  // `timeout`; `done` gets one entry per backend, sorted by name.
  virtual void CheckHealth(absl::Duration timeout,
                           std::function<void(std::vector<BackendHealth>)> done) = 0;
  // Cancels every call still running and returns once all their completions have
  // run; later calls complete at once with UNAVAILABLE. Call it before destroying what
  // the completions use (the pipeline, its metrics).
  virtual void Shutdown() = 0;
};

}  // namespace gongkai::gateway

#endif  // GONGKAI_GATEWAY_BACKENDS_H_
