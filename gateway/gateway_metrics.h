// The gateway's Prometheus metrics, through libs/metrics (prometheus-cpp):
//
//   http_requests_total{route,method,code}      every answered request
//   http_request_duration_seconds{route}        latency histogram per route
//   http_requests_in_flight                     requests being handled
//   gateway_upstream_errors_total{backend,code} non-OK results of backend calls
//   gateway_rate_limited_total{class}           requests refused with 429
//
// `route` is the path template ("/v1/documents/{id}"), a built-in path ("/healthz") or
// "unmatched", so its cardinality is bounded by the route table.
//
// Thread-safety: all methods may be called concurrently.
#ifndef GONGKAI_GATEWAY_GATEWAY_METRICS_H_
#define GONGKAI_GATEWAY_GATEWAY_METRICS_H_

#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "libs/metrics/registry.h"

namespace gongkai::gateway {

class GatewayMetrics {
 public:
  explicit GatewayMetrics(metrics::Registry* registry);

  void RequestStarted() { in_flight_.Increment(); }
  void RequestFinished(absl::string_view route, absl::string_view method, int status,
                       absl::Duration latency);
  // A request the HTTP server refused before it reached the pipeline (not in flight).
  void RequestRefused(absl::string_view method, int status);
  void UpstreamError(absl::string_view backend, absl::string_view code);
  void RateLimited(absl::string_view rate_class);

 private:
  metrics::Family<metrics::Counter>& requests_;
  metrics::Family<metrics::Histogram>& duration_;
  metrics::Gauge& in_flight_;
  metrics::Family<metrics::Counter>& upstream_errors_;
  metrics::Family<metrics::Counter>& rate_limited_;
};

}  // namespace gongkai::gateway

#endif  // GONGKAI_GATEWAY_GATEWAY_METRICS_H_
