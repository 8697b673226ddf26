// UnitRepository on MySQL-compatible databases through libs/db (table units, schema in
// services/catalog/migrations/). Each create is one transaction with its idempotency
// record, retried on deadlock/write conflict.
//
// Thread-safe: each call leases its own connection from the pool.
#ifndef GONGKAI_SERVICES_CATALOG_UNITS_MYSQL_UNIT_REPOSITORY_H_
#define GONGKAI_SERVICES_CATALOG_UNITS_MYSQL_UNIT_REPOSITORY_H_

#include <memory>

#include "libs/db/connection_pool.h"
#include "services/catalog/units/unit_repository.h"

namespace gongkai::catalog::units {

// `pool` must outlive the repository.
std::unique_ptr<UnitRepository> NewMysqlUnitRepository(db::ConnectionPool* pool);

}  // namespace gongkai::catalog::units

#endif  // GONGKAI_SERVICES_CATALOG_UNITS_MYSQL_UNIT_REPOSITORY_H_
