// gongkai-token: prints a signed JWT for development, demos and smoke tests.
//
//   gongkai-token --secret-file=dev.secret --sub=alice --unit-id=3 --roles=STAFF,REVIEWER
//       --ttl=3600 --issuer=gongkai-dev --audience=gongkai
//   gongkai-token --private-key-file=key.pem --kid=2025-01 --sub=office1 --roles=OFFICE ...
//
// Flags may be spelled with dashes or underscores. Any bad value stops the program with
// one line on stderr and exit status 2.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "libs/auth/principal.h"
#include "libs/auth/token_minter.h"
#include "libs/clock/clock.h"
#include "libs/config/flag_names.h"

ABSL_FLAG(std::string, secret_file, "", "File holding the HS256 secret (signs with HS256)");
ABSL_FLAG(std::string, private_key_file, "", "RSA private key PEM (signs with RS256)");
ABSL_FLAG(std::string, kid, "", "Key id written into the header (RS256)");
ABSL_FLAG(std::string, sub, "", "Subject: the user id (required)");
ABSL_FLAG(int64_t, unit_id, 0, "The user's unit id (required for STAFF and REVIEWER)");
ABSL_FLAG(std::string, roles, "",
          "Comma-separated roles: STAFF,REVIEWER,OFFICE,INSPECTOR,ADMIN,HEAD,SUPERVISION,SERVICE");
ABSL_FLAG(int64_t, ttl, 3600, "Lifetime in seconds");
ABSL_FLAG(std::string, issuer, "gongkai-dev", "Issuer (iss)");
ABSL_FLAG(std::string, audience, "gongkai", "Audience (aud); comma-separated for several");

namespace {

constexpr char kProgram[] = "gongkai-token";

[[noreturn]] void Fail(const std::string& message) {
  std::cerr << kProgram << ": " << message << "\n";
  std::exit(2);
}

std::string ReadFile(const std::string& flag, const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) Fail(absl::StrCat("--", flag, "=\"", path, "\" cannot be read"));
  std::stringstream contents;
  contents << in.rdbuf();
  return contents.str();
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "prints a signed JWT: gongkai-token --secret-file=F --sub=alice --unit-id=3 "
      "--roles=STAFF,REVIEWER --ttl=3600 --issuer=gongkai-dev --audience=gongkai");
  std::vector<std::string> storage;
  std::vector<char*> args = gongkai::config::NormalizeFlagNames(argc, argv, storage);
  std::vector<char*> positional =
      absl::ParseCommandLine(static_cast<int>(args.size()), args.data());
  if (positional.size() > 1) Fail(absl::StrCat("unexpected argument \"", positional[1], "\""));

  namespace auth = gongkai::auth;
  auth::Claims claims;
  claims.subject = absl::GetFlag(FLAGS_sub);
  if (claims.subject.empty()) Fail("--sub is required");
  const int64_t unit_id = absl::GetFlag(FLAGS_unit_id);
  if (unit_id < 0) Fail(absl::StrCat("--unit-id=", unit_id, " must be a positive unit id"));
  if (unit_id > 0) claims.unit_id = unit_id;

  for (absl::string_view name :
       absl::StrSplit(absl::GetFlag(FLAGS_roles), ',', absl::SkipWhitespace())) {
    name = absl::StripAsciiWhitespace(name);
    std::optional<auth::Role> role = auth::ParseRole(name);
    if (!role.has_value() || *role == auth::Role::kPublic) {
      Fail(absl::StrCat("--roles: unknown role \"", name,
                        "\" (known: STAFF, REVIEWER, OFFICE, INSPECTOR, ADMIN)"));
    }
    if ((*role == auth::Role::kStaff || *role == auth::Role::kReviewer) && unit_id == 0) {
      Fail(absl::StrCat("--roles: ", name, " needs --unit-id"));
    }
    claims.roles.emplace_back(name);
  }

  const int64_t ttl_seconds = absl::GetFlag(FLAGS_ttl);
  if (ttl_seconds <= 0)
    Fail(absl::StrCat("--ttl=", ttl_seconds, " must be a positive number of seconds"));
  claims.issuer = absl::GetFlag(FLAGS_issuer);
  if (claims.issuer.empty()) Fail("--issuer must not be empty");
  for (absl::string_view aud :
       absl::StrSplit(absl::GetFlag(FLAGS_audience), ',', absl::SkipWhitespace())) {
    claims.audience.emplace_back(absl::StripAsciiWhitespace(aud));
  }
  if (claims.audience.empty()) Fail("--audience must not be empty");
  claims.issued_at = gongkai::RealClock().Now();

  const std::string secret_file = absl::GetFlag(FLAGS_secret_file);
  const std::string key_file = absl::GetFlag(FLAGS_private_key_file);
  if (secret_file.empty() == key_file.empty()) {
    Fail("give exactly one of --secret-file (HS256) and --private-key-file (RS256)");
  }
  absl::StatusOr<std::string> token;
  if (!secret_file.empty()) {
    std::string secret = ReadFile("secret-file", secret_file);
    while (!secret.empty() && (secret.back() == '\n' || secret.back() == '\r')) secret.pop_back();
    token = auth::MintHs256(claims, secret, absl::Seconds(ttl_seconds));
  } else {
    token = auth::MintRs256(claims, ReadFile("private-key-file", key_file),
                            absl::GetFlag(FLAGS_kid), absl::Seconds(ttl_seconds));
  }
  if (!token.ok()) Fail(std::string(token.status().message()));
  std::cout << *token << "\n";
  return 0;
}
