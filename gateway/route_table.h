// The gateway's routes, read from the google.api.http annotations of the descriptors
// (never written by hand): one Route per binding, additional_bindings included.
//
//   ASSIGN_OR_RETURN(std::unique_ptr<Descriptors> d, LoadDescriptorSet(EmbeddedDescriptorSet()));
//   ASSIGN_OR_RETURN(RouteTable routes, RouteTable::Build(d->pool(), d->annotated_services()));
//   RouteTable::Lookup hit = routes.Find("GET", "/v1/documents/7");
//   // hit.route->grpc_method == "/gongkai.catalog.v1.CatalogService/GetDocument",
//   // hit.bindings == {{"id", "7"}}
//
// Choosing among several matching templates: templates with a custom verb are tried
// first (so "GET /v1/documents/7:publish" is 405, not a GetDocument of "7:publish");
// then the most specific template (literal > "*" > "**", segment by segment) whose HTTP
// method matches wins. When templates match but none has the method: 405 with the
// methods that would have been accepted.
//
// Thread-safety: immutable after Build; Find may run concurrently.
#ifndef GONGKAI_GATEWAY_ROUTE_TABLE_H_
#define GONGKAI_GATEWAY_ROUTE_TABLE_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "gateway/path_template.h"
#include "gongkai/api/annotations.pb.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/descriptor_database.h"

namespace gongkai::gateway {

struct Route {
  const google::protobuf::MethodDescriptor* method = nullptr;
  std::string http_method;  // "GET", "POST", "PUT", "PATCH", "DELETE" or a custom kind.
  PathTemplate path;
  // "" (no body), "*" (the whole request message) or a top-level field.
  std::string body;
  const google::protobuf::FieldDescriptor* body_field = nullptr;  // Set when body is a field.
  // "" (the whole response) or a top-level field of the response message.
  const google::protobuf::FieldDescriptor* response_body_field = nullptr;
  gongkai::api::Access access = gongkai::api::ACCESS_AUTHENTICATED;
  // The owning backend: "catalog" for package gongkai.catalog.v1.
  std::string backend;
  // "/gongkai.catalog.v1.CatalogService/GetDocument".
  std::string grpc_method;
  // The leaf fields bound by the path, which the query string may not set again.
  std::vector<std::string> path_field_paths;
};

class RouteTable {
 public:
  struct Lookup {
    const Route* route = nullptr;  // Null: 404 when allowed_methods is empty, else 405.
    PathTemplate::Bindings bindings;
    std::vector<std::string> allowed_methods;
  };

  // Routes of every method of `service_names` that carries a google.api.http rule.
  // INVALID_ARGUMENT naming the method when a rule is unusable: a bad template, a path
  // variable or body naming no field (or a repeated or message field), two rules with
  // the same method and template.
  static absl::StatusOr<RouteTable> Build(const google::protobuf::DescriptorPool& pool,
                                          const std::vector<std::string>& service_names);

  Lookup Find(absl::string_view http_method, absl::string_view path) const;
  // Every HTTP method some route accepts at `path` (for CORS preflight answers).
  std::vector<std::string> MethodsAt(absl::string_view path) const;

  const std::vector<std::unique_ptr<Route>>& routes() const { return routes_; }
  // Backends that own at least one route, sorted.
  std::vector<std::string> Backends() const;

 private:
  // Most specific first (see the file comment).
  std::vector<std::unique_ptr<Route>> routes_;
};

// "catalog" for "gongkai.catalog.v1"; the whole package for anything else.
std::string BackendForPackage(absl::string_view package);

// A descriptor pool built from a serialized FileDescriptorSet, falling back to the
// types compiled into the binary (google.rpc.* error details, well-known types).
class Descriptors {
 public:
  static absl::StatusOr<std::unique_ptr<Descriptors>> Load(absl::string_view descriptor_set);

  const google::protobuf::DescriptorPool& pool() const { return *pool_; }
  // Services of the set (not of the fallback) with at least one google.api.http rule.
  const std::vector<std::string>& annotated_services() const { return annotated_services_; }

 private:
  Descriptors();
  google::protobuf::SimpleDescriptorDatabase set_database_;
  google::protobuf::DescriptorPoolDatabase generated_database_;
  google::protobuf::MergedDescriptorDatabase merged_database_;
  std::unique_ptr<google::protobuf::DescriptorPool> pool_;
  std::vector<std::string> annotated_services_;
};

// The descriptor set of every proto under protos/gongkai, embedded at build time
// (embed_descriptor_set.cmake).
absl::string_view EmbeddedDescriptorSet();

}  // namespace gongkai::gateway

#endif  // GONGKAI_GATEWAY_ROUTE_TABLE_H_
