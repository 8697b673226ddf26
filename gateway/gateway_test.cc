// The gateway's pipeline through its real HTTP server, in process, in front of a real
// gRPC EchoService (gateway/testdata) that reports what it received. The suite-level
// end-to-end tests (tests/e2e/gateway_e2e_test.cc) run the binaries with the catalog.
#include "gateway/gateway.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <functional>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "gateway/api_keys.h"
#include "gateway/http_server.h"
#include "gmock/gmock.h"
#include "gongkai/gatewaytest/v1/echo.grpc.pb.h"
#include "google/rpc/code.pb.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/health_check_service_interface.h"
#include "gtest/gtest.h"
#include "httplib.h"
#include "libs/auth/jwt_authenticator.h"
#include "libs/auth/token_minter.h"
#include "libs/clock/clock.h"
#include "nlohmann/json.hpp"

namespace gongkai::gateway {
namespace {

using gatewaytest::v1::EchoRequest;
using gatewaytest::v1::EchoResponse;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

constexpr char kSecret[] = "0123456789abcdef0123456789abcdef-gateway-test";
constexpr char kIssuer[] = "gongkai-test";
constexpr char kAudience[] = "gongkai";
constexpr char kApiKey[] = "gk_test_key_for_the_oa_system_0123456789";

// Echoes the request and the metadata; Fail and Slow do what their names say. Slow
// counts the calls that reached it, so tests wait for a call to be in progress instead
// of sleeping and hoping, and returns early once `release_slow` is set.
class EchoServiceImpl final : public gatewaytest::v1::EchoService::Service {
 public:
  std::atomic<int> slow_calls_started{0};
  std::atomic<bool> release_slow{false};

  grpc::Status Echo(grpc::ServerContext* context, const EchoRequest* request,
                    EchoResponse* response) {
    *response->mutable_request() = *request;
    for (const auto& [key, value] : context->client_metadata()) {
      (*response->mutable_metadata())[std::string(key.data(), key.size())] =
          std::string(value.data(), value.size());
    }
    const auto deadline = context->deadline();
    if (deadline != std::chrono::system_clock::time_point::max()) {
      response->set_deadline_millis(std::chrono::duration_cast<std::chrono::milliseconds>(
                                        deadline - std::chrono::system_clock::now())
                                        .count());
    }
    return grpc::Status::OK;
  }
  grpc::Status Get(grpc::ServerContext* c, const EchoRequest* q, EchoResponse* r) override {
    return Echo(c, q, r);
  }
  grpc::Status Create(grpc::ServerContext* c, const EchoRequest* q, EchoResponse* r) override {
    return Echo(c, q, r);
  }
  grpc::Status Replace(grpc::ServerContext* c, const EchoRequest* q, EchoResponse* r) override {
    return Echo(c, q, r);
  }
  grpc::Status Publish(grpc::ServerContext* c, const EchoRequest* q, EchoResponse* r) override {
    return Echo(c, q, r);
  }
  grpc::Status PublicRead(grpc::ServerContext* c, const EchoRequest* q, EchoResponse* r) override {
    return Echo(c, q, r);
  }
  grpc::Status PublicWrite(grpc::ServerContext* c, const EchoRequest* q, EchoResponse* r) override {
    return Echo(c, q, r);
  }
  grpc::Status Fail(grpc::ServerContext*, const EchoRequest* q, EchoResponse*) override {
    const auto code = static_cast<grpc::StatusCode>(q->code());
    if (code != grpc::StatusCode::INVALID_ARGUMENT) return grpc::Status(code, "told to fail");
    google::rpc::Status status;
    status.set_code(q->code());
    status.set_message("title: must not be empty");
    google::rpc::BadRequest bad_request;
    auto* violation = bad_request.add_field_violations();
    violation->set_field("title");
    violation->set_description("must not be empty");
    status.add_details()->PackFrom(bad_request);
    return grpc::Status(code, status.message(), status.SerializeAsString());
  }
  grpc::Status Slow(grpc::ServerContext* c, const EchoRequest* q, EchoResponse* r) override {
    slow_calls_started.fetch_add(1);
    const absl::Time until = absl::Now() + absl::Milliseconds(q->millis());
    while (absl::Now() < until && !c->IsCancelled() && !release_slow.load()) {
      absl::SleepFor(absl::Milliseconds(5));
    }
    return Echo(c, q, r);
  }
};

struct Harness {
  explicit Harness(HttpServerConfig http_config = {}, RateLimitConfig limits = {},
                   std::string backend_address = "", bool trust_forwarded_for = false,
                   std::string backend_name = "gatewaytest") {
    grpc::EnableDefaultHealthCheckService(true);
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    builder.RegisterService(&echo);
    grpc_server = builder.BuildAndStart();
    if (backend_address.empty()) backend_address = absl::StrCat("127.0.0.1:", port);

    routes = *RouteTable::Build(*google::protobuf::DescriptorPool::generated_pool(),
                                {"gongkai.gatewaytest.v1.EchoService"});
    transcoder = std::make_unique<Transcoder>(google::protobuf::DescriptorPool::generated_pool());
    backends = *Backends::Create({{backend_name, backend_address}}, BackendOptions{});
    auth::AuthConfig auth_config;
    auth_config.hs256_secret = kSecret;
    auth_config.issuer = kIssuer;
    auth_config.audience = kAudience;
    authenticator = *auth::NewJwtAuthenticator(auth_config, clock);
    api_keys = *ParseApiKeyStore(
        absl::StrCat(R"({"keys":[{"name":"oa-system","sha256":")", HashApiKeyHex(kApiKey),
                     R"(","subject":"system:oa","unit_id":12,"roles":["STAFF"]}]})"));
    rate_limiter = *NewTokenBucketRateLimiter(limits, limiter_clock);
    CorsConfig cors_config;
    cors_config.allowed_origins = {"https://portal.example.gov.cn"};
    cors = std::make_unique<CorsPolicy>(*CorsPolicy::Create(cors_config));
    metrics = std::make_unique<GatewayMetrics>(&registry);

