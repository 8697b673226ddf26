// Who is calling: the identity a service authorizes against, built from a verified
// token (see authenticator.h) or the anonymous public.
//
// Token claims (the contract with whoever issues tokens, including `gongkai-token`):
//   sub      string, required: the user id.
//   unit_id  integer > 0, optional: the caller's unit (department); required when the
//            roles include STAFF or REVIEWER. The suite identifies units by int64 id
//            everywhere, so the claim is the id, never a unit code or name.
//   roles    array of strings, optional: "STAFF", "REVIEWER", "OFFICE", "INSPECTOR",
//            "ADMIN", "HEAD", "SUPERVISION", "SERVICE" (exact upper case). Unknown
//            strings are kept in Principal::unknown_roles for the caller to log, and
//            grant nothing. STAFF, REVIEWER and HEAD require unit_id.
//   A service of the suite calling another (service_identity.h) is subject
//   "service:<name>" with the single role SERVICE and no unit.
//
//   Principal p = Principal::Anonymous();          // a caller without a token
//   if (p.roles.Contains(Role::kOffice)) { ... }
//
// Thread-safety: plain values; const access from several threads is safe.
#ifndef GONGKAI_LIBS_AUTH_PRINCIPAL_H_
#define GONGKAI_LIBS_AUTH_PRINCIPAL_H_

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace gongkai::auth {

enum class Role : uint8_t {
  kPublic = 0,   // Anyone, signed in or not. In a Rule it means "open to everyone".
  kStaff,        // Works in one unit: drafts and maintains that unit's documents.
  kReviewer,     // Reviews releases of one unit (confidentiality review).
  kOffice,       // The general office: supervises every unit, may return documents.
  kInspector,    // Reads everything for performance assessment; never writes.
  kAdmin,        // Operates the system; any unit.
  kHead,         // The principal head (主要负责人) of the unit in unit_id: approves what
                 // the rules reserve to the head (INT-3 interpretation plans).
  kSupervision,  // The supervision office (督查室): follows leaders' instructions (OPI-5).
  kService,      // Another gongkai service calling as a service principal.
};

// "PUBLIC", "STAFF", ... (the claim spelling).
absl::string_view RoleName(Role role);
// The role spelled `name` exactly as RoleName prints it; nullopt for anything else.
std::optional<Role> ParseRole(absl::string_view name);

// A small set of roles, usable in constexpr tables: `RoleSet{Role::kStaff, Role::kAdmin}`.
class RoleSet {
 public:
  constexpr RoleSet() = default;
  constexpr RoleSet(std::initializer_list<Role> roles) {
    for (Role role : roles) bits_ |= Bit(role);
  }

  constexpr bool Contains(Role role) const { return (bits_ & Bit(role)) != 0; }
  constexpr bool empty() const { return bits_ == 0; }
  constexpr void Add(Role role) { bits_ |= Bit(role); }
  constexpr RoleSet Intersect(RoleSet other) const { return FromBits(bits_ & other.bits_); }
  constexpr bool operator==(RoleSet other) const { return bits_ == other.bits_; }
  constexpr bool operator!=(RoleSet other) const { return bits_ != other.bits_; }

  // Members in declaration order of Role.
  std::vector<Role> ToVector() const;
  // "STAFF, OFFICE" (declaration order); "none" when empty.
  std::string ToString() const;

 private:
  static constexpr uint32_t Bit(Role role) { return uint32_t{1} << static_cast<uint8_t>(role); }
  static constexpr RoleSet FromBits(uint32_t bits) {
    RoleSet set;
    set.bits_ = bits;
    return set;
  }

  uint32_t bits_ = 0;
};

struct Principal {
  // Claim "sub"; empty exactly when the caller is anonymous.
  std::string subject;
  // Claim "unit_id"; nullopt for callers that belong to no unit.
  std::optional<int64_t> unit_id;
  // Recognised roles from claim "roles". Empty for the anonymous caller.
  RoleSet roles;
  // Role strings the token carried that this build does not know (for a log line).
  std::vector<std::string> unknown_roles;

  // The caller without a token: may only do what Rules open to Role::kPublic.
  static Principal Anonymous() { return Principal{}; }

  bool anonymous() const { return subject.empty(); }
  // For logs: "anonymous" or "alice unit=3 roles=STAFF, REVIEWER".
  std::string DebugString() const;
};

}  // namespace gongkai::auth

#endif  // GONGKAI_LIBS_AUTH_PRINCIPAL_H_
