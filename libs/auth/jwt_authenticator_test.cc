#include "libs/auth/jwt_authenticator.h"

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/auth/test_keys.h"
#include "libs/auth/token_minter.h"
#include "libs/clock/clock.h"

namespace gongkai::auth {
namespace {

using ::gongkai::auth::testing::Base64Url;
using ::gongkai::auth::testing::CraftHs256;
using ::gongkai::auth::testing::GenerateEcKeyPair;
using ::gongkai::auth::testing::GenerateRsaKeyPair;
using ::gongkai::auth::testing::TestKeyPair;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kSecret[] = "0123456789abcdef0123456789abcdef-hs256";
constexpr char kIssuer[] = "gongkai-dev";
constexpr char kAudience[] = "gongkai";

// 2025-03-01T00:00:00Z.
const absl::Time kNow = absl::FromUnixSeconds(1740787200);

std::string Message(const absl::Status& status) { return std::string(status.message()); }

class JwtAuthenticatorTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    rsa_a_ = new TestKeyPair(GenerateRsaKeyPair(2048));
    rsa_b_ = new TestKeyPair(GenerateRsaKeyPair(2048));
  }
  static void TearDownTestSuite() {
    delete rsa_a_;
    delete rsa_b_;
  }

  static Claims StaffClaims() {
    Claims claims;
    claims.subject = "alice";
    claims.unit_id = 3;
    claims.roles = {"STAFF", "REVIEWER"};
    claims.issuer = kIssuer;
    claims.audience = {kAudience};
    claims.issued_at = kNow;
    return claims;
  }

  AuthConfig Hs256Config() const {
    AuthConfig config;
    config.hs256_secret = kSecret;
    config.issuer = kIssuer;
    config.audience = kAudience;
    return config;
  }

  AuthConfig Rs256Config() const {
    AuthConfig config;
    config.rs256_public_keys["2025-a"] = rsa_a_->public_pem;
    config.rs256_public_keys["2025-b"] = rsa_b_->public_pem;
    config.issuer = kIssuer;
    config.audience = kAudience;
    return config;
  }

  std::unique_ptr<Authenticator> Make(const AuthConfig& config) {
    absl::StatusOr<std::unique_ptr<Authenticator>> auth = NewJwtAuthenticator(config, clock_);
    EXPECT_TRUE(auth.ok()) << auth.status();
    return auth.ok() ? std::move(*auth) : nullptr;
  }

  std::string Hs256(const Claims& claims, absl::Duration ttl = absl::Hours(1)) {
    absl::StatusOr<std::string> token = MintHs256(claims, kSecret, ttl);
    EXPECT_TRUE(token.ok()) << token.status();
    return token.value_or("");
  }

  // A token with this payload JSON, correctly HS256-signed with kSecret.
  static std::string SignedPayload(absl::string_view payload_json) {
    return CraftHs256(R"({"alg":"HS256","typ":"JWT"})", payload_json, kSecret);
  }

  static std::string PayloadWith(absl::string_view extra_claims) {
    return absl::StrCat(R"({"iss":"gongkai-dev","aud":"gongkai","exp":)",
                        absl::ToUnixSeconds(kNow + absl::Hours(1)), extra_claims, "}");
  }

  static TestKeyPair* rsa_a_;
  static TestKeyPair* rsa_b_;
  FakeClock clock_{kNow};
};

TestKeyPair* JwtAuthenticatorTest::rsa_a_ = nullptr;
TestKeyPair* JwtAuthenticatorTest::rsa_b_ = nullptr;

TEST_F(JwtAuthenticatorTest, ValidHs256TokenYieldsPrincipal) {
  auto auth = Make(Hs256Config());
  absl::StatusOr<Principal> principal = auth->VerifyToken(Hs256(StaffClaims()));
  ASSERT_TRUE(principal.ok()) << principal.status();
  EXPECT_EQ(principal->subject, "alice");
  EXPECT_EQ(principal->unit_id, 3);
  EXPECT_EQ(principal->roles, (RoleSet{Role::kStaff, Role::kReviewer}));
  EXPECT_TRUE(principal->unknown_roles.empty());
  EXPECT_FALSE(principal->anonymous());
}