    GatewayDependencies deps;
    deps.routes = &routes;
    deps.transcoder = transcoder.get();
    deps.backends = backends.get();
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
    config.default_deadline = absl::Seconds(5);
    config.max_deadline = absl::Seconds(20);
    config.access_log = false;
    config.trust_forwarded_for = trust_forwarded_for;
    // One health round may have to connect first; on a loaded CI machine that can take
    // longer than the 1 s default, and a slow answer would read as "backend down".
    config.readiness_timeout = absl::Seconds(10);
    gateway = std::make_unique<Gateway>(deps, config);
    http_config.address = "127.0.0.1:0";
    http = *HttpServer::Start(http_config, gateway.get());
    client = std::make_unique<httplib::Client>("127.0.0.1", http->port());
    client->set_read_timeout(10, 0);
  }
  ~Harness() {
    http->Shutdown(absl::Seconds(1));
    backends->Shutdown();
    grpc_server->Shutdown(std::chrono::system_clock::now());
  }

  // A token that expires `expires_in` from now (negative: already expired).
  std::string Token(absl::Duration expires_in = absl::Minutes(5),
                    const std::string& secret = kSecret) {
    auth::Claims claims;
    claims.subject = "alice";
    claims.unit_id = 3;
    claims.roles = {"STAFF"};
    claims.issuer = kIssuer;
    claims.audience = {kAudience};
    claims.issued_at = absl::Now() - absl::Hours(1);
    return absl::StrCat("Bearer ", *auth::MintHs256(claims, secret, absl::Hours(1) + expires_in));
  }

  EchoServiceImpl echo;
  std::unique_ptr<grpc::Server> grpc_server;
  RealClock clock;
  // The buckets refill only when a test says so: on a slow machine real time passing
  // between requests would otherwise hand out extra tokens and shift Retry-After.
  FakeClock limiter_clock{absl::Now()};
  RouteTable routes;
  std::unique_ptr<Transcoder> transcoder;
  std::unique_ptr<Backends> backends;
  std::unique_ptr<auth::Authenticator> authenticator;
  std::unique_ptr<ApiKeyStore> api_keys;
  std::unique_ptr<RateLimiter> rate_limiter;
  std::unique_ptr<CorsPolicy> cors;
  metrics::Registry registry;
  std::unique_ptr<GatewayMetrics> metrics;
  std::unique_ptr<Gateway> gateway;
  std::unique_ptr<HttpServer> http;
  std::unique_ptr<httplib::Client> client;
};

