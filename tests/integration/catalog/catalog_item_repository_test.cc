// Integration tests (label: integration) of the catalog-items module's MySQL repository
// (services/catalog/catalog_items/, CAT-5), against its repository interface, on the real
// MySQL/MariaDB named by GONGKAI_TEST_MYSQL_* (fixture: catalog_repository_fixture.h).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gongkai/catalog/v1/catalog.pb.h"
#include "libs/db/connection_pool.h"
#include "libs/db/testing/status_matchers.h"
#include "libs/db/testing/test_database.h"
#include "libs/protoconv/protoconv.h"
#include "tests/integration/catalog/catalog_repository_fixture.h"
#include "tests/integration/repository_test_support.h"

namespace gongkai::catalog {
namespace {

using documents::AuditRecord;
using documents::DocumentFilter;
using ::gongkai::db::testing::IsOk;
using ::gongkai::db::testing::IsOkAndHolds;
using ::gongkai::db::testing::StatusIs;
using ::gongkai::db::testing::TestDatabase;
using ::gongkai::integration::EqualsProto;
using ::gongkai::integration::Ids;
using ::gongkai::integration::MigratedDatabase;
using repository_testing::kT0;
using repository_testing::RepositorySuite;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::Optional;
using ::testing::Pair;
using ::testing::ResultOf;
using ::testing::SizeIs;

// ---- Categories and catalog items (CAT-5) ------------------------------------------------

class CatalogTest : public RepositorySuite<CatalogTest> {};

TEST_F(CatalogTest, SeededCategoriesExist) {
  ASSERT_OK_AND_ASSIGN(std::vector<v1::Category> all, items().ListCategories());
  std::map<int64_t, v1::Category> by_id;
  for (const v1::Category& c : all) by_id[c.id()] = c;
  for (int64_t id : {1, 2, 3}) {
    ASSERT_TRUE(by_id.count(id)) << id;
    EXPECT_EQ(by_id[id].parent_id(), 0);
  }
  for (int64_t id = 101; id <= 126; ++id) {
    ASSERT_TRUE(by_id.count(id)) << id;
    EXPECT_EQ(by_id[id].key_area(), static_cast<v1::KeyArea>(id - 100)) << id;
    EXPECT_EQ(by_id[id].parent_id(), id <= 111 ? 2 : 3) << id;
  }
  ASSERT_OK_AND_ASSIGN(v1::Category education, items().GetCategory(109));
  EXPECT_EQ(education.code(), "KA-EDUCATION");
  EXPECT_EQ(education.name(), "教育");
  EXPECT_EQ(education.key_area(), v1::EDUCATION);
  EXPECT_THAT(items().GetCategory(99999),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("99999")));
}

TEST_F(CatalogTest, CreateCategoryAssignsIdAndDuplicateCodeIsAlreadyExists) {
  v1::Category category;
  category.set_parent_id(1);
  category.set_code("BASIC-RULES");
  category.set_name("规章制度");
  const IdempotencyKey key{"office", "CreateCategory", "cat-1"};
  ASSERT_OK_AND_ASSIGN(v1::Category created, items().CreateCategory(category, &key));
  EXPECT_GT(created.id(), 126);
  EXPECT_THAT(items().GetCategory(created.id()), IsOkAndHolds(EqualsProto(created)));
  ASSERT_OK_AND_ASSIGN(std::optional<std::string> stored, documents().FindIdempotentResponse(key));
  EXPECT_THAT(stored, Optional(created.SerializeAsString()));
  EXPECT_THAT(items().CreateCategory(category, nullptr),
              StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr("uk_categories_code")));
}

