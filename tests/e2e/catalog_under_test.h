// The real gongkai-catalog binary on a fresh database, for end-to-end tests.
//
// Start() creates a database and user (E2eDatabase), generates a JWT secret, starts the
// binary built by this tree (GONGKAI_CATALOG_BINARY, set by CMake) on free ports and
// waits until it is SERVING. Token() mints HS256 tokens the service accepts.
//
//   static std::unique_ptr<CatalogUnderTest> catalog;   // one per test suite
//   absl::StatusOr<std::unique_ptr<CatalogUnderTest>> started = CatalogUnderTest::Start("e2e");
//   ASSERT_TRUE(started.ok()) << started.status();
//   auto stub = (*started)->NewStub();
//   std::string admin = (*started)->Token("root", std::nullopt, {"ADMIN"});
//
// Destruction stops the service (SIGTERM; a gtest failure unless it exits 0) before the
// database is dropped. Thread-safe after Start() for Token() and NewStub().
#ifndef GONGKAI_TESTS_E2E_CATALOG_UNDER_TEST_H_
#define GONGKAI_TESTS_E2E_CATALOG_UNDER_TEST_H_

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "gongkai/catalog/v1/catalog.grpc.pb.h"
#include "tests/e2e/e2e_database.h"
#include "tests/e2e/service_process.h"

namespace gongkai::e2e {

inline constexpr char kE2eIssuer[] = "gongkai-e2e";
inline constexpr char kE2eAudience[] = "gongkai";

class CatalogUnderTest {
 public:
  // `extra_env` is added to (and overrides) the generated settings.
  static absl::StatusOr<std::unique_ptr<CatalogUnderTest>> Start(
      absl::string_view prefix, std::map<std::string, std::string> extra_env = {});

  ~CatalogUnderTest();

  ServiceProcess& service() { return *service_; }
  const E2eDatabase& database() const { return *database_; }
  const std::string& jwt_secret() const { return jwt_secret_; }

  // A token for `subject` with the given unit and roles (valid for `ttl` from
  // `issued_at`). Minting cannot fail with these inputs; if it does, the process aborts.
  std::string Token(const std::string& subject, std::optional<int64_t> unit_id,
                    std::vector<std::string> roles, absl::Duration ttl = absl::Hours(1),
                    absl::Time issued_at = absl::Now()) const;

  std::unique_ptr<catalog::v1::CatalogService::Stub> NewStub() const;

 private:
  CatalogUnderTest() = default;

  std::unique_ptr<E2eDatabase> database_;  // Outlives service_ (declared first).
  std::string jwt_secret_;
  std::unique_ptr<ServiceProcess> service_;
};

}  // namespace gongkai::e2e

#endif  // GONGKAI_TESTS_E2E_CATALOG_UNDER_TEST_H_
