#include "libs/calendar/calendar_service.h"

namespace gongkai::calendar {

grpc::Status CalendarServiceHandler::GetCalendarYears(
    grpc::ServerContext* /*context*/, const common::v1::GetCalendarYearsRequest* /*request*/,
    common::v1::GetCalendarYearsResponse* response) {
  if (!synced_.load(std::memory_order_acquire)) {
    return grpc::Status(grpc::StatusCode::UNAVAILABLE,
                        "the calendar owner has not applied its stored years yet; retry");
  }
  for (const YearCalendar& year : calendar_->Years()) {
    common::v1::CalendarYearData* data = response->add_years();
    data->set_year(year.year);
    data->set_version(year.version);
    data->set_calendar_json(YearCalendarToJson(year));
  }
  return grpc::Status::OK;
}

}  // namespace gongkai::calendar
