#include "gateway/gateway.h"

#include <algorithm>
#include <cctype>

#include "absl/random/random.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "gateway/http_errors.h"
#include "gateway/static_assets.h"
#include "libs/auth/token_minter.h"
#include "libs/log/log.h"
#include "libs/status/errors.h"
#include "libs/status/grpc_status.h"
#include "libs/status/status_macros.h"
#include "nlohmann/json.hpp"

namespace gongkai::gateway {
namespace {

constexpr size_t kMaxRequestIdLength = 128;

bool IsValidRequestId(absl::string_view id) {
  if (id.empty() || id.size() > kMaxRequestIdLength) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' ||
           c == ':';
  });
}

std::string NewRequestId() {
  static thread_local absl::BitGen gen;
  return absl::StrCat(absl::Hex(absl::Uniform<uint64_t>(gen), absl::kZeroPad16),
                      absl::Hex(absl::Uniform<uint64_t>(gen), absl::kZeroPad16));
}

// The host part of "ip:port" / "[v6]:port".
std::string HostOf(absl::string_view peer) {
  if (!peer.empty() && peer.front() == '[') {
    const size_t close = peer.find(']');
    return std::string(peer.substr(1, close == absl::string_view::npos ? peer.size() : close - 1));
  }
  return std::string(peer.substr(0, peer.rfind(':')));
}

bool IsJsonContentType(absl::string_view value) {
  std::vector<absl::string_view> parts = absl::StrSplit(value, ';');
  absl::string_view media = absl::StripAsciiWhitespace(parts[0]);
  if (!absl::EqualsIgnoreCase(media, "application/json")) return false;
  for (size_t i = 1; i < parts.size(); ++i) {
    std::pair<absl::string_view, absl::string_view> kv =
        absl::StrSplit(absl::StripAsciiWhitespace(parts[i]), absl::MaxSplits('=', 1));
    if (absl::EqualsIgnoreCase(kv.first, "charset") &&
        !absl::EqualsIgnoreCase(absl::StripAsciiWhitespace(kv.second), "utf-8") &&
        !absl::EqualsIgnoreCase(absl::StripAsciiWhitespace(kv.second), "\"utf-8\"")) {
      return false;
    }
  }
  return true;
}

// gRPC accepts only printable ASCII in text metadata (a C++ client aborts otherwise), so
// every value taken from a request header is checked before it is passed on.
bool IsMetadataSafe(absl::string_view value) {
  return std::all_of(value.begin(), value.end(), [](char c) { return c >= 0x20 && c <= 0x7e; });
}

// W3C Trace Context: version-traceid-parentid-flags, lower-case hex.
bool IsValidTraceparent(absl::string_view value) {
  if (value.size() != 55) return false;
  for (size_t i = 0; i < value.size(); ++i) {
    const char c = value[i];
    if (i == 2 || i == 35 || i == 52) {
      if (c != '-') return false;
    } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      return false;
    }
  }
  return true;
}

bool IsIpAddress(absl::string_view text) {
  if (text.empty() || text.size() > 45) return false;
  return std::all_of(text.begin(), text.end(), [](char c) {
    return absl::ascii_isxdigit(static_cast<unsigned char>(c)) || c == '.' || c == ':';
  });
}

// The entries of an X-Forwarded-For value that look like addresses, in order.
std::vector<std::string> ForwardedAddresses(absl::string_view header) {
  std::vector<std::string> out;
  for (absl::string_view entry : absl::StrSplit(header, ',')) {
    entry = absl::StripAsciiWhitespace(entry);
    if (IsIpAddress(entry)) out.emplace_back(entry);
  }
  return out;
}

grpc::Status GatewayStatus(grpc::StatusCode code, std::string message) {
  return grpc::Status(code, std::move(message));
}

HttpResponse JsonResponse(int status, std::string body) {
  HttpResponse response;
  response.status = status;
  response.body = std::move(body);
  return response;
}

}  // namespace

