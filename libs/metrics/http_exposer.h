// Serves a Registry over HTTP on its own port with prometheus-cpp's Exposer (civetweb):
// GET /metrics (the text format; prometheus-cpp's own exposer_* metrics about scrapes
// included, gzip when the scraper asks for it) and GET /healthz ("ok").
//
//   auto exposer = MetricsHttpServer::Start("0.0.0.0:9101", &registry);
//   (*exposer)->port();   // the bound port (useful with port 0)
//
// What this adds to prometheus::Exposer: an absl::Status instead of an exception when
// the address is malformed or the port cannot be bound, the bound port, and /healthz.
#ifndef GONGKAI_LIBS_METRICS_HTTP_EXPOSER_H_
#define GONGKAI_LIBS_METRICS_HTTP_EXPOSER_H_

#include <memory>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "libs/metrics/registry.h"

namespace prometheus {
class Exposer;
}

namespace gongkai::metrics {

class MetricsHttpServer {
 public:
  // "host:port" (an IPv4 address or a host name); port 0 picks a free port (see port()).
  // Serving when this returns. INVALID_ARGUMENT for a malformed address, or an IPv6 one
  // (Debian's civetweb is built without IPv6); UNAVAILABLE when the port cannot be
  // bound (also when another process holds it: no SO_REUSEPORT sharing). `registry`
  // must outlive the server.
  static absl::StatusOr<std::unique_ptr<MetricsHttpServer>> Start(absl::string_view address,
                                                                  const Registry* registry);
  ~MetricsHttpServer();  // Stops.
  int port() const { return port_; }
  // Waits for scrapes in progress, then closes the port. Idempotent; not concurrent
  // with itself.
  void Stop();

 private:
  MetricsHttpServer() = default;
  std::unique_ptr<prometheus::Exposer> exposer_;
  int port_ = 0;
};

}  // namespace gongkai::metrics

#endif  // GONGKAI_LIBS_METRICS_HTTP_EXPOSER_H_
