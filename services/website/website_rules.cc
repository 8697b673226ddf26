#include "services/website/website_rules.h"

#include "absl/strings/str_cat.h"
#include "libs/status/status_macros.h"

namespace gongkai::website {

using rules::RuleSchema;
using rules::RuleSpec;
using rules::Unit;

std::shared_ptr<const RuleSchema> NationalRuleSchema() {
  static const auto* const schema =
      new std::shared_ptr<const RuleSchema>(std::make_shared<const RuleSchema>(
          kNationalRuleSet,
          std::vector<RuleSpec>{
              RuleSpec::Integer("probe.per_day", Unit::kCount, {20, 1440}, "NAT-13",
                                "scheduled availability probes of each site a day"),
              RuleSpec::Integer("probe.min_per_day", Unit::kCount, {1, 1440}, "NAT-13",
                                "probes a day the week must hold to decide the veto"),
              RuleSpec::Duration("probe.home_timeout", {absl::Seconds(1), absl::Seconds(120)},
                                 "NAT-13", "the home page must load within"),
              RuleSpec::Integer("probe.content_checks_per_day", Unit::kCount, {1, 48}, "NAT-13",
                                "content checks (columns, links) of each site a day"),
              RuleSpec::Integer("probe.links_sampled", Unit::kCount, {0, 500}, "NAT-13",
                                "links sampled from the home page for the broken-link check"),
              RuleSpec::Integer("veto.availability_window_days", Unit::kCalendarDays, {1, 31},
                                "NAT-13", "availability is judged on this many days of probes"),
              RuleSpec::Decimal("veto.failure_percent", Unit::kPercent, {0.01, 100}, "NAT-13",
                                "failed probes at or above this share veto the site"),
              RuleSpec::Integer("veto.home_stale_days", Unit::kCalendarDays, {1, 366}, "NAT-13",
                                "the home page not updated for this long vetoes the site"),
              RuleSpec::Integer("column.news_stale_days", Unit::kCalendarDays, {1, 366}, "NAT-13",
                                "a news column is stale after"),
              RuleSpec::Integer("column.notice_stale_months", Unit::kMonths, {1, 36}, "NAT-13",
                                "a notice, policy or other column is stale after"),
              RuleSpec::Integer("veto.stale_columns", Unit::kCount, {1, 1000}, "NAT-13",
                                "stale columns (news plus notices/policies) that veto"),
              RuleSpec::Integer("column.long_stale_months", Unit::kMonths, {1, 120}, "NAT-13",
                                "a column not updated for this long is long-stale"),
              RuleSpec::Integer("veto.long_stale_columns", Unit::kCount, {1, 1000}, "NAT-13",
                                "long-stale columns that veto"),
              RuleSpec::Integer("veto.empty_columns", Unit::kCount, {1, 1000}, "NAT-13",
                                "empty columns that veto"),
              RuleSpec::Integer("veto.unanswered_months", Unit::kMonths, {1, 36}, "NAT-13",
                                "a message unanswered for longer vetoes the site"),
              RuleSpec::Integer("veto.severe_error_lookback_days", Unit::kCalendarDays, {1, 1100},
                                "NAT-13",
                                "severe errors found within this many days veto the site"),
              RuleSpec::Integer("new_media.stale_days", Unit::kCalendarDays, {1, 366}, "NAT-14",
                                "an account not updated within this many days fails"),
              RuleSpec::Integer("score.pass_mark", Unit::kCount, {0, 100}, "NAT-14",
                                "a score under this fails"),
              RuleSpec::Integer("score.bonus_threshold", Unit::kCount, {0, 100}, "NAT-14",
                                "a score above this moves on to bonus scoring"),
              RuleSpec::Integer("score.bonus_max", Unit::kCount, {0, 100}, "NAT-14",
                                "bonus points at most (portals)"),
              RuleSpec::Decimal("deduct.failed_probe_points", Unit::kNone, {0, 100}, "NAT-14",
                                "points per failed probe below the veto"),
              RuleSpec::Decimal("deduct.failed_probe_max", Unit::kNone, {0, 100}, "NAT-14",
                                "at most, for failed probes"),
              RuleSpec::Decimal("deduct.stale_column_points", Unit::kNone, {0, 100}, "NAT-14",
                                "points per stale column below the veto"),
              RuleSpec::Decimal("deduct.stale_column_max", Unit::kNone, {0, 100}, "NAT-14",
                                "at most, for stale columns"),
              RuleSpec::Decimal("deduct.empty_column_points", Unit::kNone, {0, 100}, "NAT-14",
                                "points per empty column below the veto"),
              RuleSpec::Decimal("deduct.empty_column_max", Unit::kNone, {0, 100}, "NAT-14",
                                "at most, for empty columns"),
              RuleSpec::Decimal("deduct.broken_link_points", Unit::kNone, {0, 100}, "NAT-14",
                                "points per broken link found in the sample"),
              RuleSpec::Decimal("deduct.broken_link_max", Unit::kNone, {0, 100}, "NAT-14",
                                "at most, for broken links"),
              RuleSpec::Decimal("deduct.leader_name_points", Unit::kNone, {0, 100}, "NAT-14",
                                "points when a configured leader's name is missing"),
              RuleSpec::Integer("interaction.timely_answer_days", Unit::kCalendarDays, {1, 366},
                                "NAT-14", "a message answered later than this is late"),
              RuleSpec::Decimal("deduct.late_answer_points", Unit::kNone, {0, 100}, "NAT-14",
                                "points per late answer"),
              RuleSpec::Decimal("deduct.late_answer_max", Unit::kNone, {0, 100}, "NAT-14",
                                "at most, for late answers"),
              RuleSpec::Decimal("bonus.full_availability", Unit::kNone, {0, 100}, "NAT-14",
                                "bonus when no probe of the week failed"),
              RuleSpec::Decimal("bonus.fresh_columns", Unit::kNone, {0, 100}, "NAT-14",
                                "bonus when every column is fresh"),
              RuleSpec::Decimal("bonus.timely_answers", Unit::kNone, {0, 100}, "NAT-14",
                                "bonus when every message was answered in time")}));
  return *schema;
}

std::shared_ptr<const RuleSchema> SupervisionRuleSchema() {
  static const auto* const schema =
      new std::shared_ptr<const RuleSchema>(std::make_shared<const RuleSchema>(
          kSupervisionRuleSet,
          std::vector<RuleSpec>{
              RuleSpec::Integer("notice.rectification_working_days", Unit::kWorkingDays, {1, 120},
                                "WEB-4",
                                "a criticised unit rectifies within this many working days"),
              RuleSpec::MonthDay("annual_report.due", "NAT-14",
                                 "site and office annual website reports are due by")}));
  return *schema;
}

std::vector<std::shared_ptr<const RuleSchema>> WebsiteRuleSchemas() {
  return {NationalRuleSchema(), SupervisionRuleSchema()};
}

absl::StatusOr<NationalRules> ReadNationalRules(const rules::RuleBook& book, absl::CivilDay day) {
  ASSIGN_OR_RETURN(std::shared_ptr<const rules::RuleSet> set,
                   book.EffectiveOn(kNationalRuleSet, day));
  NationalRules r;
  r.set_key = absl::StrCat(set->name, "@", set->version);
  const auto count = [&](const char* key) { return set->Integer(key, Unit::kCount); };
  const auto days = [&](const char* key) { return set->CalendarDays(key); };
  const auto months = [&](const char* key) { return set->Integer(key, Unit::kMonths); };
  ASSIGN_OR_RETURN(r.probes_per_day, count("probe.per_day"));
  ASSIGN_OR_RETURN(r.min_probes_per_day, count("probe.min_per_day"));
  ASSIGN_OR_RETURN(r.home_timeout, set->Duration("probe.home_timeout"));
  ASSIGN_OR_RETURN(r.content_checks_per_day, count("probe.content_checks_per_day"));
  ASSIGN_OR_RETURN(r.links_sampled, count("probe.links_sampled"));
  ASSIGN_OR_RETURN(r.availability_window_days, days("veto.availability_window_days"));
  ASSIGN_OR_RETURN(r.failure_veto_percent, set->Decimal("veto.failure_percent"));
  ASSIGN_OR_RETURN(r.home_stale_days, days("veto.home_stale_days"));
  ASSIGN_OR_RETURN(r.news_stale_days, days("column.news_stale_days"));
  ASSIGN_OR_RETURN(r.notice_stale_months, months("column.notice_stale_months"));
  ASSIGN_OR_RETURN(r.stale_columns_veto, count("veto.stale_columns"));
  ASSIGN_OR_RETURN(r.long_stale_months, months("column.long_stale_months"));
  ASSIGN_OR_RETURN(r.long_stale_columns_veto, count("veto.long_stale_columns"));
  ASSIGN_OR_RETURN(r.empty_columns_veto, count("veto.empty_columns"));
  ASSIGN_OR_RETURN(r.unanswered_veto_months, months("veto.unanswered_months"));
  ASSIGN_OR_RETURN(r.severe_error_lookback_days, days("veto.severe_error_lookback_days"));
  ASSIGN_OR_RETURN(r.new_media_stale_days, days("new_media.stale_days"));
  ASSIGN_OR_RETURN(r.pass_mark, count("score.pass_mark"));
  ASSIGN_OR_RETURN(r.bonus_threshold, count("score.bonus_threshold"));
  ASSIGN_OR_RETURN(r.bonus_max, count("score.bonus_max"));
  ASSIGN_OR_RETURN(r.failed_probe_points, set->Decimal("deduct.failed_probe_points"));
  ASSIGN_OR_RETURN(r.failed_probe_max, set->Decimal("deduct.failed_probe_max"));
  ASSIGN_OR_RETURN(r.stale_column_points, set->Decimal("deduct.stale_column_points"));
  ASSIGN_OR_RETURN(r.stale_column_max, set->Decimal("deduct.stale_column_max"));
  ASSIGN_OR_RETURN(r.empty_column_points, set->Decimal("deduct.empty_column_points"));
  ASSIGN_OR_RETURN(r.empty_column_max, set->Decimal("deduct.empty_column_max"));
  ASSIGN_OR_RETURN(r.broken_link_points, set->Decimal("deduct.broken_link_points"));
  ASSIGN_OR_RETURN(r.broken_link_max, set->Decimal("deduct.broken_link_max"));
  ASSIGN_OR_RETURN(r.leader_name_points, set->Decimal("deduct.leader_name_points"));
  ASSIGN_OR_RETURN(r.timely_answer_days, days("interaction.timely_answer_days"));
  ASSIGN_OR_RETURN(r.late_answer_points, set->Decimal("deduct.late_answer_points"));
  ASSIGN_OR_RETURN(r.late_answer_max, set->Decimal("deduct.late_answer_max"));
  ASSIGN_OR_RETURN(r.bonus_full_availability, set->Decimal("bonus.full_availability"));
  ASSIGN_OR_RETURN(r.bonus_fresh_columns, set->Decimal("bonus.fresh_columns"));
  ASSIGN_OR_RETURN(r.bonus_timely_answers, set->Decimal("bonus.timely_answers"));
  return r;
}

absl::StatusOr<SupervisionRules> ReadSupervisionRules(const rules::RuleBook& book,
                                                      absl::CivilDay day) {
  ASSIGN_OR_RETURN(std::shared_ptr<const rules::RuleSet> set,
                   book.EffectiveOn(kSupervisionRuleSet, day));
  SupervisionRules r;
  r.set_key = absl::StrCat(set->name, "@", set->version);
  ASSIGN_OR_RETURN(r.rectification_working_days,
                   set->WorkingDays("notice.rectification_working_days"));
  ASSIGN_OR_RETURN(r.annual_report_due, set->MonthDayOf("annual_report.due"));
  return r;
}

}  // namespace gongkai::website