nlohmann::json Json(const httplib::Result& r) { return nlohmann::json::parse(r->body); }

// Polls `condition` every 5 ms until it holds or `timeout` passes; returns whether it
// held. The timeouts given are generous: they only bound how long a broken test hangs.
bool WaitUntil(const std::function<bool()>& condition, absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  while (!condition()) {
    if (absl::Now() >= deadline) return false;
    absl::SleepFor(absl::Milliseconds(5));
  }
  return true;
}

// Sends raw bytes and returns everything the server answers before closing. Each read
// waits up to `wait`; `closed_by_server`, when given, tells whether the exchange ended
// because the server closed the connection (rather than because a read timed out).
std::string RawExchange(int port, const std::string& bytes, absl::Duration wait,
                        bool* closed_by_server = nullptr) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) return "connect failed";
  (void)!write(fd, bytes.data(), bytes.size());
  timeval tv{static_cast<time_t>(absl::ToInt64Seconds(wait)), 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  std::string out;
  char buf[4096];
  ssize_t n;
  while ((n = read(fd, buf, sizeof(buf))) > 0) out.append(buf, static_cast<size_t>(n));
  const bool timed_out = n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
  if (closed_by_server != nullptr) *closed_by_server = !timed_out;
  close(fd);
  return out;
}

TEST(GatewayTest, PublicReadNeedsNoTokenAndAnswersProto3Json) {
  Harness h;
  httplib::Result r = h.client->Get("/v1/public/echo?displayName=x&color=COLOR_RED&tags=a&tags=b");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->get_header_value("content-type"), "application/json");
  nlohmann::json body = Json(r);
  EXPECT_EQ(body["request"]["displayName"], "x");
  EXPECT_EQ(body["request"]["color"], "COLOR_RED");
  EXPECT_EQ(body["request"]["tags"], nlohmann::json::array({"a", "b"}));
  EXPECT_EQ(body["request"]["id"], "0");  // Defaults are emitted; int64 as a string.
}

TEST(GatewayTest, AuthenticatedRouteWithoutPrincipalIs401WithChallenge) {
  Harness h;
  httplib::Result r = h.client->Get("/v1/echo/5");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 401);
  EXPECT_THAT(r->get_header_value("www-authenticate"), StartsWith("Bearer"));
  EXPECT_EQ(Json(r)["code"], 16);
  EXPECT_THAT(Json(r)["message"].get<std::string>(), HasSubstr("needs a principal"));
}

TEST(GatewayTest, BearerTokenIsVerifiedAndForwarded) {
  Harness h;
  const std::string token = h.Token();
  httplib::Result r = h.client->Get("/v1/echo/5", {{"Authorization", token}});
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(Json(r)["metadata"]["authorization"], token);
  EXPECT_EQ(Json(r)["request"]["id"], "5");
}

TEST(GatewayTest, BadSignatureExpiredAndMalformedTokensAre401) {
  Harness h;
  for (const std::string& header :
       {h.Token(absl::Minutes(5), "another-secret-that-is-long-enough-000000"),
        h.Token(-absl::Minutes(5)), std::string("Bearer not.a.jwt"), std::string("Basic abc")}) {
    httplib::Result r = h.client->Get("/v1/echo/5", {{"Authorization", header}});
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 401) << header;
    EXPECT_EQ(Json(r)["code"], 16);
  }
  // A bad token is refused even on a public route: presenting one is a claim.
  httplib::Result r = h.client->Get("/v1/public/echo", {{"Authorization", "Bearer x.y.z"}});
  EXPECT_EQ(r->status, 401);
}

TEST(GatewayTest, ApiKeyBecomesAMintedTokenForItsPrincipal) {
  Harness h;
  httplib::Result r = h.client->Get("/v1/echo/5", {{"X-Api-Key", kApiKey}});
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  const std::string forwarded = Json(r)["metadata"]["authorization"];
  ASSERT_THAT(forwarded, StartsWith("Bearer "));
  absl::StatusOr<auth::Principal> p = h.authenticator->VerifyToken(forwarded.substr(7));
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->subject, "system:oa");
  EXPECT_EQ(p->unit_id, 12);
  EXPECT_TRUE(p->roles.Contains(auth::Role::kStaff));

  r = h.client->Get("/v1/echo/5", {{"X-Api-Key", "gk_wrong"}});
  EXPECT_EQ(r->status, 401);
  r = h.client->Get("/v1/echo/5", {{"X-Api-Key", kApiKey}, {"Authorization", h.Token()}});
  EXPECT_EQ(r->status, 400);
}

