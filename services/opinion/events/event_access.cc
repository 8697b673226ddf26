#include "services/opinion/events/event_access.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace gongkai::opinion::events {
namespace {

using auth::Role;

absl::Status Authenticated(const auth::Principal& caller) {
  if (caller.anonymous()) return absl::UnauthenticatedError("a token is required");
  return absl::OkStatus();
}

bool InUnits(const auth::Principal& caller, const v1::OpinionEvent& event, UnitScope scope) {
  if (!caller.unit_id.has_value()) return false;
  const int64_t unit = *caller.unit_id;
  const auto& responsible = event.responsibility().unit_ids();
  switch (scope) {
    case UnitScope::kLead:
      return event.responsibility().lead_unit_id() == unit;
    case UnitScope::kReader:
      if (event.collecting_unit_id() == unit) return true;
      [[fallthrough]];
    case UnitScope::kResponsible:
      return std::find(responsible.begin(), responsible.end(), unit) != responsible.end();
  }
  return false;
}

}  // namespace

bool IsOffice(const auth::Principal& caller) {
  return caller.roles.Contains(Role::kOffice) || caller.roles.Contains(Role::kAdmin);
}

bool ReadsAll(const auth::Principal& caller) {
  return IsOffice(caller) || caller.roles.Contains(Role::kSupervision) ||
         caller.roles.Contains(Role::kInspector);
}

absl::Status MayCollect(const auth::Principal& caller) {
  if (absl::Status s = Authenticated(caller); !s.ok()) return s;
  if (IsOffice(caller)) return absl::OkStatus();
  if ((caller.roles.Contains(Role::kStaff) || caller.roles.Contains(Role::kHead)) &&
      caller.unit_id.has_value()) {
    return absl::OkStatus();
  }
  return absl::PermissionDeniedError("events are collected by STAFF, HEAD, OFFICE or ADMIN");
}

absl::Status MayRead(const auth::Principal& caller, const v1::OpinionEvent& event) {
  if (absl::Status s = Authenticated(caller); !s.ok()) return s;
  if (ReadsAll(caller)) return absl::OkStatus();
  if ((caller.roles.Contains(Role::kStaff) || caller.roles.Contains(Role::kHead)) &&
      InUnits(caller, event, UnitScope::kReader)) {
    return absl::OkStatus();
  }
  return absl::PermissionDeniedError(
      absl::StrCat("opinion event ", event.id(), " is not your unit's"));
}

absl::Status MayAct(const auth::Principal& caller, const v1::OpinionEvent& event, UnitScope scope,
                    auth::RoleSet member_roles, const char* what) {
  if (absl::Status s = Authenticated(caller); !s.ok()) return s;
  if (IsOffice(caller)) return absl::OkStatus();
  if (!caller.roles.Intersect(member_roles).empty() && InUnits(caller, event, scope)) {
    return absl::OkStatus();
  }
  return absl::PermissionDeniedError(
      absl::StrCat(what, " needs OFFICE or ADMIN, or ", member_roles.ToString(), " of ",
                   scope == UnitScope::kLead ? "the lead unit" : "a responsible unit", " of event ",
                   event.id()));
}

absl::Status MayReassign(const auth::Principal& caller) {
  if (absl::Status s = Authenticated(caller); !s.ok()) return s;
  if (IsOffice(caller)) return absl::OkStatus();
  return absl::PermissionDeniedError("only the general office (OFFICE) or ADMIN reassigns (OPI-2)");
}

absl::Status MayRecordInstruction(const auth::Principal& caller) {
  if (absl::Status s = Authenticated(caller); !s.ok()) return s;
  if (IsOffice(caller) || caller.roles.Contains(Role::kSupervision)) return absl::OkStatus();
  return absl::PermissionDeniedError(
      "leaders' instructions are recorded by OFFICE, SUPERVISION or ADMIN (OPI-5)");
}

absl::Status MaySupervise(const auth::Principal& caller) {
  if (absl::Status s = Authenticated(caller); !s.ok()) return s;
  if (IsOffice(caller) || caller.roles.Contains(Role::kSupervision)) return absl::OkStatus();
  return absl::PermissionDeniedError(
      "the supervised events are for the supervision office (SUPERVISION), OFFICE or ADMIN "
      "(OPI-5)");
}

}  // namespace gongkai::opinion::events
