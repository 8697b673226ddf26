// Rules every module of the catalog service shares: who may do what (every RPC's
// access rule, in this one table), the idempotency key of a create, and the input
// limits of codes and names.
//
// Unit-scoped rules bind STAFF and REVIEWER to the unit that owns the resource; OFFICE
// and ADMIN act on every unit; INSPECTOR only where a rule lets it read
// (libs/auth/policy.h).
#ifndef GONGKAI_SERVICES_CATALOG_CATALOG_RULES_H_
#define GONGKAI_SERVICES_CATALOG_CATALOG_RULES_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"
#include "libs/auth/policy.h"
#include "libs/auth/principal.h"
#include "libs/idempotency/idempotency.h"
#include "libs/status/errors.h"
#include "libs/validation/validation.h"
#include "services/catalog/repository_types.h"

namespace gongkai::catalog {

// ---- Who may do what: every RPC's rule, in one place. --------------------------------
inline const auth::Rule kManageUnits{.roles = {auth::Role::kOffice, auth::Role::kAdmin}};
inline const auth::Rule kDraft{
    .roles = {auth::Role::kStaff, auth::Role::kOffice, auth::Role::kAdmin}, .unit_scoped = true};
// CreateDocument: the drafters, and SERVICE — the consultation service drafts the
// feedback statement attached to a meeting plan as a document of the unit (CON-3),
// through its outbox; the draft then goes through the same review and publication as
// any other (editing and submitting it stay with kDraft).
inline const auth::Rule kCreateDocument{
    .roles = {auth::Role::kStaff, auth::Role::kOffice, auth::Role::kAdmin, auth::Role::kService},
    .unit_scoped = true};
inline const auth::Rule kConfidentialityReview{.roles = {auth::Role::kReviewer, auth::Role::kAdmin},
                                               .unit_scoped = true};
inline const auth::Rule kReturnDocument{.roles = {auth::Role::kOffice, auth::Role::kAdmin}};
inline const auth::Rule kPublish{
    .roles = {auth::Role::kStaff, auth::Role::kOffice, auth::Role::kAdmin}, .unit_scoped = true};
// NAT-10: whoever may publish for the drafting unit may repeal what it published.
inline const auth::Rule kRepeal = kPublish;
// INT-3: the interpretation service's relay (SERVICE) reports an interpretation
// released after its document; ADMIN replays one.
inline const auth::Rule kRecordInterpretationRelease{
    .roles = {auth::Role::kService, auth::Role::kAdmin}};
// Reading what is not published: the unit's own staff and reviewers, the general office,
// inspectors (assessment), administrators, and the suite's services (the interpretation
// service reads the draft it interprets, INT-1).
inline const auth::Rule kReadInternal{
    .roles = {auth::Role::kStaff, auth::Role::kReviewer, auth::Role::kOffice,
              auth::Role::kInspector, auth::Role::kAdmin, auth::Role::kService},
    .unit_scoped = true,
    .access = auth::Access::kRead};
inline const auth::Rule kManageCategories{.roles = {auth::Role::kOffice, auth::Role::kAdmin}};
inline const auth::Rule kManageCatalogItems{
    .roles = {auth::Role::kStaff, auth::Role::kOffice, auth::Role::kAdmin}, .unit_scoped = true};
inline const auth::Rule kManageCalendars{.roles = {auth::Role::kAdmin}};
// CAT-7: the general office follows which units have not completed the year's review.
inline const auth::Rule kSuperviseSelfReviews{
    .roles = {auth::Role::kOffice, auth::Role::kInspector, auth::Role::kAdmin},
    .access = auth::Access::kRead};
inline const auth::Rule kSelfReview{
    .roles = {auth::Role::kStaff, auth::Role::kReviewer, auth::Role::kOffice, auth::Role::kAdmin},
    .unit_scoped = true};

// Whether `caller` may see the unpublished work of `unit_id`.
inline bool CanReadInternal(const auth::Principal& caller, int64_t unit_id) {
  return auth::Require(caller, kReadInternal, unit_id).ok();
}

// The idempotency key of `caller`'s create `request` through RPC `method`, with the
// request's hash (a reused request id with another request is then INVALID_ARGUMENT).
inline IdempotencyKey KeyFor(const auth::Principal& caller, absl::string_view method,
                             absl::string_view request_id,
                             const google::protobuf::Message& request) {
  return idempotency::MakeKey(caller.subject, std::string(method), std::string(request_id),
                              request);
}

// ---- Input limits shared by the modules. ------------------------------------------------
inline constexpr validation::TextLimits kNameLimits{.min_chars = 1, .max_chars = 200};
inline constexpr validation::TextLimits kCodeLimits{.min_chars = 1, .max_chars = 64};
inline constexpr validation::TextLimits kReasonLimits{.max_chars = 2000, .allow_newlines = true};
inline constexpr validation::TextLimits kRequiredReasonLimits{
    .min_chars = 1, .max_chars = 2000, .allow_newlines = true};

// A unit or category code: 1 to 64 letters, digits, '-' and '_'.
inline void CheckCode(FieldViolations& v, absl::string_view field, absl::string_view code) {
  validation::CheckText(v, field, code, kCodeLimits);
  for (char c : code) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') {
      v.Add(std::string(field), "may contain only letters, digits, '-' and '_'");
      return;
    }
  }
}

}  // namespace gongkai::catalog

#endif  // GONGKAI_SERVICES_CATALOG_CATALOG_RULES_H_
