// End-to-end tests (label: e2e) of the service template: gongkai-notes, a minimal service
// built only here on the shared libraries (libs/server/service_runner.h), runs next to
// the real catalog. It applies its own migration and the libraries' (idempotency_keys),
// serves its RPCs through the shared handler body, and counts working days on the
// suite's one calendar, which it reads from the catalog (the owner) over gRPC.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "gongkai/common/v1/calendar.grpc.pb.h"
#include "gongkai/common/v1/rule_sets.grpc.pb.h"
#include "gongkai/testing/notes/v1/notes.grpc.pb.h"
#include "libs/calendar/working_day_calendar.h"
#include "libs/db/connection_pool.h"
#include "libs/db/testing/status_matchers.h"
#include "nlohmann/json.hpp"
#include "tests/e2e/catalog_under_test.h"
#include "tests/e2e/e2e_database.h"
#include "tests/e2e/grpc_call.h"
#include "tests/e2e/service_process.h"
#include "tests/e2e/stand_in_calendar.h"

#ifndef GONGKAI_NOTES_BINARY
#error "GONGKAI_NOTES_BINARY must be defined by the build"
#endif

namespace gongkai::e2e {
namespace {

namespace notes_v1 = ::gongkai::testing::notes::v1;
using ::gongkai::db::testing::IsOk;
using ::gongkai::db::testing::StatusIs;
using ::testing::HasSubstr;

// A year no built-in data or stand-in covers, loaded at run time at the owner.
constexpr int kLoadedYear = 2031;

// Polls `done` every 100 ms for up to 60 s (a refresh period is 1 s here).
bool WaitUntil(const std::function<bool()>& done) {
  const absl::Time give_up = absl::Now() + absl::Seconds(60);
  while (!done()) {
    if (absl::Now() > give_up) return false;
    absl::SleepFor(absl::Milliseconds(100));
  }
  return true;
}

absl::StatusOr<common::v1::GetCalendarYearsResponse> CalendarYears(const std::string& address) {
  auto stub = common::v1::CalendarService::NewStub(
      grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
  return UnaryCall(*stub, &common::v1::CalendarService::Stub::GetCalendarYears, "",
                   common::v1::GetCalendarYearsRequest());
}

std::set<std::string> YearVersions(const std::string& address) {
  auto stub = common::v1::CalendarService::NewStub(
      grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
  absl::StatusOr<common::v1::GetCalendarYearsResponse> years =
      UnaryCall(*stub, &common::v1::CalendarService::Stub::GetCalendarYears, "",
                common::v1::GetCalendarYearsRequest());
  std::set<std::string> versions;
  if (!years.ok()) return versions;
  for (const auto& year : years->years())
    versions.insert(absl::StrCat(year.year(), "=", year.version()));
  return versions;
}

class ServiceTemplateE2eTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // The stand-in years (weekends only) cover today's and next year's wherever no
    // official schedule is compiled in, so the notes' reply periods never depend on the
    // day the tests run; notes gets them from the catalog, like every other year.
    absl::StatusOr<std::unique_ptr<CatalogUnderTest>> catalog = CatalogUnderTest::Start(
        "tpl", {{"GONGKAI_METRICS_REFRESH", "1s"}, {"GONGKAI_CALENDAR_DIR", StandInCalendarDir()}});
    ASSERT_TRUE(catalog.ok()) << catalog.status();
    catalog_ = catalog->release();
    absl::StatusOr<std::unique_ptr<E2eDatabase>> database = E2eDatabase::Create("notes");
    ASSERT_TRUE(database.ok()) << database.status();
    notes_database_ = database->release();
    absl::StatusOr<std::unique_ptr<ServiceProcess>> notes =
        StartNotes(catalog_->service().grpc_address(), absl::Seconds(60));
    ASSERT_TRUE(notes.ok()) << notes.status();
    notes_ = notes->release();
  }

  static void TearDownTestSuite() {
    delete notes_;
    delete notes_database_;
    delete catalog_;
  }

  static absl::StatusOr<std::unique_ptr<ServiceProcess>> StartNotes(
      const std::string& calendar_address, absl::Duration startup_timeout) {
    ServiceProcess::Options options;
    options.binary = GONGKAI_NOTES_BINARY;
    options.listening_message = "notes listening";
    options.startup_timeout = startup_timeout;
    options.env = notes_database_->ServiceEnv();
    options.env["GONGKAI_GRPC_ADDRESS"] = "127.0.0.1:0";
    options.env["GONGKAI_METRICS_ADDRESS"] = "127.0.0.1:0";
    options.env["GONGKAI_JWT_HS256_SECRET"] = catalog_->jwt_secret();
    options.env["GONGKAI_JWT_ISSUER"] = kE2eIssuer;
    options.env["GONGKAI_JWT_AUDIENCE"] = kE2eAudience;
    options.env["GONGKAI_DB_POOL_SIZE"] = "2";
    options.env["GONGKAI_CALENDAR_ADDRESS"] = calendar_address;
    options.env["GONGKAI_METRICS_REFRESH"] = "1s";
    return ServiceProcess::Start(options);
  }

  std::unique_ptr<notes_v1::NotesService::Stub> NotesStub() {
    return notes_v1::NotesService::NewStub(
        grpc::CreateChannel(notes_->grpc_address(), grpc::InsecureChannelCredentials()));
  }

  static CatalogUnderTest* catalog_;
  static E2eDatabase* notes_database_;
  static ServiceProcess* notes_;
};

CatalogUnderTest* ServiceTemplateE2eTest::catalog_ = nullptr;
E2eDatabase* ServiceTemplateE2eTest::notes_database_ = nullptr;
ServiceProcess* ServiceTemplateE2eTest::notes_ = nullptr;

TEST_F(ServiceTemplateE2eTest, CreatesIdempotentlyWithADeadlineOnTheSharedCalendar) {
  auto stub = NotesStub();
  const std::string staff = catalog_->Token("clerk", 1, {"STAFF"});
  notes_v1::CreateNoteRequest request;
  request.set_request_id("note-1");
  request.set_text("回复期限按工作日计算");
  absl::StatusOr<notes_v1::Note> first =
      UnaryCall(*stub, &notes_v1::NotesService::Stub::CreateNote, staff, request);
  ASSERT_THAT(first, IsOk());
  EXPECT_GT(first->id(), 0);
  EXPECT_EQ(first->created_by(), "clerk");
  // The period is the rule set's (5 in v1; another test puts v2), named with its value.
  EXPECT_THAT(first->reply_period_rule(),
              HasSubstr(absl::StrCat("reply.working_days = ", first->reply_due_explanation().days(),
                                     " working days (TPL-1)")));
  EXPECT_EQ(first->reply_working_days(), first->reply_due_explanation().days());
  EXPECT_FALSE(first->reply_due_explanation().calendars().empty());

  // The retry is answered from the idempotency_keys table libs/db ships.
  absl::StatusOr<notes_v1::Note> retry =
      UnaryCall(*stub, &notes_v1::NotesService::Stub::CreateNote, staff, request);
  ASSERT_THAT(retry, IsOk());
  EXPECT_EQ(retry->id(), first->id());

  notes_v1::GetNoteRequest get;
  get.set_id(first->id());
  absl::StatusOr<notes_v1::Note> read =
      UnaryCall(*stub, &notes_v1::NotesService::Stub::GetNote, staff, get);
  ASSERT_THAT(read, IsOk());
  EXPECT_EQ(read->text(), request.text());
  EXPECT_EQ(read->reply_due().day(), first->reply_due().day());
}

TEST_F(ServiceTemplateE2eTest, BadInputAndMissingRolesGetTheSharedErrors) {
  auto stub = NotesStub();
  notes_v1::CreateNoteRequest empty;
  EXPECT_THAT(UnaryCall(*stub, &notes_v1::NotesService::Stub::CreateNote,
                        catalog_->Token("clerk", 1, {"STAFF"}), empty),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("text")));
  EXPECT_THAT(UnaryCall(*stub, &notes_v1::NotesService::Stub::CreateNote,
                        catalog_->Token("reader", 1, {"REVIEWER"}), empty),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("STAFF")));
  EXPECT_THAT(UnaryCall(*stub, &notes_v1::NotesService::Stub::CreateNote, "", empty),
              StatusIs(absl::StatusCode::kUnauthenticated, HasSubstr("token")));
}

