// RequestRepository on MySQL-compatible databases (MariaDB, MySQL 8, TiDB) through
// libs/db, on the tables of services/catalog/migrations/0005_disclosure_requests.sql.
// Every mutating call is one transaction, retried on deadlock/write conflict.
//
//   std::unique_ptr<RequestRepository> repo = NewMysqlRequestRepository(pool.get());
//
// Thread-safe: each call leases its own connection from the pool.
#ifndef GONGKAI_SERVICES_CATALOG_REQUESTS_MYSQL_REQUEST_REPOSITORY_H_
#define GONGKAI_SERVICES_CATALOG_REQUESTS_MYSQL_REQUEST_REPOSITORY_H_

#include <memory>

#include "libs/db/connection_pool.h"
#include "services/catalog/requests/request_repository.h"

namespace gongkai::catalog::requests {

// `pool` must outlive the repository.
std::unique_ptr<RequestRepository> NewMysqlRequestRepository(db::ConnectionPool* pool);

}  // namespace gongkai::catalog::requests

#endif  // GONGKAI_SERVICES_CATALOG_REQUESTS_MYSQL_REQUEST_REPOSITORY_H_
