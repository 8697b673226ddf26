#include "libs/demo/data_files.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gongkai::demo {
namespace {

using ::testing::HasSubstr;

enum Colour { COLOUR_UNSPECIFIED = 0, RED = 1 };

// Shaped like a generated <Enum>_Parse.
bool Colour_Parse(const std::string& name, Colour* value) {
  if (name != "RED") return false;
  *value = RED;
  return true;
}

struct Unit {
  std::string code;
  std::string parent;
  Colour colour;
  int64_t staff;
  bool city;
};

const std::vector<DataFile>& Files() {
  static const auto* const files = new std::vector<DataFile>{
      {"units.json", R"([{"code": "NN-GOV", "colour": "RED", "staff": 12, "city": true},
                         {"code": "NN-EDU", "parent": "NN-GOV"}])"},
      {"broken.json", R"({"code": )"},
      {"typo.json", R"([{"code": "NN-GOV", "parnet": "X"}])"},
      {"wrong-type.json", R"([{"code": 7}])"},
      {"bad-enum.json", R"([{"code": "NN-GOV", "colour": "BLUE"}])"},
  };
  return *files;
}

absl::StatusOr<std::vector<Unit>> ReadUnits(absl::string_view name) {
  return ReadDataFile<std::vector<Unit>>(Files(), name, [](const nlohmann::json& file) {
    std::vector<Unit> units;
    for (const nlohmann::json& unit : file) {
      CheckFields(unit, {"code", "parent", "colour", "staff", "city"});
      units.push_back({TextField(unit, "code"), TextField(unit, "parent"),
                       EnumField(unit, "colour", &Colour_Parse), IntField(unit, "staff"),
                       BoolField(unit, "city")});
    }
    return units;
  });
}

TEST(DataFilesTest, ReadsAFileWithDefaultsForAbsentFields) {
  absl::StatusOr<std::vector<Unit>> units = ReadUnits("units.json");
  ASSERT_TRUE(units.ok()) << units.status();
  ASSERT_EQ(units->size(), 2u);
  EXPECT_EQ((*units)[0].code, "NN-GOV");
  EXPECT_EQ((*units)[0].parent, "");
  EXPECT_EQ((*units)[0].colour, RED);
  EXPECT_EQ((*units)[0].staff, 12);
  EXPECT_TRUE((*units)[0].city);
  EXPECT_EQ((*units)[1].parent, "NN-GOV");
  EXPECT_EQ((*units)[1].colour, COLOUR_UNSPECIFIED);
  EXPECT_EQ((*units)[1].staff, 0);
  EXPECT_FALSE((*units)[1].city);
}

TEST(DataFilesTest, AMissingFileIsNotFound) {
  EXPECT_EQ(ReadUnits("areas.json").status().code(), absl::StatusCode::kNotFound);
}

TEST(DataFilesTest, BadFilesAreInvalidArgumentNamingFileAndProblem) {
  const std::pair<const char*, const char*> cases[] = {
      {"broken.json", "parse error"},
      {"typo.json", "unknown field \"parnet\""},
      {"wrong-type.json", "code: expected a string"},
      {"bad-enum.json", "colour: unknown value \"BLUE\""},
  };
  for (const auto& [file, problem] : cases) {
    absl::Status status = ReadUnits(file).status();
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << file;
    EXPECT_THAT(std::string(status.message()), HasSubstr(file));
    EXPECT_THAT(std::string(status.message()), HasSubstr(problem));
  }
}

}  // namespace
}  // namespace gongkai::demo
