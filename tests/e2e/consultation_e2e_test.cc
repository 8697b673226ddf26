// End-to-end tests of the consultation service (issue 10): the real gongkai-consultation
// binary beside the real catalog (calendar, units as the service principal) and behind
// the real gateway, on real MariaDB databases, spoken to over HTTP like a portal.
//
// Time: the binaries run on the real clock. "The consultation has closed" is produced by
// moving the stored dates of the consultation back (as the service's database user),
// which is what the passing of the comment period looks like to the service.
#include <gmock/gmock.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gongkai/common/v1/compliance_evidence.grpc.pb.h"
#include "libs/calendar/working_day_calendar.h"
#include "libs/clock/clock.h"
#include "libs/db/connection_pool.h"
#include "tests/e2e/consultation_under_test.h"

namespace gongkai::e2e {
namespace {

using ::testing::HasSubstr;

struct Answer {
  int status = 0;
  std::string body;
  nlohmann::json json;
};

std::ostream& operator<<(std::ostream& os, const Answer& a) {
  return os << "HTTP " << a.status << " " << a.body;
}

int64_t IdOf(const nlohmann::json& value) {
  if (value.is_string()) return std::stoll(value.get<std::string>());
  if (value.is_number_integer()) return value.get<int64_t>();
  return 0;
}

nlohmann::json Date(absl::CivilDay day) {
  return {{"year", day.year()}, {"month", day.month()}, {"day", day.day()}};
}

class ConsultationE2eTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<std::unique_ptr<ConsultationUnderTest>> started =
        ConsultationUnderTest::Start("consult_e2e");
    if (!started.ok()) {
      start_error_ = started.status().ToString();
      return;
    }
    env_ = started->release();
  }
  static void TearDownTestSuite() {
    delete env_;
    env_ = nullptr;
  }
  void SetUp() override {
    ASSERT_NE(env_, nullptr) << "the services did not start: " << start_error_;
    admin_ = env_->Token("e2e-admin", std::nullopt, {"ADMIN"});
  }

  Answer Send(const std::string& method, const std::string& path, const std::string& token,
              const std::string& body = "") {
    httplib::Client client("127.0.0.1", env_->http_port());
    client.set_read_timeout(30, 0);
    httplib::Headers headers;
    if (!token.empty()) headers.emplace("Authorization", absl::StrCat("Bearer ", token));
    httplib::Result result = method == "GET" ? client.Get(path, headers)
                                             : client.Post(path, headers, body, "application/json");
    Answer a;
    if (!result) return a;
    a.status = result->status;
    a.body = result->body;
    a.json = nlohmann::json::parse(a.body, nullptr, false);
    return a;
  }
  Answer Get(const std::string& path, const std::string& token = "") {
    return Send("GET", path, token);
  }
  Answer Post(const std::string& path, const std::string& token, const nlohmann::json& body) {
    return Send("POST", path, token, body.dump());
  }

  int64_t NewUnit(const std::string& level) {
    Answer a = Post("/v1/units", admin_,
                    {{"code", absl::StrCat("CONSULT-", ++counter_)},
                     {"name", "征求意见测试单位"},
                     {"level", level}});
    EXPECT_EQ(a.status, 200) << a;
    // The consultation service's unit directory re-reads the catalog on a miss at most
    // once a second (libs/directory): a unit made a moment ago is known after that.
    absl::SleepFor(absl::Milliseconds(1100));
    return IdOf(a.json["id"]);
  }
  std::string StaffOf(int64_t unit) {
    return env_->Token(absl::StrCat("staff-", unit), unit, {"STAFF"});
  }

  nlohmann::json DraftBody(int64_t unit, const std::string& request_id) {
    return {{"requestId", request_id},
            {"consultation",
             {{"unitId", absl::StrCat(unit)},
              {"title", "南宁市公共停车设施建设三年行动方案（征求意见稿）"},
              {"draft", "一、总体目标……"},
              {"basis", "《南宁市城市停车设施规划》"},
              {"category", "WELFARE_POLICIES"},
              {"domain", "transport"},
              {"decisionType", "MAJOR_ADMINISTRATIVE_DECISION"},
              {"methods", {"COMMENT_SOLICITATION", "SYMPOSIUM"}},
              {"channels", {"GOVERNMENT_WEBSITE", "WECHAT", "NEWSPAPER"}},
              {"opensOn", Date(Today())},
              {"periodDays", 30}}}};
  }

