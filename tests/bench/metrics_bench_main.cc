// Per-call cost of the metrics the services update on every RPC and HTTP request, and
// the cost of one scrape: a Google Benchmark binary that prints figures and asserts
// nothing (docs/performance.md, "Metrics per call").
//
//   build/tests/bench/gongkai-metrics-bench [--benchmark_repetitions=5]
//
// The cases mirror the real hot paths: a unary gRPC call through GrpcServerMetrics
// (method lookup, started, one message each way, handled, the latency histogram), a
// cached counter and histogram child on their own, with two threads hitting the same
// child, and the gateway's per-request WithLabels on label values it builds each time.
#include <benchmark/benchmark.h>

#include <string>

#include "absl/strings/str_cat.h"
#include "libs/metrics/grpc_server_metrics.h"
#include "libs/metrics/process_metrics.h"
#include "libs/metrics/registry.h"

namespace gongkai::metrics {
namespace {

// One registry per process, as in a service; the counters only grow across cases.
Registry& SharedRegistry() {
  static Registry* registry = new Registry();
  return *registry;
}

void BM_CounterInc(benchmark::State& state) {
  static Counter& counter =
      SharedRegistry().AddCounter("bench_counter_total", "Bench.", {}).WithLabels({});
  for (auto _ : state) counter.Increment();
}
BENCHMARK(BM_CounterInc)->Threads(1)->Threads(2);

void BM_HistogramObserve(benchmark::State& state) {
  static Histogram& histogram =
      SharedRegistry()
          .AddHistogram("bench_seconds", "Bench.", {},
                        {.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10})
          .WithLabels({});
  double v = 0.0001;
  for (auto _ : state) {
    histogram.Observe(v);
    v = v > 5 ? 0.0001 : v * 1.7;  // Walk across the buckets.
  }
}
BENCHMARK(BM_HistogramObserve)->Threads(1)->Threads(2);

// What the interceptor does for one unary call.
void BM_GrpcUnaryCallMetrics(benchmark::State& state) {
  static GrpcServerMetrics* grpc_metrics = [] {
    auto* m = new GrpcServerMetrics(SharedRegistry());
    m->PreRegisterMethod("/gongkai.catalog.v1.CatalogService/GetDocument", "unary");
    return m;
  }();
  const std::string method = "/gongkai.catalog.v1.CatalogService/GetDocument";
  for (auto _ : state) {
    GrpcServerMetrics::MethodMetrics* m = grpc_metrics->ForMethod(method);
    m->started->Increment();
    m->msg_received->Increment();
    m->msg_sent->Increment();
    m->handled[0]->Increment();
    m->handling_seconds->Observe(0.0012);
  }
}
BENCHMARK(BM_GrpcUnaryCallMetrics)->Threads(1)->Threads(2);

// The gateway's per-request update: label values built from the request each time.
void BM_GatewayRequestWithLabels(benchmark::State& state) {
  static Family<Counter>& requests = SharedRegistry().AddCounter(
      "bench_http_requests_total", "Bench.", {"route", "method", "code"});
  const std::string route = "/v1/documents/{id}";
  for (auto _ : state) {
    requests.WithLabels({route, "GET", absl::StrCat(200)}).Increment();
  }
}
BENCHMARK(BM_GatewayRequestWithLabels)->Threads(1)->Threads(2);

// One scrape of a catalog-sized registry: 30 methods (17 codes each), process metrics.
void BM_Scrape(benchmark::State& state) {
  Registry registry;
  RegisterProcessMetrics(registry);
  GrpcServerMetrics grpc_metrics(registry);
  for (int i = 0; i < 30; ++i) {
    grpc_metrics.PreRegisterMethod(absl::StrCat("/gongkai.catalog.v1.CatalogService/M", i),
                                   "unary");
  }
  size_t bytes = 0;
  for (auto _ : state) {
    bytes = registry.Serialize().size();
    benchmark::DoNotOptimize(bytes);
  }
  state.counters["bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_Scrape)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace gongkai::metrics

BENCHMARK_MAIN();
