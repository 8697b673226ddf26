// The real gongkai-catalog and gongkai-interpretation binaries calling each other (the
// INT-3 release gate and the publication outbox), each on its own fresh database, for
// end-to-end tests; optionally the real gongkai-gateway in front of both.
//
// Both gRPC ports are chosen before either process starts and kept across restarts, so
// each can name the other in GONGKAI_PEERS and a test can SIGKILL one and start it
// again on the same database and address.
//
//   ASSERT_OK_AND_ASSIGN(auto suite, InterpretationSuite::Start("int"));
//   auto documents = suite->CatalogStub();
//   auto interpretations = suite->InterpretationStub();
//   std::string head = suite->Token("head-1", unit, {"HEAD"});
//   suite->KillCatalog();                         // SIGKILL
//   ASSERT_OK(suite->StartCatalog());             // same database, same port
//
// Destruction stops the gateway, then the services (a gtest failure unless they exit
// with 0; a killed process is not stopped again), then drops both databases.
// Not thread-safe: one test thread drives it.
#ifndef GONGKAI_TESTS_E2E_INTERPRETATION_UNDER_TEST_H_
#define GONGKAI_TESTS_E2E_INTERPRETATION_UNDER_TEST_H_

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "gongkai/catalog/v1/catalog.grpc.pb.h"
#include "gongkai/interpretation/v1/interpretation.grpc.pb.h"
#include "tests/e2e/e2e_database.h"
#include "tests/e2e/service_process.h"

namespace gongkai::e2e {

class InterpretationSuite {
 public:
  // Creates both databases and starts the catalog, then the interpretation service.
  // `catalog_env` / `interpretation_env` override the generated settings.
  static absl::StatusOr<std::unique_ptr<InterpretationSuite>> Start(
      absl::string_view prefix, std::map<std::string, std::string> catalog_env = {},
      std::map<std::string, std::string> interpretation_env = {});

  ~InterpretationSuite();

  // (Re)starts a process on its database and port; waits until SERVING.
  absl::Status StartCatalog();
  absl::Status StartInterpretation();
  // SIGKILL (no shutdown hook runs), then reaps the process.
  void KillCatalog();
  void KillInterpretation();
  // The gateway in front of both (GONGKAI_BACKENDS catalog and interpretation).
  absl::Status StartGateway();

  ServiceProcess& catalog() { return *catalog_; }
  ServiceProcess& interpretation() { return *interpretation_; }
  ServiceProcess& gateway() { return *gateway_; }
  int http_port() const { return gateway_->port("http_port"); }
  const E2eDatabase& catalog_database() const { return *catalog_db_; }
  const std::string& jwt_secret() const { return jwt_secret_; }
  std::string catalog_address() const { return absl::StrCat("127.0.0.1:", catalog_port_); }
  std::string interpretation_address() const {
    return absl::StrCat("127.0.0.1:", interpretation_port_);
  }
  const E2eDatabase& interpretation_database() const { return *interpretation_db_; }

  std::string Token(const std::string& subject, std::optional<int64_t> unit_id,
                    std::vector<std::string> roles) const;
  std::unique_ptr<catalog::v1::CatalogService::Stub> CatalogStub() const;
  std::unique_ptr<interpretation::v1::InterpretationService::Stub> InterpretationStub() const;

 private:
  InterpretationSuite() = default;

  std::unique_ptr<E2eDatabase> catalog_db_;
  std::unique_ptr<E2eDatabase> interpretation_db_;
  std::string jwt_secret_;
  int catalog_port_ = 0;
  int interpretation_port_ = 0;
  std::map<std::string, std::string> catalog_env_;
  std::map<std::string, std::string> interpretation_env_;
  std::unique_ptr<ServiceProcess> catalog_;
  std::unique_ptr<ServiceProcess> interpretation_;
  std::unique_ptr<ServiceProcess> gateway_;
};

// A TCP port on 127.0.0.1 that was free a moment ago.
absl::StatusOr<int> PickFreePort();

}  // namespace gongkai::e2e

#endif  // GONGKAI_TESTS_E2E_INTERPRETATION_UNDER_TEST_H_
