// The statutory rules of disclosure on request as pure functions (CAT-8, NAT-5 to
// NAT-8): the receipt date by channel, the correction-notice, consultation and reply
// clocks on the working-day calendar, and which outcomes need what. No gRPC, no SQL,
// no clock: the caller passes "today".
//
//   ASSIGN_OR_RETURN(absl::CivilDay received, ReceiptDate(v1::CHANNEL_ONLINE, today, {}));
//   ReplyClockFacts facts{.clock_start = received};
//   ASSIGN_OR_RETURN(ReplyClock clock, ComputeReplyClock(calendar, facts));
//   page.due = clock.deadline.due;  page.note = clock.text;
//
// Clock rules (NAT-3 counting: the start day is never counted):
// - NAT-6: the correction notice is due 7 working days after receipt; once the
//   corrected request arrives, the reply period restarts from that day.
// - NAT-6 (Art. 32): a consultation gives the third party 15 working days; the working
//   days it lasts (at most 15) are not counted in the reply period. While it runs the
//   reply is provisionally due as if it took all 15.
// - NAT-7: the reply is due 20 working days after the clock start; one extension of at
//   most 20 working days.
//
// Thread-safety: pure functions.
#ifndef GONGKAI_SERVICES_CATALOG_REQUESTS_REQUEST_RULES_H_
#define GONGKAI_SERVICES_CATALOG_REQUESTS_REQUEST_RULES_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "gongkai/catalog/v1/disclosure_requests.pb.h"
#include "gongkai/catalog/v1/disclosure_types.pb.h"
#include "gongkai/common/v1/common.pb.h"
#include "libs/calendar/working_day_calendar.h"
#include "libs/status/errors.h"

