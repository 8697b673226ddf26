// The yearly assessment scheme (ASM-1, ASM-6) as a rule set: the 15 inspection items,
// each with its weight, the source of its evidence and its scoring rule, and the share of
// openness in a unit's overall performance score. The numbers and the routing are data
// (rules/assessment.scheme.v*.json, or a version put at run time through
// gongkai.common.v1.RuleSetService); only the keys are declared here.
//
// Keys of "assessment.scheme" (NN is 01..15):
//   openness.weight           decimal percent, at least 4 (ASM-1: a version below it is
//                             refused by the rule-set validation, nothing stored)
//   items.NN.weight           decimal points of item NN
//   items.NN.source           "inspector" (items scored from inspectors' evidence) or the
//                             name of the service answering GetComplianceEvidence for it
//   items.NN.deductions       "-" or "indicator:points_per_record[:cap];...": points taken
//                             off per record the named indicator counts, at most `cap`
//                             (default: the item's weight) per indicator
//   accountability.below_percent    integer percent: an item scoring under this share of
//                                   its weight raises its ASM-3 trigger
//   accountability.<kind>.item      integer 1..15: the item whose score shows <kind>
//
//   ASSIGN_OR_RETURN(Scheme scheme, ReadScheme(*rule_book, 2026));
//   const SchemeItemRule& item = scheme.Item(InspectionItem::TRAINING);
//
// Thread-safety: values.
#ifndef GONGKAI_SERVICES_ASSESSMENT_SCHEME_H_
#define GONGKAI_SERVICES_ASSESSMENT_SCHEME_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "gongkai/assessment/v1/assessment.pb.h"
#include "libs/rules/rule_book.h"
#include "libs/rules/rule_schema.h"

namespace gongkai::assessment {

using common::v1::InspectionItem;

inline constexpr char kSchemeRuleSet[] = "assessment.scheme";
// The source word of items scored from inspectors' evidence.
inline constexpr char kInspectorSource[] = "inspector";
inline constexpr int kItemCount = 15;

std::shared_ptr<const rules::RuleSchema> SchemeRuleSchema();

struct DeductionRule {
  std::string indicator;
  double points_per_record = 0;
  double cap = 0;
};

struct SchemeItemRule {
  InspectionItem item = common::v1::INSPECTION_ITEM_UNSPECIFIED;
  double weight = 0;
  std::string source;
  std::vector<DeductionRule> deductions;
  // Citations: "assessment.scheme v1 (2026-01-01) items.03.weight = 8 points (ASM-6)".
  std::string weight_rule;
  std::string deductions_rule;
};

// The ASM-3 trigger kinds and the items whose scores show them.
struct AccountabilityRule {
  v1::TriggerKind kind = v1::TRIGGER_KIND_UNSPECIFIED;
  InspectionItem item = common::v1::INSPECTION_ITEM_UNSPECIFIED;
  std::string rule;  // Citation of the mapping.
};

struct Scheme {
  int year = 0;
  std::string version_key;  // "assessment.scheme@1"
  std::string description;  // RuleSet::Describe()
  double openness_weight_percent = 0;
  std::string openness_weight_rule;
  std::vector<SchemeItemRule> items;  // Items 1..15 in order.
  int64_t accountability_below_percent = 0;
  std::string accountability_below_rule;
  std::vector<AccountabilityRule> accountability;

  double TotalPoints() const;
  const SchemeItemRule& Item(InspectionItem item) const { return items[item - 1]; }
  // The services named as sources (not "inspector"), sorted, each once.
  std::vector<std::string> Services() const;
  v1::Scheme ToProto() const;
};

// The scheme of `year`: the version of "assessment.scheme" in effect on January 1.
// FAILED_PRECONDITION when no version is in effect; INVALID_ARGUMENT ("rules.items.NN.deductions")
// when a deductions text does not parse.
absl::StatusOr<Scheme> ReadScheme(const rules::RuleBook& book, int year);

// The scheme of `year` as the version named by `version_key` ("assessment.scheme@2"),
// the one a run started with: a version put while the run is retrying does not change
// its rules. NOT_FOUND for an unknown version.
absl::StatusOr<Scheme> ReadSchemeVersion(const rules::RuleBook& book, int year,
                                         absl::string_view version_key);

// Parses "indicator:points[:cap];..." ("-" is none); `weight` is the default cap.
absl::StatusOr<std::vector<DeductionRule>> ParseDeductions(absl::string_view text, double weight);

// "items.03.weight" for item 3.
std::string ItemKey(InspectionItem item, absl::string_view field);

}  // namespace gongkai::assessment

#endif  // GONGKAI_SERVICES_ASSESSMENT_SCHEME_H_
