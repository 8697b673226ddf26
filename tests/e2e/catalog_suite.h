// A gtest fixture base for e2e suites that share one running catalog
// (CatalogUnderTest): started once before the suite's first test, stopped after its
// last. Each Suite gets its own instance (the base is a template on the suite).
//
//   class FooE2eTest : public CatalogSuite<FooE2eTest> {
//    public:
//     static constexpr char kDatabasePrefix[] = "foo_e2e";
//     // Optional: settings added to the service's environment.
//     static std::map<std::string, std::string> CatalogEnv() { return {{"K", "v"}}; }
//
//    protected:
//     void SetUp() override {
//       ASSERT_NO_FATAL_FAILURE(CatalogSuite::SetUp());  // Fails if it did not start.
//       stub_ = catalog_->NewStub();
//     }
//   };
//
// Thread-compatible like any gtest fixture.
#ifndef GONGKAI_TESTS_E2E_CATALOG_SUITE_H_
#define GONGKAI_TESTS_E2E_CATALOG_SUITE_H_

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "tests/e2e/catalog_under_test.h"

namespace gongkai::e2e {

template <typename Suite>
class CatalogSuite : public ::testing::Test {
 public:
  static void SetUpTestSuite() {
    absl::StatusOr<std::unique_ptr<CatalogUnderTest>> started =
        CatalogUnderTest::Start(Suite::kDatabasePrefix, Suite::CatalogEnv());
    if (!started.ok()) {
      start_error_ = started.status().ToString();
      return;
    }
    catalog_ = *std::move(started);
  }

  static void TearDownTestSuite() {
    catalog_.reset();  // SIGTERM; a failure unless the service exits with 0.
  }

  // No extra settings unless the suite declares its own CatalogEnv().
  static std::map<std::string, std::string> CatalogEnv() { return {}; }

 protected:
  void SetUp() override {
    ASSERT_NE(catalog_, nullptr) << "the catalog service did not start: " << start_error_;
  }

  inline static std::unique_ptr<CatalogUnderTest> catalog_;
  inline static std::string start_error_ = "not started";
};

}  // namespace gongkai::e2e

#endif  // GONGKAI_TESTS_E2E_CATALOG_SUITE_H_
