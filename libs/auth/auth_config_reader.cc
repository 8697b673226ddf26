#include "libs/auth/auth_config_reader.h"

#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace gongkai::auth {

AuthConfig ReadAuthConfig(config::ConfigReader& reader) {
  AuthConfig auth;
  auth.hs256_secret = reader.OptionalSecret("jwt_hs256_secret");
  const std::string rs256 = reader.String("jwt_rs256_public_keys", "");
  for (absl::string_view entry : absl::StrSplit(rs256, ',', absl::SkipEmpty())) {
    std::pair<std::string, std::string> kv = absl::StrSplit(entry, absl::MaxSplits('=', 1));
    config::ConfigReader file_reader(config::ConfigSource::FromMaps({{"key_file", kv.second}}, {}));
    std::string pem = file_reader.Secret("key");
    if (!file_reader.Finish().ok() || kv.first.empty()) {
      reader.AddError(absl::StrCat("GONGKAI_JWT_RS256_PUBLIC_KEYS entry \"", entry,
                                   "\" must be kid=/readable/file.pem"));
      continue;
    }
    auth.rs256_public_keys[kv.first] = pem;
  }
  auth.issuer = reader.RequiredString("jwt_issuer");
  auth.audience = reader.RequiredString("jwt_audience");
  return auth;
}

}  // namespace gongkai::auth
