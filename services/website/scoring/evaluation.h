// The national scoring of one site (NAT-13 single vetoes, NAT-14 deductions out of 100,
// bonuses out of 30 for portals, the pass mark, the new-media rule) as a pure function
// of what the prober and the register stored, with every number from the rule set and
// every finding classified (WEB-3) and backed by its evidence ("probe/12", "column/3").
//
//   EvaluationInput input = ...;          // read by the repository
//   v1::SiteEvaluation result = Evaluate(input, national_rules);
//
// Choices the statute leaves open, made here and documented in docs/services/website.md:
// a threshold is reached at "≥" (NAT-13 says "5% or more", "5 or more"); a column or
// home page is stale when more days than the rule's period have passed since its latest
// date ("not updated for 2 weeks"); a column whose page could not be fetched counts as
// empty; a probe that robots.txt forbade counts neither way; with no content check yet
// the freshness vetoes are not decided (a finding says so) instead of guessed.
//
// Thread-safety: pure.
#ifndef GONGKAI_SERVICES_WEBSITE_SCORING_EVALUATION_H_
#define GONGKAI_SERVICES_WEBSITE_SCORING_EVALUATION_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gongkai/website/v1/website.pb.h"
#include "services/website/website_rules.h"

namespace gongkai::website::scoring {

namespace v1 = ::gongkai::website::v1;

struct ProbeOutcome {
  int64_t id = 0;
  bool home_ok = false;
  bool robots_disallowed = false;
};

struct ColumnState {
  int64_t id = 0;
  std::string name;
  v1::ColumnClass column_class = v1::NEWS;
  bool checked = false;  // A content check has run.
  bool fetched = false;  // The last check could read the page.
  int items_found = 0;
  std::optional<absl::CivilDay> latest_date;
};

struct MessageState {
  std::string external_id;
  absl::Time received;
  std::optional<absl::Time> answered;
};

struct SevereErrorState {
  int64_t id = 0;
  v1::SevereErrorKind kind = v1::WRONG_LEADER_NAME;
  absl::CivilDay found_on;
};

// Scheduled slots the prober missed while no replica ran (probe_gaps): `slots` slots,
// the first at `first_slot`, the others on the site's grid every `interval` up to
// `last_slot`.
struct SlotGap {
  absl::Time first_slot;
  absl::Time last_slot;
  absl::Duration interval;
  int64_t slots = 0;
};

// The missed slots of `gap` in [from, to).
int64_t MissedSlotsIn(const SlotGap& gap, absl::Time from, absl::Time to);

struct EvaluationInput {
  v1::Site site;
  absl::CivilDay as_of;
  absl::Time as_of_end;  // The end of as_of in Asia/Shanghai.
  // Probes of the availability window (veto.availability_window_days ending on as_of).
  std::vector<ProbeOutcome> window_probes;
  // The latest probe with a content check up to as_of (home date, links, names).
  std::optional<v1::Probe> latest_content_probe;
  std::vector<ColumnState> columns;
  // Messages received up to as_of that were unanswered at as_of_end or answered late.
  std::vector<MessageState> messages;
  // Severe errors found within veto.severe_error_lookback_days up to as_of.
  std::vector<SevereErrorState> severe_errors;
  // Gaps of the prober overlapping the availability window (not failures of the site).
  std::vector<SlotGap> gaps;
  // WEB-2: which cadence's scope applies (unset: the full scoring).
  v1::RunKind scope = v1::RUN_KIND_UNSPECIFIED;
  // QUARTERLY_CENSUS: whether the owner unit is known to the unit directory.
  bool owner_unit_known = true;
};

v1::SiteEvaluation Evaluate(const EvaluationInput& input, const NationalRules& rules);

// True for Weibo, WeChat, apps and other new media (NAT-14's account rule applies).
bool IsNewMedia(v1::SiteKind kind);

// Whether a site is scored (WEB-1 lifecycle): a website the prober follows (OPERATION,
// LEVEL_PROTECTION) or an account in OPERATION. Others are only counted by a census.
bool IsScored(const v1::Site& site);

// `day` minus `months` calendar months (a day past the month's end rolls forward).
absl::CivilDay MonthsBefore(absl::CivilDay day, int64_t months);

}  // namespace gongkai::website::scoring

#endif  // GONGKAI_SERVICES_WEBSITE_SCORING_EVALUATION_H_
