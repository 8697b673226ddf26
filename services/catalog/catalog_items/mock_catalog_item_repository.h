// gMock double of CatalogItemRepository for unit tests of the catalog-item rules and of
// the documents rules (which check a document's category).
#ifndef GONGKAI_SERVICES_CATALOG_CATALOG_ITEMS_MOCK_CATALOG_ITEM_REPOSITORY_H_
#define GONGKAI_SERVICES_CATALOG_CATALOG_ITEMS_MOCK_CATALOG_ITEM_REPOSITORY_H_

#include <optional>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "services/catalog/catalog_items/catalog_item_repository.h"

namespace gongkai::catalog::catalog_items {

class MockCatalogItemRepository : public CatalogItemRepository {
 public:
  MOCK_METHOD(absl::StatusOr<std::optional<std::string>>, FindIdempotentResponse,
              (const IdempotencyKey&), (override));
  MOCK_METHOD(absl::StatusOr<v1::Category>, CreateCategory,
              (const v1::Category&, const IdempotencyKey*), (override));
  MOCK_METHOD(absl::StatusOr<v1::Category>, GetCategory, (int64_t), (override));
  MOCK_METHOD(absl::StatusOr<std::vector<v1::Category>>, ListCategories, (), (override));
  MOCK_METHOD(absl::StatusOr<v1::CatalogItem>, CreateCatalogItem,
              (const v1::CatalogItem&, const IdempotencyKey*), (override));
  MOCK_METHOD(absl::StatusOr<v1::CatalogItem>, UpdateCatalogItem, (const v1::CatalogItem&, int64_t),
              (override));
  MOCK_METHOD(absl::StatusOr<v1::CatalogItem>, GetCatalogItem, (int64_t), (override));
  MOCK_METHOD(absl::StatusOr<std::vector<v1::CatalogItem>>, ListCatalogItems,
              (const CatalogItemFilter&, const KeysetPage&), (override));
  MOCK_METHOD(absl::StatusOr<std::vector<v1::CatalogItem>>, ListCatalogItemRevisions,
              (int64_t, const KeysetPage&), (override));
  MOCK_METHOD(absl::StatusOr<CatalogItemEvidence>, EvidenceForUnit,
              (int64_t, absl::Time, absl::Time), (override));
};

}  // namespace gongkai::catalog::catalog_items

#endif  // GONGKAI_SERVICES_CATALOG_CATALOG_ITEMS_MOCK_CATALOG_ITEM_REPOSITORY_H_
