// The real gongkai-gateway binary in front of the real gongkai-catalog (on a fresh
// database), for end-to-end tests of the REST/JSON API.
//
// Start() starts the catalog (CatalogUnderTest), then the gateway built by this tree
// (GONGKAI_GATEWAY_BINARY, set by CMake) on free ports with the catalog as its only
// backend and the same JWT settings, and waits until GET /readyz answers 200. Rate
// limits are off unless `gateway_env` sets them. StartGateway() runs further gateways
// (other limits, an API-key file) in front of the same catalog.
//
//   absl::StatusOr<std::unique_ptr<GatewayUnderTest>> started = GatewayUnderTest::Start("gw");
//   ASSERT_TRUE(started.ok()) << started.status();
//   httplib::Client http("127.0.0.1", (*started)->http_port());
//   std::string staff = (*started)->catalog().Token("staff-1", 1, {"STAFF"});
//
// Destruction stops the gateway, then the catalog (each a gtest failure unless it exits
// with 0), then drops the database. Thread-safe after Start() for the const accessors.
#ifndef GONGKAI_TESTS_E2E_GATEWAY_UNDER_TEST_H_
#define GONGKAI_TESTS_E2E_GATEWAY_UNDER_TEST_H_

#include <map>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "tests/e2e/catalog_under_test.h"
#include "tests/e2e/service_process.h"

namespace gongkai::e2e {

class GatewayUnderTest {
 public:
  // `gateway_env` and `catalog_env` are added to (and override) the generated settings
  // of each process.
  static absl::StatusOr<std::unique_ptr<GatewayUnderTest>> Start(
      absl::string_view prefix, std::map<std::string, std::string> gateway_env = {},
      std::map<std::string, std::string> catalog_env = {});

  ~GatewayUnderTest();

  // Another gateway in front of the same catalog: the generated settings with
  // `extra_env` on top. Ready (GET /readyz 200) when returned.
  absl::StatusOr<std::unique_ptr<ServiceProcess>> StartGateway(
      std::map<std::string, std::string> extra_env) const;

  CatalogUnderTest& catalog() { return *catalog_; }
  const CatalogUnderTest& catalog() const { return *catalog_; }
  ServiceProcess& gateway() { return *gateway_; }
  int http_port() const { return gateway_->port("http_port"); }
  int metrics_port() const { return gateway_->port("metrics_port"); }

 private:
  GatewayUnderTest() = default;

  // The gateway's environment for this catalog, before any extra settings.
  std::map<std::string, std::string> BaseEnv() const;

  std::unique_ptr<CatalogUnderTest> catalog_;  // Outlives gateway_ (declared first).
  std::unique_ptr<ServiceProcess> gateway_;
};

// Starts the gateway binary with exactly `env` (plus PATH); ready when GET /readyz on its
// http_port answers 200.
absl::StatusOr<std::unique_ptr<ServiceProcess>> StartGatewayProcess(
    std::map<std::string, std::string> env);

}  // namespace gongkai::e2e

#endif  // GONGKAI_TESTS_E2E_GATEWAY_UNDER_TEST_H_
