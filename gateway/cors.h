// Cross-origin resource sharing at the gateway: which web origins (portals, other
// government systems' front ends) may call the API from a browser.
//
// Origins are an exact allow-list ("https://portal.example.gov.cn"); the request's
// Origin is sent back only when it is on the list, never echoed otherwise. "*" alone
// allows every origin, answers "Access-Control-Allow-Origin: *" and cannot be combined
// with credentials.
//
//   ASSIGN_OR_RETURN(CorsPolicy cors, CorsPolicy::Create(config));
//   // OPTIONS with Origin and Access-Control-Request-Method:
//   PreflightAnswer answer = cors.Preflight(origin, acrm, acrh, route_methods);
//   // -> 204 with answer.headers when allowed, 403 (+ refusal_reason in the body) otherwise.
//   // Any other request with an Origin header:
//   for (auto& [name, value] : cors.ResponseHeaders(origin)) response.set(name, value);
//
// Thread-safety: immutable after Create; const methods are safe from many threads.
#ifndef GONGKAI_GATEWAY_CORS_H_
#define GONGKAI_GATEWAY_CORS_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace gongkai::gateway {

struct CorsConfig {
  // Exact "scheme://host[:port]" origins; no wildcards unless "*" alone (then never with
  // credentials). Empty: no cross-origin access at all.
  std::vector<std::string> allowed_origins;
  // Request headers a browser may send (case-insensitive). CORS-safelisted headers
  // (accept, accept-language, content-language) are always allowed.
  std::vector<std::string> allowed_headers = {"authorization", "content-type", "x-api-key",
                                              "x-request-id",  "traceparent",  "grpc-timeout"};
  // Response headers scripts may read.
  std::vector<std::string> exposed_headers = {"x-request-id", "retry-after", "www-authenticate"};
  // How long a browser may cache a preflight answer.
  absl::Duration max_age = absl::Minutes(10);
  bool allow_credentials = false;
};

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct PreflightAnswer {
  bool allowed;
  std::string refusal_reason;  // Why not, for the 403 body and the log; empty when allowed.
  HeaderList headers;          // To send: status 204 when allowed, 403 otherwise.
};

class CorsPolicy {
 public:
  // INVALID_ARGUMENT naming the entry when an origin is not scheme://host[:port]
  // (http or https, no path, query, user info or trailing slash), "*" is mixed with
  // other origins or with allow_credentials, a header name is not a token, or max_age
  // is negative. Origins are lower-cased and default ports (:80, :443) dropped, as
  // browsers serialize them.
  static absl::StatusOr<CorsPolicy> Create(CorsConfig config);

  // Answers an OPTIONS request carrying Origin and Access-Control-Request-Method.
  // `request_headers` is the raw Access-Control-Request-Headers value (may be empty);
  // `allowed_methods` the methods routed for the path (empty: no route).
  PreflightAnswer Preflight(absl::string_view origin, absl::string_view request_method,
                            absl::string_view request_headers,
                            const std::vector<std::string>& allowed_methods) const;

  // Headers for an actual (non-preflight) response: Access-Control-Allow-Origin (the
  // origin itself, or "*"), Vary: Origin, Access-Control-Expose-Headers and, when
  // configured, Access-Control-Allow-Credentials. Only Vary: Origin for an empty or
  // refused origin.
  HeaderList ResponseHeaders(absl::string_view origin) const;

  // Whether a request from `origin` may read responses.
  bool IsOriginAllowed(absl::string_view origin) const;

  const CorsConfig& config() const { return config_; }

 private:
  explicit CorsPolicy(CorsConfig config);

  CorsConfig config_;  // Normalized: origins and header names lower case.
  bool any_origin_ = false;
  absl::flat_hash_set<std::string> origins_;
  absl::flat_hash_set<std::string> headers_;
  std::string allow_headers_value_;
  std::string expose_headers_value_;
  std::string max_age_value_;
};

}  // namespace gongkai::gateway

#endif  // GONGKAI_GATEWAY_CORS_H_
