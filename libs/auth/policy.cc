#include "libs/auth/policy.h"

#include <string>

#include "absl/strings/str_cat.h"

namespace gongkai::auth {

absl::Status Require(const Principal& principal, const Rule& rule,
                     std::optional<int64_t> resource_unit_id) {
  if (rule.roles.Contains(Role::kPublic)) return absl::OkStatus();
  if (principal.anonymous()) {
    return absl::UnauthenticatedError(absl::StrCat(
        "sign-in required: this action needs one of the roles ", rule.roles.ToString()));
  }
  std::optional<Role> unit_limited;
  bool inspector_writing = false;
  for (Role role : principal.roles.Intersect(rule.roles).ToVector()) {
    switch (role) {
      case Role::kPublic:
      case Role::kOffice:
      case Role::kAdmin:
      case Role::kSupervision:
      case Role::kService:
        return absl::OkStatus();
      case Role::kInspector:
        if (rule.access == Access::kRead) return absl::OkStatus();
        inspector_writing = true;
        break;
      case Role::kStaff:
      case Role::kReviewer:
      case Role::kHead:
        if (!rule.unit_scoped) return absl::OkStatus();
        if (resource_unit_id.has_value() && principal.unit_id == resource_unit_id) {
          return absl::OkStatus();
        }
        unit_limited = role;
        break;
    }
  }
  if (unit_limited.has_value()) {
    const std::string own_unit =
        principal.unit_id.has_value() ? absl::StrCat("unit ", *principal.unit_id) : "no unit";
    if (!resource_unit_id.has_value()) {
      return absl::PermissionDeniedError(absl::StrCat("role ", RoleName(*unit_limited),
                                                      " is limited to ", own_unit,
                                                      "; this action is not limited to one unit"));
    }
    return absl::PermissionDeniedError(
        absl::StrCat("role ", RoleName(*unit_limited), " is limited to ", own_unit,
                     "; the resource belongs to unit ", *resource_unit_id));
  }
  if (inspector_writing) {
    return absl::PermissionDeniedError("role INSPECTOR is read-only; this action writes");
  }
  return absl::PermissionDeniedError(absl::StrCat("this action needs one of the roles ",
                                                  rule.roles.ToString(), "; caller has ",
                                                  principal.roles.ToString()));
}

}  // namespace gongkai::auth