TEST_F(CatalogTest, ListCategoriesPutsParentsBeforeChildren) {
  auto create = [&](int64_t parent, absl::string_view code) {
    v1::Category c;
    c.set_parent_id(parent);
    c.set_code(std::string(code));
    c.set_name(absl::StrCat("分类", code));
    absl::StatusOr<v1::Category> created = items().CreateCategory(c, nullptr);
    EXPECT_THAT(created, IsOk());
    return created.ok() ? created->id() : 0;
  };
  const int64_t root = create(0, "CHAIN-ROOT");
  const int64_t middle = create(root, "CHAIN-MIDDLE");
  const int64_t leaf = create(middle, "CHAIN-LEAF");
  const int64_t under_seed = create(109, "EDU-SCHOOLS");
  // A parent with a larger id than its child (as after moving a category under a newer
  // one): ordering by id alone would put the child first.
  const int64_t early_child = create(0, "EARLY-CHILD");
  ASSERT_THAT(env().Execute("INSERT INTO categories (id, parent_id, code, name) VALUES "
                            "(5000, ?, 'LATE-PARENT', '后建的上级')",
                            {leaf}),
              IsOk());
  ASSERT_THAT(env().Execute("UPDATE categories SET parent_id = 5000 WHERE id = ?", {early_child}),
              IsOk());

  ASSERT_OK_AND_ASSIGN(std::vector<v1::Category> all, items().ListCategories());
  std::map<int64_t, size_t> position;
  for (size_t i = 0; i < all.size(); ++i) position[all[i].id()] = i;
  EXPECT_EQ(position.size(), all.size()) << "a category is listed twice";
  EXPECT_EQ(static_cast<int64_t>(all.size()), Count("SELECT COUNT(*) FROM categories"));
  for (const v1::Category& c : all) {
    if (c.parent_id() == 0) continue;
    ASSERT_TRUE(position.count(c.parent_id())) << c.id();
    EXPECT_LT(position[c.parent_id()], position[c.id()])
        << "category " << c.id() << " is listed before its parent " << c.parent_id();
  }
  EXPECT_LT(position[root], position[middle]);
  EXPECT_LT(position[middle], position[leaf]);
  EXPECT_LT(position[leaf], position[5000]);
  EXPECT_LT(position[5000], position[early_child]);
  EXPECT_LT(position[109], position[under_seed]);
}

class CatalogItemsTest : public RepositorySuite<CatalogItemsTest> {
 protected:
  static v1::CatalogItem NewItem(int64_t category_id, int64_t unit_id, absl::string_view content) {
    v1::CatalogItem item;
    item.set_category_id(category_id);
    item.set_responsible_unit_id(unit_id);
    item.set_content(std::string(content));
    item.set_time_limit("信息形成或变更之日起20个工作日内");
    item.set_method("政府网站");
    item.set_changed_by("office");
    *item.mutable_change_time() = ToTimestamp(kT0);
    item.set_change_note("新建");
    return item;
  }
};

TEST_F(CatalogItemsTest, CreateUpdateTwiceAndReadRevisions) {
  const v1::Unit unit = NewUnit();
  const IdempotencyKey key{"office", "CreateCatalogItem", "item-1"};
  ASSERT_OK_AND_ASSIGN(v1::CatalogItem r1,
                       items().CreateCatalogItem(NewItem(109, unit.id(), "学校招生政策"), &key));
  EXPECT_GT(r1.id(), 0);
  EXPECT_EQ(r1.revision(), 1);
  EXPECT_THAT(items().GetCatalogItem(r1.id()), IsOkAndHolds(EqualsProto(r1)));
  EXPECT_THAT(documents().FindIdempotentResponse(key),
              IsOkAndHolds(Optional(r1.SerializeAsString())));

  v1::CatalogItem change = r1;
  change.set_content("学校招生政策及招生计划");
  change.set_change_note("补充招生计划");
  *change.mutable_change_time() = ToTimestamp(kT0 + absl::Hours(1));
  ASSERT_OK_AND_ASSIGN(v1::CatalogItem r2, items().UpdateCatalogItem(change, 1));
  EXPECT_EQ(r2.revision(), 2);
  change = r2;
  change.set_category_id(110);
  change.set_method("政府网站、政务新媒体");
  change.set_changed_by("bob");
  *change.mutable_change_time() = ToTimestamp(kT0 + absl::Hours(2));
  ASSERT_OK_AND_ASSIGN(v1::CatalogItem r3, items().UpdateCatalogItem(change, 2));
  EXPECT_EQ(r3.revision(), 3);

  EXPECT_THAT(items().GetCatalogItem(r1.id()), IsOkAndHolds(EqualsProto(r3)));
  EXPECT_THAT(items().ListCatalogItemRevisions(r1.id(), KeysetPage{}),
              IsOkAndHolds(ElementsAre(EqualsProto(r3), EqualsProto(r2), EqualsProto(r1))));
  // Keyset pages, newest first, continuing below a revision number.
  EXPECT_THAT(items().ListCatalogItemRevisions(r1.id(), KeysetPage{0, 2}),
              IsOkAndHolds(ElementsAre(EqualsProto(r3), EqualsProto(r2))));
  EXPECT_THAT(items().ListCatalogItemRevisions(r1.id(), KeysetPage{2, 2}),
              IsOkAndHolds(ElementsAre(EqualsProto(r1))));
  EXPECT_THAT(items().ListCatalogItemRevisions(r1.id(), KeysetPage{1, 2}), IsOkAndHolds(IsEmpty()));
}

