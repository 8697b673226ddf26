#include "libs/calendar/remote_calendar_source.h"

#include <grpcpp/client_context.h>

#include <chrono>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gongkai/common/v1/calendar.grpc.pb.h"
#include "libs/status/grpc_status.h"

namespace gongkai::calendar {
namespace {

class RemoteCalendarSource final : public CalendarSource {
 public:
  RemoteCalendarSource(std::shared_ptr<grpc::ChannelInterface> channel, absl::Duration deadline)
      : stub_(common::v1::CalendarService::NewStub(std::move(channel))), deadline_(deadline) {}

  absl::StatusOr<int> Sync(WorkingDayCalendar& calendar) override {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + absl::ToChronoMilliseconds(deadline_));
    common::v1::GetCalendarYearsResponse response;
    grpc::Status status =
        stub_->GetCalendarYears(&context, common::v1::GetCalendarYearsRequest(), &response);
    if (!status.ok()) {
      absl::Status read = FromGrpcStatus(status);
      return absl::Status(read.code(),
                          absl::StrCat("reading the calendar owner's years: ", read.message()));
    }

    std::map<int, std::string> loaded;
    for (const CalendarVersion& version : calendar.Versions()) {
      loaded[version.year] = version.version;
    }
    std::vector<YearCalendar> changed;
    for (const common::v1::CalendarYearData& data : response.years()) {
      auto it = loaded.find(data.year());
      if (it != loaded.end() && it->second == data.version()) continue;
      absl::StatusOr<YearCalendar> year = ParseYearCalendarJson(data.calendar_json());
      if (!year.ok() || year->year != data.year()) {
        return absl::DataLossError(absl::StrCat(
            "the calendar owner's year ", data.year(),
            " does not parse: ", year.ok() ? "it holds another year" : year.status().message()));
      }
      changed.push_back(*std::move(year));
    }
    if (changed.empty()) return 0;
    const int count = static_cast<int>(changed.size());
    absl::Status applied = calendar.LoadOrReplaceYears(std::move(changed));
    if (!applied.ok()) return applied;
    return count;
  }

 private:
  std::unique_ptr<common::v1::CalendarService::Stub> stub_;
  absl::Duration deadline_;
};

}  // namespace

std::unique_ptr<CalendarSource> NewRemoteCalendarSource(
    std::shared_ptr<grpc::ChannelInterface> channel, absl::Duration deadline) {
  return std::make_unique<RemoteCalendarSource>(std::move(channel), deadline);
}

}  // namespace gongkai::calendar