std::optional<absl::Duration> ParseGrpcTimeout(absl::string_view value) {
  if (value.size() < 2 || value.size() > 9) return std::nullopt;
  int64_t amount;
  if (!absl::SimpleAtoi(value.substr(0, value.size() - 1), &amount) || amount < 0) {
    return std::nullopt;
  }
  switch (value.back()) {
    case 'H':
      return absl::Hours(amount);
    case 'M':
      return absl::Minutes(amount);
    case 'S':
      return absl::Seconds(amount);
    case 'm':
      return absl::Milliseconds(amount);
    case 'u':
      return absl::Microseconds(amount);
    case 'n':
      return absl::Nanoseconds(amount);
    default:
      return std::nullopt;
  }
}

struct Gateway::Context {
  HttpRequest request;
  Respond respond;
  std::string request_id;
  std::string origin;
  std::string route_label = "unmatched";
  std::string principal = "anonymous";
  std::string upstream_code;  // gRPC code name of the backend call, when one was made.
  std::string client_address;
  bool cors_headers_set = false;  // A preflight answer carries its own CORS headers.
};

Gateway::Gateway(GatewayDependencies deps, GatewayConfig config)
    : deps_(deps), config_(std::move(config)) {}

std::shared_ptr<Gateway::Context> Gateway::NewContext(HttpRequest request, Respond respond) {
  auto context = std::make_shared<Context>();
  context->request = std::move(request);
  context->respond = std::move(respond);
  deps_.metrics->RequestStarted();
  const HttpRequest& r = context->request;

  std::optional<absl::string_view> id = r.Header("x-request-id");
  context->request_id = id.has_value() && IsValidRequestId(*id) ? std::string(*id) : NewRequestId();
  context->origin = std::string(r.Header("origin").value_or(""));
  context->client_address = HostOf(r.peer_address);
  if (config_.trust_forwarded_for) {
    // The trusted proxy appends the address it saw; entries before it are the client's
    // own claims and must not choose the rate-limit bucket.
    if (std::optional<absl::string_view> xff = r.Header("x-forwarded-for")) {
      std::vector<std::string> addresses = ForwardedAddresses(*xff);
      if (!addresses.empty()) context->client_address = addresses.back();
    }
  }
  return context;
}

void Gateway::Handle(HttpRequest request, Respond respond) {
  std::shared_ptr<Context> context = NewContext(std::move(request), std::move(respond));
  const HttpRequest& r = context->request;

  // CORS preflight: answered here, never forwarded.
  if (r.method == "OPTIONS" && !context->origin.empty() &&
      r.Header("access-control-request-method").has_value()) {
    context->route_label = "preflight";
    std::vector<std::string> methods = deps_.routes->MethodsAt(r.path);
    PreflightAnswer answer =
        deps_.cors->Preflight(context->origin, *r.Header("access-control-request-method"),
                              r.Header("access-control-request-headers").value_or(""), methods);
    HttpResponse response;
    if (answer.allowed) {
      response.status = 204;
      response.content_type.clear();
    } else {
      response = ErrorResponse(
          403, GatewayStatus(grpc::StatusCode::PERMISSION_DENIED,
                             absl::StrCat("CORS preflight refused: ", answer.refusal_reason)));
    }
    for (auto& header : answer.headers) response.headers.push_back(std::move(header));
    context->cors_headers_set = true;
    return Finish(context, std::move(response));
  }

  if (HandleBuiltin(context)) return;

  RouteTable::Lookup hit = FindRoute(r);
  if (hit.route == nullptr) return Finish(context, NoRouteResponse(r, hit));
  HandleRoute(std::move(context), hit);
}

