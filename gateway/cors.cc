#include "gateway/cors.h"

#include <algorithm>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace gongkai::gateway {
namespace {

constexpr absl::string_view kPreflightVary =
    "Origin, Access-Control-Request-Method, Access-Control-Request-Headers";

// Request headers browsers may send without asking (Fetch standard, CORS-safelisted).
// content-type is safelisted only for form types, so it is configured explicitly.
bool IsSafelistedHeader(absl::string_view name) {
  return name == "accept" || name == "accept-language" || name == "content-language";
}

// RFC 9110 token (method and header names).
bool IsToken(absl::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (absl::ascii_isalnum(static_cast<unsigned char>(c))) continue;
    if (absl::string_view("!#$%&'*+-.^_`|~").find(c) == absl::string_view::npos) return false;
  }
  return true;
}

bool IsHostName(absl::string_view host) {
  if (host.empty() || host.size() > 253) return false;
  if (host.front() == '[') {  // IPv6 literal.
    if (host.size() < 3 || host.back() != ']') return false;
    for (char c : host.substr(1, host.size() - 2)) {
      if (!absl::ascii_isxdigit(static_cast<unsigned char>(c)) && c != ':' && c != '.') {
        return false;
      }
    }
    return true;
  }
  for (absl::string_view label : absl::StrSplit(host, '.')) {
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
      return false;
    }
    for (char c : label) {
      if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '-') return false;
    }
  }
  return true;
}

// "https://Portal.Example.gov.cn:443" -> "https://portal.example.gov.cn".
absl::StatusOr<std::string> NormalizeOrigin(absl::string_view raw) {
  const std::string origin = absl::AsciiStrToLower(raw);
  auto bad = [&](absl::string_view why) {
    return absl::InvalidArgumentError(
        absl::StrCat("cors allowed_origins: \"", raw, "\" is not an origin (", why,
                     "); expected scheme://host[:port], e.g. https://portal.example.gov.cn"));
  };
  const size_t separator = origin.find("://");
  if (separator == std::string::npos) return bad("no scheme");
  const std::string scheme = origin.substr(0, separator);
  if (scheme != "http" && scheme != "https") return bad("scheme must be http or https");
  absl::string_view authority = absl::string_view(origin).substr(separator + 3);
  if (authority.find_first_of("/?#@ \t") != absl::string_view::npos) {
    return bad("no path, query, fragment, user info or trailing slash");
  }
  absl::string_view host = authority;
  absl::string_view port;
  const size_t colon = authority.rfind(':');
  if (colon != absl::string_view::npos && authority.find(']', colon) == absl::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
  }
  if (!IsHostName(host)) return bad("bad host");
  std::string normalized = absl::StrCat(scheme, "://", host);
  if (!port.empty() || colon == authority.size() - 1) {
    int port_number = 0;
    if (!absl::SimpleAtoi(port, &port_number) || port_number < 1 || port_number > 65535 ||
        !std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      return bad("bad port");
    }
    const bool default_port =
        (scheme == "http" && port_number == 80) || (scheme == "https" && port_number == 443);
    if (!default_port) absl::StrAppend(&normalized, ":", port_number);
  }
  return normalized;
}

absl::StatusOr<std::vector<std::string>> NormalizeHeaderNames(
    absl::string_view field, const std::vector<std::string>& names) {
  std::vector<std::string> normalized;
  for (const std::string& name : names) {
    if (!IsToken(name)) {
      return absl::InvalidArgumentError(
          absl::StrCat("cors ", field, ": \"", name, "\" is not a header name"));
    }
    std::string lower = absl::AsciiStrToLower(name);
    if (std::find(normalized.begin(), normalized.end(), lower) == normalized.end()) {
      normalized.push_back(std::move(lower));
    }
  }
  return normalized;
}

}  // namespace

