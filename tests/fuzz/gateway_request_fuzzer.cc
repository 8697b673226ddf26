// The gateway's whole request handling up to the gRPC call (gateway/gateway.cc): routing
// over every gongkai route, API keys and bearer tokens, the Grpc-Timeout and other
// headers, CORS, content type, transcoding of path, query and JSON body. The backend is a
// stand-in that answers at once, alternately with the request bytes as the response and
// with an error whose details are those bytes, so the response side is fuzzed as well.
//
// Input: an HTTP/1.1 request head and body as the server hands them over:
//   "<METHOD> <target>\n<name>: <value>\n...\n\n<body>"
// In header values "$TOKEN" becomes a valid bearer token (STAFF of unit 3) and "$APIKEY"
// the configured API key, so seeds reach the authenticated routes.
// Properties: nothing crashes; every request is answered exactly once, synchronously,
// with a status 100..599; a JSON answer is valid JSON; the metrics stay bounded
// (request data never becomes a label value).
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "gateway/api_keys.h"
#include "gateway/gateway.h"
#include "libs/auth/jwt_authenticator.h"
#include "libs/auth/token_minter.h"
#include "libs/clock/clock.h"
#include "libs/log/log.h"
#include "nlohmann/json.hpp"
#include "tests/fuzz/fuzz_check.h"

namespace {

using namespace gongkai::gateway;

constexpr char kSecret[] = "fuzz-secret-0123456789abcdef0123456789";
constexpr char kIssuer[] = "gongkai-fuzz";
constexpr char kAudience[] = "gongkai";
constexpr char kApiKey[] = "gk_fuzz_key_for_the_oa_system_0123456789";

class ImmediateBackends final : public Backends {
 public:
  bool Has(absl::string_view) const override { return true; }
  void Call(absl::string_view, const std::string&, const std::string& request, const CallOptions&,
            CallDone done) override {
    if (request.size() % 2 == 0) {
      done(grpc::Status::OK, request);
    } else {
      done(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "refused", request), "");
    }
  }
  void CheckHealth(absl::Duration, std::function<void(std::vector<BackendHealth>)> done) override {
    done({BackendHealth{"catalog", "127.0.0.1:1", true, "SERVING"}});
  }
  void Shutdown() override {}
};

struct Fixture {
  gongkai::FakeClock clock{absl::FromUnixSeconds(1767225600)};
  std::unique_ptr<Descriptors> descriptors;
  RouteTable routes;
  std::unique_ptr<Transcoder> transcoder;
  ImmediateBackends backends;
  std::unique_ptr<gongkai::auth::Authenticator> authenticator;
  std::unique_ptr<ApiKeyStore> api_keys;
  std::unique_ptr<RateLimiter> rate_limiter;
  std::unique_ptr<CorsPolicy> cors;
  gongkai::metrics::Registry registry;
  std::unique_ptr<GatewayMetrics> metrics;
  std::unique_ptr<Gateway> gateway;
  std::string token;

