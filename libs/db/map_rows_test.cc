#include "libs/db/map_rows.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"

#include "libs/db/testing/status_matchers.h"

namespace gongkai::db {
namespace {

using ::gongkai::db::testing::IsOkAndHolds;
using ::gongkai::db::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

ResultSet Ids(std::vector<int64_t> ids) {
  auto columns = std::make_shared<internal::Columns>();
  columns->names = {"id"};
  std::vector<Row> rows;
  for (int64_t id : ids) rows.emplace_back(columns, std::vector<Row::Cell>{Row::Cell(id)});
  return ResultSet(columns, std::move(rows));
}

absl::StatusOr<std::string> Label(const Row& row) {
  ASSIGN_OR_RETURN(int64_t id, row.GetInt64("id"));
  if (id < 0) return absl::InternalError(absl::StrCat("negative id ", id));
  return absl::StrCat("#", id);
}

TEST(MapRowsTest, MapsEveryRowInOrder) {
  EXPECT_THAT(MapRows<std::string>(Ids({3, 1, 2}), Label),
              IsOkAndHolds(ElementsAre("#3", "#1", "#2")));
}

TEST(MapRowsTest, NoRowsIsAnEmptyVector) {
  EXPECT_THAT(MapRows<std::string>(Ids({}), Label), IsOkAndHolds(IsEmpty()));
}

TEST(MapRowsTest, FirstErrorIsReturned) {
  EXPECT_THAT(MapRows<std::string>(Ids({1, -5, -6}), Label),
              StatusIs(absl::StatusCode::kInternal, HasSubstr("negative id -5")));
}

}  // namespace
}  // namespace gongkai::db
