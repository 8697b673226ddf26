// Conversions between the shared proto types of gongkai.common.v1 (and well-known
// types) and their C++ counterparts. Used by every service's domain and repository.
#ifndef GONGKAI_LIBS_PROTOCONV_PROTOCONV_H_
#define GONGKAI_LIBS_PROTOCONV_PROTOCONV_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gongkai/common/v1/common.pb.h"
#include "google/protobuf/timestamp.pb.h"
#include "libs/calendar/deadline.h"

namespace gongkai {

google::protobuf::Timestamp ToTimestamp(absl::Time t);
absl::Time FromTimestamp(const google::protobuf::Timestamp& ts);

common::v1::Date ToProtoDate(absl::CivilDay day);
// INVALID_ARGUMENT ("is not a valid date") for impossible dates such as 2024-02-30.
absl::StatusOr<absl::CivilDay> ToCivilDay(const common::v1::Date& date);

common::v1::DeadlineExplanation ToProto(const calendar::Deadline& deadline);
calendar::Deadline FromProto(const common::v1::DeadlineExplanation& proto);

// NAT-1: the explanation of a period whose last day cannot be computed yet because it
// reaches a year whose official calendar (the State Council's holiday notice) is not
// loaded — what a calendar computation's FAILED_PRECONDITION (CALENDAR_YEAR_NOT_LOADED)
// means. It keeps the start, the length and the kind (and, for calendar days, the nominal
// end start + days), has no `due` and no `calendars`, and its text says the due day is
// computed once that year's notice is loaded ("届满日待载入后计算"). The caller adds its
// rule (rule, rule_version, text) and recomputes it with FromProto + Recompute once the
// year is loaded. Never a guessed day.
//
//   absl::StatusOr<calendar::Deadline> due = cal.AddWorkingDays(today, 15);
//   if (absl::IsFailedPrecondition(due.status()))
//     explanation = PendingDeadlineExplanation(today, 15, /*working_days=*/true);
common::v1::DeadlineExplanation PendingDeadlineExplanation(absl::CivilDay start, int days,
                                                           bool working_days);

// A compact text key of calendar versions ("2024:cn-2024.1,2025:cn-2025.1").
std::string CalendarVersionsKey(const std::vector<calendar::CalendarVersion>& versions);

}  // namespace gongkai

#endif  // GONGKAI_LIBS_PROTOCONV_PROTOCONV_H_
