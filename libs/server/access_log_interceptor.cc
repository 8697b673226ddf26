#include "libs/server/access_log_interceptor.h"

#include <grpcpp/server_context.h>

#include <random>

#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "libs/log/log.h"

namespace gongkai::server {
namespace {

using grpc::experimental::InterceptionHookPoints;

const char* CodeName(grpc::StatusCode code) {
  static constexpr const char* kNames[] = {"OK",
                                           "CANCELLED",
                                           "UNKNOWN",
                                           "INVALID_ARGUMENT",
                                           "DEADLINE_EXCEEDED",
                                           "NOT_FOUND",
                                           "ALREADY_EXISTS",
                                           "PERMISSION_DENIED",
                                           "RESOURCE_EXHAUSTED",
                                           "FAILED_PRECONDITION",
                                           "ABORTED",
                                           "OUT_OF_RANGE",
                                           "UNIMPLEMENTED",
                                           "INTERNAL",
                                           "UNAVAILABLE",
                                           "DATA_LOSS",
                                           "UNAUTHENTICATED"};
  const int index = static_cast<int>(code);
  if (index < 0 || index >= static_cast<int>(sizeof(kNames) / sizeof(kNames[0]))) {
    return "UNKNOWN";
  }
  return kNames[index];
}

class AccessLogInterceptor final : public grpc::experimental::Interceptor {
 public:
  explicit AccessLogInterceptor(grpc::experimental::ServerRpcInfo* info)
      : info_(info), start_(absl::Now()) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_INITIAL_METADATA)) {
      auto* metadata = methods->GetRecvInitialMetadata();
      auto it =
          metadata->find(grpc::string_ref(kRequestIdMetadata.data(), kRequestIdMetadata.size()));
      if (it != metadata->end()) {
        absl::string_view id(it->second.data(), it->second.size());
        if (IsAcceptableRequestId(id)) request_id_ = std::string(id);
      }
      if (request_id_.empty()) request_id_ = NewRequestId();
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_INITIAL_METADATA)) {
      if (request_id_.empty()) request_id_ = NewRequestId();
      methods->GetSendInitialMetadata()->emplace(std::string(kRequestIdMetadata), request_id_);
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      const grpc::Status status = methods->GetSendStatus();
      auto* context = info_->server_context();
      auto line = GK_LOG(INFO, "grpc call");
      line.With("request_id", request_id_)
          .With("peer", context != nullptr ? context->peer() : std::string())
          .With("method", info_->method())
          .With("code", CodeName(status.error_code()))
          .With("latency_ms", absl::ToDoubleMilliseconds(absl::Now() - start_));
      if (!status.ok()) line.With("error", status.error_message());
    }
    methods->Proceed();
  }

 private:
  grpc::experimental::ServerRpcInfo* info_;
  absl::Time start_;
  std::string request_id_;
};

}  // namespace

grpc::experimental::Interceptor* AccessLogInterceptorFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  return new AccessLogInterceptor(info);
}

std::string NewRequestId() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return absl::StrFormat("%016x%016x", rng(), rng());
}

bool IsAcceptableRequestId(absl::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  for (char c : id) {
    if (c < 0x21 || c > 0x7e) return false;
  }
  return true;
}

}  // namespace gongkai::server
