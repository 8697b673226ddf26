// A DocumentRepository decorator that keeps published documents in memory.
//
// Only final documents are cached: PUBLISHED and either not a policy document or
// already repealed. A final document never changes (edits are only allowed in DRAFT and
// RETURNED, nothing moves a document out of PUBLISHED, and the one change a published
// document can still get, RepealDocument (NAT-10), happens once and only to a policy
// document), so a cached copy can never be stale, on this replica or any other. A
// published policy document still in force is read through every time, since any
// replica may repeal it; once repealed it is final and cached. As a safeguard,
// UpdateDocument through this decorator also drops the document from this replica's
// cache. Portals read published documents far more often than anything else; the
// cache turns those reads into a memory lookup. Everything else passes straight through.
// (Units and categories are remembered by their own modules' decorators,
// units/caching_unit_repository.h and catalog_items/caching_catalog_item_repository.h.)
//
// Bounded by the total size of the cached messages (least recently used first out).
// Thread-safe.
#ifndef GONGKAI_SERVICES_CATALOG_DOCUMENTS_CACHING_DOCUMENT_REPOSITORY_H_
#define GONGKAI_SERVICES_CATALOG_DOCUMENTS_CACHING_DOCUMENT_REPOSITORY_H_

#include <cstddef>
#include <memory>

#include "services/catalog/documents/document_repository.h"

namespace gongkai::catalog::documents {

struct DocumentCacheStats {
  int64_t hits = 0;
  int64_t misses = 0;
  int64_t entries = 0;
  int64_t bytes = 0;
};

class DocumentCache {
 public:
  virtual ~DocumentCache() = default;
  virtual DocumentCacheStats Stats() const = 0;
};

// `inner` must outlive the result. `max_bytes` 0 disables caching.
std::unique_ptr<DocumentRepository> NewCachingDocumentRepository(DocumentRepository* inner,
                                                                 size_t max_bytes,
                                                                 const DocumentCache** cache);

}  // namespace gongkai::catalog::documents

#endif  // GONGKAI_SERVICES_CATALOG_DOCUMENTS_CACHING_DOCUMENT_REPOSITORY_H_
