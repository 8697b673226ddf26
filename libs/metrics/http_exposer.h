// Serves a Registry over HTTP on its own port: GET /metrics (text format 0.0.4) and
// GET /healthz ("ok"). Runs one listener thread (cpp-httplib, a small worker pool).
//
//   auto exposer = MetricsHttpServer::Start("0.0.0.0:9101", &registry);
//   (*exposer)->port();   // the bound port (useful with port 0)
#ifndef GONGKAI_LIBS_METRICS_HTTP_EXPOSER_H_
#define GONGKAI_LIBS_METRICS_HTTP_EXPOSER_H_

#include <atomic>
#include <memory>
#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "libs/metrics/registry.h"

namespace httplib {
class Server;
}

namespace gongkai::metrics {

class MetricsHttpServer {
 public:
  // "host:port" or "[v6-host]:port"; port 0 picks a free port (see port()). Serving when
  // this returns. INVALID_ARGUMENT for a malformed address, UNAVAILABLE when the port
  // cannot be bound (also when another process holds it: no SO_REUSEPORT sharing).
  // `registry` must outlive the server.
  static absl::StatusOr<std::unique_ptr<MetricsHttpServer>> Start(absl::string_view address,
                                                                  const Registry* registry);
  ~MetricsHttpServer();  // Stops.
  int port() const { return port_; }
  // Idempotent.
  void Stop();

 private:
  MetricsHttpServer() = default;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  std::atomic<bool> listener_done_{false};  // Set by thread_ when listening has ended.
  int port_ = 0;
};

}  // namespace gongkai::metrics

#endif  // GONGKAI_LIBS_METRICS_HTTP_EXPOSER_H_
