// Rule sets as data: the statutory numbers a service computes with (periods, thresholds,
// fee tiers, weights), versioned and loaded at run time like the calendar years, never
// constants in code (requirements.md §7: "the rule set is configuration, not code").
//
// A RuleSet is one version of a named set: its name ("catalog.disclosure"), an integer
// version (> 0), the Asia/Shanghai day it takes effect, the notice or regulation it comes
// from (`basis`), and one typed value per rule key. The keys, types, units and bounds are
// a RuleSchema declared in the service's code (rule_schema.h); the values live only in
// JSON files (rule_set_json.h), in the database (rule_set_store.h) or in a PutRuleSet call.
// A RuleBook (rule_book.h) holds every version and answers which one applies on a day.
//
// Every number read from a set comes with its citation, to put into the result it helped
// compute, so a page can say which rule (and which version of it) produced a deadline:
//
//   ASSIGN_OR_RETURN(std::shared_ptr<const RuleSet> rules,
//                    book.EffectiveOn("catalog.disclosure", created));
//   ASSIGN_OR_RETURN(Cited<int64_t> period, rules->WorkingDays("publication.working_days"));
//   ASSIGN_OR_RETURN(calendar::Deadline due, calendar.AddWorkingDays(created, period.value));
//   explanation = absl::StrCat(due.Explain(), "\n", period.rule.Explain());
//   // "... 依据：catalog.disclosure v2 (2026-01-01) publication.working_days = 15 working
//   //  days (CAT-3) ..."
//   store(due, period.rule);   // the RuleRef: book.IsStale(ref, created) says when to redo
//
// Thread-safety: plain value types. A RuleBook hands out `shared_ptr<const RuleSet>`
// snapshots that never change.
#ifndef GONGKAI_LIBS_RULES_RULE_SET_H_
#define GONGKAI_LIBS_RULES_RULE_SET_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "libs/rules/rule_schema.h"
#include "libs/status/errors.h"

namespace gongkai::rules {

// One step of a tiered rule: from `from` (inclusive) up to the next tier's `from`, the
// value is `value`. E.g. NAT-9 by pages: {1, 0}, {31, 10}, {101, 20}, {201, 40} yuan/page.
struct Tier {
  int64_t from = 0;
  int64_t value = 0;
  friend bool operator==(const Tier& a, const Tier& b) {
    return a.from == b.from && a.value == b.value;
  }
};

struct MonthDay {
  int month = 1;
  int day = 1;
  friend bool operator==(const MonthDay& a, const MonthDay& b) {
    return a.month == b.month && a.day == b.day;
  }
};

// One rule's value. Its alternative must match the RuleType of the key's RuleSpec:
// kInteger int64_t, kDecimal double, kDuration absl::Duration, kTiers vector<Tier>,
// kText std::string, kMonthDay MonthDay.
using RuleValue =
    std::variant<int64_t, double, absl::Duration, std::vector<Tier>, std::string, MonthDay>;

// The RuleType a value holds.
RuleType TypeOf(const RuleValue& value);

// Readable text for explanations: "15 working days", "4.5 percent", "5h",
// "1+: 0, 11+: 100, 31+: 200 yuan per count", "departments", "01-31".
std::string FormatValue(const RuleValue& value, const RuleSpec& spec);

struct Rule {
  RuleValue value;
  std::string note;  // Optional free text from the data (e.g. "Art. 33").
  friend bool operator==(const Rule& a, const Rule& b) {
    return a.value == b.value && a.note == b.note;
  }
};

// Which rule a result was computed with: enough to cite it on a page and to find out
// later that a newer version applies (RuleBook::IsStale).
struct RuleRef {
  std::string set;  // "catalog.disclosure"
  int64_t version = 0;
  absl::CivilDay effective_from;
  std::string basis;        // The notice or regulation of that version.
  std::string key;          // "publication.working_days"
  std::string requirement;  // "CAT-3"
  std::string value;        // FormatValue: "15 working days"

