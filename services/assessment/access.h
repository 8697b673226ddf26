// Who may do what in the assessment service: roles that act on any unit, and roles that
// act only on their own unit (libs/auth/policy.h's Rule cannot express an INSPECTOR who
// writes: inspectors record evidence and spot-check results here).
//
//   RETURN_IF_ERROR(RequireRoles(caller, kInspectors, {}, std::nullopt));
//
// Thread-safety: pure.
#ifndef GONGKAI_SERVICES_ASSESSMENT_ACCESS_H_
#define GONGKAI_SERVICES_ASSESSMENT_ACCESS_H_

#include <optional>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "libs/auth/principal.h"

namespace gongkai::assessment {

using auth::Role;
using auth::RoleSet;

// UNAUTHENTICATED for the anonymous caller; OK when the caller holds one of `any_unit`,
// or one of `own_unit` and `unit` is the caller's unit; PERMISSION_DENIED otherwise.
inline absl::Status RequireRoles(const auth::Principal& caller, RoleSet any_unit, RoleSet own_unit,
                                 std::optional<int64_t> unit) {
  if (caller.anonymous()) return absl::UnauthenticatedError("a token is required");
  if (!caller.roles.Intersect(any_unit).empty()) return absl::OkStatus();
  if (!caller.roles.Intersect(own_unit).empty()) {
    if (unit.has_value() && caller.unit_id == unit) return absl::OkStatus();
    return absl::PermissionDeniedError(
        absl::StrCat(own_unit.ToString(), " may act on their own unit only"));
  }
  return absl::PermissionDeniedError(absl::StrCat(
      "requires one of ", any_unit.ToString(),
      own_unit.empty() ? "" : absl::StrCat(" (or ", own_unit.ToString(), " for their own unit)")));
}

// The roles of the suite that read every assessment result.
inline constexpr RoleSet kReaders{Role::kInspector, Role::kOffice, Role::kAdmin,
                                  Role::kSupervision};
// Inspectors write evidence and spot-check results.
inline constexpr RoleSet kInspectors{Role::kInspector, Role::kOffice, Role::kAdmin};
// The general office runs assessments, draws, third-party records and accountability.
inline constexpr RoleSet kOffice{Role::kOffice, Role::kAdmin};
// ASM-3: the supervision office (督查室) with the general office raises triggers, holds
// summons and publishes notices.
inline constexpr RoleSet kAccountability{Role::kOffice, Role::kAdmin, Role::kSupervision};
// A unit's own people (self-checks, training records).
inline constexpr RoleSet kUnitPeople{Role::kStaff, Role::kReviewer, Role::kHead};

}  // namespace gongkai::assessment

#endif  // GONGKAI_SERVICES_ASSESSMENT_ACCESS_H_
