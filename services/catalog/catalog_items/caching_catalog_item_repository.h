// A CatalogItemRepository decorator that remembers categories once read: the API never
// changes or deletes a category, so one found once exists for good
// (directory_cache.h). Documents check their category through GetCategory on every
// write, which this turns into a memory lookup. Everything else passes straight
// through. Thread-safe.
#ifndef GONGKAI_SERVICES_CATALOG_CATALOG_ITEMS_CACHING_CATALOG_ITEM_REPOSITORY_H_
#define GONGKAI_SERVICES_CATALOG_CATALOG_ITEMS_CACHING_CATALOG_ITEM_REPOSITORY_H_

#include <memory>

#include "services/catalog/catalog_items/catalog_item_repository.h"

namespace gongkai::catalog::catalog_items {

// `inner` must outlive the result.
std::unique_ptr<CatalogItemRepository> NewCachingCatalogItemRepository(
    CatalogItemRepository* inner);

}  // namespace gongkai::catalog::catalog_items

#endif  // GONGKAI_SERVICES_CATALOG_CATALOG_ITEMS_CACHING_CATALOG_ITEM_REPOSITORY_H_