  // "catalog.disclosure v2 (2026-01-01) publication.working_days = 15 working days (CAT-3)"
  std::string Explain() const;
  // "catalog.disclosure@2": the version key to store beside a computed result.
  std::string VersionKey() const;

  friend bool operator==(const RuleRef& a, const RuleRef& b) {
    return a.set == b.set && a.version == b.version && a.key == b.key && a.value == b.value &&
           a.effective_from == b.effective_from && a.basis == b.basis &&
           a.requirement == b.requirement;
  }
};

// A value read from a rule set, with the citation of the rule it came from.
template <typename T>
struct Cited {
  T value;
  RuleRef rule;
};

class RuleSet {
 public:
  std::string name;
  int64_t version = 0;
  absl::CivilDay effective_from;
  std::string basis;
  std::map<std::string, Rule> rules;

  // The schema the set was validated against (ValidateRuleSet sets it); the accessors
  // below need it for units and requirement IDs. Not part of the content (operator==).
  std::shared_ptr<const RuleSchema> schema;

  // Typed accessors. INTERNAL when the set was not validated, the key is not in the
  // schema, or its type/unit is not the one asked for: code asking for a rule its own
  // schema does not declare is a bug, and a validated set always has every key.
  absl::StatusOr<Cited<int64_t>> Integer(absl::string_view key, Unit unit) const;
  absl::StatusOr<Cited<int64_t>> WorkingDays(absl::string_view key) const {
    return Integer(key, Unit::kWorkingDays);
  }
  absl::StatusOr<Cited<int64_t>> CalendarDays(absl::string_view key) const {
    return Integer(key, Unit::kCalendarDays);
  }
  absl::StatusOr<Cited<double>> Decimal(absl::string_view key) const;
  absl::StatusOr<Cited<absl::Duration>> Duration(absl::string_view key) const;
  absl::StatusOr<Cited<std::vector<Tier>>> Tiers(absl::string_view key) const;
  absl::StatusOr<Cited<std::string>> Text(absl::string_view key) const;
  absl::StatusOr<Cited<MonthDay>> MonthDayOf(absl::string_view key) const;

  // The citation of `key` without reading the value. INTERNAL as above.
  absl::StatusOr<RuleRef> Cite(absl::string_view key) const;

  // "catalog.disclosure v2 (2026-01-01, 《政府信息公开条例》(2019))".
  std::string Describe() const;

  friend bool operator==(const RuleSet& a, const RuleSet& b) {
    return a.name == b.name && a.version == b.version && a.effective_from == b.effective_from &&
           a.basis == b.basis && a.rules == b.rules;
  }
  friend bool operator!=(const RuleSet& a, const RuleSet& b) { return !(a == b); }

 private:
  absl::StatusOr<const Rule*> Lookup(absl::string_view key, RuleType type,
                                     const RuleSpec** spec) const;
  template <typename T>
  absl::StatusOr<Cited<T>> Read(absl::string_view key, RuleType type) const;
};

// Checks `set` against `schema` and, when it passes, attaches the schema to it. Adds one
// violation per problem to `violations`, each naming its field under `prefix`
// ("" → "name", "version", "rules.publication.working_days"): the name must be the
// schema's; version > 0; effective_from from 2000 to 2100; basis 1..500 characters;
// every schema key present, of its type, within its bounds (tiers: at least one, `from`
// >= 0 and strictly increasing, each value in bounds; texts: one of the allowed words,
// 1..200 characters; month-days: a real day); no key the schema does not declare; notes
// at most 500 characters.
void ValidateRuleSet(RuleSet& set, std::shared_ptr<const RuleSchema> schema,
                     FieldViolations& violations, absl::string_view prefix = "");

// The same, returning INVALID_ARGUMENT (google.rpc.BadRequest naming every bad field).
absl::Status ValidateRuleSet(RuleSet& set, std::shared_ptr<const RuleSchema> schema);

}  // namespace gongkai::rules

#endif  // GONGKAI_LIBS_RULES_RULE_SET_H_
