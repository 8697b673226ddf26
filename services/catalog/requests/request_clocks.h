// The disclosure-request clocks of a stored request (NAT-6, NAT-7) on the working-day
// calendar, with their periods from the catalog.requests rule set (ADR 0019): the
// version in effect on the request's receipt day gives the correction-notice period,
// the reply period and the extension's maximum; the version in effect on a
// consultation's start gives the third party's period. Each computed deadline names
// its rule (DeadlineExplanation.rule, .rule_version), which the stored reply deadline
// keeps, so a request computed under another version is recomputed when the rules
// change (DisclosureRequests::RecomputeStoredClocks).
//
//   RETURN_IF_ERROR(ApplyRequestClocks(calendar, book, today, request));
//
// Thread-safety: pure functions over the calendar and the RuleBook (both thread-safe).
#ifndef GONGKAI_SERVICES_CATALOG_REQUESTS_REQUEST_CLOCKS_H_
#define GONGKAI_SERVICES_CATALOG_REQUESTS_REQUEST_CLOCKS_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "gongkai/catalog/v1/disclosure_requests.pb.h"
#include "libs/calendar/working_day_calendar.h"
#include "libs/rules/rule_book.h"
#include "libs/rules/rule_set.h"

namespace gongkai::catalog::requests {

namespace v1 = ::gongkai::catalog::v1;

// The reply clock runs (and can be overdue) unless answered or awaiting correction.
bool ReplyClockRuns(v1::DisclosureRequestState state);

// Fills the clock fields (correction, consultation and reply deadlines with their
// explanations and rules, `overdue` against `today`) from the request's facts. A period
// reaching a year whose calendar is not loaded keeps its start and length, without a due
// date (NAT-1). FAILED_PRECONDITION when no catalog.requests version is in effect on a
// clock's day; other calendar errors are returned.
absl::Status ApplyRequestClocks(const calendar::WorkingDayCalendar& calendar,
                                const rules::RuleBook& book, absl::CivilDay today,
                                v1::DisclosureRequest& request);

// NAT-7: the longest extension of `request`'s reply period, from the version in effect on
// its receipt day.
absl::StatusOr<int> MaxExtensionWorkingDays(const rules::RuleBook& book,
                                            const v1::DisclosureRequest& request);

// NAT-6: the third party's period of a consultation started on `started_on` (also the
// most working days it pauses the reply period).
absl::StatusOr<int> ConsultationWorkingDays(const rules::RuleBook& book, absl::CivilDay started_on);

}  // namespace gongkai::catalog::requests

#endif  // GONGKAI_SERVICES_CATALOG_REQUESTS_REQUEST_CLOCKS_H_
