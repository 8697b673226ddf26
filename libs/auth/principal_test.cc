#include "libs/auth/principal.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gongkai::auth {
namespace {

using ::testing::ElementsAre;

TEST(RoleTest, NamesRoundTrip) {
  for (Role role : {Role::kPublic, Role::kStaff, Role::kReviewer, Role::kOffice, Role::kInspector,
                    Role::kAdmin, Role::kHead, Role::kSupervision, Role::kService}) {
    EXPECT_EQ(ParseRole(RoleName(role)), role);
  }
  EXPECT_EQ(ParseRole("staff"), std::nullopt);
  EXPECT_EQ(ParseRole(""), std::nullopt);
}

TEST(RoleSetTest, ListsMembersInDeclarationOrder) {
  constexpr RoleSet roles{Role::kAdmin, Role::kStaff};
  static_assert(roles.Contains(Role::kStaff) && !roles.Contains(Role::kOffice));
  EXPECT_THAT(roles.ToVector(), ElementsAre(Role::kStaff, Role::kAdmin));
  EXPECT_EQ(roles.ToString(), "STAFF, ADMIN");
  EXPECT_EQ(RoleSet().ToString(), "none");
  EXPECT_EQ(roles.Intersect({Role::kAdmin, Role::kOffice}), RoleSet{Role::kAdmin});
}

TEST(PrincipalTest, DebugStringNamesTheCaller) {
  EXPECT_EQ(Principal::Anonymous().DebugString(), "anonymous");
  Principal p;
  p.subject = "alice";
  p.unit_id = 3;
  p.roles = {Role::kStaff, Role::kReviewer};
  EXPECT_EQ(p.DebugString(), "alice unit=3 roles=STAFF, REVIEWER");
}

}  // namespace
}  // namespace gongkai::auth
