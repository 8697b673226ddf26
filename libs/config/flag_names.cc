#include "libs/config/flag_names.h"

#include <algorithm>

namespace gongkai::config {

std::vector<char*> NormalizeFlagNames(int argc, char** argv, std::vector<std::string>& storage) {
  storage.assign(argv, argv + argc);
  for (size_t i = 1; i < storage.size(); ++i) {
    std::string& arg = storage[i];
    if (arg == "--") break;
    if (arg.rfind("--", 0) != 0) continue;
    const size_t name_end = std::min(arg.find('='), arg.size());
    for (size_t j = 2; j < name_end; ++j) {
      if (arg[j] == '-') arg[j] = '_';
    }
  }
  std::vector<char*> result;
  for (std::string& arg : storage) result.push_back(arg.data());
  return result;
}

}  // namespace gongkai::config
