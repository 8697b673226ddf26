#include "gateway/gateway_metrics.h"

#include "absl/strings/str_cat.h"

namespace gongkai::gateway {
namespace {

// Milliseconds to tens of seconds: the gateway adds well under a millisecond, the
// backends answer in a few, and the call deadline caps the tail.
std::vector<double> LatencyBuckets() {
  return {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};
}

}  // namespace

GatewayMetrics::GatewayMetrics(metrics::Registry* registry)
    : requests_(registry->AddCounter("http_requests_total",
                                     "HTTP requests answered by the gateway.",
                                     {"route", "method", "code"})),
      duration_(registry->AddHistogram("http_request_duration_seconds",
                                       "Time from a request's arrival to its response, by route.",
                                       {"route"}, LatencyBuckets())),
      in_flight_(registry
                     ->AddGauge("http_requests_in_flight",
                                "HTTP requests the gateway is handling now.", {})
                     .WithLabels({})),
      upstream_errors_(registry->AddCounter("gateway_upstream_errors_total",
                                            "Backend calls that ended with a non-OK status.",
                                            {"backend", "code"})),
      rate_limited_(registry->AddCounter("gateway_rate_limited_total",
                                         "Requests refused by the rate limiter (HTTP 429).",
                                         {"class"})) {}

// Methods of unmatched requests come straight from the client: keep the label bounded.
std::string MethodLabel(absl::string_view method) {
  static constexpr absl::string_view kKnown[] = {"GET",    "POST",    "PUT", "PATCH",
                                                 "DELETE", "OPTIONS", "HEAD"};
  for (absl::string_view known : kKnown) {
    if (method == known) return std::string(known);
  }
  return "other";
}

void GatewayMetrics::RequestFinished(absl::string_view route, absl::string_view method, int status,
                                     absl::Duration latency) {
  in_flight_.Decrement();
  requests_.WithLabels({std::string(route), MethodLabel(method), absl::StrCat(status)}).Increment();
  duration_.WithLabels({std::string(route)}).Observe(absl::ToDoubleSeconds(latency));
}

void GatewayMetrics::RequestRefused(absl::string_view method, int status) {
  requests_.WithLabels({"unmatched", MethodLabel(method), absl::StrCat(status)}).Increment();
}

void GatewayMetrics::UpstreamError(absl::string_view backend, absl::string_view code) {
  upstream_errors_.WithLabels({std::string(backend), std::string(code)}).Increment();
}

void GatewayMetrics::RateLimited(absl::string_view rate_class) {
  rate_limited_.WithLabels({std::string(rate_class)}).Increment();
}

}  // namespace gongkai::gateway
