// gRPC server metrics with the go-grpc-prometheus names and labels, so existing
// dashboards and alerts work unchanged:
//   grpc_server_started_total{grpc_type,grpc_service,grpc_method}
//   grpc_server_handled_total{grpc_type,grpc_service,grpc_method,grpc_code}
//   grpc_server_handling_seconds{grpc_type,grpc_service,grpc_method} (histogram)
//   grpc_server_msg_received_total / grpc_server_msg_sent_total
// As in go-grpc-prometheus' InitializeMetrics, every method's series exist from start
// (handled for every status code), so rates and alerts see zeros, not gaps. grpc_code
// values are grpc-go's names ("OK", "InvalidArgument", "NotFound", ...), as
// go-grpc-prometheus writes them. Messages count as in go-grpc-prometheus: each one
// received or sent (a unary call: 1 received and, when OK, 1 sent); the end of a
// client stream is not a message. Calls to methods not compiled into the binary are
// not counted.
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

// The grpc_code label value for a status code: grpc-go's names ("OK", "Canceled",
// "InvalidArgument", ...), which go-grpc-prometheus writes and dashboards query.
// "Unknown" for a number outside 0..16.
const char* GrpcCodeName(int code);

class GrpcServerMetrics {
 public:
  explicit GrpcServerMetrics(Registry& registry);

  // Creates the series of every method of `service` up front, with zeros (started,
  // msg_received, msg_sent, handling_seconds, and handled for all 17 codes).
  void PreRegisterService(const google::protobuf::ServiceDescriptor& service);
  // The same for a method known only by name ("/grpc.health.v1.Health/Check") and its
  // grpc_type ("unary", "client_stream", "server_stream", "bidi_stream").
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
  // The children for a full method name "/pkg.Service/Method": pre-registered, or
  // created on first use when the method is in the generated descriptor pool (compiled
  // into this binary); nullptr for any other name, which is then not counted, so callers
  // cannot create series with made-up method names.
  MethodMetrics* ForMethod(const std::string& full_method);

 private:
  MethodMetrics* Register(const std::string& full_method, const std::string& grpc_type);

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
