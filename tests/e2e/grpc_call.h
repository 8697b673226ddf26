// Helpers shared by the e2e suites that speak gRPC to a service: one unary call with a
// bearer token, answered as absl::Status with its error details, and the fields a
// google.rpc.BadRequest names.
//
//   absl::StatusOr<v1::Unit> unit =
//       UnaryCall(*stub, &v1::CatalogService::Stub::CreateUnit, admin_token, request);
//   EXPECT_THAT(ViolatedFields(unit.status()), Contains("unit.code"));
//
// Thread-safe as far as the stub is (gRPC stubs are).
#ifndef GONGKAI_TESTS_E2E_GRPC_CALL_H_
#define GONGKAI_TESTS_E2E_GRPC_CALL_H_

#include <grpcpp/grpcpp.h>

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "libs/status/errors.h"
#include "libs/status/grpc_status.h"

namespace gongkai::e2e {

// One unary call with `token` ("" = anonymous) and `request_id_header` (sent as
// x-request-id unless empty), converted back to absl::Status with its error details
// (libs/status/grpc_status.h).
template <typename Stub, typename Request, typename Response>
absl::StatusOr<Response> UnaryCall(
    Stub& stub, grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
    const std::string& token, const Request& request, absl::Duration timeout = absl::Seconds(30),
    const std::string& request_id_header = "") {
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  if (!token.empty()) context.AddMetadata("authorization", absl::StrCat("Bearer ", token));
  if (!request_id_header.empty()) context.AddMetadata("x-request-id", request_id_header);
  Response response;
  grpc::Status status = (stub.*method)(&context, request, &response);
  if (!status.ok()) return FromGrpcStatus(status);
  return response;
}

// The field paths named by the google.rpc.BadRequest detail of a status.
inline std::vector<std::string> ViolatedFields(const absl::Status& status) {
  std::vector<std::string> fields;
  for (const FieldViolation& v : FieldViolationsOf(status)) fields.push_back(v.field);
  return fields;
}

}  // namespace gongkai::e2e

#endif  // GONGKAI_TESTS_E2E_GRPC_CALL_H_
