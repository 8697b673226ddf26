// Errors as HTTP: the status follows the standard mapping from gRPC codes and the body
// is the google.rpc.Status JSON with its details (field violations included), for
// errors from a backend and for the gateway's own refusals alike.
//
//   return ErrorResponse(ToGrpcStatus(InvalidField("id", "must be positive")));  // 400
//   return ErrorResponse(404, grpc::Status(grpc::StatusCode::NOT_FOUND, "no route"));
//
// Thread-safety: pure functions.
#ifndef GONGKAI_GATEWAY_HTTP_ERRORS_H_
#define GONGKAI_GATEWAY_HTTP_ERRORS_H_

#include <string>

#include "gateway/http_types.h"
#include "grpcpp/support/status.h"

namespace gongkai::gateway {

// INVALID_ARGUMENT, FAILED_PRECONDITION, OUT_OF_RANGE 400; UNAUTHENTICATED 401;
// PERMISSION_DENIED 403; NOT_FOUND 404; ALREADY_EXISTS, ABORTED 409;
// RESOURCE_EXHAUSTED 429 (with Retry-After); UNIMPLEMENTED 501; UNAVAILABLE 503;
// DEADLINE_EXCEEDED 504; everything else (CANCELLED, UNKNOWN, INTERNAL, DATA_LOSS) 500.
int HttpStatusForCode(grpc::StatusCode code);

// {"code":3,"message":"...","details":[{"@type":"type.googleapis.com/google.rpc.BadRequest",...}]}
// Details come from status.error_details() (a serialized google.rpc.Status); details
// that cannot be rendered are dropped, never the code and message.
std::string StatusJson(const grpc::Status& status);

// The response for `status` at HttpStatusForCode(status.error_code()).
HttpResponse ErrorResponse(const grpc::Status& status);
// The same body at an explicit HTTP status (404, 405, 413, 415, 431 of the gateway).
HttpResponse ErrorResponse(int http_status, const grpc::Status& status);

}  // namespace gongkai::gateway

#endif  // GONGKAI_GATEWAY_HTTP_ERRORS_H_