TEST(GatewayTest, RequestIdTraceparentForwardedForAndDeadlineReachTheBackend) {
  Harness h;
  httplib::Result r =
      h.client->Get("/v1/public/echo",
                    {{"X-Request-Id", "abc-123"},
                     {"traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"},
                     {"X-Forwarded-For", "203.0.113.7"},
                     {"Grpc-Timeout", "1500m"}});
  ASSERT_TRUE(r);
  nlohmann::json metadata = Json(r)["metadata"];
  EXPECT_EQ(metadata["x-request-id"], "abc-123");
  EXPECT_EQ(r->get_header_value("x-request-id"), "abc-123");
  EXPECT_EQ(metadata["traceparent"], "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
  EXPECT_EQ(metadata["x-forwarded-for"], "203.0.113.7, 127.0.0.1");
  const int64_t deadline = std::stoll(Json(r)["deadlineMillis"].get<std::string>());
  // The asked 1.5 s, not the 5 s default. gRPC rounds the timeout it sends up to 10 ms
  // units and measures it against a clock cached per callback batch, so the backend may
  // see a few milliseconds more than was asked; the bound leaves room for that slop.
  EXPECT_GT(deadline, 1000);
  EXPECT_LE(deadline, 1600);

  r = h.client->Get("/v1/public/echo", {{"X-Request-Id", "bad id with spaces"}});
  EXPECT_EQ(r->get_header_value("x-request-id").size(), 32u);  // Generated instead.
  const int64_t default_deadline = std::stoll(Json(r)["deadlineMillis"].get<std::string>());
  EXPECT_GT(default_deadline, 4000);  // The configured 5 s default.
}

TEST(GatewayTest, DeadlineExceededIs504) {
  Harness h;
  httplib::Result r = h.client->Get("/v1/slow/2000", {{"Grpc-Timeout", "100m"}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 504);
  EXPECT_EQ(Json(r)["code"], 4);
}

TEST(GatewayTest, GrpcCodesMapToHttpStatusesWithStatusBodies) {
  Harness h;
  const std::pair<int, int> expected[] = {
      {3, 400},  {5, 404},  {6, 409},  {7, 403},  {8, 429},  {9, 400}, {10, 409}, {11, 400},
      {12, 501}, {13, 500}, {14, 503}, {15, 500}, {16, 401}, {2, 500}, {4, 504},  {1, 500},
  };
  for (const auto& [code, http_status] : expected) {
    httplib::Result r = h.client->Get(absl::StrCat("/v1/fail/", code));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, http_status) << "code " << code;
    EXPECT_EQ(Json(r)["code"], code);
  }
  httplib::Result r = h.client->Get("/v1/fail/3");
  nlohmann::json body = Json(r);
  ASSERT_EQ(body["details"].size(), 1u);
  EXPECT_EQ(body["details"][0]["@type"], "type.googleapis.com/google.rpc.BadRequest");
  EXPECT_EQ(body["details"][0]["fieldViolations"][0]["field"], "title");
}

TEST(GatewayTest, GatewayRefusalsUseStatusBodies) {
  HttpServerConfig small;
  small.max_body_bytes = 2048;
  small.max_header_bytes = 2048;
  Harness h(small);
  const httplib::Headers auth = {{"Authorization", h.Token()}};

  httplib::Result r = h.client->Get("/v1/nowhere");
  EXPECT_EQ(r->status, 404);
  EXPECT_EQ(Json(r)["code"], 5);

  r = h.client->Post("/v1/echo/5", auth, "{}", "application/json");
  EXPECT_EQ(r->status, 405);
  EXPECT_EQ(r->get_header_value("allow"), "DELETE, GET, PUT");

  r = h.client->Put("/v1/echo/5", auth, "name=x", "application/x-www-form-urlencoded");
  EXPECT_EQ(r->status, 415);

  r = h.client->Put("/v1/echo/5", auth, R"({"name": )", "application/json");
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(Json(r)["details"][0]["fieldViolations"][0]["field"], "body");

  r = h.client->Put("/v1/echo/5", auth, R"({"nmae": "x"})", "application/json");
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(Json(r)["details"][0]["fieldViolations"][0]["field"], "nmae");

  r = h.client->Put("/v1/echo/5", auth, R"({"name": 5})", "application/json; charset=utf-8");
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(Json(r)["details"][0]["fieldViolations"][0]["field"], "name");

  r = h.client->Put("/v1/echo/5", auth, std::string(4096, ' '), "application/json");
  EXPECT_EQ(r->status, 413);
  EXPECT_EQ(Json(r)["code"], 3);

  httplib::Headers big = auth;
  big.emplace("X-Padding", std::string(4096, 'a'));
  r = h.client->Get("/v1/echo/5", big);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 431);
}