  static absl::CivilDay Today() {
    RealClock clock;
    return calendar::TodayInShanghai(clock);
  }

  // The comment period has passed: the stored dates move back by a month.
  void PassThePeriod(int64_t consultation_id) {
    absl::StatusOr<std::unique_ptr<db::ConnectionPool>> pool =
        db::ConnectionPool::Create(env_->database().ServiceConfig(1));
    ASSERT_TRUE(pool.ok()) << pool.status();
    absl::StatusOr<db::ConnectionLease> conn = (*pool)->Acquire();
    ASSERT_TRUE(conn.ok());
    ASSERT_TRUE((*conn)
                    ->Execute("UPDATE consultations SET opens_on = ?, closes_on = ? WHERE id = ?",
                              {Today() - 31, Today() - 1, consultation_id})
                    .ok());
  }

  int64_t CommentRows() {
    absl::StatusOr<std::unique_ptr<db::ConnectionPool>> pool =
        db::ConnectionPool::Create(env_->database().ServiceConfig(1));
    EXPECT_TRUE(pool.ok());
    absl::StatusOr<db::ConnectionLease> conn = (*pool)->Acquire();
    absl::StatusOr<db::ResultSet> rows = (*conn)->Query("SELECT COUNT(*) FROM comments");
    EXPECT_TRUE(rows.ok());
    return (*rows)[0].GetInt64(0).value();
  }

  static ConsultationUnderTest* env_;
  static std::string start_error_;
  static int counter_;
  std::string admin_;
};

ConsultationUnderTest* ConsultationE2eTest::env_ = nullptr;
std::string ConsultationE2eTest::start_error_;
int ConsultationE2eTest::counter_ = 0;

