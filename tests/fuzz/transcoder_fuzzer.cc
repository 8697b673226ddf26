// The gateway's transcoding of an HTTP request into the gRPC request message
// (gateway/transcoder.cc): path variables, query string, JSON body, over the routes of
// every gongkai service (the embedded descriptor set). Input:
//   "<METHOD> <path>\n<query>\n<body>"
// The route is looked up as the gateway does. Properties: nothing crashes; a refusal is
// INVALID_ARGUMENT; what is accepted parses as the route's request message; any bytes
// as a response either turn into JSON or are refused as INTERNAL.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "absl/strings/string_view.h"
#include "gateway/route_table.h"
#include "gateway/transcoder.h"
#include "google/protobuf/dynamic_message.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

using gongkai::gateway::Descriptors;
using gongkai::gateway::RouteTable;
using gongkai::gateway::Transcoder;

struct Fixture {
  std::unique_ptr<Descriptors> descriptors;
  RouteTable routes;
  std::unique_ptr<Transcoder> transcoder;
  google::protobuf::DynamicMessageFactory factory;
  Fixture() {
    descriptors = *Descriptors::Load(gongkai::gateway::EmbeddedDescriptorSet());
    routes = *RouteTable::Build(descriptors->pool(), descriptors->annotated_services());
    transcoder = std::make_unique<Transcoder>(&descriptors->pool());
  }
};

absl::string_view NextLine(absl::string_view& input) {
  const size_t newline = input.find('\n');
  const absl::string_view line = input.substr(0, newline);
  input = newline == absl::string_view::npos ? absl::string_view() : input.substr(newline + 1);
  return line;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Fixture* fixture = new Fixture();
  absl::string_view input(reinterpret_cast<const char*>(data), size);
  const absl::string_view request_line = NextLine(input);
  const absl::string_view query = NextLine(input);
  const absl::string_view body = input;
  const size_t space = request_line.find(' ');
  if (space == absl::string_view::npos) return 0;
  const RouteTable::Lookup hit =
      fixture->routes.Find(request_line.substr(0, space), request_line.substr(space + 1));
  if (hit.route == nullptr) return 0;

  const absl::StatusOr<std::string> request =
      fixture->transcoder->BuildRequest(*hit.route, hit.bindings, query, body);
  if (!request.ok()) {
    FUZZ_CHECK(request.status().code() == absl::StatusCode::kInvalidArgument);
  } else {
    std::unique_ptr<google::protobuf::Message> message(
        fixture->factory.GetPrototype(hit.route->method->input_type())->New());
    FUZZ_CHECK(message->ParseFromString(*request));
  }

  // The body's bytes as a backend's response.
  const absl::StatusOr<std::string> json =
      fixture->transcoder->ResponseToJson(*hit.route, std::string(body));
  if (!json.ok()) FUZZ_CHECK(json.status().code() == absl::StatusCode::kInternal);
  return 0;
}
