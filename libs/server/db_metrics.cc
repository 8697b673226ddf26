#include "libs/server/db_metrics.h"

#include <string>
#include <vector>

namespace gongkai::server {

void RegisterDbPoolMetrics(metrics::Registry& registry, const db::ConnectionPool& pool) {
  registry.AddCollector([&pool] {
    using metrics::CollectedFamily;
    using metrics::MetricType;
    const db::PoolStats s = pool.Stats();
    const std::string name = pool.name();
    auto one = [&](const char* metric, const char* help, MetricType type, int64_t value) {
      return CollectedFamily{metric, help, type, {"pool"}, {{{name}, static_cast<double>(value)}}};
    };
    return std::vector<CollectedFamily>{
        {"gongkai_db_pool_connections",
         "Open database connections by state.",
         MetricType::kGauge,
         {"pool", "state"},
         {{{name, "in_use"}, static_cast<double>(s.in_use)},
          {{name, "idle"}, static_cast<double>(s.idle)}}},
        one("gongkai_db_pool_max_connections", "Configured maximum of open connections.",
            MetricType::kGauge, s.max),
        one("gongkai_db_pool_waits_total", "Connection acquisitions that had to wait.",
            MetricType::kCounter, s.waits_total),
        one("gongkai_db_pool_wait_timeouts_total",
            "Connection acquisitions that timed out (UNAVAILABLE).", MetricType::kCounter,
            s.wait_timeouts_total),
        one("gongkai_db_pool_errors_total",
            "Failed connection opens and connections discarded as broken.", MetricType::kCounter,
            s.errors_total),
        one("gongkai_db_pool_connections_opened_total", "Connections opened successfully.",
            MetricType::kCounter, s.connections_opened_total),
        one("gongkai_db_pool_failovers_total",
            "Times the pool moved to another server of its host list (GONGKAI_DB_HOST a,b,c).",
            MetricType::kCounter, s.failovers_total),
        one("gongkai_db_statements_killed_total",
            "Statements stopped on the server (KILL QUERY) at their call's deadline.",
            MetricType::kCounter, s.statements_killed_total),
        one("gongkai_db_statement_kill_failures_total",
            "KILL QUERY statements for a call past its deadline that failed.", MetricType::kCounter,
            s.statement_kill_failures_total),
    };
  });
}

}  // namespace gongkai::server
