// The real gongkai-consultation binary beside the real catalog (its calendar and unit
// directory, GONGKAI_PEERS) and behind the real gateway, each on its own fresh
// database, for end-to-end tests of the consultation service (issue 10).
//
//   absl::StatusOr<std::unique_ptr<ConsultationUnderTest>> env =
//       ConsultationUnderTest::Start("consult");
//   httplib::Client http("127.0.0.1", (*env)->http_port());   // both backends routed
//   std::string staff = (*env)->Token("staff-1", unit, {"STAFF"});
//
// Destruction stops the gateways, the consultation service, then the catalog.
#ifndef GONGKAI_TESTS_E2E_CONSULTATION_UNDER_TEST_H_
#define GONGKAI_TESTS_E2E_CONSULTATION_UNDER_TEST_H_

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "gongkai/consultation/v1/consultation.grpc.pb.h"
#include "tests/e2e/catalog_under_test.h"
#include "tests/e2e/e2e_database.h"
#include "tests/e2e/gateway_under_test.h"
#include "tests/e2e/service_process.h"

namespace gongkai::e2e {

class ConsultationUnderTest {
 public:
  // `consultation_env` is added to (and overrides) the consultation's generated settings.
  static absl::StatusOr<std::unique_ptr<ConsultationUnderTest>> Start(
      absl::string_view prefix, std::map<std::string, std::string> consultation_env = {},
      std::map<std::string, std::string> gateway_env = {});
  ~ConsultationUnderTest();

  // The gateway routing both the catalog and the consultation service.
  int http_port() const { return gateway_->port("http_port"); }
  ServiceProcess& consultation() { return *consultation_; }
  ServiceProcess& gateway() { return *gateway_; }
  CatalogUnderTest& catalog() { return *catalog_; }
  const E2eDatabase& database() const { return *database_; }
  std::string Token(const std::string& subject, std::optional<int64_t> unit_id,
                    std::vector<std::string> roles) const {
    return catalog_->Token(subject, unit_id, std::move(roles));
  }
  std::unique_ptr<consultation::v1::ConsultationService::Stub> NewStub() const;

  // Starts another consultation process on the same database and catalog (e.g. after
  // the first was stopped), with `extra_env` on top of the generated settings.
  absl::StatusOr<std::unique_ptr<ServiceProcess>> StartConsultation(
      std::map<std::string, std::string> extra_env) const;

 private:
  ConsultationUnderTest() = default;

  std::unique_ptr<CatalogUnderTest> catalog_;
  std::unique_ptr<E2eDatabase> database_;  // The consultation's database.
  std::unique_ptr<ServiceProcess> consultation_;
  std::unique_ptr<ServiceProcess> gateway_;  // Routes catalog and consultation.
};

}  // namespace gongkai::e2e

#endif  // GONGKAI_TESTS_E2E_CONSULTATION_UNDER_TEST_H_
