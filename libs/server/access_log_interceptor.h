// A server interceptor that writes one structured log line per call:
//   {"msg":"grpc call","request_id":"…","peer":"ipv4:127.0.0.1:5555",
//    "method":"/gongkai.catalog.v1.CatalogService/GetDocument","code":"OK",
//    "latency_ms":0.41}
// The request id is taken from the `x-request-id` metadata (the gateway sets it) or
// generated, and is returned to the client in the initial metadata.
//
// Thread-safe; one interceptor object per call, as gRPC requires.
#ifndef GONGKAI_LIBS_SERVER_ACCESS_LOG_INTERCEPTOR_H_
#define GONGKAI_LIBS_SERVER_ACCESS_LOG_INTERCEPTOR_H_

#include <grpcpp/support/server_interceptor.h>

#include <string>

#include "absl/strings/string_view.h"

namespace gongkai::server {

inline constexpr absl::string_view kRequestIdMetadata = "x-request-id";

class AccessLogInterceptorFactory final
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;
};

// A random 128-bit id as 32 lowercase hex digits.
std::string NewRequestId();

// Accepts a caller's request id only if it is short and printable, so log lines cannot
// be forged or bloated by it.
bool IsAcceptableRequestId(absl::string_view id);

}  // namespace gongkai::server

#endif  // GONGKAI_LIBS_SERVER_ACCESS_LOG_INTERCEPTOR_H_
