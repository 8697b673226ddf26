// The demo data of ./gongkai up for the opinion-response service (issue 11), loaded into
// the real binaries: gongkai-catalog-demo loads the units, gongkai-opinion-demo collects
// five public-opinion events and takes each through its OPI-1 steps. A second run
// changes nothing: the events' first-seen times are relative to the run, so it must find
// the events the first run collected instead of collecting again (a reused request id
// with another request is refused by the service).
#include <unistd.h>

#include <fstream>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gongkai/opinion/v1/opinion.grpc.pb.h"
#include "gtest/gtest.h"
#include "tests/e2e/catalog_under_test.h"
#include "tests/e2e/e2e_database.h"
#include "tests/e2e/grpc_call.h"
#include "tests/e2e/run_command.h"
#include "tests/e2e/service_process.h"
#include "tests/e2e/stand_in_calendar.h"

#ifndef GONGKAI_OPINION_BINARY
#error "GONGKAI_OPINION_BINARY must be defined by the build"
#endif

namespace gongkai::e2e {
namespace {

namespace v1 = ::gongkai::opinion::v1;
using ::testing::HasSubstr;

// The tables the demo writes.
std::string RowCounts(const E2eDatabase& database) {
  return database.RowCounts({"opinion_events", "opinion_event_units", "opinion_event_steps"});
}

TEST(OpinionDemoE2eTest, Opi1DemoLoaderCollectsAndTakesEventsThroughTheirStepsOnce) {
  absl::StatusOr<std::unique_ptr<CatalogUnderTest>> catalog =
      CatalogUnderTest::Start("opidemo", {{"GONGKAI_CALENDAR_DIR", StandInCalendarDir()}});
  ASSERT_TRUE(catalog.ok()) << catalog.status();
  absl::StatusOr<std::unique_ptr<E2eDatabase>> database = E2eDatabase::Create("opinion_demo");
  ASSERT_TRUE(database.ok()) << database.status();
  const std::string catalog_address = (*catalog)->service().grpc_address();
  ServiceProcess::Options options;
  options.binary = GONGKAI_OPINION_BINARY;
  options.listening_message = "opinion listening";
  options.env = (*database)->ServiceEnv();
  options.env["GONGKAI_GRPC_ADDRESS"] = "127.0.0.1:0";
  options.env["GONGKAI_METRICS_ADDRESS"] = "127.0.0.1:0";
  options.env["GONGKAI_JWT_HS256_SECRET"] = (*catalog)->jwt_secret();
  options.env["GONGKAI_JWT_ISSUER"] = kE2eIssuer;
  options.env["GONGKAI_JWT_AUDIENCE"] = kE2eAudience;
  options.env["GONGKAI_CALENDAR_ADDRESS"] = catalog_address;
  options.env["GONGKAI_PEERS"] =
      absl::StrCat("catalog=", catalog_address, ",interpretation=127.0.0.1:1");
  absl::StatusOr<std::unique_ptr<ServiceProcess>> opinion = ServiceProcess::Start(options);
  ASSERT_TRUE(opinion.ok()) << opinion.status();

  const std::string secret_file =
      absl::StrCat(::testing::TempDir(), "/opinion-demo-", getpid(), ".key");
  {
    std::ofstream out(secret_file);
    out << (*catalog)->jwt_secret();
  }
  const std::string common = absl::StrCat(" --secret-file=", secret_file, " --issuer=", kE2eIssuer,
                                          " --audience=", kE2eAudience);
  auto [catalog_code, catalog_log] =
      RunCommand(absl::StrCat(GONGKAI_CATALOG_DEMO_BINARY, " --target=", catalog_address, common));
  ASSERT_EQ(catalog_code, 0) << catalog_log;

  const std::string demo =
      absl::StrCat(GONGKAI_OPINION_DEMO_BINARY, " --target=", (*opinion)->grpc_address(),
                   " --catalog=", catalog_address, common);
  auto [code, log] = RunCommand(demo);
  ASSERT_EQ(code, 0) << log;
  EXPECT_THAT(log, HasSubstr("opinion: 5 events collected (0 by an earlier run)")) << log;

  auto stub = v1::OpinionService::NewStub(
      grpc::CreateChannel((*opinion)->grpc_address(), grpc::InsecureChannelCredentials()));
  const std::string office = (*catalog)->Token("office-1", std::nullopt, {"OFFICE"});
  v1::ListEventsRequest list;
  list.set_page_size(100);
  absl::StatusOr<v1::ListEventsResponse> events =
      UnaryCall(*stub, &v1::OpinionService::Stub::ListEvents, office, list);
  ASSERT_TRUE(events.ok()) << events.status();
  ASSERT_EQ(events->events_size(), 5);
  int closed = 0;
  for (const v1::OpinionEvent& event : events->events()) {
    EXPECT_GT(event.responsibility().lead_unit_id(), 0) << event.title();  // OPI-2 routing.
    if (event.state() == v1::EVENT_CLOSED) ++closed;
  }
  EXPECT_GE(closed, 1) << "the demo takes at least one event to the end of OPI-1";
  const std::string before = RowCounts(**database);

  // Run again: nothing new, no failure.
  auto [again_code, again_log] = RunCommand(demo);
  ASSERT_EQ(again_code, 0) << again_log;
  EXPECT_THAT(again_log, HasSubstr("opinion: 0 events collected (5 by an earlier run), 0 workflow "
                                   "steps"));
  EXPECT_EQ(RowCounts(**database), before);
  std::remove(secret_file.c_str());
}

}  // namespace
}  // namespace gongkai::e2e
