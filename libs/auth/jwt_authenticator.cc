#include "libs/auth/jwt_authenticator.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>
#include <algorithm>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "libs/status/status_macros.h"
#include "nlohmann/json.hpp"

namespace gongkai::auth {
namespace {

using Json = nlohmann::json;

struct EvpPkeyDeleter {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
using EvpPkeyPtr = std::unique_ptr<EVP_PKEY, EvpPkeyDeleter>;

struct EvpMdCtxDeleter {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};

absl::Status Unauthenticated(absl::string_view why) {
  return absl::UnauthenticatedError(absl::StrCat("invalid token: ", why));
}

// Attacker-controlled header values (alg, kid) are quoted short and escaped.
std::string Quote(absl::string_view untrusted) {
  constexpr size_t kMaxShown = 40;
  std::string shown = absl::CHexEscape(untrusted.substr(0, kMaxShown));
  return absl::StrCat("\"", shown, untrusted.size() > kMaxShown ? "...\"" : "\"");
}

// RFC 7515 §2: base64url without padding, nothing else. Canonical only: the unused low
// bits of the last character must be zero, so each token has exactly one spelling (a
// signature with its last character changed does not still verify).
absl::StatusOr<std::string> DecodeSegment(absl::string_view segment, absl::string_view what) {
  bool valid = !segment.empty() && segment.size() % 4 != 1;
  for (char c : segment) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') valid = false;
  }
  std::string decoded;
  if (!valid || !absl::WebSafeBase64Unescape(segment, &decoded) ||
      absl::WebSafeBase64Escape(decoded) != segment) {
    return Unauthenticated(absl::StrCat("malformed token: ", what, " is not base64url"));
  }
  return decoded;
}

absl::StatusOr<Json> DecodeJsonObject(absl::string_view segment, absl::string_view what) {
  ASSIGN_OR_RETURN(std::string text, DecodeSegment(segment, what));
  Json json = Json::parse(text, /*cb=*/nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded() || !json.is_object()) {
    return Unauthenticated(absl::StrCat("malformed token: ", what, " is not a JSON object"));
  }
  return json;
}

// A NumericDate (RFC 7519 §2): seconds since the epoch, possibly fractional.
absl::StatusOr<std::optional<absl::Time>> NumericDate(const Json& claims, const char* name) {
  auto it = claims.find(name);
  if (it == claims.end()) return std::optional<absl::Time>();
  if (it->is_number_integer() && !it->is_number_unsigned()) {
    return std::optional<absl::Time>(absl::FromUnixSeconds(it->get<int64_t>()));
  }
  if (it->is_number()) {
    return std::optional<absl::Time>(absl::UnixEpoch() + absl::Seconds(it->get<double>()));
  }
  return Unauthenticated(absl::StrCat("claim ", name, " must be a number of seconds"));
}

// Characters of a UTF-8 string (nlohmann::json rejects invalid UTF-8 while parsing):
// every byte that is not a continuation byte starts one.
size_t Utf8Chars(absl::string_view text) {
  size_t chars = 0;
  for (char c : text) chars += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return chars;
}

std::string Rfc3339(absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", t, absl::UTCTimeZone());
}

class JwtAuthenticator final : public Authenticator {
 public:
  JwtAuthenticator(const AuthConfig& config, std::map<std::string, EvpPkeyPtr> rsa_keys,
                   const Clock& clock)
      : hs256_secret_(config.hs256_secret),
        rsa_keys_(std::move(rsa_keys)),
        issuer_(config.issuer),
        audience_(config.audience),
        leeway_(config.leeway),
        clock_(clock) {}

  ~JwtAuthenticator() override { OPENSSL_cleanse(hs256_secret_.data(), hs256_secret_.size()); }

  absl::StatusOr<Principal> VerifyToken(absl::string_view token) const override {
    // A token verified before is only re-checked against the clock: its signature and
    // claims cannot have changed (the key set is fixed for the authenticator's life).
    const absl::Time now = clock_.Now();
    {
      absl::MutexLock lock(&cache_mu_);
      auto it = verified_.find(token);
      if (it != verified_.end()) {
        if (now >= it->second.not_before && now < it->second.expires) return it->second.principal;
        verified_.erase(it);  // Outside its window: verify in full for the precise error.
      }
    }
    absl::StatusOr<Principal> principal = VerifyTokenUncached(token);
    if (principal.ok()) Remember(token, *principal);
    return principal;
  }

