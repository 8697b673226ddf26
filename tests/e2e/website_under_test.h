// The environment of a gongkai-website process under test beside a CatalogUnderTest
// (its JWT secret, calendar and unit directory) on its own E2eDatabase: the e2e tests
// of the website service start it with these options and add their own settings.
//
//   ServiceProcess::Options options = WebsiteOptions(*database, *catalog);
//   options.env["GONGKAI_PROBER_ENABLED"] = "false";
//   ASSIGN_OR_RETURN(auto website, ServiceProcess::Start(std::move(options)));
#ifndef GONGKAI_TESTS_E2E_WEBSITE_UNDER_TEST_H_
#define GONGKAI_TESTS_E2E_WEBSITE_UNDER_TEST_H_

#include "absl/strings/str_cat.h"
#include "tests/e2e/catalog_under_test.h"
#include "tests/e2e/e2e_database.h"
#include "tests/e2e/service_process.h"

#ifndef GONGKAI_WEBSITE_BINARY
#error "GONGKAI_WEBSITE_BINARY must be defined by the build"
#endif

namespace gongkai::e2e {

inline ServiceProcess::Options WebsiteOptions(const E2eDatabase& database,
                                              CatalogUnderTest& catalog) {
  ServiceProcess::Options options;
  options.binary = GONGKAI_WEBSITE_BINARY;
  options.listening_message = "website listening";
  options.env = database.ServiceEnv();
  options.env["GONGKAI_GRPC_ADDRESS"] = "127.0.0.1:0";
  options.env["GONGKAI_METRICS_ADDRESS"] = "127.0.0.1:0";
  options.env["GONGKAI_JWT_HS256_SECRET"] = catalog.jwt_secret();
  options.env["GONGKAI_JWT_ISSUER"] = kE2eIssuer;
  options.env["GONGKAI_JWT_AUDIENCE"] = kE2eAudience;
  options.env["GONGKAI_DB_POOL_SIZE"] = "4";
  options.env["GONGKAI_CALENDAR_ADDRESS"] = catalog.service().grpc_address();
  options.env["GONGKAI_PEERS"] = absl::StrCat("catalog=", catalog.service().grpc_address());
  return options;
}

}  // namespace gongkai::e2e

#endif  // GONGKAI_TESTS_E2E_WEBSITE_UNDER_TEST_H_
