// The one conversion between absl::Status and grpc::Status.
//
// Payloads whose key is a type URL (see errors.h) become google.protobuf.Any details of
// a google.rpc.Status, serialized into grpc::Status::error_details(), which gRPC sends
// as the standard `grpc-status-details-bin` trailer. Clients in any language (and the
// gateway) read them with their usual rich-error helpers.
#ifndef GONGKAI_LIBS_STATUS_GRPC_STATUS_H_
#define GONGKAI_LIBS_STATUS_GRPC_STATUS_H_

#include <grpcpp/support/status.h>

#include "absl/status/status.h"

namespace gongkai {

grpc::Status ToGrpcStatus(const absl::Status& status);

// The inverse, for clients inside the suite: details come back as payloads.
absl::Status FromGrpcStatus(const grpc::Status& status);

}  // namespace gongkai

#endif  // GONGKAI_LIBS_STATUS_GRPC_STATUS_H_
