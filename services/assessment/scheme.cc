#include "services/assessment/scheme.h"

#include <algorithm>
#include <set>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "libs/status/errors.h"
#include "libs/status/status_macros.h"

namespace gongkai::assessment {
namespace {

using rules::RuleSpec;
using rules::Unit;

// ASM-3's situations, each with the rule key naming the item that shows it.
const std::vector<std::pair<v1::TriggerKind, std::string>>& TriggerKeys() {
  static const auto* const keys = new std::vector<std::pair<v1::TriggerKind, std::string>>{
      {v1::PROCEDURE_NOT_FOLLOWED, "accountability.procedure_not_followed.item"},
      {v1::IMPORTANT_INFORMATION_NOT_RELEASED, "accountability.information_not_released.item"},
      {v1::MAJOR_POLICY_NOT_INTERPRETED, "accountability.policy_not_interpreted.item"},
      {v1::LATE_RESPONSE_TO_HOT_TOPICS, "accountability.late_response.item"},
      {v1::PLATFORM_NOT_IN_PLACE, "accountability.platform_not_in_place.item"},
      {v1::NO_TRAINING, "accountability.no_training.item"},
  };
  return *keys;
}

}  // namespace

std::string ItemKey(InspectionItem item, absl::string_view field) {
  return absl::StrFormat("items.%02d.%s", static_cast<int>(item), field);
}

std::shared_ptr<const rules::RuleSchema> SchemeRuleSchema() {
  static const auto* const schema = new std::shared_ptr<const rules::RuleSchema>([] {
    std::vector<RuleSpec> specs;
    // ASM-1: the lower bound is the statute itself; a city may only ask for more.
    specs.push_back(RuleSpec::Decimal("openness.weight", Unit::kPercent, {4, 100}, "ASM-1",
                                      "share of openness in a unit's overall performance score"));
    for (int n = 1; n <= kItemCount; ++n) {
      const auto item = static_cast<InspectionItem>(n);
      specs.push_back(RuleSpec::Decimal(ItemKey(item, "weight"), Unit::kCount, {0, 100}, "ASM-6",
                                        absl::StrCat("points of inspection item ", n)));
      specs.push_back(
          RuleSpec::Text(ItemKey(item, "source"), {}, "ASM-6",
                         absl::StrCat("where the evidence of item ", n, " comes from")));
      specs.push_back(RuleSpec::Text(ItemKey(item, "deductions"), {}, "ASM-6",
                                     absl::StrCat("points off per record, item ", n)));
    }
    specs.push_back(RuleSpec::Integer("accountability.below_percent", Unit::kPercent, {0, 100},
                                      "ASM-3", "an item under this share of its weight raises"));
    for (const auto& [kind, key] : TriggerKeys()) {
      specs.push_back(RuleSpec::Integer(key, Unit::kCount, {1, kItemCount}, "ASM-3",
                                        "the inspection item that shows this situation"));
    }
    return std::make_shared<const rules::RuleSchema>(kSchemeRuleSet, std::move(specs));
  }());
  return *schema;
}

absl::StatusOr<std::vector<DeductionRule>> ParseDeductions(absl::string_view text, double weight) {
  std::vector<DeductionRule> deductions;
  if (text == "-") return deductions;
  for (absl::string_view part : absl::StrSplit(text, ';', absl::SkipWhitespace())) {
    std::vector<absl::string_view> fields = absl::StrSplit(part, ':');
    DeductionRule rule;
    rule.cap = weight;
    if (fields.size() < 2 || fields.size() > 3 || !rules::IsValidRuleName(fields[0]) ||
        !absl::SimpleAtod(fields[1], &rule.points_per_record) || rule.points_per_record < 0 ||
        (fields.size() == 3 && (!absl::SimpleAtod(fields[2], &rule.cap) || rule.cap < 0))) {
      return absl::InvalidArgumentError(
          absl::StrCat("deduction \"", part, "\" is not indicator:points[:cap]"));
    }
    rule.indicator = std::string(fields[0]);
    deductions.push_back(std::move(rule));
  }
  if (deductions.empty()) return absl::InvalidArgumentError("no deduction; write \"-\" for none");
  return deductions;
}

double Scheme::TotalPoints() const {
  double total = 0;
  for (const SchemeItemRule& item : items) total += item.weight;
  return total;
}

std::vector<std::string> Scheme::Services() const {
  std::set<std::string> services;
  for (const SchemeItemRule& item : items) {
    if (item.source != kInspectorSource) services.insert(item.source);
  }
  return {services.begin(), services.end()};
}

v1::Scheme Scheme::ToProto() const {
  v1::Scheme proto;
  proto.set_year(year);
  proto.set_rule_set(version_key);
  proto.set_rule_set_description(description);
  proto.set_openness_weight_percent(openness_weight_percent);
  proto.set_total_points(TotalPoints());
  for (const SchemeItemRule& rule : items) {
    v1::SchemeItem* item = proto.add_items();
    item->set_item(rule.item);
    item->set_weight(rule.weight);
    item->set_source(rule.source);
    for (const DeductionRule& d : rule.deductions) {
      v1::Deduction* deduction = item->add_deductions();
      deduction->set_indicator(d.indicator);
      deduction->set_points_per_record(d.points_per_record);
      deduction->set_cap(d.cap);
    }
  }
  return proto;
}

namespace {

absl::StatusOr<Scheme> SchemeOf(const rules::RuleSet* set_ptr, int year);

}  // namespace

absl::StatusOr<Scheme> ReadScheme(const rules::RuleBook& book, int year) {
  ASSIGN_OR_RETURN(std::shared_ptr<const rules::RuleSet> set,
                   book.EffectiveOn(kSchemeRuleSet, absl::CivilDay(year, 1, 1)));
  return SchemeOf(set.get(), year);
}

absl::StatusOr<Scheme> ReadSchemeVersion(const rules::RuleBook& book, int year,
                                         absl::string_view version_key) {
  const std::string prefix = absl::StrCat(kSchemeRuleSet, "@");
  int64_t version = 0;
  if (!absl::StartsWith(version_key, prefix) ||
      !absl::SimpleAtoi(version_key.substr(prefix.size()), &version)) {
    return absl::InvalidArgumentError(absl::StrCat("not a scheme version: ", version_key));
  }
  ASSIGN_OR_RETURN(std::shared_ptr<const rules::RuleSet> set, book.Get(kSchemeRuleSet, version));
  return SchemeOf(set.get(), year);
}

namespace {

absl::StatusOr<Scheme> SchemeOf(const rules::RuleSet* set_ptr, int year) {
  const rules::RuleSet* set = set_ptr;
  Scheme scheme;
  scheme.year = year;
  scheme.version_key = absl::StrCat(set->name, "@", set->version);
  scheme.description = set->Describe();
  ASSIGN_OR_RETURN(rules::Cited<double> openness, set->Decimal("openness.weight"));
  scheme.openness_weight_percent = openness.value;
  scheme.openness_weight_rule = openness.rule.Explain();
  for (int n = 1; n <= kItemCount; ++n) {
    SchemeItemRule item;
    item.item = static_cast<InspectionItem>(n);
    ASSIGN_OR_RETURN(rules::Cited<double> weight, set->Decimal(ItemKey(item.item, "weight")));
    ASSIGN_OR_RETURN(rules::Cited<std::string> source, set->Text(ItemKey(item.item, "source")));
    ASSIGN_OR_RETURN(rules::Cited<std::string> deductions,
                     set->Text(ItemKey(item.item, "deductions")));
    item.weight = weight.value;
    item.weight_rule = weight.rule.Explain();
    item.source = source.value;
    item.deductions_rule = deductions.rule.Explain();
    absl::StatusOr<std::vector<DeductionRule>> parsed =
        ParseDeductions(deductions.value, weight.value);
    if (!parsed.ok()) {
      return InvalidField(absl::StrCat("rules.", ItemKey(item.item, "deductions")),
                          parsed.status().message());
    }
    item.deductions = *std::move(parsed);
    scheme.items.push_back(std::move(item));
  }
  ASSIGN_OR_RETURN(rules::Cited<int64_t> below,
                   set->Integer("accountability.below_percent", Unit::kPercent));
  scheme.accountability_below_percent = below.value;
  scheme.accountability_below_rule = below.rule.Explain();
  for (const auto& [kind, key] : TriggerKeys()) {
    ASSIGN_OR_RETURN(rules::Cited<int64_t> item, set->Integer(key, Unit::kCount));
    scheme.accountability.push_back(
        {kind, static_cast<InspectionItem>(item.value), item.rule.Explain()});
  }
  return scheme;
}

}  // namespace

}  // namespace gongkai::assessment
