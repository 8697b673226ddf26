// The request pipeline: one HTTP request in, one HTTP response out.
//
//   request id → CORS preflight / built-in endpoints (/healthz, /readyz, /metrics,
//   /openapi.json, /docs) → route (404 / 405) → authentication (401) → rate limit (429)
//   → content type (415) → transcoding (400) → backend call with deadline and metadata
//   → JSON or google.rpc.Status → CORS and X-Request-Id headers → metrics, access log.
//
// The gateway only authenticates: whether a principal may act on a unit is decided by
// the service (which verifies the token again), so a 403 comes from the backend.
// API-key callers are forwarded with a short-lived HS256 token minted for the key's
// principal, so services see every caller the same way.
//
// Thread-safety: Handle may run concurrently; dependencies must outlive the gateway.
#ifndef GONGKAI_GATEWAY_GATEWAY_H_
#define GONGKAI_GATEWAY_GATEWAY_H_

#include <atomic>
#include <map>
#include <memory>
#include <string>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "gateway/api_keys.h"
#include "gateway/backends.h"
#include "gateway/cors.h"
#include "gateway/gateway_metrics.h"
#include "gateway/http_server.h"
#include "gateway/rate_limiter.h"
#include "gateway/route_table.h"
#include "gateway/transcoder.h"
#include "libs/auth/authenticator.h"
#include "libs/clock/clock.h"
#include "libs/metrics/registry.h"

namespace gongkai::gateway {

struct GatewayConfig {
  // Deadline of a backend call without a Grpc-Timeout header, unless the method has its
  // own in method_deadlines ("gongkai.catalog.v1.CatalogService.SearchDocuments").
  absl::Duration default_deadline = absl::Seconds(10);
  std::map<std::string, absl::Duration> method_deadlines;
  // Grpc-Timeout values above this are lowered to it.
  absl::Duration max_deadline = absl::Seconds(60);
  // Use the last X-Forwarded-For address (the one the proxy in front appended) as the
  // client (rate limits, logs). Only behind
  // a proxy that sets it; otherwise clients could choose their own rate-limit bucket.
  bool trust_forwarded_for = false;
  bool access_log = true;
  // For API-key callers: the token minted for their principal, verified by the services.
  std::string internal_token_secret;  // HS256, the services' GONGKAI_JWT_HS256_SECRET.
  std::string internal_token_issuer;
  std::string internal_token_audience;
  absl::Duration internal_token_ttl = absl::Minutes(5);
  absl::Duration readiness_timeout = absl::Seconds(1);
};

struct GatewayDependencies {
  const RouteTable* routes = nullptr;
  const Transcoder* transcoder = nullptr;
  Backends* backends = nullptr;
  const auth::Authenticator* authenticator = nullptr;
  const ApiKeyStore* api_keys = nullptr;  // Optional: no API keys accepted when null.
  RateLimiter* rate_limiter = nullptr;
  const CorsPolicy* cors = nullptr;
  metrics::Registry* registry = nullptr;  // Served at /metrics.
  GatewayMetrics* metrics = nullptr;
  const Clock* clock = nullptr;
};

class Gateway : public HttpHandler {
 public:
  Gateway(GatewayDependencies deps, GatewayConfig config);

  void Handle(HttpRequest request, Respond respond) override;
  void OnServerRefusal(const HttpRequest& request, int status) override;
  // For "Expect: 100-continue" uploads: no route (404/405), no acceptable principal
  // (400/401/403), or not JSON (415) is answered before the body is sent.
  bool RefuseBeforeBody(const HttpRequest& head, Respond respond) override;

  // From now on /readyz answers 503 so load balancers stop sending new requests while
  // the HTTP server drains (called on SIGTERM, before HttpServer::Shutdown).
  void StartDraining();

 private:
  struct Context;

  // Who calls, and the authorization to forward for them.
  struct Admission {
    auth::Principal principal;
    std::string forwarded_authorization;  // Empty for anonymous callers.
  };

  // Starts the bookkeeping of one request (id, client address, in-flight metric).
  std::shared_ptr<Context> NewContext(HttpRequest request, Respond respond);
  RouteTable::Lookup FindRoute(const HttpRequest& r) const;
  static HttpResponse NoRouteResponse(const HttpRequest& r, const RouteTable::Lookup& miss);
  // The caller's principal from an API key or a bearer token, if `route` admits it:
  // INVALID_ARGUMENT (both sent), UNAUTHENTICATED (bad credentials, or none where the
  // route needs a principal), INTERNAL.
  absl::StatusOr<Admission> Admit(const HttpRequest& r, const Route& route);
  // 415 when `route` takes a body and the request's Content-Type is not JSON.
  static std::optional<HttpResponse> NotJson(const HttpRequest& r, const Route& route);
  void HandleRoute(std::shared_ptr<Context> context, const RouteTable::Lookup& hit);
  void Finish(const std::shared_ptr<Context>& context, HttpResponse response);
  bool HandleBuiltin(const std::shared_ptr<Context>& context);
  void HandleReadiness(const std::shared_ptr<Context>& context);
  // The authorization metadata to forward for an API-key principal (cached per key).
  absl::StatusOr<std::string> InternalToken(const auth::Principal& principal);
  absl::Time DeadlineFor(const Context& context, const Route& route) const;

  GatewayDependencies deps_;
  GatewayConfig config_;

  std::atomic<bool> draining_{false};
  absl::Mutex readiness_mu_;
  std::vector<BackendHealth> readiness_cache_ ABSL_GUARDED_BY(readiness_mu_);
  absl::Time readiness_checked_ ABSL_GUARDED_BY(readiness_mu_) = absl::InfinitePast();

  absl::Mutex token_mu_;
  struct MintedToken {
    std::string header;
    absl::Time refresh_after;
  };
  std::map<std::string, MintedToken> minted_tokens_ ABSL_GUARDED_BY(token_mu_);
};

// Parses a Grpc-Timeout header value ("100m", "5S", "1H"; at most 8 digits).
std::optional<absl::Duration> ParseGrpcTimeout(absl::string_view value);

}  // namespace gongkai::gateway

#endif  // GONGKAI_GATEWAY_GATEWAY_H_
