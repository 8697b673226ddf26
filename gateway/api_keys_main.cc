// gongkai-api-key: makes a new API key for a system-to-system caller of the gateway.
//
//   gongkai-api-key --name=oa-system --subject=system:oa --unit-id=12 --roles=STAFF
//
// stdout, two lines: the key (hand it to the caller once; it is stored nowhere) and the
// entry to append to the "keys" array of the gateway's API-key file (gateway/api_keys.h),
// which holds only the key's SHA-256. Flags may be spelled with dashes or underscores.
// Any bad value stops the program with one line on stderr and exit status 2.
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gateway/api_keys.h"
#include "libs/config/flag_names.h"
#include "nlohmann/json.hpp"

ABSL_FLAG(std::string, name, "", "Name of the entry, e.g. the calling system (required)");
ABSL_FLAG(std::string, subject, "", "Principal subject the key stands for, e.g. system:oa");
ABSL_FLAG(int64_t, unit_id, 0, "The caller's unit id (required for STAFF and REVIEWER)");
ABSL_FLAG(std::string, roles, "",
          "Comma-separated roles: STAFF,REVIEWER,OFFICE,INSPECTOR,ADMIN,HEAD,SUPERVISION");

namespace {

constexpr char kProgram[] = "gongkai-api-key";

[[noreturn]] void Fail(const std::string& message) {
  std::cerr << kProgram << ": " << message << "\n";
  std::exit(2);
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "prints a new API key and its gateway configuration entry: gongkai-api-key "
      "--name=oa-system --subject=system:oa --unit-id=12 --roles=STAFF");
  std::vector<std::string> storage;
  std::vector<char*> args = gongkai::config::NormalizeFlagNames(argc, argv, storage);
  std::vector<char*> positional =
      absl::ParseCommandLine(static_cast<int>(args.size()), args.data());
  if (positional.size() > 1) Fail(absl::StrCat("unexpected argument \"", positional[1], "\""));

  const std::string name = absl::GetFlag(FLAGS_name);
  if (name.empty()) Fail("--name is required");
  const std::string subject = absl::GetFlag(FLAGS_subject);
  if (subject.empty()) Fail("--subject is required");
  const int64_t unit_id = absl::GetFlag(FLAGS_unit_id);
  if (unit_id < 0) Fail(absl::StrCat("--unit-id=", unit_id, " must be a positive unit id"));

  const std::string key = gongkai::gateway::GenerateApiKey();
  nlohmann::json entry = {
      {"name", name}, {"sha256", gongkai::gateway::HashApiKeyHex(key)}, {"subject", subject}};
  if (unit_id > 0) entry["unit_id"] = unit_id;
  nlohmann::json roles = nlohmann::json::array();
  for (absl::string_view role :
       absl::StrSplit(absl::GetFlag(FLAGS_roles), ',', absl::SkipWhitespace())) {
    roles.push_back(std::string(absl::StripAsciiWhitespace(role)));
  }
  entry["roles"] = roles;

  // The gateway's own parser judges the entry, so the CLI and the gateway cannot disagree.
  const nlohmann::json file = {{"keys", nlohmann::json::array({entry})}};
  absl::StatusOr<std::unique_ptr<gongkai::gateway::ApiKeyStore>> check =
      gongkai::gateway::ParseApiKeyStore(file.dump());
  if (!check.ok()) Fail(std::string(check.status().message()));

  std::cout << key << "\n" << entry.dump() << "\n";
  return 0;
}
