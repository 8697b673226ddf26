// Typed configuration from command-line flags and GONGKAI_* environment variables,
// read once at startup and validated.
//
// A key such as "db_host" is looked up as the flag `--db_host=VALUE` (or `--db-host`)
// and then as the environment variable `GONGKAI_DB_HOST`; a flag wins over the
// environment. `<key>_file` variants read a secret from a file (GONGKAI_DB_PASSWORD_FILE).
// The reader collects every problem so one run reports all of them:
//
//   ConfigReader r(ConfigSource::FromProcess(argc, argv));
//   ServerConfig c;
//   c.grpc_address = r.String("grpc_address", "0.0.0.0:50051");
//   c.pool_size = r.Int("db_pool_size", 16, 1, 512);
//   c.db_password = r.Secret("db_password");     // GONGKAI_DB_PASSWORD(_FILE), required
//   ExitOnConfigError(r.Finish(), "gongkai-catalog");
//
// Library code never uses this: binaries read configuration in main() and pass the
// typed structs down.
#ifndef GONGKAI_LIBS_CONFIG_CONFIG_H_
#define GONGKAI_LIBS_CONFIG_CONFIG_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace gongkai::config {

// Raw key/value pairs from flags and environment. Immutable after construction.
class ConfigSource {
 public:
  // Flags of the form --key=value (a bare --key means "true"); positional arguments
  // are kept in order (subcommands such as "migrate"). Environment from `environ`.
  static ConfigSource FromProcess(int argc, char** argv);
  static ConfigSource FromMaps(std::map<std::string, std::string> flags,
                               std::map<std::string, std::string> env,
                               std::vector<std::string> positional = {});

  // The flag value, else GONGKAI_<KEY> from the environment, else nullopt.
  std::optional<std::string> Get(absl::string_view key) const;
  // Where Get found the key, for error messages ("--db_port" or "GONGKAI_DB_PORT").
  std::string Describe(absl::string_view key) const;
  const std::vector<std::string>& positional() const { return positional_; }
  // Flags given on the command line that no reader asked for (typos).
  std::vector<std::string> UnreadFlags(const std::vector<std::string>& read_keys) const;

 private:
  std::map<std::string, std::string> flags_;  // Keys normalized to snake_case.
  std::map<std::string, std::string> env_;
  std::vector<std::string> positional_;
};

// Reads typed values and collects errors; see the file comment.
class ConfigReader {
 public:
  explicit ConfigReader(ConfigSource source) : source_(std::move(source)) {}

  std::string String(absl::string_view key, absl::string_view default_value);
  std::string RequiredString(absl::string_view key);
  int64_t Int(absl::string_view key, int64_t default_value, int64_t min, int64_t max);
  bool Bool(absl::string_view key, bool default_value);
  // Durations in absl syntax: "500ms", "30s", "2m".
  absl::Duration Duration(absl::string_view key, absl::Duration default_value, absl::Duration min,
                          absl::Duration max);
  // A required secret: the value of `key`, or the contents of the file named by
  // `<key>_file` (trailing newline removed). Exactly one of them must be set.
  std::string Secret(absl::string_view key);
  // Optional secret: empty when neither is set.
  std::string OptionalSecret(absl::string_view key);
  // "host:port" with a port in 0..65535 (0 lets the kernel choose, for tests).
  std::string Address(absl::string_view key, absl::string_view default_value);

  // Adds a custom validation failure (for cross-field rules).
  void AddError(std::string message) { errors_.push_back(std::move(message)); }
  const ConfigSource& source() const { return source_; }

  // OK, or INVALID_ARGUMENT listing every problem (also unknown flags) on one line.
  absl::Status Finish() const;

 private:
  std::optional<std::string> Get(absl::string_view key);

  ConfigSource source_;
  std::vector<std::string> read_keys_;
  std::vector<std::string> errors_;
};

// Prints "<program>: configuration error: <message>" on one line to stderr and exits
// with status 2 when `status` is not OK.
void ExitOnConfigError(const absl::Status& status, absl::string_view program);

}  // namespace gongkai::config

#endif  // GONGKAI_LIBS_CONFIG_CONFIG_H_
