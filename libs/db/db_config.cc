#include "libs/db/db_config.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace gongkai::db {
namespace {

absl::StatusOr<int> ParsePort(absl::string_view entry, absl::string_view text) {
  int port = 0;
  if (!absl::SimpleAtoi(text, &port) || port < 1 || port > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat("db config: host entry \"", entry, "\" has a bad port; use 1..65535"));
  }
  return port;
}

// One entry of the host list: "host", "host:port", "v6::addr", "[v6::addr]:port".
absl::StatusOr<DbEndpoint> ParseEntry(absl::string_view entry, int default_port) {
  DbEndpoint endpoint;
  endpoint.port = default_port;
  if (absl::ConsumePrefix(&entry, "[")) {
    const size_t close = entry.find(']');
    if (close == absl::string_view::npos || close == 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("db config: host entry \"[", entry, "\" has no closing ']'"));
    }
    endpoint.host = std::string(entry.substr(0, close));
    absl::string_view rest = entry.substr(close + 1);
    if (!rest.empty()) {
      if (!absl::ConsumePrefix(&rest, ":")) {
        return absl::InvalidArgumentError(
            absl::StrCat("db config: host entry \"[", entry, "\": expected ':' after ']'"));
      }
      absl::StatusOr<int> port = ParsePort(entry, rest);
      if (!port.ok()) return port.status();
      endpoint.port = *port;
    }
    return endpoint;
  }
  const size_t colon = entry.find(':');
  if (colon != absl::string_view::npos && entry.find(':', colon + 1) == absl::string_view::npos) {
    endpoint.host = std::string(entry.substr(0, colon));
    absl::StatusOr<int> port = ParsePort(entry, entry.substr(colon + 1));
    if (!port.ok()) return port.status();
    endpoint.port = *port;
  } else {
    endpoint.host = std::string(entry);  // A name, an IPv4 address or a bare IPv6 one.
  }
  if (endpoint.host.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("db config: host entry \"", entry, "\" has no host"));
  }
  return endpoint;
}

}  // namespace

std::string DbEndpoint::ToString() const {
  const bool ipv6 = host.find(':') != std::string::npos;
  return absl::StrCat(ipv6 ? "[" : "", host, ipv6 ? "]" : "", ":", port);
}

absl::StatusOr<std::vector<DbEndpoint>> DbConfig::Endpoints() const {
  std::vector<DbEndpoint> endpoints;
  for (absl::string_view entry : absl::StrSplit(host, ',')) {
    entry = absl::StripAsciiWhitespace(entry);
    if (entry.empty()) {
      return absl::InvalidArgumentError(
          host.empty() ? std::string("db config: host must not be empty")
                       : absl::StrCat("db config: host list \"", host, "\" has an empty entry"));
    }
    absl::StatusOr<DbEndpoint> endpoint = ParseEntry(entry, port);
    if (!endpoint.ok()) return endpoint.status();
    if (std::find(endpoints.begin(), endpoints.end(), *endpoint) != endpoints.end()) {
      return absl::InvalidArgumentError(
          absl::StrCat("db config: host list names ", endpoint->ToString(), " twice"));
    }
    endpoints.push_back(*std::move(endpoint));
  }
  return endpoints;
}

DbConfig DbConfig::ForEndpoint(const DbEndpoint& endpoint) const {
  DbConfig one = *this;
  one.host = endpoint.host;
  one.port = endpoint.port;
  return one;
}

std::string DbConfig::EffectivePoolName() const {
  if (!pool_name.empty()) return pool_name;
  if (!database.empty()) return database;
  return "mysql";
}

absl::Status DbConfig::Validate() const {
  if (host.empty()) return absl::InvalidArgumentError("db config: host must not be empty");
  if (port < 1 || port > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat("db config: port must be in 1..65535, got ", port));
  }
  if (absl::StatusOr<std::vector<DbEndpoint>> endpoints = Endpoints(); !endpoints.ok()) {
    return endpoints.status();
  }
  if (user.empty()) return absl::InvalidArgumentError("db config: user must not be empty");
  if (pool_size < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("db config: pool_size must be at least 1, got ", pool_size));
  }
  const std::pair<const char*, absl::Duration> positive[] = {
      {"acquire_timeout", acquire_timeout},
      {"connect_timeout", connect_timeout},
      {"read_timeout", read_timeout},
      {"write_timeout", write_timeout},
  };
  for (const auto& [field, value] : positive) {
    if (value <= absl::ZeroDuration()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "db config: ", field, " must be positive, got ", absl::FormatDuration(value)));
    }
  }
  if (validation_interval < absl::ZeroDuration()) {
    return absl::InvalidArgumentError("db config: validation_interval must not be negative");
  }
  return absl::OkStatus();
}

DbConfig MigrationDbConfig(const DbConfig& config) {
  DbConfig migration = config;
  migration.pool_name = absl::StrCat(config.EffectivePoolName(), "_migrations");
  migration.pool_size = 2;
  migration.read_timeout = absl::InfiniteDuration();
  return migration;
}

}  // namespace gongkai::db
