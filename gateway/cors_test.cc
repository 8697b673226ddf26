#include "gateway/cors.h"

#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"

namespace gongkai::gateway {
namespace {

using ::testing::AllOf;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::Pair;

constexpr char kPortal[] = "https://portal.example.gov.cn";
const std::vector<std::string> kGetPost = {"GET", "POST"};

CorsPolicy MakePolicy(std::vector<std::string> origins, bool credentials = false) {
  CorsConfig config;
  config.allowed_origins = std::move(origins);
  config.allow_credentials = credentials;
  absl::StatusOr<CorsPolicy> policy = CorsPolicy::Create(config);
  EXPECT_TRUE(policy.ok()) << policy.status();
  return *std::move(policy);
}

std::string Header(const HeaderList& headers, absl::string_view name) {
  for (const auto& [key, value] : headers) {
    if (key == name) return value;
  }
  return "<absent>";
}

TEST(CorsPolicyTest, PreflightFromAllowedOriginIsAnswered) {
  CorsPolicy policy = MakePolicy({kPortal});
  PreflightAnswer answer =
      policy.Preflight(kPortal, "POST", "Content-Type, Authorization", kGetPost);
  ASSERT_TRUE(answer.allowed) << answer.refusal_reason;
  EXPECT_EQ(Header(answer.headers, "Access-Control-Allow-Origin"), kPortal);
  EXPECT_EQ(Header(answer.headers, "Access-Control-Allow-Methods"), "GET, POST");
  EXPECT_THAT(Header(answer.headers, "Access-Control-Allow-Headers"),
              AllOf(HasSubstr("authorization"), HasSubstr("content-type"), HasSubstr("x-api-key")));
  EXPECT_EQ(Header(answer.headers, "Access-Control-Max-Age"), "600");
  EXPECT_EQ(Header(answer.headers, "Access-Control-Allow-Credentials"), "<absent>");
  EXPECT_THAT(Header(answer.headers, "Vary"), HasSubstr("Origin"));
}

TEST(CorsPolicyTest, PreflightFromOtherOriginIsRefusedWithoutEchoingIt) {
  CorsPolicy policy = MakePolicy({kPortal});
  PreflightAnswer answer = policy.Preflight("https://evil.example", "GET", "", kGetPost);
  EXPECT_FALSE(answer.allowed);
  EXPECT_EQ(answer.refusal_reason, "origin is not allowed");
  EXPECT_THAT(answer.headers, ElementsAre(Pair("Vary", HasSubstr("Origin"))));
}

TEST(CorsPolicyTest, OriginMatchIsExactNotASuffixOrPrefix) {
  CorsPolicy policy = MakePolicy({kPortal});
  EXPECT_FALSE(policy.IsOriginAllowed("https://portal.example.gov.cn.evil.example"));
  EXPECT_FALSE(policy.IsOriginAllowed("https://evilportal.example.gov.cn"));
  EXPECT_FALSE(policy.IsOriginAllowed("http://portal.example.gov.cn"));
  EXPECT_FALSE(policy.IsOriginAllowed("https://portal.example.gov.cn:8443"));
  EXPECT_FALSE(policy.IsOriginAllowed("null"));
  EXPECT_FALSE(policy.IsOriginAllowed(""));
  EXPECT_TRUE(policy.IsOriginAllowed(kPortal));
}

TEST(CorsPolicyTest, PreflightForUnroutedMethodIsRefused) {
  CorsPolicy policy = MakePolicy({kPortal});
  PreflightAnswer answer = policy.Preflight(kPortal, "DELETE", "", kGetPost);
  EXPECT_FALSE(answer.allowed);
  EXPECT_EQ(answer.refusal_reason, "method DELETE is not allowed here (allowed: GET, POST)");
  EXPECT_EQ(Header(answer.headers, "Access-Control-Allow-Origin"), "<absent>");
}

TEST(CorsPolicyTest, PreflightForUnknownPathIsRefused) {
  CorsPolicy policy = MakePolicy({kPortal});
  EXPECT_EQ(policy.Preflight(kPortal, "GET", "", {}).refusal_reason, "no route for this path");
}

TEST(CorsPolicyTest, PreflightWithUnlistedRequestHeaderIsRefused) {
  CorsPolicy policy = MakePolicy({kPortal});
  PreflightAnswer answer = policy.Preflight(kPortal, "GET", "x-request-id, X-Debug-Mode", kGetPost);
  EXPECT_FALSE(answer.allowed);
  EXPECT_EQ(answer.refusal_reason, "request header x-debug-mode is not allowed");
}

TEST(CorsPolicyTest, SafelistedAndEmptyRequestHeadersAreAccepted) {
  CorsPolicy policy = MakePolicy({kPortal});
  EXPECT_TRUE(policy.Preflight(kPortal, "GET", " Accept ,accept-language,, ", kGetPost).allowed);
  EXPECT_FALSE(policy.Preflight(kPortal, "GET", "bad header", kGetPost).allowed);
  EXPECT_FALSE(policy.Preflight(kPortal, "GE T", "", kGetPost).allowed);
}

TEST(CorsPolicyTest, ResponseHeadersForAllowedOrigin) {
  CorsPolicy policy = MakePolicy({kPortal, "http://localhost:5173"}, /*credentials=*/true);
  HeaderList headers = policy.ResponseHeaders("http://localhost:5173");
  EXPECT_EQ(Header(headers, "Access-Control-Allow-Origin"), "http://localhost:5173");
  EXPECT_EQ(Header(headers, "Access-Control-Allow-Credentials"), "true");
  EXPECT_EQ(Header(headers, "Access-Control-Expose-Headers"),
            "x-request-id, retry-after, www-authenticate");
  EXPECT_EQ(Header(headers, "Vary"), "Origin");
}

TEST(CorsPolicyTest, ResponseHeadersForRefusedOrMissingOriginAreOnlyVary) {
  CorsPolicy policy = MakePolicy({kPortal});
  EXPECT_THAT(policy.ResponseHeaders("https://evil.example"), ElementsAre(Pair("Vary", "Origin")));
  EXPECT_THAT(policy.ResponseHeaders(""), ElementsAre(Pair("Vary", "Origin")));
}

TEST(CorsPolicyTest, EmptyAllowListRefusesEveryOrigin) {
  CorsPolicy policy = MakePolicy({});
  EXPECT_FALSE(policy.Preflight(kPortal, "GET", "", kGetPost).allowed);
  EXPECT_THAT(policy.ResponseHeaders(kPortal), ElementsAre(Pair("Vary", "Origin")));
}

TEST(CorsPolicyTest, StarAllowsEveryOriginWithLiteralStar) {
  CorsPolicy policy = MakePolicy({"*"});
  PreflightAnswer answer = policy.Preflight("https://anyone.example", "GET", "", kGetPost);
  ASSERT_TRUE(answer.allowed);
  EXPECT_EQ(Header(answer.headers, "Access-Control-Allow-Origin"), "*");
  EXPECT_EQ(Header(policy.ResponseHeaders("https://anyone.example"), "Access-Control-Allow-Origin"),
            "*");
  EXPECT_THAT(policy.ResponseHeaders("https://anyone.example"),
              Not(Contains(Pair("Access-Control-Allow-Credentials", "true"))));
}

TEST(CorsPolicyTest, ConfiguredOriginsAreNormalizedLikeBrowsersSendThem) {
  CorsPolicy policy =
      MakePolicy({"HTTPS://Portal.Example.GOV.cn:443", "http://[::1]:8080", "http://intra:80"});
  EXPECT_TRUE(policy.IsOriginAllowed(kPortal));
  EXPECT_TRUE(policy.IsOriginAllowed("http://[::1]:8080"));
  EXPECT_TRUE(policy.IsOriginAllowed("http://intra"));
}

TEST(CorsPolicyCreateTest, RejectsStarWithCredentials) {
  CorsConfig config;
  config.allowed_origins = {"*"};
  config.allow_credentials = true;
  absl::StatusOr<CorsPolicy> policy = CorsPolicy::Create(config);
  EXPECT_EQ(policy.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(policy.status().message(), HasSubstr("allow_credentials"));
}

TEST(CorsPolicyCreateTest, RejectsStarMixedWithOrigins) {
  CorsConfig config;
  config.allowed_origins = {"*", kPortal};
  EXPECT_THAT(CorsPolicy::Create(config).status().message(), HasSubstr("must stand alone"));
}

TEST(CorsPolicyCreateTest, RejectsMalformedOriginsNamingThem) {
  for (const char* bad :
       {"portal.example.gov.cn", "https://portal.example.gov.cn/", "https://*.example.gov.cn",
        "ftp://portal.example.gov.cn", "https://user@portal.example.gov.cn", "https://portal:0",
        "https://portal:99999", "https://portal:", "https://", "null",
        "https://portal.example.gov.cn/path"}) {
    CorsConfig config;
    config.allowed_origins = {bad};
    absl::StatusOr<CorsPolicy> policy = CorsPolicy::Create(config);
    EXPECT_EQ(policy.status().code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_THAT(policy.status().message(), HasSubstr(absl::StrCat("\"", bad, "\""))) << bad;
  }
}

TEST(CorsPolicyCreateTest, RejectsBadHeaderNamesAndNegativeMaxAge) {
  CorsConfig headers;
  headers.allowed_headers = {"x-ok", "not ok"};
  EXPECT_THAT(CorsPolicy::Create(headers).status().message(),
              HasSubstr("allowed_headers: \"not ok\""));
  CorsConfig age;
  age.max_age = absl::Seconds(-1);
  EXPECT_THAT(CorsPolicy::Create(age).status().message(), HasSubstr("max_age"));
}

}  // namespace
}  // namespace gongkai::gateway
