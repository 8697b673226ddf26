// AnnualReportRepository on MySQL-compatible databases (MariaDB, MySQL 8, TiDB) through
// libs/db. Aggregates are GROUP BY queries over documents, disclosure_requests and
// disclosure_challenges (migrations 0001 and 0005, read only); reports live in
// annual_reports / annual_report_audit (migrations 0006 and 0007). Every write is one
// transaction, retried on deadlock / write conflict (db::WithRetries).
//
//   std::unique_ptr<AnnualReportRepository> repository = NewMysqlAnnualReportRepository(pool);
//
// Thread-safe: each call leases its own connection from the pool.
#ifndef GONGKAI_SERVICES_CATALOG_ANNUAL_REPORT_MYSQL_REPORT_REPOSITORY_H_
#define GONGKAI_SERVICES_CATALOG_ANNUAL_REPORT_MYSQL_REPORT_REPOSITORY_H_

#include <memory>

#include "libs/db/connection_pool.h"
#include "services/catalog/annual_report/report_repository.h"

namespace gongkai::catalog::annual_report {

// `pool` must outlive the repository.
std::unique_ptr<AnnualReportRepository> NewMysqlAnnualReportRepository(db::ConnectionPool* pool);

}  // namespace gongkai::catalog::annual_report

#endif  // GONGKAI_SERVICES_CATALOG_ANNUAL_REPORT_MYSQL_REPORT_REPOSITORY_H_
