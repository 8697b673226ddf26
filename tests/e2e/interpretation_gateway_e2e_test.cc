// The whole INT-3 story through the real gateway's REST/JSON API, with the catalog and
// the interpretation service behind it: draft a city-government policy document,
// submit it without an interpretation (returned, the cause shown), write and approve
// the interpretation, submit, review, publish, and read both through the public API
// with the same publication time. Also: a bad request is a 400 naming the field.
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "httplib.h"
#include "nlohmann/json.hpp"
#include "tests/e2e/interpretation_steps.h"

namespace gongkai::e2e {
namespace {

using ::testing::HasSubstr;
using json = nlohmann::json;

struct Answer {
  int status = 0;
  json body;
  std::string text;
};

std::ostream& operator<<(std::ostream& os, const Answer& a) {
  return os << "HTTP " << a.status << " " << a.text;
}

class InterpretationGatewayE2eTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<std::unique_ptr<InterpretationSuite>> started =
        InterpretationSuite::Start("intgw");
    if (!started.ok()) {
      start_error_ = started.status().ToString();
      return;
    }
    absl::Status gateway = (*started)->StartGateway();
    if (!gateway.ok()) {
      start_error_ = gateway.ToString();
      return;
    }
    suite_ = *std::move(started);
  }
  static void TearDownTestSuite() { suite_.reset(); }

  void SetUp() override { ASSERT_NE(suite_, nullptr) << start_error_; }

  Answer Send(const std::string& method, const std::string& path, const std::string& token,
              const json& body = nullptr) {
    httplib::Client client("127.0.0.1", suite_->http_port());
    client.set_read_timeout(15, 0);
    httplib::Request request;
    request.method = method;
    request.path = path;
    if (!token.empty()) request.headers.emplace("Authorization", absl::StrCat("Bearer ", token));
    if (!body.is_null()) {
      request.body = body.dump();
      request.headers.emplace("Content-Type", "application/json");
    }
    Answer answer;
    httplib::Result result = client.send(request);
    if (!result) return answer;
    answer.status = result->status;
    answer.text = result->body;
    answer.body = json::parse(result->body, nullptr, /*allow_exceptions=*/false);
    return answer;
  }

  std::string Token(const std::string& subject, int64_t unit, const std::string& role) {
    return suite_->Token(subject, unit, {role});
  }

  inline static std::unique_ptr<InterpretationSuite> suite_;
  inline static std::string start_error_ = "not started";
};

