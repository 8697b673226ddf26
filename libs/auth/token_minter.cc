#include "libs/auth/token_minter.h"

#include <jwt.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "libs/auth/jwt_authenticator.h"
#include "libs/status/status_macros.h"
#include "nlohmann/json.hpp"

namespace gongkai::auth {
namespace {

using Json = nlohmann::json;

struct JwtDeleter {
  void operator()(jwt_t* jwt) const { jwt_free(jwt); }
};

absl::StatusOr<std::string> PayloadJson(const Claims& claims, absl::Duration ttl) {
  if (claims.subject.empty()) return absl::InvalidArgumentError("claims: subject is required");
  if (claims.issuer.empty()) return absl::InvalidArgumentError("claims: issuer is required");
  if (claims.audience.empty()) return absl::InvalidArgumentError("claims: audience is required");
  if (claims.issued_at == absl::InfinitePast() || claims.issued_at == absl::InfiniteFuture()) {
    return absl::InvalidArgumentError("claims: issued_at is required");
  }
  if (ttl <= absl::ZeroDuration()) return absl::InvalidArgumentError("ttl must be positive");
  Json payload = {
      {"sub", claims.subject},
      {"iss", claims.issuer},
      {"iat", absl::ToUnixSeconds(claims.issued_at)},
      {"exp", absl::ToUnixSeconds(claims.issued_at + ttl)},
      {"roles", claims.roles},
  };
  if (claims.audience.size() == 1) {
    payload["aud"] = claims.audience.front();
  } else {
    payload["aud"] = claims.audience;
  }
  if (claims.unit_id.has_value()) payload["unit_id"] = *claims.unit_id;
  if (claims.not_before.has_value()) payload["nbf"] = absl::ToUnixSeconds(*claims.not_before);
  // Invalid UTF-8 in a caller's string is replaced rather than thrown about.
  return payload.dump(-1, ' ', false, Json::error_handler_t::replace);
}

absl::StatusOr<std::string> Sign(const std::string& payload, jwt_alg_t alg, absl::string_view key,
                                 absl::string_view kid) {
  jwt_t* raw = nullptr;
  if (jwt_new(&raw) != 0) return absl::InternalError("libjwt: jwt_new failed");
  std::unique_ptr<jwt_t, JwtDeleter> jwt(raw);
  if (jwt_add_grants_json(jwt.get(), payload.c_str()) != 0) {
    return absl::InternalError("libjwt: cannot add the claims");
  }
  if (!kid.empty() && jwt_add_header(jwt.get(), "kid", std::string(kid).c_str()) != 0) {
    return absl::InternalError("libjwt: cannot add the kid header");
  }
  if (jwt_set_alg(jwt.get(), alg, reinterpret_cast<const unsigned char*>(key.data()),
                  static_cast<int>(key.size())) != 0) {
    return absl::InvalidArgumentError("libjwt: the key is not usable for this algorithm");
  }
  char* encoded = jwt_encode_str(jwt.get());
  if (encoded == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("libjwt: signing failed (", std::strerror(errno),
                     "); is the key a valid private key for the algorithm?"));
  }
  std::string token(encoded);
  std::free(encoded);
  return token;
}

}  // namespace

absl::StatusOr<std::string> MintHs256(const Claims& claims, absl::string_view secret,
                                      absl::Duration ttl) {
  if (secret.size() < kMinHs256SecretBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("the HS256 secret must be at least ", kMinHs256SecretBytes, " bytes"));
  }
  ASSIGN_OR_RETURN(std::string payload, PayloadJson(claims, ttl));
  return Sign(payload, JWT_ALG_HS256, secret, /*kid=*/"");
}

absl::StatusOr<std::string> MintRs256(const Claims& claims, absl::string_view private_key_pem,
                                      absl::string_view kid, absl::Duration ttl) {
  if (private_key_pem.empty()) return absl::InvalidArgumentError("the RS256 private key is empty");
  ASSIGN_OR_RETURN(std::string payload, PayloadJson(claims, ttl));
  return Sign(payload, JWT_ALG_RS256, private_key_pem, kid);
}

}  // namespace gongkai::auth
