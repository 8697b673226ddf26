#include "services/catalog/requests/request_rules.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "libs/protoconv/protoconv.h"
#include "libs/status/status_macros.h"
#include "libs/validation/validation.h"

namespace gongkai::catalog::requests {

absl::StatusOr<absl::CivilDay> ReceiptDate(v1::RequestChannel channel, absl::CivilDay today,
                                           std::optional<absl::CivilDay> event_day) {
  switch (channel) {
    case v1::CHANNEL_ONLINE:
      if (event_day.has_value()) {
        return InvalidField("receipt_event_on",
                            "must be empty for online requests: they are received the day "
                            "they are filed (NAT-5)");
      }
      return today;
    case v1::CHANNEL_IN_PERSON:
      // Handed in on a day; registered by staff that day or, at a busy counter, later.
      if (event_day.has_value() && *event_day > today) {
        return InvalidField("receipt_event_on", absl::StrCat("must not be after today (",
                                                             absl::FormatCivilTime(today), ")"));
      }
      return event_day.value_or(today);
    case v1::CHANNEL_REGISTERED_MAIL:
    case v1::CHANNEL_ORDINARY_MAIL:
    case v1::CHANNEL_FAX: {
      if (!event_day.has_value()) {
        const char* what = channel == v1::CHANNEL_REGISTERED_MAIL
                               ? "the day the registered mail was signed for"
                           : channel == v1::CHANNEL_ORDINARY_MAIL
                               ? "the day receipt of the ordinary mail was confirmed"
                               : "the day both sides confirmed the fax";
        return InvalidField("receipt_event_on", absl::StrCat("is required: ", what, " (NAT-5)"));
      }
      if (*event_day > today) {
        return InvalidField("receipt_event_on", absl::StrCat("must not be after today (",
                                                             absl::FormatCivilTime(today), ")"));
      }
      return *event_day;
    }
    default:
      return InvalidField("channel", "must be a known request channel");
  }
}

absl::StatusOr<calendar::Deadline> CorrectionNoticeDeadline(
    const calendar::WorkingDayCalendar& calendar, absl::CivilDay received_on, int working_days) {
  return calendar.AddWorkingDays(received_on, working_days);
}

absl::StatusOr<calendar::Deadline> ConsultationDeadline(
    const calendar::WorkingDayCalendar& calendar, absl::CivilDay started_on, int working_days) {
  return calendar.AddWorkingDays(started_on, working_days);
}

absl::StatusOr<int> PausedWorkingDays(const calendar::WorkingDayCalendar& calendar,
                                      absl::CivilDay started_on, absl::CivilDay ended_on,
                                      int consultation_working_days) {
  if (ended_on <= started_on) return 0;
  ASSIGN_OR_RETURN(int days, calendar.CountWorkingDaysBetween(started_on, ended_on));
  return std::min(days, consultation_working_days);
}

std::string ReplyRuleText(const ReplyClockFacts& facts) {
  std::string text = absl::StrCat(
      "答复期限：自", facts.restarted_by_correction ? "收到补正后申请之日" : "收到申请之日", "（",
      absl::FormatCivilTime(facts.clock_start), "）起 ", facts.reply_working_days,
      " 个工作日（政府信息公开条例第三十三条", facts.restarted_by_correction ? "、第三十条" : "",
      "）");
  int total = facts.reply_working_days;
  if (facts.extension_working_days > 0) {
    absl::StrAppend(&text, "；经批准延长 ", facts.extension_working_days, " 个工作日");
    total += facts.extension_working_days;
  }
  if (facts.paused_working_days > 0) {
    absl::StrAppend(&text, "；征求第三方意见 ", facts.paused_working_days,
                    " 个工作日不计入（第三十二条）");
    total += facts.paused_working_days;
  }
  if (facts.consultation_running) {
    absl::StrAppend(&text, "；正在征求第三方意见，暂按第三方 ", facts.consultation_working_days,
                    " 个工作日期限全部不计入计算，第三方提前答复后重新计算");
    total += facts.consultation_working_days;
  }
  absl::StrAppend(&text, "；合计 ", total, " 个工作日。");
  return text;
}

absl::StatusOr<ReplyClock> ComputeReplyClock(const calendar::WorkingDayCalendar& calendar,
                                             const ReplyClockFacts& facts) {
  ReplyClock clock;
  clock.working_days = facts.reply_working_days + facts.extension_working_days +
                       facts.paused_working_days +
                       (facts.consultation_running ? facts.consultation_working_days : 0);
  ASSIGN_OR_RETURN(clock.deadline, calendar.AddWorkingDays(facts.clock_start, clock.working_days));
  clock.text = absl::StrCat(ReplyRuleText(facts), "\n", clock.deadline.Explain());
  return clock;
}

void CheckExtension(int requested_days, int already_granted_days, FieldViolations& v,
                    int max_days) {
  if (already_granted_days > 0) {
    v.Add("working_days",
          absl::StrCat("the reply period was already extended by ", already_granted_days,
                       " working days; it can be extended only once (NAT-7)"));
    return;
  }
  if (requested_days < 1 || requested_days > max_days) {
    v.Add("working_days", absl::StrCat("must be from 1 to ", max_days, " working days (NAT-7)"));
  }
}

std::string ExtensionNoticeText(const v1::DisclosureRequest& extended, absl::string_view reason,
                                std::optional<absl::CivilDay> new_due) {
  const common::v1::Date& received = extended.received_on();
  std::string text = absl::StrCat(
      extended.applicant_name(), "：您于 ", received.year(), "年", received.month(), "月",
      received.day(), "日 提出的政府信息公开申请（查询码 ", extended.tracking_code(), "），因",
      reason, "，经本机关政府信息公开工作机构负责人同意，答复期限延长 ",
      extended.extension_working_days(),
      " 个工作日（《中华人民共和国政府信息公开条例》第三十三条）");
  if (new_due.has_value()) {
    absl::StrAppend(&text, "，延长后的答复期限为 ", new_due->year(), "年", new_due->month(), "月",
                    new_due->day(), "日。");
  } else {
    absl::StrAppend(&text, "，延长后的答复期限待该年度工作日历公布后确定。");
  }
  absl::StrAppend(&text, "特此告知。");
  return validation::TruncateUtf8(text, kExtensionNoticeMaxChars);
}

void RecordExtensionNotice(v1::DisclosureRequest& extended, absl::string_view reason,
                           v1::RequestChannel channel, absl::CivilDay today) {
  extended.set_extension_notice_text(
      ExtensionNoticeText(extended, reason, DueOf(extended.reply_deadline())));
  *extended.mutable_extension_notice_on() = ToProtoDate(today);
  extended.set_extension_notice_channel(
      channel != v1::REQUEST_CHANNEL_UNSPECIFIED ? channel : extended.channel());
}

bool OutcomeNeedsReason(v1::RequestOutcome outcome) {
  return outcome != v1::OUTCOME_ALREADY_PUBLIC && outcome != v1::OUTCOME_DISCLOSED &&
         outcome != v1::REQUEST_OUTCOME_UNSPECIFIED;
}

bool OutcomeProvidesInformation(v1::RequestOutcome outcome) {
  return outcome == v1::OUTCOME_DISCLOSED || outcome == v1::OUTCOME_PARTLY_DISCLOSED;
}

void CheckAnswer(const AnswerFacts& a, FieldViolations& v) {
  validation::CheckEnum(v, "outcome", a.outcome, v1::RequestOutcome_IsValid, /*required=*/true);
  const bool known =
      v1::RequestOutcome_IsValid(a.outcome) && a.outcome != v1::REQUEST_OUTCOME_UNSPECIFIED;
  validation::CheckText(v, "reason", a.reason, {.max_chars = 2000, .allow_newlines = true});
  if (known && OutcomeNeedsReason(a.outcome) && a.reason.empty()) {
    v.Add("reason", absl::StrCat("is required for ", v1::RequestOutcome_Name(a.outcome),
                                 ": the reply must state its reason (NAT-8)"));
  }
  validation::CheckText(v, "already_public_reference", a.already_public_reference,
                        {.max_chars = 1000});
  const bool has_document = a.already_public_document_id != 0;
  const bool has_reference = !a.already_public_reference.empty();
  if (a.outcome == v1::OUTCOME_ALREADY_PUBLIC) {
    if (!has_document && !has_reference) {
      v.Add("already_public_document_id",
            "OUTCOME_ALREADY_PUBLIC needs a published catalog document or an "
            "already_public_reference (gazette, other site): the reply says where the "
            "information is published (NAT-8)");
    } else if (has_document && has_reference) {
      v.Add("already_public_reference",
            "give either already_public_document_id or already_public_reference, not both");
    } else if (has_document && a.already_public_document_id < 0) {
      v.Add("already_public_document_id", "must be positive");
    }
  } else {
    if (has_document) v.Add("already_public_document_id", "is only for OUTCOME_ALREADY_PUBLIC");
    if (has_reference) v.Add("already_public_reference", "is only for OUTCOME_ALREADY_PUBLIC");
  }
  validation::CheckText(v, "governing_law", a.governing_law, {.max_chars = 200});
  if (a.outcome == v1::OUTCOME_GOVERNED_BY_OTHER_LAW && a.governing_law.empty()) {
    v.Add("governing_law",
          "is required for OUTCOME_GOVERNED_BY_OTHER_LAW: the reply names the law that governs "
          "access (NAT-8, Art. 36(7))");
  } else if (a.outcome != v1::OUTCOME_GOVERNED_BY_OTHER_LAW && !a.governing_law.empty()) {
    v.Add("governing_law", "is only for OUTCOME_GOVERNED_BY_OTHER_LAW");
  }
  validation::CheckText(v, "holder_name", a.holder_name, {.max_chars = 200});
  if (a.outcome != v1::OUTCOME_CANNOT_PROVIDE_NOT_HELD && !a.holder_name.empty()) {
    v.Add("holder_name", "is only for OUTCOME_CANNOT_PROVIDE_NOT_HELD");
  }
  validation::CheckEnum(v, "fee_method", a.fee_method, v1::FeeMethod_IsValid, /*required=*/false);
  if (known && a.fee_method != v1::FEE_METHOD_UNSPECIFIED &&
      !OutcomeProvidesInformation(a.outcome)) {
    v.Add("fee_method",
          "a fee is charged only when information is provided (OUTCOME_DISCLOSED or "
          "OUTCOME_PARTLY_DISCLOSED, NAT-9)");
  }
  if (a.fee_method == v1::FEE_BY_PAGES && a.fee_pages <= 0) {
    v.Add("fee_pages", "must be positive when the fee is charged by pages (NAT-9)");
  } else if (a.fee_method != v1::FEE_BY_PAGES && a.fee_pages != 0) {
    v.Add("fee_pages", "is only for FEE_BY_PAGES: one fee method per request, never both (NAT-9)");
  }
}

// ---- Clock explanations ----

common::v1::DeadlineExplanation PendingDeadline(absl::CivilDay start, int days,
                                                absl::string_view rule_text) {
  common::v1::DeadlineExplanation pending =
      PendingDeadlineExplanation(start, days, /*working_days=*/true);
  if (!rule_text.empty()) pending.set_text(absl::StrCat(rule_text, "\n", pending.text()));
  return pending;
}

absl::Status SetDeadline(const absl::StatusOr<calendar::Deadline>& deadline, absl::CivilDay start,
                         int days, absl::string_view rule_text,
                         common::v1::DeadlineExplanation* out) {
  if (deadline.ok()) {
    *out = ToProto(*deadline);
    out->set_text(absl::StrCat(rule_text, rule_text.empty() ? "" : "\n", deadline->Explain()));
    return absl::OkStatus();
  }
  if (deadline.status().code() != absl::StatusCode::kFailedPrecondition) return deadline.status();
  *out = PendingDeadline(start, days, rule_text);
  return absl::OkStatus();
}

std::optional<absl::CivilDay> DueOf(const common::v1::DeadlineExplanation& deadline) {
  if (deadline.due().year() == 0) return std::nullopt;
  const common::v1::Date& due = deadline.due();
  return absl::CivilDay(due.year(), due.month(), due.day());
}

}  // namespace gongkai::catalog::requests