TEST_F(JwtAuthenticatorTest, ValidRs256TokenIsVerifiedWithTheKeyNamedByKid) {
  auto auth = Make(Rs256Config());
  for (const auto& [kid, key] : {std::pair{"2025-a", rsa_a_}, std::pair{"2025-b", rsa_b_}}) {
    absl::StatusOr<std::string> token =
        MintRs256(StaffClaims(), key->private_pem, kid, absl::Hours(1));
    ASSERT_TRUE(token.ok()) << token.status();
    absl::StatusOr<Principal> principal = auth->VerifyToken(*token);
    ASSERT_TRUE(principal.ok()) << kid << ": " << principal.status();
    EXPECT_EQ(principal->subject, "alice");
  }
}

TEST_F(JwtAuthenticatorTest, Rs256TokenSignedByAnotherKeyThanItsKidIsRefused) {
  auto auth = Make(Rs256Config());
  std::string token = *MintRs256(StaffClaims(), rsa_b_->private_pem, "2025-a", absl::Hours(1));
  absl::Status status = auth->VerifyToken(token).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kUnauthenticated);
  EXPECT_THAT(Message(status), HasSubstr("bad signature"));
}

TEST_F(JwtAuthenticatorTest, Rs256TokenWithUnknownKidIsRefused) {
  auto auth = Make(Rs256Config());
  std::string token = *MintRs256(StaffClaims(), rsa_a_->private_pem, "2024-old", absl::Hours(1));
  absl::Status status = auth->VerifyToken(token).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kUnauthenticated);
  EXPECT_THAT(Message(status), HasSubstr("unknown key id (kid) \"2024-old\""));
}

TEST_F(JwtAuthenticatorTest, Rs256TokenWithoutKidNeedsASingleConfiguredKey) {
  std::string token = *MintRs256(StaffClaims(), rsa_a_->private_pem, "", absl::Hours(1));
  absl::Status several = Make(Rs256Config())->VerifyToken(token).status();
  EXPECT_EQ(several.code(), absl::StatusCode::kUnauthenticated);
  EXPECT_THAT(Message(several), HasSubstr("no kid"));

  AuthConfig one = Rs256Config();
  one.rs256_public_keys.erase("2025-b");
  EXPECT_TRUE(Make(one)->VerifyToken(token).ok());
}

TEST_F(JwtAuthenticatorTest, ExpiredTokenIsRefusedAfterTheLeeway) {
  auto auth = Make(Hs256Config());
  std::string token = Hs256(StaffClaims(), absl::Minutes(10));
  clock_.Set(kNow + absl::Minutes(10) + absl::Seconds(29));
  EXPECT_TRUE(auth->VerifyToken(token).ok()) << "within the default 30 s leeway";
  clock_.Set(kNow + absl::Minutes(10) + absl::Seconds(30));
  absl::Status status = auth->VerifyToken(token).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kUnauthenticated);
  EXPECT_THAT(Message(status), HasSubstr("expired at 2025-03-01T00:10:00Z"));
}

// Verified tokens are remembered, but every answer still honours the clock, and any
// other byte string is verified in full.
TEST_F(JwtAuthenticatorTest, RememberedTokensStillExpireAndTamperedOnesStillFail) {
  auto auth = Make(Hs256Config());
  std::string token = Hs256(StaffClaims(), absl::Minutes(10));
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(auth->VerifyToken(token).ok());
  std::string tampered = token;
  tampered[tampered.size() - 2] = tampered[tampered.size() - 2] == 'A' ? 'B' : 'A';
  EXPECT_THAT(Message(auth->VerifyToken(tampered).status()), HasSubstr("signature"));
  clock_.Set(kNow + absl::Hours(1));
  EXPECT_THAT(Message(auth->VerifyToken(token).status()), HasSubstr("expired"));
  clock_.Set(kNow - absl::Minutes(5));  // Before its iat, beyond the leeway: refused.
  EXPECT_THAT(Message(auth->VerifyToken(token).status()), HasSubstr("issued in the future"));
}

