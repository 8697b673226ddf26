// Pure rules of the domain: the WEB-1 lifecycle, which sites the prober schedules, the
// spread of probe slots (NAT-13: >= 20 a day), and the access table (roles x own/other
// unit); with a repository double, pending and recomputed rectification deadlines (NAT-1,
// WEB-4).
#include "services/website/website.h"

#include <memory>
#include <set>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/calendar/testing/builtin_through.h"
#include "libs/clock/clock.h"
#include "libs/protoconv/protoconv.h"
#include "libs/rules/embedded_rule_sets.h"
#include "services/website/mock_website_repository.h"
#include "services/website/prober/probe_scheduler.h"
#include "services/website/scoring/evaluation.h"
#include "services/website/supervision/run_worker.h"
#include "services/website/website_access.h"

namespace gongkai::website {
namespace {

using auth::Principal;
using auth::Role;

TEST(LifecycleTest, Web1WebsitesGoThroughEveryStage) {
  EXPECT_TRUE(IsAllowedTransition(v1::PORTAL, v1::OPENING, v1::BUILDING));
  EXPECT_TRUE(IsAllowedTransition(v1::PORTAL, v1::BUILDING, v1::GRADING));
  EXPECT_TRUE(IsAllowedTransition(v1::PORTAL, v1::GRADING, v1::FILING));
  EXPECT_TRUE(IsAllowedTransition(v1::PORTAL, v1::FILING, v1::OPERATION));
  EXPECT_TRUE(IsAllowedTransition(v1::PORTAL, v1::OPERATION, v1::LEVEL_PROTECTION));
  EXPECT_TRUE(IsAllowedTransition(v1::PORTAL, v1::LEVEL_PROTECTION, v1::OPERATION));
  EXPECT_FALSE(IsAllowedTransition(v1::PORTAL, v1::OPENING, v1::OPERATION));
  EXPECT_FALSE(IsAllowedTransition(v1::PORTAL, v1::OPERATION, v1::OPERATION));
}

TEST(LifecycleTest, Web1Web5ShutdownAndMigrationAreFinal) {
  EXPECT_TRUE(IsAllowedTransition(v1::DEPARTMENT_SITE, v1::OPERATION, v1::MIGRATED));
  EXPECT_TRUE(IsAllowedTransition(v1::DEPARTMENT_SITE, v1::BUILDING, v1::SHUTDOWN));
  EXPECT_FALSE(IsAllowedTransition(v1::DEPARTMENT_SITE, v1::MIGRATED, v1::OPERATION));
  EXPECT_FALSE(IsAllowedTransition(v1::DEPARTMENT_SITE, v1::SHUTDOWN, v1::OPENING));
}

TEST(LifecycleTest, Web1AccountsOpenStraightIntoOperation) {
  EXPECT_TRUE(IsAllowedTransition(v1::WECHAT, v1::OPENING, v1::OPERATION));
  EXPECT_FALSE(IsAllowedTransition(v1::WEIBO, v1::OPENING, v1::BUILDING));
  EXPECT_TRUE(IsAllowedTransition(v1::APP, v1::OPERATION, v1::SHUTDOWN));
}

TEST(ProbedTest, Nat13OnlyWorkingWebsitesAreProbed) {
  v1::Site site;
  site.set_kind(v1::PORTAL);
  site.set_state(v1::OPERATION);
  EXPECT_TRUE(IsProbed(site));
  site.set_state(v1::LEVEL_PROTECTION);
  EXPECT_TRUE(IsProbed(site));
  site.set_state(v1::BUILDING);
  EXPECT_FALSE(IsProbed(site));
  site.set_state(v1::OPERATION);
  site.set_kind(v1::WEIBO);
  EXPECT_FALSE(IsProbed(site));
}

TEST(NextSlotTest, Nat13SlotsRepeatEveryIntervalAndSpreadSites) {
  const absl::Duration interval = absl::Hours(1);  // 24 a day.
  const absl::Time now = absl::FromUnixSeconds(1'800'000'000);
  const absl::Time first = NextSlot(42, now, interval);
  EXPECT_GT(first, now);
  EXPECT_LE(first - now, interval);
  EXPECT_EQ(NextSlot(42, first, interval), first + interval);
  std::set<int64_t> offsets;
  for (int64_t site = 1; site <= 50; ++site) {
    offsets.insert(absl::ToUnixSeconds(NextSlot(site, now, interval)) % 3600);
  }
  EXPECT_GT(offsets.size(), 40u);  // Not all on the hour.
}

// NAT-13: a slot claimed on time takes itself; one claimed after every replica was
// stopped takes the latest slot due and leaves the earlier ones as a gap.
TEST(CatchUpTest, Nat13AClaimAfterAStopTakesTheLatestSlotAndRecordsTheGap) {
  const absl::Duration interval = absl::Hours(1);
  const absl::Time now = absl::FromUnixSeconds(1'800'000'000);
  const absl::Time slot = NextSlot(42, now, interval);
  const SlotCatchUp on_time = CatchUp(42, slot, slot + absl::Seconds(2), interval);
  EXPECT_EQ(on_time.slot, slot);
  EXPECT_FALSE(on_time.gap.has_value());
  // Back three and a half intervals later: slots at +1h, +2h, +3h are due too.
  const SlotCatchUp late = CatchUp(42, slot, slot + absl::Minutes(210), interval);
  EXPECT_EQ(late.slot, slot + 3 * interval);
  ASSERT_TRUE(late.gap.has_value());
  EXPECT_EQ(late.gap->slots, 3);
  EXPECT_EQ(late.gap->first_slot, slot);
  EXPECT_EQ(late.gap->last_slot, slot + 2 * interval);
  // A first slot off the grid (the registration time) counts as one missed slot.
  const absl::Time registered = slot - absl::Minutes(10);
  const SlotCatchUp first = CatchUp(42, registered, slot + absl::Minutes(5), interval);
  EXPECT_EQ(first.slot, slot);
  ASSERT_TRUE(first.gap.has_value());
  EXPECT_EQ(first.gap->slots, 1);
  EXPECT_EQ(first.gap->last_slot, registered);
  // The window counts only the gap's slots inside it.
  EXPECT_EQ(scoring::MissedSlotsIn(*late.gap, slot + absl::Minutes(30), slot + 5 * interval), 2);
  EXPECT_EQ(scoring::MissedSlotsIn(*late.gap, slot, slot + absl::Minutes(30)), 1);
}

Principal Caller(Role role, std::optional<int64_t> unit) {
  Principal p;
  p.subject = "u";
  p.roles.Add(role);
  p.unit_id = unit;
  return p;
}

TEST(AccessTest, UnitRolesActOnTheirOwnUnitOnly) {
  EXPECT_TRUE(Authorize(Caller(Role::kStaff, 3), kRegisterWriters, 3, "x").ok());
  EXPECT_EQ(Authorize(Caller(Role::kStaff, 3), kRegisterWriters, 4, "x").code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(Authorize(Caller(Role::kOffice, std::nullopt), kRegisterWriters, 4, "x").ok());
  EXPECT_EQ(Authorize(Caller(Role::kInspector, std::nullopt), kRegisterWriters, 4, "x").code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(Authorize(Caller(Role::kInspector, std::nullopt), kRegisterReaders, 4, "x").ok());
  EXPECT_EQ(Authorize(Principal::Anonymous(), kRegisterReaders, 4, "x").code(),
            absl::StatusCode::kUnauthenticated);
}

TEST(AccessTest, Web4SupervisionIsForTheOfficeAndTheSupervisionOffice) {
  EXPECT_TRUE(Authorize(Caller(Role::kSupervision, std::nullopt), kSupervisors, {}, "x").ok());
  EXPECT_TRUE(Authorize(Caller(Role::kOffice, std::nullopt), kSupervisors, {}, "x").ok());
  EXPECT_EQ(Authorize(Caller(Role::kStaff, 3), kSupervisors, {}, "x").code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(Authorize(Caller(Role::kHead, 3), kRectifiers, 3, "x").ok());
  EXPECT_EQ(Authorize(Caller(Role::kHead, 3), kRectifiers, 5, "x").code(),
            absl::StatusCode::kPermissionDenied);
}

TEST(AccessTest, Nat13SevereErrorsAreRecordedByInspectors) {
  EXPECT_TRUE(
      Authorize(Caller(Role::kInspector, std::nullopt), kSevereErrorRecorders, 1, "x").ok());
  EXPECT_EQ(Authorize(Caller(Role::kStaff, 1), kSevereErrorRecorders, 1, "x").code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(Authorize(Caller(Role::kService, std::nullopt), kMessageSubmitters, 1, "x").ok());
}

// With a repository double: what the domain asks of storage.
class WebsiteWithMockTest : public ::testing::Test {
 protected:
  void SetUp() override {
    book_ = std::make_shared<rules::RuleBook>(WebsiteRuleSchemas());
    ASSERT_TRUE(rules::LoadRuleSetFiles(*book_, rules::EmbeddedRuleSetFiles()).ok());
    website_ = std::make_unique<Website>(
        WebsiteDeps{&repository_, nullptr, nullptr, book_, &clock_, UnitCheck()});
  }
  ::testing::StrictMock<MockWebsiteRepository> repository_;
  FakeClock clock_{absl::FromUnixSeconds(1'796'000'000)};
  std::shared_ptr<rules::RuleBook> book_;
  std::unique_ptr<Website> website_;
};

TEST_F(WebsiteWithMockTest, BadInputNeverReachesTheRepository) {
  v1::CreateSiteRequest create;
  create.set_request_id("r");
  create.mutable_site()->set_unit_id(1);
  create.mutable_site()->set_name("x");
  create.mutable_site()->set_kind(v1::PORTAL);
  create.mutable_site()->set_url("ftp://nope");
  EXPECT_EQ(website_->CreateSite(Caller(Role::kOffice, std::nullopt), create).status().code(),
            absl::StatusCode::kInvalidArgument);
  v1::StartSupervisionRunRequest run;  // No kind.
  run.set_request_id("r");
  EXPECT_EQ(website_->StartSupervisionRun(Caller(Role::kOffice, std::nullopt), run).status().code(),
            absl::StatusCode::kInvalidArgument);
}

// WEB-2: a run cancelled (or taken over) while a batch was being worked stores nothing:
// the worker stops at the refused batch and keeps no claim to give back.
TEST_F(WebsiteWithMockTest, Web2AWorkerStopsAtARunThatWasCancelled) {
  using ::testing::_;
  using ::testing::Return;
  v1::SupervisionRun run;
  run.set_id(9);
  run.set_kind(v1::WEEKLY_CHECK);
  *run.mutable_as_of() = ToProtoDate(absl::CivilDay(2026, 12, 7));
  EXPECT_CALL(repository_, ClaimRun(_, _, _))
      .WillOnce(Return(std::optional<v1::SupervisionRun>(run)));
  v1::Site site;
  site.set_id(5);
  site.set_kind(v1::PORTAL);
  site.set_state(v1::OPERATION);
  EXPECT_CALL(repository_, SitesForRun(v1::WEEKLY_CHECK, 0, 2))
      .WillOnce(Return(std::vector<v1::Site>{site}));
  scoring::EvaluationInput input;
  input.site = site;
  input.as_of = absl::CivilDay(2026, 12, 7);
  EXPECT_CALL(repository_, LoadEvaluationInput(_, _, _, _, _, _, _)).WillOnce(Return(input));
  EXPECT_CALL(repository_, RecordRunProgress(9, _, _, _, _))
      .WillOnce(
          [](int64_t, const std::string&, const RunProgress& progress, absl::Time, absl::Duration) {
            EXPECT_EQ(progress.results.size(), 1u);
            EXPECT_EQ(progress.results[0].evaluation().scope(), v1::WEEKLY_CHECK);
            return absl::AbortedError("cancelled");
          });
  RunWorker worker(&repository_, website_.get(), &clock_, {.batch = 2, .replica = "m"});
  EXPECT_EQ(*worker.RunOnce(), 0);
}

// NAT-1 and WEB-4 with a repository double and the built-in calendar (2024..2026): a
// notice whose rectification period reaches a year not loaded is accepted with a
// pending deadline, and the calendar change that loads the year (or replaces one the
// deadline used) gives it its day.
class NoticeDeadlineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    book_ = std::make_shared<rules::RuleBook>(WebsiteRuleSchemas());
    ASSERT_TRUE(rules::LoadRuleSetFiles(*book_, rules::EmbeddedRuleSetFiles()).ok());
    absl::StatusOr<std::shared_ptr<calendar::WorkingDayCalendar>> cal =
        calendar::testing::BuiltinCalendarThrough(2026);  // 2027 unloaded (NAT-1).
    ASSERT_TRUE(cal.ok()) << cal.status();
    calendar_ = *cal;
    ASSERT_FALSE(calendar_->Year(2027).ok()) << "the tests need 2027 not loaded";
    website_ = std::make_unique<Website>(
        WebsiteDeps{&repository_, nullptr, calendar_, book_, &clock_, UnitCheck()});
  }

  static absl::Time At(absl::CivilDay day) {
    return absl::FromCivil(absl::CivilSecond(day.year(), day.month(), day.day(), 10, 0, 0),
                           ShanghaiTimeZone());
  }

  // A create's reads: site 5 of unit 4, a request id not used before.
  void ExpectSiteAndNewRequest() {
    v1::Site site;
    site.set_id(5);
    site.set_unit_id(4);
    site.set_kind(v1::PORTAL);
    EXPECT_CALL(repository_, GetSite(5)).WillOnce(::testing::Return(site));
    EXPECT_CALL(repository_, FindIdempotentResponse(::testing::_))
        .WillOnce(::testing::Return(std::optional<std::string>()));
  }

  absl::StatusOr<v1::Notice> Create(const std::string& request_id) {
    v1::CreateNoticeRequest request;
    request.set_request_id(request_id);
    request.mutable_notice()->set_site_id(5);
    request.mutable_notice()->set_reason("首页长期未更新");
    return website_->CreateNotice(Caller(Role::kOffice, std::nullopt), request);
  }

  // Issues a notice on the clock's day through CreateNotice; returns what was stored.
  v1::Notice Issue() {
    ExpectSiteAndNewRequest();
    v1::Notice stored;
    EXPECT_CALL(repository_, CreateNotice(::testing::_, ::testing::_, ::testing::_))
        .WillOnce([&stored](v1::Notice notice, const idempotency::Key*, absl::Time) {
          notice.set_id(31);
          notice.set_version(1);
          stored = notice;
          return notice;
        });
    absl::StatusOr<v1::Notice> created = Create("n-1");
    EXPECT_TRUE(created.ok()) << created.status();
    if (created.ok()) EXPECT_FALSE(created->overdue());
    return stored;
  }

  // Test data, not a real notice: 2027 with only 01-01 off.
  absl::Status LoadTestYear2027() {
    return calendar_->LoadYear(
        calendar::testing::TestYear(2027, {{absl::CivilDay(2027, 1, 1), "元旦"}}));
  }

  static absl::StatusOr<int> Recompute(Website& website) {
    return website.RecomputeRectificationDeadlines([] { return false; });
  }

  ::testing::StrictMock<MockWebsiteRepository> repository_;
  FakeClock clock_{At(absl::CivilDay(2026, 12, 21))};  // A Monday.
  std::shared_ptr<rules::RuleBook> book_;
  std::shared_ptr<calendar::WorkingDayCalendar> calendar_;
  std::unique_ptr<Website> website_;
};

TEST_F(NoticeDeadlineTest, Nat1Web4NoticeReachingAYearNotLoadedIsIssuedWithAPendingDeadline) {
  // 15 working days from 2026-12-21 need January 2027.
  const v1::Notice stored = Issue();
  EXPECT_FALSE(stored.has_rectify_by()) << "never a guessed day";
  const common::v1::DeadlineExplanation& explained = stored.rectify_by_explanation();
  EXPECT_EQ(ToCivilDay(explained.start()).value(), absl::CivilDay(2026, 12, 21));
  EXPECT_EQ(explained.days(), 15);
  EXPECT_TRUE(explained.working_days());
  EXPECT_FALSE(explained.has_due());
  EXPECT_EQ(explained.calendars_size(), 0);
  EXPECT_THAT(explained.text(), ::testing::HasSubstr("届满日待载入后计算"));
  EXPECT_THAT(explained.text(), ::testing::HasSubstr("自 2026-12-21 起算 15 个工作日"));
  EXPECT_THAT(explained.text(), ::testing::HasSubstr("依据规则："));
  EXPECT_THAT(explained.rule(), ::testing::HasSubstr("WEB-4"));
  EXPECT_FALSE(explained.rule_version().empty());

  // Months later, still pending: not overdue (its day is not known).
  clock_.Set(At(absl::CivilDay(2027, 3, 1)));
  EXPECT_CALL(repository_, GetNotice(31)).WillOnce(::testing::Return(stored));
  v1::GetNoticeRequest get;
  get.set_id(31);
  absl::StatusOr<v1::Notice> read = website_->GetNotice(Caller(Role::kOffice, std::nullopt), get);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_FALSE(read->overdue());
  EXPECT_FALSE(read->has_rectify_by());
}

TEST_F(NoticeDeadlineTest, Nat1Web4PendingDeadlineIsComputedOnceItsYearIsLoaded) {
  const v1::Notice pending = Issue();
  ASSERT_FALSE(pending.has_rectify_by());
  EXPECT_CALL(repository_, ListUnrectifiedNotices(0, ::testing::_))
      .WillOnce(::testing::Return(std::vector<v1::Notice>{pending}));
  absl::StatusOr<int> unchanged = Recompute(*website_);
  ASSERT_TRUE(unchanged.ok()) << unchanged.status();
  EXPECT_EQ(*unchanged, 0) << "2027 is still not loaded: nothing to store";

  ASSERT_TRUE(LoadTestYear2027().ok());
  EXPECT_CALL(repository_, ListUnrectifiedNotices(0, ::testing::_))
      .WillOnce(::testing::Return(std::vector<v1::Notice>{pending}));
  EXPECT_CALL(repository_, UpdateRectifyBy(::testing::_, ::testing::_))
      .WillOnce([](v1::Notice notice, absl::Time) -> absl::StatusOr<v1::Notice> {
        // Dec 22-25, 28-31 (8), Jan 1 off, Jan 4-8 (13), 11, 12: Tuesday 2027-01-12.
        EXPECT_EQ(ToCivilDay(notice.rectify_by()).value(), absl::CivilDay(2027, 1, 12));
        EXPECT_EQ(notice.version(), 1);  // The version read: the update is conditional.
        const common::v1::DeadlineExplanation& explained = notice.rectify_by_explanation();
        EXPECT_EQ(ToCivilDay(explained.due()).value(), absl::CivilDay(2027, 1, 12));
        bool cites_test_year = false;
        for (const auto& used : explained.calendars()) {
          cites_test_year |= used.version() == "test-2027.1";
        }
        EXPECT_TRUE(cites_test_year);
        EXPECT_THAT(explained.text(), ::testing::Not(::testing::HasSubstr("待载入")));
        EXPECT_THAT(explained.text(), ::testing::HasSubstr("依据规则："));
        EXPECT_THAT(explained.rule(), ::testing::HasSubstr("WEB-4"));
        notice.set_version(2);
        return notice;
      });
  absl::StatusOr<int> changed = Recompute(*website_);
  ASSERT_TRUE(changed.ok()) << changed.status();
  EXPECT_EQ(*changed, 1);
}

// NAT-1: the missing year loaded while the notice was being stored (after the create
// read the calendar, before its row was committed — the pass after the load may have
// missed it): the create computes the day itself rather than leave it pending.
TEST_F(NoticeDeadlineTest, Nat1Web4ANoticeStoredDuringTheYearsLoadGetsItsDay) {
  ExpectSiteAndNewRequest();
  EXPECT_CALL(repository_, CreateNotice(::testing::_, ::testing::_, ::testing::_))
      .WillOnce([this](v1::Notice notice, const idempotency::Key*, absl::Time) {
        EXPECT_FALSE(notice.has_rectify_by());
        EXPECT_TRUE(LoadTestYear2027().ok());  // The load lands while the row is stored.
        notice.set_id(32);
        notice.set_version(1);
        return notice;
      });
  EXPECT_CALL(repository_, UpdateRectifyBy(::testing::_, ::testing::_))
      .WillOnce([](v1::Notice notice, absl::Time) -> absl::StatusOr<v1::Notice> {
        EXPECT_EQ(notice.id(), 32);
        EXPECT_EQ(notice.version(), 1);
        notice.set_version(2);
        return notice;
      });
  absl::StatusOr<v1::Notice> created = Create("n-2");
  ASSERT_TRUE(created.ok()) << created.status();
  ASSERT_TRUE(created->has_rectify_by());
  EXPECT_EQ(ToCivilDay(created->rectify_by()).value(), absl::CivilDay(2027, 1, 12));
  EXPECT_EQ(created->version(), 2);
}

// NAT-1: a replay of a create whose stored answer is pending, after the year was loaded
// and the pass gave the row its day: the answer is the row as it is now, not the stale
// pending copy (the retried update is refused at the old version).
TEST_F(NoticeDeadlineTest, Nat1Web4ReplayAfterTheYearsLoadAnswersTheRecomputedNotice) {
  ExpectSiteAndNewRequest();
  EXPECT_CALL(repository_, CreateNotice(::testing::_, ::testing::_, ::testing::_))
      .WillOnce([this](v1::Notice notice, const idempotency::Key*, absl::Time) {
        EXPECT_TRUE(LoadTestYear2027().ok());
        notice.set_id(33);
        notice.set_version(1);
        return notice;
      });
  EXPECT_CALL(repository_, UpdateRectifyBy(::testing::_, ::testing::_))
      .WillOnce([](v1::Notice, absl::Time) -> absl::StatusOr<v1::Notice> {
        return absl::AbortedError("notice 33 was changed: version 2, not 1");
      });
  v1::Notice current;
  current.set_id(33);
  current.set_version(2);
  *current.mutable_rectify_by() = ToProtoDate(absl::CivilDay(2027, 1, 12));
  EXPECT_CALL(repository_, GetNotice(33)).WillOnce(::testing::Return(current));
  absl::StatusOr<v1::Notice> created = Create("n-3");
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->version(), 2);
  ASSERT_TRUE(created->has_rectify_by());
  EXPECT_EQ(ToCivilDay(created->rectify_by()).value(), absl::CivilDay(2027, 1, 12));
}

// NAT-1: a deadline computed on a year that is then replaced (an amended notice) moves
// with it; when the amendment pushes it into a year not loaded, it becomes pending
// rather than keeping the day the calendar no longer gives.
TEST_F(NoticeDeadlineTest, Nat1Web4StaleDeadlineFollowsAReplacedYearOrBecomesPending) {
  clock_.Set(At(absl::CivilDay(2026, 12, 7)));
  const v1::Notice computed = Issue();
  ASSERT_TRUE(computed.has_rectify_by());
  EXPECT_EQ(ToCivilDay(computed.rectify_by()).value(), absl::CivilDay(2026, 12, 28));

  // Unchanged calendar: nothing is stale.
  EXPECT_CALL(repository_, ListUnrectifiedNotices(0, ::testing::_))
      .WillOnce(::testing::Return(std::vector<v1::Notice>{computed}));
  EXPECT_EQ(Recompute(*website_).value_or(-1), 0);

  // Test data: 2026 amended with 12-21..12-25 off, so 15 working days reach 2027.
  absl::StatusOr<calendar::YearCalendar> y2026 = calendar_->Year(2026);
  ASSERT_TRUE(y2026.ok());
  y2026->version = "test-2026.2";
  for (int day = 21; day <= 25; ++day) {
    y2026->holidays.push_back({absl::CivilDay(2026, 12, day), "测试"});
  }
  ASSERT_TRUE(calendar_->ReplaceYear(*y2026).ok());
  EXPECT_CALL(repository_, ListUnrectifiedNotices(0, ::testing::_))
      .WillOnce(::testing::Return(std::vector<v1::Notice>{computed}));
  v1::Notice now_pending;
  EXPECT_CALL(repository_, UpdateRectifyBy(::testing::_, ::testing::_))
      .WillOnce([&now_pending](v1::Notice notice, absl::Time) -> absl::StatusOr<v1::Notice> {
        now_pending = notice;
        return notice;
      });
  EXPECT_EQ(Recompute(*website_).value_or(-1), 1);
  EXPECT_FALSE(now_pending.has_rectify_by());
  EXPECT_THAT(now_pending.rectify_by_explanation().text(),
              ::testing::HasSubstr("届满日待载入后计算"));
  EXPECT_EQ(now_pending.rectify_by_explanation().rule(), computed.rectify_by_explanation().rule());
  EXPECT_EQ(ToCivilDay(now_pending.rectify_by_explanation().start()).value(),
            absl::CivilDay(2026, 12, 7));
}

// NAT-1: a notice a user changed between the read and the update (its version moved) is
// read again and updated; one that stays busy fails the pass (retried at the next refresh).
TEST_F(NoticeDeadlineTest, Nat1Web4ANoticeChangedMeanwhileIsReadAgain) {
  const v1::Notice pending = Issue();
  ASSERT_TRUE(LoadTestYear2027().ok());
  v1::Notice reported = pending;
  reported.set_version(2);
  reported.set_state(v1::RECTIFICATION_REPORTED);
  EXPECT_CALL(repository_, ListUnrectifiedNotices(0, ::testing::_))
      .WillOnce(::testing::Return(std::vector<v1::Notice>{pending}));
  EXPECT_CALL(repository_, GetNotice(31)).WillOnce(::testing::Return(reported));
  EXPECT_CALL(repository_, UpdateRectifyBy(::testing::_, ::testing::_))
      .WillOnce(::testing::Return(absl::AbortedError("notice 31 changed since version 1")))
      .WillOnce([](v1::Notice notice, absl::Time) -> absl::StatusOr<v1::Notice> {
        EXPECT_EQ(notice.version(), 2);
        EXPECT_EQ(notice.state(), v1::RECTIFICATION_REPORTED);  // The user's change kept.
        EXPECT_TRUE(notice.has_rectify_by());
        return notice;
      });
  EXPECT_EQ(Recompute(*website_).value_or(-1), 1);

  EXPECT_CALL(repository_, ListUnrectifiedNotices(0, ::testing::_))
      .WillOnce(::testing::Return(std::vector<v1::Notice>{pending}));
  EXPECT_CALL(repository_, GetNotice(31)).Times(2).WillRepeatedly(::testing::Return(pending));
  EXPECT_CALL(repository_, UpdateRectifyBy(::testing::_, ::testing::_))
      .Times(3)
      .WillRepeatedly(::testing::Return(absl::AbortedError("busy")));
  EXPECT_EQ(Recompute(*website_).status().code(), absl::StatusCode::kAborted);
}

// NAT-1: the pass goes through every batch in id order and stops when asked to.
TEST_F(NoticeDeadlineTest, Nat1Web4RecomputationPagesThroughNoticesAndStopsWhenAsked) {
  EXPECT_CALL(repository_, ListUnrectifiedNotices(0, ::testing::_))
      .WillOnce([](int64_t, int limit) {
        std::vector<v1::Notice> full(static_cast<size_t>(limit));
        for (int i = 0; i < limit; ++i) {
          full[static_cast<size_t>(i)].set_id(i + 1);
          *full[static_cast<size_t>(i)].mutable_rectify_by() =
              ToProtoDate(absl::CivilDay(2026, 12, 28));
        }
        return full;
      });
  EXPECT_CALL(repository_, ListUnrectifiedNotices(::testing::Gt(0), ::testing::_))
      .WillOnce(::testing::Return(std::vector<v1::Notice>{}));
  EXPECT_EQ(Recompute(*website_).value_or(-1), 0);  // No calendars used: none stale.
  EXPECT_EQ(website_->RecomputeRectificationDeadlines([] { return true; }).status().code(),
            absl::StatusCode::kCancelled);
}

}  // namespace
}  // namespace gongkai::website
