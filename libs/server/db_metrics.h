// Exports a database connection pool's statistics as Prometheus metrics, read at
// scrape time:
//   gongkai_db_pool_connections{pool,state="in_use"|"idle"}
//   gongkai_db_pool_max_connections{pool}
//   gongkai_db_pool_waits_total{pool}          acquires that had to wait
//   gongkai_db_pool_wait_timeouts_total{pool}  ... and gave up (UNAVAILABLE)
//   gongkai_db_pool_errors_total{pool}         failed opens and broken connections
//   gongkai_db_pool_connections_opened_total{pool}
//   gongkai_db_pool_failovers_total{pool}      times the pool moved to another server (ADR 0025)
//   gongkai_db_statements_killed_total{pool}   statements stopped at their call's deadline
//   gongkai_db_statement_kill_failures_total{pool}  ... KILL QUERY failed (statement_watchdog.h)
#ifndef GONGKAI_LIBS_SERVER_DB_METRICS_H_
#define GONGKAI_LIBS_SERVER_DB_METRICS_H_

#include "libs/db/connection_pool.h"
#include "libs/metrics/registry.h"

namespace gongkai::server {

// `pool` must outlive every scrape of `registry`.
void RegisterDbPoolMetrics(metrics::Registry& registry, const db::ConnectionPool& pool);

}  // namespace gongkai::server

#endif  // GONGKAI_LIBS_SERVER_DB_METRICS_H_
