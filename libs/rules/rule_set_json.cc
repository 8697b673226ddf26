#include "libs/rules/rule_set_json.h"

#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "libs/status/errors.h"
#include "libs/status/status_macros.h"
#include "nlohmann/json.hpp"

namespace gongkai::rules {
namespace {

using Json = nlohmann::json;

absl::StatusOr<Json> ParseObject(absl::string_view text) {
  Json json = Json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) return InvalidField("rule_set", "is not valid JSON");
  if (!json.is_object()) return InvalidField("rule_set", "must be a JSON object");
  return json;
}

bool GetInt64(const Json& j, int64_t& out) {
  if (j.is_number_unsigned()) {
    const uint64_t u = j.get<uint64_t>();
    if (u > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) return false;
    out = static_cast<int64_t>(u);
    return true;
  }
  if (!j.is_number_integer()) return false;
  out = j.get<int64_t>();
  return true;
}

bool ParseMonthDay(const std::string& text, MonthDay& out) {
  if (text.size() != 5 || text[2] != '-') return false;
  int month = 0, day = 0;
  if (!absl::SimpleAtoi(text.substr(0, 2), &month) || !absl::SimpleAtoi(text.substr(3), &day)) {
    return false;
  }
  out = MonthDay{month, day};
  return true;
}

// Reads one rule's value by its spec; adds a violation and returns false when it has
// the wrong JSON shape (bounds are ValidateRuleSet's job).
bool ParseValue(const Json& j, const RuleSpec& spec, const std::string& field, FieldViolations& v,
                RuleValue& out) {
  switch (spec.type) {
    case RuleType::kInteger: {
      int64_t n = 0;
      if (!GetInt64(j, n)) {
        v.Add(field, absl::StrCat("must be an integer (", UnitName(spec.unit), ")"));
        return false;
      }
      out = n;
      return true;
    }
    case RuleType::kDecimal:
      if (!j.is_number()) {
        v.Add(field, absl::StrCat("must be a number (", UnitName(spec.unit), ")"));
        return false;
      }
      out = j.get<double>();
      return true;
    case RuleType::kDuration: {
      absl::Duration d;
      if (!j.is_string() || !absl::ParseDuration(j.get<std::string>(), &d) ||
          d == absl::InfiniteDuration() || d == -absl::InfiniteDuration()) {
        v.Add(field, "must be a duration such as \"90m\", \"1h30m\" or \"24h\"");
        return false;
      }
      out = d;
      return true;
    }
    case RuleType::kTiers: {
      if (!j.is_array()) {
        v.Add(field, "must be an array of {\"from\": integer, \"value\": integer}");
        return false;
      }
      std::vector<Tier> tiers;
      bool ok = true;
      for (size_t i = 0; i < j.size(); ++i) {
        const Json& t = j[i];
        Tier tier;
        if (!t.is_object() || t.size() != 2 || !t.contains("from") || !t.contains("value") ||
            !GetInt64(t["from"], tier.from) || !GetInt64(t["value"], tier.value)) {
          v.Add(absl::StrCat(field, "[", i, "]"),
                "must be {\"from\": integer, \"value\": integer}");
          ok = false;
          continue;
        }
        tiers.push_back(tier);
      }
      out = std::move(tiers);
      return ok;
    }
    case RuleType::kText:
      if (!j.is_string()) {
        v.Add(field, "must be a string");
        return false;
      }
      out = j.get<std::string>();
      return true;
    case RuleType::kMonthDay: {
      MonthDay md;
      if (!j.is_string() || !ParseMonthDay(j.get<std::string>(), md)) {
        v.Add(field, "must be a day of the year, \"MM-DD\"");
        return false;
      }
      out = md;
      return true;
    }
  }
  return false;
}

Json ValueToJson(const RuleValue& value) {
  switch (TypeOf(value)) {
    case RuleType::kInteger:
      return std::get<int64_t>(value);
    case RuleType::kDecimal:
      return std::get<double>(value);
    case RuleType::kDuration:
      return absl::FormatDuration(std::get<absl::Duration>(value));
    case RuleType::kTiers: {
      Json tiers = Json::array();
      for (const Tier& t : std::get<std::vector<Tier>>(value)) {
        tiers.push_back(Json{{"from", t.from}, {"value", t.value}});
      }
      return tiers;
    }
    case RuleType::kText:
      return std::get<std::string>(value);
    case RuleType::kMonthDay: {
      const MonthDay& md = std::get<MonthDay>(value);
      return absl::StrFormat("%02d-%02d", md.month, md.day);
    }
  }
  return nullptr;
}

}  // namespace

