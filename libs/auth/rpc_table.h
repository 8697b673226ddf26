// One list of RPCs per gRPC handler: the handler's header names every RPC once, as an
// X-macro, and both the override declarations and the definitions (each one
// auth::AnswerAuthenticated call, authenticated_call.h) are expanded from it. Adding an
// RPC is one line in that list plus the domain method it calls.
//
//   // foo_handler.h: the list (each line ends the macro's line with a backslash)
//   #define GONGKAI_FOO_RPCS(X)
//     X(foo_, GetFoo, GetFooRequest, Foo)
//     X(foo_, ListFoos, ListFoosRequest, ListFoosResponse)
//   class FooHandler final : public v1::FooService::Service {
//     ...
//     GONGKAI_FOO_RPCS(GONGKAI_DECLARE_RPC)
//    private:
//     Foos* foo_;
//     const auth::Authenticator* authenticator_;
//   };
//
//   // foo_handler.cc: the definitions
//   #define GONGKAI_DEFINE_FOO_RPC(domain, Method, Request, Response)
//     GONGKAI_DEFINE_AUTHENTICATED_RPC(FooHandler, *domain, Method, Request, Response)
//   GONGKAI_FOO_RPCS(GONGKAI_DEFINE_FOO_RPC)
//
// (services/catalog/catalog_handler.h is a complete example.)
// `domain` is an expression naming the object whose `Method(const auth::Principal&,
// const Request&)` returns absl::StatusOr<Response>; the handler has a member
// `authenticator_`. Request and Response are names in the enclosing `v1` namespace.
#ifndef GONGKAI_LIBS_AUTH_RPC_TABLE_H_
#define GONGKAI_LIBS_AUTH_RPC_TABLE_H_

#include <google/protobuf/descriptor.h>

#include "absl/status/status.h"
#include "gongkai/api/annotations.pb.h"
#include "libs/auth/authenticated_call.h"

namespace gongkai::auth::internal {

// Whether the RPC `method` taking `request` is ACCESS_AUTHENTICATED (the default of the
// gongkai.api.access option, protos/gongkai/api/annotations.proto): found among the
// services of the file that declares the request. An RPC not found there is left to its
// domain method, as before.
inline bool NeedsPrincipal(const google::protobuf::Descriptor* request, const char* method) {
  const google::protobuf::FileDescriptor* file = request->file();
  for (int i = 0; i < file->service_count(); ++i) {
    const google::protobuf::MethodDescriptor* found = file->service(i)->FindMethodByName(method);
    if (found != nullptr && found->input_type() == request) {
      return found->options().GetExtension(gongkai::api::access) ==
             gongkai::api::ACCESS_AUTHENTICATED;
    }
  }
  return false;
}

}  // namespace gongkai::auth::internal

// Declares one override of the generated service's RPC `Method`.
#define GONGKAI_DECLARE_RPC(domain, Method, Request, Response)                  \
  grpc::Status Method(grpc::ServerContext* context, const v1::Request* request, \
                      v1::Response* response) override;

// Defines Handler::Method: authenticate, refuse the anonymous caller of an
// ACCESS_AUTHENTICATED RPC before anything else (issue 15: the proto's access option
// holds in the service too, not only at the gateway, and before any validation), call
// (domain).Method, convert the status once.
#define GONGKAI_DEFINE_AUTHENTICATED_RPC(Handler, domain, Method, Request, Response)     \
  grpc::Status Handler::Method(grpc::ServerContext* context, const v1::Request* request, \
                               v1::Response* response) {                                 \
    static const bool needs_principal =                                                  \
        ::gongkai::auth::internal::NeedsPrincipal(v1::Request::descriptor(), #Method);   \
    return ::gongkai::auth::AnswerAuthenticated(                                         \
        *authenticator_, *context, response,                                             \
        [&](const ::gongkai::auth::Principal& caller) -> absl::StatusOr<v1::Response> {  \
          if (needs_principal && caller.anonymous()) {                                   \
            return absl::UnauthenticatedError(                                           \
                "sign-in required: a token is required for " #Method);                   \
          }                                                                              \
          return (domain).Method(caller, *request);                                      \
        });                                                                              \
  }

#endif  // GONGKAI_LIBS_AUTH_RPC_TABLE_H_