  Fixture() {
    gongkai::log::SetMinLevel(gongkai::log::Level::kError);
    descriptors = *Descriptors::Load(EmbeddedDescriptorSet());
    routes = *RouteTable::Build(descriptors->pool(), descriptors->annotated_services());
    transcoder = std::make_unique<Transcoder>(&descriptors->pool());
    gongkai::auth::AuthConfig auth_config;
    auth_config.hs256_secret = kSecret;
    auth_config.issuer = kIssuer;
    auth_config.audience = kAudience;
    authenticator = *gongkai::auth::NewJwtAuthenticator(auth_config, clock);
    api_keys = *ParseApiKeyStore(
        absl::StrCat(R"({"keys":[{"name":"oa-system","sha256":")", HashApiKeyHex(kApiKey),
                     R"(","subject":"system:oa","unit_id":12,"roles":["STAFF"]}]})"));
    // Unlimited: a limiter that runs dry would answer every later input with 429.
    RateLimitConfig limits;
    limits.authenticated = {0, 0};
    limits.anonymous_read = {0, 0};
    limits.anonymous_write = {0, 0};
    rate_limiter = *NewTokenBucketRateLimiter(limits, clock);
    CorsConfig cors_config;
    cors_config.allowed_origins = {"https://portal.example.gov.cn"};
    cors = std::make_unique<CorsPolicy>(*CorsPolicy::Create(cors_config));
    metrics = std::make_unique<GatewayMetrics>(&registry);
    GatewayDependencies deps;
    deps.routes = &routes;
    deps.transcoder = transcoder.get();
    deps.backends = &backends;
    deps.authenticator = authenticator.get();
    deps.api_keys = api_keys.get();
    deps.rate_limiter = rate_limiter.get();
    deps.cors = cors.get();
    deps.registry = &registry;
    deps.metrics = metrics.get();
    deps.clock = &clock;
    GatewayConfig config;
    config.internal_token_secret = kSecret;
    config.internal_token_issuer = kIssuer;
    config.internal_token_audience = kAudience;
    config.access_log = false;
    gateway = std::make_unique<Gateway>(deps, config);

    gongkai::auth::Claims claims;
    claims.subject = "alice";
    claims.unit_id = 3;
    claims.roles = {"STAFF"};
    claims.issuer = kIssuer;
    claims.audience = {kAudience};
    claims.issued_at = clock.Now();
    token = *gongkai::auth::MintHs256(claims, kSecret, absl::Hours(1));
  }
};

// The request as the HTTP server would hand it over; false when the head is unusable
// (the server answers 400 itself then).
bool ParseRequest(absl::string_view input, const Fixture& fixture, HttpRequest* request) {
  const size_t head_end = input.find("\n\n");
  const absl::string_view head = input.substr(0, head_end);
  request->body =
      std::string(head_end == absl::string_view::npos ? "" : input.substr(head_end + 2));
  std::vector<absl::string_view> lines = absl::StrSplit(head, '\n');
  const absl::string_view request_line = lines[0];
  const size_t space = request_line.find(' ');
  if (space == absl::string_view::npos || space == 0) return false;
  request->method = std::string(request_line.substr(0, space));
  const absl::string_view target = request_line.substr(space + 1);
  const size_t question = target.find('?');
  request->path = std::string(target.substr(0, question));
  if (question != absl::string_view::npos)
    request->query = std::string(target.substr(question + 1));
  for (size_t i = 1; i < lines.size(); ++i) {
    const size_t colon = lines[i].find(':');
    if (colon == absl::string_view::npos) return false;
    std::string value(absl::StripAsciiWhitespace(lines[i].substr(colon + 1)));
    value = absl::StrReplaceAll(value, {{"$TOKEN", fixture.token}, {"$APIKEY", kApiKey}});
    request->headers.emplace_back(absl::AsciiStrToLower(lines[i].substr(0, colon)),
                                  std::move(value));
  }
  request->peer_address = "203.0.113.7:40000";
  request->received = fixture.clock.Now();
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Fixture* fixture = new Fixture();
  static uint64_t runs = 0;
  HttpRequest request;
  if (!ParseRequest(absl::string_view(reinterpret_cast<const char*>(data), size), *fixture,
                    &request)) {
    return 0;
  }
  int answers = 0;
  HttpResponse response;
  auto respond = [&answers, &response](HttpResponse r) {
    ++answers;
    response = std::move(r);
  };
  if (!fixture->gateway->RefuseBeforeBody(request, respond)) {
    fixture->gateway->Handle(std::move(request), respond);
  }
  FUZZ_CHECK(answers == 1);
  FUZZ_CHECK(response.status >= 100 && response.status <= 599);
  if (absl::StartsWith(response.content_type, "application/json")) {
    FUZZ_CHECK(nlohmann::json::accept(response.body));
  }
  if (++runs % 4096 == 0) {
    // Labels come from fixed sets (routes, methods, codes): the exposition stays small.
    FUZZ_CHECK(fixture->registry.Serialize().size() < 4 * 1024 * 1024);
  }
  return 0;
}
