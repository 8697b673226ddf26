// The catalog's rule sets (libs/rules, ADR 0019): the statutory numbers it computes with,
// declared here as schemas (keys, types, bounds, requirement IDs) and shipped as data in
// services/catalog/rules/*.json (the national defaults of requirements.md, embedded in
// gongkai-catalog). A city changes a number by putting a new version
// (`gongkai-rules put FILE`, docs/services/catalog.md "Rule sets"), not by a release.
//
//   catalog.publication    publication.working_days                         CAT-3, NAT-4
//   catalog.annual_report  annual_report.department_due, .government_due,
//                          annual_report.government_levels                  NAT-10
//   catalog.fees           fee.by_count, fee.by_count.step_requests,
//                          fee.by_count.step_yuan, fee.by_pages             NAT-9
//   catalog.requests       request.correction_notice_working_days,
//                          request.consultation_working_days                NAT-6
//                          request.reply_working_days,
//                          request.max_extension_working_days               NAT-7
//
// Callers read the version in effect on the day of the event (a document's clock start,
// a report year's deadline), so a result keeps the rules of its time, and cite the rule
// in what they return:
//
//   ASSIGN_OR_RETURN(rules::Cited<int64_t> period,
//                    PublicationWorkingDays(*book, created_on));
//   CiteRule(period.rule, explanation);   // appends "依据规则：catalog.publication v1 ..."
//
// Thread-safety: the schemas are immutable; the functions only read the RuleBook.
#ifndef GONGKAI_SERVICES_CATALOG_CATALOG_RULE_SETS_H_
#define GONGKAI_SERVICES_CATALOG_CATALOG_RULE_SETS_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "gongkai/common/v1/common.pb.h"
#include "libs/rules/rule_book.h"
#include "libs/rules/rule_schema.h"
#include "libs/rules/rule_set.h"

namespace gongkai::catalog {

inline constexpr char kPublicationRuleSet[] = "catalog.publication";
inline constexpr char kAnnualReportRuleSet[] = "catalog.annual_report";
inline constexpr char kFeeRuleSet[] = "catalog.fees";
inline constexpr char kRequestRuleSet[] = "catalog.requests";
inline constexpr char kSelfReviewRuleSet[] = "catalog.self_review";

// catalog.requests keys (working days; national values 7, 15, 20, 20).
inline constexpr char kCorrectionNoticeRule[] = "request.correction_notice_working_days";
inline constexpr char kConsultationRule[] = "request.consultation_working_days";
inline constexpr char kReplyRule[] = "request.reply_working_days";
inline constexpr char kMaxExtensionRule[] = "request.max_extension_working_days";

// catalog.publication: publication.working_days (CAT-3, NAT-4; national 20).
std::shared_ptr<const rules::RuleSchema> PublicationRuleSchema();
// catalog.annual_report (NAT-10): department_due (national 01-31), government_due
// (03-31) and government_levels — which unit levels report as governments by
// government_due: "city_county_township" (national reading) or "city_county".
std::shared_ptr<const rules::RuleSchema> AnnualReportRuleSchema();
// catalog.fees (NAT-9): fee.by_count (yuan per request by the applicant's place in the
// month: 1+ 0, 11+ 100, 31+ 200), beyond its last tier fee.by_count.step_yuan (100)
// more per further fee.by_count.step_requests (10); fee.by_pages (yuan per page,
// progressive: 1+ 0, 31+ 10, 101+ 20, 201+ 40).
std::shared_ptr<const rules::RuleSchema> FeeRuleSchema();
// catalog.requests (NAT-6, NAT-7): the request clocks' working-day periods — the
// correction notice (national 7), the third party's consultation (15), the reply (20)
// and the one extension's maximum (20).
std::shared_ptr<const rules::RuleSchema> RequestRuleSchema();
// catalog.self_review (CAT-7): self_review.most_requested.min_applicants — information
// asked for by at least this many different applicants in a year is "most requested"
// (national 2: Art. 44's 多个申请人).
std::shared_ptr<const rules::RuleSchema> SelfReviewRuleSchema();
// Every schema the catalog declares (server::ServiceDefinition::rule_schemas).
std::vector<std::shared_ptr<const rules::RuleSchema>> CatalogRuleSchemas();

// CAT-3: the working days within which proactive content created on `day` is published,
// from the catalog.publication version in effect on `day`. FAILED_PRECONDITION when no
// version is in effect on that day.
absl::StatusOr<rules::Cited<int64_t>> PublicationWorkingDays(const rules::RuleBook& book,
                                                             absl::CivilDay day);

// NAT-6/NAT-7: the working days of `key` (one of the catalog.requests keys above) from
// the catalog.requests version in effect on `day`. FAILED_PRECONDITION when none is.
absl::StatusOr<rules::Cited<int64_t>> RequestWorkingDays(const rules::RuleBook& book,
                                                         const char* key, absl::CivilDay day);

// CAT-7: the "most requested" threshold (different applicants) from the
// catalog.self_review version in effect on `day`. FAILED_PRECONDITION when none is.
absl::StatusOr<rules::Cited<int64_t>> MostRequestedMinApplicants(const rules::RuleBook& book,
                                                                 absl::CivilDay day);

// Names the rule that gave a deadline its length: sets `rule` (RuleRef::Explain()) and
// `rule_version` (RuleRef::VersionKey()) and appends "依据规则：<Explain()>" to the text.
void CiteRule(const rules::RuleRef& rule, common::v1::DeadlineExplanation& explanation);

}  // namespace gongkai::catalog

#endif  // GONGKAI_SERVICES_CATALOG_CATALOG_RULE_SETS_H_
