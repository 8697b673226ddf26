// The demo data of ./gongkai up for the consultation service (issue 10), loaded into the
// real binaries: gongkai-catalog-demo loads the units, gongkai-consultation-demo opens
// the consultations (a major decision for 30 calendar days with a hearing and a public
// meeting, a normative document for 7 working days, one whose every comment is
// decided); a second run changes nothing. Once the decided consultation's period has
// passed (its stored dates moved back, as the service's database user), a third run
// publishes its feedback statement and concludes it (CON-3).
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/calendar/working_day_calendar.h"
#include "libs/clock/clock.h"
#include "libs/db/connection_pool.h"
#include "tests/e2e/consultation_under_test.h"
#include "tests/e2e/run_command.h"

namespace gongkai::e2e {
namespace {

namespace v1 = ::gongkai::consultation::v1;
using ::testing::HasSubstr;

// The tables the demo writes.
std::string RowCounts(const E2eDatabase& database) {
  return database.RowCounts({"consultations", "comments", "comment_groups", "hearings",
                             "meeting_plans", "feedback_statements"});
}

std::vector<v1::Consultation> AllConsultations(v1::ConsultationService::Stub& stub,
                                               const std::string& token) {
  grpc::ClientContext context;
  context.AddMetadata("authorization", absl::StrCat("Bearer ", token));
  v1::ListConsultationsRequest request;
  request.set_page_size(100);
  v1::ListConsultationsResponse response;
  const grpc::Status status = stub.ListConsultations(&context, request, &response);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return {response.consultations().begin(), response.consultations().end()};
}

TEST(ConsultationDemoE2eTest, DemoLoaderOpensConsultationsIdempotentlyAndLaterConcludes) {
  absl::StatusOr<std::unique_ptr<ConsultationUnderTest>> env =
      ConsultationUnderTest::Start("consdemo");
  ASSERT_TRUE(env.ok()) << env.status();
  const std::string secret_file =
      absl::StrCat(::testing::TempDir(), "/consultation-demo-", getpid(), ".key");
  {
    std::ofstream out(secret_file);
    out << (*env)->catalog().jwt_secret();
  }
  const std::string common = absl::StrCat(" --secret-file=", secret_file, " --issuer=", kE2eIssuer,
                                          " --audience=", kE2eAudience);
  const std::string catalog_address = (*env)->catalog().service().grpc_address();
  auto [catalog_code, catalog_log] =
      RunCommand(absl::StrCat(GONGKAI_CATALOG_DEMO_BINARY, " --target=", catalog_address, common));
  ASSERT_EQ(catalog_code, 0) << catalog_log;

  // The catalog comes from GONGKAI_PEERS, as ./gongkai and k8s set it.
  const std::string demo =
      absl::StrCat("GONGKAI_PEERS=catalog=", catalog_address, " ", GONGKAI_CONSULTATION_DEMO_BINARY,
                   " --target=", (*env)->consultation().grpc_address(), common);
  auto [code, log] = RunCommand(demo);
  ASSERT_EQ(code, 0) << log;
  EXPECT_THAT(log, HasSubstr("3 consultations created, 10 comments posted, 3 comment groups "
                             "decided, 0 feedback statements published, 0 attached to meeting "
                             "plans, 1 hearings, 2 meeting plans"))
      << log;

  auto stub = (*env)->NewStub();
  const std::string office = (*env)->Token("office-1", std::nullopt, {"OFFICE"});
  std::vector<v1::Consultation> consultations = AllConsultations(*stub, office);
  ASSERT_EQ(consultations.size(), 3u);
  int64_t decided_id = 0;
  for (const v1::Consultation& c : consultations) {
    EXPECT_EQ(c.state(), v1::OPEN) << c.title();
    EXPECT_FALSE(c.period_rule().empty()) << c.title();
    if (c.decision_type() == v1::NORMATIVE_DOCUMENT) {
      EXPECT_EQ(c.period_days(), 7);
      EXPECT_THAT(c.period_rule(), HasSubstr("normative_document.min_working_days"));
    } else {
      EXPECT_EQ(c.period_days(), 30);
      EXPECT_THAT(c.period_rule(), HasSubstr("major_decision.min_calendar_days"));
    }
    if (c.title().find("养犬") != std::string::npos) {
      decided_id = c.id();
    }
  }
  ASSERT_GT(decided_id, 0);
  {
    grpc::ClientContext context;
    context.AddMetadata("authorization", absl::StrCat("Bearer ", office));
    v1::GetConsultationRequest get;
    get.set_id(decided_id);
    v1::Consultation decided;
    ASSERT_TRUE(stub->GetConsultation(&context, get, &decided).ok());
    EXPECT_EQ(decided.comment_count(), 5);
    EXPECT_EQ(decided.undecided_comment_count(), 0);  // The campaign decided once for three.
  }
  const std::string before = RowCounts((*env)->database());

  // Run again: nothing new, no failure.
  auto [again_code, again_log] = RunCommand(demo);
  ASSERT_EQ(again_code, 0) << again_log;
  EXPECT_THAT(again_log, HasSubstr("0 consultations created, 0 comments posted, 0 comment groups "
                                   "decided, 0 feedback statements published"));
  EXPECT_EQ(RowCounts((*env)->database()), before);

  // The period of the decided consultation passes: the next run publishes and concludes.
  {
    RealClock clock;
    const absl::CivilDay today = calendar::TodayInShanghai(clock);
    absl::StatusOr<std::unique_ptr<db::ConnectionPool>> pool =
        db::ConnectionPool::Create((*env)->database().ServiceConfig(1));
    ASSERT_TRUE(pool.ok()) << pool.status();
    absl::StatusOr<db::ConnectionLease> conn = (*pool)->Acquire();
    ASSERT_TRUE(conn.ok()) << conn.status();
    ASSERT_TRUE((*conn)
                    ->Execute("UPDATE consultations SET opens_on = ?, closes_on = ? WHERE id = ?",
                              {today - 31, today - 1, decided_id})
                    .ok());
  }
  auto [third_code, third_log] = RunCommand(demo);
  ASSERT_EQ(third_code, 0) << third_log;
  EXPECT_THAT(third_log, HasSubstr("1 feedback statements published, 1 attached to meeting plans"))
      << third_log;
  grpc::ClientContext context;
  v1::GetFeedbackStatementRequest get;
  get.set_consultation_id(decided_id);
  v1::FeedbackStatement statement;
  ASSERT_TRUE(stub->GetFeedbackStatement(&context, get, &statement).ok());
  EXPECT_EQ(statement.comment_count(), 5);
  EXPECT_EQ(statement.adopted_count(), 1);
  EXPECT_EQ(statement.partly_adopted_count(), 1);
  EXPECT_EQ(statement.not_adopted_count(), 3);
  for (const v1::Consultation& c : AllConsultations(*stub, office)) {
    if (c.id() == decided_id) {
      EXPECT_EQ(c.state(), v1::CONCLUDED);
    }
  }
  // CON-3: the statement is attached to the plan of the meeting deciding the rules.
  {
    absl::StatusOr<std::unique_ptr<db::ConnectionPool>> pool =
        db::ConnectionPool::Create((*env)->database().ServiceConfig(1));
    ASSERT_TRUE(pool.ok()) << pool.status();
    absl::StatusOr<db::ConnectionLease> conn = (*pool)->Acquire();
    ASSERT_TRUE(conn.ok()) << conn.status();
    absl::StatusOr<db::ResultSet> plans = (*conn)->Query(
        "SELECT id FROM meeting_plans WHERE consultation_id = ? AND "
        "feedback_statement IS NOT NULL",
        {decided_id});
    ASSERT_TRUE(plans.ok()) << plans.status();
    ASSERT_EQ(plans->size(), 1u);
    absl::StatusOr<int64_t> plan_id = (*plans)[0].GetInt64(0);
    ASSERT_TRUE(plan_id.ok());
    grpc::ClientContext plan_context;
    v1::GetMeetingPlanRequest get_plan;
    get_plan.set_id(*plan_id);
    v1::MeetingPlan plan;
    ASSERT_TRUE(stub->GetMeetingPlan(&plan_context, get_plan, &plan).ok());
    EXPECT_THAT(plan.title(), HasSubstr("养犬"));
    EXPECT_EQ(plan.feedback_statement().comment_count(), 5);
  }
  // And once more: nothing changes.
  const std::string concluded = RowCounts((*env)->database());
  auto [last_code, last_log] = RunCommand(demo);
  EXPECT_EQ(last_code, 0) << last_log;
  EXPECT_EQ(RowCounts((*env)->database()), concluded);
  std::remove(secret_file.c_str());
}

}  // namespace
}  // namespace gongkai::e2e
