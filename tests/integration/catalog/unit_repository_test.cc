// Integration tests (label: integration) of the units module's MySQL repository
// (services/catalog/units/), against its repository interface, on the real MySQL/MariaDB named by
// GONGKAI_TEST_MYSQL_* (fixture: catalog_repository_fixture.h).
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
using units::UnitFilter;

// ---- Units -------------------------------------------------------------------------------

class UnitsTest : public RepositorySuite<UnitsTest> {};

TEST_F(UnitsTest, CreateAssignsIdAndGetReturnsEveryField) {
  v1::Unit unit;
  unit.set_code("NN-EDU");
  unit.set_name("南宁市教育局");
  unit.set_level(v1::UNIT_LEVEL_DEPARTMENT);
  unit.set_parent_id(7);
  *unit.mutable_create_time() = ToTimestamp(kT0);
  ASSERT_OK_AND_ASSIGN(v1::Unit created, units().CreateUnit(unit, nullptr));
  EXPECT_GT(created.id(), 0);
  v1::Unit expected = unit;
  expected.set_id(created.id());
  EXPECT_THAT(created, EqualsProto(expected));
  EXPECT_THAT(units().GetUnit(created.id()), IsOkAndHolds(EqualsProto(expected)));
}

TEST_F(UnitsTest, GetOfMissingUnitIsNotFound) {
  EXPECT_THAT(units().GetUnit(987654), StatusIs(absl::StatusCode::kNotFound, HasSubstr("987654")));
}

TEST_F(UnitsTest, ListIsNewestFirstWithKeysetPaging) {
  const v1::Unit parent = NewUnit(0, v1::UNIT_LEVEL_CITY);
  std::vector<int64_t> children;
  for (int i = 0; i < 5; ++i) children.push_back(NewUnit(parent.id()).id());
  const UnitFilter filter{parent.id(), v1::UNIT_LEVEL_UNSPECIFIED};

  ASSERT_OK_AND_ASSIGN(std::vector<v1::Unit> page1, units().ListUnits(filter, {0, 2}));
  EXPECT_THAT(Ids(page1), ElementsAre(children[4], children[3]));
  ASSERT_OK_AND_ASSIGN(std::vector<v1::Unit> page2,
                       units().ListUnits(filter, {page1.back().id(), 2}));
  EXPECT_THAT(Ids(page2), ElementsAre(children[2], children[1]));
  ASSERT_OK_AND_ASSIGN(std::vector<v1::Unit> page3,
                       units().ListUnits(filter, {page2.back().id(), 2}));
  EXPECT_THAT(Ids(page3), ElementsAre(children[0]));
  EXPECT_THAT(units().ListUnits(filter, {page3.back().id(), 2}), IsOkAndHolds(IsEmpty()));
}

TEST_F(UnitsTest, ListFiltersByParentAndLevel) {
  const v1::Unit city = NewUnit(0, v1::UNIT_LEVEL_CITY);
  const v1::Unit county = NewUnit(city.id(), v1::UNIT_LEVEL_COUNTY);
  const v1::Unit department = NewUnit(city.id(), v1::UNIT_LEVEL_DEPARTMENT);
  const v1::Unit township = NewUnit(county.id(), v1::UNIT_LEVEL_TOWNSHIP);

  EXPECT_THAT(units().ListUnits({city.id(), v1::UNIT_LEVEL_UNSPECIFIED}, {}),
              IsOkAndHolds(ElementsAre(EqualsProto(department), EqualsProto(county))));
  EXPECT_THAT(units().ListUnits({city.id(), v1::UNIT_LEVEL_COUNTY}, {}),
              IsOkAndHolds(ElementsAre(EqualsProto(county))));
  EXPECT_THAT(units().ListUnits({county.id(), v1::UNIT_LEVEL_UNSPECIFIED}, {}),
              IsOkAndHolds(ElementsAre(EqualsProto(township))));
  // Level alone: every township of the suite's database, ours first (newest).
  ASSERT_OK_AND_ASSIGN(std::vector<v1::Unit> townships,
                       units().ListUnits({0, v1::UNIT_LEVEL_TOWNSHIP}, {0, 100}));
  ASSERT_THAT(townships, Not(IsEmpty()));
  for (const v1::Unit& u : townships) EXPECT_EQ(u.level(), v1::UNIT_LEVEL_TOWNSHIP);
  EXPECT_EQ(townships.front().id(), township.id());
}

TEST_F(UnitsTest, DuplicateCodeIsAlreadyExistsAndWritesNothing) {
  const v1::Unit first = NewUnit();
  const int64_t units_before = Count("SELECT COUNT(*) FROM units");
  v1::Unit again = first;
  again.clear_id();
  again.set_name("另一个名称");
  const IdempotencyKey key{"admin", "CreateUnit", "dup-unit-1"};

  EXPECT_THAT(units().CreateUnit(again, &key),
              StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr("uk_units_code")));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM units"), units_before);
  // The idempotency record was rolled back with the unit.
  EXPECT_THAT(documents().FindIdempotentResponse(key), IsOkAndHolds(std::nullopt));
  EXPECT_THAT(units().GetUnit(first.id()), IsOkAndHolds(EqualsProto(first)));
}

TEST_F(UnitsTest, CreateWithKeyStoresTheResponse) {
  v1::Unit unit;
  unit.set_code("NN-KEYED");
  unit.set_name("键控单位");
  unit.set_level(v1::UNIT_LEVEL_COUNTY);
  *unit.mutable_create_time() = ToTimestamp(kT0);
  const IdempotencyKey key{"admin", "CreateUnit", "unit-req-1"};
  ASSERT_OK_AND_ASSIGN(v1::Unit created, units().CreateUnit(unit, &key));
  ASSERT_OK_AND_ASSIGN(std::optional<std::string> stored, documents().FindIdempotentResponse(key));
  ASSERT_TRUE(stored.has_value());
  v1::Unit replay;
  ASSERT_TRUE(replay.ParseFromString(*stored));
  EXPECT_THAT(replay, EqualsProto(created));
}

}  // namespace
}  // namespace gongkai::catalog
