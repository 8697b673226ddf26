// The demo data of ./gongkai up, loaded into the real services: gongkai-catalog-demo
// leaves the city-government policy documents as drafts waiting for their
// interpretation (INT-3), and gongkai-interpretation-demo interprets them, has them
// approved and publishes them through the catalog; a second run changes nothing.
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/e2e/catalog_under_test.h"
#include "tests/e2e/interpretation_steps.h"
#include "tests/e2e/run_command.h"

namespace gongkai::e2e {
namespace {

using ::testing::HasSubstr;

TEST(InterpretationDemoE2eTest, DemoLoadersInterpretAndPublishTheGovernmentPolicyDocuments) {
  absl::StatusOr<std::unique_ptr<InterpretationSuite>> suite =
      InterpretationSuite::Start("intdemo");
  ASSERT_TRUE(suite.ok()) << suite.status();
  const std::string secret_file =
      absl::StrCat(::testing::TempDir(), "/interpretation-demo-", getpid(), ".key");
  {
    std::ofstream out(secret_file);
    out << (*suite)->jwt_secret();
  }
  const std::string common = absl::StrCat(" --secret-file=", secret_file, " --issuer=", kE2eIssuer,
                                          " --audience=", kE2eAudience);
  auto [catalog_code, catalog_log] = RunCommand(
      absl::StrCat(GONGKAI_CATALOG_DEMO_BINARY, " --target=", (*suite)->catalog_address(), common));
  ASSERT_EQ(catalog_code, 0) << catalog_log;
  EXPECT_THAT(catalog_log, HasSubstr("waits for its interpretation (INT-3)"));

  const std::string interpretation_demo = absl::StrCat(
      GONGKAI_INTERPRETATION_DEMO_BINARY, " --target=", (*suite)->interpretation_address(),
      " --catalog=", (*suite)->catalog_address(), common);
  auto [code, log] = RunCommand(interpretation_demo);
  ASSERT_EQ(code, 0) << log;
  EXPECT_THAT(log, HasSubstr("policy documents published with them"));
  EXPECT_THAT(log, ::testing::Not(HasSubstr(" 0 policy documents published")));

  // Every released interpretation is public, with its document's publication time.
  auto stub = (*suite)->InterpretationStub();
  interp::ListInterpretationsRequest list;
  list.set_state(interp::RELEASED);
  list.set_page_size(100);
  absl::StatusOr<interp::ListInterpretationsResponse> released =
      UnaryCall(*stub, &interp::InterpretationService::Stub::ListInterpretations, "", list);
  ASSERT_TRUE(released.ok()) << released.status();
  EXPECT_GE(released->interpretations_size(), 5);
  for (const interp::Interpretation& i : released->interpretations()) {
    if (i.kind() == interp::PRIMARY) {
      EXPECT_EQ(i.release_time().seconds(), i.document_publish_time().seconds()) << i.id();
    }
  }

  // Run again: nothing new, no failure.
  auto [again_code, again_log] = RunCommand(interpretation_demo);
  EXPECT_EQ(again_code, 0) << again_log;
  std::remove(secret_file.c_str());
}

}  // namespace
}  // namespace gongkai::e2e
