// The interpretation service's object graph (INT-1 to INT-4): the repository, the
// catalog lookup over gRPC (a peer, called as the service principal with a deadline),
// the rules, the gRPC handler, the compliance evidence (item 9) and the metrics.
#ifndef GONGKAI_SERVICES_INTERPRETATION_INTERPRETATION_APP_H_
#define GONGKAI_SERVICES_INTERPRETATION_INTERPRETATION_APP_H_

#include <memory>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/config/config.h"
#include "libs/server/service_runner.h"

namespace gongkai::interpretation {

struct InterpretationConfig {
  // Deadline of each call to the catalog (GONGKAI_CATALOG_CALL_TIMEOUT, default 3s).
  absl::Duration catalog_call_timeout = absl::Seconds(3);
};

void ReadInterpretationConfig(config::ConfigReader& reader, InterpretationConfig& config);

absl::StatusOr<std::unique_ptr<server::ServiceApp>> NewInterpretationApp(
    const server::ServiceEnvironment& env, const InterpretationConfig& config);

}  // namespace gongkai::interpretation

#endif  // GONGKAI_SERVICES_INTERPRETATION_INTERPRETATION_APP_H_
