#include "libs/rules/rule_schema.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>
#include <utility>

namespace gongkai::rules {
namespace {

[[noreturn]] void Fatal(const std::string& message) {
  std::fprintf(stderr, "rules: invalid schema: %s\n", message.c_str());
  std::abort();
}

RuleSpec Make(std::string key, RuleType type, std::string requirement, std::string description) {
  RuleSpec spec;
  spec.key = std::move(key);
  spec.type = type;
  spec.requirement = std::move(requirement);
  spec.description = std::move(description);
  return spec;
}

}  // namespace

absl::string_view UnitName(Unit unit) {
  switch (unit) {
    case Unit::kNone:
      return "none";
    case Unit::kWorkingDays:
      return "working_days";
    case Unit::kCalendarDays:
      return "calendar_days";
    case Unit::kWeeks:
      return "weeks";
    case Unit::kMonths:
      return "months";
    case Unit::kHours:
      return "hours";
    case Unit::kMinutes:
      return "minutes";
    case Unit::kSeconds:
      return "seconds";
    case Unit::kPercent:
      return "percent";
    case Unit::kYuan:
      return "yuan";
    case Unit::kFen:
      return "fen";
    case Unit::kCount:
      return "count";
    case Unit::kPages:
      return "pages";
  }
  return "none";
}

absl::string_view UnitWords(Unit unit) {
  switch (unit) {
    case Unit::kNone:
      return "";
    case Unit::kWorkingDays:
      return "working days";
    case Unit::kCalendarDays:
      return "calendar days";
    case Unit::kPercent:
      return "%";
    default:
      return UnitName(unit);
  }
}

absl::string_view RuleTypeName(RuleType type) {
  switch (type) {
    case RuleType::kInteger:
      return "integer";
    case RuleType::kDecimal:
      return "decimal";
    case RuleType::kDuration:
      return "duration";
    case RuleType::kTiers:
      return "tiers";
    case RuleType::kText:
      return "text";
    case RuleType::kMonthDay:
      return "month_day";
  }
  return "integer";
}

bool IsValidRuleName(absl::string_view name) {
  if (name.empty() || name.size() > 100) return false;
  bool word_start = true;
  for (char c : name) {
    if (c == '.') {
      if (word_start) return false;
      word_start = true;
      continue;
    }
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
    word_start = false;
  }
  return !word_start;
}

RuleSpec RuleSpec::Integer(std::string key, Unit unit, IntegerBounds bounds,
                           std::string requirement, std::string description) {
  RuleSpec spec =
      Make(std::move(key), RuleType::kInteger, std::move(requirement), std::move(description));
  spec.unit = unit;
  spec.integer_bounds = bounds;
  return spec;
}

RuleSpec RuleSpec::Decimal(std::string key, Unit unit, DecimalBounds bounds,
                           std::string requirement, std::string description) {
  RuleSpec spec =
      Make(std::move(key), RuleType::kDecimal, std::move(requirement), std::move(description));
  spec.unit = unit;
  spec.decimal_bounds = bounds;
  return spec;
}

RuleSpec RuleSpec::Duration(std::string key, DurationBounds bounds, std::string requirement,
                            std::string description) {
  RuleSpec spec =
      Make(std::move(key), RuleType::kDuration, std::move(requirement), std::move(description));
  spec.duration_bounds = bounds;
  return spec;
}

RuleSpec RuleSpec::Tiers(std::string key, Unit from_unit, Unit value_unit,
                         IntegerBounds value_bounds, std::string requirement,
                         std::string description) {
  RuleSpec spec =
      Make(std::move(key), RuleType::kTiers, std::move(requirement), std::move(description));
  spec.unit = value_unit;
  spec.from_unit = from_unit;
  spec.integer_bounds = value_bounds;
  return spec;
}

RuleSpec RuleSpec::Text(std::string key, std::vector<std::string> allowed, std::string requirement,
                        std::string description) {
  RuleSpec spec =
      Make(std::move(key), RuleType::kText, std::move(requirement), std::move(description));
  spec.allowed = std::move(allowed);
  return spec;
}

RuleSpec RuleSpec::MonthDay(std::string key, std::string requirement, std::string description) {
  return Make(std::move(key), RuleType::kMonthDay, std::move(requirement), std::move(description));
}

RuleSchema::RuleSchema(std::string name, std::vector<RuleSpec> specs)
    : name_(std::move(name)), specs_(std::move(specs)) {
  if (!IsValidRuleName(name_)) Fatal("set name \"" + name_ + "\" is not a rule name");
  std::sort(specs_.begin(), specs_.end(),
            [](const RuleSpec& a, const RuleSpec& b) { return a.key < b.key; });
  for (size_t i = 0; i < specs_.size(); ++i) {
    const RuleSpec& spec = specs_[i];
    const std::string where = name_ + " " + spec.key;
    if (!IsValidRuleName(spec.key)) Fatal(where + ": the key is not a rule name");
    if (i > 0 && specs_[i - 1].key == spec.key) Fatal(where + ": the key is declared twice");
    if (spec.requirement.empty()) Fatal(where + ": no requirement ID");
    switch (spec.type) {
      case RuleType::kInteger:
      case RuleType::kTiers:
        if (spec.integer_bounds.min > spec.integer_bounds.max) Fatal(where + ": min > max");
        break;
      case RuleType::kDecimal:
        if (!(spec.decimal_bounds.min <= spec.decimal_bounds.max)) Fatal(where + ": min > max");
        break;
      case RuleType::kDuration:
        if (spec.duration_bounds.min > spec.duration_bounds.max) Fatal(where + ": min > max");
        break;
      case RuleType::kText:
      case RuleType::kMonthDay:
        break;
    }
  }
}

const RuleSpec* RuleSchema::Find(absl::string_view key) const {
  auto it =
      std::lower_bound(specs_.begin(), specs_.end(), key,
                       [](const RuleSpec& spec, absl::string_view k) { return spec.key < k; });
  if (it == specs_.end() || it->key != key) return nullptr;
  return &*it;
}

}  // namespace gongkai::rules
