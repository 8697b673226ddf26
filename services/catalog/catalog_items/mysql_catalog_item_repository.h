// CatalogItemRepository on MySQL-compatible databases through libs/db (tables
// categories, catalog_items, catalog_item_revisions; schema in
// services/catalog/migrations/). Every mutating call is one transaction, retried on
// deadlock/write conflict.
//
// Thread-safe: each call leases its own connection from the pool.
#ifndef GONGKAI_SERVICES_CATALOG_CATALOG_ITEMS_MYSQL_CATALOG_ITEM_REPOSITORY_H_
#define GONGKAI_SERVICES_CATALOG_CATALOG_ITEMS_MYSQL_CATALOG_ITEM_REPOSITORY_H_

#include <memory>

#include "absl/status/statusor.h"
#include "libs/db/connection.h"
#include "libs/db/connection_pool.h"
#include "services/catalog/catalog_items/catalog_item_repository.h"

namespace gongkai::catalog::catalog_items {

// `pool` must outlive the repository.
std::unique_ptr<CatalogItemRepository> NewMysqlCatalogItemRepository(db::ConnectionPool* pool);

// Stores revision 1 of a new item (CatalogItems::PrepareNewCatalogItem) on `conn`,
// inside the caller's transaction (a self-review's decision that creates the item,
// CAT-7). Returns the new item's id.
absl::StatusOr<int64_t> InsertCatalogItem(db::Connection& conn, const v1::CatalogItem& item);

}  // namespace gongkai::catalog::catalog_items

#endif  // GONGKAI_SERVICES_CATALOG_CATALOG_ITEMS_MYSQL_CATALOG_ITEM_REPOSITORY_H_
