// CatalogRepository on MySQL-compatible databases (MariaDB, MySQL 8, TiDB) through
// libs/db. Schema: services/catalog/migrations/. Every mutating call is one
// transaction, retried on deadlock/write conflict (db::WithRetries).
//
// Thread-safe: each call leases its own connection from the pool.
#ifndef GONGKAI_SERVICES_CATALOG_MYSQL_REPOSITORY_H_
#define GONGKAI_SERVICES_CATALOG_MYSQL_REPOSITORY_H_

#include <memory>

#include "libs/db/connection_pool.h"
#include "services/catalog/repository.h"

namespace gongkai::catalog {

// `pool` must outlive the repository.
std::unique_ptr<CatalogRepository> NewMysqlCatalogRepository(db::ConnectionPool* pool);

}  // namespace gongkai::catalog

#endif  // GONGKAI_SERVICES_CATALOG_MYSQL_REPOSITORY_H_
