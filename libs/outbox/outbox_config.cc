#include "libs/outbox/outbox_config.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace gongkai::outbox {

void ReadRelaySettings(config::ConfigReader& reader, RelayOptions* options) {
  const RelayOptions defaults;
  options->lease =
      reader.Duration("outbox_lease", defaults.lease, absl::Seconds(2), absl::Minutes(10));
  options->poll_interval = reader.Duration("outbox_poll_interval", defaults.poll_interval,
                                           absl::Milliseconds(50), absl::Minutes(1));
  options->claim_spacing = reader.Duration("outbox_claim_spacing", defaults.claim_spacing,
                                           absl::ZeroDuration(), absl::Milliseconds(500));
  options->batch_size =
      static_cast<int>(reader.Int("outbox_batch_size", defaults.batch_size, 1, 1000));
  options->delivery_threads =
      static_cast<int>(reader.Int("outbox_delivery_threads", defaults.delivery_threads, 1, 64));
  options->backoff.max =
      reader.Duration("outbox_max_backoff", defaults.backoff.max, absl::Seconds(1), absl::Hours(1));
  // The first wait stays the default unless it would exceed the maximum.
  options->backoff.initial = std::min(options->backoff.initial, options->backoff.max);
  options->retention = reader.Duration("outbox_retention", defaults.retention, absl::Hours(1),
                                       absl::Hours(24 * 365));
  if (options->claim_spacing >= options->poll_interval) {
    reader.AddError(absl::StrCat("GONGKAI_OUTBOX_CLAIM_SPACING (",
                                 absl::FormatDuration(options->claim_spacing),
                                 ") must be shorter than GONGKAI_OUTBOX_POLL_INTERVAL (",
                                 absl::FormatDuration(options->poll_interval), ")"));
  }
  if (options->lease <= options->poll_interval) {
    reader.AddError(absl::StrCat("GONGKAI_OUTBOX_LEASE (", absl::FormatDuration(options->lease),
                                 ") must be longer than GONGKAI_OUTBOX_POLL_INTERVAL (",
                                 absl::FormatDuration(options->poll_interval), ")"));
  }
}

}  // namespace gongkai::outbox
