#include "services/consultation/consultation_rules.h"

#include <bitset>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "libs/protoconv/protoconv.h"
#include "libs/status/errors.h"
#include "libs/status/status_macros.h"

namespace gongkai::consultation {
namespace {

using rules::RuleSchema;
using rules::RuleSpec;
using rules::Unit;

std::shared_ptr<const RuleSchema> MakeSchema(const char* name, std::vector<RuleSpec> specs) {
  return std::make_shared<const RuleSchema>(name, std::move(specs));
}

std::string DayText(absl::CivilDay day) {
  return absl::StrCat(absl::FormatCivilTime(day), "（", calendar::ChineseWeekday(day), "）");
}

// Decodes one UTF-8 code point at `i` (input already validated by the caller's text
// checks; a stray byte is taken as itself). Advances `i`.
uint32_t NextCodePoint(absl::string_view s, size_t& i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = byte(i);
  int extra = 0;
  uint32_t cp = c;
  if (c >= 0xF0) {
    extra = 3;
    cp = c & 0x07;
  } else if (c >= 0xE0) {
    extra = 2;
    cp = c & 0x0F;
  } else if (c >= 0xC0) {
    extra = 1;
    cp = c & 0x1F;
  }
  ++i;
  for (int k = 0; k < extra && i < s.size(); ++k, ++i) cp = (cp << 6) | (byte(i) & 0x3F);
  return cp;
}

// Whitespace, ASCII punctuation and symbols, CJK symbols and punctuation, full-width
// forms of ASCII punctuation, general punctuation, emoji and dingbats.
bool IsIgnoredForGrouping(uint32_t cp) {
  if (cp < 0x80) return !absl::ascii_isalnum(static_cast<unsigned char>(cp));
  if (cp >= 0x2000 && cp <= 0x2BFF) return true;  // General punctuation .. arrows, symbols.
  if (cp >= 0x3000 && cp <= 0x303F) return true;  // CJK symbols and punctuation.
  if (cp >= 0xFF00 && cp <= 0xFF0F) return true;  // Full-width ！＂＃...／
  if (cp >= 0xFF1A && cp <= 0xFF20) return true;  // ：；＜＝＞？＠
  if (cp >= 0xFF3B && cp <= 0xFF40) return true;
  if (cp >= 0xFF5B && cp <= 0xFF65) return true;
  if (cp >= 0xFE30 && cp <= 0xFE4F) return true;    // CJK compatibility forms.
  if (cp >= 0x1F000 && cp <= 0x1FAFF) return true;  // Emoji.
  if (cp == 0x00A0 || cp == 0xFEFF) return true;
  return false;
}

void AppendUtf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

uint64_t Fnv1a64(uint64_t a, uint64_t b) {
  uint64_t h = 1469598103934665603ULL;
  for (uint64_t v : {a, b}) {
    for (int k = 0; k < 4; ++k) {
      h ^= (v >> (8 * k)) & 0xFF;
      h *= 1099511628211ULL;
    }
  }
  // A final mix so that neighbouring inputs spread over all 64 bits.
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  return h;
}

}  // namespace

std::shared_ptr<const RuleSchema> PeriodsRuleSchema() {
  static const auto* const schema = new std::shared_ptr<const RuleSchema>(MakeSchema(
      kPeriodsRuleSet,
      {RuleSpec::Integer(kMajorDecisionMinRule, Unit::kCalendarDays, {1, 365}, "NAT-11",
                         "a major administrative decision is open for comment at least this "
                         "many calendar days"),
       RuleSpec::Integer(kMajorDecisionShortenedRule, Unit::kCalendarDays, {1, 365}, "NAT-11",
                         "with a recorded shortening reason, a major decision's period is at "
                         "least this many calendar days"),
       RuleSpec::Integer(kNormativeDocumentMinRule, Unit::kWorkingDays, {1, 100}, "NAT-11",
                         "a normative document is open for comment at least this many working "
                         "days"),
       RuleSpec::Integer(kHearingNoticeRule, Unit::kCalendarDays, {0, 90}, "CON-2",
                         "a hearing's notice is published at least this many days before it"),
       RuleSpec::Integer(kSymposiumNoticeRule, Unit::kCalendarDays, {0, 90}, "CON-2",
                         "a symposium's notice is published at least this many days before it")}));
  return *schema;
}

std::shared_ptr<const RuleSchema> ScopeRuleSchema() {
  static const auto* const schema = new std::shared_ptr<const RuleSchema>(MakeSchema(
      kScopeRuleSet,
      {RuleSpec::Text("required.city", {}, "CON-1",
                      "matters a city-level unit consults on: category or category@domain, "
                      "comma-separated"),
       RuleSpec::Text("required.county", {}, "CON-1", "the same for county-level units"),
       RuleSpec::Text("required.department", {}, "CON-1", "the same for departments"),
       RuleSpec::Text("required.township", {}, "CON-1", "the same for townships")}));
  return *schema;
}

std::shared_ptr<const RuleSchema> CommentsRuleSchema() {
  static const auto* const schema = new std::shared_ptr<const RuleSchema>(MakeSchema(
      kCommentsRuleSet,
      {RuleSpec::Integer(kMaxCharsRule, Unit::kCount, {100, 50000}, "CON-3",
                         "a public comment is at most this many characters"),
       RuleSpec::Integer(kPerClientPerDayRule, Unit::kCount, {1, 10000000}, "CON-3",
                         "one client posts at most this many comments a day"),
       RuleSpec::Integer(kMaxDistanceRule, Unit::kCount, {0, kMaxGroupingDistance}, "CON-3",
                         "comments whose SimHash differs in at most this many bits are grouped "
                         "as near-identical")}));
  return *schema;
}

std::vector<std::shared_ptr<const RuleSchema>> ConsultationRuleSchemas() {
  return {PeriodsRuleSchema(), ScopeRuleSchema(), CommentsRuleSchema()};
}

namespace {

// The computed deadline, or, when the calendar lacks a year the period reaches (the only
// FAILED_PRECONDITION a calendar computation returns: CALENDAR_YEAR_NOT_LOADED), a pending
// period that keeps what the request asked for: start, length, kind (NAT-1).
absl::Status SetLastDay(absl::StatusOr<calendar::Deadline> computed, CommentPeriod& period,
                        absl::CivilDay start, int days, bool working_days) {
  if (computed.ok()) {
    period.deadline = *std::move(computed);
    return absl::OkStatus();
  }
  if (!absl::IsFailedPrecondition(computed.status())) return computed.status();
  period.pending = true;
  period.deadline = calendar::Deadline{};
  period.deadline.start = start;
  period.deadline.n = days;
  period.deadline.working_days = working_days;
  // Calendar days: the nominal end is known without the calendar; the last day is it or
  // later (moved off a day that is not a working day), never earlier.
  if (!working_days) period.deadline.nominal_end = start + days;
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<CommentPeriod> ComputeCommentPeriod(const rules::RuleBook& book,
                                                   const calendar::WorkingDayCalendar& calendar,
                                                   v1::DecisionType type, absl::CivilDay opens_on,
                                                   int period_days,
                                                   absl::string_view shortening_reason) {
  ASSIGN_OR_RETURN(std::shared_ptr<const rules::RuleSet> set,
                   book.EffectiveOn(kPeriodsRuleSet, opens_on));
  CommentPeriod period;
  if (type == v1::NORMATIVE_DOCUMENT) {
    // NAT-11: a normative document, at least N working days.
    ASSIGN_OR_RETURN(rules::Cited<int64_t> min, set->WorkingDays(kNormativeDocumentMinRule));
    if (period_days < min.value) {
      return InvalidField("consultation.period_days",
                          absl::StrCat("a normative document is open for comment at least ",
                                       min.value, " working days: ", min.rule.Explain()));
    }
    RETURN_IF_ERROR(SetLastDay(calendar.AddWorkingDays(opens_on, period_days), period, opens_on,
                               period_days, /*working_days=*/true));
    period.rule = std::move(min.rule);
    return period;
  }
  // NAT-11: a major administrative decision, at least N calendar days unless a reason
  // for a shorter period is recorded (then at least the shortened minimum).
  ASSIGN_OR_RETURN(rules::Cited<int64_t> min, set->CalendarDays(kMajorDecisionMinRule));
  if (period_days < min.value) {
    ASSIGN_OR_RETURN(rules::Cited<int64_t> shortened,
                     set->CalendarDays(kMajorDecisionShortenedRule));
    if (absl::StripAsciiWhitespace(shortening_reason).empty()) {
      return InvalidField(
          "consultation.shortening_reason",
          absl::StrCat("a major administrative decision is open for comment at least ", min.value,
                       " calendar days unless a reason for the shorter period is recorded: ",
                       min.rule.Explain()));
    }
    if (period_days < shortened.value) {
      return InvalidField(
          "consultation.period_days",
          absl::StrCat("even with a shortening reason the period is at least ", shortened.value,
                       " calendar days: ", shortened.rule.Explain()));
    }
    min = std::move(shortened);
  }
  RETURN_IF_ERROR(SetLastDay(calendar.AddCalendarDays(opens_on, period_days), period, opens_on,
                             period_days, /*working_days=*/false));
  period.rule = std::move(min.rule);
  return period;
}

std::string CategoryCode(v1::MatterCategory category) {
  return absl::AsciiStrToLower(v1::MatterCategory_Name(category));
}

absl::StatusOr<ScopeAnswer> ConsultationRequired(const rules::RuleBook& book, absl::CivilDay day,
                                                 absl::string_view level,
                                                 v1::MatterCategory category,
                                                 absl::string_view domain) {
  ASSIGN_OR_RETURN(std::shared_ptr<const rules::RuleSet> set, book.EffectiveOn(kScopeRuleSet, day));
  ASSIGN_OR_RETURN(rules::Cited<std::string> list, set->Text(absl::StrCat("required.", level)));
  ScopeAnswer answer;
  answer.rule = list.rule;
  const std::string wanted = CategoryCode(category);
  for (absl::string_view entry : absl::StrSplit(list.value, ',', absl::SkipWhitespace())) {
    entry = absl::StripAsciiWhitespace(entry);
    if (entry == "none") continue;  // A level that consults on nothing by rule.
    std::pair<absl::string_view, absl::string_view> parts =
        absl::StrSplit(entry, absl::MaxSplits('@', 1));
    v1::MatterCategory known;
    if (!v1::MatterCategory_Parse(absl::AsciiStrToUpper(parts.first), &known) ||
        known == v1::MATTER_CATEGORY_UNSPECIFIED) {
      return PreconditionFailed("RULE_SET", list.rule.VersionKey(),
                                absl::StrCat("the scope rule names an unknown category \"",
                                             parts.first, "\": ", list.rule.Explain()));
    }
    if (parts.first != wanted) continue;
    if (parts.second.empty() || parts.second == domain) {
      answer.required = true;
      break;
    }
  }
  return answer;
}

v1::ConsultationState StateOn(absl::CivilDay today, absl::CivilDay opens_on,
                              absl::CivilDay closes_on, bool concluded) {
  if (concluded) return v1::CONCLUDED;
  if (today < opens_on) return v1::SCHEDULED;
  if (today <= closes_on) return v1::OPEN;
  return v1::CLOSED;
}

absl::Time ClosingTime(absl::CivilDay closes_on) {
  static const absl::TimeZone kShanghai = absl::FixedTimeZone(8 * 60 * 60);  // No DST.
  return absl::FromCivil(closes_on + 1, kShanghai);
}

absl::CivilDay PendingClosingDay() { return calendar::PendingDayStandIn(); }

absl::StatusOr<absl::CivilDay> ClosingDayOf(const v1::Consultation& consultation) {
  if (!consultation.has_closes_on()) return PendingClosingDay();
  return ToCivilDay(consultation.closes_on());
}

common::v1::DeadlineExplanation ExplainCommentPeriod(const calendar::Deadline& d, bool pending,
                                                     absl::string_view rule,
                                                     absl::string_view rule_version,
                                                     absl::string_view shortening_reason) {
  common::v1::DeadlineExplanation explanation;
  if (!pending) {
    explanation = ToProto(d);
  } else {
    explanation = PendingDeadlineExplanation(d.start, d.n, d.working_days);
    absl::StrAppend(explanation.mutable_text(), "在此之前征求意见保持开放。");
  }
  explanation.set_rule(std::string(rule));
  explanation.set_rule_version(std::string(rule_version));
  absl::StrAppend(explanation.mutable_text(), "\n依据规则：", rule);
  if (!shortening_reason.empty()) {
    absl::StrAppend(explanation.mutable_text(), "\n缩短期限的理由：", shortening_reason);
  }
  return explanation;
}

common::v1::DeadlineExplanation ExplainCommentPeriod(const CommentPeriod& period,
                                                     absl::string_view shortening_reason) {
  return ExplainCommentPeriod(
      period.deadline, period.pending, period.rule.Explain(), period.rule.VersionKey(),
      period.rule.key == kMajorDecisionShortenedRule ? shortening_reason : "");
}

absl::StatusOr<NoticeDue> ComputeNoticeDue(const rules::RuleBook& book, v1::HearingKind kind,
                                           absl::CivilDay held_on, absl::CivilDay today) {
  ASSIGN_OR_RETURN(std::shared_ptr<const rules::RuleSet> set,
                   book.EffectiveOn(kPeriodsRuleSet, today));
  const char* key = kind == v1::KIND_SYMPOSIUM ? kSymposiumNoticeRule : kHearingNoticeRule;
  ASSIGN_OR_RETURN(rules::Cited<int64_t> days, set->CalendarDays(key));
  NoticeDue notice;
  notice.due = held_on - days.value;
  notice.rule = days.rule;
  notice.explanation =
      absl::StrCat(kind == v1::KIND_SYMPOSIUM ? "座谈会" : "听证会", "于 ", DayText(held_on),
                   " 举行，公告应不晚于举行日前 ", days.value, " 日即 ", DayText(notice.due),
                   " 发布。依据规则：", days.rule.Explain());
  return notice;
}

std::string NormalizeForGrouping(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    uint32_t cp = NextCodePoint(text, i);
    if (IsIgnoredForGrouping(cp)) continue;
    if (cp >= 0xFF10 && cp <= 0xFF5A) cp -= 0xFEE0;  // Full-width digits and letters.
    if (cp < 0x80) cp = static_cast<uint32_t>(absl::ascii_tolower(static_cast<unsigned char>(cp)));
    AppendUtf8(out, cp);
  }
  return out;
}

uint64_t SimHash(absl::string_view normalized) {
  std::vector<uint32_t> points;
  size_t i = 0;
  while (i < normalized.size()) points.push_back(NextCodePoint(normalized, i));
  if (points.empty()) return 0;
  int votes[64] = {0};
  const auto add = [&](uint64_t h) {
    for (int bit = 0; bit < 64; ++bit) votes[bit] += ((h >> bit) & 1) ? 1 : -1;
  };
  if (points.size() == 1) add(Fnv1a64(points[0], 0));
  for (size_t k = 0; k + 1 < points.size(); ++k) add(Fnv1a64(points[k], points[k + 1]));
  uint64_t hash = 0;
  for (int bit = 0; bit < 64; ++bit) {
    if (votes[bit] > 0) hash |= uint64_t{1} << bit;
  }
  return hash;
}

int HammingDistance(uint64_t a, uint64_t b) {
  return static_cast<int>(std::bitset<64>(a ^ b).count());
}

std::array<int64_t, kBands> Bands(uint64_t fingerprint) {
  static constexpr int kWidths[kBands] = {11, 11, 11, 11, 10, 10};
  std::array<int64_t, kBands> bands{};
  int shift = 0;
  for (int i = 0; i < kBands; ++i) {
    bands[i] = static_cast<int64_t>((fingerprint >> shift) & ((uint64_t{1} << kWidths[i]) - 1));
    shift += kWidths[i];
  }
  return bands;
}

}  // namespace gongkai::consultation
