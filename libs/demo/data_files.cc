#include "libs/demo/data_files.h"

#include <algorithm>

namespace gongkai::demo {
namespace {

const nlohmann::json* Find(const nlohmann::json& object, const char* key) {
  if (!object.is_object()) throw DataError(absl::StrCat("expected an object, got ", object.dump()));
  auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

}  // namespace

absl::StatusOr<nlohmann::json> ParseDataFile(const std::vector<DataFile>& files,
                                             absl::string_view name) {
  for (const DataFile& file : files) {
    if (name != file.name) continue;
    try {
      return nlohmann::json::parse(file.contents.begin(), file.contents.end());
    } catch (const nlohmann::json::parse_error& e) {
      return absl::InvalidArgumentError(absl::StrCat("demo data ", name, ": ", e.what()));
    }
  }
  return absl::NotFoundError(absl::StrCat("demo data ", name, " is not embedded"));
}

void CheckFields(const nlohmann::json& object, std::initializer_list<const char*> known) {
  if (!object.is_object()) throw DataError(absl::StrCat("expected an object, got ", object.dump()));
  for (const auto& item : object.items()) {
    if (std::none_of(known.begin(), known.end(), [&](const char* k) { return item.key() == k; })) {
      throw DataError(absl::StrCat("unknown field \"", item.key(), "\" in ", object.dump()));
    }
  }
}

std::string TextField(const nlohmann::json& object, const char* key) {
  const nlohmann::json* value = Find(object, key);
  if (value == nullptr) return "";
  if (!value->is_string()) throw DataError(absl::StrCat(key, ": expected a string"));
  return value->get<std::string>();
}

int64_t IntField(const nlohmann::json& object, const char* key) {
  const nlohmann::json* value = Find(object, key);
  if (value == nullptr) return 0;
  if (!value->is_number_integer()) throw DataError(absl::StrCat(key, ": expected an integer"));
  return value->get<int64_t>();
}

bool BoolField(const nlohmann::json& object, const char* key) {
  const nlohmann::json* value = Find(object, key);
  if (value == nullptr) return false;
  if (!value->is_boolean()) throw DataError(absl::StrCat(key, ": expected true or false"));
  return value->get<bool>();
}

}  // namespace gongkai::demo
