// The relay's settings every service with an outbox reads the same way (target
// gongkai_outbox_config; for binaries: library code never reads configuration):
//
//   outbox::RelayOptions relay_options;   // handlers added in build()
//   definition.read_config = [&](config::ConfigReader& r) {
//     outbox::ReadRelaySettings(r, &relay_options);
//   };
//
// Keys (flag --outbox_lease or environment GONGKAI_OUTBOX_LEASE, and so on):
//   GONGKAI_OUTBOX_LEASE            claim lease, 6s (2s..10m), renewed every third of
//                                   it while calls run; longer than the poll interval
//   GONGKAI_OUTBOX_POLL_INTERVAL    look for due events without a Notify, 1s (50ms..1m)
//   GONGKAI_OUTBOX_CLAIM_SPACING    least time between two claims after one that found
//                                   less than a batch, 20ms (0..500ms; below the poll)
//   GONGKAI_OUTBOX_BATCH_SIZE       events claimed per round, 32 (1..1000)
//   GONGKAI_OUTBOX_DELIVERY_THREADS handler calls at once, 8 (1..64)
//   GONGKAI_OUTBOX_MAX_BACKOFF      longest wait between retries, 60s (1s..1h)
//   GONGKAI_OUTBOX_RETENTION        delivered events kept, 168h (1h..8760h)
// Problems go to the reader (reported with the other settings at start).
#ifndef GONGKAI_LIBS_OUTBOX_OUTBOX_CONFIG_H_
#define GONGKAI_LIBS_OUTBOX_OUTBOX_CONFIG_H_

#include "libs/config/config.h"
#include "libs/outbox/outbox.h"

namespace gongkai::outbox {

// Sets lease, poll_interval, claim_spacing, batch_size, delivery_threads, backoff.max and
// retention of `options` (the other fields are left as they are).
void ReadRelaySettings(config::ConfigReader& reader, RelayOptions* options);

}  // namespace gongkai::outbox

#endif  // GONGKAI_LIBS_OUTBOX_OUTBOX_CONFIG_H_