TEST_F(JwtAuthenticatorTest, TokenIssuedInTheFutureIsRefused) {
  auto auth = Make(Hs256Config());
  Claims claims = StaffClaims();
  claims.issued_at = kNow + absl::Hours(1);
  std::string token = Hs256(claims, absl::Hours(2));
  absl::Status status = auth->VerifyToken(token).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kUnauthenticated);
  EXPECT_THAT(Message(status), HasSubstr("issued in the future, at 2025-03-01T01:00:00Z"));

  claims.issued_at = kNow + absl::Seconds(30);
  EXPECT_TRUE(auth->VerifyToken(Hs256(claims, absl::Hours(2))).ok()) << "iat within the leeway";
}

TEST_F(JwtAuthenticatorTest, LeewayIsConfigurable) {
  AuthConfig config = Hs256Config();
  config.leeway = absl::ZeroDuration();
  auto auth = Make(config);
  std::string token = Hs256(StaffClaims(), absl::Minutes(10));
  clock_.Set(kNow + absl::Minutes(10));
  EXPECT_THAT(Message(auth->VerifyToken(token).status()), HasSubstr("expired"));
}

TEST_F(JwtAuthenticatorTest, NotYetValidTokenIsRefused) {
  auto auth = Make(Hs256Config());
  Claims claims = StaffClaims();
  claims.not_before = kNow + absl::Minutes(5);
  std::string token = Hs256(claims);
  absl::Status status = auth->VerifyToken(token).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kUnauthenticated);
  EXPECT_THAT(Message(status), HasSubstr("not valid before 2025-03-01T00:05:00Z"));

  clock_.Set(kNow + absl::Minutes(5) - absl::Seconds(30));
  EXPECT_TRUE(auth->VerifyToken(token).ok()) << "nbf within the leeway";
}

TEST_F(JwtAuthenticatorTest, WrongIssuerIsRefused) {
  Claims claims = StaffClaims();
  claims.issuer = "someone-else";
  absl::Status status = Make(Hs256Config())->VerifyToken(Hs256(claims)).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kUnauthenticated);
  EXPECT_THAT(Message(status), HasSubstr("wrong issuer"));
}

TEST_F(JwtAuthenticatorTest, WrongAudienceIsRefused) {
  Claims claims = StaffClaims();
  claims.audience = {"another-app"};
  absl::Status status = Make(Hs256Config())->VerifyToken(Hs256(claims)).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kUnauthenticated);
  EXPECT_THAT(Message(status), HasSubstr("wrong audience"));

  claims.audience = {"another-app", "yet-another"};
  EXPECT_THAT(Message(Make(Hs256Config())->VerifyToken(Hs256(claims)).status()),
              HasSubstr("wrong audience"));
}

TEST_F(JwtAuthenticatorTest, AudienceArrayContainingOursIsAccepted) {
  Claims claims = StaffClaims();
  claims.audience = {"portal", kAudience};
  EXPECT_TRUE(Make(Hs256Config())->VerifyToken(Hs256(claims)).ok());
}

TEST_F(JwtAuthenticatorTest, TokenSignedWithAnotherSecretIsRefused) {
  auto auth = Make(Hs256Config());
  std::string token =
      *MintHs256(StaffClaims(), "another-secret-another-secret-0123", absl::Hours(1));
  absl::Status status = auth->VerifyToken(token).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kUnauthenticated);
  EXPECT_THAT(Message(status), HasSubstr("bad signature"));
}

TEST_F(JwtAuthenticatorTest, TamperedPayloadIsRefused) {
  auto auth = Make(Hs256Config());
  std::string token = Hs256(StaffClaims());
  std::vector<std::string> parts = absl::StrSplit(token, '.');
  Claims admin = StaffClaims();
  admin.roles = {"ADMIN"};
  std::vector<std::string> forged =
      absl::StrSplit(*MintHs256(admin, "another-secret-another-secret-0123", absl::Hours(1)), '.');
  std::string tampered = absl::StrCat(parts[0], ".", forged[1], ".", parts[2]);
  EXPECT_THAT(Message(auth->VerifyToken(tampered).status()), HasSubstr("bad signature"));
}

