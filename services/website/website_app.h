// The website service's object graph as one server::ServiceApp: the register, prober,
// scoring, runs, notices and compliance evidence, built from the shared environment.
//
//   WebsiteConfig config;                          // ReadWebsiteConfig
//   std::unique_ptr<server::ServiceApp> app = NewWebsiteApp(env, config);
//
// Background work (started in Start(), stopped in the destructor): the scheduled prober
// (unless prober_enabled is false) and the supervision-run worker.
#ifndef GONGKAI_SERVICES_WEBSITE_WEBSITE_APP_H_
#define GONGKAI_SERVICES_WEBSITE_WEBSITE_APP_H_

#include <memory>
#include <string>

#include "libs/config/config.h"
#include "libs/server/service_runner.h"

namespace gongkai::website {

// The service's own settings (docs/services/website.md).
struct WebsiteConfig {
  bool prober_enabled = true;                         // GONGKAI_PROBER_ENABLED
  int prober_workers = 8;                             // GONGKAI_PROBER_WORKERS
  int prober_max_concurrency = 16;                    // GONGKAI_PROBER_MAX_CONCURRENCY
  absl::Duration host_interval = absl::Seconds(1);    // GONGKAI_PROBER_HOST_INTERVAL
  absl::Duration connect_timeout = absl::Seconds(5);  // GONGKAI_PROBER_CONNECT_TIMEOUT
  int max_redirects = 5;                              // GONGKAI_PROBER_MAX_REDIRECTS
  std::string ca_file;                                // GONGKAI_PROBER_CA_FILE
  bool honour_robots = true;                          // GONGKAI_PROBER_HONOUR_ROBOTS
  absl::Duration claim_lease = absl::Minutes(5);      // GONGKAI_PROBER_CLAIM_LEASE
  // WEB-2 runs: sites per stored batch, the claim's lease (a killed replica's run is
  // taken over after it), the pause between batches.
  int supervision_batch = 50;                               // GONGKAI_SUPERVISION_BATCH
  absl::Duration supervision_lease = absl::Seconds(30);     // GONGKAI_SUPERVISION_LEASE
  absl::Duration supervision_pause = absl::ZeroDuration();  // GONGKAI_SUPERVISION_PAUSE
};

void ReadWebsiteConfig(config::ConfigReader& reader, WebsiteConfig& config);

// FAILED_PRECONDITION when the catalog's address (GONGKAI_PEERS) is missing.
absl::StatusOr<std::unique_ptr<server::ServiceApp>> NewWebsiteApp(
    const server::ServiceEnvironment& env, const WebsiteConfig& config);

}  // namespace gongkai::website

#endif  // GONGKAI_SERVICES_WEBSITE_WEBSITE_APP_H_
