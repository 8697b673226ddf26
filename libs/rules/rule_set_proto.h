// Conversions between RuleSet and its proto, gongkai.common.v1.RuleSet
// (protos/gongkai/common/v1/rule_sets.proto). Thread-safety: free functions.
#ifndef GONGKAI_LIBS_RULES_RULE_SET_PROTO_H_
#define GONGKAI_LIBS_RULES_RULE_SET_PROTO_H_

#include "absl/strings/string_view.h"
#include "gongkai/common/v1/rule_sets.pb.h"
#include "libs/rules/rule_set.h"
#include "libs/status/errors.h"

namespace gongkai::rules {

struct ToProtoOptions {
  bool with_rules = true;  // false: the header only (ListRuleSets).
  bool in_effect = false;
};

// A validated set (its schema attached) → proto, with each rule's unit, requirement and
// description from the schema.
common::v1::RuleSet ToProto(const RuleSet& set, const ToProtoOptions& options = {});

// Proto → RuleSet, not yet validated (ValidateRuleSet does that). Adds a violation under
// `prefix` for a malformed date ("effective_from"), a rule without a value or with a
// malformed duration ("rules.<key>").
RuleSet FromProto(const common::v1::RuleSet& proto, FieldViolations& violations,
                  absl::string_view prefix = "");

}  // namespace gongkai::rules

#endif  // GONGKAI_LIBS_RULES_RULE_SET_PROTO_H_
