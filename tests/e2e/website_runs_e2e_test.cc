// WEB-2 supervision runs are long-running operations of the real gongkai-website binary
// (beside the real catalog, on MariaDB): started by one call, polled for progress,
// cancellable, and resumed after the process is SIGKILLed in the middle of a run —
// every site's result stored exactly once, none lost, and a cancelled run stays
// cancelled across the restart. Runs go in small batches with a pause between them
// (GONGKAI_SUPERVISION_BATCH/_PAUSE) so the kill lands mid-run, and a short claim lease
// (GONGKAI_SUPERVISION_LEASE) so the restarted process takes the dead one's run over
// quickly.
#include <signal.h>

#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gongkai/catalog/v1/catalog.grpc.pb.h"
#include "gongkai/website/v1/website.grpc.pb.h"
#include "gtest/gtest.h"
#include "tests/e2e/catalog_under_test.h"
#include "tests/e2e/e2e_database.h"
#include "tests/e2e/grpc_call.h"
#include "tests/e2e/service_process.h"
#include "tests/e2e/stand_in_calendar.h"
#include "tests/e2e/website_under_test.h"

namespace gongkai::e2e {
namespace {

namespace v1 = ::gongkai::website::v1;
using Stub = v1::WebsiteService::Stub;

constexpr int kSites = 40;

class WebsiteRunsE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<CatalogUnderTest>> catalog =
        CatalogUnderTest::Start("webrun", {{"GONGKAI_CALENDAR_DIR", StandInCalendarDir()}});
    ASSERT_TRUE(catalog.ok()) << catalog.status();
    catalog_ = *std::move(catalog);
    admin_ = catalog_->Token("e2e-admin", std::nullopt, {"ADMIN"});
    office_ = catalog_->Token("e2e-office", std::nullopt, {"OFFICE"});
    catalog::v1::CreateUnitRequest unit;
    unit.mutable_unit()->set_code("WEB-RUN-1");
    unit.mutable_unit()->set_name("市数据局");
    unit.mutable_unit()->set_level(catalog::v1::UNIT_LEVEL_DEPARTMENT);
    auto catalog_stub = catalog_->NewStub();
    absl::StatusOr<catalog::v1::Unit> created =
        UnaryCall(*catalog_stub, &catalog::v1::CatalogService::Stub::CreateUnit, admin_, unit);
    ASSERT_TRUE(created.ok()) << created.status();
    unit_ = created->id();
    absl::StatusOr<std::unique_ptr<E2eDatabase>> database = E2eDatabase::Create("webrunsite");
    ASSERT_TRUE(database.ok()) << database.status();
    database_ = *std::move(database);
    StartWebsite();
  }

  void StartWebsite() {
    ServiceProcess::Options options = WebsiteOptions(*database_, *catalog_);
    options.env["GONGKAI_PROBER_ENABLED"] = "false";
    options.env["GONGKAI_SUPERVISION_BATCH"] = "4";
    options.env["GONGKAI_SUPERVISION_PAUSE"] = "250ms";
    options.env["GONGKAI_SUPERVISION_LEASE"] = "2s";
    absl::StatusOr<std::unique_ptr<ServiceProcess>> website =
        ServiceProcess::Start(std::move(options));
    ASSERT_TRUE(website.ok()) << website.status();
    website_ = *std::move(website);
    stub_ = v1::WebsiteService::NewStub(
        grpc::CreateChannel(website_->grpc_address(), grpc::InsecureChannelCredentials()));
  }

  void KillWebsite() {
    kill(website_->pid(), SIGKILL);
    (void)website_->Stop();  // Reaps it; killed by signal 9 is the expected result.
    website_.reset();
  }

  absl::StatusOr<v1::SupervisionRun> Get(int64_t id) {
    v1::GetSupervisionRunRequest get;
    get.set_id(id);
    return UnaryCall(*stub_, &Stub::GetSupervisionRun, office_, get);
  }

  // Polls until `done` holds for the run (or 60 s pass); returns the last answer.
  absl::StatusOr<v1::SupervisionRun> PollUntil(
      int64_t id, const std::function<bool(const v1::SupervisionRun&)>& done) {
    absl::StatusOr<v1::SupervisionRun> run = Get(id);
    for (int i = 0; i < 1200 && run.ok() && !done(*run); ++i) {
      absl::SleepFor(absl::Milliseconds(50));
      run = Get(id);
    }
    return run;
  }

  absl::StatusOr<v1::SupervisionRun> Start(const std::string& request_id, v1::RunKind kind) {
    v1::StartSupervisionRunRequest start;
    start.set_request_id(request_id);
    start.set_kind(kind);
    return UnaryCall(*stub_, &Stub::StartSupervisionRun, office_, start);
  }

