// Who may do what to an opinion event (the table in opinion_events.h), as pure checks on
// the caller and the event. Each returns OK, UNAUTHENTICATED for an anonymous caller, or
// PERMISSION_DENIED naming what was missing. Thread-safety: free functions.
#ifndef GONGKAI_SERVICES_OPINION_EVENTS_EVENT_ACCESS_H_
#define GONGKAI_SERVICES_OPINION_EVENTS_EVENT_ACCESS_H_

#include "absl/status/status.h"
#include "gongkai/opinion/v1/opinion.pb.h"
#include "libs/auth/principal.h"

namespace gongkai::opinion::events {

namespace v1 = ::gongkai::opinion::v1;

// Which units of the event the caller must belong to (STAFF or HEAD there).
enum class UnitScope {
  kResponsible,  // Any responsible unit.
  kLead,         // The lead unit.
  kReader,       // The collecting unit or any responsible unit.
};

// OFFICE or ADMIN: the general office acts on every event.
bool IsOffice(const auth::Principal& caller);
// OFFICE, SUPERVISION, INSPECTOR or ADMIN: read every event.
bool ReadsAll(const auth::Principal& caller);

absl::Status MayCollect(const auth::Principal& caller);
absl::Status MayRead(const auth::Principal& caller, const v1::OpinionEvent& event);
// OFFICE/ADMIN, or a member with one of `member_roles` of the units `scope` names.
absl::Status MayAct(const auth::Principal& caller, const v1::OpinionEvent& event, UnitScope scope,
                    auth::RoleSet member_roles, const char* what);
absl::Status MayReassign(const auth::Principal& caller);
absl::Status MayRecordInstruction(const auth::Principal& caller);
// OPI-5: the supervision office's view.
absl::Status MaySupervise(const auth::Principal& caller);

}  // namespace gongkai::opinion::events

#endif  // GONGKAI_SERVICES_OPINION_EVENTS_EVENT_ACCESS_H_
