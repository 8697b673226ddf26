// The assessment service's object graph as one server::ServiceApp
// (libs/server/service_runner.h): repository, rules, handlers, the evidence fetcher over
// the peers, the unit directory (libs/directory) and the background worker that carries
// out assessment runs. main.cc names the service and hands this to server::RunService.
//
// Thread-safety: as server::ServiceApp.
#ifndef GONGKAI_SERVICES_ASSESSMENT_ASSESSMENT_APP_H_
#define GONGKAI_SERVICES_ASSESSMENT_ASSESSMENT_APP_H_

#include <memory>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/config/config.h"
#include "libs/server/service_runner.h"

namespace gongkai::assessment {

// The assessment's own settings (docs/services/assessment.md).
struct AssessmentConfig {
  int parallel_calls = 16;                              // GONGKAI_ASSESSMENT_PARALLEL_CALLS
  absl::Duration evidence_deadline = absl::Seconds(5);  // GONGKAI_ASSESSMENT_EVIDENCE_DEADLINE
  absl::Duration retry_interval = absl::Seconds(30);    // GONGKAI_ASSESSMENT_RETRY_INTERVAL
  absl::Duration retry_for = absl::Hours(24);           // GONGKAI_ASSESSMENT_RETRY_FOR
  absl::Duration poll = absl::Seconds(1);               // GONGKAI_ASSESSMENT_POLL
};

void ReadAssessmentConfig(config::ConfigReader& reader, AssessmentConfig& config);

// The services whose evidence the built-in schemes route items to, besides the catalog
// (which also serves the unit directory). Every one needs an address in GONGKAI_PEERS.
std::vector<std::string> AssessmentPeers();

absl::StatusOr<std::unique_ptr<server::ServiceApp>> NewAssessmentApp(
    const server::ServiceEnvironment& env, const AssessmentConfig& config);

}  // namespace gongkai::assessment

#endif  // GONGKAI_SERVICES_ASSESSMENT_ASSESSMENT_APP_H_