 private:
  struct VerifiedToken {
    Principal principal;
    absl::Time not_before;  // max(nbf, iat) - leeway, or the infinite past.
    absl::Time expires;     // exp + leeway.
  };
  // Verified tokens remembered at most; a busy server sees far fewer live ones.
  static constexpr size_t kMaxVerifiedTokens = 4096;

  void Remember(absl::string_view token, const Principal& principal) const {
    // Only the time claims are needed again; the token verified, so they parse.
    std::vector<absl::string_view> parts = absl::StrSplit(token, '.');
    absl::StatusOr<Json> claims = DecodeJsonObject(parts[1], "payload");
    if (!claims.ok()) return;
    absl::StatusOr<std::optional<absl::Time>> exp = NumericDate(*claims, "exp");
    absl::StatusOr<std::optional<absl::Time>> nbf = NumericDate(*claims, "nbf");
    absl::StatusOr<std::optional<absl::Time>> iat = NumericDate(*claims, "iat");
    if (!exp.ok() || !exp->has_value() || !nbf.ok() || !iat.ok()) return;
    absl::Time not_before = absl::InfinitePast();
    if (nbf->has_value()) not_before = **nbf - leeway_;
    if (iat->has_value()) not_before = std::max(not_before, **iat - leeway_);
    VerifiedToken entry{principal, not_before, **exp + leeway_};
    absl::MutexLock lock(&cache_mu_);
    if (verified_.size() >= kMaxVerifiedTokens) verified_.clear();
    verified_.emplace(std::string(token), std::move(entry));
  }

  absl::StatusOr<Principal> VerifyTokenUncached(absl::string_view token) const {
    if (token.size() > kMaxTokenBytes) {
      return Unauthenticated(absl::StrCat("longer than ", kMaxTokenBytes, " bytes"));
    }
    std::vector<absl::string_view> parts = absl::StrSplit(token, '.');
    if (parts.size() != 3) {
      return Unauthenticated("malformed token: expected header.payload.signature");
    }
    ASSIGN_OR_RETURN(Json header, DecodeJsonObject(parts[0], "header"));
    if (header.contains("crit")) {
      return Unauthenticated("critical header extensions are not supported");
    }
    // The signing input is the first two segments exactly as received (RFC 7515 §5.2).
    const absl::string_view signing_input = token.substr(0, parts[0].size() + 1 + parts[1].size());
    RETURN_IF_ERROR(VerifySignature(header, signing_input, parts[2]));

    ASSIGN_OR_RETURN(Json claims, DecodeJsonObject(parts[1], "payload"));
    return PrincipalFromClaims(claims);
  }

 private:
  // Chooses the algorithm and key from the header, refusing everything not configured,
  // then checks the signature. The header is untrusted until this returns OK.
  absl::Status VerifySignature(const Json& header, absl::string_view signing_input,
                               absl::string_view signature_segment) const {
    auto alg = header.find("alg");
    if (alg == header.end() || !alg->is_string()) {
      return Unauthenticated("header has no alg");
    }
    const std::string& name = alg->get_ref<const std::string&>();
    if (absl::EqualsIgnoreCase(name, "none")) {
      return Unauthenticated("unsigned tokens (alg none) are not accepted");
    }
    if (name == "HS256") {
      if (hs256_secret_.empty()) {
        return Unauthenticated("alg HS256 is not accepted by this service (RS256 only)");
      }
      ASSIGN_OR_RETURN(std::string signature, DecodeSegment(signature_segment, "signature"));
      return VerifyHs256(signing_input, signature);
    }
    if (name == "RS256") {
      if (rsa_keys_.empty()) {
        return Unauthenticated("alg RS256 is not accepted by this service (HS256 only)");
      }
      ASSIGN_OR_RETURN(EVP_PKEY * key, SelectRsaKey(header));
      ASSIGN_OR_RETURN(std::string signature, DecodeSegment(signature_segment, "signature"));
      return VerifyRs256(key, signing_input, signature);
    }
    return Unauthenticated(absl::StrCat("unsupported alg ", Quote(name)));
  }

