#include "gateway/route_table.h"

#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "google/api/annotations.pb.h"
#include "google/protobuf/descriptor.pb.h"

namespace gongkai::gateway {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::MethodDescriptor;

absl::Status RuleError(const MethodDescriptor& method, absl::string_view problem) {
  return absl::InvalidArgumentError(
      absl::StrCat("google.api.http rule of ", method.full_name(), ": ", problem));
}

// The options of a descriptor from any pool, re-read with the extensions linked into
// this binary, so google.api.http and gongkai.api.access are typed whatever pool the
// method came from.
google::protobuf::MethodOptions TypedOptions(const MethodDescriptor& method) {
  google::protobuf::MethodOptions options;
  options.ParseFromString(method.options().SerializeAsString());
  return options;
}

// The field a dotted path of proto names leads to, or null.
const FieldDescriptor* ResolveFieldPath(const Descriptor* message, absl::string_view path) {
  const FieldDescriptor* field = nullptr;
  for (absl::string_view name : absl::StrSplit(path, '.')) {
    if (message == nullptr) return nullptr;
    field = message->FindFieldByName(std::string(name));
    if (field == nullptr) return nullptr;
    message = field->message_type();
  }
  return field;
}

absl::Status AddRoute(const MethodDescriptor& method, const google::api::HttpRule& rule,
                      gongkai::api::Access access, std::vector<std::unique_ptr<Route>>& routes) {
  auto route = std::make_unique<Route>();
  route->method = &method;
  route->access = access;
  route->backend = BackendForPackage(method.service()->file()->package());
  route->grpc_method = absl::StrCat("/", method.service()->full_name(), "/", method.name());
  std::string path;
  switch (rule.pattern_case()) {
    case google::api::HttpRule::kGet:
      route->http_method = "GET";
      path = rule.get();
      break;
    case google::api::HttpRule::kPut:
      route->http_method = "PUT";
      path = rule.put();
      break;
    case google::api::HttpRule::kPost:
      route->http_method = "POST";
      path = rule.post();
      break;
    case google::api::HttpRule::kDelete:
      route->http_method = "DELETE";
      path = rule.delete_();
      break;
    case google::api::HttpRule::kPatch:
      route->http_method = "PATCH";
      path = rule.patch();
      break;
    case google::api::HttpRule::kCustom:
      route->http_method = rule.custom().kind();
      path = rule.custom().path();
      break;
    default:
      return RuleError(method, "no HTTP method and path");
  }
  if (route->http_method.empty()) return RuleError(method, "custom rule without a kind");
  absl::StatusOr<PathTemplate> parsed = PathTemplate::Parse(path);
  if (!parsed.ok()) return RuleError(method, parsed.status().message());
  route->path = *std::move(parsed);

  const Descriptor* input = method.input_type();
  for (const std::string& field_path : route->path.VariableFieldPaths()) {
    const FieldDescriptor* field = ResolveFieldPath(input, field_path);
    if (field == nullptr) {
      return RuleError(method, absl::StrCat("path variable \"", field_path, "\" is not a field of ",
                                            input->full_name()));
    }
    if (field->is_repeated() || field->type() == FieldDescriptor::TYPE_MESSAGE) {
      return RuleError(method, absl::StrCat("path variable \"", field_path,
                                            "\" must be a singular scalar field"));
    }
    route->path_field_paths.push_back(field_path);
  }
  route->body = rule.body();
  if (!route->body.empty() && route->body != "*") {
    route->body_field = input->FindFieldByName(route->body);
    if (route->body_field == nullptr) {
      return RuleError(method, absl::StrCat("body \"", route->body,
                                            "\" is not a top-level field of ", input->full_name()));
    }
  }
  if (!rule.response_body().empty()) {
    route->response_body_field = method.output_type()->FindFieldByName(rule.response_body());
    if (route->response_body_field == nullptr || route->response_body_field->is_repeated() ||
        route->response_body_field->type() != FieldDescriptor::TYPE_MESSAGE) {
      return RuleError(method, absl::StrCat("response_body \"", rule.response_body(),
                                            "\" must be a singular message field of ",
                                            method.output_type()->full_name()));
    }
  }
  for (const auto& other : routes) {
    if (other->http_method == route->http_method && other->path.text() == route->path.text()) {
      return RuleError(method, absl::StrCat(route->http_method, " ", route->path.text(),
                                            " is already bound to ", other->grpc_method));
    }
  }
  routes.push_back(std::move(route));
  return absl::OkStatus();
}

}  // namespace

std::string BackendForPackage(absl::string_view package) {
  std::vector<absl::string_view> parts = absl::StrSplit(package, '.');
  if (parts.size() >= 2 && parts[0] == "gongkai") return std::string(parts[1]);
  return std::string(package);
}

