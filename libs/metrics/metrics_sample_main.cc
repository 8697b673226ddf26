// Prints a realistic registry in the text format, for `promtool check metrics`
// (see CMakeLists.txt): every metric type, labels that need escaping, process metrics
// and the gRPC server metrics.
#include <iostream>

#include "google/protobuf/descriptor.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "libs/metrics/grpc_server_metrics.h"
#include "libs/metrics/process_metrics.h"
#include "libs/metrics/registry.h"

int main() {
  using namespace gongkai::metrics;
  Registry registry;
  RegisterProcessMetrics(registry);
  GrpcServerMetrics grpc_metrics(registry);
  grpc_metrics.PreRegisterService(
      *grpc::health::v1::HealthCheckRequest::descriptor()->file()->service(0));
  registry
      .AddCounter("catalog_returned_submissions_total", "Submissions returned (退文).", {"cause"})
      .WithLabels({"quote\" back\\slash\nnewline"})
      .Inc(2);
  registry.AddGauge("catalog_documents", "Documents by state.", {"state"})
      .WithLabels({"PUBLISHED"})
      .Set(12);
  auto& h = registry.AddHistogram("catalog_search_seconds", "Search latency in seconds.", {},
                                  DefaultBuckets());
  h.WithLabels({}).Observe(0.012);
  h.WithLabels({}).Observe(3);
  std::cout << registry.Serialize();
  return 0;
}
