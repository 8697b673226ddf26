#include "libs/metrics/grpc_server_metrics.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace gongkai::metrics {
namespace {

using grpc::experimental::InterceptionHookPoints;
using grpc::experimental::ServerRpcInfo;

const char* TypeOf(const google::protobuf::MethodDescriptor& method) {
  if (method.client_streaming()) return method.server_streaming() ? "bidi_stream" : "client_stream";
  return method.server_streaming() ? "server_stream" : "unary";
}

class MetricsInterceptor final : public grpc::experimental::Interceptor {
 public:
  explicit MetricsInterceptor(GrpcServerMetrics::MethodMetrics* m) : m_(m), start_(absl::Now()) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (m_ == nullptr) {  // A method this binary does not implement: not counted.
      methods->Proceed();
      return;
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_INITIAL_METADATA)) {
      m_->started->Increment();
    }
    // The read that finds the end of a client stream also passes here, without a message.
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_MESSAGE) &&
        methods->GetRecvMessage() != nullptr) {
      m_->msg_received->Increment();
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_MESSAGE)) {
      m_->msg_sent->Increment();
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      const int code = static_cast<int>(methods->GetSendStatus().error_code());
      m_->handled[code >= 0 && code < 17 ? code : 2]->Increment();
      m_->handling_seconds->Observe(absl::ToDoubleSeconds(absl::Now() - start_));
    }
    methods->Proceed();
  }

 private:
  GrpcServerMetrics::MethodMetrics* m_;
  absl::Time start_;
};

class MetricsInterceptorFactory final
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit MetricsInterceptorFactory(GrpcServerMetrics* metrics) : metrics_(metrics) {}
  grpc::experimental::Interceptor* CreateServerInterceptor(ServerRpcInfo* info) override {
    return new MetricsInterceptor(metrics_->ForMethod(info->method()));
  }

 private:
  GrpcServerMetrics* metrics_;
};

}  // namespace

const char* GrpcCodeName(int code) {
  static constexpr const char* kNames[] = {
      "OK",       "Canceled",       "Unknown",          "InvalidArgument",   "DeadlineExceeded",
      "NotFound", "AlreadyExists",  "PermissionDenied", "ResourceExhausted", "FailedPrecondition",
      "Aborted",  "OutOfRange",     "Unimplemented",    "Internal",          "Unavailable",
      "DataLoss", "Unauthenticated"};
  return code >= 0 && code < 17 ? kNames[code] : "Unknown";
}

GrpcServerMetrics::GrpcServerMetrics(Registry& registry)
    : started_(registry.AddCounter("grpc_server_started_total",
                                   "Total number of RPCs started on the server.",
                                   {"grpc_type", "grpc_service", "grpc_method"})),
      handled_(registry.AddCounter(
          "grpc_server_handled_total",
          "Total number of RPCs completed on the server, regardless of success or failure.",
          {"grpc_type", "grpc_service", "grpc_method", "grpc_code"})),
      handling_seconds_(registry.AddHistogram(
          "grpc_server_handling_seconds",
          "Histogram of response latency (seconds) of gRPC that had been application-level "
          "handled by the server.",
          {"grpc_type", "grpc_service", "grpc_method"},
          {.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10})),
      msg_received_(registry.AddCounter("grpc_server_msg_received_total",
                                        "Total number of RPC stream messages received on the "
                                        "server.",
                                        {"grpc_type", "grpc_service", "grpc_method"})),
      msg_sent_(registry.AddCounter("grpc_server_msg_sent_total",
                                    "Total number of gRPC stream messages sent by the server.",
                                    {"grpc_type", "grpc_service", "grpc_method"})) {}

GrpcServerMetrics::MethodMetrics* GrpcServerMetrics::ForMethod(const std::string& full_method) {
  {
    absl::MutexLock lock(&mu_);
    auto it = methods_.find(full_method);
    if (it != methods_.end()) return it->second.get();
  }
  // Not pre-registered: counted only if it is a method compiled into this binary. Any
  // other name comes from the caller, and a series per name would let a client grow the
  // registry without bound (grpc-go does not intercept unknown methods either).
  const size_t slash = full_method.rfind('/');
  if (full_method.empty() || full_method[0] != '/' || slash == 0 || slash == std::string::npos) {
    return nullptr;
  }
  const std::string dotted =
      absl::StrCat(full_method.substr(1, slash - 1), ".", full_method.substr(slash + 1));
  const google::protobuf::MethodDescriptor* method =
      google::protobuf::DescriptorPool::generated_pool()->FindMethodByName(dotted);
  if (method == nullptr) return nullptr;
  return Register(full_method, TypeOf(*method));
}

GrpcServerMetrics::MethodMetrics* GrpcServerMetrics::Register(const std::string& full_method,
                                                              const std::string& grpc_type) {
  absl::MutexLock lock(&mu_);
  auto it = methods_.find(full_method);
  if (it != methods_.end()) return it->second.get();
  // "/pkg.Service/Method" → service "pkg.Service", method "Method".
  std::string service = "unknown", method = full_method;
  const size_t slash = full_method.rfind('/');
  if (slash != std::string::npos && slash > 0) {
    service =
        full_method.substr(full_method[0] == '/' ? 1 : 0, slash - (full_method[0] == '/' ? 1 : 0));
    method = full_method.substr(slash + 1);
  }
  auto m = std::make_unique<MethodMetrics>();
  const LabelValues labels = {grpc_type, service, method};
  m->started = &started_.WithLabels(labels);
  for (int code = 0; code < 17; ++code) {
    m->handled[code] = &handled_.WithLabels({grpc_type, service, method, GrpcCodeName(code)});
  }
  m->handling_seconds = &handling_seconds_.WithLabels(labels);
  m->msg_received = &msg_received_.WithLabels(labels);
  m->msg_sent = &msg_sent_.WithLabels(labels);
  MethodMetrics* raw = m.get();
  methods_.emplace(full_method, std::move(m));
  return raw;
}

void GrpcServerMetrics::PreRegisterService(const google::protobuf::ServiceDescriptor& service) {
  for (int i = 0; i < service.method_count(); ++i) {
    const google::protobuf::MethodDescriptor* method = service.method(i);
    Register(absl::StrCat("/", service.full_name(), "/", method->name()), TypeOf(*method));
  }
}

void GrpcServerMetrics::PreRegisterMethod(const std::string& full_method,
                                          const std::string& grpc_type) {
  Register(full_method, grpc_type);
}

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
GrpcServerMetrics::NewInterceptorFactory() {
  return std::make_unique<MetricsInterceptorFactory>(this);
}

}  // namespace gongkai::metrics