// Rule numbers are data: an ADMIN puts a stricter version at run time, and the next
// result uses it and names it; the earlier result keeps the version it was computed on.
TEST_F(ServiceTemplateE2eTest, ARuleSetVersionPutAtRunTimeTakesEffectWithoutARelease) {
  auto stub = NotesStub();
  const std::string staff = catalog_->Token("clerk", 1, {"STAFF"});
  notes_v1::CreateNoteRequest before;
  before.set_request_id("before-v2");
  before.set_text("按第一版规则");
  absl::StatusOr<notes_v1::Note> on_v1 =
      UnaryCall(*stub, &notes_v1::NotesService::Stub::CreateNote, staff, before);
  ASSERT_THAT(on_v1, IsOk());

  auto rules_stub = common::v1::RuleSetService::NewStub(
      grpc::CreateChannel(notes_->grpc_address(), grpc::InsecureChannelCredentials()));
  common::v1::PutRuleSetRequest put;
  put.set_rule_set_json(R"({"name": "notes.reply", "version": 2, "effective_from": "2020-01-01",
      "basis": "a stricter city rule", "rules": {"reply.working_days": {"value": 3}}})");
  EXPECT_THAT(UnaryCall(*rules_stub, &common::v1::RuleSetService::Stub::PutRuleSet, staff, put),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("ADMIN")));
  ASSERT_THAT(UnaryCall(*rules_stub, &common::v1::RuleSetService::Stub::PutRuleSet,
                        catalog_->Token("root", std::nullopt, {"ADMIN"}), put),
              IsOk());

  notes_v1::CreateNoteRequest after = before;
  after.set_request_id("after-v2");
  absl::StatusOr<notes_v1::Note> on_v2 =
      UnaryCall(*stub, &notes_v1::NotesService::Stub::CreateNote, staff, after);
  ASSERT_THAT(on_v2, IsOk());
  EXPECT_EQ(on_v2->reply_due_explanation().days(), 3);
  EXPECT_THAT(on_v2->reply_period_rule(), HasSubstr("notes.reply v2"));
  EXPECT_THAT(on_v2->reply_period_rule(), HasSubstr("TPL-1"));
  EXPECT_EQ(on_v1->reply_due_explanation().days(), 5);

  // A bad version is refused naming the rule, and changes nothing.
  put.set_rule_set_json(R"({"name": "notes.reply", "version": 3, "effective_from": "2020-01-01",
      "basis": "x", "rules": {"reply.working_days": {"value": 0}}})");
  EXPECT_THAT(UnaryCall(*rules_stub, &common::v1::RuleSetService::Stub::PutRuleSet,
                        catalog_->Token("root", std::nullopt, {"ADMIN"}), put),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("reply.working_days")));
  after.set_request_id("after-bad-v3");
  absl::StatusOr<notes_v1::Note> still_v2 =
      UnaryCall(*stub, &notes_v1::NotesService::Stub::CreateNote, staff, after);
  ASSERT_THAT(still_v2, IsOk());
  EXPECT_THAT(still_v2->reply_period_rule(), HasSubstr("notes.reply v2"));
}

