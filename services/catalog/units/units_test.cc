// Unit tests of the units rules: a mock repository and a fake clock.
#include "services/catalog/units/units.h"

#include <optional>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/status/errors.h"
#include "services/catalog/catalog_test_support.h"
#include "services/catalog/units/mock_unit_repository.h"

namespace gongkai::catalog::units {
namespace {

using catalog_testing::Office;
using catalog_testing::ShanghaiTime;
using catalog_testing::Staff;
using ::testing::_;
using ::testing::HasSubstr;
using ::testing::NiceMock;
using ::testing::Return;

class UnitsTest : public ::testing::Test {
 protected:
  UnitsTest() : clock_(ShanghaiTime(2024, 9, 30)), units_(&repo_, &clock_) {
    ON_CALL(repo_, FindIdempotentResponse(_)).WillByDefault(Return(std::optional<std::string>()));
  }

  static v1::CreateUnitRequest Create(const std::string& code, int64_t parent_id = 0) {
    v1::CreateUnitRequest request;
    request.mutable_unit()->set_code(code);
    request.mutable_unit()->set_name("南宁市教育局");
    request.mutable_unit()->set_level(v1::UNIT_LEVEL_CITY);
    request.mutable_unit()->set_parent_id(parent_id);
    return request;
  }

  NiceMock<MockUnitRepository> repo_;
  FakeClock clock_;
  Units units_;
};

TEST_F(UnitsTest, OnlyTheOfficeCreatesUnits) {
  EXPECT_CALL(repo_, CreateUnit(_, _)).Times(0);
  EXPECT_EQ(units_.CreateUnit(Staff(), Create("nn-edu")).status().code(),
            absl::StatusCode::kPermissionDenied);
}

TEST_F(UnitsTest, BadCodeAndMissingParentAreNamedAndNothingIsWritten) {
  EXPECT_CALL(repo_, CreateUnit(_, _)).Times(0);
  absl::Status bad = units_.CreateUnit(Office(), Create("nn edu")).status();
  EXPECT_EQ(bad.code(), absl::StatusCode::kInvalidArgument);
  ASSERT_FALSE(FieldViolationsOf(bad).empty());
  EXPECT_EQ(FieldViolationsOf(bad)[0].field, "unit.code");
  EXPECT_CALL(repo_, GetUnit(99)).WillOnce(Return(absl::NotFoundError("unit 99 not found")));
  absl::Status orphan = units_.CreateUnit(Office(), Create("nn-edu", 99)).status();
  EXPECT_EQ(orphan.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(orphan.message()), HasSubstr("unit 99 does not exist"));
}

TEST_F(UnitsTest, ATakenCodeIsAlreadyExistsNamingTheCode) {
  EXPECT_CALL(repo_, CreateUnit(_, _)).WillOnce(Return(absl::AlreadyExistsError("duplicate")));
  absl::Status status = units_.CreateUnit(Office(), Create("nn-edu")).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_THAT(std::string(status.message()), HasSubstr("nn-edu"));
}

TEST_F(UnitsTest, ListingPaginatesWithAnOpaqueToken) {
  std::vector<v1::Unit> rows(3);
  for (int i = 0; i < 3; ++i) rows[i].set_id(30 - i);
  EXPECT_CALL(repo_, ListUnits(_, _)).WillOnce(Return(rows));
  v1::ListUnitsRequest request;
  request.set_page_size(2);
  absl::StatusOr<v1::ListUnitsResponse> page = units_.ListUnits(Staff(), request);
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_EQ(page->units_size(), 2);
  EXPECT_FALSE(page->next_page_token().empty());
}

}  // namespace
}  // namespace gongkai::catalog::units
