// Unit tests of the catalog-item rules (CAT-5, CAT-6): mock repositories and a fake
// clock.
#include "services/catalog/catalog_items/catalog_items.h"

#include <optional>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/status/errors.h"
#include "services/catalog/catalog_items/mock_catalog_item_repository.h"
#include "services/catalog/catalog_test_support.h"
#include "services/catalog/units/mock_unit_repository.h"

namespace gongkai::catalog::catalog_items {
namespace {

using catalog_testing::kOtherUnit;
using catalog_testing::kUnit;
using catalog_testing::ShanghaiTime;
using catalog_testing::Staff;
using ::testing::_;
using ::testing::HasSubstr;
using ::testing::NiceMock;
using ::testing::Return;

class CatalogItemsTest : public ::testing::Test {
 protected:
  CatalogItemsTest() : clock_(ShanghaiTime(2024, 9, 30)), items_(&repo_, &units_, &clock_) {
    ON_CALL(repo_, FindIdempotentResponse(_)).WillByDefault(Return(std::optional<std::string>()));
    v1::Unit unit;
    unit.set_id(kUnit);
    ON_CALL(units_, GetUnit(kUnit)).WillByDefault(Return(unit));
    v1::Category category;
    category.set_id(4);
    ON_CALL(repo_, GetCategory(4)).WillByDefault(Return(category));
  }

  static v1::CreateCatalogItemRequest Create(int64_t category_id, int64_t unit_id) {
    v1::CreateCatalogItemRequest request;
    v1::CatalogItem* item = request.mutable_item();
    item->set_category_id(category_id);
    item->set_responsible_unit_id(unit_id);
    item->set_content("义务教育阶段学校招生入学政策");
    item->set_time_limit("信息形成或变更之日起20个工作日内");
    item->set_method("政府网站");
    return request;
  }

