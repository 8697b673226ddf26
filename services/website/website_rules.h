// The website service's rule sets (libs/rules, ADR 0019): every number of NAT-13 and
// NAT-14 (probe counts, the home-page limit, staleness periods, veto counts, deductions,
// bonuses, pass marks) and of WEB-2/WEB-4 (report due day, rectification period) is data
// in services/website/rules/*.json, declared here as schemas and read into typed structs
// that keep each rule's citation, so an evaluation names the set, version and rule
// behind every veto and deduction.
//
//   website.national     NAT-13 vetoes, NAT-14 scoring, the prober's cadence
//   website.supervision  WEB-4 rectification period, NAT-14 annual report due day
//
//   ASSIGN_OR_RETURN(NationalRules rules, ReadNationalRules(*book, today));
//   if (failure_percent >= rules.failure_veto_percent.value) ...  // cite .rule
//
// Thread-safety: the schemas are immutable; the readers only read the RuleBook.
#ifndef GONGKAI_SERVICES_WEBSITE_WEBSITE_RULES_H_
#define GONGKAI_SERVICES_WEBSITE_WEBSITE_RULES_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "libs/rules/rule_book.h"
#include "libs/rules/rule_schema.h"
#include "libs/rules/rule_set.h"

namespace gongkai::website {

inline constexpr char kNationalRuleSet[] = "website.national";
inline constexpr char kSupervisionRuleSet[] = "website.supervision";

std::shared_ptr<const rules::RuleSchema> NationalRuleSchema();
std::shared_ptr<const rules::RuleSchema> SupervisionRuleSchema();
std::vector<std::shared_ptr<const rules::RuleSchema>> WebsiteRuleSchemas();

// website.national, read once per evaluation (or prober pass) from the version in
// effect on the day.
struct NationalRules {
  std::string set_key;  // "website.national@1"
  // The prober (NAT-13).
  rules::Cited<int64_t> probes_per_day;       // Scheduled probes a day (>= 20).
  rules::Cited<int64_t> min_probes_per_day;   // The week needs this many a day.
  rules::Cited<absl::Duration> home_timeout;  // The home page loads within (15 s).
  rules::Cited<int64_t> content_checks_per_day;
  rules::Cited<int64_t> links_sampled;
  // Vetoes (NAT-13).
  rules::Cited<int64_t> availability_window_days;  // 7
  rules::Cited<double> failure_veto_percent;       // 5
  rules::Cited<int64_t> home_stale_days;           // 14
  rules::Cited<int64_t> news_stale_days;           // 14
  rules::Cited<int64_t> notice_stale_months;       // 6
  rules::Cited<int64_t> stale_columns_veto;        // 5
  rules::Cited<int64_t> long_stale_months;
  rules::Cited<int64_t> long_stale_columns_veto;  // 10
  rules::Cited<int64_t> empty_columns_veto;       // 5
  rules::Cited<int64_t> unanswered_veto_months;   // 3
  rules::Cited<int64_t> severe_error_lookback_days;
  rules::Cited<int64_t> new_media_stale_days;  // 14 (NAT-14)
  // Scoring (NAT-14).
  rules::Cited<int64_t> pass_mark;           // 60
  rules::Cited<int64_t> bonus_threshold;     // 80
  rules::Cited<int64_t> bonus_max;           // 30
  rules::Cited<double> failed_probe_points;  // Per failed probe below the veto.
  rules::Cited<double> failed_probe_max;
  rules::Cited<double> stale_column_points;
  rules::Cited<double> stale_column_max;
  rules::Cited<double> empty_column_points;
  rules::Cited<double> empty_column_max;
  rules::Cited<double> broken_link_points;
  rules::Cited<double> broken_link_max;
  rules::Cited<double> leader_name_points;
  rules::Cited<int64_t> timely_answer_days;
  rules::Cited<double> late_answer_points;
  rules::Cited<double> late_answer_max;
  rules::Cited<double> bonus_full_availability;
  rules::Cited<double> bonus_fresh_columns;
  rules::Cited<double> bonus_timely_answers;
};

absl::StatusOr<NationalRules> ReadNationalRules(const rules::RuleBook& book, absl::CivilDay day);

struct SupervisionRules {
  std::string set_key;
  rules::Cited<int64_t> rectification_working_days;  // WEB-4
  rules::Cited<rules::MonthDay> annual_report_due;   // NAT-14: Jan 31
};

absl::StatusOr<SupervisionRules> ReadSupervisionRules(const rules::RuleBook& book,
                                                      absl::CivilDay day);

}  // namespace gongkai::website

#endif  // GONGKAI_SERVICES_WEBSITE_WEBSITE_RULES_H_
