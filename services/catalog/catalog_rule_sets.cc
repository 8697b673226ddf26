#include "services/catalog/catalog_rule_sets.h"

#include "absl/strings/str_cat.h"
#include "libs/status/status_macros.h"

namespace gongkai::catalog {

using rules::RuleSchema;
using rules::RuleSpec;
using rules::Unit;

std::shared_ptr<const RuleSchema> PublicationRuleSchema() {
  static const auto* const schema =
      new std::shared_ptr<const RuleSchema>(std::make_shared<const RuleSchema>(
          kPublicationRuleSet,
          std::vector<RuleSpec>{RuleSpec::Integer(
              "publication.working_days", Unit::kWorkingDays, {1, 60}, "CAT-3",
              "proactive content is published within this many working days of its creation")}));
  return *schema;
}

std::shared_ptr<const RuleSchema> AnnualReportRuleSchema() {
  static const auto* const schema =
      new std::shared_ptr<const RuleSchema>(std::make_shared<const RuleSchema>(
          kAnnualReportRuleSet,
          std::vector<RuleSpec>{
              RuleSpec::MonthDay("annual_report.department_due", "NAT-10",
                                 "departments publish the previous year's report by this day"),
              RuleSpec::MonthDay("annual_report.government_due", "NAT-10",
                                 "governments publish the previous year's report by this day"),
              RuleSpec::Text("annual_report.government_levels",
                             {"city_county_township", "city_county"}, "NAT-10",
                             "the unit levels that report as governments (by government_due)")}));
  return *schema;
}

std::shared_ptr<const RuleSchema> FeeRuleSchema() {
  static const auto* const schema =
      new std::shared_ptr<const RuleSchema>(std::make_shared<const RuleSchema>(
          kFeeRuleSet,
          std::vector<RuleSpec>{
              RuleSpec::Tiers("fee.by_count", Unit::kCount, Unit::kYuan, {0, 100000}, "NAT-9",
                              "yuan per request, by the request's place in the applicant's month"),
              RuleSpec::Integer("fee.by_count.step_requests", Unit::kCount, {1, 1000}, "NAT-9",
                                "beyond the last count tier, the fee rises every this many"),
              RuleSpec::Integer("fee.by_count.step_yuan", Unit::kYuan, {0, 100000}, "NAT-9",
                                "beyond the last count tier, each step adds this much"),
              RuleSpec::Tiers("fee.by_pages", Unit::kPages, Unit::kYuan, {0, 10000}, "NAT-9",
                              "yuan per page, progressive by the pages provided")}));
  return *schema;
}

std::shared_ptr<const RuleSchema> RequestRuleSchema() {
  static const auto* const schema =
      new std::shared_ptr<const RuleSchema>(std::make_shared<const RuleSchema>(
          kRequestRuleSet,
          std::vector<RuleSpec>{
              RuleSpec::Integer(kCorrectionNoticeRule, Unit::kWorkingDays, {1, 30}, "NAT-6",
                                "an incomplete request's correction notice is issued within "
                                "this many working days of its receipt"),
              RuleSpec::Integer(kConsultationRule, Unit::kWorkingDays, {1, 60}, "NAT-6",
                                "a consulted third party answers within this many working days "
                                "(not counted in the reply period)"),
              RuleSpec::Integer(kReplyRule, Unit::kWorkingDays, {1, 60}, "NAT-7",
                                "the reply is due this many working days after receipt"),
              RuleSpec::Integer(kMaxExtensionRule, Unit::kWorkingDays, {1, 60}, "NAT-7",
                                "the one extension of the reply period is at most this long")}));
  return *schema;
}

std::shared_ptr<const RuleSchema> SelfReviewRuleSchema() {
  static const auto* const schema =
      new std::shared_ptr<const RuleSchema>(std::make_shared<const RuleSchema>(
          kSelfReviewRuleSet,
          std::vector<RuleSpec>{RuleSpec::Integer(
              "self_review.most_requested.min_applicants", Unit::kCount, {2, 1000}, "CAT-7",
              "information asked for by at least this many different applicants in a year is "
              "decided in the year's self-review")}));
  return *schema;
}

std::vector<std::shared_ptr<const RuleSchema>> CatalogRuleSchemas() {
  return {PublicationRuleSchema(), AnnualReportRuleSchema(), FeeRuleSchema(), RequestRuleSchema(),
          SelfReviewRuleSchema()};
}

absl::StatusOr<rules::Cited<int64_t>> MostRequestedMinApplicants(const rules::RuleBook& book,
                                                                 absl::CivilDay day) {
  ASSIGN_OR_RETURN(std::shared_ptr<const rules::RuleSet> set,
                   book.EffectiveOn(kSelfReviewRuleSet, day));
  return set->Integer("self_review.most_requested.min_applicants", Unit::kCount);
}

absl::StatusOr<rules::Cited<int64_t>> RequestWorkingDays(const rules::RuleBook& book,
                                                         const char* key, absl::CivilDay day) {
  ASSIGN_OR_RETURN(std::shared_ptr<const rules::RuleSet> set,
                   book.EffectiveOn(kRequestRuleSet, day));
  return set->WorkingDays(key);
}

absl::StatusOr<rules::Cited<int64_t>> PublicationWorkingDays(const rules::RuleBook& book,
                                                             absl::CivilDay day) {
  ASSIGN_OR_RETURN(std::shared_ptr<const rules::RuleSet> set,
                   book.EffectiveOn(kPublicationRuleSet, day));
  return set->WorkingDays("publication.working_days");
}

void CiteRule(const rules::RuleRef& rule, common::v1::DeadlineExplanation& explanation) {
  explanation.set_rule(rule.Explain());
  explanation.set_rule_version(rule.VersionKey());
  absl::StrAppend(explanation.mutable_text(), explanation.text().empty() ? "" : "\n", "依据规则：",
                  rule.Explain());
}

}  // namespace gongkai::catalog
