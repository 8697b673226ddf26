// Unit tests of the suite's one calendar over gRPC (ADR 0021): the owner's handler and
// the other services' RemoteCalendarSource, over an in-process server on a free port.
#include <gmock/gmock.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "libs/calendar/calendar_service.h"
#include "libs/calendar/remote_calendar_source.h"
#include "libs/calendar/working_day_calendar.h"
#include "libs/db/testing/status_matchers.h"

namespace gongkai::calendar {
namespace {

using ::gongkai::db::testing::IsOk;
using ::gongkai::db::testing::IsOkAndHolds;
using ::gongkai::db::testing::StatusIs;
using ::testing::HasSubstr;

YearCalendar WeekendsOnly(int year, std::string version) {
  YearCalendar cal;
  cal.year = year;
  cal.version = std::move(version);
  cal.source = "calendar_service_test";
  return cal;
}

// A server hosting `service` on 127.0.0.1 with a free port.
class InProcessServer {
 public:
  explicit InProcessServer(grpc::Service* service) {
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port_);
    builder.RegisterService(service);
    server_ = builder.BuildAndStart();
  }
  ~InProcessServer() { server_->Shutdown(); }
  std::shared_ptr<grpc::Channel> Channel() const {
    return grpc::CreateChannel("127.0.0.1:" + std::to_string(port_),
                               grpc::InsecureChannelCredentials());
  }

 private:
  int port_ = 0;
  std::unique_ptr<grpc::Server> server_;
};

class CalendarServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_THAT(owner_->LoadYear(WeekendsOnly(2031, "t-2031.1")), IsOk());
    ASSERT_THAT(owner_->LoadYear(WeekendsOnly(2032, "t-2032.1")), IsOk());
  }
  std::shared_ptr<WorkingDayCalendar> owner_ = std::make_shared<WorkingDayCalendar>();
  CalendarServiceHandler handler_{owner_};
  InProcessServer server_{&handler_};
  std::unique_ptr<CalendarSource> source_ =
      NewRemoteCalendarSource(server_.Channel(), absl::Seconds(10));
  WorkingDayCalendar reader_;
};

TEST_F(CalendarServiceTest, Nat1AnOwnerThatHasNotAppliedItsStoredYearsServesNothing) {
  EXPECT_THAT(source_->Sync(reader_),
              StatusIs(absl::StatusCode::kUnavailable, HasSubstr("not applied its stored years")));
  EXPECT_TRUE(reader_.Versions().empty());
}

TEST_F(CalendarServiceTest, Nat1TheReaderLoadsTheOwnersYearsThenOnlyWhatChanged) {
  handler_.MarkSynced();
  ASSERT_THAT(reader_.LoadYear(WeekendsOnly(2040, "reader-only")), IsOk());
  EXPECT_THAT(source_->Sync(reader_), IsOkAndHolds(2));
  EXPECT_THAT(source_->Sync(reader_), IsOkAndHolds(0));

  YearCalendar amended = WeekendsOnly(2031, "t-2031.2");
  amended.holidays.push_back({absl::CivilDay(2031, 1, 1), "元旦"});
  ASSERT_THAT(owner_->ReplaceYear(amended), IsOk());
  EXPECT_THAT(source_->Sync(reader_), IsOkAndHolds(1));
  absl::StatusOr<YearCalendar> synced = reader_.Year(2031);
  ASSERT_THAT(synced, IsOk());
  EXPECT_EQ(*synced, amended);
  // A year only the reader has (its own GONGKAI_CALENDAR_DIR) stays.
  EXPECT_THAT(reader_.Year(2040), IsOk());
}

TEST(RemoteCalendarSourceTest, AnUnreachableOwnerIsUnavailableAndChangesNothing) {
  std::unique_ptr<CalendarSource> source = NewRemoteCalendarSource(
      grpc::CreateChannel("127.0.0.1:1", grpc::InsecureChannelCredentials()), absl::Seconds(2));
  WorkingDayCalendar reader;
  absl::StatusOr<int> synced = source->Sync(reader);
  EXPECT_TRUE(absl::IsUnavailable(synced.status()) || absl::IsDeadlineExceeded(synced.status()))
      << synced.status();
  EXPECT_THAT(synced.status().message(), HasSubstr("calendar owner"));
  EXPECT_TRUE(reader.Versions().empty());
}

// An owner answering data that does not parse, or another year than it says.
class BrokenOwner final : public common::v1::CalendarService::Service {
 public:
  explicit BrokenOwner(std::string json, int year) : json_(std::move(json)), year_(year) {}
  grpc::Status GetCalendarYears(grpc::ServerContext*, const common::v1::GetCalendarYearsRequest*,
                                common::v1::GetCalendarYearsResponse* response) override {
    common::v1::CalendarYearData* good = response->add_years();
    good->set_year(2031);
    good->set_version("t-2031.1");
    good->set_calendar_json(YearCalendarToJson(WeekendsOnly(2031, "t-2031.1")));
    common::v1::CalendarYearData* bad = response->add_years();
    bad->set_year(year_);
    bad->set_version("broken");
    bad->set_calendar_json(json_);
    return grpc::Status::OK;
  }

 private:
  std::string json_;
  int year_;
};

TEST(RemoteCalendarSourceTest, DataThatDoesNotParseIsDataLossAndNothingIsApplied) {
  BrokenOwner owner("{not json", 2032);
  InProcessServer server(&owner);
  WorkingDayCalendar reader;
  EXPECT_THAT(NewRemoteCalendarSource(server.Channel(), absl::Seconds(10))->Sync(reader),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr("year 2032 does not parse")));
  EXPECT_TRUE(reader.Versions().empty());
}

TEST(RemoteCalendarSourceTest, AYearSentUnderAnotherYearsNumberIsDataLoss) {
  BrokenOwner owner(YearCalendarToJson(WeekendsOnly(2033, "t-2033.1")), 2032);
  InProcessServer server(&owner);
  WorkingDayCalendar reader;
  EXPECT_THAT(NewRemoteCalendarSource(server.Channel(), absl::Seconds(10))->Sync(reader),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr("holds another year")));
  EXPECT_TRUE(reader.Versions().empty());
}

}  // namespace
}  // namespace gongkai::calendar
