// The opinion service through the real REST/JSON gateway (issue 11; label: e2e): the
// routes come from opinion.proto's google.api.http annotations with no route code; a
// collection, the workflow's first steps and an answer over HTTP/JSON; bad input is a
// 400 with field violations; a missing event a 404; a stale version a 409; anonymous
// callers a 401; the supervised view is closed to units' staff (403).
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include <map>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gongkai/catalog/v1/catalog.grpc.pb.h"
#include "libs/protoconv/protoconv.h"
#include "nlohmann/json.hpp"
#include "tests/e2e/catalog_under_test.h"
#include "tests/e2e/e2e_database.h"
#include "tests/e2e/gateway_under_test.h"
#include "tests/e2e/grpc_call.h"
#include "tests/e2e/service_process.h"
#include "tests/e2e/stand_in_calendar.h"

#ifndef GONGKAI_OPINION_BINARY
#error "GONGKAI_OPINION_BINARY must be defined by the build"
#endif

namespace gongkai::e2e {
namespace {

namespace catalog_v1 = ::gongkai::catalog::v1;
using nlohmann::json;
using ::testing::HasSubstr;

class OpinionGatewayE2eTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto catalog =
        CatalogUnderTest::Start("opigw", {{"GONGKAI_CALENDAR_DIR", StandInCalendarDir()}});
    ASSERT_TRUE(catalog.ok()) << catalog.status();
    catalog_ = catalog->release();
    auto stub = catalog_->NewStub();
    const std::string admin = catalog_->Token("root", std::nullopt, {"ADMIN"});
    auto create = [&](const std::string& code, catalog_v1::UnitLevel level, int64_t parent) {
      catalog_v1::CreateUnitRequest request;
      request.mutable_unit()->set_code(code);
      request.mutable_unit()->set_name(code);
      request.mutable_unit()->set_level(level);
      request.mutable_unit()->set_parent_id(parent);
      auto unit = UnaryCall(*stub, &catalog_v1::CatalogService::Stub::CreateUnit, admin, request);
      EXPECT_TRUE(unit.ok()) << unit.status();
      return unit.ok() ? unit->id() : int64_t{0};
    };
    city_ = create("CITY", catalog_v1::UNIT_LEVEL_CITY, 0);
    office_unit_ = create("OFFICE", catalog_v1::UNIT_LEVEL_DEPARTMENT, city_);
    health_ = create("HEALTH", catalog_v1::UNIT_LEVEL_DEPARTMENT, city_);
    auto database = E2eDatabase::Create("opinion_gw");
    ASSERT_TRUE(database.ok()) << database.status();
    database_ = database->release();
    ServiceProcess::Options options;
    options.binary = GONGKAI_OPINION_BINARY;
    options.listening_message = "opinion listening";
    options.env = database_->ServiceEnv();
    options.env["GONGKAI_GRPC_ADDRESS"] = "127.0.0.1:0";
    options.env["GONGKAI_METRICS_ADDRESS"] = "127.0.0.1:0";
    options.env["GONGKAI_JWT_HS256_SECRET"] = catalog_->jwt_secret();
    options.env["GONGKAI_JWT_ISSUER"] = kE2eIssuer;
    options.env["GONGKAI_JWT_AUDIENCE"] = kE2eAudience;
    options.env["GONGKAI_CALENDAR_ADDRESS"] = catalog_->service().grpc_address();
    // The interpretation peer is declared (INT-2 supplements) but never called here.
    options.env["GONGKAI_PEERS"] =
        absl::StrCat("catalog=", catalog_->service().grpc_address(), ",interpretation=127.0.0.1:1");
    auto opinion = ServiceProcess::Start(options);
    ASSERT_TRUE(opinion.ok()) << opinion.status();
    opinion_ = opinion->release();
    auto gateway = StartGatewayProcess({
        {"GONGKAI_HTTP_ADDRESS", "127.0.0.1:0"},
        {"GONGKAI_METRICS_ADDRESS", "127.0.0.1:0"},
        {"GONGKAI_BACKENDS", absl::StrCat("catalog=", catalog_->service().grpc_address(),
                                          ",opinion=", opinion_->grpc_address())},
        {"GONGKAI_JWT_HS256_SECRET", catalog_->jwt_secret()},
        {"GONGKAI_JWT_ISSUER", kE2eIssuer},
        {"GONGKAI_JWT_AUDIENCE", kE2eAudience},
        {"GONGKAI_IO_THREADS", "2"},
        {"GONGKAI_RATE_LIMIT_AUTHENTICATED", "0:0"},
        {"GONGKAI_RATE_LIMIT_ANONYMOUS_READ", "0:0"},
        {"GONGKAI_RATE_LIMIT_ANONYMOUS_WRITE", "0:0"},
        {"GONGKAI_SHUTDOWN_GRACE", "2s"},
    });
    ASSERT_TRUE(gateway.ok()) << gateway.status();
    gateway_ = gateway->release();
  }

  static void TearDownTestSuite() {
    delete gateway_;
    delete opinion_;
    delete database_;
    delete catalog_;
  }

  static httplib::Result Send(const std::string& method, const std::string& path,
                              const std::string& token, const json& body = json()) {
    httplib::Client client("127.0.0.1", gateway_->port("http_port"));
    httplib::Headers headers;
    if (!token.empty()) headers.emplace("Authorization", absl::StrCat("Bearer ", token));
    if (method == "GET") return client.Get(path, headers);
    return client.Post(path, headers, body.dump(), "application/json");
  }

