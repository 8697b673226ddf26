// A CalendarSource that reads the calendar owner's years over gRPC
// (gongkai.common.v1.CalendarService, hosted by the catalog). Every service but the
// owner uses it, through the service bootstrap (libs/server/service_runner.h), so that a
// year loaded once at the owner is used by every service within one refresh period
// (GONGKAI_METRICS_REFRESH, 15 s by default).
//
//   auto source = NewRemoteCalendarSource(grpc::CreateChannel(owner_address, creds),
//                                         absl::Seconds(5));
//   ASSIGN_OR_RETURN(int changed, source->Sync(*calendar));
//
// Years the owner does not have are left as they are (a process's own built-in or
// GONGKAI_CALENDAR_DIR years stay loaded); a year whose version differs is replaced.
// Thread-compatible: one caller at a time (the bootstrap's refresh thread).
#ifndef GONGKAI_LIBS_CALENDAR_REMOTE_CALENDAR_SOURCE_H_
#define GONGKAI_LIBS_CALENDAR_REMOTE_CALENDAR_SOURCE_H_

#include <grpcpp/channel.h>

#include <memory>

#include "absl/time/time.h"
#include "libs/calendar/calendar_source.h"

namespace gongkai::calendar {

// `deadline`: how long one read of the owner may take.
std::unique_ptr<CalendarSource> NewRemoteCalendarSource(
    std::shared_ptr<grpc::ChannelInterface> channel, absl::Duration deadline);

}  // namespace gongkai::calendar

#endif  // GONGKAI_LIBS_CALENDAR_REMOTE_CALENDAR_SOURCE_H_
