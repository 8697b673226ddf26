// CatalogItemRepository on MySQL-compatible databases through libs/db (tables
// categories, catalog_items, catalog_item_revisions; schema in
// services/catalog/migrations/). Every mutating call is one transaction, retried on
// deadlock/write conflict.
//
// Thread-safe: each call leases its own connection from the pool.
#ifndef GONGKAI_SERVICES_CATALOG_CATALOG_ITEMS_MYSQL_CATALOG_ITEM_REPOSITORY_H_
#define GONGKAI_SERVICES_CATALOG_CATALOG_ITEMS_MYSQL_CATALOG_ITEM_REPOSITORY_H_

#include <memory>

#include "libs/db/connection_pool.h"
#include "services/catalog/catalog_items/catalog_item_repository.h"

namespace gongkai::catalog::catalog_items {

// `pool` must outlive the repository.
std::unique_ptr<CatalogItemRepository> NewMysqlCatalogItemRepository(db::ConnectionPool* pool);

}  // namespace gongkai::catalog::catalog_items

#endif  // GONGKAI_SERVICES_CATALOG_CATALOG_ITEMS_MYSQL_CATALOG_ITEM_REPOSITORY_H_
