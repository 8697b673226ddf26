// Owns the MySQL repositories of every module of the catalog service, and the caching
// decorators in front of them (documents: final documents, and policy documents in
// force on a lease of `document_cache_max_staleness`, LRU within `document_cache_bytes`;
// public list pages and search results on the same lease, LRU within
// `document_list_cache_bytes`; units and categories: remembered once read).
//
//   MysqlCatalogRepositories storage(pool, 8 << 20, absl::Seconds(1), 4 << 20);
//   CatalogModules catalog(storage.repositories(), ...);
//   RegisterDocumentCacheMetrics(registry, storage.document_cache());
//
// Thread-safe as the repositories are.
#ifndef GONGKAI_SERVICES_CATALOG_MYSQL_CATALOG_REPOSITORIES_H_
#define GONGKAI_SERVICES_CATALOG_MYSQL_CATALOG_REPOSITORIES_H_

#include <cstddef>
#include <memory>

#include "absl/time/time.h"
#include "libs/db/connection_pool.h"
#include "services/catalog/catalog_modules.h"
#include "services/catalog/documents/caching_document_repository.h"

namespace gongkai::catalog {

class MysqlCatalogRepositories {
 public:
  // `pool` must outlive this. `document_cache_bytes` 0 disables the document cache;
  // `document_cache_max_staleness` 0 keeps policy documents in force (and list pages)
  // out of it; `document_list_cache_bytes` 0 keeps list pages and search results out.
  MysqlCatalogRepositories(db::ConnectionPool* pool, size_t document_cache_bytes,
                           absl::Duration document_cache_max_staleness,
                           size_t document_list_cache_bytes);

  // The cached view every module uses; valid while this lives.
  const CatalogRepositories& repositories() const { return cached_; }
  const documents::DocumentCache& document_cache() const { return *document_cache_; }

 private:
  std::unique_ptr<units::UnitRepository> units_;
  std::unique_ptr<units::UnitRepository> cached_units_;
  std::unique_ptr<catalog_items::CatalogItemRepository> catalog_items_;
  std::unique_ptr<catalog_items::CatalogItemRepository> cached_catalog_items_;
  std::unique_ptr<documents::DocumentRepository> documents_;
  // Set while cached_documents_ is constructed, so declared (initialized) before it.
  const documents::DocumentCache* document_cache_ = nullptr;
  std::unique_ptr<documents::DocumentRepository> cached_documents_;
  std::unique_ptr<calendars::CalendarRepository> calendars_;
  std::unique_ptr<self_review::SelfReviewRepository> self_reviews_;
  CatalogRepositories cached_;
};

}  // namespace gongkai::catalog

#endif  // GONGKAI_SERVICES_CATALOG_MYSQL_CATALOG_REPOSITORIES_H_
