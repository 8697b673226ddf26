// JSON <-> protobuf for one route: builds the serialized gRPC request from the path
// bindings, the query string and the JSON body, and turns the serialized response
// into proto3 JSON.
//
//   Transcoder transcoder(&descriptors->pool());
//   ASSIGN_OR_RETURN(std::string request, transcoder.BuildRequest(*hit.route, hit.bindings,
//                                                                 query, body));
//   ... call hit.route->grpc_method with `request` ...
//   ASSIGN_OR_RETURN(std::string json, transcoder.ResponseToJson(*hit.route, response));
//
// Mapping rules (google/api/http.proto):
// - body "*": the JSON body is the whole request; no query parameters are accepted.
//   body "<field>": the JSON body is that field; other fields may come from the query.
//   No body: every field not bound by the path may come from the query.
// - Path variables set their (dotted) field; a query parameter may not set a field the
//   path or the body already sets.
// - Query parameters: "a.b=v" sets nested field a.b; names may be proto names or JSON
//   (lowerCamelCase) names; repeated scalar fields take several values ("?s=A&s=B");
//   enums take the value name or number; google.protobuf.Timestamp/Duration/FieldMask and
//   the wrapper types take their JSON string forms; gongkai.common.v1.Date also takes
//   "YYYY-MM-DD". Unknown parameters are refused, like unknown JSON fields.
// - Output: lowerCamelCase names; fields at their default value ARE emitted (scalars,
//   enums, empty lists), message fields that are not set are omitted; int64 values are
//   JSON strings (proto3 JSON); enums by name. The same for every route.
//
// Every refusal is INVALID_ARGUMENT carrying a google.rpc.BadRequest that names the field
// (the query parameter, the path variable or the JSON path).
//
// Thread-safety: immutable after construction; methods may run concurrently.
#ifndef GONGKAI_GATEWAY_TRANSCODER_H_
#define GONGKAI_GATEWAY_TRANSCODER_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "gateway/path_template.h"
#include "gateway/route_table.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/dynamic_message.h"
#include "google/protobuf/util/type_resolver.h"

namespace gongkai::gateway {

class Transcoder {
 public:
  // `pool` must outlive the transcoder.
  explicit Transcoder(const google::protobuf::DescriptorPool* pool);
  ~Transcoder();

  absl::StatusOr<std::string> BuildRequest(const Route& route,
                                           const PathTemplate::Bindings& bindings,
                                           absl::string_view query, absl::string_view body) const;

  // INTERNAL when the bytes are not a valid response message (a backend bug).
  absl::StatusOr<std::string> ResponseToJson(const Route& route,
                                             const std::string& response_bytes) const;

 private:
  const google::protobuf::DescriptorPool* pool_;
  mutable google::protobuf::DynamicMessageFactory factory_;
  std::unique_ptr<google::protobuf::util::TypeResolver> resolver_;
};

// "type.googleapis.com/<full name>".
std::string TypeUrl(const google::protobuf::Descriptor& message);

}  // namespace gongkai::gateway

#endif  // GONGKAI_GATEWAY_TRANSCODER_H_
