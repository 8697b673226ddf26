#include "services/catalog/requests/request_clocks.h"

#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "libs/protoconv/protoconv.h"
#include "libs/status/status_macros.h"
#include "services/catalog/catalog_rule_sets.h"
#include "services/catalog/requests/request_checks.h"
#include "services/catalog/requests/request_rules.h"

namespace gongkai::catalog::requests {

bool ReplyClockRuns(v1::DisclosureRequestState state) {
  return state != v1::REQUEST_ANSWERED && state != v1::REQUEST_AWAITING_CORRECTION;
}

absl::StatusOr<int> MaxExtensionWorkingDays(const rules::RuleBook& book,
                                            const v1::DisclosureRequest& request) {
  // NAT-7: the version in effect on the receipt day (NAT-5).
  ASSIGN_OR_RETURN(rules::Cited<int64_t> days,
                   RequestWorkingDays(book, kMaxExtensionRule, DayOf(request.received_on())));
  return static_cast<int>(days.value);
}

absl::StatusOr<int> ConsultationWorkingDays(const rules::RuleBook& book,
                                            absl::CivilDay started_on) {
  ASSIGN_OR_RETURN(rules::Cited<int64_t> days,
                   RequestWorkingDays(book, kConsultationRule, started_on));
  return static_cast<int>(days.value);
}

absl::Status ApplyRequestClocks(const calendar::WorkingDayCalendar& calendar,
                                const rules::RuleBook& book, absl::CivilDay today,
                                v1::DisclosureRequest& r) {
  r.clear_correction_deadline();
  r.clear_consultation_deadline();
  r.clear_reply_deadline();
  r.set_overdue(false);
  const absl::CivilDay received = DayOf(r.received_on());
  // NAT-6: the notice deadline matters while one can still be issued, and afterwards
  // to show it was issued in time. Its clock starts on the receipt day, whose version
  // gives its period.
  if (r.state() == v1::REQUEST_RECEIVED || HasDate(r.correction_notice_on())) {
    ASSIGN_OR_RETURN(rules::Cited<int64_t> period,
                     RequestWorkingDays(book, kCorrectionNoticeRule, received));
    const int days = static_cast<int>(period.value);
    RETURN_IF_ERROR(SetDeadline(CorrectionNoticeDeadline(calendar, received, days), received, days,
                                absl::StrCat("补正告知期限：自收到申请之日起 ", days,
                                             " 个工作日内一次性告知（条例第三十条）。"),
                                r.mutable_correction_deadline()));
    CiteRule(period.rule, *r.mutable_correction_deadline());
  }
  if (HasDate(r.consultation_started_on())) {
    // NAT-6 (Art. 32): the version in effect on the consultation's start.
    const absl::CivilDay started = DayOf(r.consultation_started_on());
    ASSIGN_OR_RETURN(rules::Cited<int64_t> period,
                     RequestWorkingDays(book, kConsultationRule, started));
    const int days = static_cast<int>(period.value);
    RETURN_IF_ERROR(SetDeadline(
        ConsultationDeadline(calendar, started, days), started, days,
        absl::StrCat("第三方答复期限：自征求意见之日起 ", days, " 个工作日（条例第三十二条）。"),
        r.mutable_consultation_deadline()));
    CiteRule(period.rule, *r.mutable_consultation_deadline());
  }
  if (r.state() == v1::REQUEST_AWAITING_CORRECTION) return absl::OkStatus();
  // NAT-7: the reply period of the version in effect on the receipt day (also when a
  // corrected request restarts the clock: the request was received then).
  ASSIGN_OR_RETURN(rules::Cited<int64_t> reply, RequestWorkingDays(book, kReplyRule, received));
  ReplyClockFacts facts;
  facts.clock_start = DayOf(r.clock_start_on());
  facts.restarted_by_correction = HasDate(r.corrected_on());
  facts.extension_working_days = r.extension_working_days();
  facts.paused_working_days = r.paused_working_days();
  facts.consultation_running = r.state() == v1::REQUEST_IN_CONSULTATION;
  facts.reply_working_days = static_cast<int>(reply.value);
  if (facts.consultation_running) {
    ASSIGN_OR_RETURN(facts.consultation_working_days,
                     ConsultationWorkingDays(book, DayOf(r.consultation_started_on())));
  }
  absl::StatusOr<ReplyClock> clock = ComputeReplyClock(calendar, facts);
  if (clock.ok()) {
    *r.mutable_reply_deadline() = ToProto(clock->deadline);
    r.mutable_reply_deadline()->set_text(clock->text);
  } else if (clock.status().code() == absl::StatusCode::kFailedPrecondition) {
    const int days = facts.reply_working_days + facts.extension_working_days +
                     facts.paused_working_days +
                     (facts.consultation_running ? facts.consultation_working_days : 0);
    *r.mutable_reply_deadline() = PendingDeadline(facts.clock_start, days, ReplyRuleText(facts));
  } else {
    return clock.status();
  }
  CiteRule(reply.rule, *r.mutable_reply_deadline());  // ADR 0019.
  const std::optional<absl::CivilDay> due = DueOf(r.reply_deadline());
  r.set_overdue(ReplyClockRuns(r.state()) && due.has_value() && *due < today);
  return absl::OkStatus();
}

}  // namespace gongkai::catalog::requests