// The proof: opened, commented on anonymously and by name, a campaign grouped, a
// comment hidden, every comment decided, the statement published and attached, the
// consultation concluded — all through the gateway.
TEST_F(ConsultationE2eTest, Con1To5ConsultationLifecycleThroughTheGateway) {
  const int64_t unit = NewUnit("UNIT_LEVEL_CITY");
  const std::string staff = StaffOf(unit);
  Answer created = Post("/v1/consultations", staff, DraftBody(unit, "e2e-life-1"));
  ASSERT_EQ(created.status, 200) << created;
  const int64_t id = IdOf(created.json["id"]);
  EXPECT_EQ(created.json["state"], "OPEN");
  EXPECT_THAT(created.json["periodRule"].get<std::string>(),
              HasSubstr("major_decision.min_calendar_days = 30 calendar days (NAT-11)"));
  EXPECT_THAT(created.json["periodExplanation"]["text"].get<std::string>(), HasSubstr("依据规则"));
  EXPECT_EQ(created.json["consultationRequired"], true);
  const std::string path = absl::StrCat("/v1/consultations/", id);
  Answer again = Post("/v1/consultations", staff, DraftBody(unit, "e2e-life-1"));
  EXPECT_EQ(IdOf(again.json["id"]), id) << again;

  // The public reads it and comments without an account.
  Answer read = Get(path);
  ASSERT_EQ(read.status, 200) << read;
  const std::string comments = absl::StrCat(path, "/comments");
  Answer anonymous = Post(comments, "",
                          {{"requestId", "a-1"},
                           {"text", "建议在学校周边增设临时停车位。"},
                           {"name", "陈女士"},
                           {"contact", "13900000001"}});
  ASSERT_EQ(anonymous.status, 200) << anonymous;
  EXPECT_EQ(anonymous.json["displayName"], "匿名");
  // The gateway prints every field: what is not shown is empty.
  EXPECT_EQ(anonymous.json.value("name", ""), "");
  EXPECT_EQ(anonymous.json.value("contact", ""), "");
  Answer by_name = Post(comments, "",
                        {{"requestId", "a-2"},
                         {"text", "希望停车收费标准公开透明。"},
                         {"name", "刘先生"},
                         {"showName", true}});
  ASSERT_EQ(by_name.status, 200) << by_name;
  EXPECT_EQ(by_name.json["displayName"], "刘先生");
  // A retry of the same request posts nothing new.
  const int64_t rows_before_retry = CommentRows();
  Answer retry = Post(comments, "",
                      {{"requestId", "a-2"},
                       {"text", "希望停车收费标准公开透明。"},
                       {"name", "刘先生"},
                       {"showName", true}});
  EXPECT_EQ(IdOf(retry.json["id"]), IdOf(by_name.json["id"])) << retry;
  EXPECT_EQ(CommentRows(), rows_before_retry);

  // A campaign: the same text three times (punctuation aside), grouped.
  const std::string campaign = "强烈反对占用小区绿地建设停车场，请保留绿地";
  int64_t campaign_group = 0;
  for (int i = 0; i < 3; ++i) {
    Answer c = Post(comments, "",
                    {{"requestId", absl::StrCat("camp-", i)},
                     {"text", absl::StrCat(campaign, i == 1 ? "！" : "。")}});
    ASSERT_EQ(c.status, 200) << c;
    if (i == 0) campaign_group = IdOf(c.json["groupId"]);
    EXPECT_EQ(IdOf(c.json["groupId"]), campaign_group);
  }
  Answer abusive = Post(comments, "", {{"requestId", "abuse-1"}, {"text", "全是骗子！！"}});
  ASSERT_EQ(abusive.status, 200) << abusive;

  // Moderation: hidden with a reason; the public sees the reason, not the text.
  Answer hidden = Post(absl::StrCat("/v1/comments/", IdOf(abusive.json["id"]), ":moderate"), staff,
                       {{"visibility", "HIDDEN"}, {"hideReason", "ABUSE"}});
  ASSERT_EQ(hidden.status, 200) << hidden;
  Answer public_list = Get(comments);
  ASSERT_EQ(public_list.status, 200) << public_list;
  ASSERT_EQ(public_list.json["comments"].size(), 6u) << public_list;
  for (const nlohmann::json& c : public_list.json["comments"]) {
    EXPECT_EQ(c.value("contact", ""), "") << c;
    if (IdOf(c["id"]) == IdOf(abusive.json["id"])) {
      EXPECT_EQ(c.value("text", ""), "") << c;
      EXPECT_EQ(c["hideReason"], "ABUSE");
    }
  }
  Answer groups = Get(absl::StrCat(path, "/groups?minMembers=2"));
  ASSERT_EQ(groups.status, 200) << groups;
  ASSERT_EQ(groups.json["groups"].size(), 1u) << groups;
  EXPECT_EQ(IdOf(groups.json["groups"][0]["memberCount"]), 3);

  // The period passes: comments are refused, saying when it closed. (The service keeps
  // a consultation's dates for up to a second, GONGKAI_CONSULTATION_WINDOW_CACHE; the
  // clock itself is read on every comment. Changing the stored dates behind its back
  // is seen after that.)
  PassThePeriod(id);
  absl::SleepFor(absl::Milliseconds(1100));
  Answer late = Post(comments, "", {{"requestId", "late-1"}, {"text", "晚到的意见"}});
  EXPECT_EQ(late.status, 400) << late;
  EXPECT_THAT(late.body, HasSubstr("closed at"));

  Answer early = Post(absl::StrCat(path, "/statement:publish"), staff, nlohmann::json::object());
  EXPECT_EQ(early.status, 400) << early;
  EXPECT_THAT(early.body, HasSubstr("6 of 6 comments have no feedback decision"));

  // Every group decided: the campaign once for its three members.
  Answer all_groups = Get(absl::StrCat(path, "/groups"), staff);
  ASSERT_EQ(all_groups.status, 200) << all_groups;
  ASSERT_EQ(all_groups.json["groups"].size(), 4u) << all_groups;
  for (const nlohmann::json& g : all_groups.json["groups"]) {
    const bool campaign_one = IdOf(g["id"]) == campaign_group;
    Answer decided = Post(absl::StrCat("/v1/groups/", IdOf(g["id"]), ":decide"), staff,
                          {{"decision", campaign_one ? "PARTLY_ADOPTED" : "NOT_ADOPTED"},
                           {"reason", "已在方案中统筹考虑"},
                           {"version", g["version"]}});
    ASSERT_EQ(decided.status, 200) << decided;
  }
  Answer statement =
      Post(absl::StrCat(path, "/statement:publish"), staff, nlohmann::json::object());
  ASSERT_EQ(statement.status, 200) << statement;
  EXPECT_EQ(IdOf(statement.json["commentCount"]), 6);
  EXPECT_EQ(IdOf(statement.json["partlyAdoptedCount"]), 3);
  Answer published = Get(absl::StrCat(path, "/statement"));
  ASSERT_EQ(published.status, 200) << published;
  EXPECT_EQ(published.json["entries"].size(), 4u);

  // Attached to the meeting plan that decides the matter (CON-3, CON-4).
  Answer meeting = Post("/v1/meetings", staff,
                        {{"requestId", "meet-1"},
                         {"meeting",
                          {{"unitId", absl::StrCat(unit)},
                           {"title", "市政府常务会议"},
                           {"meetingOn", Date(Today() + 10)},
                           {"decidesCategory", "WELFARE_POLICIES"},
                           {"domain", "transport"},
                           {"consultationId", absl::StrCat(id)},
                           {"majorLivelihoodTopic", true},
                           {"invited", {"STAKEHOLDERS", "MEDIA"}},
                           {"isPublic", true},
                           {"broadcast", {"TELEVISION", "NEW_MEDIA_LIVE_STREAM"}},
                           {"liveStreamUrl", "https://live.example.gov.cn/1"}}}});
  ASSERT_EQ(meeting.status, 200) << meeting;
  Answer attached =
      Post(absl::StrCat("/v1/meetings/", IdOf(meeting.json["id"]), ":attachStatement"), staff,
           {{"consultationId", absl::StrCat(id)}, {"version", meeting.json["version"]}});
  ASSERT_EQ(attached.status, 200) << attached;
  EXPECT_EQ(IdOf(attached.json["feedbackStatement"]["commentCount"]), 6);

  // CON-3 across the boundary: the consultation's outbox relay delivered the statement to
  // the catalog, where it is a PROACTIVE draft of the unit naming the meeting plan; the
  // meeting plan records the catalog document (read by the public here).
  const std::string meeting_path = absl::StrCat("/v1/meetings/", IdOf(meeting.json["id"]));
  int64_t document_id = 0;
  for (int i = 0; i < 150 && document_id == 0; ++i) {
    Answer plan = Get(meeting_path);
    ASSERT_EQ(plan.status, 200) << plan;
    document_id = IdOf(plan.json["statementDocumentId"]);
    if (document_id == 0) absl::SleepFor(absl::Milliseconds(100));
  }
  ASSERT_NE(document_id, 0) << "the statement did not reach the catalog within 15 s";
  Answer document = Get(absl::StrCat("/v1/documents/", document_id), staff);
  ASSERT_EQ(document.status, 200) << document;
  EXPECT_EQ(IdOf(document.json["draftingUnitId"]), unit);
  EXPECT_EQ(document.json["state"], "DRAFT");
  EXPECT_EQ(document.json["disclosureAttribute"], "PROACTIVE");
  EXPECT_EQ(document.json["createdBy"], "service:consultation");
  EXPECT_EQ(document.json["title"], published.json["title"]);
  EXPECT_THAT(document.json["body"].get<std::string>(),
              HasSubstr("本说明附于会议方案《市政府常务会议》"));
  EXPECT_THAT(document.json["body"].get<std::string>(), HasSubstr("已在方案中统筹考虑"));

  Answer current = Get(path, staff);
  Answer concluded =
      Post(absl::StrCat(path, ":conclude"), staff, {{"version", current.json["version"]}});
  ASSERT_EQ(concluded.status, 200) << concluded;
  EXPECT_EQ(concluded.json["state"], "CONCLUDED");
}

