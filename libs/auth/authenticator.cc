#include "libs/auth/authenticator.h"

#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"

namespace gongkai::auth {

absl::StatusOr<Principal> Authenticator::AuthenticateHeader(
    std::optional<absl::string_view> authorization) const {
  if (!authorization.has_value()) return Principal::Anonymous();
  absl::string_view value = absl::StripAsciiWhitespace(*authorization);
  constexpr absl::string_view kScheme = "bearer";
  if (value.size() <= kScheme.size() ||
      !absl::EqualsIgnoreCase(value.substr(0, kScheme.size()), kScheme) ||
      !absl::ascii_isspace(static_cast<unsigned char>(value[kScheme.size()]))) {
    return absl::UnauthenticatedError(
        "authorization header must be \"Bearer <token>\" (another scheme or no token given)");
  }
  absl::string_view token = absl::StripLeadingAsciiWhitespace(value.substr(kScheme.size()));
  if (token.empty()) return absl::UnauthenticatedError("authorization header has an empty token");
  return VerifyToken(token);
}

absl::StatusOr<Principal> Authenticator::Authenticate(
    const std::multimap<grpc::string_ref, grpc::string_ref>& metadata) const {
  const grpc::string_ref key(kAuthorizationMetadataKey.data(), kAuthorizationMetadataKey.size());
  auto [begin, end] = metadata.equal_range(key);
  if (begin == end) return AuthenticateHeader(std::nullopt);
  if (std::next(begin) != end) {
    return absl::UnauthenticatedError("more than one authorization header");
  }
  return AuthenticateHeader(absl::string_view(begin->second.data(), begin->second.size()));
}

absl::StatusOr<Principal> Authenticator::Authenticate(
    const grpc::ServerContextBase& context) const {
  return Authenticate(context.client_metadata());
}

}  // namespace gongkai::auth
