#include "libs/demo/actor_tokens.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "libs/auth/token_minter.h"
#include "libs/status/status_macros.h"

namespace gongkai::demo {

MintingTokenSource::MintingTokenSource(std::string secret, std::string issuer,
                                       std::vector<std::string> audience, const Clock* clock,
                                       absl::Duration ttl)
    : secret_(std::move(secret)),
      issuer_(std::move(issuer)),
      audience_(std::move(audience)),
      clock_(clock),
      ttl_(ttl) {}

absl::StatusOr<std::string> MintingTokenSource::TokenFor(const Actor& actor) {
  const std::string key =
      absl::StrCat(actor.subject, "|", actor.role, "|", actor.unit_id.value_or(0));
  const absl::Time now = clock_->Now();
  auto it = cache_.find(key);
  if (it != cache_.end() && now < it->second.refresh_after) return it->second.token;

  auth::Claims claims;
  claims.subject = actor.subject;
  claims.unit_id = actor.unit_id;
  claims.roles = {actor.role};
  claims.issuer = issuer_;
  claims.audience = audience_;
  claims.issued_at = now;
  ASSIGN_OR_RETURN(std::string token, auth::MintHs256(claims, secret_, ttl_));
  cache_[key] = Minted{token, now + ttl_ / 2};
  return token;
}

}  // namespace gongkai::demo