TEST_F(ServiceTemplateE2eTest, LibraryAndOwnMigrationsAreRecordedApart) {
  absl::StatusOr<std::unique_ptr<db::ConnectionPool>> pool =
      db::ConnectionPool::Create(notes_database_->ServiceConfig(1));
  ASSERT_THAT(pool, IsOk());
  absl::StatusOr<db::ConnectionLease> conn = (*pool)->Acquire();
  ASSERT_THAT(conn, IsOk());
  absl::StatusOr<db::ResultSet> library = (*conn)->Query(
      "SELECT component, version FROM schema_library_migrations "
      "ORDER BY component, version");
  ASSERT_THAT(library, IsOk());
  // idempotency 0001-0003 (0002 and 0003 of issue 16: request hash, purge index), then
  // rule_sets 0001.
  ASSERT_EQ(library->size(), 4u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(*(*library)[i].GetString("component"), "idempotency");
    EXPECT_EQ(*(*library)[i].GetInt64("version"), static_cast<int64_t>(i + 1));
  }
  EXPECT_EQ(*(*library)[3].GetString("component"), "rule_sets");
  absl::StatusOr<db::ResultSet> own = (*conn)->Query("SELECT name FROM schema_migrations");
  ASSERT_THAT(own, IsOk());
  ASSERT_EQ(own->size(), 1u);
  EXPECT_EQ(*(*own)[0].GetString("name"), "notes");
}

// One calendar for the suite: a year loaded once at the owner reaches the other service
// within its refresh period (1 s here; GONGKAI_METRICS_REFRESH, 15 s by default).
TEST_F(ServiceTemplateE2eTest, AYearLoadedAtTheCalendarOwnerReachesTheOtherService) {
  EXPECT_EQ(YearVersions(notes_->grpc_address()), YearVersions(catalog_->service().grpc_address()));

  const nlohmann::json year = {{"region", "CN"},
                               {"year", kLoadedYear},
                               {"version", absl::StrCat("template-e2e-", kLoadedYear)},
                               {"source", {{"notice", "gongkai template e2e test: weekends only"}}},
                               {"holidays", nlohmann::json::array()},
                               {"adjusted_working_days", nlohmann::json::array()}};
  catalog::v1::PutCalendarYearRequest put;
  put.set_year(kLoadedYear);
  put.set_calendar_json(year.dump());
  auto catalog_stub = catalog_->NewStub();
  ASSERT_THAT(UnaryCall(*catalog_stub, &catalog::v1::CatalogService::Stub::PutCalendarYear,
                        catalog_->Token("root", std::nullopt, {"ADMIN"}), put),
              IsOk());

  const std::string expected = absl::StrCat(kLoadedYear, "=template-e2e-", kLoadedYear);
  EXPECT_TRUE(WaitUntil([&] { return YearVersions(notes_->grpc_address()).count(expected) == 1; }));
  EXPECT_TRUE(WaitUntil([&] {
    return YearVersions(notes_->grpc_address()) == YearVersions(catalog_->service().grpc_address());
  }));
}