// "Expect: 100-continue": a request refused from its head alone is answered before its
// body is invited, so a refused upload never sends it; an admitted one gets 100 first.
TEST(GatewayTest, ExpectContinueUploadsAreRefusedBeforeTheBodyIsSent) {
  Harness h;
  const std::string token = h.Token();
  const auto head = [](absl::string_view method, absl::string_view path, absl::string_view extra) {
    return absl::StrCat(method, " ", path,
                        " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                        "Content-Length: 20\r\nExpect: 100-continue\r\n",
                        extra, "\r\n");
  };
  struct Case {
    std::string request;
    std::string status_line;
  } cases[] = {
      {head("PUT", "/v1/echo/5", ""), "HTTP/1.1 401"},
      {head("PUT", "/v1/echo/5", "Authorization: Bearer not-a-token\r\n"), "HTTP/1.1 401"},
      {head("PUT", "/v1/nowhere", absl::StrCat("Authorization: ", token, "\r\n")), "HTTP/1.1 404"},
      {head("POST", "/v1/echo/5", absl::StrCat("Authorization: ", token, "\r\n")), "HTTP/1.1 405"},
      {absl::StrReplaceAll(
           head("PUT", "/v1/echo/5", absl::StrCat("Authorization: ", token, "\r\n")),
           {{"application/json", "text/plain"}}),
       "HTTP/1.1 415"},
  };
  for (const Case& c : cases) {
    bool closed = false;
    // Only the head is sent: the answer must come without the body.
    const std::string answer = RawExchange(h.http->port(), c.request, absl::Seconds(30), &closed);
    EXPECT_TRUE(absl::StartsWith(answer, c.status_line)) << c.request << "\n---\n" << answer;
    EXPECT_THAT(answer, Not(HasSubstr("100 Continue"))) << c.request;
    EXPECT_THAT(answer, HasSubstr("x-request-id")) << answer;
    EXPECT_TRUE(closed) << "the unread body must not be taken for a next request";
  }

  // Admitted: 100 Continue, then the answer to the body.
  const std::string body = R"({"name":"xxxxxxxxx"})";
  ASSERT_EQ(body.size(), 20u);
  const std::string answer = RawExchange(
      h.http->port(),
      absl::StrCat(head("PUT", "/v1/echo/5",
                        absl::StrCat("Authorization: ", token, "\r\nConnection: close\r\n")),
                   body),
      absl::Seconds(30));
  EXPECT_TRUE(absl::StartsWith(answer, "HTTP/1.1 100 Continue")) << answer;
  EXPECT_THAT(answer, HasSubstr("HTTP/1.1 200 OK")) << answer;
}

TEST(GatewayTest, MalformedHttpIs400AndSlowClientsAreCutOff) {
  HttpServerConfig quick;
  quick.request_timeout = absl::Milliseconds(300);
  Harness h(quick);
  // The server answers and closes, so the generous read timeout costs nothing.
  EXPECT_THAT(RawExchange(h.http->port(), "GARBAGE\r\n\r\n", absl::Seconds(30)),
              StartsWith("HTTP/1.1 400"));
  EXPECT_THAT(RawExchange(h.http->port(), "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
                          absl::Seconds(30)),
              StartsWith("HTTP/1.1 400"));
  // Half a request, then nothing: the gateway closes the connection after 300 ms. The
  // client waits far longer, so only the gateway can end the exchange; the elapsed bound
  // has room for a loaded machine and still proves the cut-off is not waiting for us.
  const absl::Time start = absl::Now();
  bool closed_by_server = false;
  EXPECT_EQ(RawExchange(h.http->port(), "GET /healthz HTTP/1.1\r\nHost:", absl::Seconds(30),
                        &closed_by_server),
            "");
  EXPECT_TRUE(closed_by_server) << "the gateway kept a half-sent request's connection open";
  EXPECT_LT(absl::Now() - start, absl::Seconds(10));
}