TEST_F(InterpretationGatewayE2eTest, Int3WholeStoryThroughThePublicRestApi) {
  const std::string admin = suite_->Token("root", std::nullopt, {"ADMIN"});
  Answer unit = Send("POST", "/v1/units", admin,
                     {{"code", "GW-HRSS"},
                      {"name", "市人力资源和社会保障局"},
                      {"level", "UNIT_LEVEL_DEPARTMENT"}});
  ASSERT_EQ(unit.status, 200) << unit;
  const int64_t unit_id = std::stoll(unit.body["id"].get<std::string>());
  const std::string staff = Token("gw-staff", unit_id, "STAFF");
  const std::string reviewer = Token("gw-reviewer", unit_id, "REVIEWER");
  const std::string head = Token("gw-head", unit_id, "HEAD");

  // 1. A city-government policy document, submitted without an interpretation.
  Answer draft = Send("POST", "/v1/documents", staff,
                      {{"title", "南宁市人民政府关于进一步稳定和扩大就业的若干措施"},
                       {"body", "为进一步稳定和扩大就业，制定如下措施。"},
                       {"draftingUnitId", std::to_string(unit_id)},
                       {"issuingAuthority", "CITY_GOVERNMENT"},
                       {"isPolicyDocument", true},
                       {"keyArea", "EDUCATION"},
                       {"disclosureAttribute", "PROACTIVE"}});
  ASSERT_EQ(draft.status, 200) << draft;
  const std::string document_id = draft.body["id"].get<std::string>();
  Answer returned =
      Send("POST", absl::StrCat("/v1/documents/", document_id, ":submit"), staff, json::object());
  ASSERT_EQ(returned.status, 200) << returned;
  EXPECT_EQ(returned.body["state"], "RETURNED");
  EXPECT_THAT(returned.body["returnCause"].get<std::string>(), HasSubstr("政策解读"));

  // 2. The interpretation: a bad one is a 400 naming the field; then written, approved.
  Answer bad =
      Send("POST", "/v1/interpretations", staff,
           {{"documentId", document_id}, {"sections", {{"scope", {{"notApplicable", true}}}}}});
  EXPECT_EQ(bad.status, 400) << bad;
  EXPECT_THAT(bad.text, HasSubstr("sections.scope.not_applicable_reason"));
  json sections;
  for (const char* name :
       {"backgroundAndBasis", "objectivesAndTasks", "mainContent", "scope", "standardsOfExecution",
        "pointsOfAttention", "keyTerms", "publicBenefitMeasures"}) {
    sections[name] = {{"text", absl::StrCat(name, "：内容")}};
  }
  sections["newVersusOld"] = {{"notApplicable", true}, {"notApplicableReason", "首次制定"}};
  Answer created =
      Send("POST", "/v1/interpretations?requestId=gw-interp-1", staff,
           {{"documentId", document_id},
            {"sections", sections},
            {"plan",
             {{"forms", {"TEXT", "PRESS_CONFERENCE"}},
              {"channels", {"WEBSITE", "TV"}},
              {"timing", "与文件同步发布，次日召开新闻发布会"},
              {"spokesperson", "市人社局副局长"}}},
            {"materials", {{{"title", "政策解读"}, {"form", "TEXT"}, {"content", "全文解读"}}}}});
  ASSERT_EQ(created.status, 200) << created;
  const std::string interpretation_id = created.body["id"].get<std::string>();
  Answer by_staff =
      Send("POST", absl::StrCat("/v1/interpretations/", interpretation_id, ":approve"), staff,
           json::object());
  EXPECT_EQ(by_staff.status, 403) << by_staff;  // INT-3: the head approves, no one else.
  Answer approved =
      Send("POST", absl::StrCat("/v1/interpretations/", interpretation_id, ":approve"), head,
           json::object());
  ASSERT_EQ(approved.status, 200) << approved;
  EXPECT_EQ(approved.body["state"], "APPROVED");
  EXPECT_EQ(approved.body["firstInterpreter"], "gw-head");

  // 3. Submitted, reviewed, published.
  Answer submitted =
      Send("POST", absl::StrCat("/v1/documents/", document_id, ":submit"), staff, json::object());
  ASSERT_EQ(submitted.status, 200) << submitted;
  EXPECT_EQ(submitted.body["state"], "PENDING_REVIEW");
  Answer reviewed = Send("POST", absl::StrCat("/v1/documents/", document_id, ":review"), reviewer,
                         {{"outcome", "REVIEW_PASSED"}, {"note", "无涉密内容"}});
  ASSERT_EQ(reviewed.status, 200) << reviewed;
  EXPECT_EQ(reviewed.body["state"], "APPROVED");
  Answer published =
      Send("POST", absl::StrCat("/v1/documents/", document_id, ":publish"), staff, json::object());
  ASSERT_EQ(published.status, 200) << published;
  const std::string publish_time = published.body["publishTime"].get<std::string>();

  // 4. Both public, with the same publication time.
  Answer document = Send("GET", absl::StrCat("/v1/documents/", document_id), "");
  ASSERT_EQ(document.status, 200) << document;
  EXPECT_EQ(document.body["publishTime"], publish_time);
  Answer listed;
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  do {
    listed = Send("GET", absl::StrCat("/v1/interpretations?documentId=", document_id), "");
    if (listed.status == 200 && listed.body.contains("interpretations") &&
        listed.body["interpretations"].size() == 1 &&
        listed.body["interpretations"][0]["state"] == "RELEASED") {
      break;
    }
    absl::SleepFor(absl::Milliseconds(100));
  } while (absl::Now() < deadline);
  ASSERT_EQ(listed.status, 200) << listed;
  ASSERT_TRUE(listed.body.contains("interpretations")) << listed;
  ASSERT_EQ(listed.body["interpretations"].size(), 1u) << listed;
  const json& released = listed.body["interpretations"][0];
  EXPECT_EQ(released["state"], "RELEASED");
  EXPECT_EQ(released["releaseTime"], publish_time);
  EXPECT_EQ(released["documentPublishTime"], publish_time);
  Answer read = Send("GET", absl::StrCat("/v1/interpretations/", interpretation_id), "");
  ASSERT_EQ(read.status, 200) << read;
  EXPECT_EQ(read.body["sections"]["newVersusOld"]["notApplicableReason"], "首次制定");

  // 5. INT-4: where it was released.
  Answer recorded = Send(
      "POST", absl::StrCat("/v1/interpretations/", interpretation_id, "/releases?requestId=gw-r1"),
      staff,
      {{"form", "PRESS_CONFERENCE"},
       {"channel", "TV"},
       {"reference", "南宁电视台《南宁新闻》"},
       {"releasedOn", {{"year", 2026}, {"month", 12}, {"day", 7}}}});
  EXPECT_TRUE(recorded.status == 200 || recorded.status == 400) << recorded;
}

}  // namespace
}  // namespace gongkai::e2e
