// Runs the real gongkai-rules binary against a RuleSetService on a local port.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <fstream>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "grpcpp/grpcpp.h"
#include "libs/auth/mock_authenticator.h"
#include "libs/clock/clock.h"
#include "libs/rules/rule_set_service.h"
#include "libs/rules/testing/fake_rule_set_store.h"
#include "libs/rules/testing/test_rule_schema.h"
#include "libs/rules/testing/test_rule_sets.h"

namespace gongkai::rules {
namespace {

using ::testing::HasSubstr;
using ::testing::Return;
using Json = nlohmann::json;

struct ToolRun {
  int exit_code;
  std::string output;  // stdout and stderr
};

ToolRun RunRulesTool(const std::string& args) {
  const std::string command = absl::StrCat(GONGKAI_RULES_BINARY, " ", args, " 2>&1");
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return {-1, "popen failed"};
  std::string output;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof(buffer), pipe)) > 0) output.append(buffer, n);
  const int status = pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
}

class GongkaiRulesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auth::Principal admin;
    admin.subject = "root";
    admin.roles = auth::RoleSet{auth::Role::kAdmin};
    ON_CALL(authenticator_, VerifyToken(::testing::_))
        .WillByDefault(Return(absl::UnauthenticatedError("bad token")));
    ON_CALL(authenticator_, VerifyToken(::testing::Eq("admin-token"))).WillByDefault(Return(admin));
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port_);
    builder.RegisterService(&service_);
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    token_file_ = absl::StrCat(::testing::TempDir(), "/gongkai_rules_test.jwt");
    std::ofstream(token_file_) << "admin-token\n";
  }
  void TearDown() override { server_->Shutdown(); }

  std::string Flags() const {
    return absl::StrCat("--target=127.0.0.1:", port_, " --token-file=", token_file_);
  }
  std::string WriteSet(const std::string& name, const std::string& json) {
    const std::string path = absl::StrCat(::testing::TempDir(), "/", name);
    std::ofstream(path) << json;
    return path;
  }

  FakeClock clock_{absl::FromUnixSeconds(1'780'000'000)};  // 2026-05-28
  RuleBook book_{{testing::TestRuleSchema()}};
  testing::FakeRuleSetStore store_;
  RuleSetAdmin admin_{&book_, &store_, &clock_};
  ::testing::NiceMock<auth::MockAuthenticator> authenticator_;
  RuleSetServiceImpl service_{&authenticator_, &admin_};
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
  std::string token_file_;
};

TEST_F(GongkaiRulesTest, PutsAFileThenListsAndGetsIt) {
  const std::string file = WriteSet("v1.json", testing::TestRuleSetJson(1, "2019-05-15"));
  ToolRun put = RunRulesTool(absl::StrCat(Flags(), " put ", file));
  ASSERT_EQ(put.exit_code, 0) << put.output;
  EXPECT_THAT(put.output, HasSubstr("\"created\": true"));

  ToolRun list = RunRulesTool(absl::StrCat(Flags(), " list"));
  ASSERT_EQ(list.exit_code, 0) << list.output;
  EXPECT_THAT(list.output, HasSubstr("\"name\": \"test.openness\""));
  EXPECT_THAT(list.output, HasSubstr("\"in_effect\": true"));

  ToolRun get = RunRulesTool(absl::StrCat(Flags(), " get test.openness"));
  ASSERT_EQ(get.exit_code, 0) << get.output;
  EXPECT_THAT(get.output, HasSubstr("\"requirement\": \"CAT-3\""));
}

TEST_F(GongkaiRulesTest, RefusedPutPrintsTheFieldViolationsAndExits1) {
  const std::string file =
      WriteSet("bad.json", testing::TestRuleSetJson(1, "2019-05-15", [](Json& j) {
                 j["rules"]["publication.working_days"]["value"] = 100;
               }));
  ToolRun put = RunRulesTool(absl::StrCat(Flags(), " put ", file));
  EXPECT_EQ(put.exit_code, 1) << put.output;
  EXPECT_THAT(put.output,
              HasSubstr("rule_set_json.rules.publication.working_days: must be from 1"));
}

TEST_F(GongkaiRulesTest, BadArgumentsExit2WithUsage) {
  ToolRun run = RunRulesTool(absl::StrCat(Flags(), " frobnicate"));
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_THAT(run.output, HasSubstr("usage: gongkai-rules"));
}

}  // namespace
}  // namespace gongkai::rules
