#include "tests/e2e/catalog_under_test.h"

#include <grpcpp/grpcpp.h>

#include <cstdlib>
#include <iostream>
#include <utility>

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "libs/auth/token_minter.h"
#include "libs/status/status_macros.h"

#ifndef GONGKAI_CATALOG_BINARY
#error "GONGKAI_CATALOG_BINARY must be defined by the build"
#endif

namespace gongkai::e2e {

absl::StatusOr<std::unique_ptr<CatalogUnderTest>> CatalogUnderTest::Start(
    absl::string_view prefix, std::map<std::string, std::string> extra_env) {
  std::unique_ptr<CatalogUnderTest> catalog(new CatalogUnderTest());
  ASSIGN_OR_RETURN(catalog->database_, E2eDatabase::Create(prefix));
  absl::BitGen gen;
  for (int i = 0; i < 4; ++i) {
    absl::StrAppend(&catalog->jwt_secret_,
                    absl::Hex(absl::Uniform<uint64_t>(gen), absl::kZeroPad16));
  }
  ServiceProcess::Options options;
  options.binary = GONGKAI_CATALOG_BINARY;
  options.env = catalog->database_->ServiceEnv();
  options.env["GONGKAI_GRPC_ADDRESS"] = "127.0.0.1:0";
  options.env["GONGKAI_METRICS_ADDRESS"] = "127.0.0.1:0";
  options.env["GONGKAI_JWT_HS256_SECRET"] = catalog->jwt_secret_;
  options.env["GONGKAI_JWT_ISSUER"] = kE2eIssuer;
  options.env["GONGKAI_JWT_AUDIENCE"] = kE2eAudience;
  options.env["GONGKAI_DB_POOL_SIZE"] = "4";
  options.env["GONGKAI_APPLICANT_KEY_SECRET"] = absl::StrCat(catalog->jwt_secret_, "-applicants");
  // The catalog's declared peer (INT-3). Nothing listens here unless a test passes the
  // address of a running interpretation service: then the release gate answers
  // UNAVAILABLE for government-level policy documents and their publication events wait
  // in the outbox; every other document is unaffected.
  options.env["GONGKAI_PEERS"] = "interpretation=127.0.0.1:1";
  for (auto& [key, value] : extra_env) options.env[key] = std::move(value);
  ASSIGN_OR_RETURN(catalog->service_, ServiceProcess::Start(std::move(options)));
  return catalog;
}

CatalogUnderTest::~CatalogUnderTest() {
  service_.reset();  // Stop the service before its database goes away.
}

std::string CatalogUnderTest::Token(const std::string& subject, std::optional<int64_t> unit_id,
                                    std::vector<std::string> roles, absl::Duration ttl,
                                    absl::Time issued_at) const {
  auth::Claims claims;
  claims.subject = subject;
  claims.unit_id = unit_id;
  claims.roles = std::move(roles);
  claims.issuer = kE2eIssuer;
  claims.audience = {kE2eAudience};
  claims.issued_at = issued_at;
  absl::StatusOr<std::string> token = auth::MintHs256(claims, jwt_secret_, ttl);
  if (!token.ok()) {
    std::cerr << "minting a test token failed: " << token.status() << "\n";
    std::abort();
  }
  return *std::move(token);
}

std::unique_ptr<catalog::v1::CatalogService::Stub> CatalogUnderTest::NewStub() const {
  return catalog::v1::CatalogService::NewStub(
      grpc::CreateChannel(service_->grpc_address(), grpc::InsecureChannelCredentials()));
}

}  // namespace gongkai::e2e
