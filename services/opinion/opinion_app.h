// The opinion service's object graph as one server::ServiceApp (libs/server/
// service_runner.h): the repository, the catalog's unit directory (OPI-2 routing), the
// domain, the clock scheduler (started with the service, stopped before it is
// destroyed), metrics, the compliance evidence (item 10) and the handlers.
#ifndef GONGKAI_SERVICES_OPINION_OPINION_APP_H_
#define GONGKAI_SERVICES_OPINION_OPINION_APP_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/config/config.h"
#include "libs/outbox/outbox.h"
#include "libs/server/service_runner.h"

namespace gongkai::opinion {

// The opinion service's own settings besides the shared ones (docs/services/opinion.md).
struct OpinionConfig {
  // GONGKAI_OPINION_REPLICA: names this replica in the escalations it records (default:
  // the host name).
  std::string replica;
  // GONGKAI_OPINION_SCHEDULER_POLL: the longest the scheduler sleeps (how soon it sees
  // clocks started on another replica); 100ms..60s, default 1s.
  absl::Duration scheduler_poll = absl::Seconds(1);
  // GONGKAI_INTERPRETATION_CALL_TIMEOUT: the deadline of one delivery of a supplementary
  // interpretation request (INT-2); 100ms..60s, default 5s.
  absl::Duration interpretation_call_timeout = absl::Seconds(5);
  // GONGKAI_OUTBOX_* (libs/outbox/outbox_config.h): the relay's poll, lease, back-off.
  outbox::RelayOptions relay_options;
};

void ReadOpinionConfig(config::ConfigReader& reader, OpinionConfig& config);

absl::StatusOr<std::unique_ptr<server::ServiceApp>> NewOpinionApp(
    const server::ServiceEnvironment& env, const OpinionConfig& config);

}  // namespace gongkai::opinion

#endif  // GONGKAI_SERVICES_OPINION_OPINION_APP_H_
