#include "gateway/api_keys.h"

#include <sys/wait.h>

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "libs/auth/principal.h"
#include "nlohmann/json.hpp"

namespace gongkai::gateway {
namespace {

using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using ::testing::Not;

constexpr char kOaKey[] = "gk_test-key-of-the-oa-system";

std::string OneKeyFile(const std::string& extra_fields) {
  return absl::StrCat(R"({"keys":[{"name":"oa-system","sha256":")", HashApiKeyHex(kOaKey),
                      R"(","subject":"system:oa")", extra_fields, "}]}");
}

absl::Status ParseStatus(absl::string_view json) { return ParseApiKeyStore(json).status(); }

TEST(HashApiKeyHexTest, IsLowercaseHexSha256) {
  EXPECT_EQ(HashApiKeyHex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(GenerateApiKeyTest, HasPrefixAnd43Base64UrlCharactersAndIsNotRepeated) {
  absl::flat_hash_set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    const std::string key = GenerateApiKey();
    EXPECT_THAT(key, MatchesRegex("gk_[A-Za-z0-9_-]{43}"));
    EXPECT_TRUE(seen.insert(key).second);
  }
}

TEST(ApiKeyStoreTest, KnownKeyYieldsItsPrincipal) {
  auto store = ParseApiKeyStore(OneKeyFile(R"(,"unit_id":12,"roles":["STAFF","REVIEWER"])"));
  ASSERT_TRUE(store.ok()) << store.status();
  EXPECT_EQ((*store)->size(), 1u);
  absl::StatusOr<auth::Principal> principal = (*store)->Authenticate(kOaKey);
  ASSERT_TRUE(principal.ok()) << principal.status();
  EXPECT_EQ(principal->subject, "system:oa");
  EXPECT_EQ(principal->unit_id, 12);
  EXPECT_EQ(principal->roles, (auth::RoleSet{auth::Role::kStaff, auth::Role::kReviewer}));
  EXPECT_FALSE(principal->anonymous());
}

TEST(ApiKeyStoreTest, UnknownKeyIsUnauthenticatedAndNotEchoed) {
  auto store = ParseApiKeyStore(OneKeyFile(""));
  ASSERT_TRUE(store.ok()) << store.status();
  absl::StatusOr<auth::Principal> principal = (*store)->Authenticate("gk_guessed-secret-value");
  EXPECT_EQ(principal.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(principal.status().message(), "unknown API key");
  // One character off, longer, shorter, huge: all the same answer.
  for (const std::string& near :
       {std::string(kOaKey) + "x", std::string(kOaKey).substr(1), std::string(100000, 'a')}) {
    EXPECT_EQ((*store)->Authenticate(near).status().message(), "unknown API key");
  }
  EXPECT_EQ((*store)->Authenticate("").status().message(), "empty API key");
}

TEST(ApiKeyStoreTest, UppercaseHashInConfigMatches) {
  std::string upper = HashApiKeyHex(kOaKey);
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  auto store = ParseApiKeyStore(
      absl::StrCat(R"({"keys":[{"name":"a","sha256":")", upper, R"(","subject":"s"}]})"));
  ASSERT_TRUE(store.ok()) << store.status();
  EXPECT_TRUE((*store)->Authenticate(kOaKey).ok());
}

TEST(ApiKeyStoreTest, ManyKeysEachFindTheirOwnPrincipal) {
  nlohmann::json file = {{"keys", nlohmann::json::array()}};
  std::vector<std::string> keys;
  for (int i = 0; i < 50; ++i) {
    keys.push_back(GenerateApiKey());
    file["keys"].push_back({{"name", absl::StrCat("system-", i)},
                            {"sha256", HashApiKeyHex(keys.back())},
                            {"subject", absl::StrCat("system:", i)},
                            {"roles", {"INSPECTOR"}}});
  }
  auto store = ParseApiKeyStore(file.dump());
  ASSERT_TRUE(store.ok()) << store.status();
  EXPECT_EQ((*store)->size(), 50u);
  for (int i = 0; i < 50; ++i) {
    absl::StatusOr<auth::Principal> principal = (*store)->Authenticate(keys[i]);
    ASSERT_TRUE(principal.ok()) << principal.status();
    EXPECT_EQ(principal->subject, absl::StrCat("system:", i));
    EXPECT_TRUE(principal->roles.Contains(auth::Role::kInspector));
  }
}

TEST(ApiKeyStoreTest, EmptyKeyListIsValid) {
  auto store = ParseApiKeyStore(R"({"keys":[]})");
  ASSERT_TRUE(store.ok()) << store.status();
  EXPECT_EQ((*store)->size(), 0u);
  EXPECT_EQ((*store)->Authenticate(kOaKey).status().message(), "unknown API key");
}

struct BadFile {
  std::string json;
  std::string message;
};

class ApiKeyStoreParseErrorTest : public ::testing::TestWithParam<BadFile> {};

TEST_P(ApiKeyStoreParseErrorTest, IsInvalidArgumentNamingEntryAndField) {
  absl::Status status = ParseStatus(GetParam().json);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << GetParam().json;
  EXPECT_THAT(status.message(), HasSubstr(GetParam().message)) << GetParam().json;
}

std::vector<BadFile> BadFiles() {
  const std::string kHash = HashApiKeyHex(kOaKey);
  return {
      BadFile{"{", "not JSON"},
      BadFile{"[]", "must be a JSON object"},
      BadFile{R"({"keys":{}})", "\"keys\" must be an array"},
      BadFile{R"({"kyes":[]})", "unknown field \"kyes\""},
      BadFile{R"({"keys":[1]})", "keys[0]: must be an object"},
      BadFile{R"({"keys":[{"sha256":"00"}]})", "keys[0].name: is required"},
      BadFile{R"({"keys":[{"name":"a","subject":"s"}]})", "keys[0] (\"a\").sha256: is required"},
      BadFile{R"({"keys":[{"name":"a","sha256":"abc","subject":"s"}]})",
              "keys[0] (\"a\").sha256: must be 64 hexadecimal digits"},
      BadFile{absl::StrCat(R"({"keys":[{"name":"a","sha256":")", std::string(63, 'a'),
                           R"(g","subject":"s"}]})"),
              "keys[0] (\"a\").sha256: must be 64 hexadecimal digits"},
      BadFile{absl::StrCat(R"({"keys":[{"name":"a","sha256":")", kHash, R"("}]})"),
              "keys[0] (\"a\").subject: is required"},
      BadFile{absl::StrCat(R"({"keys":[{"name":"a","sha256":")", kHash,
                           R"(","subject":"s","unit_id":0}]})"),
              "keys[0] (\"a\").unit_id: must be a positive integer"},
      BadFile{absl::StrCat(R"({"keys":[{"name":"a","sha256":")", kHash,
                           R"(","subject":"s","unit_id":"12"}]})"),
              "keys[0] (\"a\").unit_id: must be a positive integer"},
      BadFile{absl::StrCat(R"({"keys":[{"name":"a","sha256":")", kHash,
                           R"(","subject":"s","roles":"ADMIN"}]})"),
              "keys[0] (\"a\").roles: must be an array"},
      BadFile{absl::StrCat(R"({"keys":[{"name":"a","sha256":")", kHash,
                           R"(","subject":"s","roles":["ADMIN","admin"]}]})"),
              "keys[0] (\"a\").roles[1]: must be one of STAFF"},
      BadFile{absl::StrCat(R"({"keys":[{"name":"a","sha256":")", kHash,
                           R"(","subject":"s","roles":["PUBLIC"]}]})"),
              "keys[0] (\"a\").roles[0]: must be one of"},
      BadFile{absl::StrCat(R"({"keys":[{"name":"a","sha256":")", kHash,
                           R"(","subject":"s","roles":["SERVICE"]}]})"),
              "keys[0] (\"a\").roles[0]: must be one of"},
      BadFile{absl::StrCat(R"({"keys":[{"name":"a","sha256":")", kHash,
                           R"(","subject":"s","roles":["STAFF"]}]})"),
              "keys[0] (\"a\").roles[0]: STAFF requires unit_id"},
      BadFile{absl::StrCat(R"({"keys":[{"name":"a","sha256":")", kHash,
                           R"(","subject":"s","role":["ADMIN"]}]})"),
              "keys[0] (\"a\"): unknown field \"role\""},
      BadFile{absl::StrCat(R"({"keys":[{"name":"a","sha256":")", kHash,
                           R"(","subject":"s"},{"name":"a","sha256":")", HashApiKeyHex("other"),
                           R"(","subject":"t"}]})"),
              "keys[1] (\"a\"): another entry has the same name"},
      BadFile{absl::StrCat(R"({"keys":[{"name":"a","sha256":")", kHash,
                           R"(","subject":"s"},{"name":"b","sha256":")", kHash,
                           R"(","subject":"t"}]})"),
              "keys[1] (\"b\").sha256: same key as entry \"a\""}};
}

