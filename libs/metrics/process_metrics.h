// Standard process metrics read from Linux /proc at scrape time:
// process_resident_memory_bytes, process_virtual_memory_bytes,
// process_cpu_seconds_total, process_start_time_seconds, process_open_fds,
// process_max_fds (the names the official clients use, so dashboards work).
#ifndef GONGKAI_LIBS_METRICS_PROCESS_METRICS_H_
#define GONGKAI_LIBS_METRICS_PROCESS_METRICS_H_

#include "libs/metrics/registry.h"

namespace gongkai::metrics {

void RegisterProcessMetrics(Registry& registry);

}  // namespace gongkai::metrics

#endif  // GONGKAI_LIBS_METRICS_PROCESS_METRICS_H_
