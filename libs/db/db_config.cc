#include "libs/db/db_config.h"

#include "absl/strings/str_cat.h"

namespace gongkai::db {

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
