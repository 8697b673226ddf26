#include "services/website/website_access.h"

#include "absl/strings/str_cat.h"

namespace gongkai::website {

bool HasAnyUnitGrant(const auth::Principal& caller, Grants grants) {
  for (const Grant& grant : grants) {
    if (grant.any_unit && caller.roles.Contains(grant.role)) return true;
  }
  return false;
}

absl::Status Authorize(const auth::Principal& caller, Grants grants, std::optional<int64_t> unit_id,
                       absl::string_view action) {
  if (caller.anonymous()) return absl::UnauthenticatedError("a token is required");
  for (const Grant& grant : grants) {
    if (!caller.roles.Contains(grant.role)) continue;
    if (grant.any_unit) return absl::OkStatus();
    if (unit_id.has_value() && caller.unit_id.has_value() && *caller.unit_id == *unit_id) {
      return absl::OkStatus();
    }
  }
  return absl::PermissionDeniedError(
      absl::StrCat("the caller's roles (", caller.roles.ToString(), ") may not ", action,
                   unit_id.has_value() ? absl::StrCat(" of unit ", *unit_id) : std::string()));
}

absl::StatusOr<int64_t> ListedUnit(const auth::Principal& caller, Grants grants,
                                   int64_t requested_unit, absl::string_view action) {
  if (HasAnyUnitGrant(caller, grants)) return requested_unit;
  const std::optional<int64_t> asked =
      requested_unit > 0 ? std::optional<int64_t>(requested_unit) : caller.unit_id;
  if (absl::Status allowed = Authorize(caller, grants, asked, action); !allowed.ok()) {
    return allowed;
  }
  return *asked;  // Authorize refuses a unit-scoped caller without a unit.
}

}  // namespace gongkai::website
