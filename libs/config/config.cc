#include "libs/config/config.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"

extern char** environ;

namespace gongkai::config {
namespace {

std::string NormalizeKey(absl::string_view key) {
  return absl::AsciiStrToLower(absl::StrReplaceAll(key, {{"-", "_"}}));
}

std::string EnvName(absl::string_view key) {
  return absl::StrCat("GONGKAI_", absl::AsciiStrToUpper(NormalizeKey(key)));
}

}  // namespace

ConfigSource ConfigSource::FromProcess(int argc, char** argv) {
  std::map<std::string, std::string> flags;
  std::vector<std::string> positional;
  for (int i = 1; i < argc; ++i) {
    absl::string_view arg = argv[i];
    if (absl::StartsWith(arg, "--")) {
      arg.remove_prefix(2);
      std::pair<std::string, std::string> kv = absl::StrSplit(arg, absl::MaxSplits('=', 1));
      if (!absl::StrContains(arg, '=')) kv.second = "true";
      flags[NormalizeKey(kv.first)] = kv.second;
    } else {
      positional.emplace_back(arg);
    }
  }
  std::map<std::string, std::string> env;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    absl::string_view entry = *e;
    if (!absl::StartsWith(entry, "GONGKAI_")) continue;
    std::pair<std::string, std::string> kv = absl::StrSplit(entry, absl::MaxSplits('=', 1));
    env[kv.first] = kv.second;
  }
  return FromMaps(std::move(flags), std::move(env), std::move(positional));
}

ConfigSource ConfigSource::FromMaps(std::map<std::string, std::string> flags,
                                    std::map<std::string, std::string> env,
                                    std::vector<std::string> positional) {
  ConfigSource source;
  for (auto& [k, v] : flags) source.flags_[NormalizeKey(k)] = v;
  source.env_ = std::move(env);
  source.positional_ = std::move(positional);
  return source;
}

std::optional<std::string> ConfigSource::Get(absl::string_view key) const {
  const std::string normalized = NormalizeKey(key);
  if (auto it = flags_.find(normalized); it != flags_.end()) return it->second;
  if (auto it = env_.find(EnvName(normalized)); it != env_.end()) return it->second;
  return std::nullopt;
}

std::string ConfigSource::Describe(absl::string_view key) const {
  const std::string normalized = NormalizeKey(key);
  if (flags_.count(normalized)) return absl::StrCat("--", normalized);
  return EnvName(normalized);
}

std::vector<std::string> ConfigSource::UnreadFlags(
    const std::vector<std::string>& read_keys) const {
  std::vector<std::string> unread;
  for (const auto& [key, value] : flags_) {
    bool read = false;
    for (const std::string& k : read_keys) read = read || NormalizeKey(k) == key;
    if (!read) unread.push_back(absl::StrCat("--", key));
  }
  return unread;
}

std::optional<std::string> ConfigReader::Get(absl::string_view key) {
  read_keys_.emplace_back(key);
  return source_.Get(key);
}

std::string ConfigReader::String(absl::string_view key, absl::string_view default_value) {
  return Get(key).value_or(std::string(default_value));
}

std::string ConfigReader::RequiredString(absl::string_view key) {
  std::optional<std::string> value = Get(key);
  if (!value.has_value() || value->empty()) {
    AddError(absl::StrCat(source_.Describe(key), " is required"));
    return "";
  }
  return *value;
}

int64_t ConfigReader::Int(absl::string_view key, int64_t default_value, int64_t min, int64_t max) {
  std::optional<std::string> value = Get(key);
  if (!value.has_value()) return default_value;
  int64_t parsed = 0;
  if (!absl::SimpleAtoi(*value, &parsed) || parsed < min || parsed > max) {
    AddError(absl::StrCat(source_.Describe(key), "=\"", *value, "\" must be an integer from ", min,
                          " to ", max));
    return default_value;
  }
  return parsed;
}

bool ConfigReader::Bool(absl::string_view key, bool default_value) {
  std::optional<std::string> value = Get(key);
  if (!value.has_value()) return default_value;
  bool parsed = false;
  if (!absl::SimpleAtob(*value, &parsed)) {
    AddError(absl::StrCat(source_.Describe(key), "=\"", *value, "\" must be true or false"));
    return default_value;
  }
  return parsed;
}

absl::Duration ConfigReader::Duration(absl::string_view key, absl::Duration default_value,
                                      absl::Duration min, absl::Duration max) {
  std::optional<std::string> value = Get(key);
  if (!value.has_value()) return default_value;
  absl::Duration parsed;
  if (!absl::ParseDuration(*value, &parsed) || parsed < min || parsed > max) {
    AddError(absl::StrCat(source_.Describe(key), "=\"", *value,
                          "\" must be a duration (like 500ms, 30s) from ",
                          absl::FormatDuration(min), " to ", absl::FormatDuration(max)));
    return default_value;
  }
  return parsed;
}

std::string ConfigReader::OptionalSecret(absl::string_view key) {
  const std::string file_key = absl::StrCat(key, "_file");
  std::optional<std::string> value = Get(key);
  std::optional<std::string> file = Get(file_key);
  if (value.has_value() && file.has_value()) {
    AddError(absl::StrCat("set only one of ", source_.Describe(key), " and ",
                          source_.Describe(file_key)));
    return "";
  }
  if (value.has_value()) return *value;
  if (!file.has_value()) return "";
  std::ifstream in(*file, std::ios::binary);
  if (!in) {
    AddError(absl::StrCat(source_.Describe(file_key), "=\"", *file, "\" cannot be read"));
    return "";
  }
  std::stringstream contents;
  contents << in.rdbuf();
  std::string secret = contents.str();
  while (!secret.empty() && (secret.back() == '\n' || secret.back() == '\r')) secret.pop_back();
  if (secret.empty()) {
    AddError(absl::StrCat(source_.Describe(file_key), "=\"", *file, "\" is empty"));
  }
  return secret;
}

std::string ConfigReader::Secret(absl::string_view key) {
  const size_t errors_before = errors_.size();
  std::string secret = OptionalSecret(key);
  if (secret.empty() && errors_.size() == errors_before) {
    AddError(absl::StrCat(source_.Describe(key), " or ",
                          source_.Describe(absl::StrCat(key, "_file")), " is required"));
  }
  return secret;
}

std::string ConfigReader::Address(absl::string_view key, absl::string_view default_value) {
  std::string value = String(key, default_value);
  const size_t colon = value.rfind(':');
  int port = -1;
  if (colon == std::string::npos || colon == 0 ||
      !absl::SimpleAtoi(absl::string_view(value).substr(colon + 1), &port) || port < 0 ||
      port > 65535) {
    AddError(absl::StrCat(source_.Describe(key), "=\"", value,
                          "\" must be host:port with a port from 0 to 65535"));
  }
  return value;
}

absl::Status ConfigReader::Finish() const {
  std::vector<std::string> problems = errors_;
  for (const std::string& flag : source_.UnreadFlags(read_keys_)) {
    problems.push_back(absl::StrCat("unknown flag ", flag));
  }
  if (problems.empty()) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrJoin(problems, "; "));
}

void ExitOnConfigError(const absl::Status& status, absl::string_view program) {
  if (status.ok()) return;
  std::fprintf(stderr, "%s: configuration error: %s\n", std::string(program).c_str(),
               std::string(status.message()).c_str());
  std::exit(2);
}

}  // namespace gongkai::config
