// Serves a Registry over HTTP on its own port: GET /metrics (text format 0.0.4) and
// GET /healthz ("ok"). Runs one listener thread (cpp-httplib, a small worker pool).
//
//   auto exposer = MetricsHttpServer::Start("0.0.0.0:9101", &registry);
//   (*exposer)->port();   // the bound port (useful with port 0)
#ifndef GONGKAI_LIBS_METRICS_HTTP_EXPOSER_H_
#define GONGKAI_LIBS_METRICS_HTTP_EXPOSER_H_

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
  // "host:port"; port 0 picks a free port. UNAVAILABLE when it cannot bind.
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
  int port_ = 0;
};

}  // namespace gongkai::metrics

#endif  // GONGKAI_LIBS_METRICS_HTTP_EXPOSER_H_