// CON-3: staff split a wrongly grouped comment out of its group; the public sees the
// new grouping; staff search the comments in Chinese (libs/search terms).
TEST_F(ConsultationE2eTest, Con3UngroupAndSearchThroughTheGateway) {
  const int64_t unit = NewUnit("UNIT_LEVEL_CITY");
  const std::string staff = StaffOf(unit);
  Answer created = Post("/v1/consultations", staff, DraftBody(unit, "e2e-ungroup-1"));
  ASSERT_EQ(created.status, 200) << created;
  const std::string path = absl::StrCat("/v1/consultations/", IdOf(created.json["id"]));
  const std::string comments = absl::StrCat(path, "/comments");
  Answer first = Post(comments, "", {{"requestId", "u-1"}, {"text", "建议夜间停车免费。"}});
  Answer second = Post(comments, "", {{"requestId", "u-2"}, {"text", "建议夜间停车免费！"}});
  ASSERT_EQ(first.status, 200) << first;
  ASSERT_EQ(second.status, 200) << second;
  ASSERT_EQ(IdOf(second.json["groupId"]), IdOf(first.json["groupId"]));
  // Each commenter's answer names the group joined and its size.
  EXPECT_EQ(IdOf(first.json["groupSize"]), 1) << first;
  EXPECT_EQ(IdOf(second.json["groupSize"]), 2) << second;
  Answer grouped = Get(comments);  // The public sees the grouping.
  ASSERT_EQ(grouped.status, 200) << grouped;
  for (const nlohmann::json& c : grouped.json["comments"]) {
    EXPECT_EQ(IdOf(c["groupSize"]), 2) << c;
  }
  Answer groups = Get(absl::StrCat(path, "/groups"));
  ASSERT_EQ(groups.status, 200) << groups;
  ASSERT_EQ(groups.json["groups"].size(), 1u) << groups;
  const std::string ungroup = absl::StrCat("/v1/comments/", IdOf(second.json["id"]), ":ungroup");
  const nlohmann::json body = {{"groupVersion", groups.json["groups"][0]["version"]}};
  EXPECT_EQ(Post(ungroup, "", body).status, 401);
  EXPECT_EQ(Post(ungroup, StaffOf(NewUnit("UNIT_LEVEL_CITY")), body).status, 403);
  Answer moved = Post(ungroup, staff, body);
  ASSERT_EQ(moved.status, 200) << moved;
  EXPECT_NE(IdOf(moved.json["groupId"]), IdOf(first.json["groupId"]));
  // The old group changed (one member fewer): its version read before is stale.
  Answer stale =
      Post(absl::StrCat("/v1/comments/", IdOf(first.json["id"]), ":ungroup"), staff, body);
  EXPECT_EQ(stale.status, 409) << stale;
  Answer alone = Post(ungroup, staff, body);  // Its own group is at version 1: alone.
  EXPECT_EQ(alone.status, 400) << alone;
  Answer public_list = Get(comments);
  ASSERT_EQ(public_list.status, 200) << public_list;
  ASSERT_EQ(public_list.json["comments"].size(), 2u) << public_list;
  for (const nlohmann::json& c : public_list.json["comments"]) {
    EXPECT_EQ(IdOf(c["groupSize"]), 1) << c;
  }
  Answer regrouped = Get(absl::StrCat(path, "/groups"));
  EXPECT_EQ(regrouped.json["groups"].size(), 2u) << regrouped;

  // Search terms are written by the background indexer (GONGKAI_SEARCH_INDEX_INTERVAL,
  // 200 ms): staff find the comments within that bound while it keeps up; waited for
  // here up to 10 s.
  Answer found;
  for (int attempt = 0; attempt < 100; ++attempt) {
    found = Get(absl::StrCat(comments, ":search?query=%E5%81%9C%E8%BD%A6"), staff);  // 停车
    if (found.status != 200 || found.json.value("comments", nlohmann::json::array()).size() >= 2) {
      break;
    }
    absl::SleepFor(absl::Milliseconds(100));
  }
  ASSERT_EQ(found.status, 200) << found;
  EXPECT_EQ(found.json["comments"].size(), 2u) << found;
  Answer none = Get(absl::StrCat(comments, ":search?query=%E5%9C%B0%E9%93%81"), staff);  // 地铁
  ASSERT_EQ(none.status, 200) << none;
  EXPECT_EQ(none.json.value("comments", nlohmann::json::array()).size(), 0u) << none;
}

