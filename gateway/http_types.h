// Plain HTTP request/response values passed between the server (http_server.h) and the
// request pipeline (gateway.h), so neither depends on the other's library.
#ifndef GONGKAI_GATEWAY_HTTP_TYPES_H_
#define GONGKAI_GATEWAY_HTTP_TYPES_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace gongkai::gateway {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  std::string method;  // As sent: "GET", "POST", ...
  std::string path;    // The target up to '?', still percent-encoded.
  std::string query;   // After '?', without it; "" when absent.
  HeaderList headers;  // Names lower-cased; order kept; repeated names kept.
  std::string body;
  std::string peer_address;  // The TCP peer, "ip:port" ("[v6]:port").
  absl::Time received = absl::InfinitePast();

  // The first value of a header (name in lower case), if present.
  std::optional<absl::string_view> Header(absl::string_view lower_name) const {
    for (const auto& [name, value] : headers) {
      if (name == lower_name) return absl::string_view(value);
    }
    return std::nullopt;
  }
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  HeaderList headers;
  std::string body;
};

}  // namespace gongkai::gateway

#endif  // GONGKAI_GATEWAY_HTTP_TYPES_H_
