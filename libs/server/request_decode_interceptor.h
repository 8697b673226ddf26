// Turns a request that cannot be decoded into a clear INVALID_ARGUMENT.
//
// gRPC answers a request that fails to parse (most often a proto3 string field that is
// not valid UTF-8) with INTERNAL and an empty message, before any handler runs: a
// client mistake reported as a server fault. This interceptor notices the failed
// parse and rewrites the status to INVALID_ARGUMENT with a google.rpc.BadRequest
// naming the field (for example "document.title"), taken from protobuf's own parse
// diagnostics.
//
// InstallProtobufLogHandler() must have been called (GrpcServer::Start does): it also
// routes protobuf's log messages into the JSON log instead of raw lines on stderr.
#ifndef GONGKAI_LIBS_SERVER_REQUEST_DECODE_INTERCEPTOR_H_
#define GONGKAI_LIBS_SERVER_REQUEST_DECODE_INTERCEPTOR_H_

#include <grpcpp/support/server_interceptor.h>

#include <string>

#include "absl/strings/string_view.h"

namespace gongkai::server {

class RequestDecodeInterceptorFactory final
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;
};

// Sends protobuf's log output through libs/log and remembers, per thread, the field
// named by the last "invalid UTF-8" parse error. Idempotent.
void InstallProtobufLogHandler();

// The request field path ("document.title") of the field `field_full_name`
// ("gongkai.catalog.v1.Document.title") inside the input of `method`
// ("/gongkai.catalog.v1.CatalogService/CreateDocument"); empty when not found.
std::string RequestFieldPath(absl::string_view method, absl::string_view field_full_name);

}  // namespace gongkai::server

#endif  // GONGKAI_LIBS_SERVER_REQUEST_DECODE_INTERCEPTOR_H_
