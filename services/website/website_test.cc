// Pure rules of the domain: the WEB-1 lifecycle, which sites the prober schedules, the
// spread of probe slots (NAT-13: >= 20 a day), and the access table (roles x own/other
// unit).
#include "services/website/website.h"

#include <set>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
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

}  // namespace
}  // namespace gongkai::website