  absl::StatusOr<EVP_PKEY*> SelectRsaKey(const Json& header) const {
    auto kid = header.find("kid");
    if (kid == header.end()) {
      if (rsa_keys_.size() == 1) return rsa_keys_.begin()->second.get();
      return Unauthenticated("header has no kid and several RS256 keys are configured");
    }
    if (!kid->is_string()) return Unauthenticated("header kid must be a string");
    auto key = rsa_keys_.find(kid->get_ref<const std::string&>());
    if (key == rsa_keys_.end()) {
      return Unauthenticated(
          absl::StrCat("unknown key id (kid) ", Quote(kid->get_ref<const std::string&>())));
    }
    return key->second.get();
  }

  absl::Status VerifyHs256(absl::string_view signing_input, const std::string& signature) const {
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int mac_size = 0;
    if (HMAC(EVP_sha256(), hs256_secret_.data(), static_cast<int>(hs256_secret_.size()),
             reinterpret_cast<const unsigned char*>(signing_input.data()), signing_input.size(),
             mac, &mac_size) == nullptr) {
      return absl::InternalError("HMAC-SHA256 failed");
    }
    if (signature.size() != mac_size || CRYPTO_memcmp(mac, signature.data(), mac_size) != 0) {
      return Unauthenticated("bad signature");
    }
    return absl::OkStatus();
  }

  static absl::Status VerifyRs256(EVP_PKEY* key, absl::string_view signing_input,
                                  const std::string& signature) {
    std::unique_ptr<EVP_MD_CTX, EvpMdCtxDeleter> ctx(EVP_MD_CTX_new());
    if (ctx == nullptr ||
        EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) != 1) {
      return absl::InternalError("cannot initialise RS256 verification");
    }
    const int verified = EVP_DigestVerify(
        ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
        reinterpret_cast<const unsigned char*>(signing_input.data()), signing_input.size());
    if (verified != 1) return Unauthenticated("bad signature");
    return absl::OkStatus();
  }

  absl::StatusOr<Principal> PrincipalFromClaims(const Json& claims) const {
    const absl::Time now = clock_.Now();
    ASSIGN_OR_RETURN(std::optional<absl::Time> exp, NumericDate(claims, "exp"));
    if (!exp.has_value()) return Unauthenticated("missing claim exp");
    if (now >= *exp + leeway_) {
      return Unauthenticated(absl::StrCat("expired at ", Rfc3339(*exp)));
    }
    ASSIGN_OR_RETURN(std::optional<absl::Time> nbf, NumericDate(claims, "nbf"));
    if (nbf.has_value() && now + leeway_ < *nbf) {
      return Unauthenticated(absl::StrCat("not valid before ", Rfc3339(*nbf)));
    }
    // A token issued in the future was minted by a clock (or a forger) we must not
    // trust; freshness itself is what exp expresses.
    ASSIGN_OR_RETURN(std::optional<absl::Time> iat, NumericDate(claims, "iat"));
    if (iat.has_value() && now + leeway_ < *iat) {
      return Unauthenticated(absl::StrCat("issued in the future, at ", Rfc3339(*iat)));
    }

    auto iss = claims.find("iss");
    if (iss == claims.end()) return Unauthenticated("missing claim iss");
    if (!iss->is_string() || iss->get_ref<const std::string&>() != issuer_) {
      return Unauthenticated("wrong issuer (iss)");
    }
    RETURN_IF_ERROR(CheckAudience(claims));

    Principal principal;
    auto sub = claims.find("sub");
    if (sub == claims.end()) return Unauthenticated("missing claim sub");
    if (!sub->is_string() || sub->get_ref<const std::string&>().empty()) {
      return Unauthenticated("claim sub must be a non-empty string");
    }
    principal.subject = sub->get<std::string>();
    if (Utf8Chars(principal.subject) > kMaxSubjectChars) {
      return Unauthenticated(
          absl::StrCat("claim sub is longer than ", kMaxSubjectChars, " characters"));
    }

    if (auto unit = claims.find("unit_id"); unit != claims.end()) {
      if (!unit->is_number_integer() ||
          (unit->is_number_unsigned() &&
           unit->get<uint64_t>() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) ||
          unit->get<int64_t>() <= 0) {
        return Unauthenticated("claim unit_id must be a positive integer");
      }
      principal.unit_id = unit->get<int64_t>();
    }

    if (auto roles = claims.find("roles"); roles != claims.end()) {
      if (!roles->is_array()) return Unauthenticated("claim roles must be an array of strings");
      for (const Json& role : *roles) {
        if (!role.is_string()) return Unauthenticated("claim roles must be an array of strings");
        const std::string& name = role.get_ref<const std::string&>();
        if (std::optional<Role> known = ParseRole(name); known.has_value()) {
          principal.roles.Add(*known);
        } else {
          principal.unknown_roles.push_back(name);
        }
      }
    }
    for (Role scoped : {Role::kStaff, Role::kReviewer, Role::kHead}) {
      if (principal.roles.Contains(scoped) && !principal.unit_id.has_value()) {
        return Unauthenticated(absl::StrCat("role ", RoleName(scoped), " requires claim unit_id"));
      }
    }
    // A service principal acts for no unit; a token mixing it with a unit is a mistake
    // of whoever minted it, not something to guess about.
    if (principal.roles.Contains(Role::kService) && principal.unit_id.has_value()) {
      return Unauthenticated("role SERVICE must not carry claim unit_id");
    }
    return principal;
  }