TEST_F(CatalogItemsTest, StaleExpectedRevisionIsAbortedAndAppendsNothing) {
  const v1::Unit unit = NewUnit();
  ASSERT_OK_AND_ASSIGN(v1::CatalogItem r1,
                       items().CreateCatalogItem(NewItem(109, unit.id(), "内容"), nullptr));
  ASSERT_OK_AND_ASSIGN(v1::CatalogItem r2, items().UpdateCatalogItem(r1, 1));
  v1::CatalogItem stale = r1;
  stale.set_content("过期的修改");
  EXPECT_THAT(items().UpdateCatalogItem(stale, 1),
              StatusIs(absl::StatusCode::kAborted,
                       AllOf(HasSubstr("changed concurrently"), Not(HasSubstr("gave up")))));
  EXPECT_THAT(items().GetCatalogItem(r1.id()), IsOkAndHolds(EqualsProto(r2)));
  EXPECT_THAT(items().ListCatalogItemRevisions(r1.id(), KeysetPage{}), IsOkAndHolds(SizeIs(2)));
}

TEST_F(CatalogItemsTest, MissingItemIsNotFound) {
  v1::CatalogItem ghost = NewItem(109, 1, "不存在");
  ghost.set_id(31337);
  EXPECT_THAT(items().GetCatalogItem(31337),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("31337")));
  EXPECT_THAT(items().UpdateCatalogItem(ghost, 1),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("31337")));
  EXPECT_THAT(items().ListCatalogItemRevisions(31337, KeysetPage{}),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("31337")));
}

TEST_F(CatalogItemsTest, ListFiltersByCategoryAndUnitNewestFirstWithPaging) {
  const v1::Unit unit = NewUnit();
  const v1::Unit other = NewUnit();
  ASSERT_OK_AND_ASSIGN(v1::CatalogItem a,
                       items().CreateCatalogItem(NewItem(109, unit.id(), "A"), nullptr));
  ASSERT_OK_AND_ASSIGN(v1::CatalogItem b,
                       items().CreateCatalogItem(NewItem(110, unit.id(), "B"), nullptr));
  ASSERT_OK_AND_ASSIGN(v1::CatalogItem c,
                       items().CreateCatalogItem(NewItem(109, other.id(), "C"), nullptr));
  // Moving A to category 110 in revision 2: lists follow the current revision.
  v1::CatalogItem moved = a;
  moved.set_category_id(110);
  ASSERT_OK_AND_ASSIGN(a, items().UpdateCatalogItem(moved, 1));

  EXPECT_THAT(items().ListCatalogItems({0, unit.id()}, {}),
              IsOkAndHolds(ElementsAre(EqualsProto(b), EqualsProto(a))));
  EXPECT_THAT(items().ListCatalogItems({110, unit.id()}, {}),
              IsOkAndHolds(ElementsAre(EqualsProto(b), EqualsProto(a))));
  EXPECT_THAT(items().ListCatalogItems({109, other.id()}, {}),
              IsOkAndHolds(ElementsAre(EqualsProto(c))));
  ASSERT_OK_AND_ASSIGN(std::vector<v1::CatalogItem> in_109,
                       items().ListCatalogItems({109, 0}, {0, 100}));
  EXPECT_THAT(Ids(in_109), ::testing::Contains(c.id()));
  EXPECT_THAT(Ids(in_109), Not(::testing::Contains(a.id())));
  for (const v1::CatalogItem& item : in_109) EXPECT_EQ(item.category_id(), 109);
  EXPECT_THAT(items().ListCatalogItems({0, unit.id()}, {0, 1}),
              IsOkAndHolds(ElementsAre(EqualsProto(b))));
  EXPECT_THAT(items().ListCatalogItems({0, unit.id()}, {b.id(), 1}),
              IsOkAndHolds(ElementsAre(EqualsProto(a))));
  EXPECT_THAT(items().ListCatalogItems({0, unit.id()}, {a.id(), 1}), IsOkAndHolds(IsEmpty()));
}

}  // namespace
}  // namespace gongkai::catalog