bool Gateway::RefuseBeforeBody(const HttpRequest& head, Respond respond) {
  // Uploads only: preflights and built-in pages go the usual way.
  if (head.method == "GET" || head.method == "HEAD" || head.method == "OPTIONS") return false;
  std::optional<HttpResponse> refusal;
  std::string route_label = "unmatched";
  std::string principal = "anonymous";
  RouteTable::Lookup hit = FindRoute(head);
  if (hit.route == nullptr) {
    refusal = NoRouteResponse(head, hit);
  } else {
    route_label = hit.route->path.text();
    absl::StatusOr<Admission> admission = Admit(head, *hit.route);
    if (!admission.ok()) {
      refusal = ErrorResponse(ToGrpcStatus(admission.status()));
    } else {
      if (!admission->principal.anonymous()) principal = admission->principal.subject;
      refusal = NotJson(head, *hit.route);
    }
  }
  if (!refusal.has_value()) return false;
  std::shared_ptr<Context> context = NewContext(head, std::move(respond));
  context->route_label = std::move(route_label);
  context->principal = std::move(principal);
  Finish(context, *std::move(refusal));
  return true;
}

RouteTable::Lookup Gateway::FindRoute(const HttpRequest& r) const {
  // HEAD is answered wherever GET is (the server drops the body).
  return deps_.routes->Find(r.method == "HEAD" ? "GET" : r.method, r.path);
}

HttpResponse Gateway::NoRouteResponse(const HttpRequest& r, const RouteTable::Lookup& miss) {
  if (miss.allowed_methods.empty()) {
    return ErrorResponse(404, GatewayStatus(grpc::StatusCode::NOT_FOUND,
                                            absl::StrCat("no route for ", r.method, " ", r.path)));
  }
  HttpResponse response = ErrorResponse(
      405, GatewayStatus(grpc::StatusCode::UNIMPLEMENTED,
                         absl::StrCat(r.method, " is not allowed on ", r.path, "; use ",
                                      absl::StrJoin(miss.allowed_methods, ", "))));
  response.headers.emplace_back("allow", absl::StrJoin(miss.allowed_methods, ", "));
  return response;
}

bool Gateway::HandleBuiltin(const std::shared_ptr<Context>& context) {
  const HttpRequest& r = context->request;
  if (r.method != "GET" && r.method != "HEAD") return false;
  if (r.path == "/healthz") {
    context->route_label = "/healthz";
    Finish(context, JsonResponse(200, "{\"status\":\"SERVING\"}"));
    return true;
  }
  if (r.path == "/readyz") {
    context->route_label = "/readyz";
    HandleReadiness(context);
    return true;
  }
  if (r.path == "/metrics") {
    context->route_label = "/metrics";
    HttpResponse response;
    response.content_type = std::string(metrics::kTextContentType);
    response.body = deps_.registry->Serialize();
    Finish(context, std::move(response));
    return true;
  }
  if (r.path == "/openapi.json") {
    context->route_label = "/openapi.json";
    Finish(context, JsonResponse(200, std::string(OpenApiJson())));
    return true;
  }
  if (r.path == "/docs" || absl::StartsWith(r.path, "/docs/")) {
    context->route_label = "/docs";
    std::optional<StaticAsset> asset = FindDocsAsset(r.path);
    if (!asset.has_value()) {
      Finish(context, ErrorResponse(404, GatewayStatus(grpc::StatusCode::NOT_FOUND,
                                                       absl::StrCat("no document ", r.path))));
      return true;
    }
    HttpResponse response;
    response.content_type = std::string(asset->content_type);
    response.body = std::string(asset->content);
    response.headers.emplace_back("etag", std::string(asset->etag));
    response.headers.emplace_back("cache-control", "public, max-age=300");
    Finish(context, std::move(response));
    return true;
  }
  return false;
}

