// Who may do what in the website service, checked in the service itself (the gateway
// only authenticates). One table per kind of action; a grant is a role with either any
// unit or only the caller's own unit (the site's owner unit).
//
//   RETURN_IF_ERROR(Authorize(caller, kRegisterWriters, site.unit_id(), "change sites"));
//
// Anonymous callers get UNAUTHENTICATED; others without a matching grant
// PERMISSION_DENIED naming the action. Thread-safety: constant tables, pure functions.
#ifndef GONGKAI_SERVICES_WEBSITE_WEBSITE_ACCESS_H_
#define GONGKAI_SERVICES_WEBSITE_WEBSITE_ACCESS_H_

#include <cstdint>
#include <initializer_list>
#include <optional>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "libs/auth/principal.h"

namespace gongkai::website {

struct Grant {
  auth::Role role;
  bool any_unit;
};

using Grants = std::initializer_list<Grant>;

// Reading the register, probes, evaluations and notices.
inline constexpr Grants kRegisterReaders = {
    {auth::Role::kStaff, false},     {auth::Role::kReviewer, false}, {auth::Role::kOffice, true},
    {auth::Role::kInspector, true},  {auth::Role::kAdmin, true},     {auth::Role::kHead, false},
    {auth::Role::kSupervision, true}};
// Keeping the register (sites, states, columns, procedures), probing on demand.
inline constexpr Grants kRegisterWriters = {
    {auth::Role::kStaff, false}, {auth::Role::kOffice, true}, {auth::Role::kAdmin, true}};
// Messages from a site's message system (a system caller, or the unit's staff).
inline constexpr Grants kMessageSubmitters = {{auth::Role::kStaff, false},
                                              {auth::Role::kOffice, true},
                                              {auth::Role::kAdmin, true},
                                              {auth::Role::kService, true}};
// Severe errors are recorded by inspectors (NAT-13) and the general office.
inline constexpr Grants kSevereErrorRecorders = {
    {auth::Role::kInspector, true}, {auth::Role::kOffice, true}, {auth::Role::kAdmin, true}};
// Supervision runs and notices of criticism (WEB-2, WEB-4).
inline constexpr Grants kSupervisors = {
    {auth::Role::kOffice, true}, {auth::Role::kAdmin, true}, {auth::Role::kSupervision, true}};
inline constexpr Grants kRunReaders = {{auth::Role::kOffice, true},
                                       {auth::Role::kAdmin, true},
                                       {auth::Role::kSupervision, true},
                                       {auth::Role::kInspector, true}};
// A criticised unit reports its rectification.
inline constexpr Grants kRectifiers = {{auth::Role::kStaff, false},
                                       {auth::Role::kHead, false},
                                       {auth::Role::kOffice, true},
                                       {auth::Role::kAdmin, true}};

// `unit_id`: the unit the action touches (nullopt: no unit, e.g. a run over all sites;
// then only any-unit grants apply).
absl::Status Authorize(const auth::Principal& caller, Grants grants, std::optional<int64_t> unit_id,
                       absl::string_view action);

// True when some grant lets the caller act on every unit.
bool HasAnyUnitGrant(const auth::Principal& caller, Grants grants);

// The unit a listing covers. A caller with an any-unit grant gets `requested_unit` as
// asked (0: every unit); a unit-scoped caller gets the unit asked for, or its own when
// none is asked, and is refused another unit's.
absl::StatusOr<int64_t> ListedUnit(const auth::Principal& caller, Grants grants,
                                   int64_t requested_unit, absl::string_view action);

}  // namespace gongkai::website

#endif  // GONGKAI_SERVICES_WEBSITE_WEBSITE_ACCESS_H_
