#include "libs/rules/rule_set.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "libs/validation/validation.h"

namespace gongkai::rules {
namespace {

std::string FieldName(absl::string_view prefix, absl::string_view field) {
  return absl::StrCat(prefix, field);
}

std::string WithUnit(const std::string& number, Unit unit) {
  if (unit == Unit::kNone || unit == Unit::kCount) return number;
  if (unit == Unit::kPercent) return absl::StrCat(number, "%");
  return absl::StrCat(number, " ", UnitWords(unit));
}

bool IsRealMonthDay(const MonthDay& md) {
  if (md.month < 1 || md.month > 12 || md.day < 1) return false;
  static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return md.day <= kDays[md.month - 1];
}

std::string FormatMonthDay(const MonthDay& md) {
  return absl::StrFormat("%02d-%02d", md.month, md.day);
}

void CheckValue(const RuleValue& value, const RuleSpec& spec, const std::string& field,
                FieldViolations& v) {
  if (TypeOf(value) != spec.type) {
    v.Add(field, absl::StrCat("must be of type ", RuleTypeName(spec.type), ", not ",
                              RuleTypeName(TypeOf(value))));
    return;
  }
  switch (spec.type) {
    case RuleType::kInteger: {
      const int64_t n = std::get<int64_t>(value);
      if (n < spec.integer_bounds.min || n > spec.integer_bounds.max) {
        v.Add(field, absl::StrCat("must be from ", spec.integer_bounds.min, " to ",
                                  spec.integer_bounds.max, " ", UnitName(spec.unit), ", not ", n));
      }
      break;
    }
    case RuleType::kDecimal: {
      const double d = std::get<double>(value);
      if (!(d >= spec.decimal_bounds.min && d <= spec.decimal_bounds.max)) {
        v.Add(field, absl::StrCat("must be from ", spec.decimal_bounds.min, " to ",
                                  spec.decimal_bounds.max, " ", UnitName(spec.unit), ", not ", d));
      }
      break;
    }
    case RuleType::kDuration: {
      const absl::Duration d = std::get<absl::Duration>(value);
      if (d < spec.duration_bounds.min || d > spec.duration_bounds.max) {
        v.Add(field, absl::StrCat("must be from ", absl::FormatDuration(spec.duration_bounds.min),
                                  " to ", absl::FormatDuration(spec.duration_bounds.max), ", not ",
                                  absl::FormatDuration(d)));
      }
      break;
    }
    case RuleType::kTiers: {
      const auto& tiers = std::get<std::vector<Tier>>(value);
      if (tiers.empty()) {
        v.Add(field, "must have at least one tier");
        break;
      }
      if (tiers.size() > 100) v.Add(field, "must have at most 100 tiers");
      for (size_t i = 0; i < tiers.size(); ++i) {
        const std::string tier_field = absl::StrCat(field, "[", i, "]");
        if (tiers[i].from < 0) v.Add(tier_field, "from must not be negative");
        if (i > 0 && tiers[i].from <= tiers[i - 1].from) {
          v.Add(tier_field, "from must be greater than the previous tier's from");
        }
        if (tiers[i].value < spec.integer_bounds.min || tiers[i].value > spec.integer_bounds.max) {
          v.Add(tier_field, absl::StrCat("value must be from ", spec.integer_bounds.min, " to ",
                                         spec.integer_bounds.max, " ", UnitName(spec.unit),
                                         ", not ", tiers[i].value));
        }
      }
      break;
    }
    case RuleType::kText: {
      const std::string& text = std::get<std::string>(value);
      const size_t before = v.violations().size();
      validation::CheckText(v, field, text, {.min_chars = 1, .max_chars = 200});
      if (v.violations().size() == before && !spec.allowed.empty() &&
          std::find(spec.allowed.begin(), spec.allowed.end(), text) == spec.allowed.end()) {
        v.Add(field, absl::StrCat("must be one of ", absl::StrJoin(spec.allowed, ", "), ", not \"",
                                  text, "\""));
      }
      break;
    }
    case RuleType::kMonthDay:
      if (!IsRealMonthDay(std::get<MonthDay>(value))) {
        v.Add(field, "must be a day of the year (MM-DD)");
      }
      break;
  }
}

}  // namespace

RuleType TypeOf(const RuleValue& value) {
  switch (value.index()) {
    case 0:
      return RuleType::kInteger;
    case 1:
      return RuleType::kDecimal;
    case 2:
      return RuleType::kDuration;
    case 3:
      return RuleType::kTiers;
    case 4:
      return RuleType::kText;
    default:
      return RuleType::kMonthDay;
  }
}

std::string FormatValue(const RuleValue& value, const RuleSpec& spec) {
  switch (TypeOf(value)) {
    case RuleType::kInteger:
      return WithUnit(absl::StrCat(std::get<int64_t>(value)), spec.unit);
    case RuleType::kDecimal:
      return WithUnit(absl::StrCat(std::get<double>(value)), spec.unit);
    case RuleType::kDuration:
      return absl::FormatDuration(std::get<absl::Duration>(value));
    case RuleType::kTiers: {
      std::vector<std::string> parts;
      for (const Tier& t : std::get<std::vector<Tier>>(value)) {
        parts.push_back(absl::StrCat(t.from, "+: ", t.value));
      }
      std::string text = absl::StrCat("[", absl::StrJoin(parts, ", "), "]");
      if (spec.unit != Unit::kNone) absl::StrAppend(&text, " ", UnitWords(spec.unit));
      if (spec.from_unit != Unit::kNone) absl::StrAppend(&text, " by ", UnitName(spec.from_unit));
      return text;
    }
    case RuleType::kText:
      return std::get<std::string>(value);
    case RuleType::kMonthDay:
      return FormatMonthDay(std::get<MonthDay>(value));
  }
  return "";
}

std::string RuleRef::Explain() const {
  return absl::StrCat(set, " v", version, " (", absl::FormatCivilTime(effective_from), ") ", key,
                      " = ", value, " (", requirement, ")");
}

std::string RuleRef::VersionKey() const { return absl::StrCat(set, "@", version); }

std::string RuleSet::Describe() const {
  return absl::StrCat(name, " v", version, " (", absl::FormatCivilTime(effective_from), ", ", basis,
                      ")");
}

absl::StatusOr<const Rule*> RuleSet::Lookup(absl::string_view key, RuleType type,
                                            const RuleSpec** spec_out) const {
  if (schema == nullptr) {
    return absl::InternalError(
        absl::StrCat("rule set ", name, " v", version, " was not validated against a schema"));
  }
  const RuleSpec* spec = schema->Find(key);
  if (spec == nullptr || spec->type != type) {
    return absl::InternalError(absl::StrCat("the schema of rule set ", name, " declares no ",
                                            RuleTypeName(type), " rule ", key));
  }
  auto it = rules.find(std::string(key));
  if (it == rules.end() || TypeOf(it->second.value) != type) {
    return absl::InternalError(
        absl::StrCat("rule set ", name, " v", version, " has no ", RuleTypeName(type), " ", key));
  }
  *spec_out = spec;
  return &it->second;
}

absl::StatusOr<RuleRef> RuleSet::Cite(absl::string_view key) const {
  const RuleSpec* spec = schema == nullptr ? nullptr : schema->Find(key);
  if (spec == nullptr) {
    return absl::InternalError(absl::StrCat("rule set ", name, " declares no rule ", key));
  }
  const RuleSpec* found = nullptr;
  absl::StatusOr<const Rule*> rule = Lookup(key, spec->type, &found);
  if (!rule.ok()) return rule.status();
  return RuleRef{name,
                 version,
                 effective_from,
                 basis,
                 spec->key,
                 spec->requirement,
                 FormatValue((*rule)->value, *spec)};
}

template <typename T>
absl::StatusOr<Cited<T>> RuleSet::Read(absl::string_view key, RuleType type) const {
  const RuleSpec* spec = nullptr;
  absl::StatusOr<const Rule*> rule = Lookup(key, type, &spec);
  if (!rule.ok()) return rule.status();
  return Cited<T>{std::get<T>((*rule)->value),
                  RuleRef{name, version, effective_from, basis, spec->key, spec->requirement,
                          FormatValue((*rule)->value, *spec)}};
}

absl::StatusOr<Cited<int64_t>> RuleSet::Integer(absl::string_view key, Unit unit) const {
  if (schema != nullptr) {
    const RuleSpec* spec = schema->Find(key);
    if (spec != nullptr && spec->type == RuleType::kInteger && spec->unit != unit) {
      return absl::InternalError(absl::StrCat("rule ", key, " of ", name, " is in ",
                                              UnitName(spec->unit), ", not ", UnitName(unit)));
    }
  }
  return Read<int64_t>(key, RuleType::kInteger);
}

absl::StatusOr<Cited<double>> RuleSet::Decimal(absl::string_view key) const {
  return Read<double>(key, RuleType::kDecimal);
}
absl::StatusOr<Cited<absl::Duration>> RuleSet::Duration(absl::string_view key) const {
  return Read<absl::Duration>(key, RuleType::kDuration);
}
absl::StatusOr<Cited<std::vector<Tier>>> RuleSet::Tiers(absl::string_view key) const {
  return Read<std::vector<Tier>>(key, RuleType::kTiers);
}
absl::StatusOr<Cited<std::string>> RuleSet::Text(absl::string_view key) const {
  return Read<std::string>(key, RuleType::kText);
}
absl::StatusOr<Cited<MonthDay>> RuleSet::MonthDayOf(absl::string_view key) const {
  return Read<MonthDay>(key, RuleType::kMonthDay);
}

void ValidateRuleSet(RuleSet& set, std::shared_ptr<const RuleSchema> schema, FieldViolations& v,
                     absl::string_view prefix) {
  const size_t before = v.violations().size();
  if (set.name != schema->name()) {
    v.Add(FieldName(prefix, "name"),
          absl::StrCat("must be ", schema->name(), ", not \"", set.name, "\""));
  }
  if (set.version <= 0) v.Add(FieldName(prefix, "version"), "must be greater than 0");
  if (set.effective_from < absl::CivilDay(2000, 1, 1) ||
      set.effective_from > absl::CivilDay(2100, 12, 31)) {
    v.Add(FieldName(prefix, "effective_from"), "must be a day from 2000-01-01 to 2100-12-31");
  }
  validation::CheckText(v, FieldName(prefix, "basis"), set.basis,
                        {.min_chars = 1, .max_chars = 500});
  for (const RuleSpec& spec : schema->specs()) {
    const std::string field = FieldName(prefix, absl::StrCat("rules.", spec.key));
    auto it = set.rules.find(spec.key);
    if (it == set.rules.end()) {
      v.Add(field, absl::StrCat("is missing (", RuleTypeName(spec.type), ", ", spec.requirement,
                                ": ", spec.description, ")"));
      continue;
    }
    CheckValue(it->second.value, spec, field, v);
    validation::CheckText(v, absl::StrCat(field, ".note"), it->second.note, {.max_chars = 500});
  }
  for (const auto& [key, rule] : set.rules) {
    if (schema->Find(key) == nullptr) {
      v.Add(FieldName(prefix, absl::StrCat("rules.", key)),
            absl::StrCat("is not a rule of ", schema->name()));
    }
  }
  if (v.violations().size() == before) set.schema = std::move(schema);
}

absl::Status ValidateRuleSet(RuleSet& set, std::shared_ptr<const RuleSchema> schema) {
  FieldViolations v;
  ValidateRuleSet(set, std::move(schema), v);
  return v.ToStatus();
}

}  // namespace gongkai::rules