void Gateway::HandleReadiness(const std::shared_ptr<Context>& context) {
  if (draining_.load()) {
    return Finish(context, ErrorResponse(503, GatewayStatus(grpc::StatusCode::UNAVAILABLE,
                                                            "not ready: shutting down")));
  }
  auto answer = [this, context](const std::vector<BackendHealth>& results) {
    nlohmann::json body;
    body["backends"] = nlohmann::json::array();
    std::vector<std::string> down;
    for (const BackendHealth& h : results) {
      body["backends"].push_back({{"backend", h.backend}, {"status", h.detail}});
      if (!h.serving) down.push_back(absl::StrCat(h.backend, " (", h.detail, ")"));
    }
    // Routes whose backend has no address answer 503 and are listed here, but do not
    // make the gateway unready: a deployment runs the services it has (the suite grows
    // one service at a time; the descriptors already hold the next one's routes), and a
    // gateway that is never ready would take down the routes of those it does have.
    for (const std::string& backend : deps_.routes->Backends()) {
      if (!deps_.backends->Has(backend)) {
        body["backends"].push_back({{"backend", backend}, {"status", "NOT_CONFIGURED"}});
      }
    }
    if (down.empty()) {
      body["status"] = "SERVING";
      return Finish(context, JsonResponse(200, body.dump()));
    }
    Finish(context, ErrorResponse(503, GatewayStatus(grpc::StatusCode::UNAVAILABLE,
                                                     absl::StrCat("not ready: backend ",
                                                                  absl::StrJoin(down, ", "),
                                                                  " is not serving"))));
  };
  // Probes from many load balancers share one round of health checks per second.
  std::optional<std::vector<BackendHealth>> cached;
  {
    absl::MutexLock lock(&readiness_mu_);
    if (absl::Now() - readiness_checked_ < absl::Seconds(1)) cached = readiness_cache_;
  }
  if (cached.has_value()) return answer(*cached);
  deps_.backends->CheckHealth(config_.readiness_timeout,
                              [this, answer](std::vector<BackendHealth> results) {
                                {
                                  absl::MutexLock lock(&readiness_mu_);
                                  readiness_cache_ = results;
                                  readiness_checked_ = absl::Now();
                                }
                                answer(results);
                              });
}

void Gateway::StartDraining() { draining_.store(true); }

void Gateway::HandleRoute(std::shared_ptr<Context> context, const RouteTable::Lookup& hit) {
  const Route& route = *hit.route;
  const HttpRequest& r = context->request;
  context->route_label = route.path.text();

  absl::StatusOr<Admission> admission = Admit(r, route);
  if (!admission.ok()) return Finish(context, ErrorResponse(ToGrpcStatus(admission.status())));
  const auth::Principal* principal = &admission->principal;
  const std::string& forwarded_authorization = admission->forwarded_authorization;
  if (!principal->anonymous()) context->principal = principal->subject;

  // Rate limit per principal, or per client address for anonymous callers.
  RateClass rate_class = RateClass::kAuthenticated;
  std::string rate_key = absl::StrCat("sub:", principal->subject);
  if (principal->anonymous()) {
    rate_class = route.access == gongkai::api::ACCESS_PUBLIC_WRITE ? RateClass::kAnonymousWrite
                                                                   : RateClass::kAnonymousRead;
    rate_key = absl::StrCat("ip:", context->client_address);
  }
  RateDecision decision = deps_.rate_limiter->Admit(rate_key, rate_class);
  if (!decision.allowed) {
    deps_.metrics->RateLimited(RateClassName(rate_class));
    HttpResponse response = ErrorResponse(
        429, GatewayStatus(grpc::StatusCode::RESOURCE_EXHAUSTED,
                           absl::StrCat("rate limit for ", RateClassName(rate_class),
                                        " callers exceeded; retry after ",
                                        RetryAfterSeconds(decision.retry_after), " s")));
    for (auto& [name, value] : response.headers) {
      if (name == "retry-after") value = absl::StrCat(RetryAfterSeconds(decision.retry_after));
    }
    return Finish(context, std::move(response));
  }

  if (!absl::StripAsciiWhitespace(r.body).empty()) {
    if (std::optional<HttpResponse> refusal = NotJson(r, route)) {
      return Finish(context, *std::move(refusal));
    }
  }

  absl::StatusOr<std::string> grpc_request =
      deps_.transcoder->BuildRequest(route, hit.bindings, r.query, r.body);
  if (!grpc_request.ok())
    return Finish(context, ErrorResponse(ToGrpcStatus(grpc_request.status())));

  CallOptions options;
  options.deadline = DeadlineFor(*context, route);
  options.metadata.emplace_back("x-request-id", context->request_id);
  if (!forwarded_authorization.empty()) {
    options.metadata.emplace_back("authorization", forwarded_authorization);
  }
  // Trace context only when well formed (a malformed one starts a new trace).
  if (std::optional<absl::string_view> traceparent = r.Header("traceparent");
      traceparent.has_value() && IsValidTraceparent(*traceparent)) {
    options.metadata.emplace_back("traceparent", std::string(*traceparent));
    if (std::optional<absl::string_view> tracestate = r.Header("tracestate");
        tracestate.has_value() && tracestate->size() <= 512 && IsMetadataSafe(*tracestate)) {
      options.metadata.emplace_back("tracestate", std::string(*tracestate));
    }
  }
  std::vector<std::string> chain;
  if (std::optional<absl::string_view> xff = r.Header("x-forwarded-for")) {
    chain = ForwardedAddresses(*xff);
  }
  chain.push_back(HostOf(r.peer_address));
  options.metadata.emplace_back("x-forwarded-for", absl::StrJoin(chain, ", "));

  deps_.backends->Call(
      route.backend, route.grpc_method, *grpc_request, options,
      [this, context, &route](const grpc::Status& status, std::string response_bytes) {
        if (!status.ok()) {
          context->upstream_code = std::string(
              absl::StatusCodeToString(static_cast<absl::StatusCode>(status.error_code())));
          deps_.metrics->UpstreamError(route.backend, context->upstream_code);
          return Finish(context, ErrorResponse(status));
        }
        context->upstream_code = "OK";
        absl::StatusOr<std::string> json = deps_.transcoder->ResponseToJson(route, response_bytes);
        if (!json.ok()) {
          GK_LOG(ERROR, "backend response not convertible")
              .With("method", route.grpc_method)
              .With("status", json.status());
          return Finish(context, ErrorResponse(ToGrpcStatus(json.status())));
        }
        Finish(context, JsonResponse(200, *std::move(json)));
      });
}

