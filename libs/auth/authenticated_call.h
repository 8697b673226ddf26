// The body every gRPC handler of the suite shares: who is calling (Authenticator),
// what the domain rules answer, and the one conversion to grpc::Status
// (libs/status/grpc_status.h). Handlers stay one line per RPC:
//
//   grpc::Status CatalogHandler::GetUnit(grpc::ServerContext* context,
//                                        const v1::GetUnitRequest* request, v1::Unit* response) {
//     return auth::AnswerAuthenticated(*authenticator_, *context, response,
//                                      [&](const auth::Principal& caller) {
//                                        return catalog_->GetUnit(caller, *request);
//                                      });
//   }
//
// `call` takes the caller's Principal and returns absl::StatusOr<Response>. Stateless;
// thread-safe as far as `authenticator` and `call` are.
#ifndef GONGKAI_LIBS_AUTH_AUTHENTICATED_CALL_H_
#define GONGKAI_LIBS_AUTH_AUTHENTICATED_CALL_H_

#include <chrono>
#include <utility>

#include "absl/status/statusor.h"
#include "grpcpp/grpcpp.h"
#include "libs/auth/authenticator.h"
#include "libs/db/call_deadline.h"
#include "libs/status/grpc_status.h"

namespace gongkai::auth {

template <typename Response, typename Call>
grpc::Status AnswerAuthenticated(const Authenticator& authenticator,
                                 const grpc::ServerContextBase& context, Response* response,
                                 Call&& call) {
  absl::StatusOr<Principal> caller = authenticator.Authenticate(context);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  // The database work of the call ends with its deadline (libs/db/call_deadline.h).
  const std::chrono::system_clock::time_point deadline = context.deadline();
  db::CallDeadlineScope deadline_scope(deadline == std::chrono::system_clock::time_point::max()
                                           ? absl::InfiniteFuture()
                                           : absl::FromChrono(deadline));
  absl::StatusOr<Response> result = std::forward<Call>(call)(*caller);
  if (!result.ok()) return ToGrpcStatus(result.status());
  *response = *std::move(result);
  return grpc::Status::OK;
}

}  // namespace gongkai::auth

#endif  // GONGKAI_LIBS_AUTH_AUTHENTICATED_CALL_H_
