// AnnualReportRepository on MySQL-compatible databases (MariaDB, MySQL 8, TiDB) through
// libs/db. Reports live in annual_reports / annual_report_audit (migrations 0006 and
// 0007); every write is one transaction, retried on deadlock / write conflict
// (db::WithRetries). The tallies and units come from the modules that own that data,
// through their interfaces (ReportSources): requests (Tables 3 and 4), documents
// (Table 2), units; this file reads no table of theirs.
//
//   std::unique_ptr<AnnualReportRepository> repository = NewMysqlAnnualReportRepository(
//       pool, {request_repository, document_repository, unit_repository});
//
// Thread-safe: each call leases its own connection from the pool.
#ifndef GONGKAI_SERVICES_CATALOG_ANNUAL_REPORT_MYSQL_REPORT_REPOSITORY_H_
#define GONGKAI_SERVICES_CATALOG_ANNUAL_REPORT_MYSQL_REPORT_REPOSITORY_H_

#include <memory>

#include "libs/db/connection_pool.h"
#include "services/catalog/annual_report/report_repository.h"
#include "services/catalog/documents/document_repository.h"
#include "services/catalog/requests/request_repository.h"
#include "services/catalog/units/unit_repository.h"

namespace gongkai::catalog::annual_report {

// Where the report's figures come from; each must outlive the repository.
struct ReportSources {
  requests::RequestRepository* requests = nullptr;
  documents::DocumentRepository* documents = nullptr;
  units::UnitRepository* units = nullptr;
};

// `pool` must outlive the repository.
std::unique_ptr<AnnualReportRepository> NewMysqlAnnualReportRepository(
    db::ConnectionPool* pool, const ReportSources& sources);

}  // namespace gongkai::catalog::annual_report

#endif  // GONGKAI_SERVICES_CATALOG_ANNUAL_REPORT_MYSQL_REPORT_REPOSITORY_H_
