#include "services/catalog/mysql_catalog_repositories.h"

#include "services/catalog/calendars/mysql_calendar_repository.h"
#include "services/catalog/catalog_items/caching_catalog_item_repository.h"
#include "services/catalog/catalog_items/mysql_catalog_item_repository.h"
#include "services/catalog/documents/mysql_document_repository.h"
#include "services/catalog/self_review/mysql_self_review_repository.h"
#include "services/catalog/units/caching_unit_repository.h"
#include "services/catalog/units/mysql_unit_repository.h"

namespace gongkai::catalog {

namespace {
documents::DocumentCacheOptions CacheOptions(size_t max_bytes, absl::Duration max_staleness,
                                             size_t max_list_bytes) {
  documents::DocumentCacheOptions options;
  options.max_bytes = max_bytes;
  options.max_staleness = max_staleness;
  options.max_list_bytes = max_list_bytes;
  return options;
}
}  // namespace

MysqlCatalogRepositories::MysqlCatalogRepositories(db::ConnectionPool* pool,
                                                   size_t document_cache_bytes,
                                                   absl::Duration document_cache_max_staleness,
                                                   size_t document_list_cache_bytes)
    : units_(units::NewMysqlUnitRepository(pool)),
      cached_units_(units::NewCachingUnitRepository(units_.get())),
      catalog_items_(catalog_items::NewMysqlCatalogItemRepository(pool)),
      cached_catalog_items_(catalog_items::NewCachingCatalogItemRepository(catalog_items_.get())),
      documents_(documents::NewMysqlDocumentRepository(pool)),
      cached_documents_(documents::NewCachingDocumentRepository(
          documents_.get(),
          CacheOptions(document_cache_bytes, document_cache_max_staleness,
                       document_list_cache_bytes),
          &document_cache_)),
      calendars_(calendars::NewMysqlCalendarRepository(pool)),
      self_reviews_(self_review::NewMysqlSelfReviewRepository(pool)),
      cached_{cached_units_.get(), cached_catalog_items_.get(), cached_documents_.get(),
              calendars_.get(), self_reviews_.get()} {}

}  // namespace gongkai::catalog