// Bad input: every case 4xx, nothing written.
TEST_F(ConsultationE2eTest, BadInputCorpusIsRefusedAndWritesNothing) {
  const int64_t unit = NewUnit("UNIT_LEVEL_DEPARTMENT");
  const std::string staff = StaffOf(unit);
  Answer created = Post("/v1/consultations", staff, DraftBody(unit, "bad-base"));
  ASSERT_EQ(created.status, 200) << created;
  const std::string comments =
      absl::StrCat("/v1/consultations/", IdOf(created.json["id"]), "/comments");
  const int64_t before = CommentRows();
  struct Case {
    std::string name, path, token;
    nlohmann::json body;
  };
  nlohmann::json short_period = DraftBody(unit, "bad-1");
  short_period["consultation"]["periodDays"] = 10;
  nlohmann::json no_methods = DraftBody(unit, "bad-2");
  no_methods["consultation"]["methods"] = nlohmann::json::array();
  nlohmann::json bad_domain = DraftBody(unit, "bad-3");
  bad_domain["consultation"]["domain"] = "Transport Dept";
  nlohmann::json past = DraftBody(unit, "bad-4");
  past["consultation"]["opensOn"] = Date(Today() - 1);
  nlohmann::json bad_enum = DraftBody(unit, "bad-5");
  bad_enum["consultation"]["category"] = 99;
  const std::vector<Case> cases = {
      {"period below NAT-11 without reason", "/v1/consultations", staff, short_period},
      {"no methods", "/v1/consultations", staff, no_methods},
      {"domain not a code", "/v1/consultations", staff, bad_domain},
      {"opens in the past", "/v1/consultations", staff, past},
      {"unknown category", "/v1/consultations", staff, bad_enum},
      {"empty comment", comments, "", {{"text", ""}}},
      {"punctuation only", comments, "", {{"text", "！！！。。。"}}},
      {"comment too long", comments, "", {{"text", std::string(20000, 'a')}}},
      {"show an absent name", comments, "", {{"text", "好"}, {"showName", true}}},
      {"name too long", comments, "", {{"text", "好"}, {"name", std::string(80, 'x')}}},
      {"control characters",
       comments,
       "",
       {{"text",
         "a\x01"
         "b"}}},
      {"bad request id", comments, "", {{"text", "好"}, {"requestId", "空 格"}}},
      {"unknown field", comments, "", {{"text", "好"}, {"votes", 5}}},
      {"not JSON", comments, "", "{"},
      {"missing consultation", "/v1/consultations/999999/comments", "", {{"text", "好"}}},
  };
  for (const Case& c : cases) {
    Answer a = c.body.is_string() ? Send("POST", c.path, c.token, c.body.get<std::string>())
                                  : Post(c.path, c.token, c.body);
    EXPECT_GE(a.status, 400) << c.name << ": " << a;
    EXPECT_LT(a.status, 500) << c.name << ": " << a;
  }
  EXPECT_EQ(CommentRows(), before);
  Answer listed = Get(absl::StrCat("/v1/consultations?unitId=", unit), staff);
  ASSERT_EQ(listed.status, 200) << listed;
  EXPECT_EQ(listed.json["consultations"].size(), 1u) << listed;
}

