#include "libs/auth/policy.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gongkai::auth {
namespace {

using ::testing::HasSubstr;

// The shape a service's rule table takes (designated initializers, constexpr).
constexpr Rule kSearchPublished{.roles = {Role::kPublic}, .access = Access::kRead};
constexpr Rule kGetDocument{
    .roles = {Role::kStaff, Role::kReviewer, Role::kOffice, Role::kInspector, Role::kAdmin},
    .unit_scoped = true,
    .access = Access::kRead};
constexpr Rule kCreateDocument{.roles = {Role::kStaff, Role::kOffice, Role::kAdmin},
                               .unit_scoped = true};
constexpr Rule kReviewRelease{.roles = {Role::kReviewer, Role::kOffice}, .unit_scoped = true};
constexpr Rule kReturnDocument{.roles = {Role::kOffice}, .unit_scoped = true};
constexpr Rule kScoreAssessment{.roles = {Role::kInspector, Role::kAdmin}};  // a write
constexpr Rule kListStaffDirectory{.roles = {Role::kStaff, Role::kOffice}};  // not scoped

static_assert(kCreateDocument.roles.Contains(Role::kStaff));
static_assert(!kCreateDocument.roles.Contains(Role::kInspector));

Principal Make(std::string subject, std::optional<int64_t> unit, RoleSet roles) {
  Principal p;
  p.subject = std::move(subject);
  p.unit_id = unit;
  p.roles = roles;
  return p;
}

std::string Message(const absl::Status& status) { return std::string(status.message()); }

TEST(PolicyTest, StaffMayActOnTheirOwnUnit) {
  Principal staff = Make("alice", 3, {Role::kStaff});
  EXPECT_TRUE(Require(staff, kCreateDocument, 3).ok());
  EXPECT_TRUE(Require(staff, kGetDocument, 3).ok());
}

TEST(PolicyTest, StaffOfAnotherUnitIsDenied) {
  absl::Status status = Require(Make("alice", 3, {Role::kStaff}), kCreateDocument, 5);
  EXPECT_EQ(status.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Message(status), "role STAFF is limited to unit 3; the resource belongs to unit 5");
}

TEST(PolicyTest, StaffMayNotActAcrossAllUnitsOnAScopedRule) {
  absl::Status status = Require(Make("alice", 3, {Role::kStaff}), kGetDocument, std::nullopt);
  EXPECT_EQ(status.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(Message(status), HasSubstr("not limited to one unit"));
}

TEST(PolicyTest, UnscopedRuleLetsStaffOfAnyUnitThrough) {
  EXPECT_TRUE(Require(Make("alice", 3, {Role::kStaff}), kListStaffDirectory, 9).ok());
}

TEST(PolicyTest, ReviewerIsScopedToTheirUnitAndCannotCreate) {
  Principal reviewer = Make("rita", 4, {Role::kReviewer});
  EXPECT_TRUE(Require(reviewer, kReviewRelease, 4).ok());
  EXPECT_THAT(Message(Require(reviewer, kReviewRelease, 3)), HasSubstr("role REVIEWER"));
  absl::Status status = Require(reviewer, kCreateDocument, 4);
  EXPECT_EQ(status.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Message(status),
            "this action needs one of the roles STAFF, OFFICE, ADMIN; caller has REVIEWER");
}

TEST(PolicyTest, OfficeActsOnAnyUnitAndMayReturnDocuments) {
  Principal office = Make("olga", std::nullopt, {Role::kOffice});
  for (int64_t unit : {1, 3, 77}) {
    EXPECT_TRUE(Require(office, kCreateDocument, unit).ok());
    EXPECT_TRUE(Require(office, kReturnDocument, unit).ok());
  }
  EXPECT_TRUE(Require(office, kGetDocument, std::nullopt).ok());
  EXPECT_EQ(Require(Make("alice", 3, {Role::kStaff}), kReturnDocument, 3).code(),
            absl::StatusCode::kPermissionDenied);
}

TEST(PolicyTest, AdminActsOnAnyUnit) {
  EXPECT_TRUE(Require(Make("root", std::nullopt, {Role::kAdmin}), kCreateDocument, 12).ok());
}

TEST(PolicyTest, InspectorReadsEverythingButWritesNothing) {
  Principal inspector = Make("ivan", std::nullopt, {Role::kInspector});
  EXPECT_TRUE(Require(inspector, kGetDocument, 3).ok());
  EXPECT_TRUE(Require(inspector, kGetDocument, std::nullopt).ok());
  absl::Status listed_write = Require(inspector, kScoreAssessment);
  EXPECT_EQ(listed_write.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(Message(listed_write), HasSubstr("INSPECTOR is read-only"));
  EXPECT_THAT(Message(Require(inspector, kCreateDocument, 3)),
              HasSubstr("needs one of the roles STAFF, OFFICE, ADMIN; caller has INSPECTOR"));
}

TEST(PolicyTest, HeadIsScopedToTheirUnitLikeStaff) {
  constexpr Rule kApprovePlan{.roles = {Role::kHead}, .unit_scoped = true};
  Principal head = Make("chief", 3, {Role::kHead});
  EXPECT_TRUE(Require(head, kApprovePlan, 3).ok());
  EXPECT_THAT(Message(Require(head, kApprovePlan, 4)), HasSubstr("role HEAD is limited to unit 3"));
  // Heading a unit grants nothing a rule does not name.
  EXPECT_EQ(Require(head, kCreateDocument, 3).code(), absl::StatusCode::kPermissionDenied);
}

TEST(PolicyTest, SupervisionAndServiceActOnAnyUnitOnlyWhereListed) {
  constexpr Rule kFollowInstruction{.roles = {Role::kSupervision}, .unit_scoped = true};
  constexpr Rule kCheckRelease{.roles = {Role::kService}, .unit_scoped = true};
  Principal supervision = Make("duchashi", std::nullopt, {Role::kSupervision});
  Principal service = Make("service:catalog", std::nullopt, {Role::kService});
  EXPECT_TRUE(Require(supervision, kFollowInstruction, 9).ok());
  EXPECT_TRUE(Require(service, kCheckRelease, 9).ok());
  EXPECT_TRUE(Require(service, kCheckRelease).ok());
  EXPECT_EQ(Require(service, kCreateDocument, 9).code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Require(supervision, kCheckRelease, 9).code(), absl::StatusCode::kPermissionDenied);
}

TEST(PolicyTest, AnyGrantingRoleSuffices) {
  Principal both = Make("bob", 3, {Role::kStaff, Role::kInspector});
  EXPECT_TRUE(Require(both, kGetDocument, 8).ok()) << "INSPECTOR reads unit 8";
  EXPECT_EQ(Require(both, kCreateDocument, 8).code(), absl::StatusCode::kPermissionDenied);
}

TEST(PolicyTest, AnonymousCallerNeedsToSignIn) {
  absl::Status status = Require(Principal::Anonymous(), kGetDocument, 3);
  EXPECT_EQ(status.code(), absl::StatusCode::kUnauthenticated);
  EXPECT_THAT(Message(status), HasSubstr("sign-in required"));
}

TEST(PolicyTest, PublicRulesAdmitEveryone) {
  EXPECT_TRUE(Require(Principal::Anonymous(), kSearchPublished).ok());
  EXPECT_TRUE(Require(Make("alice", 3, {Role::kStaff}), kSearchPublished, 9).ok());
}

TEST(PolicyTest, SignedInCallerWithoutRolesIsDenied) {
  absl::Status status = Require(Make("nobody", std::nullopt, {}), kGetDocument, 3);
  EXPECT_EQ(status.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(Message(status), HasSubstr("caller has none"));
}

}  // namespace
}  // namespace gongkai::auth