  absl::Status CheckAudience(const Json& claims) const {
    auto aud = claims.find("aud");
    if (aud == claims.end()) return Unauthenticated("missing claim aud");
    if (aud->is_string()) {
      if (aud->get_ref<const std::string&>() == audience_) return absl::OkStatus();
    } else if (aud->is_array()) {
      for (const Json& entry : *aud) {
        if (entry.is_string() && entry.get_ref<const std::string&>() == audience_) {
          return absl::OkStatus();
        }
      }
    } else {
      return Unauthenticated("claim aud must be a string or an array of strings");
    }
    return Unauthenticated("wrong audience (aud)");
  }

  std::string hs256_secret_;
  std::map<std::string, EvpPkeyPtr> rsa_keys_;
  std::string issuer_;
  std::string audience_;
  absl::Duration leeway_;
  const Clock& clock_;
  mutable absl::Mutex cache_mu_;
  mutable absl::flat_hash_map<std::string, VerifiedToken> verified_ ABSL_GUARDED_BY(cache_mu_);
};

absl::StatusOr<EvpPkeyPtr> ParseRsaPublicKey(const std::string& kid, const std::string& pem) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), &BIO_free);
  EvpPkeyPtr key(bio == nullptr ? nullptr
                                : PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr));
  if (key == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(
        "auth: RS256 key \"", kid, "\" is not a PEM public key (\"BEGIN PUBLIC KEY\")"));
  }
  if (EVP_PKEY_base_id(key.get()) != EVP_PKEY_RSA) {
    return absl::InvalidArgumentError(
        absl::StrCat("auth: RS256 key \"", kid, "\" is not an RSA key"));
  }
  if (EVP_PKEY_bits(key.get()) < kMinRsaKeyBits) {
    return absl::InvalidArgumentError(absl::StrCat("auth: RS256 key \"", kid, "\" has ",
                                                   EVP_PKEY_bits(key.get()), " bits; at least ",
                                                   kMinRsaKeyBits, " needed"));
  }
  return key;
}

}  // namespace

absl::StatusOr<std::unique_ptr<Authenticator>> NewJwtAuthenticator(const AuthConfig& config,
                                                                   const Clock& clock) {
  if (config.hs256_secret.empty() && config.rs256_public_keys.empty()) {
    return absl::InvalidArgumentError("auth: configure an HS256 secret or RS256 public keys");
  }
  if (!config.hs256_secret.empty() && config.hs256_secret.size() < kMinHs256SecretBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("auth: the HS256 secret must be at least ", kMinHs256SecretBytes, " bytes"));
  }
  if (config.issuer.empty()) return absl::InvalidArgumentError("auth: issuer is required");
  if (config.audience.empty()) return absl::InvalidArgumentError("auth: audience is required");
  if (config.leeway < absl::ZeroDuration() || config.leeway > absl::Minutes(5)) {
    return absl::InvalidArgumentError("auth: leeway must be between 0s and 5m");
  }
  std::map<std::string, EvpPkeyPtr> rsa_keys;
  for (const auto& [kid, pem] : config.rs256_public_keys) {
    if (kid.empty()) return absl::InvalidArgumentError("auth: an RS256 key has an empty kid");
    ASSIGN_OR_RETURN(rsa_keys[kid], ParseRsaPublicKey(kid, pem));
  }
  return std::unique_ptr<Authenticator>(
      std::make_unique<JwtAuthenticator>(config, std::move(rsa_keys), clock));
}

}  // namespace gongkai::auth