// Authorization: each staff RPC × role × own/other unit, checked in the service itself
// (through the gateway, which only authenticates): a caller who may act gets anything
// but 401/403 (the call may still fail on state), every other caller exactly 401/403.
TEST_F(ConsultationE2eTest, AuthorizationTableOfTheWrites) {
  const int64_t own = NewUnit("UNIT_LEVEL_COUNTY");
  const int64_t other = NewUnit("UNIT_LEVEL_COUNTY");
  Answer created = Post("/v1/consultations", StaffOf(own), DraftBody(own, "auth-base"));
  ASSERT_EQ(created.status, 200) << created;
  const int64_t id = IdOf(created.json["id"]);
  // The records the staff RPCs act on, made by the unit's staff.
  Answer comment = Post(absl::StrCat("/v1/consultations/", id, "/comments"), "",
                        {{"requestId", "auth-comment"}, {"text", "支持这个方案"}});
  ASSERT_EQ(comment.status, 200) << comment;
  const int64_t group = IdOf(comment.json["groupId"]);
  Answer planned = Post(absl::StrCat("/v1/consultations/", id, "/hearings"), StaffOf(own),
                        {{"requestId", "auth-hearing"},
                         {"kind", "KIND_HEARING"},
                         {"title", "听证会"},
                         {"place", "会议室"},
                         {"heldOn", Date(Today() + 30)},
                         {"participantLimit", 10}});
  ASSERT_EQ(planned.status, 200) << planned;
  Answer meeting = Post("/v1/meetings", StaffOf(own),
                        {{"requestId", "auth-meeting"},
                         {"meeting",
                          {{"unitId", absl::StrCat(own)},
                           {"title", "县政府常务会议"},
                           {"meetingOn", Date(Today() + 20)},
                           {"isPublic", true}}}});
  ASSERT_EQ(meeting.status, 200) << meeting;
  const std::string meeting_id = absl::StrCat(IdOf(meeting.json["id"]));
  struct Caller {
    std::string name, token;
    bool may_write;
  };
  const std::vector<Caller> callers = {
      {"anonymous", "", false},
      {"STAFF of the unit", StaffOf(own), true},
      {"HEAD of the unit", env_->Token("head", own, {"HEAD"}), true},
      {"STAFF of another unit", StaffOf(other), false},
      {"REVIEWER of the unit", env_->Token("rev", own, {"REVIEWER"}), false},
      {"OFFICE", env_->Token("office", std::nullopt, {"OFFICE"}), true},
      {"INSPECTOR", env_->Token("inspector", std::nullopt, {"INSPECTOR"}), false},
      {"SUPERVISION", env_->Token("sup", std::nullopt, {"SUPERVISION"}), false},
      {"ADMIN", admin_, true},
  };
  int n = 0;
  for (const Caller& caller : callers) {
    // CreateConsultation, CreateHearing (a too-early date is FAILED_PRECONDITION only
    // after authorization), ConcludeConsultation (not closed: after authorization).
    Answer create =
        Post("/v1/consultations", caller.token, DraftBody(own, absl::StrCat("auth-", ++n)));
    Answer hearing = Post(absl::StrCat("/v1/consultations/", id, "/hearings"), caller.token,
                          {{"requestId", absl::StrCat("auth-h-", n)},
                           {"kind", "KIND_HEARING"},
                           {"title", "听证会"},
                           {"place", "会议室"},
                           {"heldOn", Date(Today() + 1)},
                           {"participantLimit", 10}});
    Answer conclude =
        Post(absl::StrCat("/v1/consultations/", id, ":conclude"), caller.token, {{"version", 1}});
    Answer moderate = Post(absl::StrCat("/v1/comments/", IdOf(comment.json["id"]), ":moderate"),
                           caller.token, {{"visibility", "HIDDEN"}, {"hideReason", "OFF_TOPIC"}});
    Answer ungroup = Post(absl::StrCat("/v1/comments/", IdOf(comment.json["id"]), ":ungroup"),
                          caller.token, {{"groupVersion", 1}});
    Answer decide = Post(absl::StrCat("/v1/groups/", group, ":decide"), caller.token,
                         {{"decision", "ADOPTED"}, {"version", 1}});
    Answer publish = Post(absl::StrCat("/v1/consultations/", id, "/statement:publish"),
                          caller.token, nlohmann::json::object());
    Answer minutes = Post(absl::StrCat("/v1/hearings/", IdOf(planned.json["id"]), ":recordMinutes"),
                          caller.token, {{"minutes", "会议记录"}, {"version", 1}});
    Answer plan = Post(
        "/v1/meetings", caller.token,
        {{"requestId", absl::StrCat("auth-m-", n)},
         {"meeting",
          {{"unitId", absl::StrCat(own)}, {"title", "会议"}, {"meetingOn", Date(Today() + 20)}}}});
    Answer attach = Post(absl::StrCat("/v1/meetings/", meeting_id, ":attachStatement"),
                         caller.token, {{"consultationId", absl::StrCat(id)}, {"version", 1}});
    Answer applications = Get(
        absl::StrCat("/v1/applications?target=TARGET_MEETING&targetId=", meeting_id), caller.token);
    const nlohmann::json none = {{"target", "TARGET_MEETING"},
                                 {"targetId", meeting_id},
                                 {"applicationIds", nlohmann::json::array()}};
    Answer select = Post("/v1/applications:select", caller.token, none);
    Answer attendance = Post("/v1/applications:recordAttendance", caller.token,
                             {{"target", "TARGET_MEETING"},
                              {"targetId", meeting_id},
                              {"attendedApplicationIds", nlohmann::json::array()}});
    for (const Answer* a : {&create, &hearing, &conclude, &moderate, &ungroup, &decide, &publish,
                            &minutes, &plan, &attach, &applications, &select, &attendance}) {
      if (caller.may_write) {
        EXPECT_NE(a->status, 401) << caller.name << ": " << *a;
        EXPECT_NE(a->status, 403) << caller.name << ": " << *a;
      } else {
        EXPECT_EQ(a->status, caller.token.empty() ? 401 : 403) << caller.name << ": " << *a;
      }
    }
    Answer search =
        Get(absl::StrCat("/v1/consultations/", id, "/comments:search?query=x"), caller.token);
    const bool may_search = caller.may_write || caller.name == "INSPECTOR" ||
                            caller.name == "SUPERVISION" || caller.name == "REVIEWER of the unit";
    EXPECT_EQ(search.status, may_search ? 200 : (caller.token.empty() ? 401 : 403))
        << caller.name << ": " << search;
    Answer missing =
        Get(absl::StrCat("/v1/consultations:missingPreDisclosures?unitId=", own), caller.token);
    EXPECT_EQ(missing.status, may_search ? 200 : (caller.token.empty() ? 401 : 403))
        << caller.name << ": " << missing;
  }
}

