// Demo data as data: a service's demo loader keeps its data set in JSON files
// (services/<name>/demo/data/*.json), compiled into the loader by
// gongkai_embed_demo_data() (embed_data_files.cmake), so the binary needs no data folder
// and the data stays reviewable as data. This header is what the loader reads them with.
//
//   # services/<name>/demo/CMakeLists.txt
//   gongkai_embed_demo_data(my_demo "gongkai::my::demo" ${CMAKE_CURRENT_SOURCE_DIR}/data)
//
//   // Declared by the service; the generated source defines it in that namespace.
//   const std::vector<gongkai::demo::DataFile>& EmbeddedDataFiles();
//
//   absl::StatusOr<std::vector<UnitSpec>> units = demo::ReadDataFile<std::vector<UnitSpec>>(
//       EmbeddedDataFiles(), "units.json", [](const nlohmann::json& file) {
//         std::vector<UnitSpec> units;
//         for (const nlohmann::json& unit : file) {
//           demo::CheckFields(unit, {"code", "level"});
//           units.push_back({demo::TextField(unit, "code"),
//                            demo::EnumField(unit, "level", &v1::UnitLevel_Parse)});
//         }
//         return units;
//       });
//
// Conventions: an absent text is "", an absent number 0, an absent enum its zero value
// (so files leave out what is empty); enums are written by their proto value names
// ("UNIT_LEVEL_CITY"); a field that is not listed in CheckFields is an error (a typo
// would otherwise be silently empty).
//
// Errors: the *Field functions throw DataError, which ReadDataFile (like any JSON
// type error) turns into INVALID_ARGUMENT naming the file; NOT_FOUND when the file is
// not embedded.
//
// Thread-safety: everything here is pure; the embedded files are immutable.
#ifndef GONGKAI_LIBS_DEMO_DATA_FILES_H_
#define GONGKAI_LIBS_DEMO_DATA_FILES_H_

#include <cstdint>
#include <initializer_list>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace gongkai::demo {

// One embedded file: its name (no directory) and its bytes.
struct DataFile {
  const char* name;
  absl::string_view contents;
};

// A data file that does not say what its reader expects.
class DataError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The parsed file `name` of `files`. NOT_FOUND when it is not embedded,
// INVALID_ARGUMENT (with the parser's position) when it is not JSON.
absl::StatusOr<nlohmann::json> ParseDataFile(const std::vector<DataFile>& files,
                                             absl::string_view name);

// Parses file `name` and hands it to `read` (const nlohmann::json& -> T). A DataError
// or JSON type error in `read` becomes INVALID_ARGUMENT "demo data <name>: ...".
template <typename T, typename Read>
absl::StatusOr<T> ReadDataFile(const std::vector<DataFile>& files, absl::string_view name,
                               Read read) {
  absl::StatusOr<nlohmann::json> json = ParseDataFile(files, name);
  if (!json.ok()) return json.status();
  try {
    return T(read(*json));
  } catch (const DataError& e) {
    return absl::InvalidArgumentError(absl::StrCat("demo data ", name, ": ", e.what()));
  } catch (const nlohmann::json::exception& e) {
    return absl::InvalidArgumentError(absl::StrCat("demo data ", name, ": ", e.what()));
  }
}

// `object` must be a JSON object with no keys but `known`.
void CheckFields(const nlohmann::json& object, std::initializer_list<const char*> known);

// The text at `key`; "" when absent. DataError when it is not a string.
std::string TextField(const nlohmann::json& object, const char* key);
// The integer at `key`; 0 when absent.
int64_t IntField(const nlohmann::json& object, const char* key);
// The boolean at `key`; false when absent.
bool BoolField(const nlohmann::json& object, const char* key);

// The proto enum value named at `key` (e.g. "PROACTIVE"), with `parse` the generated
// <Enum>_Parse; the zero value when absent. DataError for an unknown name.
template <typename Enum, typename Name>
Enum EnumField(const nlohmann::json& object, const char* key, bool (*parse)(Name, Enum*)) {
  const std::string name = TextField(object, key);
  Enum value{};
  if (!name.empty() && !parse(name, &value)) {
    throw DataError(absl::StrCat(key, ": unknown value \"", name, "\""));
  }
  return value;
}

}  // namespace gongkai::demo

#endif  // GONGKAI_LIBS_DEMO_DATA_FILES_H_