absl::StatusOr<std::string> RuleSetNameOfJson(absl::string_view json) {
  ASSIGN_OR_RETURN(Json j, ParseObject(json));
  if (!j.contains("name") || !j["name"].is_string()) {
    return InvalidField("name", "must be the rule set's name, a string");
  }
  return j["name"].get<std::string>();
}

absl::StatusOr<RuleSet> ParseRuleSetJson(absl::string_view json,
                                         std::shared_ptr<const RuleSchema> schema) {
  ASSIGN_OR_RETURN(Json j, ParseObject(json));
  FieldViolations v;
  RuleSet set;
  for (const auto& [member, value] : j.items()) {
    if (member == "name") {
      if (value.is_string()) {
        set.name = value.get<std::string>();
      } else {
        v.Add("name", "must be a string");
      }
    } else if (member == "version") {
      if (!GetInt64(value, set.version)) v.Add("version", "must be an integer");
    } else if (member == "effective_from") {
      if (!value.is_string() || value.get<std::string>().size() != 10 ||
          !absl::ParseCivilTime(value.get<std::string>(), &set.effective_from)) {
        v.Add("effective_from", "must be a date \"YYYY-MM-DD\"");
      }
    } else if (member == "basis") {
      if (value.is_string()) {
        set.basis = value.get<std::string>();
      } else {
        v.Add("basis", "must be a string");
      }
    } else if (member == "rules") {
      if (!value.is_object()) {
        v.Add("rules", "must be an object of rule key → {\"value\": ...}");
        continue;
      }
      for (const auto& [key, body] : value.items()) {
        const std::string field = absl::StrCat("rules.", key);
        const RuleSpec* spec = schema->Find(key);
        if (spec == nullptr) {
          v.Add(field, absl::StrCat("is not a rule of ", schema->name()));
          continue;
        }
        if (!body.is_object() || !body.contains("value")) {
          v.Add(field, "must be an object {\"value\": ..., \"unit\"?: ..., \"note\"?: ...}");
          continue;
        }
        Rule rule;
        bool ok = ParseValue(body["value"], *spec, field, v, rule.value);
        for (const auto& [name, part] : body.items()) {
          if (name == "value") continue;
          if (name == "note") {
            if (part.is_string()) {
              rule.note = part.get<std::string>();
            } else {
              v.Add(field + ".note", "must be a string");
              ok = false;
            }
          } else if (name == "unit") {
            if (!part.is_string() || part.get<std::string>() != UnitName(spec->unit)) {
              v.Add(field + ".unit", absl::StrCat("must be \"", UnitName(spec->unit), "\""));
              ok = false;
            }
          } else {
            v.Add(absl::StrCat(field, ".", name), "is not a member of a rule");
            ok = false;
          }
        }
        if (ok) set.rules.emplace(key, std::move(rule));
      }
    } else {
      v.Add(member, "is not a member of a rule set");
    }
  }
  for (const char* required : {"name", "version", "effective_from", "basis", "rules"}) {
    if (!j.contains(required)) v.Add(required, "is missing");
  }
  if (!v.empty()) {
    // Report the schema's other complaints too, except for keys already reported.
    FieldViolations rest;
    ValidateRuleSet(set, schema, rest);
    // A field is already reported when it, a part of it or the whole it is part of was.
    auto related = [](const std::string& a, const std::string& b) {
      const std::string& shorter = a.size() <= b.size() ? a : b;
      const std::string& longer = a.size() <= b.size() ? b : a;
      return longer.compare(0, shorter.size(), shorter) == 0 &&
             (longer.size() == shorter.size() || longer[shorter.size()] == '.' ||
              longer[shorter.size()] == '[');
    };
    const std::vector<FieldViolation> reported = v.violations();
    for (const FieldViolation& fv : rest.violations()) {
      bool seen = false;
      for (const FieldViolation& known : reported) seen = seen || related(fv.field, known.field);
      if (!seen) v.Add(fv.field, fv.description);
    }
    return v.ToStatus();
  }
  RETURN_IF_ERROR(ValidateRuleSet(set, std::move(schema)));
  return set;
}

std::string RuleSetToJson(const RuleSet& set) {
  Json rules = Json::object();
  for (const auto& [key, rule] : set.rules) {
    Json body{{"value", ValueToJson(rule.value)}};
    const RuleSpec* spec = set.schema == nullptr ? nullptr : set.schema->Find(key);
    if (spec != nullptr && spec->unit != Unit::kNone) body["unit"] = UnitName(spec->unit);
    if (!rule.note.empty()) body["note"] = rule.note;
    rules[key] = std::move(body);
  }
  Json j{{"name", set.name},
         {"version", set.version},
         {"effective_from", absl::FormatCivilTime(set.effective_from)},
         {"basis", set.basis},
         {"rules", std::move(rules)}};
  return j.dump();
}

}  // namespace gongkai::rules
