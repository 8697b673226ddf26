// The real gongkai-assessment binary on a fresh database, beside services it calls, for
// end-to-end tests. Header-only; the binary's path comes from GONGKAI_ASSESSMENT_BINARY
// (set by CMake for the tests that use it).
//
//   auto assessment = StartAssessment(*catalog, {{"catalog", catalog_address},
//                                                {"consultation", "127.0.0.1:1"}, ...});
//
// Every peer the service declares (catalog, consultation, interpretation, opinion,
// website) needs an address; a service that is not running is given an address where
// nothing listens, and its items are "evidence unavailable".
#ifndef GONGKAI_TESTS_E2E_ASSESSMENT_UNDER_TEST_H_
#define GONGKAI_TESTS_E2E_ASSESSMENT_UNDER_TEST_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "tests/e2e/catalog_under_test.h"
#include "tests/e2e/e2e_database.h"
#include "tests/e2e/service_process.h"

namespace gongkai::e2e {

// An address where nothing listens (port 1 is privileged and unused): calls to it fail
// at once with UNAVAILABLE.
inline constexpr char kNobodyListens[] = "127.0.0.1:1";

// The peers every assessment process declares, all pointing nowhere; callers replace
// the ones that run.
inline std::map<std::string, std::string> AbsentPeers() {
  return {{"catalog", kNobodyListens},
          {"consultation", kNobodyListens},
          {"interpretation", kNobodyListens},
          {"opinion", kNobodyListens},
          {"website", kNobodyListens}};
}

inline absl::StatusOr<std::unique_ptr<ServiceProcess>> StartAssessment(
    const CatalogUnderTest& catalog, const E2eDatabase& database,
    const std::map<std::string, std::string>& peers,
    std::map<std::string, std::string> extra_env = {}) {
  ServiceProcess::Options options;
  options.binary = GONGKAI_ASSESSMENT_BINARY;
  options.listening_message = "assessment listening";
  options.env = database.ServiceEnv();
  options.env["GONGKAI_GRPC_ADDRESS"] = "127.0.0.1:0";
  options.env["GONGKAI_METRICS_ADDRESS"] = "127.0.0.1:0";
  options.env["GONGKAI_JWT_HS256_SECRET"] = catalog.jwt_secret();
  options.env["GONGKAI_JWT_ISSUER"] = kE2eIssuer;
  options.env["GONGKAI_JWT_AUDIENCE"] = kE2eAudience;
  options.env["GONGKAI_DB_POOL_SIZE"] = "8";
  options.env["GONGKAI_CALENDAR_ADDRESS"] = peers.at("catalog");
  options.env["GONGKAI_METRICS_REFRESH"] = "1s";
  options.env["GONGKAI_ASSESSMENT_RETRY_INTERVAL"] = "500ms";
  options.env["GONGKAI_ASSESSMENT_POLL"] = "100ms";
  options.env["GONGKAI_ASSESSMENT_EVIDENCE_DEADLINE"] = "5s";
  std::vector<std::string> entries;
  for (const auto& [name, address] : peers) entries.push_back(absl::StrCat(name, "=", address));
  options.env["GONGKAI_PEERS"] = absl::StrJoin(entries, ",");
  for (auto& [key, value] : extra_env) options.env[key] = std::move(value);
  return ServiceProcess::Start(std::move(options));
}

}  // namespace gongkai::e2e

#endif  // GONGKAI_TESTS_E2E_ASSESSMENT_UNDER_TEST_H_
