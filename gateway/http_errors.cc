#include "gateway/http_errors.h"

#include "google/protobuf/util/json_util.h"
#include "google/rpc/status.pb.h"
#include "libs/validation/validation.h"

namespace gongkai::gateway {

int HttpStatusForCode(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK:
      return 200;
    case grpc::StatusCode::INVALID_ARGUMENT:
    case grpc::StatusCode::FAILED_PRECONDITION:
    case grpc::StatusCode::OUT_OF_RANGE:
      return 400;
    case grpc::StatusCode::UNAUTHENTICATED:
      return 401;
    case grpc::StatusCode::PERMISSION_DENIED:
      return 403;
    case grpc::StatusCode::NOT_FOUND:
      return 404;
    case grpc::StatusCode::ALREADY_EXISTS:
    case grpc::StatusCode::ABORTED:
      return 409;
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return 429;
    case grpc::StatusCode::UNIMPLEMENTED:
      return 501;
    case grpc::StatusCode::UNAVAILABLE:
      return 503;
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return 504;
    default:
      return 500;
  }
}

std::string StatusJson(const grpc::Status& status) {
  google::rpc::Status body;
  if (!status.error_details().empty() && body.ParseFromString(status.error_details())) {
    // The details carry their own code and message; the call's are authoritative.
  } else {
    body.Clear();
  }
  body.set_code(static_cast<int>(status.error_code()));
  // Messages can quote the request ("no route for GET <path>") or come from a backend;
  // JSON text must be UTF-8 (found by tests/fuzz gateway_request).
  body.set_message(validation::ToValidUtf8(status.error_message()));
  google::protobuf::util::JsonPrintOptions options;
  options.always_print_primitive_fields = true;
  std::string json;
  if (google::protobuf::util::MessageToJsonString(body, &json, options).ok() &&
      validation::IsValidUtf8(json)) {
    return json;
  }
  // A detail of a type this binary does not know, or with a string that is not UTF-8:
  // keep code and message.
  body.clear_details();
  json.clear();
  (void)google::protobuf::util::MessageToJsonString(body, &json, options);
  return json;
}

HttpResponse ErrorResponse(int http_status, const grpc::Status& status) {
  HttpResponse response;
  response.status = http_status;
  response.body = StatusJson(status);
  if (http_status == 429) {
    // The gateway's own limiter replaces this with its refill time.
    response.headers.emplace_back("retry-after", "1");
  }
  if (http_status == 401) {
    // RFC 6750 §3; both schemes the gateway accepts.
    response.headers.emplace_back("www-authenticate", "Bearer realm=\"gongkai\"");
    response.headers.emplace_back("www-authenticate",
                                  "ApiKey realm=\"gongkai\", header=\"X-Api-Key\"");
  }
  return response;
}

HttpResponse ErrorResponse(const grpc::Status& status) {
  return ErrorResponse(HttpStatusForCode(status.error_code()), status);
}

}  // namespace gongkai::gateway
