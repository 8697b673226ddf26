#include "services/website/scoring/evaluation.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "libs/clock/clock.h"
#include "libs/protoconv/protoconv.h"

namespace gongkai::website::scoring {
namespace {

constexpr int kMaxEvidence = 50;

class Scorer {
 public:
  explicit Scorer(v1::SiteEvaluation& result) : result_(result) {}

  v1::Finding& Add(absl::string_view item, absl::string_view requirement, v1::FindingClass cls,
                   bool veto, double points, std::string explanation,
                   std::initializer_list<const rules::RuleRef*> cited) {
    v1::Finding& f = *result_.add_findings();
    f.set_item(std::string(item));
    f.set_requirement(std::string(requirement));
    f.set_finding_class(cls);
    f.set_veto(veto);
    f.set_points(points);
    f.set_explanation(std::move(explanation));
    for (const rules::RuleRef* ref : cited) f.add_rules(ref->Explain());
    if (veto) result_.set_vetoed(true);
    deducted_ += points;
    return f;
  }
  double deducted() const { return deducted_; }

 private:
  v1::SiteEvaluation& result_;
  double deducted_ = 0;
};

void AddEvidence(v1::Finding& finding, const std::vector<std::string>& refs) {
  for (size_t i = 0; i < refs.size() && i < kMaxEvidence; ++i) finding.add_evidence(refs[i]);
}

std::string FormatDay(absl::CivilDay day) { return absl::FormatCivilTime(day); }

void EvaluateGaps(const EvaluationInput& in, const NationalRules& r, Scorer& scorer,
                  v1::SiteEvaluation& result) {
  const absl::Time window_start = absl::FromCivil(
      absl::CivilSecond(in.as_of - (r.availability_window_days.value - 1)), ShanghaiTimeZone());
  int64_t missed = 0;
  std::vector<std::string> refs;
  for (const SlotGap& gap : in.gaps) {
    const int64_t n = MissedSlotsIn(gap, window_start, in.as_of_end);
    if (n == 0) continue;
    missed += n;
    refs.push_back(absl::StrCat(
        "gap/", absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", gap.first_slot, absl::UTCTimeZone())));
  }
  result.set_probes_missed_in_week(static_cast<int32_t>(missed));
  if (missed == 0) return;
  // Not the site's failure: the prober was not running. No points, no veto; the week
  // is decided on the probes made (probes_incomplete says when they are too few).
  AddEvidence(scorer.Add("probes_missed", "NAT-13", v1::FINDING_CLASS_UNSPECIFIED, false, 0,
                         absl::StrCat(missed,
                                      " scheduled slots of the window were missed by the prober "
                                      "(no replica running); they count neither as failures nor "
                                      "as successes"),
                         {&r.probes_per_day.rule, &r.min_probes_per_day.rule}),
              refs);
}

void EvaluateAvailability(const EvaluationInput& in, const NationalRules& r, Scorer& scorer,
                          v1::SiteEvaluation& result) {
  EvaluateGaps(in, r, scorer, result);
  int made = 0;
  std::vector<std::string> failed;
  for (const ProbeOutcome& p : in.window_probes) {
    if (p.robots_disallowed) continue;
    ++made;
    if (!p.home_ok) failed.push_back(absl::StrCat("probe/", p.id));
  }
  result.set_probes_in_week(made);
  result.set_failed_probes_in_week(static_cast<int32_t>(failed.size()));
  const int64_t required = r.min_probes_per_day.value * r.availability_window_days.value;
  result.set_probes_incomplete(made < required);
  if (made == 0) {
    result.set_complete(false);
    scorer.Add("availability_not_monitored", "NAT-13", v1::NOT_PRACTICAL, false, 0,
               "no probe was made in the window: availability not decided",
               {&r.availability_window_days.rule, &r.min_probes_per_day.rule});
    return;
  }
  const double percent = 100.0 * static_cast<double>(failed.size()) / made;
  if (percent >= r.failure_veto_percent.value) {
    AddEvidence(
        scorer.Add(
            "availability", "NAT-13", v1::NOT_PRACTICAL, true, 0,
            absl::StrFormat("the home page failed in %d of %d probes (%.2f%%, veto "
                            "at %.2f%%) over %d days",
                            failed.size(), made, percent, r.failure_veto_percent.value,
                            r.availability_window_days.value),
            {&r.failure_veto_percent.rule, &r.home_timeout.rule, &r.availability_window_days.rule}),
        failed);
  } else if (!failed.empty()) {
    const double points = std::min(
        r.failed_probe_max.value, r.failed_probe_points.value * static_cast<double>(failed.size()));
    AddEvidence(scorer.Add("availability_failures", "NAT-14", v1::NOT_PRACTICAL, false, points,
                           absl::StrFormat("%d of %d probes failed", failed.size(), made),
                           {&r.failed_probe_points.rule, &r.failed_probe_max.rule}),
                failed);
  }
}

void EvaluateHome(const EvaluationInput& in, const NationalRules& r, Scorer& scorer,
                  v1::SiteEvaluation& result) {
  if (!in.latest_content_probe.has_value()) {
    result.set_complete(false);
    scorer.Add("home_not_checked", "NAT-13", v1::NOT_TIMELY, false, 0,
               "no content check yet: the home page's freshness is not decided",
               {&r.home_stale_days.rule});
    return;
  }
  const v1::Probe& probe = *in.latest_content_probe;
  const std::string ref = absl::StrCat("probe/", probe.id());
  if (!probe.home_ok()) {
    result.set_complete(false);
    AddEvidence(scorer.Add("home_not_checked", "NAT-13", v1::NOT_TIMELY, false, 0,
                           "the last content check could not load the home page",
                           {&r.home_stale_days.rule}),
                {ref});
    return;
  }
  absl::StatusOr<absl::CivilDay> latest =
      probe.has_home_latest_date() ? ToCivilDay(probe.home_latest_date())
                                   : absl::StatusOr<absl::CivilDay>(absl::NotFoundError("no date"));
  if (!latest.ok()) {
    AddEvidence(scorer.Add("home_not_updated", "NAT-13", v1::NOT_TIMELY, true, 0,
                           "no dated item on the home page (an item without a date counts as "
                           "not updated)",
                           {&r.home_stale_days.rule}),
                {ref});
    return;
  }
  const int64_t age = in.as_of - *latest;
  if (age > r.home_stale_days.value) {
    AddEvidence(scorer.Add("home_not_updated", "NAT-13", v1::NOT_TIMELY, true, 0,
                           absl::StrCat("the home page's latest date is ", FormatDay(*latest), ", ",
                                        age, " days before ", FormatDay(in.as_of)),
                           {&r.home_stale_days.rule}),
                {ref});
  }
}

void EvaluateColumns(const EvaluationInput& in, const NationalRules& r, Scorer& scorer,
                     bool* all_fresh) {
  std::vector<std::string> stale;
  std::vector<std::string> long_stale;
  std::vector<std::string> empty;
  const absl::CivilDay notice_limit = MonthsBefore(in.as_of, r.notice_stale_months.value);
  const absl::CivilDay long_limit = MonthsBefore(in.as_of, r.long_stale_months.value);
  int checked = 0;
  for (const ColumnState& c : in.columns) {
    if (!c.checked) continue;
    ++checked;
    const std::string ref = absl::StrCat("column/", c.id);
    if (!c.fetched || c.items_found == 0) {
      empty.push_back(ref);
      continue;
    }
    const bool news = c.column_class == v1::NEWS;
    const bool is_stale =
        !c.latest_date.has_value() || (news ? in.as_of - *c.latest_date > r.news_stale_days.value
                                            : *c.latest_date < notice_limit);
    if (is_stale) stale.push_back(ref);
    if (!c.latest_date.has_value() || *c.latest_date < long_limit) long_stale.push_back(ref);
  }
  *all_fresh = checked > 0 && stale.empty() && empty.empty();
  const int64_t stale_count = static_cast<int64_t>(stale.size());
  if (stale_count >= r.stale_columns_veto.value) {
    AddEvidence(
        scorer.Add(
            "columns_not_updated", "NAT-13", v1::NOT_TIMELY, true, 0,
            absl::StrCat(stale_count, " columns not updated (news over ", r.news_stale_days.value,
                         " days, others over ", r.notice_stale_months.value, " months)"),
            {&r.stale_columns_veto.rule, &r.news_stale_days.rule, &r.notice_stale_months.rule}),
        stale);
  } else if (stale_count > 0) {
    AddEvidence(scorer.Add("stale_columns", "NAT-14", v1::NOT_TIMELY, false,
                           std::min(r.stale_column_max.value,
                                    r.stale_column_points.value * static_cast<double>(stale_count)),
                           absl::StrCat(stale_count, " columns not updated"),
                           {&r.stale_column_points.rule, &r.stale_column_max.rule,
                            &r.news_stale_days.rule, &r.notice_stale_months.rule}),
                stale);
  }
  if (static_cast<int64_t>(long_stale.size()) >= r.long_stale_columns_veto.value) {
    AddEvidence(scorer.Add("columns_long_not_updated", "NAT-13", v1::NOT_TIMELY, true, 0,
                           absl::StrCat(long_stale.size(), " columns not updated for over ",
                                        r.long_stale_months.value, " months"),
                           {&r.long_stale_columns_veto.rule, &r.long_stale_months.rule}),
                long_stale);
  }
  const int64_t empty_count = static_cast<int64_t>(empty.size());
  if (empty_count >= r.empty_columns_veto.value) {
    AddEvidence(
        scorer.Add("empty_columns", "NAT-13", v1::NOT_PRACTICAL, true, 0,
                   absl::StrCat(empty_count, " empty columns"), {&r.empty_columns_veto.rule}),
        empty);
  } else if (empty_count > 0) {
    AddEvidence(scorer.Add("empty_columns", "NAT-14", v1::NOT_PRACTICAL, false,
                           std::min(r.empty_column_max.value,
                                    r.empty_column_points.value * static_cast<double>(empty_count)),
                           absl::StrCat(empty_count, " empty or unreachable columns"),
                           {&r.empty_column_points.rule, &r.empty_column_max.rule}),
                empty);
  }
}

void EvaluateContent(const EvaluationInput& in, const NationalRules& r, Scorer& scorer) {
  if (!in.latest_content_probe.has_value()) return;
  const v1::Probe& probe = *in.latest_content_probe;
  if (probe.broken_links_size() > 0) {
    std::vector<std::string> refs = {absl::StrCat("probe/", probe.id())};
    for (const v1::LinkCheck& link : probe.broken_links()) refs.push_back("link/" + link.url());
    AddEvidence(
        scorer.Add("broken_links", "NAT-14", v1::NOT_PRACTICAL, false,
                   std::min(r.broken_link_max.value,
                            r.broken_link_points.value * probe.broken_links_size()),
                   absl::StrCat(probe.broken_links_size(), " of ", probe.links_sampled(),
                                " sampled links are broken"),
                   {&r.broken_link_points.rule, &r.broken_link_max.rule, &r.links_sampled.rule}),
        refs);
  }
  if (probe.leader_names_missing_size() > 0) {
    std::vector<std::string> refs = {absl::StrCat("probe/", probe.id())};
    for (const std::string& name : probe.leader_names_missing()) refs.push_back("name/" + name);
    AddEvidence(scorer.Add("leader_names_missing", "NAT-13", v1::NOT_ACCURATE, false,
                           r.leader_name_points.value,
                           absl::StrCat(probe.leader_names_missing_size(),
                                        " configured leaders' names not found on the home page "
                                        "(an inspector confirms a wrong name as a severe error)"),
                           {&r.leader_name_points.rule}),
                refs);
  }
}

void EvaluateSevereErrors(const EvaluationInput& in, const NationalRules& r, Scorer& scorer) {
  if (in.severe_errors.empty()) return;
  std::vector<std::string> refs;
  for (const SevereErrorState& e : in.severe_errors)
    refs.push_back(absl::StrCat("severe_error/", e.id));
  AddEvidence(
      scorer.Add("severe_errors", "NAT-13", v1::NOT_ACCURATE, true, 0,
                 absl::StrCat(in.severe_errors.size(), " severe errors recorded by inspectors"),
                 {&r.severe_error_lookback_days.rule}),
      refs);
}

void EvaluateMessages(const EvaluationInput& in, const NationalRules& r, Scorer& scorer,
                      bool* all_timely) {
  const absl::TimeZone zone = ShanghaiTimeZone();
  const absl::CivilDay veto_limit = MonthsBefore(in.as_of, r.unanswered_veto_months.value);
  // Received before the start of this day and still unanswered: over the limit.
  const absl::Time veto_before = absl::FromCivil(absl::CivilSecond(veto_limit), zone);
  const absl::Duration timely = absl::Hours(24 * r.timely_answer_days.value);
  std::vector<std::string> unanswered;
  std::vector<std::string> late;
  for (const MessageState& m : in.messages) {
    const std::string ref = "message/" + m.external_id;
    const bool open_at_end = !m.answered.has_value() || *m.answered > in.as_of_end;
    if (open_at_end && m.received < veto_before) {
      unanswered.push_back(ref);
      continue;
    }
    const absl::Time answered_or_end = open_at_end ? in.as_of_end : *m.answered;
    if (answered_or_end - m.received > timely) late.push_back(ref);
  }
  *all_timely = unanswered.empty() && late.empty();
  if (!unanswered.empty()) {
    AddEvidence(scorer.Add("messages_unanswered", "NAT-13", v1::NOT_RESPONSIVE, true, 0,
                           absl::StrCat(unanswered.size(), " messages unanswered for over ",
                                        r.unanswered_veto_months.value, " months"),
                           {&r.unanswered_veto_months.rule}),
                unanswered);
  }
  if (!late.empty()) {
    AddEvidence(scorer.Add("late_answers", "NAT-14", v1::NOT_RESPONSIVE, false,
                           std::min(r.late_answer_max.value,
                                    r.late_answer_points.value * static_cast<double>(late.size())),
                           absl::StrCat(late.size(), " messages answered (or open) after ",
                                        r.timely_answer_days.value, " days"),
                           {&r.late_answer_points.rule, &r.late_answer_max.rule,
                            &r.timely_answer_days.rule}),
                late);
  }
}

void EvaluateNewMedia(const EvaluationInput& in, const NationalRules& r, Scorer& scorer) {
  // NAT-14: an account not updated in the 2 weeks before monitoring fails.
  const std::string ref = absl::StrCat("site/", in.site.id());
  if (!in.site.has_last_update_date()) {
    AddEvidence(scorer.Add("account_not_updated", "NAT-14", v1::NOT_TIMELY, true, 0,
                           "the account's last update date is not recorded",
                           {&r.new_media_stale_days.rule}),
                {ref});
    return;
  }
  absl::StatusOr<absl::CivilDay> last = ToCivilDay(in.site.last_update_date());
  if (!last.ok() || in.as_of - *last > r.new_media_stale_days.value) {
    AddEvidence(
        scorer.Add("account_not_updated", "NAT-14", v1::NOT_TIMELY, true, 0,
                   absl::StrCat("last updated ", last.ok() ? FormatDay(*last) : std::string("?"),
                                ", more than ", r.new_media_stale_days.value, " days before ",
                                FormatDay(in.as_of)),
                   {&r.new_media_stale_days.rule}),
        {ref});
  }
}

// WEB-1/WEB-6: the register's record of a site, checked by the quarterly census. Gaps
// are findings without points (the national score is not about the register); they
// make register_complete false.
void CheckRegister(const EvaluationInput& in, v1::SiteEvaluation& result) {
  const v1::Site& site = in.site;
  const std::string ref = absl::StrCat("site/", site.id());
  result.set_register_complete(true);
  const auto gap = [&](absl::string_view item, absl::string_view requirement,
                       std::string explanation) {
    result.set_register_complete(false);
    v1::Finding& f = *result.add_findings();
    f.set_item(std::string(item));
    f.set_requirement(std::string(requirement));
    f.set_finding_class(v1::NOT_ACCURATE);
    f.set_explanation(std::move(explanation));
    f.add_evidence(ref);
  };
  if (!in.owner_unit_known) {
    gap("register_owner_unit_unknown", "WEB-1",
        absl::StrCat("the owner unit ", site.unit_id(), " is not in the unit directory"));
  }
  const bool website = !IsNewMedia(site.kind());
  const bool filed = site.state() == v1::FILING || site.state() == v1::OPERATION ||
                     site.state() == v1::LEVEL_PROTECTION;
  if (website && filed && site.filing_number().empty()) {
    gap("register_filing_number_missing", "WEB-1",
        absl::StrCat("a website in ", v1::SiteState_Name(site.state()),
                     " has no filing number (备案号)"));
  }
  if (website && (site.state() == v1::OPERATION || site.state() == v1::LEVEL_PROTECTION) &&
      (!site.has_level_protection_date() || site.level_protection_result().empty())) {
    gap("register_level_protection_missing", "WEB-1",
        "a working website has no level-protection assessment (等级保护测评) recorded");
  }
  if (!website && site.state() == v1::OPERATION &&
      (site.editing_procedure().empty() || site.inquiry_procedure().empty())) {
    gap("register_procedures_missing", "WEB-6",
        "a working account lacks its editing/publishing or inquiry-answering procedure");
  }
}

}  // namespace

int64_t MissedSlotsIn(const SlotGap& gap, absl::Time from, absl::Time to) {
  if (gap.slots <= 0) return 0;
  int64_t n = gap.first_slot >= from && gap.first_slot < to ? 1 : 0;
  if (gap.interval <= absl::ZeroDuration()) return n;
  // The others: last_slot - k * interval for k in [0, slots - 2].
  for (int64_t k = 0; k <= gap.slots - 2; ++k) {
    const absl::Time slot = gap.last_slot - k * gap.interval;
    if (slot < from) break;
    if (slot < to) ++n;
  }
  return n;
}

bool IsScored(const v1::Site& site) {
  if (IsNewMedia(site.kind())) return site.state() == v1::OPERATION;
  return site.state() == v1::OPERATION || site.state() == v1::LEVEL_PROTECTION;
}

bool IsNewMedia(v1::SiteKind kind) {
  return kind == v1::WEIBO || kind == v1::WECHAT || kind == v1::APP || kind == v1::OTHER_NEW_MEDIA;
}

absl::CivilDay MonthsBefore(absl::CivilDay day, int64_t months) {
  return absl::CivilDay(day.year(), day.month() - months, day.day());
}

v1::SiteEvaluation Evaluate(const EvaluationInput& in, const NationalRules& r) {
  v1::SiteEvaluation result;
  result.set_site_id(in.site.id());
  result.set_unit_id(in.site.unit_id());
  *result.mutable_as_of() = ToProtoDate(in.as_of);
  result.set_rule_set(r.set_key);
  result.set_scope(in.scope);
  Scorer scorer(result);
  result.set_complete(true);
  if (in.scope == v1::QUARTERLY_CENSUS) CheckRegister(in, result);
  if (in.scope != v1::RUN_KIND_UNSPECIFIED && !IsScored(in.site)) {
    // WEB-1: a site not (or no longer) working is counted by the census, not scored.
    v1::Finding& f = *result.add_findings();
    f.set_item("not_in_operation");
    f.set_explanation(
        absl::StrCat("not scored: the site is in ", v1::SiteState_Name(in.site.state())));
    result.set_score(100);
    result.set_passed(true);
    return result;
  }
  if (in.scope == v1::WEEKLY_CHECK) {
    // WEB-2 weekly check: the week's availability and the home page's freshness only
    // (the vetoes a week of probes decides); deductions of the rest wait for the
    // monthly monitoring.
    if (!IsNewMedia(in.site.kind())) {
      EvaluateAvailability(in, r, scorer, result);
      EvaluateHome(in, r, scorer, result);
    }
    const double weekly = std::max(0.0, 100.0 - scorer.deducted());
    result.set_score(weekly);
    result.set_passed(result.complete() && !result.vetoed() &&
                      weekly >= static_cast<double>(r.pass_mark.value));
    return result;
  }
  bool all_fresh = false;
  bool all_timely = true;
  if (IsNewMedia(in.site.kind())) {
    EvaluateNewMedia(in, r, scorer);
  } else {
    EvaluateAvailability(in, r, scorer, result);
    EvaluateHome(in, r, scorer, result);
    EvaluateColumns(in, r, scorer, &all_fresh);
    EvaluateContent(in, r, scorer);
  }
  EvaluateSevereErrors(in, r, scorer);
  EvaluateMessages(in, r, scorer, &all_timely);
  const double score = std::max(0.0, 100.0 - scorer.deducted());
  result.set_score(score);
  result.set_passed(result.complete() && !result.vetoed() &&
                    score >= static_cast<double>(r.pass_mark.value));
  // NAT-14: portals above the bonus threshold are scored on bonus items, out of 30.
  if (in.site.kind() == v1::PORTAL && result.passed() &&
      score > static_cast<double>(r.bonus_threshold.value)) {
    double bonus = 0;
    if (result.failed_probes_in_week() == 0 && result.probes_in_week() > 0) {
      bonus += r.bonus_full_availability.value;
      v1::Finding& f = *result.add_findings();
      f.set_item("bonus_full_availability");
      f.set_requirement("NAT-14");
      f.set_points(r.bonus_full_availability.value);
      f.set_explanation("no probe of the week failed");
      f.add_rules(r.bonus_full_availability.rule.Explain());
    }
    if (all_fresh) {
      bonus += r.bonus_fresh_columns.value;
      v1::Finding& f = *result.add_findings();
      f.set_item("bonus_fresh_columns");
      f.set_requirement("NAT-14");
      f.set_points(r.bonus_fresh_columns.value);
      f.set_explanation("every column is fresh and none is empty");
      f.add_rules(r.bonus_fresh_columns.rule.Explain());
    }
    if (all_timely) {
      bonus += r.bonus_timely_answers.value;
      v1::Finding& f = *result.add_findings();
      f.set_item("bonus_timely_answers");
      f.set_requirement("NAT-14");
      f.set_points(r.bonus_timely_answers.value);
      f.set_explanation("every message was answered in time");
      f.add_rules(r.bonus_timely_answers.rule.Explain());
    }
    result.set_bonus(std::min(bonus, static_cast<double>(r.bonus_max.value)));
  }
  return result;
}

}  // namespace gongkai::website::scoring
