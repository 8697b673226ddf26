// Storage of the disclosure catalog (CAT-5, CAT-6): its categories and its items with
// every revision. The interface the catalog-item rules (catalog_items.h) depend on, and
// how documents/ checks a document's category. mysql_catalog_item_repository.h
// implements it on MySQL (tables categories, catalog_items, catalog_item_revisions);
// caching_catalog_item_repository.h remembers categories once read; unit tests use
// MockCatalogItemRepository. Contracts: repository_types.h.
#ifndef GONGKAI_SERVICES_CATALOG_CATALOG_ITEMS_CATALOG_ITEM_REPOSITORY_H_
#define GONGKAI_SERVICES_CATALOG_CATALOG_ITEMS_CATALOG_ITEM_REPOSITORY_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "gongkai/catalog/v1/catalog.pb.h"
#include "services/catalog/repository_types.h"

namespace gongkai::catalog::catalog_items {

struct CatalogItemFilter {
  int64_t category_id = 0;
  int64_t responsible_unit_id = 0;
};

// The catalog items of one responsible unit behind inspection item 5 (ASM-6, CAT-5).
struct CatalogItemEvidence {
  IdSample responsible;  // Items whose current responsible unit is the unit.
  IdSample revised;      // Those with a revision (creation included) in the period.
};

class CatalogItemRepository : public IdempotencyStore {
 public:
  // ---- Categories ----
  virtual absl::StatusOr<v1::Category> CreateCategory(const v1::Category& category,
                                                      const IdempotencyKey* key) = 0;
  // NOT_FOUND "category <id> not found".
  virtual absl::StatusOr<v1::Category> GetCategory(int64_t id) = 0;
  // Parents before children.
  virtual absl::StatusOr<std::vector<v1::Category>> ListCategories() = 0;

  // ---- Items ----
  // Revision 1 of a new item; change fields are taken from `item`.
  virtual absl::StatusOr<v1::CatalogItem> CreateCatalogItem(const v1::CatalogItem& item,
                                                            const IdempotencyKey* key) = 0;
  // Appends revision expected_revision + 1 if the current one is `expected_revision`.
  virtual absl::StatusOr<v1::CatalogItem> UpdateCatalogItem(const v1::CatalogItem& item,
                                                            int64_t expected_revision) = 0;
  virtual absl::StatusOr<v1::CatalogItem> GetCatalogItem(int64_t id) = 0;
  virtual absl::StatusOr<std::vector<v1::CatalogItem>> ListCatalogItems(
      const CatalogItemFilter& filter, const KeysetPage& page) = 0;
  // Newest first, at most `page.limit`, revisions below `page.after_id` (a revision
  // number) when continuing. NOT_FOUND when the item has no revision at all.
  virtual absl::StatusOr<std::vector<v1::CatalogItem>> ListCatalogItemRevisions(
      int64_t id, const KeysetPage& page) = 0;

  // The compliance evidence of unit `unit_id` (ASM-6 item 5): revisions changed in
  // [start, end).
  virtual absl::StatusOr<CatalogItemEvidence> EvidenceForUnit(int64_t unit_id, absl::Time start,
                                                              absl::Time end) = 0;
};

}  // namespace gongkai::catalog::catalog_items

#endif  // GONGKAI_SERVICES_CATALOG_CATALOG_ITEMS_CATALOG_ITEM_REPOSITORY_H_
