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

#include "libs/auth/authenticated_call.h"

// Declares one override of the generated service's RPC `Method`.
#define GONGKAI_DECLARE_RPC(domain, Method, Request, Response)                  \
  grpc::Status Method(grpc::ServerContext* context, const v1::Request* request, \
                      v1::Response* response) override;

// Defines Handler::Method: authenticate, call (domain).Method, convert the status once.
#define GONGKAI_DEFINE_AUTHENTICATED_RPC(Handler, domain, Method, Request, Response)            \
  grpc::Status Handler::Method(grpc::ServerContext* context, const v1::Request* request,        \
                               v1::Response* response) {                                        \
    return ::gongkai::auth::AnswerAuthenticated(*authenticator_, *context, response,            \
                                                [&](const ::gongkai::auth::Principal& caller) { \
                                                  return (domain).Method(caller, *request);     \
                                                });                                             \
  }

#endif  // GONGKAI_LIBS_AUTH_RPC_TABLE_H_
