// Checks that a test's table of RPCs names every method of a gRPC service exactly once,
// so an RPC added to a proto cannot escape the service's authorization table:
//
//   EXPECT_THAT(RpcCoverageProblems(*service, names), ::testing::IsEmpty());
#ifndef GONGKAI_TESTS_E2E_RPC_COVERAGE_H_
#define GONGKAI_TESTS_E2E_RPC_COVERAGE_H_

#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"

namespace gongkai::e2e {

// One line per problem: an RPC of `service` missing from `names` or named more than
// once, or a name that is not an RPC of `service`. Empty when the table is complete.
inline std::vector<std::string> RpcCoverageProblems(
    const google::protobuf::ServiceDescriptor& service, const std::vector<std::string>& names) {
  std::map<std::string, int> times;
  for (const std::string& name : names) ++times[name];
  std::vector<std::string> problems;
  for (int i = 0; i < service.method_count(); ++i) {
    const std::string& method = service.method(i)->name();
    const int n = times[method];
    if (n != 1) problems.push_back(absl::StrCat(method, " is in the table ", n, " times"));
    times.erase(method);
  }
  for (const auto& [name, n] : times) {
    problems.push_back(absl::StrCat(name, " is not an RPC of ", service.full_name()));
  }
  return problems;
}

}  // namespace gongkai::e2e

#endif  // GONGKAI_TESTS_E2E_RPC_COVERAGE_H_
