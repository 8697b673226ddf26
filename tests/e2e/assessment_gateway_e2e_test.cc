// End-to-end test (label: e2e) of the assessment through the real gateway (REST/JSON):
// the routes come from the proto's google.api.http bindings with no route code; a draw
// made over HTTP is fetched anonymously and checked by the shipped gongkai-draw-verify
// (ASM-2); bad input is a 400 naming the field; a missing token a 401.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "nlohmann/json.hpp"
#include "tests/e2e/assessment_under_test.h"
#include "tests/e2e/gateway_under_test.h"

namespace gongkai::e2e {
namespace {

using ::testing::HasSubstr;

TEST(AssessmentGatewayE2eTest, Asm2ADrawMadeOverHttpIsVerifiedByTheShippedVerifier) {
  // The gateway is ready only when every routed backend serves, so it starts last, in
  // front of the catalog and the assessment (GatewayUnderTest runs the catalog alone).
  absl::StatusOr<std::unique_ptr<CatalogUnderTest>> catalog = CatalogUnderTest::Start("asmgw");
  ASSERT_TRUE(catalog.ok()) << catalog.status();
  absl::StatusOr<std::unique_ptr<E2eDatabase>> database = E2eDatabase::Create("asmgwdb");
  ASSERT_TRUE(database.ok()) << database.status();
  std::map<std::string, std::string> peers = AbsentPeers();
  peers["catalog"] = (*catalog)->service().grpc_address();
  absl::StatusOr<std::unique_ptr<ServiceProcess>> assessment =
      StartAssessment(**catalog, **database, peers);
  ASSERT_TRUE(assessment.ok()) << assessment.status();
  absl::StatusOr<std::unique_ptr<ServiceProcess>> front = StartGatewayProcess({
      {"GONGKAI_HTTP_ADDRESS", "127.0.0.1:0"},
      {"GONGKAI_METRICS_ADDRESS", "127.0.0.1:0"},
      {"GONGKAI_BACKENDS", absl::StrCat("catalog=", (*catalog)->service().grpc_address(),
                                        ",assessment=", (*assessment)->grpc_address())},
      {"GONGKAI_JWT_HS256_SECRET", (*catalog)->jwt_secret()},
      {"GONGKAI_JWT_ISSUER", kE2eIssuer},
      {"GONGKAI_JWT_AUDIENCE", kE2eAudience},
      {"GONGKAI_IO_THREADS", "2"},
      {"GONGKAI_RATE_LIMIT_AUTHENTICATED", "0:0"},
      {"GONGKAI_RATE_LIMIT_ANONYMOUS_READ", "0:0"},
      {"GONGKAI_RATE_LIMIT_ANONYMOUS_WRITE", "0:0"},
      {"GONGKAI_SHUTDOWN_GRACE", "2s"},
  });
  ASSERT_TRUE(front.ok()) << front.status();
  httplib::Client http("127.0.0.1", (*front)->port("http_port"));
  const httplib::Headers office = {
      {"Authorization",
       absl::StrCat("Bearer ", (*catalog)->Token("office", std::nullopt, {"OFFICE"}))}};

  const nlohmann::json create = {
      {"requestId", "gw-draw-1"},
      {"title", "三随机抽查"},
      {"inputs",
       {{"unitIds", {"3", "1", "2", "4"}},
        {"items", {"DISCLOSURE_ATTRIBUTE", "PROACTIVE_CATALOG", "ANNUAL_REPORT"}},
        {"windows",
         {{{"start", {{"year", 2026}, {"month", 1}, {"day", 1}}},
           {"end", {{"year", 2026}, {"month", 3}, {"day", 31}}}}}},
        {"unitsToPick", 2},
        {"itemsToPick", 1},
        {"windowsToPick", 1}}}};
  auto created = http.Post("/v1/assessment/draws", office, create.dump(), "application/json");
  ASSERT_TRUE(created);
  ASSERT_EQ(created->status, 200) << created->body;
  const nlohmann::json draw = nlohmann::json::parse(created->body);
  EXPECT_EQ(draw["state"], "COMMITTED");
  EXPECT_EQ(draw.value("seed", ""), "");  // Secret until the draw.
  const std::string id = draw["id"];
  auto performed = http.Post(absl::StrCat("/v1/assessment/draws/", id, ":perform"), office, "{}",
                             "application/json");
  ASSERT_TRUE(performed);
  ASSERT_EQ(performed->status, 200) << performed->body;
  auto again = http.Post(absl::StrCat("/v1/assessment/draws/", id, ":perform"), office, "{}",
                         "application/json");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 400);  // FAILED_PRECONDITION: a draw is never repeated.
  EXPECT_THAT(again->body, HasSubstr("never repeated"));

  // Anyone: the published record, checked with the verifier that ships with the suite.
  auto published = http.Get(absl::StrCat("/v1/assessment/draws/", id));
  ASSERT_TRUE(published);
  ASSERT_EQ(published->status, 200) << published->body;
  const std::string path = absl::StrCat(::testing::TempDir(), "/draw-", id, ".json");
  std::ofstream(path) << published->body;
  EXPECT_EQ(std::system(absl::StrCat(GONGKAI_DRAW_VERIFY_BINARY, " ", path, " >/dev/null").c_str()),
            0);
  nlohmann::json tampered = nlohmann::json::parse(published->body);
  tampered["seed"] = std::string(64, '0');
  std::ofstream(path) << tampered.dump();
  EXPECT_NE(std::system(absl::StrCat(GONGKAI_DRAW_VERIFY_BINARY, " ", path, " >/dev/null").c_str()),
            0);
  std::remove(path.c_str());

  // Bad input: 400 naming the field; no token: 401.
  auto bad = http.Post("/v1/assessment/runs", office, R"({"requestId": "r", "year": 1999})",
                       "application/json");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  EXPECT_THAT(bad->body, HasSubstr("year"));
  auto anonymous = http.Get("/v1/assessment/runs/1");
  ASSERT_TRUE(anonymous);
  EXPECT_EQ(anonymous->status, 401);
  EXPECT_TRUE((*front)->Stop().ok());
  EXPECT_TRUE((*assessment)->Stop().ok());
}

}  // namespace
}  // namespace gongkai::e2e
