// The interpretation service's object graph (INT-1 to INT-4): the repository, the
// catalog lookup over gRPC (a peer, called as the service principal with a deadline),
// the rules, the gRPC handler, the compliance evidence (item 9), the metrics, and the
// outbox relay that reports releases after the document to the catalog.
#ifndef GONGKAI_SERVICES_INTERPRETATION_INTERPRETATION_APP_H_
#define GONGKAI_SERVICES_INTERPRETATION_INTERPRETATION_APP_H_

#include <memory>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/config/config.h"
#include "libs/outbox/outbox.h"
#include "libs/server/service_runner.h"

namespace gongkai::interpretation {

struct InterpretationConfig {
  // Deadline of each call to the catalog (GONGKAI_CATALOG_CALL_TIMEOUT, default 3s).
  absl::Duration catalog_call_timeout = absl::Seconds(3);
  // The outbox relay's GONGKAI_OUTBOX_* settings (libs/outbox/outbox_config.h); its
  // handler (the report of a release after the document to the catalog) is added when
  // the service starts.
  outbox::RelayOptions relay_options;
};

void ReadInterpretationConfig(config::ConfigReader& reader, InterpretationConfig& config);

absl::StatusOr<std::unique_ptr<server::ServiceApp>> NewInterpretationApp(
    const server::ServiceEnvironment& env, const InterpretationConfig& config);

}  // namespace gongkai::interpretation

#endif  // GONGKAI_SERVICES_INTERPRETATION_INTERPRETATION_APP_H_