absl::StatusOr<CorsPolicy> CorsPolicy::Create(CorsConfig config) {
  const bool has_star = std::find(config.allowed_origins.begin(), config.allowed_origins.end(),
                                  "*") != config.allowed_origins.end();
  if (has_star && config.allowed_origins.size() > 1) {
    return absl::InvalidArgumentError(
        "cors allowed_origins: \"*\" must stand alone (it already allows every origin)");
  }
  if (has_star && config.allow_credentials) {
    return absl::InvalidArgumentError(
        "cors: allowed_origins \"*\" cannot be combined with allow_credentials; list the "
        "origins instead");
  }
  if (!has_star) {
    std::vector<std::string> origins;
    for (const std::string& raw : config.allowed_origins) {
      absl::StatusOr<std::string> origin = NormalizeOrigin(raw);
      if (!origin.ok()) return origin.status();
      origins.push_back(*std::move(origin));
    }
    config.allowed_origins = std::move(origins);
  }
  absl::StatusOr<std::vector<std::string>> allowed =
      NormalizeHeaderNames("allowed_headers", config.allowed_headers);
  if (!allowed.ok()) return allowed.status();
  config.allowed_headers = *std::move(allowed);
  absl::StatusOr<std::vector<std::string>> exposed =
      NormalizeHeaderNames("exposed_headers", config.exposed_headers);
  if (!exposed.ok()) return exposed.status();
  config.exposed_headers = *std::move(exposed);
  if (config.max_age < absl::ZeroDuration()) {
    return absl::InvalidArgumentError("cors max_age must not be negative");
  }
  return CorsPolicy(std::move(config));
}

CorsPolicy::CorsPolicy(CorsConfig config) : config_(std::move(config)) {
  any_origin_ = config_.allowed_origins.size() == 1 && config_.allowed_origins[0] == "*";
  if (!any_origin_) origins_.insert(config_.allowed_origins.begin(), config_.allowed_origins.end());
  headers_.insert(config_.allowed_headers.begin(), config_.allowed_headers.end());
  allow_headers_value_ = absl::StrJoin(config_.allowed_headers, ", ");
  expose_headers_value_ = absl::StrJoin(config_.exposed_headers, ", ");
  max_age_value_ = absl::StrCat(absl::ToInt64Seconds(config_.max_age));
}

bool CorsPolicy::IsOriginAllowed(absl::string_view origin) const {
  if (origin.empty()) return false;
  // Browsers serialize origins in lower case without default ports, exactly as the list
  // is normalized; anything else ("null", odd spellings) does not match.
  return any_origin_ || origins_.contains(origin);
}

PreflightAnswer CorsPolicy::Preflight(absl::string_view origin, absl::string_view request_method,
                                      absl::string_view request_headers,
                                      const std::vector<std::string>& allowed_methods) const {
  auto refuse = [](std::string reason) {
    return PreflightAnswer{false, std::move(reason), {{"Vary", std::string(kPreflightVary)}}};
  };
  if (!IsOriginAllowed(origin)) return refuse("origin is not allowed");
  if (allowed_methods.empty()) return refuse("no route for this path");
  if (!IsToken(request_method)) return refuse("Access-Control-Request-Method is not a method");
  if (std::find(allowed_methods.begin(), allowed_methods.end(), request_method) ==
      allowed_methods.end()) {
    return refuse(absl::StrCat("method ", request_method, " is not allowed here (allowed: ",
                               absl::StrJoin(allowed_methods, ", "), ")"));
  }
  for (absl::string_view raw : absl::StrSplit(request_headers, ',')) {
    absl::string_view name = absl::StripAsciiWhitespace(raw);
    if (name.empty()) continue;
    if (!IsToken(name)) return refuse("Access-Control-Request-Headers is malformed");
    const std::string lower = absl::AsciiStrToLower(name);
    if (!headers_.contains(lower) && !IsSafelistedHeader(lower)) {
      return refuse(absl::StrCat("request header ", lower, " is not allowed"));
    }
  }

  PreflightAnswer answer{true, "", {}};
  answer.headers.emplace_back("Access-Control-Allow-Origin",
                              any_origin_ ? std::string("*") : std::string(origin));
  answer.headers.emplace_back("Access-Control-Allow-Methods", absl::StrJoin(allowed_methods, ", "));
  if (!allow_headers_value_.empty()) {
    answer.headers.emplace_back("Access-Control-Allow-Headers", allow_headers_value_);
  }
  answer.headers.emplace_back("Access-Control-Max-Age", max_age_value_);
  if (config_.allow_credentials) {
    answer.headers.emplace_back("Access-Control-Allow-Credentials", "true");
  }
  answer.headers.emplace_back("Vary", std::string(kPreflightVary));
  return answer;
}

HeaderList CorsPolicy::ResponseHeaders(absl::string_view origin) const {
  HeaderList headers;
  if (IsOriginAllowed(origin)) {
    headers.emplace_back("Access-Control-Allow-Origin",
                         any_origin_ ? std::string("*") : std::string(origin));
    if (!expose_headers_value_.empty()) {
      headers.emplace_back("Access-Control-Expose-Headers", expose_headers_value_);
    }
    if (config_.allow_credentials) headers.emplace_back("Access-Control-Allow-Credentials", "true");
  }
  headers.emplace_back("Vary", "Origin");
  return headers;
}

}  // namespace gongkai::gateway
