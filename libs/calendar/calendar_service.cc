#include "libs/calendar/calendar_service.h"

#include "libs/status/grpc_status.h"

namespace gongkai::calendar {

grpc::Status CalendarServiceHandler::GetCalendarYears(
    grpc::ServerContext* /*context*/, const common::v1::GetCalendarYearsRequest* /*request*/,
    common::v1::GetCalendarYearsResponse* response) {
  for (const CalendarVersion& version : calendar_->Versions()) {
    absl::StatusOr<YearCalendar> year = calendar_->Year(version.year);
    // A year replaced between Versions() and Year() is sent in its newer version.
    if (!year.ok()) return ToGrpcStatus(year.status());
    common::v1::CalendarYearData* data = response->add_years();
    data->set_year(year->year);
    data->set_version(year->version);
    data->set_calendar_json(YearCalendarToJson(*year));
  }
  return grpc::Status::OK;
}

}  // namespace gongkai::calendar
