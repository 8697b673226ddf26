#include "libs/auth/service_identity.h"

#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "libs/auth/token_minter.h"

namespace gongkai::auth {
namespace {

class JwtServiceIdentity final : public ServiceIdentity {
 public:
  JwtServiceIdentity(ServiceIdentityConfig config, const Clock& clock)
      : config_(std::move(config)),
        subject_(absl::StrCat("service:", config_.service_name)),
        clock_(clock) {}

  const std::string& subject() const override { return subject_; }

  absl::StatusOr<std::string> AuthorizationValue() override {
    const absl::Time now = clock_.Now();
    absl::MutexLock lock(&mu_);
    // Re-mint with a quarter of the lifetime left: a call's deadline is far shorter, so
    // a token never expires in flight, and the callee's leeway covers clock skew.
    if (header_.empty() || now >= expires_ - config_.token_lifetime / 4) {
      absl::StatusOr<std::string> jwt = Mint(now);
      if (!jwt.ok()) {
        return absl::InternalError(
            absl::StrCat("cannot mint the service token: ", jwt.status().message()));
      }
      header_ = absl::StrCat("Bearer ", *jwt);
      expires_ = now + config_.token_lifetime;
    }
    return header_;
  }

  absl::StatusOr<std::string> Mint(absl::Time now) const {
    Claims claims;
    claims.subject = subject_;
    claims.roles = {"SERVICE"};
    claims.issuer = config_.issuer;
    claims.audience = {config_.audience};
    claims.issued_at = now;
    if (!config_.hs256_secret.empty()) {
      return MintHs256(claims, config_.hs256_secret, config_.token_lifetime);
    }
    return MintRs256(claims, config_.rs256_private_key_pem, config_.rs256_kid,
                     config_.token_lifetime);
  }

 private:
  const ServiceIdentityConfig config_;
  const std::string subject_;
  const Clock& clock_;
  absl::Mutex mu_;
  std::string header_ ABSL_GUARDED_BY(mu_);
  absl::Time expires_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
};

}  // namespace

absl::Status ServiceIdentity::Prepare(grpc::ClientContext& context, absl::Duration timeout) {
  absl::StatusOr<std::string> authorization = AuthorizationValue();
  if (!authorization.ok()) return authorization.status();
  context.AddMetadata("authorization", *authorization);
  // gRPC deadlines are real time, whatever clock the service computes its rules with.
  context.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<ServiceIdentity>> NewServiceIdentity(
    const ServiceIdentityConfig& config, const Clock& clock) {
  if (config.service_name.empty()) {
    return absl::InvalidArgumentError("service identity: the service name is empty");
  }
  if (config.issuer.empty() || config.audience.empty()) {
    return absl::InvalidArgumentError("service identity: issuer and audience are required");
  }
  const bool hs256 = !config.hs256_secret.empty();
  const bool rs256 = !config.rs256_private_key_pem.empty();
  if (hs256 == rs256) {
    return absl::InvalidArgumentError(
        hs256 ? "service identity: give either an HS256 secret or an RS256 private key, not both"
              : "service identity: no signing key (an HS256 secret or an RS256 private key)");
  }
  if (config.token_lifetime < absl::Minutes(1) || config.token_lifetime > absl::Hours(1)) {
    return absl::InvalidArgumentError(
        "service identity: the token lifetime must be between 1 minute and 1 hour");
  }
  auto identity = std::make_unique<JwtServiceIdentity>(config, clock);
  // Fail at start-up, not at the first call, when the key cannot sign.
  if (absl::StatusOr<std::string> probe = identity->Mint(clock.Now()); !probe.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("service identity: the key cannot sign: ", probe.status().message()));
  }
  return identity;
}

}  // namespace gongkai::auth