  NiceMock<MockCatalogItemRepository> repo_;
  NiceMock<units::MockUnitRepository> units_;
  FakeClock clock_;
  CatalogItems items_;
};

TEST_F(CatalogItemsTest, Cat5NewItemIsRevisionOneByTheCaller) {
  v1::CatalogItem stored;
  EXPECT_CALL(repo_, CreateCatalogItem(_, _))
      .WillOnce([&](const v1::CatalogItem& item, const IdempotencyKey*) {
        stored = item;
        return absl::StatusOr<v1::CatalogItem>(item);
      });
  absl::StatusOr<v1::CatalogItem> created = items_.CreateCatalogItem(Staff(), Create(4, kUnit));
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(stored.revision(), 1);
  EXPECT_EQ(stored.changed_by(), "staff-a");
}

TEST_F(CatalogItemsTest, UnknownCategoryAndUnitAreNamedAndNothingIsWritten) {
  EXPECT_CALL(repo_, CreateCatalogItem(_, _)).Times(0);
  EXPECT_CALL(repo_, GetCategory(5)).WillOnce(Return(absl::NotFoundError("category 5")));
  EXPECT_CALL(units_, GetUnit(kUnit)).WillOnce(Return(absl::NotFoundError("unit 7")));
  absl::Status status = items_.CreateCatalogItem(Staff(), Create(5, kUnit)).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  ASSERT_EQ(FieldViolationsOf(status).size(), 2u);
  EXPECT_EQ(FieldViolationsOf(status)[0].field, "item.category_id");
  EXPECT_EQ(FieldViolationsOf(status)[1].field, "item.responsible_unit_id");
}

TEST_F(CatalogItemsTest, StaffCannotManageAnotherUnitsItems) {
  EXPECT_CALL(repo_, CreateCatalogItem(_, _)).Times(0);
  EXPECT_EQ(items_.CreateCatalogItem(Staff(), Create(4, kOtherUnit)).status().code(),
            absl::StatusCode::kPermissionDenied);
}

TEST_F(CatalogItemsTest, Cat6StaleRevisionIsAborted) {
  v1::CatalogItem current = Create(4, kUnit).item();
  current.set_id(9);
  current.set_revision(3);
  ON_CALL(repo_, GetCatalogItem(9)).WillByDefault(Return(current));
  EXPECT_CALL(repo_, UpdateCatalogItem(_, _)).Times(0);
  v1::UpdateCatalogItemRequest request;
  *request.mutable_item() = current;
  request.set_expected_revision(2);
  absl::Status status = items_.UpdateCatalogItem(Staff(), request).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kAborted);
  EXPECT_THAT(std::string(status.message()), HasSubstr("revision 3"));
}

// CAT-6: an update moving the item to another unit checks that unit like create does.
TEST_F(CatalogItemsTest, Cat6UpdateToAnUnknownResponsibleUnitIsNamedAndNothingIsWritten) {
  v1::CatalogItem current = Create(4, kUnit).item();
  current.set_id(9);
  current.set_revision(3);
  ON_CALL(repo_, GetCatalogItem(9)).WillByDefault(Return(current));
  EXPECT_CALL(units_, GetUnit(99)).WillOnce(Return(absl::NotFoundError("unit 99")));
  EXPECT_CALL(repo_, UpdateCatalogItem(_, _)).Times(0);
  v1::UpdateCatalogItemRequest request;
  *request.mutable_item() = current;
  request.mutable_item()->set_responsible_unit_id(99);
  absl::Status status = items_.UpdateCatalogItem(catalog_testing::Office(), request).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  ASSERT_EQ(FieldViolationsOf(status).size(), 1u);
  EXPECT_EQ(FieldViolationsOf(status)[0].field, "item.responsible_unit_id");
  EXPECT_THAT(FieldViolationsOf(status)[0].description, HasSubstr("unit 99 does not exist"));
}

TEST_F(CatalogItemsTest, Cat6RevisionsAreReadInKeysetPagesBoundToTheItem) {
  std::vector<v1::CatalogItem> revisions(3);
  for (int i = 0; i < 3; ++i) revisions[i].set_revision(5 - i);  // Newest first: 5, 4, 3.
  EXPECT_CALL(repo_, ListCatalogItemRevisions(9, _))
      .WillOnce([&](int64_t, const KeysetPage& page) {
        EXPECT_EQ(page.after_id, 0);
        EXPECT_EQ(page.limit, 3);  // One more than the page, to learn whether one follows.
        return absl::StatusOr<std::vector<v1::CatalogItem>>(revisions);
      })
      .WillOnce([&](int64_t, const KeysetPage& page) {
        EXPECT_EQ(page.after_id, 4);  // Continues below the last revision shown.
        return absl::StatusOr<std::vector<v1::CatalogItem>>(
            std::vector<v1::CatalogItem>{revisions[2]});
      });
  v1::ListCatalogItemRevisionsRequest request;
  request.set_id(9);
  request.set_page_size(2);
  absl::StatusOr<v1::ListCatalogItemRevisionsResponse> first =
      items_.ListCatalogItemRevisions(Staff(), request);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->revisions_size(), 2);
  ASSERT_FALSE(first->next_page_token().empty());
  request.set_page_token(first->next_page_token());
  absl::StatusOr<v1::ListCatalogItemRevisionsResponse> last =
      items_.ListCatalogItemRevisions(Staff(), request);
  ASSERT_TRUE(last.ok()) << last.status();
  EXPECT_EQ(last->revisions(0).revision(), 3);
  EXPECT_TRUE(last->next_page_token().empty());
  request.set_id(10);  // Another item's token is refused, not read as a revision number.
  absl::Status other = items_.ListCatalogItemRevisions(Staff(), request).status();
  ASSERT_EQ(FieldViolationsOf(other).size(), 1u);
  EXPECT_EQ(FieldViolationsOf(other)[0].field, "page_token");
}

TEST_F(CatalogItemsTest, CategoriesAreCutIntoPagesInTheTreesOrder) {
  std::vector<v1::Category> tree(5);
  const int64_t ids[] = {3, 1, 9, 4, 2};  // Parents before children: not an id order.
  for (int i = 0; i < 5; ++i) tree[i].set_id(ids[i]);
  ON_CALL(repo_, ListCategories()).WillByDefault(Return(tree));
  v1::ListCategoriesRequest request;
  request.set_page_size(2);
  std::vector<int64_t> seen;
  int pages = 0;
  do {
    absl::StatusOr<v1::ListCategoriesResponse> page = items_.ListCategories(Staff(), request);
    ASSERT_TRUE(page.ok()) << page.status();
    for (const v1::Category& c : page->categories()) seen.push_back(c.id());
    request.set_page_token(page->next_page_token());
    ++pages;
  } while (!request.page_token().empty() && pages < 10);
  EXPECT_THAT(seen, ::testing::ElementsAre(3, 1, 9, 4, 2));
  EXPECT_EQ(pages, 3);
  request.set_page_size(101);
  EXPECT_EQ(items_.ListCategories(Staff(), request).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace gongkai::catalog::catalog_items
