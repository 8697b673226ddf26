// The consultation service's rules without SQL or gRPC: the NAT-11 comment period, the
// CON-1 scope (which categories require consultation at a level and domain), the state
// of a consultation by the clock, hearing notice periods (CON-2), and the text
// fingerprints that group identical and near-identical comments (CON-3).
//
// Every number is read from a rule set (libs/rules, ADR 0019) and the results name the
// rule they came from:
//   consultation.periods   NAT-11 minimum periods, CON-2 notice periods
//   consultation.scope     CON-1 categories per level ("category" or "category@domain")
//   consultation.comments  comment length, per-client daily limit, grouping distance
//
// Pure functions; thread-safe.
#ifndef GONGKAI_SERVICES_CONSULTATION_CONSULTATION_RULES_H_
#define GONGKAI_SERVICES_CONSULTATION_CONSULTATION_RULES_H_

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gongkai/consultation/v1/consultation.pb.h"
#include "libs/calendar/deadline.h"
#include "libs/calendar/working_day_calendar.h"
#include "libs/rules/rule_book.h"
#include "libs/rules/rule_schema.h"

namespace gongkai::consultation {

inline constexpr char kPeriodsRuleSet[] = "consultation.periods";
inline constexpr char kScopeRuleSet[] = "consultation.scope";
inline constexpr char kCommentsRuleSet[] = "consultation.comments";

inline constexpr char kMajorDecisionMinRule[] = "major_decision.min_calendar_days";
inline constexpr char kMajorDecisionShortenedRule[] = "major_decision.shortened_min_calendar_days";
inline constexpr char kNormativeDocumentMinRule[] = "normative_document.min_working_days";
inline constexpr char kHearingNoticeRule[] = "hearing.notice_calendar_days";
inline constexpr char kSymposiumNoticeRule[] = "symposium.notice_calendar_days";
inline constexpr char kMaxCharsRule[] = "comment.max_chars";
inline constexpr char kPerClientPerDayRule[] = "comment.per_client_per_day";
inline constexpr char kMaxDistanceRule[] = "grouping.max_distance_bits";

std::shared_ptr<const rules::RuleSchema> PeriodsRuleSchema();
std::shared_ptr<const rules::RuleSchema> ScopeRuleSchema();
std::shared_ptr<const rules::RuleSchema> CommentsRuleSchema();
std::vector<std::shared_ptr<const rules::RuleSchema>> ConsultationRuleSchemas();

// NAT-11: the last day of comments for a period of `period_days` starting the day
// after `opens_on` (NAT-3: the start day is not counted): calendar days for a major
// administrative decision (moved off a non-working last day), working days for a
// normative document. INVALID_ARGUMENT on "consultation.period_days" when the period is
// below the rule's minimum (a major decision may go down to the shortened minimum only
// with a shortening reason), naming the rule.
//
// NAT-1: when the period reaches a year whose official calendar is not loaded yet (every
// December, until the State Council's notice for the next year is loaded), the period is
// `pending`: it has its start, length and kind but no last day, and the consultation
// stays open until the calendar arrives and RecomputeClosingDays gives it one. Never a
// guess, and never closed early: the law only ever moves a last day later (NAT-3).
struct CommentPeriod {
  calendar::Deadline deadline;  // deadline.due is closes_on (unset when pending).
  rules::RuleRef rule;          // The minimum that applied.
  bool pending = false;
};
absl::StatusOr<CommentPeriod> ComputeCommentPeriod(const rules::RuleBook& book,
                                                   const calendar::WorkingDayCalendar& calendar,
                                                   v1::DecisionType type, absl::CivilDay opens_on,
                                                   int period_days,
                                                   absl::string_view shortening_reason);

// CON-1: whether a matter of `category` in `domain` requires consultation at a unit of
// `level` ("city", "county", "department", "township"), by the scope rule of that level
// in force on `day`. An entry "category" covers every domain; "category@domain" only
// that domain. FAILED_PRECONDITION when the rule names an unknown category (bad data).
struct ScopeAnswer {
  bool required = false;
  rules::RuleRef rule;
};
absl::StatusOr<ScopeAnswer> ConsultationRequired(const rules::RuleBook& book, absl::CivilDay day,
                                                 absl::string_view level,
                                                 v1::MatterCategory category,
                                                 absl::string_view domain);

// "development_plans" for DEVELOPMENT_PLANS (the enum name, lower case).
std::string CategoryCode(v1::MatterCategory category);

// A consultation opens at the start of opens_on and closes at the end of closes_on
// (Asia/Shanghai): no one presses a button.
v1::ConsultationState StateOn(absl::CivilDay today, absl::CivilDay opens_on,
                              absl::CivilDay closes_on, bool concluded);
// The instant comments stop: the start of the day after closes_on in Asia/Shanghai.
absl::Time ClosingTime(absl::CivilDay closes_on);

// A consultation whose closing day is pending (CommentPeriod::pending) has no closes_on.
// Wherever a day is needed (its state, the stored row) it stands at the last day a DATE
// column holds, so every comparison with a real day treats it as open ("closes_on >=
// today") and it is found by the recomputation of closing days.
absl::CivilDay PendingClosingDay();
// closes_on, or PendingClosingDay() when the consultation has none.
absl::StatusOr<absl::CivilDay> ClosingDayOf(const v1::Consultation& consultation);

// The explanation stored and shown with a consultation (period_explanation): the
// computed deadline, or for a pending period its start, length and why its last day is
// not known yet; then the rule, and the shortening reason when one was recorded.
// The shortening reason is named only when the shortened minimum applied.
common::v1::DeadlineExplanation ExplainCommentPeriod(const CommentPeriod& period,
                                                     absl::string_view shortening_reason);
// The same from a stored period: `rule` and `rule_version` as stored, a non-empty
// `shortening_reason` named.
common::v1::DeadlineExplanation ExplainCommentPeriod(const calendar::Deadline& deadline,
                                                     bool pending, absl::string_view rule,
                                                     absl::string_view rule_version,
                                                     absl::string_view shortening_reason);

// CON-2: the last day the notice of a hearing or symposium held on `held_on` may be
// published: held_on minus the rule's calendar days. `explanation` says so in Chinese.
struct NoticeDue {
  absl::CivilDay due;
  rules::RuleRef rule;
  std::string explanation;
};
absl::StatusOr<NoticeDue> ComputeNoticeDue(const rules::RuleBook& book, v1::HearingKind kind,
                                           absl::CivilDay held_on, absl::CivilDay today);

// CON-3 grouping. The text with whitespace, punctuation and symbols removed and ASCII
// letters lower-cased, so "同意！" and " 同意 " are identical.
std::string NormalizeForGrouping(absl::string_view text);
// A 64-bit SimHash over the code-point bigrams of normalized text (a single code point
// is its own feature): near-identical texts differ in few bits.
uint64_t SimHash(absl::string_view normalized);
int HammingDistance(uint64_t a, uint64_t b);
// The six bands of a fingerprint (bits 0-10, 11-21, 22-32, 33-43, 44-53, 54-63): two
// fingerprints at most 5 bits apart share at least one band (pigeonhole), so
// candidates are found by an index on each band. The grouping distance rule is
// therefore bounded to kMaxGroupingDistance.
inline constexpr int kBands = 6;
inline constexpr int kMaxGroupingDistance = kBands - 1;
std::array<int64_t, kBands> Bands(uint64_t fingerprint);

}  // namespace gongkai::consultation

#endif  // GONGKAI_SERVICES_CONSULTATION_CONSULTATION_RULES_H_