TEST_F(JwtAuthenticatorTest, AlgNoneIsRefusedEvenWithoutSignature) {
  auto auth = Make(Hs256Config());
  const std::string payload = Base64Url(PayloadWith(R"(,"sub":"mallory","roles":["ADMIN"])"));
  for (const char* header :
       {R"({"alg":"none"})", R"({"alg":"None","typ":"JWT"})", R"({"alg":"NONE"})"}) {
    const std::string token = absl::StrCat(Base64Url(header), ".", payload, ".");
    absl::Status status = auth->VerifyToken(token).status();
    EXPECT_EQ(status.code(), absl::StatusCode::kUnauthenticated) << header;
    EXPECT_THAT(Message(status), HasSubstr("alg none")) << header;
  }
}

TEST_F(JwtAuthenticatorTest, Hs256TokenIsRefusedWhenOnlyRs256KeysAreConfigured) {
  // The classic confusion attack: HMAC keyed with the (public) RSA key's PEM.
  auto auth = Make(Rs256Config());
  std::string token =
      CraftHs256(R"({"alg":"HS256","kid":"2025-a"})",
                 PayloadWith(R"(,"sub":"mallory","roles":["ADMIN"])"), rsa_a_->public_pem);
  absl::Status status = auth->VerifyToken(token).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kUnauthenticated);
  EXPECT_THAT(Message(status), HasSubstr("alg HS256 is not accepted"));
}

TEST_F(JwtAuthenticatorTest, Rs256TokenIsRefusedWhenOnlyHs256IsConfigured) {
  std::string token = *MintRs256(StaffClaims(), rsa_a_->private_pem, "2025-a", absl::Hours(1));
  EXPECT_THAT(Message(Make(Hs256Config())->VerifyToken(token).status()),
              HasSubstr("alg RS256 is not accepted"));
}

TEST_F(JwtAuthenticatorTest, UnsupportedAlgorithmsAreRefused) {
  auto auth = Make(Hs256Config());
  for (const char* alg : {"HS512", "ES256", "PS256", "hs256"}) {
    std::string token = CraftHs256(absl::StrCat(R"({"alg":")", alg, R"("})"),
                                   PayloadWith(R"(,"sub":"alice")"), kSecret);
    EXPECT_THAT(Message(auth->VerifyToken(token).status()),
                HasSubstr(absl::StrCat("unsupported alg \"", alg, "\"")));
  }
  std::string no_alg = CraftHs256(R"({"typ":"JWT"})", PayloadWith(R"(,"sub":"a")"), kSecret);
  EXPECT_THAT(Message(auth->VerifyToken(no_alg).status()), HasSubstr("no alg"));
}

TEST_F(JwtAuthenticatorTest, CriticalHeaderExtensionsAreRefused) {
  std::string token = CraftHs256(R"({"alg":"HS256","crit":["exp"],"exp":1})",
                                 PayloadWith(R"(,"sub":"alice")"), kSecret);
  EXPECT_THAT(Message(Make(Hs256Config())->VerifyToken(token).status()), HasSubstr("critical"));
}

TEST_F(JwtAuthenticatorTest, MalformedTokensAreRefused) {
  auto auth = Make(Hs256Config());
  const std::string good = Hs256(StaffClaims());
  const struct {
    std::string token;
    std::string why;
  } cases[] = {
      {"", "expected header.payload.signature"},
      {"abc", "expected header.payload.signature"},
      {"a.b", "expected header.payload.signature"},
      {absl::StrCat(good, ".extra.parts"), "expected header.payload.signature"},
      {"!!!.e30.c2ln", "header is not base64url"},
      {"eyJhbGciOiJIUzI1NiJ9=.e30.c2ln", "header is not base64url"},
      {absl::StrCat(Base64Url("not json"), ".e30.c2ln"), "header is not a JSON object"},
      {absl::StrCat(Base64Url("[1,2]"), ".e30.c2ln"), "header is not a JSON object"},
      {absl::StrCat(Base64Url(R"({"alg":"HS256"})"), ".e30.***"), "signature is not base64url"},
      {SignedPayload("this is not json"), "payload is not a JSON object"},
      {std::string(kMaxTokenBytes + 1, 'a'), "longer than"},
  };
  for (const auto& c : cases) {
    absl::Status status = auth->VerifyToken(c.token).status();
    EXPECT_EQ(status.code(), absl::StatusCode::kUnauthenticated) << c.token;
    EXPECT_THAT(Message(status), HasSubstr(c.why)) << c.token;
  }
}

