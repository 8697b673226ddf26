// RunCommand: runs a command line through the shell, for e2e tests of the command-line
// tools (the demo loaders): its exit code and what it wrote to stdout and stderr.
//
//   auto [code, output] = RunCommand(absl::StrCat(GONGKAI_OPINION_DEMO_BINARY, " --target=", a));
//   ASSERT_EQ(code, 0) << output;
//
// The exit code is -1 when the command did not exit normally (a signal) or could not start.
#ifndef GONGKAI_TESTS_E2E_RUN_COMMAND_H_
#define GONGKAI_TESTS_E2E_RUN_COMMAND_H_

#include <sys/wait.h>

#include <cstdio>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"

namespace gongkai::e2e {

inline std::pair<int, std::string> RunCommand(const std::string& command) {
  std::string output;
  FILE* pipe = popen(absl::StrCat(command, " 2>&1").c_str(), "r");
  if (pipe == nullptr) return {-1, "popen failed"};
  char buffer[4096];
  while (fgets(buffer, sizeof(buffer), pipe) != nullptr) output += buffer;
  const int status = pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
}

}  // namespace gongkai::e2e

#endif  // GONGKAI_TESTS_E2E_RUN_COMMAND_H_