namespace gongkai::catalog::requests {

namespace v1 = ::gongkai::catalog::v1;

// The national periods, the defaults of these pure functions. The service passes the
// periods of the catalog.requests rule set in effect on the clock's day instead
// (catalog_rule_sets.h, request_clocks.h; ADR 0019).
inline constexpr int kCorrectionNoticeWorkingDays = 7;  // NAT-6, Art. 30.
inline constexpr int kConsultationWorkingDays = 15;     // NAT-6, Art. 32.
inline constexpr int kReplyWorkingDays = 20;            // NAT-7, Art. 33.
inline constexpr int kMaxExtensionWorkingDays = 20;     // NAT-7, Art. 33.

// NAT-5 (Art. 31): the day a request counts as received. Online: the day it is filed
// (`today`; the system confirms at once), no `event_day`. In person: the day it was
// handed in, `event_day` when staff register it later, else `today`. Registered mail
// (signed for), ordinary mail (receipt confirmed) and fax (both sides confirm):
// `event_day`, required. An `event_day` is never after `today`. INVALID_ARGUMENT on field
// "receipt_event_on" otherwise.
absl::StatusOr<absl::CivilDay> ReceiptDate(v1::RequestChannel channel, absl::CivilDay today,
                                           std::optional<absl::CivilDay> event_day);

// NAT-6: when the correction notice must have been issued.
absl::StatusOr<calendar::Deadline> CorrectionNoticeDeadline(
    const calendar::WorkingDayCalendar& calendar, absl::CivilDay received_on,
    int working_days = kCorrectionNoticeWorkingDays);

// NAT-6 (Art. 32): when the third party's 15 working days end.
absl::StatusOr<calendar::Deadline> ConsultationDeadline(
    const calendar::WorkingDayCalendar& calendar, absl::CivilDay started_on,
    int working_days = kConsultationWorkingDays);

// NAT-6 (Art. 32): working days of a consultation (started_on, ended_on] that are not
// counted in the reply period; at most the consultation period (15).
absl::StatusOr<int> PausedWorkingDays(const calendar::WorkingDayCalendar& calendar,
                                      absl::CivilDay started_on, absl::CivilDay ended_on,
                                      int consultation_working_days = kConsultationWorkingDays);

struct ReplyClockFacts {
  absl::CivilDay clock_start;  // Receipt, or receipt of the corrected request.
  bool restarted_by_correction = false;
  int extension_working_days = 0;
  int paused_working_days = 0;  // Finished consultations.
  bool consultation_running = false;
  int reply_working_days = kReplyWorkingDays;                // NAT-7 (catalog.requests).
  int consultation_working_days = kConsultationWorkingDays;  // NAT-6 (catalog.requests).
};

struct ReplyClock {
  int working_days = 0;  // 20 + extension + paused (15 while a consultation runs).
  calendar::Deadline deadline;
  // The rule applied and the calendar explanation, in Chinese, for the request's page.
  std::string text;
};

// NAT-7 with NAT-6: when the reply is due. FAILED_PRECONDITION (from the calendar) when
// the period reaches a year whose calendar is not loaded.
absl::StatusOr<ReplyClock> ComputeReplyClock(const calendar::WorkingDayCalendar& calendar,
                                             const ReplyClockFacts& facts);

// The rule part of ComputeReplyClock's text, without the calendar's explanation (for
// pages whose due date cannot be computed yet).
std::string ReplyRuleText(const ReplyClockFacts& facts);

// NAT-7: adds to `v` when an extension is not allowed: not 1–`max_days` (20) days, or
// one was already granted ("working_days"); approver and reason are checked by the caller.
void CheckExtension(int requested_days, int already_granted_days, FieldViolations& v,
                    int max_days = kMaxExtensionWorkingDays);

// NAT-7: the text of the notice of extension to the applicant: the request (received
// on, tracking code), the reason, the working days added and the new due date (or,
// when that year's calendar is not loaded, that it follows once the calendar is).
// The stored notice is at most this long (the column's limit).
inline constexpr size_t kExtensionNoticeMaxChars = 2000;
std::string ExtensionNoticeText(const v1::DisclosureRequest& extended, absl::string_view reason,
                                std::optional<absl::CivilDay> new_due);
// NAT-7: sets the notice on `extended` (its reply clock already applied): the text with
// the new due date, `today`, and `channel` (unset: the channel the request came by).
void RecordExtensionNotice(v1::DisclosureRequest& extended, absl::string_view reason,
                           v1::RequestChannel channel, absl::CivilDay today);

// NAT-8: whether recording `outcome` needs a reason text (every outcome except
// already public and disclosed: partly disclosed says what was withheld and why).
bool OutcomeNeedsReason(v1::RequestOutcome outcome);
// Outcomes with which information is provided, so a fee may be charged (NAT-9).
bool OutcomeProvidesInformation(v1::RequestOutcome outcome);

// What an answer says, for CheckAnswer.
struct AnswerFacts {
  v1::RequestOutcome outcome = v1::REQUEST_OUTCOME_UNSPECIFIED;
  std::string reason = "";
  int64_t already_public_document_id = 0;
  std::string already_public_reference = "";
  std::string holder_name = "";
  std::string governing_law = "";
  bool on_the_spot = false;
  v1::FeeMethod fee_method = v1::FEE_METHOD_UNSPECIFIED;
  int fee_pages = 0;
};

// NAT-8 and NAT-9: the field checks of an answer, each bad field added to `v`:
// a known outcome; its reason when it needs one; for OUTCOME_ALREADY_PUBLIC, and only
// for it, exactly one of the catalog document and the outside reference (gazette, other
// site); the governing law exactly for OUTCOME_GOVERNED_BY_OTHER_LAW; a holder name only
// with OUTCOME_CANNOT_PROVIDE_NOT_HELD;
// a fee only with information provided, one method, pages only (and > 0) by pages.
void CheckAnswer(const AnswerFacts& answer, FieldViolations& v);

// ---- Clock explanations ----

// A period whose calendar year is not loaded (NAT-1): its start and length, no due
// date, and a text saying the due date waits for the calendar.
common::v1::DeadlineExplanation PendingDeadline(absl::CivilDay start, int days,
                                                absl::string_view rule_text);

// Fills `out` from a computed deadline (its explanation after `rule_text`), or a
// pending one when the calendar is missing (FAILED_PRECONDITION from the calendar).
// Other errors of `deadline` are returned.
absl::Status SetDeadline(const absl::StatusOr<calendar::Deadline>& deadline, absl::CivilDay start,
                         int days, absl::string_view rule_text,
                         common::v1::DeadlineExplanation* out);

// The due day of an explanation; nullopt while pending.
std::optional<absl::CivilDay> DueOf(const common::v1::DeadlineExplanation& deadline);

}  // namespace gongkai::catalog::requests

#endif  // GONGKAI_SERVICES_CATALOG_REQUESTS_REQUEST_RULES_H_
