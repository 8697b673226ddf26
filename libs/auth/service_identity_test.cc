#include "libs/auth/service_identity.h"

#include <functional>
#include <memory>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/auth/jwt_authenticator.h"
#include "libs/auth/test_keys.h"

namespace gongkai::auth {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr char kSecret[] = "0123456789abcdef0123456789abcdef";
const absl::Time kStart = absl::FromUnixSeconds(1780000000);

ServiceIdentityConfig Hs256Config() {
  ServiceIdentityConfig config;
  config.service_name = "interpretation";
  config.issuer = "gongkai-dev";
  config.audience = "gongkai";
  config.hs256_secret = kSecret;
  return config;
}

std::unique_ptr<Authenticator> Verifier(const Clock& clock, AuthConfig config = {}) {
  config.issuer = "gongkai-dev";
  config.audience = "gongkai";
  if (config.rs256_public_keys.empty()) config.hs256_secret = kSecret;
  absl::StatusOr<std::unique_ptr<Authenticator>> verifier = NewJwtAuthenticator(config, clock);
  EXPECT_TRUE(verifier.ok()) << verifier.status();
  return std::move(*verifier);
}

TEST(ServiceIdentityTest, TheCalleeSeesTheServicePrincipalWithoutUnit) {
  FakeClock clock(kStart);
  absl::StatusOr<std::unique_ptr<ServiceIdentity>> identity =
      NewServiceIdentity(Hs256Config(), clock);
  ASSERT_TRUE(identity.ok()) << identity.status();
  EXPECT_EQ((*identity)->subject(), "service:interpretation");

  absl::StatusOr<std::string> header = (*identity)->AuthorizationValue();
  ASSERT_TRUE(header.ok());
  EXPECT_THAT(*header, StartsWith("Bearer "));
  absl::StatusOr<Principal> principal = Verifier(clock)->AuthenticateHeader(*header);
  ASSERT_TRUE(principal.ok()) << principal.status();
  EXPECT_EQ(principal->subject, "service:interpretation");
  EXPECT_EQ(principal->roles, RoleSet{Role::kService});
  EXPECT_FALSE(principal->unit_id.has_value());
}

TEST(ServiceIdentityTest, ReusesTheTokenAndRemintsBeforeItExpires) {
  FakeClock clock(kStart);
  ServiceIdentityConfig config = Hs256Config();
  config.token_lifetime = absl::Minutes(8);
  std::unique_ptr<ServiceIdentity> identity = *NewServiceIdentity(config, clock);
  const std::string first = *identity->AuthorizationValue();
  clock.Advance(absl::Minutes(5));  // 3 of 8 minutes left: more than a quarter.
  EXPECT_EQ(*identity->AuthorizationValue(), first);
  clock.Advance(absl::Minutes(1) + absl::Seconds(1));  // under a quarter left.
  const std::string second = *identity->AuthorizationValue();
  EXPECT_NE(second, first);
  // The new token is valid well past the old one's expiry.
  clock.Advance(absl::Minutes(7));
  EXPECT_TRUE(Verifier(clock)->AuthenticateHeader(second).ok());
}

TEST(ServiceIdentityTest, SignsWithAnRsaKeyTheCalleeKnowsByKid) {
  FakeClock clock(kStart);
  testing::TestKeyPair key = testing::GenerateRsaKeyPair(2048);
  ServiceIdentityConfig config = Hs256Config();
  config.hs256_secret.clear();
  config.rs256_private_key_pem = key.private_pem;
  config.rs256_kid = "svc-1";
  std::unique_ptr<ServiceIdentity> identity = *NewServiceIdentity(config, clock);
  AuthConfig verify;
  verify.rs256_public_keys["svc-1"] = key.public_pem;
  absl::StatusOr<Principal> principal =
      Verifier(clock, verify)->AuthenticateHeader(*identity->AuthorizationValue());
  ASSERT_TRUE(principal.ok()) << principal.status();
  EXPECT_TRUE(principal->roles.Contains(Role::kService));
}

TEST(ServiceIdentityTest, PrepareSetsMetadataAndDeadline) {
  FakeClock clock(kStart);
  std::unique_ptr<ServiceIdentity> identity = *NewServiceIdentity(Hs256Config(), clock);
  grpc::ClientContext context;
  const auto before = std::chrono::system_clock::now();
  ASSERT_TRUE(identity->Prepare(context, absl::Seconds(2)).ok());
  EXPECT_GT(context.deadline(), before + std::chrono::seconds(1));
  EXPECT_LE(context.deadline(), std::chrono::system_clock::now() + std::chrono::seconds(2));
}

TEST(ServiceIdentityTest, RefusesUnusableConfigurationNamingTheProblem) {
  FakeClock clock(kStart);
  struct Case {
    std::string name;
    std::function<void(ServiceIdentityConfig&)> change;
    std::string message;
  };
  const Case cases[] = {
      {"no name", [](ServiceIdentityConfig& c) { c.service_name.clear(); }, "service name"},
      {"no issuer", [](ServiceIdentityConfig& c) { c.issuer.clear(); }, "issuer and audience"},
      {"no key", [](ServiceIdentityConfig& c) { c.hs256_secret.clear(); }, "no signing key"},
      {"two keys", [](ServiceIdentityConfig& c) { c.rs256_private_key_pem = "x"; }, "not both"},
      {"short secret", [](ServiceIdentityConfig& c) { c.hs256_secret = "short"; }, "cannot sign"},
      {"bad pem",
       [](ServiceIdentityConfig& c) {
         c.hs256_secret.clear();
         c.rs256_private_key_pem = "not a key";
       },
       "cannot sign"},
      {"lifetime", [](ServiceIdentityConfig& c) { c.token_lifetime = absl::Seconds(5); },
       "lifetime"},
  };
  for (const Case& c : cases) {
    ServiceIdentityConfig config = Hs256Config();
    c.change(config);
    absl::StatusOr<std::unique_ptr<ServiceIdentity>> identity = NewServiceIdentity(config, clock);
    EXPECT_EQ(identity.status().code(), absl::StatusCode::kInvalidArgument) << c.name;
    EXPECT_THAT(identity.status().message(), HasSubstr(c.message)) << c.name;
  }
}

}  // namespace
}  // namespace gongkai::auth
