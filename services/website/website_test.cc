// Pure rules of the domain: the WEB-1 lifecycle, which sites the prober schedules, the
// spread of probe slots (NAT-13: >= 20 a day), and the access table (roles x own/other
// unit).
#include "services/website/website.h"

#include <memory>
#include <set>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/clock/clock.h"
#include "libs/protoconv/protoconv.h"
#include "libs/rules/embedded_rule_sets.h"
#include "services/website/mock_website_repository.h"
#include "services/website/prober/probe_scheduler.h"
#include "services/website/scoring/evaluation.h"
#include "services/website/supervision/run_worker.h"
#include "services/website/website_access.h"

namespace gongkai::website {
namespace {

using auth::Principal;
using auth::Role;

TEST(LifecycleTest, Web1WebsitesGoThroughEveryStage) {
  EXPECT_TRUE(IsAllowedTransition(v1::PORTAL, v1::OPENING, v1::BUILDING));
  EXPECT_TRUE(IsAllowedTransition(v1::PORTAL, v1::BUILDING, v1::GRADING));
  EXPECT_TRUE(IsAllowedTransition(v1::PORTAL, v1::GRADING, v1::FILING));
  EXPECT_TRUE(IsAllowedTransition(v1::PORTAL, v1::FILING, v1::OPERATION));
  EXPECT_TRUE(IsAllowedTransition(v1::PORTAL, v1::OPERATION, v1::LEVEL_PROTECTION));
  EXPECT_TRUE(IsAllowedTransition(v1::PORTAL, v1::LEVEL_PROTECTION, v1::OPERATION));
  EXPECT_FALSE(IsAllowedTransition(v1::PORTAL, v1::OPENING, v1::OPERATION));
  EXPECT_FALSE(IsAllowedTransition(v1::PORTAL, v1::OPERATION, v1::OPERATION));
}

TEST(LifecycleTest, Web1Web5ShutdownAndMigrationAreFinal) {
  EXPECT_TRUE(IsAllowedTransition(v1::DEPARTMENT_SITE, v1::OPERATION, v1::MIGRATED));
  EXPECT_TRUE(IsAllowedTransition(v1::DEPARTMENT_SITE, v1::BUILDING, v1::SHUTDOWN));
  EXPECT_FALSE(IsAllowedTransition(v1::DEPARTMENT_SITE, v1::MIGRATED, v1::OPERATION));
  EXPECT_FALSE(IsAllowedTransition(v1::DEPARTMENT_SITE, v1::SHUTDOWN, v1::OPENING));
}

TEST(LifecycleTest, Web1AccountsOpenStraightIntoOperation) {
  EXPECT_TRUE(IsAllowedTransition(v1::WECHAT, v1::OPENING, v1::OPERATION));
  EXPECT_FALSE(IsAllowedTransition(v1::WEIBO, v1::OPENING, v1::BUILDING));
  EXPECT_TRUE(IsAllowedTransition(v1::APP, v1::OPERATION, v1::SHUTDOWN));
}

TEST(ProbedTest, Nat13OnlyWorkingWebsitesAreProbed) {
  v1::Site site;
  site.set_kind(v1::PORTAL);
  site.set_state(v1::OPERATION);
  EXPECT_TRUE(IsProbed(site));
  site.set_state(v1::LEVEL_PROTECTION);
  EXPECT_TRUE(IsProbed(site));
  site.set_state(v1::BUILDING);
  EXPECT_FALSE(IsProbed(site));
  site.set_state(v1::OPERATION);
  site.set_kind(v1::WEIBO);
  EXPECT_FALSE(IsProbed(site));
}

TEST(NextSlotTest, Nat13SlotsRepeatEveryIntervalAndSpreadSites) {
  const absl::Duration interval = absl::Hours(1);  // 24 a day.
  const absl::Time now = absl::FromUnixSeconds(1'800'000'000);
  const absl::Time first = NextSlot(42, now, interval);
  EXPECT_GT(first, now);
  EXPECT_LE(first - now, interval);
  EXPECT_EQ(NextSlot(42, first, interval), first + interval);
  std::set<int64_t> offsets;
  for (int64_t site = 1; site <= 50; ++site) {
    offsets.insert(absl::ToUnixSeconds(NextSlot(site, now, interval)) % 3600);
  }
  EXPECT_GT(offsets.size(), 40u);  // Not all on the hour.
}

// NAT-13: a slot claimed on time takes itself; one claimed after every replica was
// stopped takes the latest slot due and leaves the earlier ones as a gap.
TEST(CatchUpTest, Nat13AClaimAfterAStopTakesTheLatestSlotAndRecordsTheGap) {
  const absl::Duration interval = absl::Hours(1);
  const absl::Time now = absl::FromUnixSeconds(1'800'000'000);
  const absl::Time slot = NextSlot(42, now, interval);
  const SlotCatchUp on_time = CatchUp(42, slot, slot + absl::Seconds(2), interval);
  EXPECT_EQ(on_time.slot, slot);
  EXPECT_FALSE(on_time.gap.has_value());
  // Back three and a half intervals later: slots at +1h, +2h, +3h are due too.
  const SlotCatchUp late = CatchUp(42, slot, slot + absl::Minutes(210), interval);
  EXPECT_EQ(late.slot, slot + 3 * interval);
  ASSERT_TRUE(late.gap.has_value());
  EXPECT_EQ(late.gap->slots, 3);
  EXPECT_EQ(late.gap->first_slot, slot);
  EXPECT_EQ(late.gap->last_slot, slot + 2 * interval);
  // A first slot off the grid (the registration time) counts as one missed slot.
  const absl::Time registered = slot - absl::Minutes(10);
  const SlotCatchUp first = CatchUp(42, registered, slot + absl::Minutes(5), interval);
  EXPECT_EQ(first.slot, slot);
  ASSERT_TRUE(first.gap.has_value());
  EXPECT_EQ(first.gap->slots, 1);
  EXPECT_EQ(first.gap->last_slot, registered);
  // The window counts only the gap's slots inside it.
  EXPECT_EQ(scoring::MissedSlotsIn(*late.gap, slot + absl::Minutes(30), slot + 5 * interval), 2);
  EXPECT_EQ(scoring::MissedSlotsIn(*late.gap, slot, slot + absl::Minutes(30)), 1);
}

Principal Caller(Role role, std::optional<int64_t> unit) {
  Principal p;
  p.subject = "u";
  p.roles.Add(role);
  p.unit_id = unit;
  return p;
}

TEST(AccessTest, UnitRolesActOnTheirOwnUnitOnly) {
  EXPECT_TRUE(Authorize(Caller(Role::kStaff, 3), kRegisterWriters, 3, "x").ok());
  EXPECT_EQ(Authorize(Caller(Role::kStaff, 3), kRegisterWriters, 4, "x").code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(Authorize(Caller(Role::kOffice, std::nullopt), kRegisterWriters, 4, "x").ok());
  EXPECT_EQ(Authorize(Caller(Role::kInspector, std::nullopt), kRegisterWriters, 4, "x").code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(Authorize(Caller(Role::kInspector, std::nullopt), kRegisterReaders, 4, "x").ok());
  EXPECT_EQ(Authorize(Principal::Anonymous(), kRegisterReaders, 4, "x").code(),
            absl::StatusCode::kUnauthenticated);
}

TEST(AccessTest, Web4SupervisionIsForTheOfficeAndTheSupervisionOffice) {
  EXPECT_TRUE(Authorize(Caller(Role::kSupervision, std::nullopt), kSupervisors, {}, "x").ok());
  EXPECT_TRUE(Authorize(Caller(Role::kOffice, std::nullopt), kSupervisors, {}, "x").ok());
  EXPECT_EQ(Authorize(Caller(Role::kStaff, 3), kSupervisors, {}, "x").code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(Authorize(Caller(Role::kHead, 3), kRectifiers, 3, "x").ok());
  EXPECT_EQ(Authorize(Caller(Role::kHead, 3), kRectifiers, 5, "x").code(),
            absl::StatusCode::kPermissionDenied);
}

TEST(AccessTest, Nat13SevereErrorsAreRecordedByInspectors) {
  EXPECT_TRUE(
      Authorize(Caller(Role::kInspector, std::nullopt), kSevereErrorRecorders, 1, "x").ok());
  EXPECT_EQ(Authorize(Caller(Role::kStaff, 1), kSevereErrorRecorders, 1, "x").code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(Authorize(Caller(Role::kService, std::nullopt), kMessageSubmitters, 1, "x").ok());
}

// With a repository double: what the domain asks of storage.
class WebsiteWithMockTest : public ::testing::Test {
 protected:
  void SetUp() override {
    book_ = std::make_shared<rules::RuleBook>(WebsiteRuleSchemas());
    ASSERT_TRUE(rules::LoadRuleSetFiles(*book_, rules::EmbeddedRuleSetFiles()).ok());
    website_ = std::make_unique<Website>(
        WebsiteDeps{&repository_, nullptr, nullptr, book_, &clock_, UnitCheck()});
  }
  ::testing::StrictMock<MockWebsiteRepository> repository_;
  FakeClock clock_{absl::FromUnixSeconds(1'796'000'000)};
  std::shared_ptr<rules::RuleBook> book_;
  std::unique_ptr<Website> website_;
};

TEST_F(WebsiteWithMockTest, BadInputNeverReachesTheRepository) {
  v1::CreateSiteRequest create;
  create.set_request_id("r");
  create.mutable_site()->set_unit_id(1);
  create.mutable_site()->set_name("x");
  create.mutable_site()->set_kind(v1::PORTAL);
  create.mutable_site()->set_url("ftp://nope");
  EXPECT_EQ(website_->CreateSite(Caller(Role::kOffice, std::nullopt), create).status().code(),
            absl::StatusCode::kInvalidArgument);
  v1::StartSupervisionRunRequest run;  // No kind.
  run.set_request_id("r");
  EXPECT_EQ(website_->StartSupervisionRun(Caller(Role::kOffice, std::nullopt), run).status().code(),
            absl::StatusCode::kInvalidArgument);
}

// WEB-2: a run cancelled (or taken over) while a batch was being worked stores nothing:
// the worker stops at the refused batch and keeps no claim to give back.
TEST_F(WebsiteWithMockTest, Web2AWorkerStopsAtARunThatWasCancelled) {
  using ::testing::_;
  using ::testing::Return;
  v1::SupervisionRun run;
  run.set_id(9);
  run.set_kind(v1::WEEKLY_CHECK);
  *run.mutable_as_of() = ToProtoDate(absl::CivilDay(2026, 12, 7));
  EXPECT_CALL(repository_, ClaimRun(_, _, _))
      .WillOnce(Return(std::optional<v1::SupervisionRun>(run)));
  v1::Site site;
  site.set_id(5);
  site.set_kind(v1::PORTAL);
  site.set_state(v1::OPERATION);
  EXPECT_CALL(repository_, SitesForRun(v1::WEEKLY_CHECK, 0, 2))
      .WillOnce(Return(std::vector<v1::Site>{site}));
  scoring::EvaluationInput input;
  input.site = site;
  input.as_of = absl::CivilDay(2026, 12, 7);
  EXPECT_CALL(repository_, LoadEvaluationInput(_, _, _, _, _, _, _)).WillOnce(Return(input));
  EXPECT_CALL(repository_, RecordRunProgress(9, _, _, _, _))
      .WillOnce(
          [](int64_t, const std::string&, const RunProgress& progress, absl::Time, absl::Duration) {
            EXPECT_EQ(progress.results.size(), 1u);
            EXPECT_EQ(progress.results[0].evaluation().scope(), v1::WEEKLY_CHECK);
            return absl::AbortedError("cancelled");
          });
  RunWorker worker(&repository_, website_.get(), &clock_, {.batch = 2, .replica = "m"});
  EXPECT_EQ(*worker.RunOnce(), 0);
}

}  // namespace
}  // namespace gongkai::website
