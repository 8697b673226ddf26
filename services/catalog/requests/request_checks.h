// What the disclosure-request classes share (disclosure_requests.h, challenges.h):
// who may do what (every RPC's rule, in this one table), the checks of date and
// identity-number fields, and what must stay hidden (another unit's requests, staff
// details from the public).
#ifndef GONGKAI_SERVICES_CATALOG_REQUESTS_REQUEST_CHECKS_H_
#define GONGKAI_SERVICES_CATALOG_REQUESTS_REQUEST_CHECKS_H_

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "gongkai/catalog/v1/disclosure_requests.pb.h"
#include "libs/auth/policy.h"
#include "libs/auth/principal.h"
#include "libs/protoconv/protoconv.h"
#include "libs/status/errors.h"
#include "libs/validation/validation.h"

namespace gongkai::catalog::requests {

namespace v1 = ::gongkai::catalog::v1;
// ---- Who may do what: every RPC's rule, in one place. --------------------------------
// Anyone may file online (PUBLIC); registering a request that came in person, by mail
// or by fax is the receiving unit's staff's work. Handling binds STAFF to the unit that
// holds the request; OFFICE and ADMIN act on every unit; INSPECTOR reads.
inline const auth::Rule kFileOnline{.roles = {auth::Role::kPublic}};
inline const auth::Rule kRegister{
    .roles = {auth::Role::kStaff, auth::Role::kOffice, auth::Role::kAdmin}, .unit_scoped = true};
inline const auth::Rule kHandle{
    .roles = {auth::Role::kStaff, auth::Role::kOffice, auth::Role::kAdmin}, .unit_scoped = true};
// NAT-7: an extension is approved by the head of the disclosure office. The disclosure
// office is the general office (政府信息公开工作机构 sits in the 办公室), role OFFICE;
// unit staff and ADMIN (who operates the system) do not approve.
inline const auth::Rule kApproveExtension{.roles = {auth::Role::kOffice}};
inline const auth::Rule kRead{
    .roles = {auth::Role::kStaff, auth::Role::kReviewer, auth::Role::kOffice,
              auth::Role::kInspector, auth::Role::kAdmin},
    .unit_scoped = true,
    .access = auth::Access::kRead};

inline constexpr validation::TextLimits kNoteLimits{.max_chars = 2000, .allow_newlines = true};
inline constexpr validation::TextLimits kCaseNumberLimits{.max_chars = 100};

inline bool HasDate(const common::v1::Date& d) {
  return d.year() != 0 || d.month() != 0 || d.day() != 0;
}

// An optional date field: nullopt when empty; a violation when impossible.
inline std::optional<absl::CivilDay> OptionalDate(FieldViolations& v, absl::string_view field,
                                                  const common::v1::Date& date) {
  if (!HasDate(date)) return std::nullopt;
  absl::StatusOr<absl::CivilDay> day = ToCivilDay(date);
  if (!day.ok()) {
    v.Add(std::string(field), std::string(day.status().message()));
    return std::nullopt;
  }
  return *day;
}

inline absl::CivilDay DayOf(const common::v1::Date& d) {
  return absl::CivilDay(d.year(), d.month(), d.day());
}

inline absl::Status WrongState(const v1::DisclosureRequest& r, absl::string_view allowed) {
  return PreconditionFailed(
      "STATE", absl::StrCat("disclosure-requests/", r.id()),
      absl::StrCat("request ", r.id(), " is ", v1::DisclosureRequestState_Name(r.state()), "; ",
                   allowed));
}

// A unit-scoped rule with the unit check left out: does the caller hold a role for it?
inline auth::Rule AnyUnit(auth::Rule rule) {
  rule.unit_scoped = false;
  return rule;
}

// A request of another unit answers exactly like a missing id, so ids cannot be probed
// across units; role problems were already refused by AnyUnit(rule) before loading.
inline absl::Status RequireVisible(const auth::Principal& caller, const auth::Rule& rule,
                                   const v1::DisclosureRequest& r) {
  if (auth::Require(caller, rule, r.unit_id()).ok()) return absl::OkStatus();
  return absl::NotFoundError(absl::StrCat("disclosure request ", r.id(), " not found"));
}

// Identity document numbers: ASCII letters, digits and '-', compared upper-case.
inline void CheckIdNumber(FieldViolations& v, absl::string_view field,
                          absl::string_view id_number) {
  validation::CheckText(v, field, id_number, {.min_chars = 1, .max_chars = 64});
  for (char c : id_number) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '-') {
      v.Add(std::string(field), "may contain only letters, digits and '-'");
      return;
    }
  }
}

// What the public sees when tracking: no names of the staff who handled the request,
// nor who approved an extension, nor the third party consulted (Art. 32).
inline void RedactStaff(v1::DisclosureRequest& r) {
  r.clear_created_by();
  r.clear_answered_by();
  r.clear_extension_approver();
  r.clear_consultation_third_party();
}

// The public text for a history entry: staff details (approvers, internal notes, the
// third party, case numbers) stay internal; the applicant sees what happened, not who.
inline std::string PublicDetail(absl::string_view action) {
  if (action == "file") return "收到申请";
  if (action == "correction_notice") return "已告知补正";
  if (action == "correction") return "已收到补正";
  if (action == "assign") return "已转办理单位";
  if (action == "consultation_start") return "已征求第三方意见";
  if (action == "consultation_end") return "第三方意见征求结束";
  if (action == "extend") return "已延长答复期限";
  if (action == "answer") return "已答复";
  if (action == "challenge_recorded") return "已登记行政复议或诉讼";
  if (action == "challenge_updated") return "行政复议或诉讼结果已更新";
  if (action == "reset_tracking_secret") return "查询密码已重置";
  return "";
}

}  // namespace gongkai::catalog::requests

#endif  // GONGKAI_SERVICES_CATALOG_REQUESTS_REQUEST_CHECKS_H_