TEST(GatewayTest, CorsAllowsListedOriginsOnly) {
  Harness h;
  httplib::Result r = h.client->Options(
      "/v1/echo/5", {{"Origin", "https://portal.example.gov.cn"},
                     {"Access-Control-Request-Method", "PUT"},
                     {"Access-Control-Request-Headers", "authorization, content-type"}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 204);
  EXPECT_EQ(r->get_header_value("access-control-allow-origin"), "https://portal.example.gov.cn");
  EXPECT_THAT(r->get_header_value("access-control-allow-methods"), HasSubstr("PUT"));

  r = h.client->Options("/v1/echo/5", {{"Origin", "https://evil.example.com"},
                                       {"Access-Control-Request-Method", "GET"}});
  EXPECT_EQ(r->status, 403);
  EXPECT_FALSE(r->has_header("access-control-allow-origin"));

  r = h.client->Get("/v1/public/echo", {{"Origin", "https://portal.example.gov.cn"}});
  EXPECT_EQ(r->get_header_value("access-control-allow-origin"), "https://portal.example.gov.cn");
  r = h.client->Get("/v1/public/echo", {{"Origin", "https://evil.example.com"}});
  EXPECT_EQ(r->status, 200);
  EXPECT_FALSE(r->has_header("access-control-allow-origin"));
}

TEST(GatewayTest, AnonymousWritesHitTheStricterLimitWithRetryAfter) {
  RateLimitConfig limits;
  limits.anonymous_write = {0.1, 2};
  Harness h({}, limits);
  for (int i = 0; i < 2; ++i) {
    httplib::Result r = h.client->Post("/v1/public/echo", "{}", "application/json");
    EXPECT_EQ(r->status, 200);
  }
  httplib::Result r = h.client->Post("/v1/public/echo", "{}", "application/json");
  EXPECT_EQ(r->status, 429);
  EXPECT_EQ(Json(r)["code"], 8);
  EXPECT_EQ(r->get_header_value("retry-after"), "10");
  // Reads have their own bucket; authenticated callers theirs.
  EXPECT_EQ(h.client->Get("/v1/public/echo")->status, 200);
  EXPECT_EQ(
      h.client->Post("/v1/public/echo", {{"Authorization", h.Token()}}, "{}", "application/json")
          ->status,
      200);
}

TEST(GatewayTest, HealthReadinessAndMetrics) {
  Harness h;
  EXPECT_EQ(h.client->Get("/healthz")->status, 200);
  httplib::Result ready = h.client->Get("/readyz");
  EXPECT_EQ(ready->status, 200) << ready->body;
  h.client->Get("/v1/public/echo");
  httplib::Result metrics = h.client->Get("/metrics");
  EXPECT_EQ(metrics->status, 200);
  EXPECT_THAT(
      metrics->body,
      HasSubstr(R"(http_requests_total{code="200",method="GET",route="/v1/public/echo"} 1)"));
  EXPECT_THAT(metrics->body, HasSubstr("http_request_duration_seconds_bucket"));
  EXPECT_THAT(metrics->body, HasSubstr("http_requests_in_flight"));

  Harness down({}, {}, "127.0.0.1:1");
  httplib::Result not_ready = down.client->Get("/readyz");
  EXPECT_EQ(not_ready->status, 503);
  EXPECT_THAT(Json(not_ready)["message"].get<std::string>(), HasSubstr("gatewaytest"));
  httplib::Result call = down.client->Get("/v1/public/echo");
  EXPECT_EQ(call->status, 503);
  EXPECT_THAT(
      down.client->Get("/metrics")->body,
      HasSubstr(R"(gateway_upstream_errors_total{backend="gatewaytest",code="UNAVAILABLE"} 1)"));
}

TEST(GatewayTest, TooManyConcurrentRequestsAre503) {
  HttpServerConfig one;
  one.max_in_flight = 1;
  Harness h(one);
  // The slow call holds the one slot until the test releases it (its 20 s deadline only
  // bounds a broken run), so the second request cannot miss the window on a slow machine.
  int slow_status = 0;
  std::thread slow([&] {
    httplib::Client c("127.0.0.1", h.http->port());
    c.set_read_timeout(60, 0);
    httplib::Result r = c.Get("/v1/slow/60000", {{"Grpc-Timeout", "20S"}});
    if (r) slow_status = r->status;
  });
  const bool started =
      WaitUntil([&] { return h.echo.slow_calls_started.load() == 1; }, absl::Seconds(60));
  EXPECT_TRUE(started) << "the slow call never reached the backend";
  if (started) {
    EXPECT_EQ(h.http->in_flight(), 1);
    httplib::Result r = h.client->Get("/v1/public/echo");
    EXPECT_TRUE(r);
    if (r) {
      EXPECT_EQ(r->status, 503);
      EXPECT_EQ(r->get_header_value("retry-after"), "1");
    }
  }
  h.echo.release_slow = true;
  slow.join();
  EXPECT_EQ(slow_status, 200);
  // The slot is given back before the response is written, so it is free by now.
  EXPECT_EQ(h.client->Get("/v1/public/echo")->status, 200);
}

TEST(GatewayTest, KeepAliveServesManyRequestsOnOneConnection) {
  Harness h;
  h.client->set_keep_alive(true);
  for (int i = 0; i < 30; ++i) ASSERT_EQ(h.client->Get("/v1/public/echo")->status, 200);
}

TEST(GatewayTest, PreflightCarriesExactlyOneAllowOrigin) {
  Harness h;
  httplib::Result r = h.client->Options("/v1/echo/5", {{"Origin", "https://portal.example.gov.cn"},
                                                       {"Access-Control-Request-Method", "PUT"}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 204);
  EXPECT_EQ(r->headers.count("Access-Control-Allow-Origin"), 1u);
  EXPECT_FALSE(r->has_header("Content-Type"));
  // The verb route only takes POST, so a preflight for GET on it is refused.
  r = h.client->Options("/v1/echo/5:publish", {{"Origin", "https://portal.example.gov.cn"},
                                               {"Access-Control-Request-Method", "GET"}});
  EXPECT_EQ(r->status, 403);
}

TEST(GatewayTest, HeaderValuesGrpcCannotCarryNeverReachTheBackend) {
  Harness h;
  // A tab in traceparent and a non-ASCII X-Forwarded-For: the gateway must neither
  // crash nor forward them.
  std::string answer =
      RawExchange(h.http->port(),
                  "GET /v1/public/echo HTTP/1.1\r\nHost: x\r\ntraceparent: 00-a\tb\r\n"
                  "X-Forwarded-For: \xc3\xa9, 198.51.100.4\r\nConnection: close\r\n\r\n",
                  absl::Seconds(5));
  ASSERT_THAT(answer, StartsWith("HTTP/1.1 200"));
  nlohmann::json body = nlohmann::json::parse(answer.substr(answer.find("\r\n\r\n") + 4));
  EXPECT_FALSE(body["metadata"].contains("traceparent"));
  EXPECT_EQ(body["metadata"]["x-forwarded-for"], "198.51.100.4, 127.0.0.1");
  EXPECT_EQ(h.client->Get("/healthz")->status, 200);  // Still alive.
}

TEST(GatewayTest, TrustedForwardedForUsesTheAddressTheProxyAppended) {
  RateLimitConfig limits;
  limits.anonymous_write = {0.1, 1};
  Harness h({}, limits, "", /*trust_forwarded_for=*/true);
  // A client cannot pick a fresh bucket by inventing the first entry.
  EXPECT_EQ(h.client
                ->Post("/v1/public/echo", {{"X-Forwarded-For", "10.0.0.1, 203.0.113.9"}}, "{}",
                       "application/json")
                ->status,
            200);
  EXPECT_EQ(h.client
                ->Post("/v1/public/echo", {{"X-Forwarded-For", "10.0.0.2, 203.0.113.9"}}, "{}",
                       "application/json")
                ->status,
            429);
  EXPECT_EQ(
      h.client
          ->Post("/v1/public/echo", {{"X-Forwarded-For", "203.0.113.10"}}, "{}", "application/json")
          ->status,
      200);
}

TEST(GatewayTest, ClientMistakesInValuesAre400NeverServerErrors) {
  Harness h;
  const httplib::Headers auth = {{"Authorization", h.Token()}};
  // GBK bytes where UTF-8 is required.
  httplib::Result r = h.client->Get("/v1/public/echo?displayName=%D5%FE%CE%F1");
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(Json(r)["details"][0]["fieldViolations"][0]["field"], "displayName");
  // A singular field given twice.
  r = h.client->Get("/v1/public/echo?millis=1&millis=2");
  EXPECT_EQ(r->status, 400);
  // A named body cannot reach other fields of the request.
  r = h.client->Post("/v1/echo", auth, R"({"label":"x"},"name":"smuggled")", "application/json");
  EXPECT_EQ(r->status, 400);
  // A lone surrogate escape in a JSON string.
  r = h.client->Put("/v1/echo/1", auth, R"({"name":"\udc00"})", "application/json");
  EXPECT_EQ(r->status, 400) << r->body;
}

TEST(GatewayTest, HeadIsAnsweredWhereGetIsWithoutABody) {
  Harness h;
  std::string answer = RawExchange(
      h.http->port(), "HEAD /v1/public/echo HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
      absl::Seconds(5));
  ASSERT_THAT(answer, StartsWith("HTTP/1.1 200"));
  EXPECT_THAT(answer, HasSubstr("Content-Length: "));
  EXPECT_THAT(answer, Not(HasSubstr("Content-Length: 0")));
  EXPECT_EQ(answer.substr(answer.find("\r\n\r\n") + 4), "");
}

// Routed services without an address are named NOT_CONFIGURED but do not make the
// gateway unready: a deployment runs the services it has (issue 9: the descriptors hold
// the next service's routes before every deployment runs it).
TEST(GatewayTest, ReadinessNamesBackendsWithoutAnAddress) {
  Harness h({}, {}, "", false, /*backend_name=*/"someone-else");
  httplib::Result r = h.client->Get("/readyz");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200) << r->body;
  EXPECT_THAT(r->body, HasSubstr("\"backend\":\"gatewaytest\",\"status\":\"NOT_CONFIGURED\""));
}

TEST(GatewayTest, ShutdownCancelsCallsThatOutliveTheGracePeriod) {
  Harness h;
  // Left alone, the call would run until its 20 s deadline; the bound below is half that,
  // so it separates "cancelled" from "waited for" with room for a loaded machine.
  std::thread slow([&] {
    httplib::Client c("127.0.0.1", h.http->port());
    c.set_read_timeout(60, 0);
    c.Get("/v1/slow/60000", {{"Grpc-Timeout", "20S"}});
  });
  // Shut down only once the call is really in progress at the backend.
  EXPECT_TRUE(WaitUntil([&] { return h.echo.slow_calls_started.load() == 1; }, absl::Seconds(60)))
      << "the slow call never reached the backend";
  const absl::Time start = absl::Now();
  h.gateway->StartDraining();
  h.http->Shutdown(absl::Milliseconds(100));
  h.backends->Shutdown();  // Returns once the cancelled call's completion has run.
  EXPECT_LT(absl::Now() - start, absl::Seconds(10));
  slow.join();
}

TEST(ParseGrpcTimeoutTest, UnitsAndRejects) {
  EXPECT_EQ(ParseGrpcTimeout("100m"), absl::Milliseconds(100));
  EXPECT_EQ(ParseGrpcTimeout("2S"), absl::Seconds(2));
  EXPECT_EQ(ParseGrpcTimeout("1H"), absl::Hours(1));
  EXPECT_EQ(ParseGrpcTimeout("5u"), absl::Microseconds(5));
  EXPECT_FALSE(ParseGrpcTimeout("100").has_value());
  EXPECT_FALSE(ParseGrpcTimeout("m").has_value());
  EXPECT_FALSE(ParseGrpcTimeout("123456789S").has_value());
  EXPECT_FALSE(ParseGrpcTimeout("-1S").has_value());
}

}  // namespace
}  // namespace gongkai::gateway
