// The JSON form of a rule set: the format of data files (built-in sets, the `rules_dir`
// of an installation) and of the `body` column of the rule_sets table.
//
//   {"name": "catalog.disclosure", "version": 2, "effective_from": "2026-01-01",
//    "basis": "《政府信息公开条例》(2019) 第二十六条",
//    "rules": {
//      "publication.working_days": {"value": 20, "unit": "working_days"},
//      "fee.by_pages": {"value": [{"from": 1, "value": 0}, {"from": 31, "value": 10}],
//                       "note": "yuan per page"},
//      "response.known_facts": {"value": "1h"},
//      "annual_report.department_due": {"value": "01-31"}}}
//
// Every member shown is required except a rule's "unit" (when given it must be the
// schema's unit, a guard against hours written where minutes are meant) and "note".
// Values by type: integer → JSON integer; decimal → JSON number; duration → string in
// Go syntax ("90m", "1h30m", "24h"); tiers → array of {"from", "value"} integers; text →
// string; month_day → "MM-DD". Unknown members are errors.
//
// Thread-safety: free functions.
#ifndef GONGKAI_LIBS_RULES_RULE_SET_JSON_H_
#define GONGKAI_LIBS_RULES_RULE_SET_JSON_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "libs/rules/rule_schema.h"
#include "libs/rules/rule_set.h"

namespace gongkai::rules {

// Parses and validates (ValidateRuleSet) one set. INVALID_ARGUMENT with a
// google.rpc.BadRequest listing every bad field ("rules.<key>" for a rule) when the text
// is not JSON, a member is missing or malformed, or the set does not fit the schema.
absl::StatusOr<RuleSet> ParseRuleSetJson(absl::string_view json,
                                         std::shared_ptr<const RuleSchema> schema);

// The "name" member alone, to pick the schema. INVALID_ARGUMENT when there is none.
absl::StatusOr<std::string> RuleSetNameOfJson(absl::string_view json);

// Canonical JSON (members sorted, no spaces, UTF-8 as is, the unit of every integer,
// decimal and tiers rule written out): equal sets give equal text, so its SHA-256 is the
// content checksum. `set` must have been validated (its schema attached).
std::string RuleSetToJson(const RuleSet& set);

}  // namespace gongkai::rules

#endif  // GONGKAI_LIBS_RULES_RULE_SET_JSON_H_
