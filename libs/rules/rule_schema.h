// What a service reads from a rule set: the keys, their types, units and sanity bounds,
// declared once in code next to the rules that use them. The numbers themselves are data
// (rule_set.h); a loaded set is checked against its schema before anyone computes with it.
//
//   std::shared_ptr<const RuleSchema> DisclosureRuleSchema() {
//     static const auto* const schema = new std::shared_ptr<const RuleSchema>(
//         std::make_shared<const RuleSchema>("catalog.disclosure", std::vector<RuleSpec>{
//             RuleSpec::Integer("publication.working_days", Unit::kWorkingDays, {1, 60},
//                               "CAT-3", "proactive content is published within"),
//             RuleSpec::Tiers("fee.by_pages", Unit::kPages, Unit::kYuan, {0, 1000}, "NAT-9",
//                             "price per page, by the number of pages"),
//             RuleSpec::Duration("response.known_facts", {absl::Minutes(10), absl::Hours(24)},
//                                "OPI-4", "known facts are released within")}));
//     return *schema;
//   }
//   RuleBook book({DisclosureRuleSchema()});   // rule_book.h
//
// A schema is a program constant: constructing one with a duplicate or malformed key, a
// spec without requirement ID, min > max, or a malformed set name aborts (a bug, not input).
//
// Thread-safety: immutable after construction.
#ifndef GONGKAI_LIBS_RULES_RULE_SCHEMA_H_
#define GONGKAI_LIBS_RULES_RULE_SCHEMA_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace gongkai::rules {

// The kinds of values a rule can hold.
enum class RuleType : uint8_t {
  kInteger,   // A whole number in a Unit: 20 working days, ¥100, 5 %.
  kDecimal,   // A number with a fraction, in a Unit: a weight of 4.5 %.
  kDuration,  // A span of wall-clock time: "1h", "90m" (OPI-4 clocks).
  kTiers,     // Ordered steps {from, value}: NAT-9 fees by count or pages.
  kText,      // A word from a fixed list (an enum), or free text when the list is empty.
  kMonthDay,  // A day of the year, "01-31" (NAT-10 report deadlines).
};

// Units of integers, decimals and tiers. Written in JSON as the snake_case name.
enum class Unit : uint8_t {
  kNone,  // Durations, texts, month-days.
  kWorkingDays,
  kCalendarDays,
  kWeeks,
  kMonths,
  kHours,
  kMinutes,
  kSeconds,
  kPercent,
  kYuan,
  kFen,
  kCount,  // Requests, probes, columns, ...
  kPages,
};

// "working_days", "calendar_days", ... ("none" for kNone).
absl::string_view UnitName(Unit unit);
// "working days", "yuan", ... for explanations ("" for kNone).
absl::string_view UnitWords(Unit unit);
// "integer", "decimal", "duration", "tiers", "text", "month_day".
absl::string_view RuleTypeName(RuleType type);

struct IntegerBounds {
  int64_t min = 0;
  int64_t max = 0;
};
struct DecimalBounds {
  double min = 0;
  double max = 0;
};
struct DurationBounds {
  absl::Duration min;
  absl::Duration max;
};

// One rule key: its type, unit, bounds and the requirement it implements.
struct RuleSpec {
  std::string key;  // "publication.working_days": [a-z0-9_] words joined by dots.
  RuleType type = RuleType::kInteger;
  Unit unit = Unit::kNone;       // Integers and decimals; for tiers, the unit of `value`.
  Unit from_unit = Unit::kNone;  // Tiers only: the unit of each tier's `from`.
  IntegerBounds integer_bounds;  // Integers, and each tier's value (from is >= 0).
  DecimalBounds decimal_bounds;
  DurationBounds duration_bounds;
  std::vector<std::string> allowed;  // Texts: the allowed words (empty: any text).
  std::string requirement;           // "CAT-3", "NAT-9": cited with every use.
  std::string description;           // One line.

  static RuleSpec Integer(std::string key, Unit unit, IntegerBounds bounds, std::string requirement,
                          std::string description);
  static RuleSpec Decimal(std::string key, Unit unit, DecimalBounds bounds, std::string requirement,
                          std::string description);
  static RuleSpec Duration(std::string key, DurationBounds bounds, std::string requirement,
                           std::string description);
  static RuleSpec Tiers(std::string key, Unit from_unit, Unit value_unit,
                        IntegerBounds value_bounds, std::string requirement,
                        std::string description);
  static RuleSpec Text(std::string key, std::vector<std::string> allowed, std::string requirement,
                       std::string description);
  static RuleSpec MonthDay(std::string key, std::string requirement, std::string description);
};

class RuleSchema {
 public:
  // `name` is the rule set's name, e.g. "catalog.disclosure" (same syntax as keys).
  RuleSchema(std::string name, std::vector<RuleSpec> specs);

  const std::string& name() const { return name_; }
  // Sorted by key.
  const std::vector<RuleSpec>& specs() const { return specs_; }
  // nullptr when the schema has no such key.
  const RuleSpec* Find(absl::string_view key) const;

 private:
  std::string name_;
  std::vector<RuleSpec> specs_;
};

// True for "a", "a.b_c", "x1.y2": lower-case words of [a-z0-9_] joined by single dots,
// 1..100 characters. Used for set names and rule keys.
bool IsValidRuleName(absl::string_view name);

}  // namespace gongkai::rules

#endif  // GONGKAI_LIBS_RULES_RULE_SCHEMA_H_
