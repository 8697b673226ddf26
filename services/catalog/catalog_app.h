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

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/config/config.h"
#include "libs/outbox/outbox.h"
#include "libs/server/service_runner.h"

namespace gongkai::catalog {

// The catalog's own settings besides the shared ones (docs/services/catalog.md).
struct CatalogConfig {
  // Keys the stored stand-in for applicants' identity document numbers (NAT-9).
  std::string applicant_key_secret;
  int64_t document_cache_bytes = 8 << 20;
  // NAT-10: how long a cached published policy document still in force may be served
  // before it is read again, the bound on how late a repeal made on another replica is
  // seen here (documents/caching_document_repository.h); 0 reads such documents
  // through. GONGKAI_DOCUMENT_CACHE_MAX_STALENESS.
  absl::Duration document_cache_max_staleness = absl::Seconds(1);
  // Issue 14 P5: public list pages and search results held on the same lease
  // (documents/caching_document_repository.h); 0 turns them off.
  // GONGKAI_DOCUMENT_LIST_CACHE_BYTES.
  int64_t document_list_cache_bytes = 4 << 20;
  // INT-3: the deadline of each call to the interpretation service (the release gate
  // and the delivery of publications), GONGKAI_INTERPRETATION_CALL_TIMEOUT.
  absl::Duration interpretation_call_timeout = absl::Seconds(3);
  // The outbox relay's settings (GONGKAI_OUTBOX_*, libs/outbox/outbox_config.h); its
  // handler is added by the app.
  outbox::RelayOptions relay_options;
};

// Reads GONGKAI_APPLICANT_KEY_SECRET(_FILE) (required, at least 32 bytes),
// GONGKAI_DOCUMENT_CACHE_BYTES, GONGKAI_DOCUMENT_CACHE_MAX_STALENESS,
// GONGKAI_DOCUMENT_LIST_CACHE_BYTES,
// GONGKAI_INTERPRETATION_CALL_TIMEOUT and
// the relay's GONGKAI_OUTBOX_* settings; problems go to `reader`.
void ReadCatalogConfig(config::ConfigReader& reader, CatalogConfig& config);

// The catalog: documents and the disclosure catalog (CAT-1..CAT-7), disclosure on
// request (CAT-8, NAT-5..NAT-9), the annual report (CAT-9, NAT-10), its compliance
// evidence (ASM-6) and the suite's calendar (its owner, ADR 0021). It calls its peer
// "interpretation" (the release gate and the outbox relay, INT-3).
absl::StatusOr<std::unique_ptr<server::ServiceApp>> NewCatalogApp(
    const server::ServiceEnvironment& env, const CatalogConfig& config);

}  // namespace gongkai::catalog

#endif  // GONGKAI_SERVICES_CATALOG_CATALOG_APP_H_