absl::StatusOr<RouteTable> RouteTable::Build(const google::protobuf::DescriptorPool& pool,
                                             const std::vector<std::string>& service_names) {
  RouteTable table;
  for (const std::string& service_name : service_names) {
    const google::protobuf::ServiceDescriptor* service = pool.FindServiceByName(service_name);
    if (service == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("service ", service_name, " is not in the descriptors"));
    }
    for (int i = 0; i < service->method_count(); ++i) {
      const MethodDescriptor& method = *service->method(i);
      if (method.client_streaming() || method.server_streaming()) continue;
      const google::protobuf::MethodOptions options = TypedOptions(method);
      if (!options.HasExtension(google::api::http)) continue;
      const google::api::HttpRule& rule = options.GetExtension(google::api::http);
      const gongkai::api::Access access = options.GetExtension(gongkai::api::access);
      if (absl::Status s = AddRoute(method, rule, access, table.routes_); !s.ok()) return s;
      for (const google::api::HttpRule& extra : rule.additional_bindings()) {
        if (extra.additional_bindings_size() > 0) {
          return RuleError(method, "additional_bindings may not nest");
        }
        if (absl::Status s = AddRoute(method, extra, access, table.routes_); !s.ok()) return s;
      }
    }
  }
  std::stable_sort(table.routes_.begin(), table.routes_.end(),
                   [](const std::unique_ptr<Route>& a, const std::unique_ptr<Route>& b) {
                     return PathTemplate::MoreSpecific(a->path, b->path);
                   });
  return table;
}

RouteTable::Lookup RouteTable::Find(absl::string_view http_method, absl::string_view path) const {
  Lookup lookup;
  std::optional<bool> tier_has_verb;
  for (const std::unique_ptr<Route>& route : routes_) {
    const bool has_verb = !route->path.verb().empty();
    if (tier_has_verb.has_value() && *tier_has_verb != has_verb) break;
    std::optional<PathTemplate::Bindings> bindings = route->path.Match(path);
    if (!bindings.has_value()) continue;
    tier_has_verb = has_verb;
    if (route->http_method == http_method) {
      lookup.route = route.get();
      lookup.bindings = *std::move(bindings);
      lookup.allowed_methods.clear();
      return lookup;
    }
    if (std::find(lookup.allowed_methods.begin(), lookup.allowed_methods.end(),
                  route->http_method) == lookup.allowed_methods.end()) {
      lookup.allowed_methods.push_back(route->http_method);
    }
  }
  std::sort(lookup.allowed_methods.begin(), lookup.allowed_methods.end());
  return lookup;
}

std::vector<std::string> RouteTable::MethodsAt(absl::string_view path) const {
  // The same tiers as Find: templates with a verb first, so the methods listed are
  // exactly those Find would accept.
  std::set<std::string> methods;
  std::optional<bool> tier_has_verb;
  for (const std::unique_ptr<Route>& route : routes_) {
    const bool has_verb = !route->path.verb().empty();
    if (tier_has_verb.has_value() && *tier_has_verb != has_verb) break;
    if (!route->path.Match(path).has_value()) continue;
    tier_has_verb = has_verb;
    methods.insert(route->http_method);
  }
  return {methods.begin(), methods.end()};
}

std::vector<std::string> RouteTable::Backends() const {
  std::set<std::string> backends;
  for (const std::unique_ptr<Route>& route : routes_) backends.insert(route->backend);
  return {backends.begin(), backends.end()};
}

Descriptors::Descriptors()
    : generated_database_(*google::protobuf::DescriptorPool::generated_pool()),
      merged_database_(&set_database_, &generated_database_) {}

absl::StatusOr<std::unique_ptr<Descriptors>> Descriptors::Load(absl::string_view descriptor_set) {
  google::protobuf::FileDescriptorSet set;
  if (!set.ParseFromArray(descriptor_set.data(), static_cast<int>(descriptor_set.size()))) {
    return absl::InvalidArgumentError("the descriptor set is not a FileDescriptorSet");
  }
  std::unique_ptr<Descriptors> d(new Descriptors());
  for (google::protobuf::FileDescriptorProto& file : *set.mutable_file()) {
    // Comments and source positions are never read at run time (the embedded set has
    // none; a --descriptor_set file made with --include_source_info has): the database
    // and the pool would each keep a copy (issue 14, P4: 1.6 MiB of heap for the
    // suite's set).
    file.clear_source_code_info();
    if (!d->set_database_.Add(file)) {
      return absl::InvalidArgumentError(
          absl::StrCat("the descriptor set holds ", file.name(), " twice or inconsistently"));
    }
  }
  d->pool_ = std::make_unique<google::protobuf::DescriptorPool>(&d->merged_database_);
  for (const google::protobuf::FileDescriptorProto& file_proto : set.file()) {
    const google::protobuf::FileDescriptor* file = d->pool_->FindFileByName(file_proto.name());
    if (file == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("the descriptor set's ", file_proto.name(), " does not build"));
    }
    for (int s = 0; s < file->service_count(); ++s) {
      const google::protobuf::ServiceDescriptor* service = file->service(s);
      for (int m = 0; m < service->method_count(); ++m) {
        if (TypedOptions(*service->method(m)).HasExtension(google::api::http)) {
          d->annotated_services_.push_back(service->full_name());
          break;
        }
      }
    }
  }
  return d;
}

}  // namespace gongkai::gateway
