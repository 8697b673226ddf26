// The catalog-items module's rules: the disclosure catalog's categories and its items
// with their revision history (CAT-5, CAT-6).
//
// Pure C++ over CatalogItemRepository, looking up responsible units through the units
// module's UnitRepository: no gRPC, no SQL. INVALID_ARGUMENT names each bad field and
// nothing is written; PERMISSION_DENIED unless the caller may manage the category or the
// responsible unit's items; ABORTED for a stale expected_revision.
// Thread-safe: holds no mutable state of its own.
#ifndef GONGKAI_SERVICES_CATALOG_CATALOG_ITEMS_CATALOG_ITEMS_H_
#define GONGKAI_SERVICES_CATALOG_CATALOG_ITEMS_CATALOG_ITEMS_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "gongkai/catalog/v1/catalog.pb.h"
#include "libs/auth/principal.h"
#include "libs/clock/clock.h"
#include "services/catalog/catalog_items/catalog_item_repository.h"
#include "services/catalog/units/unit_repository.h"

namespace gongkai::catalog::catalog_items {

class CatalogItems {
 public:
  // All must outlive the CatalogItems.
  CatalogItems(CatalogItemRepository* repository, units::UnitRepository* units, const Clock* clock)
      : repository_(repository), units_(units), clock_(clock) {}

  absl::StatusOr<v1::Category> CreateCategory(const auth::Principal& caller,
                                              const v1::CreateCategoryRequest& request);
  absl::StatusOr<v1::ListCategoriesResponse> ListCategories(
      const auth::Principal& caller, const v1::ListCategoriesRequest& request);
  absl::StatusOr<v1::CatalogItem> CreateCatalogItem(const auth::Principal& caller,
                                                    const v1::CreateCatalogItemRequest& request);
  absl::StatusOr<v1::CatalogItem> UpdateCatalogItem(const auth::Principal& caller,
                                                    const v1::UpdateCatalogItemRequest& request);
  absl::StatusOr<v1::CatalogItem> GetCatalogItem(const auth::Principal& caller,
                                                 const v1::GetCatalogItemRequest& request);
  absl::StatusOr<v1::ListCatalogItemsResponse> ListCatalogItems(
      const auth::Principal& caller, const v1::ListCatalogItemsRequest& request);
  absl::StatusOr<v1::ListCatalogItemRevisionsResponse> ListCatalogItemRevisions(
      const auth::Principal& caller, const v1::ListCatalogItemRevisionsRequest& request);

  // ---- For the self-review (self_review/, CAT-7): not an RPC. ----
  // Revision 1 of `item` as CreateCatalogItem makes it at `now`, after the same checks
  // (field violations named `field_prefix` + the field, e.g.
  // "new_catalog_item.content"; the caller's right to manage the responsible unit's
  // items; the category and unit exist). Not stored: the self-review stores it with its
  // decision (mysql_catalog_item_repository.h's InsertCatalogItem).
  absl::StatusOr<v1::CatalogItem> PrepareNewCatalogItem(const auth::Principal& caller,
                                                        const v1::CatalogItem& item,
                                                        absl::string_view field_prefix,
                                                        absl::Time now);

 private:
  CatalogItemRepository* repository_;
  units::UnitRepository* units_;
  const Clock* clock_;
};

}  // namespace gongkai::catalog::catalog_items

#endif  // GONGKAI_SERVICES_CATALOG_CATALOG_ITEMS_CATALOG_ITEMS_H_
