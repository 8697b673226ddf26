// The owner's side of the suite's one calendar: gongkai.common.v1.CalendarService over a
// WorkingDayCalendar. The catalog hosts it over the calendar it keeps (built-in years
// and the years loaded at run time); other services read it with RemoteCalendarSource.
//
//   calendar::CalendarServiceHandler calendar_service(calendar);  // shared_ptr, kept
//   services.push_back(server::Hosted<common::v1::CalendarService>(&calendar_service));
//   ... once the owner's stored years are applied (its first successful sync):
//   calendar_service.MarkSynced();
//
// Until MarkSynced() every call is UNAVAILABLE: a starting owner has only its built-in
// years, and a reader must not take those as the suite's calendar (it retries). The
// data is public (the State Council's notices), so no token is needed.
// Thread-safe: every call reads one immutable snapshot of the calendar.
#ifndef GONGKAI_LIBS_CALENDAR_CALENDAR_SERVICE_H_
#define GONGKAI_LIBS_CALENDAR_CALENDAR_SERVICE_H_

#include <atomic>
#include <memory>

#include "gongkai/common/v1/calendar.grpc.pb.h"
#include "libs/calendar/working_day_calendar.h"

namespace gongkai::calendar {

class CalendarServiceHandler final : public common::v1::CalendarService::Service {
 public:
  explicit CalendarServiceHandler(std::shared_ptr<const WorkingDayCalendar> calendar)
      : calendar_(std::move(calendar)) {}

  // From now on the calendar is served.
  void MarkSynced() { synced_.store(true, std::memory_order_release); }

  grpc::Status GetCalendarYears(grpc::ServerContext* context,
                                const common::v1::GetCalendarYearsRequest* request,
                                common::v1::GetCalendarYearsResponse* response) override;

 private:
  std::shared_ptr<const WorkingDayCalendar> calendar_;
  std::atomic<bool> synced_{false};
};

}  // namespace gongkai::calendar

#endif  // GONGKAI_LIBS_CALENDAR_CALENDAR_SERVICE_H_
