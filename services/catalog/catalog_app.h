// The catalog's object graph as one server::ServiceApp (libs/server/service_runner.h):
// its modules, handlers and background work, built from the shared environment. main.cc
// only names the service and hands this to server::RunService.
//
//   CatalogConfig config;                       // read by ReadCatalogConfig
//   ASSIGN_OR_RETURN(std::unique_ptr<server::ServiceApp> app, NewCatalogApp(env, config));
//
// Thread-safety: as server::ServiceApp (the bootstrap calls it from its threads).
#ifndef GONGKAI_SERVICES_CATALOG_CATALOG_APP_H_
#define GONGKAI_SERVICES_CATALOG_CATALOG_APP_H_

#include <cstdint>
#include <memory>
#include <string>

#include "libs/config/config.h"
#include "libs/server/service_runner.h"

namespace gongkai::catalog {

// The catalog's own settings besides the shared ones (docs/services/catalog.md).
struct CatalogConfig {
  // Keys the stored stand-in for applicants' identity document numbers (NAT-9).
  std::string applicant_key_secret;
  int64_t document_cache_bytes = 8 << 20;
};

// Reads GONGKAI_APPLICANT_KEY_SECRET(_FILE) (required, at least 32 bytes) and
// GONGKAI_DOCUMENT_CACHE_BYTES; problems go to `reader`.
void ReadCatalogConfig(config::ConfigReader& reader, CatalogConfig& config);

// The catalog: documents and the disclosure catalog (CAT-1..CAT-7), disclosure on
// request (CAT-8, NAT-5..NAT-9), the annual report (CAT-9, NAT-10), its compliance
// evidence (ASM-6) and the suite's calendar (its owner, ADR 0021).
std::unique_ptr<server::ServiceApp> NewCatalogApp(const server::ServiceEnvironment& env,
                                                  const CatalogConfig& config);

}  // namespace gongkai::catalog

#endif  // GONGKAI_SERVICES_CATALOG_CATALOG_APP_H_
