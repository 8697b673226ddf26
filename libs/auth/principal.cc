#include "libs/auth/principal.h"

#include <array>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace gongkai::auth {
namespace {

constexpr std::array<Role, 9> kAllRoles = {Role::kPublic, Role::kStaff,       Role::kReviewer,
                                           Role::kOffice, Role::kInspector,   Role::kAdmin,
                                           Role::kHead,   Role::kSupervision, Role::kService};

}  // namespace

absl::string_view RoleName(Role role) {
  switch (role) {
    case Role::kPublic:
      return "PUBLIC";
    case Role::kStaff:
      return "STAFF";
    case Role::kReviewer:
      return "REVIEWER";
    case Role::kOffice:
      return "OFFICE";
    case Role::kInspector:
      return "INSPECTOR";
    case Role::kAdmin:
      return "ADMIN";
    case Role::kHead:
      return "HEAD";
    case Role::kSupervision:
      return "SUPERVISION";
    case Role::kService:
      return "SERVICE";
  }
  return "UNKNOWN";
}

std::optional<Role> ParseRole(absl::string_view name) {
  for (Role role : kAllRoles) {
    if (RoleName(role) == name) return role;
  }
  return std::nullopt;
}

std::vector<Role> RoleSet::ToVector() const {
  std::vector<Role> roles;
  for (Role role : kAllRoles) {
    if (Contains(role)) roles.push_back(role);
  }
  return roles;
}

std::string RoleSet::ToString() const {
  if (empty()) return "none";
  return absl::StrJoin(ToVector(), ", ",
                       [](std::string* out, Role role) { absl::StrAppend(out, RoleName(role)); });
}

std::string Principal::DebugString() const {
  if (anonymous()) return "anonymous";
  std::string out = subject;
  if (unit_id.has_value()) absl::StrAppend(&out, " unit=", *unit_id);
  absl::StrAppend(&out, " roles=", roles.ToString());
  return out;
}

}  // namespace gongkai::auth