absl::StatusOr<Gateway::Admission> Gateway::Admit(const HttpRequest& r, const Route& route) {
  // Authentication: an API key or a bearer token, never both.
  std::optional<absl::string_view> api_key = r.Header(std::string(kApiKeyHeader));
  std::optional<absl::string_view> authorization = r.Header("authorization");
  if (api_key.has_value() && authorization.has_value()) {
    return InvalidField("X-Api-Key", "send either an API key or an Authorization header, not both");
  }
  Admission admission;
  if (api_key.has_value()) {
    if (deps_.api_keys == nullptr) {
      return absl::UnauthenticatedError("API keys are not enabled on this gateway");
    }
    ASSIGN_OR_RETURN(admission.principal, deps_.api_keys->Authenticate(*api_key));
    absl::StatusOr<std::string> token = InternalToken(admission.principal);
    if (!token.ok()) {
      GK_LOG(ERROR, "cannot mint the internal token for an API key").With("status", token.status());
      return absl::InternalError("internal error");
    }
    admission.forwarded_authorization = *std::move(token);
  } else {
    ASSIGN_OR_RETURN(admission.principal, deps_.authenticator->AuthenticateHeader(authorization));
    if (authorization.has_value()) {
      // Forward the verified token in canonical form, never the raw header (whose
      // whitespace or bytes gRPC metadata may not carry).
      absl::string_view token = absl::StripAsciiWhitespace(*authorization);
      token = absl::StripAsciiWhitespace(token.substr(std::min<size_t>(token.size(), 6)));
      admission.forwarded_authorization = absl::StrCat("Bearer ", token);
    }
  }
  if (admission.principal.anonymous() && route.access == gongkai::api::ACCESS_AUTHENTICATED) {
    return absl::UnauthenticatedError(
        absl::StrCat(route.grpc_method.substr(1),
                     " needs a principal: send Authorization: Bearer <JWT> or X-Api-Key"));
  }
  return admission;
}

