// gRPC server metrics with the go-grpc-prometheus names and labels, so existing
// dashboards and alerts work unchanged:
//   grpc_server_started_total{grpc_type,grpc_service,grpc_method}
//   grpc_server_handled_total{grpc_type,grpc_service,grpc_method,grpc_code}
//   grpc_server_handling_seconds{grpc_type,grpc_service,grpc_method} (histogram)
//   grpc_server_msg_received_total / grpc_server_msg_sent_total
// As in go-grpc-prometheus' InitializeMetrics, every method's series exist from start
// (handled for every status code), so rates and alerts see zeros, not gaps.
//
//   GrpcServerMetrics grpc_metrics(registry);
//   grpc_metrics.PreRegisterService(*CatalogService::service_full_descriptor());
//   builder.experimental().SetInterceptorCreators(... grpc_metrics.NewInterceptorFactory());
//
// Thread-safe. The object must outlive the server.
#ifndef GONGKAI_LIBS_METRICS_GRPC_SERVER_METRICS_H_
#define GONGKAI_LIBS_METRICS_GRPC_SERVER_METRICS_H_

#include <grpcpp/support/server_interceptor.h>

#include <array>
#include <memory>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "google/protobuf/descriptor.h"
#include "libs/metrics/registry.h"

namespace gongkai::metrics {

// The canonical status code names ("OK", "INVALID_ARGUMENT", ...), indexed by code.
const char* GrpcCodeName(int code);

class GrpcServerMetrics {
 public:
  explicit GrpcServerMetrics(Registry& registry);

  // Creates the series of every method of `service` up front.
  void PreRegisterService(const google::protobuf::ServiceDescriptor& service);
  // The same for a method known only by name ("/grpc.health.v1.Health/Check").
  void PreRegisterMethod(const std::string& full_method, const std::string& grpc_type);

  std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface> NewInterceptorFactory();

  // The children of one method, resolved once.
  struct MethodMetrics {
    Counter* started;
    std::array<Counter*, 17> handled;
    Histogram* handling_seconds;
    Counter* msg_received;
    Counter* msg_sent;
  };
  // Looks up (or creates) the children for a full method name "/pkg.Service/Method".
  MethodMetrics* ForMethod(const std::string& full_method, const std::string& grpc_type);

 private:
  Family<Counter>& started_;
  Family<Counter>& handled_;
  Family<Histogram>& handling_seconds_;
  Family<Counter>& msg_received_;
  Family<Counter>& msg_sent_;
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, std::unique_ptr<MethodMetrics>> methods_ ABSL_GUARDED_BY(mu_);
};

}  // namespace gongkai::metrics

#endif  // GONGKAI_LIBS_METRICS_GRPC_SERVER_METRICS_H_