  std::unique_ptr<CatalogUnderTest> catalog_;
  std::unique_ptr<E2eDatabase> database_;
  std::unique_ptr<ServiceProcess> website_;
  std::unique_ptr<Stub> stub_;
  std::string admin_, office_;
  int64_t unit_ = 0;
};

TEST_F(WebsiteRunsE2eTest, Web2ARunResumesAfterTheProcessIsKilledAndCancelSurvivesARestart) {
  for (int i = 0; i < kSites; ++i) {
    v1::CreateSiteRequest create;
    create.set_request_id(absl::StrCat("run-site-", i));
    create.mutable_site()->set_unit_id(unit_);
    create.mutable_site()->set_name(absl::StrCat("网站", i));
    create.mutable_site()->set_kind(v1::DEPARTMENT_SITE);
    create.mutable_site()->set_url(absl::StrCat("http://127.0.0.1:9/", i));
    create.mutable_site()->set_state(v1::OPERATION);
    ASSERT_TRUE(UnaryCall(*stub_, &Stub::CreateSite, office_, create).ok());
  }
  // Started by one call: RUNNING at once, with the sites it covers counted.
  absl::StatusOr<v1::SupervisionRun> run = Start("census-1", v1::QUARTERLY_CENSUS);
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(run->state(), v1::RUNNING);
  EXPECT_EQ(run->sites_total(), kSites);
  // Polled: progress shows; the process is killed in the middle of the run.
  absl::StatusOr<v1::SupervisionRun> midway =
      PollUntil(run->id(), [](const v1::SupervisionRun& r) { return r.sites_done() >= 8; });
  ASSERT_TRUE(midway.ok()) << midway.status();
  KillWebsite();
  ASSERT_EQ(midway->state(), v1::RUNNING) << "the run ended before the kill; make it longer";
  ASSERT_LT(midway->sites_done(), kSites);

  StartWebsite();
  absl::StatusOr<v1::SupervisionRun> resumed = Get(run->id());
  ASSERT_TRUE(resumed.ok());
  EXPECT_GE(resumed->sites_done(), midway->sites_done());  // Nothing stored was lost.
  // A second run, cancelled while the first is still going.
  absl::StatusOr<v1::SupervisionRun> other = Start("monthly-1", v1::MONTHLY_MONITORING);
  ASSERT_TRUE(other.ok()) << other.status();
  v1::CancelSupervisionRunRequest cancel;
  cancel.set_id(other->id());
  absl::StatusOr<v1::SupervisionRun> cancelled =
      UnaryCall(*stub_, &Stub::CancelSupervisionRun, office_, cancel);
  ASSERT_TRUE(cancelled.ok()) << cancelled.status();
  EXPECT_EQ(cancelled->state(), v1::CANCELLED);

  absl::StatusOr<v1::SupervisionRun> finished =
      PollUntil(run->id(), [](const v1::SupervisionRun& r) { return r.state() != v1::RUNNING; });
  ASSERT_TRUE(finished.ok()) << finished.status();
  ASSERT_EQ(finished->state(), v1::SUCCEEDED) << website_->LogTail();
  EXPECT_EQ(finished->sites_done(), kSites);
  // No filing numbers or assessments were registered: the census says so for each.
  EXPECT_EQ(finished->sites_register_incomplete(), kSites);

  // Every site's result exactly once.
  std::set<int64_t> sites;
  v1::ListSupervisionResultsRequest list;
  list.set_run_id(run->id());
  list.set_page_size(7);
  int results = 0;
  do {
    absl::StatusOr<v1::ListSupervisionResultsResponse> page =
        UnaryCall(*stub_, &Stub::ListSupervisionResults, office_, list);
    ASSERT_TRUE(page.ok()) << page.status();
    for (const v1::SupervisionResult& r : page->results()) {
      sites.insert(r.site_id());
      ++results;
      EXPECT_EQ(r.evaluation().scope(), v1::QUARTERLY_CENSUS);
    }
    list.set_page_token(page->next_page_token());
  } while (!list.page_token().empty());
  EXPECT_EQ(results, kSites);
  EXPECT_EQ(sites.size(), static_cast<size_t>(kSites));

  // The cancelled run stays cancelled across another restart and stores nothing more.
  const int done_when_cancelled = Get(other->id())->sites_done();
  KillWebsite();
  StartWebsite();
  absl::SleepFor(absl::Seconds(3));  // Longer than the lease: nothing picks it up.
  absl::StatusOr<v1::SupervisionRun> still = Get(other->id());
  ASSERT_TRUE(still.ok());
  EXPECT_EQ(still->state(), v1::CANCELLED);
  EXPECT_EQ(still->sites_done(), done_when_cancelled);
}

}  // namespace
}  // namespace gongkai::e2e
