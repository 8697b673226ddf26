#include "libs/db/value.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace gongkai::db {

std::string FormatDatetime(absl::Time t) {
  return absl::FormatTime("%Y-%m-%d %H:%M:%E6S", t, absl::UTCTimeZone());
}

std::string FormatDate(absl::CivilDay d) { return absl::FormatCivilTime(d); }

Value::Value(absl::Time t) : data_(FormatDatetime(t)) {}

Value::Value(absl::CivilDay d) : data_(FormatDate(d)) {}

std::string Value::DebugString() const {
  struct Visitor {
    std::string operator()(std::monostate) const { return "NULL"; }
    std::string operator()(int64_t v) const { return absl::StrCat("int64 ", v); }
    std::string operator()(uint64_t v) const { return absl::StrCat("uint64 ", v); }
    std::string operator()(double v) const { return absl::StrCat("double ", v); }
    std::string operator()(bool v) const { return v ? "bool true" : "bool false"; }
    std::string operator()(const std::string& v) const {
      return absl::StrCat("string(", v.size(), " bytes)");
    }
  };
  return std::visit(Visitor{}, data_);
}

}  // namespace gongkai::db