// Compliance evidence (ASM-6) for items 7, 8 and 12 over gRPC.
TEST_F(ConsultationE2eTest, ComplianceEvidenceForItems7And8And12) {
  const int64_t unit = NewUnit("UNIT_LEVEL_TOWNSHIP");
  const std::string staff = StaffOf(unit);
  // A decision on a matter the township must consult on, with no consultation.
  Answer meeting = Post("/v1/meetings", staff,
                        {{"requestId", "ev-meet-1"},
                         {"meeting",
                          {{"unitId", absl::StrCat(unit)},
                           {"title", "镇政府会议"},
                           {"meetingOn", Date(Today())},
                           {"decidesCategory", "WELFARE_POLICIES"},
                           {"majorLivelihoodTopic", true}}}});
  ASSERT_EQ(meeting.status, 200) << meeting;
  Answer missing = Get(absl::StrCat("/v1/consultations:missingPreDisclosures?unitId=", unit),
                       env_->Token("office", std::nullopt, {"OFFICE"}));
  ASSERT_EQ(missing.status, 200) << missing;
  ASSERT_EQ(missing.json["missing"].size(), 1u) << missing;

  auto channel =
      grpc::CreateChannel(env_->consultation().grpc_address(), grpc::InsecureChannelCredentials());
  auto stub = common::v1::ComplianceEvidenceService::NewStub(channel);
  grpc::ClientContext context;
  context.AddMetadata("authorization",
                      absl::StrCat("Bearer ", env_->Token("insp", std::nullopt, {"INSPECTOR"})));
  common::v1::GetComplianceEvidenceRequest request;
  request.set_unit_id(unit);
  const absl::CivilDay today = Today();
  request.mutable_period_start()->set_year(static_cast<int32_t>(today.year()));
  request.mutable_period_start()->set_month(1);
  request.mutable_period_start()->set_day(1);
  request.mutable_period_end()->set_year(static_cast<int32_t>(today.year()));
  request.mutable_period_end()->set_month(12);
  request.mutable_period_end()->set_day(31);
  common::v1::ComplianceEvidence evidence;
  grpc::Status status = stub->GetComplianceEvidence(&context, request, &evidence);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(evidence.items_size(), 3);
  std::map<std::string, int64_t> counts;
  for (const auto& item : evidence.items()) {
    for (const auto& indicator : item.indicators()) counts[indicator.name()] = indicator.count();
  }
  EXPECT_EQ(counts["decisions_without_pre_disclosure"], 1);
  EXPECT_EQ(counts["livelihood_meetings_not_open"], 1);
  EXPECT_EQ(counts["meetings_held"], 1);
}

}  // namespace
}  // namespace gongkai::e2e
