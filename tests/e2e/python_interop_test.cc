// Interoperability: a client this project did not write (Python grpcio, stubs generated
// at test time from protos/) talks to the real gongkai-catalog binary.
//
// The gtest starts the service through the e2e harness, mints an ADMIN token and runs
// python_interop_test.py with /usr/bin/python3 (Debian's python3-grpcio), which prints
// what it checks and exits non-zero on the first failure.
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "absl/strings/str_cat.h"
#include "tests/e2e/catalog_under_test.h"

namespace gongkai::e2e {
namespace {

TEST(PythonInteropTest, PythonGrpcClientRoundTripsChineseTextAndReadsErrorDetails) {
  absl::StatusOr<std::unique_ptr<CatalogUnderTest>> catalog =
      CatalogUnderTest::Start("python_interop");
  ASSERT_TRUE(catalog.ok()) << catalog.status();
  const std::string token = (*catalog)->Token("python-admin", std::nullopt, {"ADMIN"});
  const std::string work_dir = absl::StrCat(::testing::TempDir(), "python_interop_", getpid());
  // The token goes through the environment, not argv, so it does not show in `ps`.
  const std::string command = absl::StrCat(
      "GONGKAI_INTEROP_TOKEN='", token, "' ", GONGKAI_PYTHON, " ", GONGKAI_PYTHON_CLIENT,
      " --address=", (*catalog)->service().grpc_address(), " --proto-dir=", GONGKAI_PROTO_DIR,
      " --googleapis-dir=", GONGKAI_GOOGLEAPIS_PROTO_DIR, " --work-dir=", work_dir);
  const int rc = std::system(command.c_str());
  std::error_code ignored;
  std::filesystem::remove_all(work_dir, ignored);
  ASSERT_TRUE(WIFEXITED(rc)) << "python client did not exit normally: " << rc;
  EXPECT_EQ(WEXITSTATUS(rc), 0) << "python client failed; its output is above.\n"
                                << (*catalog)->service().LogTail(20);
}

}  // namespace
}  // namespace gongkai::e2e