  static std::string Office() { return catalog_->Token("office", office_unit_, {"OFFICE"}); }

  static json Collect(const std::string& request_id) {
    json body = {{"requestId", request_id},
                 {"title", "市卫健委发布流感防控通知引发关注"},
                 {"source", "SOURCE_MEDIA_REPORT"},
                 {"category", "CATEGORY_CITY_DECISIONS"},
                 {"grade", "GRADE_MAJOR"},
                 {"territory", "TERRITORY_CITY"},
                 {"concernedUnitIds", {std::to_string(health_)}},
                 {"collectingUnitId", std::to_string(office_unit_)}};
    auto response = Send("POST", "/v1/opinion-events", Office(), body);
    EXPECT_TRUE(response);
    EXPECT_EQ(response->status, 200) << response->body;
    return json::parse(response->body);
  }

  static CatalogUnderTest* catalog_;
  static E2eDatabase* database_;
  static ServiceProcess* opinion_;
  static ServiceProcess* gateway_;
  static int64_t city_, office_unit_, health_;
};

CatalogUnderTest* OpinionGatewayE2eTest::catalog_ = nullptr;
E2eDatabase* OpinionGatewayE2eTest::database_ = nullptr;
ServiceProcess* OpinionGatewayE2eTest::opinion_ = nullptr;
ServiceProcess* OpinionGatewayE2eTest::gateway_ = nullptr;
int64_t OpinionGatewayE2eTest::city_ = 0, OpinionGatewayE2eTest::office_unit_ = 0,
        OpinionGatewayE2eTest::health_ = 0;

TEST_F(OpinionGatewayE2eTest, TheWorkflowOverRestJson) {
  const json event = Collect("gw-1");
  const std::string id = event["id"].get<std::string>();
  EXPECT_EQ(event["state"], "EVENT_COLLECTED");
  EXPECT_EQ(event["responsibility"]["rule"], "city_policy");
  EXPECT_EQ(event["responsibility"]["leadUnitId"], std::to_string(health_));
  EXPECT_EQ(event["clocks"].size(), 2u);
  EXPECT_FALSE(event["clocks"][0].contains("breachRecordedTime"));  // Unset stays absent.
  auto consult = Send("POST", absl::StrCat("/v1/opinion-events/", id, ":consult"), Office(),
                      {{"participants", {"市委宣传部"}}, {"conclusion", "统一口径"}});
  ASSERT_TRUE(consult);
  EXPECT_EQ(consult->status, 200) << consult->body;
  auto assess = Send("POST", absl::StrCat("/v1/opinion-events/", id, ":assess"), Office(),
                     {{"risk", "中"}, {"grade", "GRADE_MAJOR"}});
  ASSERT_TRUE(assess);
  EXPECT_EQ(assess->status, 200) << assess->body;
  const std::string now =
      absl::FormatTime("%Y-%m-%dT%H:%M:%E6SZ", absl::Now(), absl::UTCTimeZone());
  auto answer = Send("POST", absl::StrCat("/v1/opinion-events/", id, "/responses"),
                     catalog_->Token("hs", health_, {"STAFF"}),
                     {{"requestId", "gw-answer-1"},
                      {"channel", "CHANNEL_WEBSITE"},
                      {"content", "已发布防控指引"},
                      {"publishTime", now},
                      {"spokesperson", "李四"},
                      {"link", "https://www.nanning.gov.cn/a.html"},
                      {"authoritative", true}});
  ASSERT_TRUE(answer);
  ASSERT_EQ(answer->status, 200) << answer->body;
  const json answered = json::parse(answer->body);
  EXPECT_EQ(answered["state"], "EVENT_RESPONDING");
  for (const json& clock : answered["clocks"]) EXPECT_EQ(clock["status"], "CLOCK_MET");
  auto history = Send("GET", absl::StrCat("/v1/opinion-events/", id, "/history"), Office());
  ASSERT_TRUE(history);
  EXPECT_EQ(json::parse(history->body)["steps"].size(), 4u);
}

TEST_F(OpinionGatewayE2eTest, ClientMistakesAre4xxWithDetails) {
  auto bad = Send("POST", "/v1/opinion-events", Office(), {{"title", ""}});
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  EXPECT_THAT(bad->body, HasSubstr("title"));
  auto missing = Send("GET", "/v1/opinion-events/987654", Office());
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
  auto anonymous = Send("GET", "/v1/opinion-events", "");
  ASSERT_TRUE(anonymous);
  EXPECT_EQ(anonymous->status, 401);
  auto staff =
      Send("GET", "/v1/opinion-events:supervised", catalog_->Token("hs", health_, {"STAFF"}));
  ASSERT_TRUE(staff);
  EXPECT_EQ(staff->status, 403);
  const json event = Collect("gw-2");
  auto stale =
      Send("POST", absl::StrCat("/v1/opinion-events/", event["id"].get<std::string>(), ":consult"),
           Office(), {{"participants", {"x"}}, {"conclusion", "y"}, {"expectedVersion", "99"}});
  ASSERT_TRUE(stale);
  EXPECT_EQ(stale->status, 409);
}

}  // namespace
}  // namespace gongkai::e2e
