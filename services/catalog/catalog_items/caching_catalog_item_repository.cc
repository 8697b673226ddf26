#include "services/catalog/catalog_items/caching_catalog_item_repository.h"

#include <utility>

#include "services/catalog/directory_cache.h"

namespace gongkai::catalog::catalog_items {
namespace {

class CachingCatalogItemRepository final : public CatalogItemRepository {
 public:
  explicit CachingCatalogItemRepository(CatalogItemRepository* inner) : inner_(inner) {}

  absl::StatusOr<v1::Category> GetCategory(int64_t id) override {
    return categories_.GetOrLoad(id, [&] { return inner_->GetCategory(id); });
  }

  absl::StatusOr<std::optional<std::string>> FindIdempotentResponse(
      const IdempotencyKey& key) override {
    return inner_->FindIdempotentResponse(key);
  }
  absl::StatusOr<v1::Category> CreateCategory(const v1::Category& category,
                                              const IdempotencyKey* key) override {
    return inner_->CreateCategory(category, key);
  }
  absl::StatusOr<std::vector<v1::Category>> ListCategories() override {
    return inner_->ListCategories();
  }
  absl::StatusOr<v1::CatalogItem> CreateCatalogItem(const v1::CatalogItem& item,
                                                    const IdempotencyKey* key) override {
    return inner_->CreateCatalogItem(item, key);
  }
  absl::StatusOr<v1::CatalogItem> UpdateCatalogItem(const v1::CatalogItem& item,
                                                    int64_t expected_revision) override {
    return inner_->UpdateCatalogItem(item, expected_revision);
  }
  absl::StatusOr<v1::CatalogItem> GetCatalogItem(int64_t id) override {
    return inner_->GetCatalogItem(id);
  }
  absl::StatusOr<std::vector<v1::CatalogItem>> ListCatalogItems(const CatalogItemFilter& filter,
                                                                const KeysetPage& page) override {
    return inner_->ListCatalogItems(filter, page);
  }
  absl::StatusOr<std::vector<v1::CatalogItem>> ListCatalogItemRevisions(
      int64_t id, const KeysetPage& page) override {
    return inner_->ListCatalogItemRevisions(id, page);
  }
  absl::StatusOr<CatalogItemEvidence> EvidenceForUnit(int64_t unit_id, absl::Time start,
                                                      absl::Time end) override {
    return inner_->EvidenceForUnit(unit_id, start, end);
  }

 private:
  CatalogItemRepository* inner_;
  DirectoryCache<v1::Category> categories_;
};

}  // namespace

std::unique_ptr<CatalogItemRepository> NewCachingCatalogItemRepository(
    CatalogItemRepository* inner) {
  return std::make_unique<CachingCatalogItemRepository>(inner);
}

}  // namespace gongkai::catalog::catalog_items