// NAT-1: a notice amended after a due date was stored moves that date, in the service
// that stored it, once the amendment reaches it from the calendar's owner.
TEST_F(ServiceTemplateE2eTest, AnAmendedCalendarYearMovesTheStoredDueDates) {
  auto stub = NotesStub();
  const std::string staff = catalog_->Token("clerk", 1, {"STAFF"});
  notes_v1::CreateNoteRequest request;
  request.set_request_id("before-amendment");
  request.set_text("假日调整前登记");
  absl::StatusOr<notes_v1::Note> note =
      UnaryCall(*stub, &notes_v1::NotesService::Stub::CreateNote, staff, request);
  ASSERT_THAT(note, IsOk());

  // The amendment makes the stored due day a holiday.
  absl::StatusOr<common::v1::GetCalendarYearsResponse> owner_years =
      CalendarYears(catalog_->service().grpc_address());
  ASSERT_THAT(owner_years, IsOk());
  const int due_year = note->reply_due().year();
  const std::string due_day = absl::StrFormat("%04d-%02d-%02d", due_year, note->reply_due().month(),
                                              note->reply_due().day());
  nlohmann::json amended;
  for (const auto& year : owner_years->years()) {
    if (year.year() == due_year) amended = nlohmann::json::parse(year.calendar_json());
  }
  ASSERT_FALSE(amended.is_null()) << "the owner has no calendar for " << due_year;
  nlohmann::json adjusted = nlohmann::json::array();
  for (const auto& day : amended["adjusted_working_days"]) {
    if (day["date"] != due_day) adjusted.push_back(day);
  }
  amended["adjusted_working_days"] = adjusted;
  amended["holidays"].push_back({{"date", due_day}, {"name", "模板测试调整"}});
  amended["version"] = absl::StrCat(amended["version"].get<std::string>(), "-amended");
  catalog::v1::PutCalendarYearRequest put;
  put.set_year(due_year);
  put.set_calendar_json(amended.dump());
  auto catalog_stub = catalog_->NewStub();
  ASSERT_THAT(UnaryCall(*catalog_stub, &catalog::v1::CatalogService::Stub::PutCalendarYear,
                        catalog_->Token("root", std::nullopt, {"ADMIN"}), put),
              IsOk());

  // Expected: the same period counted on the owner's calendar with the amendment.
  calendar::WorkingDayCalendar expected_calendar;
  std::vector<calendar::YearCalendar> years;
  for (const auto& year : owner_years->years()) {
    absl::StatusOr<calendar::YearCalendar> parsed = calendar::ParseYearCalendarJson(
        year.year() == due_year ? amended.dump() : year.calendar_json());
    ASSERT_THAT(parsed, IsOk());
    years.push_back(*std::move(parsed));
  }
  ASSERT_THAT(expected_calendar.LoadOrReplaceYears(std::move(years)), IsOk());
  absl::StatusOr<calendar::Deadline> expected = expected_calendar.AddWorkingDays(
      absl::CivilDay(note->created_on().year(), note->created_on().month(),
                     note->created_on().day()),
      note->reply_working_days());
  ASSERT_THAT(expected, IsOk());
  ASSERT_GT(expected->due,
            absl::CivilDay(due_year, note->reply_due().month(), note->reply_due().day()));

  notes_v1::GetNoteRequest get;
  get.set_id(note->id());
  EXPECT_TRUE(WaitUntil([&] {
    absl::StatusOr<notes_v1::Note> now =
        UnaryCall(*stub, &notes_v1::NotesService::Stub::GetNote, staff, get);
    return now.ok() && absl::CivilDay(now->reply_due().year(), now->reply_due().month(),
                                      now->reply_due().day()) == expected->due;
  })) << "the stored due date did not move to "
      << expected->due;
}

// A service never serves on calendar data it could not confirm with the owner.
TEST_F(ServiceTemplateE2eTest, StaysNotServingWhileTheCalendarOwnerIsUnreachable) {
  absl::StatusOr<std::unique_ptr<ServiceProcess>> orphan =
      StartNotes("127.0.0.1:1", absl::Seconds(20));
  ASSERT_FALSE(orphan.ok());
  EXPECT_THAT(orphan.status(),
              StatusIs(absl::StatusCode::kDeadlineExceeded, HasSubstr("calendar sync")));
}

}  // namespace
}  // namespace gongkai::e2e