TEST_F(JwtAuthenticatorTest, NonCanonicalBase64UrlIsRefusedSoATokenHasOneSpelling) {
  auto auth = Make(Hs256Config());
  const std::string good = Hs256(StaffClaims());
  ASSERT_TRUE(auth->VerifyToken(good).ok());
  // An HS256 signature is 32 bytes: 43 characters, the last carrying 2 unused bits.
  // Setting one of them decodes to the same bytes, but is not the canonical spelling.
  constexpr absl::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string altered = good;
  const size_t last = kAlphabet.find(altered.back());
  ASSERT_NE(last, absl::string_view::npos);
  ASSERT_EQ(last & 3, 0u) << "a canonical last character has its unused bits clear";
  altered.back() = kAlphabet[last | 1];
  absl::Status status = auth->VerifyToken(altered).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kUnauthenticated);
  EXPECT_THAT(Message(status), HasSubstr("signature is not base64url"));
}

TEST_F(JwtAuthenticatorTest, MissingOrMistypedClaimsAreRefused) {
  auto auth = Make(Hs256Config());
  const std::string exp = absl::StrCat(absl::ToUnixSeconds(kNow + absl::Hours(1)));
  const struct {
    std::string payload;
    std::string why;
  } cases[] = {
      {R"({"iss":"gongkai-dev","aud":"gongkai","sub":"a"})", "missing claim exp"},
      {absl::StrCat(R"({"iss":"gongkai-dev","aud":"gongkai","sub":"a","exp":")", exp, "\"}"),
       "claim exp must be a number"},
      {absl::StrCat(R"({"aud":"gongkai","sub":"a","exp":)", exp, "}"), "missing claim iss"},
      {absl::StrCat(R"({"iss":"gongkai-dev","sub":"a","exp":)", exp, "}"), "missing claim aud"},
      {absl::StrCat(R"({"iss":"gongkai-dev","aud":7,"sub":"a","exp":)", exp, "}"),
       "claim aud must be a string or an array"},
      {PayloadWith(""), "missing claim sub"},
      {PayloadWith(R"(,"sub":"")"), "claim sub must be a non-empty string"},
      {PayloadWith(R"(,"sub":"a","unit_id":"3")"), "claim unit_id must be a positive integer"},
      {PayloadWith(R"(,"sub":"a","unit_id":0)"), "claim unit_id must be a positive integer"},
      {PayloadWith(R"(,"sub":"a","unit_id":18446744073709551615)"),
       "claim unit_id must be a positive integer"},
      {PayloadWith(R"(,"sub":"a","roles":"STAFF")"), "claim roles must be an array of strings"},
      {PayloadWith(R"(,"sub":"a","roles":[1])"), "claim roles must be an array of strings"},
      {PayloadWith(R"(,"sub":"a","roles":["STAFF"])"), "role STAFF requires claim unit_id"},
      {PayloadWith(R"(,"sub":"a","roles":["HEAD"])"), "role HEAD requires claim unit_id"},
      {PayloadWith(R"(,"sub":"service:x","unit_id":3,"roles":["SERVICE"])"),
       "role SERVICE must not carry claim unit_id"},
      {PayloadWith(R"(,"sub":"a","nbf":"soon")"), "claim nbf must be a number"},
  };
  for (const auto& c : cases) {
    absl::Status status = auth->VerifyToken(SignedPayload(c.payload)).status();
    EXPECT_EQ(status.code(), absl::StatusCode::kUnauthenticated) << c.payload;
    EXPECT_THAT(Message(status), HasSubstr(c.why)) << c.payload;
  }
}

