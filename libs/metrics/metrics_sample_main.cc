// Serves or prints a realistic registry, so the real Prometheus tools can judge our
// output (see CMakeLists.txt):
//   metrics_sample            prints the text format once (for `promtool check metrics`)
//   metrics_sample --serve    serves it at http://127.0.0.1:<port>/metrics, printing the
//                             port on the first line, until stdin closes (for a real
//                             Prometheus server to scrape)
// Every metric type, labels that need escaping, process metrics and the gRPC server
// metrics, through the same exposer the services use.
#include <cstring>
#include <iostream>
#include <string>

#include "google/protobuf/descriptor.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "libs/metrics/grpc_server_metrics.h"
#include "libs/metrics/http_exposer.h"
#include "libs/metrics/process_metrics.h"
#include "libs/metrics/registry.h"

int main(int argc, char** argv) {
  using namespace gongkai::metrics;
  Registry registry;
  RegisterProcessMetrics(registry);
  GrpcServerMetrics grpc_metrics(registry);
  grpc_metrics.PreRegisterService(
      *grpc::health::v1::HealthCheckRequest::descriptor()->file()->service(0));
  grpc_metrics.ForMethod("/grpc.health.v1.Health/Check")->handled[0]->Increment(3);
  registry
      .AddCounter("catalog_returned_submissions_total", "Submissions returned (退文).", {"cause"})
      .WithLabels({"quote\" back\\slash\nnewline"})
      .Increment(2);
  registry.AddGauge("catalog_documents", "Documents by state.", {"state"})
      .WithLabels({"PUBLISHED"})
      .Set(12);
  auto& h = registry.AddHistogram("catalog_search_seconds", "Search latency in seconds.", {},
                                  DefaultBuckets());
  h.WithLabels({}).Observe(0.012);
  h.WithLabels({}).Observe(3);

  if (argc > 1 && std::strcmp(argv[1], "--serve") == 0) {
    auto exposer = MetricsHttpServer::Start("127.0.0.1:0", &registry);
    if (!exposer.ok()) {
      std::cerr << exposer.status() << "\n";
      return 1;
    }
    std::cout << (*exposer)->port() << std::endl;
    std::string line;
    while (std::getline(std::cin, line)) {
    }
    return 0;
  }
  std::cout << registry.Serialize();
  return 0;
}