INSTANTIATE_TEST_SUITE_P(BadFiles, ApiKeyStoreParseErrorTest, ::testing::ValuesIn(BadFiles()));

TEST(LoadApiKeyStoreFileTest, MissingFileIsNotFound) {
  auto store = LoadApiKeyStoreFile("/nonexistent/gongkai-api-keys.json");
  EXPECT_EQ(store.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(store.status().message(), HasSubstr("/nonexistent/gongkai-api-keys.json"));
}

TEST(LoadApiKeyStoreFileTest, ParseErrorsNameTheFile) {
  const std::string path = ::testing::TempDir() + "/api_keys_bad.json";
  FILE* file = std::fopen(path.c_str(), "w");
  ASSERT_NE(file, nullptr);
  std::fputs(R"({"keys":[{"name":"x"}]})", file);
  std::fclose(file);
  auto store = LoadApiKeyStoreFile(path);
  EXPECT_EQ(store.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(store.status().message(), HasSubstr(path + ": keys[0] (\"x\").sha256"));
}

#ifdef GONGKAI_API_KEY_BINARY
// Runs the CLI; returns stdout and sets the exit status.
std::string RunCli(const std::string& flags, int* exit_status) {
  std::string command = absl::StrCat(GONGKAI_API_KEY_BINARY, " ", flags, " 2>/dev/null");
  FILE* pipe = popen(command.c_str(), "r");
  std::string out;
  char buffer[512];
  while (std::fgets(buffer, sizeof(buffer), pipe) != nullptr) out += buffer;
  const int status = pclose(pipe);
  *exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return out;
}

TEST(GongkaiApiKeyCliTest, PrintsAKeyAndAnEntryThatAuthenticatesIt) {
  int exit_status = 0;
  const std::string out = RunCli(
      "--name=oa-system --subject=system:oa --unit-id=12 --roles=STAFF,OFFICE", &exit_status);
  ASSERT_EQ(exit_status, 0) << out;
  std::vector<std::string> lines = absl::StrSplit(out, '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 2u) << out;
  EXPECT_THAT(lines[0], MatchesRegex("gk_[A-Za-z0-9_-]{43}"));
  EXPECT_THAT(lines[1], Not(HasSubstr(lines[0])));  // Only the hash is in the entry.
  auto store = ParseApiKeyStore(absl::StrCat(R"({"keys":[)", lines[1], "]}"));
  ASSERT_TRUE(store.ok()) << store.status();
  absl::StatusOr<auth::Principal> principal = (*store)->Authenticate(lines[0]);
  ASSERT_TRUE(principal.ok()) << principal.status();
  EXPECT_EQ(principal->subject, "system:oa");
  EXPECT_EQ(principal->unit_id, 12);
  EXPECT_EQ(principal->roles, (auth::RoleSet{auth::Role::kStaff, auth::Role::kOffice}));
}

TEST(GongkaiApiKeyCliTest, BadFlagsExitWithStatus2) {
  int exit_status = 0;
  RunCli("--subject=system:oa", &exit_status);
  EXPECT_EQ(exit_status, 2);
  RunCli("--name=a --subject=s --roles=STAFF", &exit_status);  // STAFF needs a unit.
  EXPECT_EQ(exit_status, 2);
  RunCli("--name=a --subject=s --roles=BOSS", &exit_status);
  EXPECT_EQ(exit_status, 2);
}
#endif  // GONGKAI_API_KEY_BINARY

}  // namespace
}  // namespace gongkai::gateway