// The subject lands in VARCHAR(200) columns: a longer one is refused at the door.
TEST_F(JwtAuthenticatorTest, SubjectLongerThanTheStoredColumnsIsRefused) {
  auto auth = Make(Hs256Config());
  const std::string longest(kMaxSubjectChars, 'a');
  absl::StatusOr<Principal> ok =
      auth->VerifyToken(SignedPayload(PayloadWith(absl::StrCat(R"(,"sub":")", longest, "\""))));
  ASSERT_TRUE(ok.ok()) << ok.status();
  EXPECT_EQ(ok->subject, longest);

  // 200 Chinese characters are 600 bytes but 200 characters: accepted.
  std::string chinese;
  for (size_t i = 0; i < kMaxSubjectChars; ++i) chinese += "\xe5\x85\xac";
  EXPECT_TRUE(
      auth->VerifyToken(SignedPayload(PayloadWith(absl::StrCat(R"(,"sub":")", chinese, "\""))))
          .ok());

  absl::Status too_long =
      auth->VerifyToken(SignedPayload(PayloadWith(absl::StrCat(R"(,"sub":")", longest, "b\""))))
          .status();
  EXPECT_EQ(too_long.code(), absl::StatusCode::kUnauthenticated);
  EXPECT_THAT(Message(too_long), HasSubstr("claim sub is longer than 200 characters"));
}

TEST_F(JwtAuthenticatorTest, UnknownRolesAreIgnoredAndReported) {
  Claims claims = StaffClaims();
  claims.roles = {"OFFICE", "MAYOR", "staff"};
  absl::StatusOr<Principal> principal = Make(Hs256Config())->VerifyToken(Hs256(claims));
  ASSERT_TRUE(principal.ok()) << principal.status();
  EXPECT_EQ(principal->roles, RoleSet{Role::kOffice});
  EXPECT_THAT(principal->unknown_roles, ElementsAre("MAYOR", "staff"));
}

TEST_F(JwtAuthenticatorTest, FractionalNumericDatesAreAccepted) {
  std::string token =
      SignedPayload(absl::StrCat(R"({"iss":"gongkai-dev","aud":"gongkai","sub":"a","exp":)",
                                 absl::ToUnixSeconds(kNow) + 60, ".5}"));
  EXPECT_TRUE(Make(Hs256Config())->VerifyToken(token).ok());
}

TEST_F(JwtAuthenticatorTest, ErrorMessagesNeverEchoTheToken) {
  auto auth = Make(Hs256Config());
  std::string good = Hs256(StaffClaims(), absl::Minutes(1));
  std::vector<std::string> parts = absl::StrSplit(good, '.');
  clock_.Advance(absl::Hours(1));
  for (const std::string& token : {good, absl::StrCat(parts[0], ".", parts[1], ".AAAA")}) {
    const std::string message = Message(auth->VerifyToken(token).status());
    EXPECT_THAT(message, Not(HasSubstr(parts[1])));
    EXPECT_THAT(message, Not(HasSubstr(parts[2])));
  }
}

TEST_F(JwtAuthenticatorTest, UnusableConfigurationIsRejectedAtStartup) {
  const struct {
    std::function<void(AuthConfig&)> change;
    std::string why;
  } cases[] = {
      {[](AuthConfig& c) { c.hs256_secret.clear(); }, "configure an HS256 secret or RS256"},
      {[](AuthConfig& c) { c.hs256_secret = "short"; }, "at least 32 bytes"},
      {[](AuthConfig& c) { c.issuer.clear(); }, "issuer is required"},
      {[](AuthConfig& c) { c.audience.clear(); }, "audience is required"},
      {[](AuthConfig& c) { c.leeway = absl::Hours(1); }, "leeway"},
      {[](AuthConfig& c) { c.rs256_public_keys["k"] = "not a pem"; }, "not a PEM public key"},
      {[](AuthConfig& c) { c.rs256_public_keys[""] = rsa_a_->public_pem; }, "empty kid"},
      {[](AuthConfig& c) { c.rs256_public_keys["k"] = rsa_a_->private_pem; },
       "not a PEM public key"},
      {[](AuthConfig& c) { c.rs256_public_keys["ec"] = GenerateEcKeyPair().public_pem; },
       "not an RSA key"},
      {[](AuthConfig& c) { c.rs256_public_keys["small"] = GenerateRsaKeyPair(1024).public_pem; },
       "1024 bits"},
  };
  for (const auto& c : cases) {
    AuthConfig config = Hs256Config();
    c.change(config);
    absl::Status status = NewJwtAuthenticator(config, clock_).status();
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << c.why;
    EXPECT_THAT(Message(status), HasSubstr(c.why));
  }
}

}  // namespace
}  // namespace gongkai::auth
