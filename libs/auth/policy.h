// Authorization: may this Principal perform this action on a resource of this unit?
//
// A service states each RPC's rule once, in one table next to its handler:
//
//   constexpr Rule kGetDocument{
//       .roles = {Role::kStaff, Role::kReviewer, Role::kOffice, Role::kInspector,
//                 Role::kAdmin},
//       .unit_scoped = true, .access = Access::kRead};
//   constexpr Rule kCreateDocument{
//       .roles = {Role::kStaff, Role::kOffice, Role::kAdmin}, .unit_scoped = true};
//   constexpr Rule kSearchPublished{.roles = {Role::kPublic}, .access = Access::kRead};
//
//   RETURN_IF_ERROR(Require(caller, kCreateDocument, request.unit_id()));
//
// How each role in `rule.roles` grants access:
//   PUBLIC             everyone, including the anonymous caller.
//   STAFF, REVIEWER,   when the rule is unit_scoped, only if the resource's unit equals
//   HEAD               the caller's unit_id; otherwise on any unit.
//   OFFICE, ADMIN      any unit (the general office supervises every unit).
//   SUPERVISION        any unit (the supervision office follows instructions anywhere).
//   SERVICE            any unit: another service of the suite, trusted for exactly the
//                      rules that list it (list it only where a service calls).
//   INSPECTOR          any unit, but only for rules with access == kRead.
// A role not listed in the rule grants nothing.
//
// Thread-safety: pure functions over values.
#ifndef GONGKAI_LIBS_AUTH_POLICY_H_
#define GONGKAI_LIBS_AUTH_POLICY_H_

#include <cstdint>
#include <optional>

#include "absl/status/status.h"
#include "libs/auth/principal.h"

namespace gongkai::auth {

enum class Access : uint8_t { kRead, kWrite };

struct Rule {
  // Roles that may perform the action (see the table above).
  RoleSet roles;
  // Whether STAFF, REVIEWER and HEAD are limited to resources of their own unit.
  bool unit_scoped = false;
  // kRead lets a listed INSPECTOR through; kWrite never does.
  Access access = Access::kWrite;
};

// OK when `principal` may act under `rule` on a resource owned by `resource_unit_id`.
// For unit-scoped rules pass the resource's unit; nullopt means the action is not tied
// to one unit (e.g. listing across all units), which STAFF/REVIEWER may not do.
//   UNAUTHENTICATED    the principal is anonymous and the rule is not open to PUBLIC.
//   PERMISSION_DENIED  the message names the roles required, or the unit mismatch, or
//                      that INSPECTOR is read-only.
absl::Status Require(const Principal& principal, const Rule& rule,
                     std::optional<int64_t> resource_unit_id = std::nullopt);

}  // namespace gongkai::auth

#endif  // GONGKAI_LIBS_AUTH_POLICY_H_
