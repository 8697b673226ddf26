// Who a demo data loader acts as, and the bearer token it sends for that actor. Shared
// by the services' demo loaders (services/<name>/demo/, run once by `./gongkai up`).
//
// Two sources: FixedTokenSource sends one token (an ADMIN token, which may act on every
// unit) for every actor; MintingTokenSource signs a token per actor with the services'
// HS256 key, so the audit trail names realistic users ("zhang.wei@nn-edu" drafted,
// "liu.fang@nn-edu" reviewed).
//
//   MintingTokenSource tokens(secret, "gongkai-dev", {"gongkai"}, &clock);
//   ASSIGN_OR_RETURN(std::string jwt, tokens.TokenFor(Actor::Staff("zhang.wei@nn-edu", 4)));
//
// Thread-safety: not thread-safe (MintingTokenSource caches tokens); one loader, one thread.
#ifndef GONGKAI_LIBS_DEMO_ACTOR_TOKENS_H_
#define GONGKAI_LIBS_DEMO_ACTOR_TOKENS_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/clock/clock.h"

namespace gongkai::demo {

struct Actor {
  std::string subject;
  std::string role;  // "STAFF", "REVIEWER", "OFFICE", or "PUBLIC" (no token at all).
  std::optional<int64_t> unit_id;

  // A member of the public filing online: calls go without any token, whatever the
  // TokenSource. `who` only names the actor in error messages.
  static Actor Public(std::string who) { return {std::move(who), "PUBLIC", std::nullopt}; }
  bool anonymous() const { return role == "PUBLIC"; }

  static Actor Office(std::string subject) { return {std::move(subject), "OFFICE", std::nullopt}; }
  static Actor Staff(std::string subject, int64_t unit_id) {
    return {std::move(subject), "STAFF", unit_id};
  }
  static Actor Reviewer(std::string subject, int64_t unit_id) {
    return {std::move(subject), "REVIEWER", unit_id};
  }
};

class TokenSource {
 public:
  virtual ~TokenSource() = default;
  // The bearer token to send when acting as `actor`.
  virtual absl::StatusOr<std::string> TokenFor(const Actor& actor) = 0;
  // Whether every actor is really the same user (the audit trail shows one name).
  virtual bool SingleIdentity() const = 0;
};

// Sends `token` for every actor; it must carry a role that may do everything the loader
// does (ADMIN).
class FixedTokenSource final : public TokenSource {
 public:
  explicit FixedTokenSource(std::string token) : token_(std::move(token)) {}
  absl::StatusOr<std::string> TokenFor(const Actor&) override { return token_; }
  bool SingleIdentity() const override { return true; }

 private:
  std::string token_;
};

// Mints an HS256 token per actor (libs/auth MintHs256), valid for `ttl`, and reuses it
// until half of its lifetime is gone. INVALID_ARGUMENT from TokenFor when the secret is
// too short or the claims are incomplete.
class MintingTokenSource final : public TokenSource {
 public:
  MintingTokenSource(std::string secret, std::string issuer, std::vector<std::string> audience,
                     const Clock* clock, absl::Duration ttl = absl::Hours(1));
  absl::StatusOr<std::string> TokenFor(const Actor& actor) override;
  bool SingleIdentity() const override { return false; }

 private:
  struct Minted {
    std::string token;
    absl::Time refresh_after;
  };

  std::string secret_;
  std::string issuer_;
  std::vector<std::string> audience_;
  const Clock* clock_;
  absl::Duration ttl_;
  std::map<std::string, Minted> cache_;  // Key: subject, role and unit.
};

}  // namespace gongkai::demo

#endif  // GONGKAI_LIBS_DEMO_ACTOR_TOKENS_H_
