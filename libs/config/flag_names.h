// absl flags know only underscores; our CLIs also accept dashes ("--unit-id" for
// "--unit_id"), like libs/config does for the services.
//
//   std::vector<std::string> storage;
//   std::vector<char*> args = config::NormalizeFlagNames(argc, argv, storage);
//   absl::ParseCommandLine(static_cast<int>(args.size()), args.data());
#ifndef GONGKAI_LIBS_CONFIG_FLAG_NAMES_H_
#define GONGKAI_LIBS_CONFIG_FLAG_NAMES_H_

#include <string>
#include <vector>

namespace gongkai::config {

// argv with '-' turned into '_' in every flag name (not in values, not after "--").
// The returned pointers point into `storage`, which must outlive them.
std::vector<char*> NormalizeFlagNames(int argc, char** argv, std::vector<std::string>& storage);

}  // namespace gongkai::config

#endif  // GONGKAI_LIBS_CONFIG_FLAG_NAMES_H_
