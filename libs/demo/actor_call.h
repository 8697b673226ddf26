// One unary RPC of a demo data loader (any service's), made as a demo actor: sets the deadline,
// sends the actor's bearer token (none for Actor::Public), and turns a failure into an absl::Status
// that keeps the gRPC code and names the call, the item and the actor.
//
//   ASSIGN_OR_RETURN(v1::Unit unit,
//                    CallAs(stub, &Stub::CreateUnit, "CreateUnit", tokens, Office(), request,
//                           "unit NN-EDU", absl::Seconds(15)));
//
// Thread-safety: as thread-safe as `tokens` (the loaders use one thread).
#ifndef GONGKAI_LIBS_DEMO_ACTOR_CALL_H_
#define GONGKAI_LIBS_DEMO_ACTOR_CALL_H_

#include <string>

#include <grpcpp/grpcpp.h>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "libs/demo/actor_tokens.h"
#include "libs/status/grpc_status.h"

namespace gongkai::demo {

// Calls `method` of `stub` as `actor`. A failure reads
// "<rpc> <what> as <subject> (<role>) failed: <CODE>: <message>"; the actor is left out
// when `tokens` sends one identity for everybody (except for the anonymous public).
template <typename Stub, typename Request, typename Response>
absl::StatusOr<Response> CallAs(
    Stub* stub, grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
    const char* rpc, TokenSource& tokens, const Actor& actor, const Request& request,
    const std::string& what, absl::Duration timeout) {
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  if (!actor.anonymous()) {
    absl::StatusOr<std::string> token = tokens.TokenFor(actor);
    if (!token.ok()) {
      return absl::Status(token.status().code(),
                          absl::StrCat("cannot get a token for ", actor.subject, " (", actor.role,
                                       "): ", token.status().message()));
    }
    context.AddMetadata("authorization", absl::StrCat("Bearer ", *token));
  }
  Response response;
  const grpc::Status status = (stub->*method)(&context, request, &response);
  if (status.ok()) return response;
  const absl::Status error = FromGrpcStatus(status);
  // With one token for everything the actor is only notional; do not name it.
  const std::string as = tokens.SingleIdentity() && !actor.anonymous()
                             ? ""
                             : absl::StrCat(" as ", actor.subject, " (", actor.role, ")");
  return absl::Status(error.code(),
                      absl::StrCat(rpc, " ", what, as, " failed: ",
                                   absl::StatusCodeToString(error.code()), ": ", error.message()));
}

}  // namespace gongkai::demo

#endif  // GONGKAI_LIBS_DEMO_ACTOR_CALL_H_
