// The consultation service's object graph (main.cc builds it through
// server::RunService): the MySQL repository, the unit directory read from the catalog
// (libs/directory, as the service principal), the domain, the gRPC handler, the
// compliance evidence (items 7, 8, 12), the gauges, and the outbox relay that delivers
// feedback statements to the catalog (CON-3, statement_delivery.h), and the indexer that
// writes comments' search terms in the background (comment_indexer.h).
#ifndef GONGKAI_SERVICES_CONSULTATION_CONSULTATION_APP_H_
#define GONGKAI_SERVICES_CONSULTATION_CONSULTATION_APP_H_

#include <memory>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/config/config.h"
#include "libs/directory/unit_directory.h"
#include "libs/outbox/outbox.h"
#include "libs/server/service_runner.h"
#include "services/consultation/consultations.h"

namespace gongkai::consultation {

// The consultation service's own settings besides the shared ones.
struct ConsultationConfig {
  // GONGKAI_CATALOG_CALL_TIMEOUT: the deadline of one delivery of a feedback statement
  // to the catalog (CON-3); 100ms..60s, default 5s.
  absl::Duration catalog_call_timeout = absl::Seconds(5);
  // GONGKAI_CONSULTATION_WINDOW_CACHE: how long a comment may use the consultation's
  // dates read earlier (Consultations' window_cache_ttl); 0..60s, default 1s.
  absl::Duration window_cache_ttl = absl::Seconds(1);
  // GONGKAI_SEARCH_INDEX_INTERVAL (10ms..60s, default 200ms) and
  // GONGKAI_SEARCH_INDEX_BATCH (1..1000, default 200): the search-term indexer's pause
  // when it has caught up and its batch (comment_indexer.h).
  absl::Duration search_index_interval = absl::Milliseconds(200);
  int search_index_batch = 200;
  // GONGKAI_OUTBOX_* (libs/outbox/outbox_config.h): the relay's poll, lease, back-off.
  outbox::RelayOptions relay_options;
};

void ReadConsultationConfig(config::ConfigReader& reader, ConsultationConfig& config);

absl::StatusOr<std::unique_ptr<server::ServiceApp>> NewConsultationApp(
    const server::ServiceEnvironment& env, const ConsultationConfig& config);

// A UnitLookup over a unit directory (the level as the CON-1 scope rule names it).
UnitLookup LookupIn(directory::UnitDirectory* directory);

}  // namespace gongkai::consultation

#endif  // GONGKAI_SERVICES_CONSULTATION_CONSULTATION_APP_H_
