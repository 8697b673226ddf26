// The calendar data files (libs/calendar/data/*.json) compiled into the library, so a
// service binary works without the data folder. The definition is generated at build
// time by gongkai_embed_files (libs/embed_files.cmake); use BuiltinYearCalendars() rather than
// this.
#ifndef GONGKAI_LIBS_CALENDAR_INTERNAL_BUILTIN_DATA_H_
#define GONGKAI_LIBS_CALENDAR_INTERNAL_BUILTIN_DATA_H_

#include <vector>

#include "absl/strings/string_view.h"

namespace gongkai::calendar::internal {

struct EmbeddedFile {
  absl::string_view name;  // File name, e.g. "cn-2024.json".
  absl::string_view contents;
};

// In file-name order.
const std::vector<EmbeddedFile>& BuiltinCalendarFiles();

}  // namespace gongkai::calendar::internal

#endif  // GONGKAI_LIBS_CALENDAR_INTERNAL_BUILTIN_DATA_H_
