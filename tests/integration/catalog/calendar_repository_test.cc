// Integration tests (label: integration) of the calendars module's MySQL repository
// (services/catalog/calendars/, NAT-1) on the real MySQL/MariaDB named by
// GONGKAI_TEST_MYSQL_*: the compare-and-set that keeps two replicas' PUTs of one
// version from overwriting each other (issue 16, defect 1).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/time/time.h"
#include "libs/db/testing/status_matchers.h"
#include "services/catalog/calendars/mysql_calendar_repository.h"
#include "tests/integration/repository_test_support.h"

namespace gongkai::catalog::calendars {
namespace {

using ::gongkai::db::testing::IsOk;
using ::gongkai::integration::MigratedDatabase;

const absl::Time kNow = absl::FromUnixSeconds(1'790'000'000);

class CalendarRepositoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<MigratedDatabase> db = MigratedDatabase::Create("calrepo", /*pool_size=*/4);
    ASSERT_THAT(db, IsOk());
    db_ = *std::move(db);
    repository_ = NewMysqlCalendarRepository(db_.pool.get());
  }

  MigratedDatabase db_;
  std::unique_ptr<CalendarRepository> repository_;
};

TEST_F(CalendarRepositoryTest, Nat1FirstDataStoredUnderAVersionWinsANewVersionReplacesIt) {
  absl::StatusOr<StoredCalendarYear> first =
      repository_->SaveCalendarYear({2027, "v1", "{\"a\":1}"}, "root", kNow);
  ASSERT_THAT(first, IsOk());
  EXPECT_EQ(first->calendar_json, "{\"a\":1}");
  // Another replica's PUT of the same version with other data stores nothing and
  // learns what the database holds.
  absl::StatusOr<StoredCalendarYear> second =
      repository_->SaveCalendarYear({2027, "v1", "{\"a\":2}"}, "other", kNow);
  ASSERT_THAT(second, IsOk());
  EXPECT_EQ(second->version, "v1");
  EXPECT_EQ(second->calendar_json, "{\"a\":1}");
  // A new version replaces it.
  absl::StatusOr<StoredCalendarYear> amended =
      repository_->SaveCalendarYear({2027, "v2", "{\"a\":3}"}, "root", kNow);
  ASSERT_THAT(amended, IsOk());
  EXPECT_EQ(amended->calendar_json, "{\"a\":3}");
  absl::StatusOr<std::vector<StoredCalendarYear>> stored = repository_->ListStoredCalendarYears();
  ASSERT_THAT(stored, IsOk());
  ASSERT_EQ(stored->size(), 1u);
  EXPECT_EQ((*stored)[0].version, "v2");
  EXPECT_EQ((*stored)[0].calendar_json, "{\"a\":3}");
}

TEST_F(CalendarRepositoryTest, Nat1ConcurrentPutsOfOneVersionAgreeOnOneStoredCalendar) {
  for (int round = 0; round < 10; ++round) {
    const int year = 2030 + round;
    std::vector<absl::StatusOr<StoredCalendarYear>> results(2);
    std::thread a([&] { results[0] = repository_->SaveCalendarYear({year, "v", "A"}, "a", kNow); });
    std::thread b([&] { results[1] = repository_->SaveCalendarYear({year, "v", "B"}, "b", kNow); });
    a.join();
    b.join();
    ASSERT_THAT(results[0], IsOk());
    ASSERT_THAT(results[1], IsOk());
    // Both replicas are told the same data: the one the database holds.
    EXPECT_EQ(results[0]->calendar_json, results[1]->calendar_json) << year;
  }
}

}  // namespace
}  // namespace gongkai::catalog::calendars