std::optional<HttpResponse> Gateway::NotJson(const HttpRequest& r, const Route& route) {
  if (route.body.empty())
    return std::nullopt;  // The route takes no body (the transcoder
                          // refuses one that is sent).
  std::optional<absl::string_view> content_type = r.Header("content-type");
  if (content_type.has_value() && IsJsonContentType(*content_type)) return std::nullopt;
  return ErrorResponse(415, GatewayStatus(grpc::StatusCode::INVALID_ARGUMENT,
                                          absl::StrCat("Content-Type must be "
                                                       "application/json (UTF-8), not \"",
                                                       content_type.value_or(""), "\"")));
}

absl::Time Gateway::DeadlineFor(const Context& context, const Route& route) const {
  absl::Duration timeout = config_.default_deadline;
  auto it = config_.method_deadlines.find(
      absl::StrCat(route.method->service()->full_name(), ".", route.method->name()));
  if (it != config_.method_deadlines.end()) timeout = it->second;
  if (std::optional<absl::string_view> header = context.request.Header("grpc-timeout")) {
    if (std::optional<absl::Duration> asked = ParseGrpcTimeout(*header)) {
      timeout = std::min(*asked, config_.max_deadline);
    }
  }
  return context.request.received + timeout;
}

absl::StatusOr<std::string> Gateway::InternalToken(const auth::Principal& principal) {
  const absl::Time now = deps_.clock->Now();
  {
    absl::MutexLock lock(&token_mu_);
    auto it = minted_tokens_.find(principal.DebugString());
    if (it != minted_tokens_.end() && now < it->second.refresh_after) return it->second.header;
  }
  auth::Claims claims;
  claims.subject = principal.subject;
  claims.unit_id = principal.unit_id;
  for (auth::Role role : principal.roles.ToVector()) {
    claims.roles.push_back(std::string(auth::RoleName(role)));
  }
  claims.issuer = config_.internal_token_issuer;
  claims.audience = {config_.internal_token_audience};
  claims.issued_at = now;
  absl::StatusOr<std::string> token =
      auth::MintHs256(claims, config_.internal_token_secret, config_.internal_token_ttl);
  if (!token.ok()) return token.status();
  std::string header = absl::StrCat("Bearer ", *token);
  absl::MutexLock lock(&token_mu_);
  // Keyed by the whole principal (subject, unit, roles): two keys may share a subject.
  minted_tokens_[principal.DebugString()] = {header, now + config_.internal_token_ttl / 2};
  return header;
}

void Gateway::Finish(const std::shared_ptr<Context>& context, HttpResponse response) {
  if (!context->cors_headers_set) {
    for (auto& header : deps_.cors->ResponseHeaders(context->origin)) {
      response.headers.push_back(std::move(header));
    }
  }
  response.headers.emplace_back("x-request-id", context->request_id);
  const absl::Duration latency = absl::Now() - context->request.received;
  deps_.metrics->RequestFinished(context->route_label, context->request.method, response.status,
                                 latency);
  if (config_.access_log) {
    auto line = GK_LOG(INFO, "http request");
    line.With("request_id", context->request_id)
        .With("method", context->request.method)
        .With("path", context->request.path)
        .With("route", context->route_label)
        .With("status", response.status)
        .With("latency_ms", absl::ToDoubleMilliseconds(latency))
        .With("client", context->client_address)
        .With("principal", context->principal);
    if (!context->upstream_code.empty()) line.With("upstream_code", context->upstream_code);
  }
  Respond respond = std::move(context->respond);
  respond(std::move(response));
}

void Gateway::OnServerRefusal(const HttpRequest& request, int status) {
  deps_.metrics->RequestRefused(request.method, status);
  if (config_.access_log) {
    GK_LOG(INFO, "http request refused")
        .With("method", request.method)
        .With("path", request.path)
        .With("status", status)
        .With("client", HostOf(request.peer_address));
  }
}

}  // namespace gongkai::gateway
