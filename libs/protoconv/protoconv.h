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

// A compact text key of calendar versions ("2024:cn-2024.1,2025:cn-2025.1").
std::string CalendarVersionsKey(const std::vector<calendar::CalendarVersion>& versions);

}  // namespace gongkai

#endif  // GONGKAI_LIBS_PROTOCONV_PROTOCONV_H_
