// The rules of interpretations that need no storage: who may do what (every RPC's
// access rule, in this one table), the INT-2 sections and their completeness, the
// INT-3 plan and materials, input validation, and the rule set of the allowed lag.
//
// Pure functions over values; thread-safe.
#ifndef GONGKAI_SERVICES_INTERPRETATION_INTERPRETATION_RULES_H_
#define GONGKAI_SERVICES_INTERPRETATION_INTERPRETATION_RULES_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "gongkai/catalog/v1/catalog.pb.h"
#include "gongkai/interpretation/v1/interpretation.pb.h"
#include "libs/auth/policy.h"
#include "libs/auth/principal.h"
#include "libs/rules/rule_schema.h"
#include "libs/status/errors.h"

namespace gongkai::interpretation {

// ---- Who may do what: every RPC's rule, in one place. --------------------------------
// Drafting and editing: the interpreting unit's staff (INT-1), the general office.
inline const auth::Rule kDraftInterpretation{
    .roles = {auth::Role::kStaff, auth::Role::kHead, auth::Role::kOffice, auth::Role::kAdmin},
    .unit_scoped = true};
// INT-3: only the principal head of the interpreting unit approves (checked again by
// MayApprove: HEAD of exactly that unit; no other role stands in for the head).
inline const auth::Rule kApprove{.roles = {auth::Role::kHead}, .unit_scoped = true};
// Supplementary interpretations: the unit, the general office, another service (the
// opinion-response service when a policy is misread).
inline const auth::Rule kRequestSupplement{
    .roles = {auth::Role::kStaff, auth::Role::kHead, auth::Role::kOffice, auth::Role::kAdmin,
              auth::Role::kService},
    .unit_scoped = true};
// Reading what is not released.
inline const auth::Rule kReadInternal{
    .roles = {auth::Role::kStaff, auth::Role::kReviewer, auth::Role::kHead, auth::Role::kOffice,
              auth::Role::kInspector, auth::Role::kSupervision, auth::Role::kAdmin},
    .unit_scoped = true,
    .access = auth::Access::kRead};
// The release gate: the catalog (SERVICE), the general office, the unit itself.
inline const auth::Rule kCheckRelease{
    .roles = {auth::Role::kService, auth::Role::kStaff, auth::Role::kHead, auth::Role::kOffice,
              auth::Role::kAdmin},
    .unit_scoped = true,
    .access = auth::Access::kRead};
// Publication events: the catalog's relay (SERVICE), or an administrator replaying one.
inline const auth::Rule kApplyPublication{.roles = {auth::Role::kService, auth::Role::kAdmin}};
// The late/missing flags: the unit, the general office, supervision, inspectors.
inline const auth::Rule kReadLags{
    .roles = {auth::Role::kStaff, auth::Role::kHead, auth::Role::kOffice, auth::Role::kSupervision,
              auth::Role::kInspector, auth::Role::kAdmin},
    .unit_scoped = true,
    .access = auth::Access::kRead};

// auth::Require, with SERVICE callers (who have no unit) admitted by any rule that lists
// Role::kService whatever the resource's unit.
absl::Status Allow(const auth::Principal& caller, const auth::Rule& rule,
                   std::optional<int64_t> unit_id);

// INT-3: OK when `caller` is the principal head (HEAD) of `unit_id`; PERMISSION_DENIED
// otherwise, naming the rule.
absl::Status MayApprove(const auth::Principal& caller, int64_t unit_id);

// ---- INT-2: the nine sections. ----------------------------------------------------
struct SectionName {
  const char* field;    // "background_and_basis"
  const char* chinese;  // "背景依据"
};
// In the order of INT-2.
const std::vector<SectionName>& SectionNames();
// The section named `field` of `sections` (aborts for an unknown name: a defect).
const v1::Section& SectionOf(const v1::Sections& sections, absl::string_view field);

// Whether a section is written, or marked not applicable with a reason.
bool SectionIsComplete(const v1::Section& section);

// The sections that are neither written nor marked not applicable with a reason, as
// "背景依据 (background_and_basis)", in INT-2 order.
std::vector<std::string> MissingSections(const v1::Sections& sections);
// INT-3: the plan parts missing ("plan.forms", "plan.channels", "plan.timing",
// "plan.spokesperson") and "materials" when there are none.
std::vector<std::string> MissingPlanAndMaterials(const v1::Interpretation& interpretation);

// OK when the interpretation may be approved; FAILED_PRECONDITION naming every missing
// section (INT-2) and plan part or materials (INT-3) otherwise.
absl::Status CheckApprovable(const v1::Interpretation& interpretation);

// Validates the editable content (sections, plan, materials) under field prefix
// `prefix` (e.g. "interpretation."): lengths, enums, a not-applicable section with a
// reason and no text.
void ValidateContent(FieldViolations& v, const v1::Interpretation& interpretation,
                     absl::string_view prefix);
// INT-4: one release record.
void ValidateRelease(FieldViolations& v, const v1::ReleaseRecord& release,
                     absl::string_view prefix);

// INT-1: whether documents of this issuing authority must pass the release gate
// (issued in the name of the city government or its office).
bool IsGovernmentLevel(catalog::v1::IssuingAuthority authority);

// ---- The rule set. -------------------------------------------------------------------
inline constexpr char kReleaseRuleSet[] = "interpretation.release";
inline constexpr char kAllowedLagRule[] = "release.allowed_lag_working_days";
// interpretation.release: how many working days after the document the interpretation
// may follow (INT-3; the national default 0: released together).
std::shared_ptr<const rules::RuleSchema> ReleaseRuleSchema();

}  // namespace gongkai::interpretation

#endif  // GONGKAI_SERVICES_INTERPRETATION_INTERPRETATION_RULES_H_
