// Runs the real gongkai-token binary and verifies what it prints.
#include <sys/wait.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/auth/jwt_authenticator.h"
#include "libs/clock/clock.h"

namespace gongkai::auth {
namespace {

using ::testing::HasSubstr;

struct ToolRun {
  int exit_code;
  std::string output;  // stdout and stderr
};

ToolRun RunTokenTool(const std::string& args) {
  const std::string command = absl::StrCat(GONGKAI_TOKEN_BINARY, " ", args, " 2>&1");
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return {-1, "popen failed"};
  std::string output;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof(buffer), pipe)) > 0) output.append(buffer, n);
  const int status = pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
}

class GongkaiTokenTest : public ::testing::Test {
 protected:
  void SetUp() override {
    secret_file_ = absl::StrCat(::testing::TempDir(), "/gongkai_token_test.secret");
    std::ofstream(secret_file_) << kSecret << "\n";
  }

  static constexpr char kSecret[] = "dev-secret-dev-secret-dev-secret-0001";
  std::string secret_file_;
};

TEST_F(GongkaiTokenTest, PrintsATokenTheAuthenticatorAccepts) {
  ToolRun run = RunTokenTool(absl::StrCat("--secret-file=", secret_file_,
                                          " --sub=alice --unit-id=3 --roles=STAFF,REVIEWER "
                                          "--ttl=3600 --issuer=gongkai-dev --audience=gongkai"));
  ASSERT_EQ(run.exit_code, 0) << run.output;
  FakeClock clock(absl::Now());  // The tool stamps real time.
  AuthConfig config;
  config.hs256_secret = kSecret;
  config.issuer = "gongkai-dev";
  config.audience = "gongkai";
  auto auth = NewJwtAuthenticator(config, clock);
  ASSERT_TRUE(auth.ok()) << auth.status();
  absl::StatusOr<Principal> principal =
      (*auth)->VerifyToken(absl::StripTrailingAsciiWhitespace(run.output));
  ASSERT_TRUE(principal.ok()) << principal.status();
  EXPECT_EQ(principal->DebugString(), "alice unit=3 roles=STAFF, REVIEWER");
  clock.Advance(absl::Seconds(3600 + 31));
  EXPECT_THAT(
      std::string(
          (*auth)->VerifyToken(absl::StripTrailingAsciiWhitespace(run.output)).status().message()),
      HasSubstr("expired"));
}

TEST_F(GongkaiTokenTest, BadValuesFailWithOneLine) {
  const struct {
    std::string args;
    std::string why;
  } cases[] = {
      {" --sub=alice --roles=BOSS", "unknown role \"BOSS\""},
      {" --sub=alice --roles=STAFF", "STAFF needs --unit-id"},
      {" --roles=OFFICE", "--sub is required"},
      {" --sub=alice --ttl=0", "--ttl=0 must be a positive"},
      {" --sub=alice --unit-id=-4", "--unit-id=-4 must be a positive"},
      {" --sub=alice --unit-id=abc", "unit_id"},
  };
  for (const auto& c : cases) {
    ToolRun run = RunTokenTool(absl::StrCat("--secret-file=", secret_file_, c.args));
    EXPECT_NE(run.exit_code, 0) << c.args;
    EXPECT_THAT(run.output, HasSubstr(c.why)) << c.args;
    EXPECT_EQ(std::count(run.output.begin(), run.output.end(), '\n'), 1) << run.output;
  }
  ToolRun no_key = RunTokenTool("--sub=alice");
  EXPECT_EQ(no_key.exit_code, 2);
  EXPECT_THAT(no_key.output, HasSubstr("exactly one of --secret-file"));
  ToolRun missing = RunTokenTool("--secret-file=/nonexistent/secret --sub=alice");
  EXPECT_THAT(missing.output, HasSubstr("cannot be read"));
}

}  // namespace
}  // namespace gongkai::auth
