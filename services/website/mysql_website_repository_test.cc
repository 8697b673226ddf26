// The website service on the real MariaDB (./gongkai test provides it) with sites served
// on loopback by this test: the register and its history (WEB-1, WEB-5, WEB-6), claimed
// probe slots shared by replicas (NAT-13), the availability week and freshness vetoes
// from real probes (NAT-13, NAT-14), resumable and cancellable supervision runs (WEB-2),
// notices with deadlines, re-checks and escalation (WEB-4), the compliance facts of item
// 6, and a bad-input corpus that writes nothing.
#include <map>
#include <memory>

#include "absl/strings/match.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/calendar/testing/builtin_through.h"
#include "libs/calendar/working_day_calendar.h"
#include "libs/clock/clock.h"
#include "libs/db/embedded_migrations.h"
#include "libs/protoconv/protoconv.h"
#include "libs/rules/embedded_rule_sets.h"
#include "libs/status/errors.h"
#include "services/website/evidence/website_evidence.h"
#include "services/website/mysql_website_repository.h"
#include "services/website/prober/local_sites.h"
#include "services/website/prober/probe_scheduler.h"
#include "services/website/supervision/run_worker.h"
#include "services/website/website.h"
#include "tests/integration/repository_test_support.h"

namespace gongkai::website {
namespace {

using prober::testing::LocalSite;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::SizeIs;

// 2026-12-07 10:00 in Asia/Shanghai.
absl::Time Start() {
  return absl::FromCivil(absl::CivilSecond(2026, 12, 7, 10, 0, 0), ShanghaiTimeZone());
}

auth::Principal Office() {
  auth::Principal p;
  p.subject = "office-1";
  p.roles.Add(auth::Role::kOffice);
  return p;
}
auth::Principal Staff(int64_t unit) {
  auth::Principal p;
  p.subject = absl::StrCat("staff-", unit);
  p.roles.Add(auth::Role::kStaff);
  p.unit_id = unit;
  return p;
}
auth::Principal Inspector() {
  auth::Principal p;
  p.subject = "inspector-1";
  p.roles.Add(auth::Role::kInspector);
  return p;
}

class WebsiteIntegrationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<integration::MigratedDatabase> db =
        integration::MigratedDatabase::Create("website");
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::make_unique<integration::MigratedDatabase>(*std::move(db));
    repository_ = NewMysqlWebsiteRepository(db_->pool.get());
    book_ = std::make_shared<rules::RuleBook>(WebsiteRuleSchemas());
    ASSERT_TRUE(rules::LoadRuleSetFiles(*book_, rules::EmbeddedRuleSetFiles()).ok());
    absl::StatusOr<std::shared_ptr<calendar::WorkingDayCalendar>> cal =
        calendar::testing::BuiltinCalendarThrough(2026);  // 2027 unloaded (NAT-1).
    ASSERT_TRUE(cal.ok());
    calendar_ = *cal;
    website_ = std::make_unique<Website>(
        WebsiteDeps{repository_.get(), &checker_, calendar_, book_, &clock_, UnitCheck()});
  }

  v1::Site CreateSite(int64_t unit, const std::string& url, v1::SiteKind kind = v1::PORTAL,
                      v1::SiteState state = v1::OPERATION) {
    v1::CreateSiteRequest request;
    request.set_request_id(absl::StrCat("site-", ++counter_));
    request.mutable_site()->set_unit_id(unit);
    request.mutable_site()->set_name(absl::StrCat("网站", counter_));
    request.mutable_site()->set_kind(kind);
    request.mutable_site()->set_url(url);
    request.mutable_site()->set_state(state);
    absl::StatusOr<v1::Site> site = website_->CreateSite(Office(), request);
    EXPECT_TRUE(site.ok()) << site.status();
    return site.value_or(v1::Site());
  }

  v1::Column AddColumn(int64_t site_id, const std::string& url, v1::ColumnClass cls) {
    v1::CreateColumnRequest request;
    request.set_request_id(absl::StrCat("col-", ++counter_));
    request.mutable_column()->set_site_id(site_id);
    request.mutable_column()->set_name("栏目");
    request.mutable_column()->set_column_class(cls);
    request.mutable_column()->set_url(url);
    absl::StatusOr<v1::Column> column = website_->CreateColumn(Office(), request);
    EXPECT_TRUE(column.ok()) << column.status();
    return column.value_or(v1::Column());
  }

  // Records a scheduled probe for `site` at `slot` (what the prober stores).
  void RecordScheduled(int64_t site_id, absl::Time slot, bool ok) {
    const std::string token = absl::StrCat("t", ++counter_);
    db::ConnectionLease conn = *db_->pool->Acquire();
    ASSERT_TRUE(conn->Execute("UPDATE probe_schedule SET claim_token = ? WHERE site_id = ?",
                              {token, site_id})
                    .ok());
    v1::Probe probe;
    probe.set_site_id(site_id);
    *probe.mutable_slot_start() = ToTimestamp(slot);
    *probe.mutable_probe_time() = ToTimestamp(slot);
    probe.set_scheduled(true);
    probe.set_home_ok(ok);
    ASSERT_TRUE(
        repository_->RecordProbe(probe, token, slot + absl::Hours(1), slot, std::nullopt).ok());
  }

  int64_t CountRows() {
    db::ConnectionLease conn = *db_->pool->Acquire();
    int64_t total = 0;
    for (const char* table : {"sites", "site_history", "site_columns", "probe_schedule", "probes",
                              "site_messages", "severe_errors", "supervision_runs", "probe_gaps",
                              "supervision_results", "notices", "idempotency_keys"}) {
      db::ResultSet rows = *conn->Query(absl::StrCat("SELECT COUNT(*) AS n FROM ", table));
      total += *rows[0].GetInt64("n");
    }
    return total;
  }

  FakeClock clock_{Start()};
  std::unique_ptr<integration::MigratedDatabase> db_;
  std::unique_ptr<WebsiteRepository> repository_;
  std::shared_ptr<rules::RuleBook> book_;
  std::shared_ptr<calendar::WorkingDayCalendar> calendar_;
  prober::CurlHttpClient client_{{.connect_timeout = absl::Seconds(2)}};
  prober::PoliteFetcher fetcher_{&client_,
                                 {.max_concurrency = 8, .host_interval = absl::ZeroDuration()}};
  prober::SiteChecker checker_{&fetcher_};
  std::unique_ptr<Website> website_;
  int counter_ = 0;
};

TEST_F(WebsiteIntegrationTest, Web1Web5LifecycleIsRecordedAndMigrationKeepsHistory) {
  v1::Site site = CreateSite(3, "http://127.0.0.1:9/", v1::DEPARTMENT_SITE, v1::OPENING);
  EXPECT_FALSE(site.probed());
  const v1::Site upper = CreateSite(1, "http://127.0.0.1:9/upper");
  const auto change = [&](v1::SiteState state) {
    v1::ChangeSiteStateRequest r;
    r.set_id(site.id());
    r.set_version(site.version());
    r.set_state(state);
    if (state == v1::FILING) r.set_filing_number("京ICP备12345678号");
    if (state == v1::LEVEL_PROTECTION) {
      *r.mutable_level_protection_date() = ToProtoDate(absl::CivilDay(2026, 11, 1));
      r.set_level_protection_result("二级 符合");
    }
    if (state == v1::MIGRATED) r.set_migrated_to_site_id(upper.id());
    return website_->ChangeSiteState(Staff(3), r);
  };
  for (v1::SiteState state :
       {v1::BUILDING, v1::GRADING, v1::FILING, v1::OPERATION, v1::LEVEL_PROTECTION}) {
    absl::StatusOr<v1::Site> changed = change(state);
    ASSERT_TRUE(changed.ok()) << v1::SiteState_Name(state) << " " << changed.status();
    site = *changed;
  }
  EXPECT_TRUE(site.probed());
  EXPECT_EQ(site.filing_number(), "京ICP备12345678号");
  // A stale version is refused.
  v1::ChangeSiteStateRequest stale;
  stale.set_id(site.id());
  stale.set_version(1);
  stale.set_state(v1::OPERATION);
  EXPECT_EQ(website_->ChangeSiteState(Staff(3), stale).status().code(), absl::StatusCode::kAborted);
  // Another unit's staff may not change it.
  EXPECT_EQ(change(v1::OPERATION).status().code(), absl::StatusCode::kOk);
  site = *website_->GetSite(Staff(3), [&] {
    v1::GetSiteRequest g;
    g.set_id(site.id());
    return g;
  }());
  v1::ChangeSiteStateRequest other;
  other.set_id(site.id());
  other.set_version(site.version());
  other.set_state(v1::SHUTDOWN);
  EXPECT_EQ(website_->ChangeSiteState(Staff(4), other).status().code(),
            absl::StatusCode::kPermissionDenied);
  // WEB-5: migrated onto the upper-level platform; no longer probed; history kept.
  absl::StatusOr<v1::Site> migrated = change(v1::MIGRATED);
  ASSERT_TRUE(migrated.ok()) << migrated.status();
  EXPECT_EQ(migrated->migrated_to_site_id(), upper.id());
  EXPECT_FALSE(migrated->probed());
  site = *migrated;
  EXPECT_EQ(change(v1::OPERATION).status().code(), absl::StatusCode::kFailedPrecondition);
  v1::ListSiteHistoryRequest h;
  h.set_id(site.id());
  h.set_page_size(100);
  absl::StatusOr<v1::ListSiteHistoryResponse> history = website_->ListSiteHistory(Inspector(), h);
  ASSERT_TRUE(history.ok()) << history.status();
  ASSERT_THAT(history->entries(), SizeIs(8));
  EXPECT_EQ(history->entries(0).action(), "create");
  EXPECT_EQ(history->entries(7).new_state(), "MIGRATED");
  EXPECT_THAT(history->entries(7).detail(), HasSubstr(absl::StrCat("site ", upper.id())));
}

TEST_F(WebsiteIntegrationTest, CreateWithTheSameRequestIdCreatesOnce) {
  v1::CreateSiteRequest request;
  request.set_request_id("same");
  request.mutable_site()->set_unit_id(2);
  request.mutable_site()->set_name("门户");
  request.mutable_site()->set_kind(v1::PORTAL);
  request.mutable_site()->set_url("http://127.0.0.1:9/");
  const absl::StatusOr<v1::Site> first = website_->CreateSite(Office(), request);
  const absl::StatusOr<v1::Site> again = website_->CreateSite(Office(), request);
  ASSERT_TRUE(first.ok() && again.ok());
  EXPECT_EQ(first->id(), again->id());
  request.mutable_site()->set_name("另一个");
  EXPECT_EQ(website_->CreateSite(Office(), request).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(WebsiteIntegrationTest, Web6AccountProceduresAreRecorded) {
  const v1::Site account = CreateSite(5, "wechat:某市发布", v1::WECHAT, v1::OPERATION);
  EXPECT_FALSE(account.probed());
  v1::UpdateAccountProceduresRequest r;
  r.set_id(account.id());
  r.set_version(account.version());
  r.set_editing_procedure("三审三校");
  r.set_inquiry_procedure("留言 5 个工作日内答复");
  *r.mutable_last_update_date() = ToProtoDate(absl::CivilDay(2026, 12, 6));
  r.set_inquiries_answered(12);
  absl::StatusOr<v1::Site> updated = website_->UpdateAccountProcedures(Staff(5), r);
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->inquiries_answered(), 12);
  absl::StatusOr<v1::SiteEvaluation> e = website_->Evaluate(*updated, absl::CivilDay(2026, 12, 7));
  ASSERT_TRUE(e.ok());
  EXPECT_TRUE(e->passed());
}

TEST_F(WebsiteIntegrationTest, Nat13ClaimsAreExclusiveAndTakenOverWhenAReplicaStops) {
  const v1::Site site = CreateSite(1, "http://127.0.0.1:9/");
  absl::StatusOr<std::vector<ClaimedSlot>> a =
      repository_->ClaimDueSlots("replica-a", clock_.Now(), absl::Minutes(5), 10);
  ASSERT_TRUE(a.ok()) << a.status();
  ASSERT_THAT(*a, SizeIs(1));
  EXPECT_THAT(*repository_->ClaimDueSlots("replica-b", clock_.Now(), absl::Minutes(5), 10),
              SizeIs(0));
  // Replica A stops; after its lease, B takes the slot over and records it.
  clock_.Advance(absl::Minutes(6));
  absl::StatusOr<std::vector<ClaimedSlot>> b =
      repository_->ClaimDueSlots("replica-b", clock_.Now(), absl::Minutes(5), 10);
  ASSERT_THAT(*b, SizeIs(1));
  v1::Probe probe;
  probe.set_site_id(site.id());
  *probe.mutable_slot_start() = ToTimestamp((*b)[0].slot);
  *probe.mutable_probe_time() = ToTimestamp(clock_.Now());
  probe.set_scheduled(true);
  probe.set_home_ok(true);
  ASSERT_TRUE(repository_
                  ->RecordProbe(probe, "replica-b", clock_.Now() + absl::Hours(1), clock_.Now(),
                                std::nullopt)
                  .ok());
  // A comes back: its claim is gone, so its probe of the same slot is not recorded.
  EXPECT_EQ(repository_
                ->RecordProbe(probe, "replica-a", clock_.Now() + absl::Hours(1), clock_.Now(),
                              std::nullopt)
                .status()
                .code(),
            absl::StatusCode::kAborted);
  EXPECT_THAT(*repository_->ListProbes(site.id(), 0, 10), SizeIs(1));
  // Nothing is due until the next slot.
  EXPECT_THAT(*repository_->ClaimDueSlots("replica-a", clock_.Now(), absl::Minutes(5), 10),
              SizeIs(0));
}

TEST_F(WebsiteIntegrationTest, Nat13ProberFindsStaleHomeStaleAndEmptyColumns) {
  LocalSite local;
  local.Page("/", "<h1>某县政府</h1><p>最近更新 2026-11-01</p><a href='/missing'>死链</a>");
  local.Page("/news/", "<ul><li>旧闻 2026-10-01</li></ul>");
  local.Page("/empty/", "<div>暂无</div>");
  ASSERT_TRUE(local.Start().ok());
  const v1::Site site = CreateSite(2, local.Url("/"));
  for (int i = 0; i < 5; ++i) AddColumn(site.id(), local.Url("/news/"), v1::NEWS);
  AddColumn(site.id(), local.Url("/empty/"), v1::NOTICES);
  ProbeScheduler scheduler(repository_.get(), &checker_, book_, &clock_, nullptr,
                           {.workers = 1, .replica = "test"});
  absl::StatusOr<int> probed = scheduler.RunOnce(10);
  ASSERT_TRUE(probed.ok()) << probed.status();
  EXPECT_EQ(*probed, 1);
  absl::StatusOr<std::vector<v1::Probe>> probes = repository_->ListProbes(site.id(), 0, 10);
  ASSERT_THAT(*probes, SizeIs(1));
  EXPECT_TRUE((*probes)[0].home_ok());
  EXPECT_TRUE((*probes)[0].content_checked());
  EXPECT_EQ((*probes)[0].broken_links_size(), 1);
  absl::StatusOr<v1::SiteEvaluation> e = website_->Evaluate(site, absl::CivilDay(2026, 12, 7));
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_TRUE(e->vetoed());
  std::vector<std::string> vetoes;
  for (const v1::Finding& f : e->findings()) {
    if (f.veto()) vetoes.push_back(f.item());
  }
  EXPECT_THAT(vetoes, Contains("home_not_updated"));
  EXPECT_THAT(vetoes, Contains("columns_not_updated"));
  EXPECT_EQ(e->rule_set(), "website.national@1");
  // The next slot is within the hour (24 probes a day), and the content check is not
  // repeated before a day has passed.
  clock_.Advance(absl::Hours(1));
  ASSERT_EQ(*scheduler.RunOnce(10), 1);
  probes = repository_->ListProbes(site.id(), 0, 10);
  ASSERT_THAT(*probes, SizeIs(2));
  EXPECT_FALSE((*probes)[0].content_checked());
}

// Two replicas share the schedule through claims in the database: every slot is probed
// exactly once. Then every replica stops for five hours; the first to come back probes
// each site for its latest slot due and records the four slots before it as a gap —
// shown in the evaluation as missed by the prober, not as failures of the site.
TEST_F(WebsiteIntegrationTest, Nat13TwoReplicasShareSlotsAndAStoppedPeriodIsRecordedAsMissed) {
  LocalSite local;
  local.Page("/", "<p>今日更新 2026-12-06</p>");
  ASSERT_TRUE(local.Start().ok());
  std::vector<v1::Site> sites;
  for (int i = 0; i < 6; ++i) sites.push_back(CreateSite(3, local.Url("/")));
  ProbeScheduler a(repository_.get(), &checker_, book_, &clock_, nullptr,
                   {.workers = 1, .replica = "a"});
  ProbeScheduler b(repository_.get(), &checker_, book_, &clock_, nullptr,
                   {.workers = 1, .replica = "b"});
  int recorded = 0;
  for (int hour = 0; hour < 4; ++hour) {
    if (hour > 0) clock_.Advance(absl::Hours(1));
    // A takes some of the due slots, B the rest; neither can take one A holds.
    recorded += *a.RunOnce(2);
    recorded += *b.RunOnce(100);
    EXPECT_EQ(*b.RunOnce(100), 0);
  }
  EXPECT_EQ(recorded, 6 * 4);
  db::ConnectionLease conn = *db_->pool->Acquire();
  db::ResultSet counts = *conn->Query(
      "SELECT COUNT(*) AS n, COUNT(DISTINCT site_id, slot_start) AS slots FROM probes "
      "WHERE scheduled = 1");
  EXPECT_EQ(*counts[0].GetInt64("n"), 24);
  EXPECT_EQ(*counts[0].GetInt64("slots"), 24);  // No slot probed twice.

  // Every replica stopped for five hours; B comes back.
  clock_.Advance(absl::Hours(5));
  EXPECT_EQ(*b.RunOnce(100), 6);
  EXPECT_EQ(*a.RunOnce(100), 0);
  for (const v1::Site& site : sites) {
    const std::vector<v1::Probe> probes = *repository_->ListProbes(site.id(), 0, 1);
    ASSERT_THAT(probes, SizeIs(1));
    EXPECT_EQ(probes[0].slots_missed_before(), 4);
    EXPECT_TRUE(probes[0].home_ok());
    // The probe took the latest slot due (within the last hour), not the oldest.
    EXPECT_LE(clock_.Now() - FromTimestamp(probes[0].slot_start()), absl::Hours(1));
  }
  db::ResultSet gaps = *conn->Query("SELECT COUNT(*) AS n, SUM(slots) AS s FROM probe_gaps");
  EXPECT_EQ(*gaps[0].GetInt64("n"), 6);
  EXPECT_EQ(*gaps[0].GetInt64("s"), 24);
  const absl::CivilDay today = calendar::TodayInShanghai(clock_);
  absl::StatusOr<v1::SiteEvaluation> e = website_->Evaluate(sites[0], today);
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_EQ(e->probes_in_week(), 5);
  EXPECT_EQ(e->failed_probes_in_week(), 0);  // Missed slots are not the site's failures.
  EXPECT_EQ(e->probes_missed_in_week(), 4);
  EXPECT_TRUE(e->probes_incomplete());
  bool missed_finding = false;
  for (const v1::Finding& f : e->findings()) {
    EXPECT_NE(f.item(), "availability");
    if (f.item() == "probes_missed") {
      missed_finding = true;
      EXPECT_FALSE(f.veto());
      EXPECT_EQ(f.points(), 0);
      EXPECT_THAT(f.evidence(), Contains(HasSubstr("gap/")));
    }
  }
  EXPECT_TRUE(missed_finding);
  // Back to normal: the next hour's slot is probed with no gap.
  clock_.Advance(absl::Hours(1));
  EXPECT_EQ(*a.RunOnce(100), 6);
  EXPECT_EQ(repository_->ListProbes(sites[0].id(), 0, 1)->at(0).slots_missed_before(), 0);
}

TEST_F(WebsiteIntegrationTest, Nat13AWeekOfProbesDecidesTheAvailabilityVeto) {
  const v1::Site site = CreateSite(2, "http://127.0.0.1:9/");
  const absl::Time week_start =
      absl::FromCivil(absl::CivilSecond(2026, 12, 1, 0, 30, 0), ShanghaiTimeZone());
  for (int i = 0; i < 7 * 24; ++i) {
    RecordScheduled(site.id(), week_start + absl::Hours(i), /*ok=*/i % 20 != 0);  // 9 fail.
  }
  absl::StatusOr<v1::SiteEvaluation> e = website_->Evaluate(site, absl::CivilDay(2026, 12, 7));
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_EQ(e->probes_in_week(), 168);
  EXPECT_EQ(e->failed_probes_in_week(), 9);
  EXPECT_TRUE(e->vetoed());
  EXPECT_FALSE(e->probes_incomplete());
}

TEST_F(WebsiteIntegrationTest, Nat13MessagesAndSevereErrorsVeto) {
  const v1::Site site = CreateSite(2, "http://127.0.0.1:9/");
  v1::SubmitMessagesRequest m;
  m.set_site_id(site.id());
  v1::Message* old = m.add_messages();
  old->set_external_id("m-1");
  *old->mutable_received_time() = ToTimestamp(clock_.Now() - absl::Hours(24 * 100));
  ASSERT_TRUE(website_->SubmitMessages(Staff(2), m).ok());
  ASSERT_TRUE(website_->SubmitMessages(Staff(2), m).ok());  // Same external id: not doubled.
  absl::StatusOr<v1::SiteEvaluation> e = website_->Evaluate(site, absl::CivilDay(2026, 12, 7));
  ASSERT_TRUE(e.ok());
  bool unanswered = false;
  for (const v1::Finding& f : e->findings()) {
    if (f.item() == "messages_unanswered") {
      unanswered = true;
      EXPECT_THAT(f.evidence(), SizeIs(1));
    }
  }
  EXPECT_TRUE(unanswered);
  // Answered now: no veto any more.
  *m.mutable_messages(0)->mutable_answered_time() = ToTimestamp(clock_.Now());
  ASSERT_TRUE(website_->SubmitMessages(Staff(2), m).ok());
  e = website_->Evaluate(site, absl::CivilDay(2026, 12, 7));
  for (const v1::Finding& f : e->findings()) EXPECT_NE(f.item(), "messages_unanswered");

  v1::RecordSevereErrorRequest s;
  s.mutable_severe_error()->set_request_id("se-1");
  s.mutable_severe_error()->set_site_id(site.id());
  s.mutable_severe_error()->set_kind(v1::WRONG_LEADER_NAME);
  s.mutable_severe_error()->set_page_url("http://127.0.0.1:9/leaders");
  s.mutable_severe_error()->set_evidence("市长姓名写错");
  *s.mutable_severe_error()->mutable_found_on() = ToProtoDate(absl::CivilDay(2026, 12, 5));
  EXPECT_EQ(website_->RecordSevereError(Staff(2), s).status().code(),
            absl::StatusCode::kPermissionDenied);
  absl::StatusOr<v1::SevereError> recorded = website_->RecordSevereError(Inspector(), s);
  ASSERT_TRUE(recorded.ok()) << recorded.status();
  EXPECT_EQ(recorded->recorded_by(), "inspector-1");
  e = website_->Evaluate(site, absl::CivilDay(2026, 12, 7));
  EXPECT_TRUE(e->vetoed());
}

TEST_F(WebsiteIntegrationTest, Web2RunsResumeAfterARestartAndCanBeCancelled) {
  for (int i = 0; i < 5; ++i) CreateSite(1 + i % 2, "http://127.0.0.1:9/");
  v1::StartSupervisionRunRequest start;
  start.set_request_id("run-1");
  start.set_kind(v1::MONTHLY_MONITORING);
  absl::StatusOr<v1::SupervisionRun> run = website_->StartSupervisionRun(Office(), start);
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(run->sites_total(), 5);
  EXPECT_EQ(run->state(), v1::RUNNING);
  // A replica does one batch and stops (its claim stays until the lease ends).
  {
    RunWorker first(repository_.get(), website_.get(), &clock_, {.batch = 2, .replica = "a"});
    ASSERT_EQ(*first.RunOnce(1), 1);
  }
  EXPECT_EQ(repository_->GetRun(run->id())->sites_done(), 2);
  RunWorker second(repository_.get(), website_.get(), &clock_, {.batch = 2, .replica = "b"});
  EXPECT_EQ(*second.RunOnce(), 0);  // Still claimed by the stopped replica.
  clock_.Advance(absl::Minutes(3));
  EXPECT_EQ(*second.RunOnce(), 2);  // Resumes after site 2: two more batches.
  const v1::SupervisionRun done = *repository_->GetRun(run->id());
  EXPECT_EQ(done.state(), v1::SUCCEEDED);
  EXPECT_EQ(done.sites_done(), 5);
  EXPECT_EQ(done.sites_failed(), 5);  // Nothing probed yet: freshness unknown, no probes.
  v1::ListSupervisionResultsRequest list;
  list.set_run_id(run->id());
  list.set_page_size(3);
  absl::StatusOr<v1::ListSupervisionResultsResponse> page =
      website_->ListSupervisionResults(Inspector(), list);
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_THAT(page->results(), SizeIs(3));
  EXPECT_FALSE(page->next_page_token().empty());

  start.set_request_id("run-2");
  start.set_kind(v1::ANNUAL_REPORT);
  absl::StatusOr<v1::SupervisionRun> annual = website_->StartSupervisionRun(Office(), start);
  ASSERT_TRUE(annual.ok()) << annual.status();
  EXPECT_EQ(annual->report_year(), 2025);
  EXPECT_EQ(ToCivilDay(annual->report_due()).value(), absl::CivilDay(2026, 1, 31));
  EXPECT_THAT(annual->report_due_rule(), HasSubstr("NAT-14"));
  RunWorker third(repository_.get(), website_.get(), &clock_, {.batch = 2, .replica = "c"});
  ASSERT_EQ(*third.RunOnce(1), 1);
  v1::CancelSupervisionRunRequest cancel;
  cancel.set_id(annual->id());
  absl::StatusOr<v1::SupervisionRun> cancelled = website_->CancelSupervisionRun(Office(), cancel);
  ASSERT_TRUE(cancelled.ok());
  EXPECT_EQ(cancelled->state(), v1::CANCELLED);
  EXPECT_EQ(*third.RunOnce(), 0);
  EXPECT_EQ(repository_->GetRun(annual->id())->sites_done(), 2);
  EXPECT_EQ(website_->CancelSupervisionRun(Office(), cancel).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(website_->StartSupervisionRun(Staff(1), start).status().code(),
            absl::StatusCode::kPermissionDenied);
}

// WEB-2: each cadence does what its name says. A working website with a stale column
// and no filing number or level-protection assessment, a working WeChat account not
// updated and without procedures, and a website still being built.
TEST_F(WebsiteIntegrationTest, Web2EachCadenceDoesWhatItsNameSays) {
  LocalSite local;
  local.Page("/", "<p>今日更新 2026-12-06</p>");
  local.Page("/news/", "<ul><li>旧闻 2026-10-01</li></ul>");
  ASSERT_TRUE(local.Start().ok());
  const v1::Site website = CreateSite(6, local.Url("/"));
  AddColumn(website.id(), local.Url("/news/"), v1::NEWS);
  const v1::Site account = CreateSite(6, "wechat:某局发布", v1::WECHAT, v1::OPERATION);
  const v1::Site building =
      CreateSite(6, "http://127.0.0.1:9/new", v1::DEPARTMENT_SITE, v1::BUILDING);
  ProbeScheduler scheduler(repository_.get(), &checker_, book_, &clock_, nullptr,
                           {.workers = 1, .replica = "p"});
  ASSERT_EQ(*scheduler.RunOnce(10), 1);
  v1::SubmitMessagesRequest messages;
  messages.set_site_id(website.id());
  v1::Message* m = messages.add_messages();
  m->set_external_id("m-1");
  *m->mutable_received_time() = ToTimestamp(clock_.Now() - absl::Hours(48));
  *m->mutable_answered_time() = ToTimestamp(clock_.Now() - absl::Hours(24));
  ASSERT_TRUE(website_->SubmitMessages(Office(), messages).ok());

  const auto run = [&](v1::RunKind kind, int report_year) {
    v1::StartSupervisionRunRequest start;
    start.set_request_id(absl::StrCat("cadence-", kind));
    start.set_kind(kind);
    start.set_report_year(report_year);
    absl::StatusOr<v1::SupervisionRun> started = website_->StartSupervisionRun(Office(), start);
    EXPECT_TRUE(started.ok()) << started.status();
    RunWorker worker(repository_.get(), website_.get(), &clock_, {.replica = "w"});
    EXPECT_GE(*worker.RunOnce(), 1);
    v1::ListSupervisionResultsRequest list;
    list.set_run_id(started->id());
    list.set_page_size(100);
    std::map<int64_t, v1::SupervisionResult> by_site;
    const absl::StatusOr<v1::ListSupervisionResultsResponse> page =
        website_->ListSupervisionResults(Office(), list);
    EXPECT_TRUE(page.ok()) << page.status();
    if (page.ok()) {
      for (const v1::SupervisionResult& r : page->results()) by_site[r.site_id()] = r;
    }
    return std::make_pair(*repository_->GetRun(started->id()), by_site);
  };
  const auto items = [](const v1::SiteEvaluation& e) {
    std::vector<std::string> out;
    for (const v1::Finding& f : e.findings()) out.push_back(f.item());
    return out;
  };

  // Weekly check: the probed website only; availability and the home page, no columns.
  auto [weekly, weekly_results] = run(v1::WEEKLY_CHECK, 0);
  EXPECT_EQ(weekly.sites_total(), 1);
  ASSERT_EQ(weekly_results.count(website.id()), 1u);
  const v1::SiteEvaluation& w = weekly_results[website.id()].evaluation();
  EXPECT_EQ(w.scope(), v1::WEEKLY_CHECK);
  EXPECT_EQ(w.probes_in_week(), 1);
  for (const std::string& item : items(w)) {
    EXPECT_TRUE(absl::StartsWith(item, "availability") || absl::StartsWith(item, "home") ||
                item == "probes_missed")
        << item;
  }

  // Monthly monitoring: the website and the working account, fully scored.
  auto [monthly, monthly_results] = run(v1::MONTHLY_MONITORING, 0);
  EXPECT_EQ(monthly.sites_total(), 2);
  EXPECT_THAT(items(monthly_results[website.id()].evaluation()), Contains("stale_columns"));
  EXPECT_THAT(items(monthly_results[account.id()].evaluation()), Contains("account_not_updated"));
  EXPECT_EQ(monthly_results.count(building.id()), 0u);

  // Quarterly census: every registered site with the register's completeness.
  auto [census, census_results] = run(v1::QUARTERLY_CENSUS, 0);
  EXPECT_EQ(census.sites_total(), 3);
  EXPECT_EQ(census.sites_register_incomplete(), 2);
  const v1::SiteEvaluation& c = census_results[website.id()].evaluation();
  EXPECT_FALSE(c.register_complete());
  EXPECT_THAT(items(c), Contains("register_filing_number_missing"));
  EXPECT_THAT(items(c), Contains("register_level_protection_missing"));
  EXPECT_THAT(items(c), Contains("stale_columns"));  // And the full scoring.
  EXPECT_THAT(items(census_results[account.id()].evaluation()),
              Contains("register_procedures_missing"));
  const v1::SiteEvaluation& b = census_results[building.id()].evaluation();
  EXPECT_TRUE(b.register_complete());
  EXPECT_THAT(items(b), Contains("not_in_operation"));
  EXPECT_EQ(census.sites_failed(), 1);  // The account (its veto); the website passes.

  // Annual report: each site's report of the year and the office's report, due Jan 31.
  auto [annual, annual_results] = run(v1::ANNUAL_REPORT, 2026);
  EXPECT_EQ(annual.state(), v1::SUCCEEDED);
  const v1::SiteAnnualReport& report = annual_results[website.id()].annual_report();
  EXPECT_EQ(report.year(), 2026);
  EXPECT_EQ(report.probes_made(), 1);
  EXPECT_EQ(report.columns(), 1);
  EXPECT_EQ(report.messages_received(), 1);
  EXPECT_EQ(report.messages_answered(), 1);
  EXPECT_NEAR(report.average_answer_days(), 1.0, 0.01);
  EXPECT_EQ(report.evaluations(), 3);  // The three runs above.
  EXPECT_EQ(ToCivilDay(report.due()).value(), absl::CivilDay(2027, 1, 31));
  const v1::OfficeAnnualReport& office = annual.office_report();
  EXPECT_EQ(office.year(), 2026);
  EXPECT_EQ(office.sites(), 3);
  EXPECT_EQ(office.websites(), 2);
  EXPECT_EQ(office.accounts(), 1);
  EXPECT_EQ(office.probes_made(), 1);
  EXPECT_EQ(office.messages_received(), 1);
  EXPECT_EQ(ToCivilDay(office.due()).value(), absl::CivilDay(2027, 1, 31));
  EXPECT_THAT(office.due_rule(), HasSubstr("NAT-14"));
}

TEST_F(WebsiteIntegrationTest, Web4NoticesHaveDeadlinesRechecksAndEscalation) {
  LocalSite local;
  local.Page("/", "<p>今日更新 2026-12-06</p>");
  ASSERT_TRUE(local.Start().ok());
  const v1::Site site = CreateSite(4, local.Url("/"));
  v1::CreateNoticeRequest create;
  create.set_request_id("n-1");
  create.mutable_notice()->set_site_id(site.id());
  create.mutable_notice()->set_reason("首页长期未更新");
  absl::StatusOr<v1::Notice> notice = website_->CreateNotice(Office(), create);
  ASSERT_TRUE(notice.ok()) << notice.status();
  EXPECT_EQ(notice->unit_id(), 4);
  EXPECT_EQ(notice->state(), v1::NOTICE_OPEN);
  // 15 working days from Monday 2026-12-07: Monday 2026-12-28.
  EXPECT_EQ(ToCivilDay(notice->rectify_by()).value(), absl::CivilDay(2026, 12, 28));
  EXPECT_THAT(notice->rectify_by_explanation().rule(), HasSubstr("WEB-4"));
  v1::ReportRectificationRequest report;
  report.set_id(notice->id());
  report.set_version(notice->version());
  report.set_report("已更新首页");
  EXPECT_EQ(website_->ReportRectification(Staff(5), report).status().code(),
            absl::StatusCode::kPermissionDenied);
  notice = website_->ReportRectification(Staff(4), report);
  ASSERT_TRUE(notice.ok()) << notice.status();
  EXPECT_EQ(notice->state(), v1::RECTIFICATION_REPORTED);
  EXPECT_EQ(website_->ReportRectification(Staff(4), report).status().code(),
            absl::StatusCode::kAborted);
  // The re-check probes the site now: a fresh home page, no probes in the week yet,
  // so it passes (availability not decided is no veto).
  v1::RecheckNoticeRequest recheck;
  recheck.set_id(notice->id());
  recheck.set_version(notice->version());
  notice = website_->RecheckNotice(Office(), recheck);
  ASSERT_TRUE(notice.ok()) << notice.status();
  EXPECT_EQ(notice->rechecks(), 1);
  EXPECT_TRUE(notice->last_recheck_passed()) << notice->last_recheck_summary();
  EXPECT_EQ(notice->state(), v1::RECTIFIED);
  EXPECT_THAT(notice->last_recheck_summary(), HasSubstr("probe/"));
  v1::EscalateNoticeRequest escalate;
  escalate.set_id(notice->id());
  escalate.set_version(notice->version());
  escalate.set_finding("省政府抽查发现严重错误");
  notice = website_->EscalateNotice(Office(), escalate);
  ASSERT_TRUE(notice.ok()) << notice.status();
  EXPECT_EQ(notice->state(), v1::ESCALATED);
  // Past its deadline and not rectified: overdue.
  clock_.Advance(absl::Hours(24 * 30));
  v1::GetNoticeRequest get;
  get.set_id(notice->id());
  EXPECT_TRUE(website_->GetNotice(Staff(4), get)->overdue());
  EXPECT_EQ(website_->GetNotice(Staff(3), get).status().code(),
            absl::StatusCode::kPermissionDenied);
}

// NAT-1 and WEB-4 on MariaDB: a notice issued in December before the next year's
// holiday notice is loaded is accepted with a pending deadline (no rectify_by; the row
// keeps a stand-in day no comparison counts as overdue); loading the year gives it its
// day, and replacing the year moves the day and the overdue flag with it.
TEST_F(WebsiteIntegrationTest, Nat1Web4PendingRectificationDeadlineFollowsTheCalendar) {
  ASSERT_FALSE(calendar_->Year(2027).ok()) << "the test needs 2027 not loaded";
  const absl::CivilDay issued_on(2026, 12, 21);  // 15 working days later is in 2027.
  clock_.Set(absl::FromCivil(absl::CivilSecond(2026, 12, 21, 10, 0, 0), ShanghaiTimeZone()));
  const v1::Site site = CreateSite(6, "http://127.0.0.1:9/nat1");
  v1::CreateNoticeRequest create;
  create.set_request_id("n-nat1");
  create.mutable_notice()->set_site_id(site.id());
  create.mutable_notice()->set_reason("栏目长期未更新");
  absl::StatusOr<v1::Notice> notice = website_->CreateNotice(Office(), create);
  ASSERT_TRUE(notice.ok()) << notice.status();
  EXPECT_FALSE(notice->has_rectify_by());
  EXPECT_FALSE(notice->overdue());
  EXPECT_THAT(notice->rectify_by_explanation().text(), HasSubstr("届满日待载入后计算"));
  v1::GetNoticeRequest get;
  get.set_id(notice->id());
  const auto read = [&]() {
    absl::StatusOr<v1::Notice> got = website_->GetNotice(Office(), get);
    EXPECT_TRUE(got.ok()) << got.status();
    return got.value_or(v1::Notice());
  };
  const auto gauges = [&]() {
    absl::StatusOr<WebsiteGauges> g =
        repository_->ReadGauges(clock_.Now(), absl::Hours(1), calendar::TodayInShanghai(clock_));
    EXPECT_TRUE(g.ok()) << g.status();
    return g.value_or(WebsiteGauges());
  };
  const auto overdue_in = [&](absl::CivilDay from, absl::CivilDay to) {
    absl::StatusOr<UnitPlatformFacts> facts =
        repository_->ReadUnitPlatformFacts(6, from, to, calendar::TodayInShanghai(clock_));
    EXPECT_TRUE(facts.ok()) << facts.status();
    return facts.ok() ? facts->notices_overdue : std::vector<int64_t>{-1};
  };
  v1::Notice stored = read();
  EXPECT_FALSE(stored.has_rectify_by()) << "the stand-in day is never shown";
  EXPECT_EQ(ToCivilDay(stored.rectify_by_explanation().start()).value(), issued_on);
  EXPECT_EQ(stored.rectify_by_explanation().days(), 15);
  EXPECT_THAT(stored.rectify_by_explanation().rule(), HasSubstr("WEB-4"));
  // A replay of the create answers the same pending notice.
  absl::StatusOr<v1::Notice> replayed = website_->CreateNotice(Office(), create);
  ASSERT_TRUE(replayed.ok()) << replayed.status();
  EXPECT_EQ(replayed->id(), notice->id());
  EXPECT_FALSE(replayed->has_rectify_by());

  // Weeks later, still pending: not overdue anywhere — the notice, the gauge, the
  // evidence (even over a period reaching the stand-in day).
  clock_.Set(absl::FromCivil(absl::CivilSecond(2027, 2, 1, 10, 0, 0), ShanghaiTimeZone()));
  EXPECT_FALSE(read().overdue());
  EXPECT_EQ(gauges().notices_overdue, 0);
  EXPECT_EQ(gauges().notices_deadline_pending, 1);
  EXPECT_THAT(overdue_in(absl::CivilDay(9999, 1, 1), absl::CivilDay(9999, 12, 31)), SizeIs(0));
  EXPECT_THAT(overdue_in(absl::CivilDay(2026, 1, 1), absl::CivilDay(2027, 12, 31)), SizeIs(0));
  absl::StatusOr<int> unchanged = website_->RecomputeRectificationDeadlines([] { return false; });
  ASSERT_TRUE(unchanged.ok()) << unchanged.status();
  EXPECT_EQ(*unchanged, 0) << "2027 is still not loaded";

  // Test data, not a real notice: 2027 with only 01-01 off.
  calendar::YearCalendar y2027 =
      calendar::testing::TestYear(2027, {{absl::CivilDay(2027, 1, 1), "元旦"}});
  ASSERT_TRUE(calendar_->LoadYear(y2027).ok());
  clock_.Set(absl::FromCivil(absl::CivilSecond(2027, 1, 13, 10, 0, 0), ShanghaiTimeZone()));
  absl::StatusOr<int> changed = website_->RecomputeRectificationDeadlines([] { return false; });
  ASSERT_TRUE(changed.ok()) << changed.status();
  EXPECT_EQ(*changed, 1);
  stored = read();
  // Dec 22-25, 28-31 (8), Jan 1 off, Jan 4-8 (13), Jan 11, 12: Tuesday 2027-01-12.
  ASSERT_TRUE(stored.has_rectify_by());
  EXPECT_EQ(ToCivilDay(stored.rectify_by()).value(), absl::CivilDay(2027, 1, 12));
  EXPECT_TRUE(stored.overdue()) << "2027-01-13 is past 2027-01-12";
  EXPECT_EQ(stored.version(), notice->version() + 1);
  EXPECT_THAT(stored.rectify_by_explanation().text(), HasSubstr("test notice 2027"));
  EXPECT_THAT(stored.rectify_by_explanation().text(), ::testing::Not(HasSubstr("待载入")));
  EXPECT_EQ(gauges().notices_overdue, 1);
  EXPECT_EQ(gauges().notices_deadline_pending, 0);
  EXPECT_THAT(overdue_in(absl::CivilDay(2027, 1, 1), absl::CivilDay(2027, 1, 31)),
              Contains(notice->id()));
  EXPECT_EQ(website_->RecomputeRectificationDeadlines([] { return false; }).value_or(-1), 0)
      << "a second pass on the same calendar changes nothing";

  // The test year replaced (an amended notice, test data): 01-11 and 01-12 off too, so
  // the day moves to Thursday 2027-01-14 and the notice is no longer overdue on 01-13.
  y2027.version = "test-2027.2";
  y2027.holidays.push_back({absl::CivilDay(2027, 1, 11), "测试"});
  y2027.holidays.push_back({absl::CivilDay(2027, 1, 12), "测试"});
  ASSERT_TRUE(calendar_->ReplaceYear(y2027).ok());
  changed = website_->RecomputeRectificationDeadlines([] { return false; });
  ASSERT_TRUE(changed.ok()) << changed.status();
  EXPECT_EQ(*changed, 1);
  stored = read();
  EXPECT_EQ(ToCivilDay(stored.rectify_by()).value(), absl::CivilDay(2027, 1, 14));
  EXPECT_FALSE(stored.overdue());
  EXPECT_EQ(gauges().notices_overdue, 0);
  EXPECT_THAT(overdue_in(absl::CivilDay(2027, 1, 1), absl::CivilDay(2027, 1, 31)), SizeIs(0))
      << "due 2027-01-14, read on 01-13: not overdue yet (WEB-4)";
  EXPECT_THAT(stored.rectify_by_explanation().text(), HasSubstr("test-2027.2"));

  // The recomputation's update is conditional on the version it read.
  v1::Notice behind = stored;
  behind.set_version(stored.version() - 1);
  EXPECT_EQ(repository_->UpdateRectifyBy(behind, clock_.Now()).status().code(),
            absl::StatusCode::kAborted);
}

TEST_F(WebsiteIntegrationTest, Asm6Item6EvidenceCountsTheUnitsPlatforms) {
  const v1::Site site = CreateSite(7, "http://127.0.0.1:9/");
  CreateSite(7, "weibo:某局", v1::WEIBO, v1::OPERATION);
  CreateSite(8, "http://127.0.0.1:9/other");
  v1::StartSupervisionRunRequest start;
  start.set_request_id("r");
  start.set_kind(v1::QUARTERLY_CENSUS);
  ASSERT_TRUE(website_->StartSupervisionRun(Office(), start).ok());
  RunWorker worker(repository_.get(), website_.get(), &clock_, {});
  ASSERT_GE(*worker.RunOnce(), 1);
  WebsiteEvidence evidence(repository_.get(), UnitCheck());
  evidence::EvidenceQuery query{7, absl::CivilDay(2026, 1, 1), absl::CivilDay(2026, 12, 31),
                                absl::CivilDay(2026, 12, 7)};
  absl::StatusOr<evidence::ItemEvidence> item =
      evidence.Collect(common::v1::OPENNESS_PLATFORMS, query);
  ASSERT_TRUE(item.ok()) << item.status();
  std::map<std::string, int64_t> counts;
  for (const auto& indicator : item->indicators()) counts[indicator.name()] = indicator.count();
  EXPECT_EQ(counts["sites_registered"], 2);
  EXPECT_EQ(counts["accounts_without_procedures"], 1);
  EXPECT_EQ(counts["sites_evaluated"], 2);
  EXPECT_EQ(counts["sites_failed"], 2);
  EXPECT_EQ(item->indicators(0).references(0), absl::StrCat("site/", site.id()));
}

TEST_F(WebsiteIntegrationTest, BadInputIsRefusedAndWritesNothing) {
  const v1::Site site = CreateSite(1, "http://127.0.0.1:9/");
  const int64_t before = CountRows();
  const auto invalid = [](const absl::Status& s) {
    return s.code() == absl::StatusCode::kInvalidArgument && !FieldViolationsOf(s).empty();
  };
  v1::CreateSiteRequest create;
  create.mutable_site()->set_unit_id(1);
  create.mutable_site()->set_name("x");
  create.mutable_site()->set_kind(v1::PORTAL);
  create.mutable_site()->set_url("ftp://nope");
  EXPECT_TRUE(invalid(website_->CreateSite(Office(), create).status()));
  create.mutable_site()->set_url("http://ok/");
  create.mutable_site()->set_kind(static_cast<v1::SiteKind>(99));
  EXPECT_TRUE(invalid(website_->CreateSite(Office(), create).status()));
  create.mutable_site()->set_kind(v1::PORTAL);
  create.mutable_site()->set_unit_id(0);
  EXPECT_TRUE(invalid(website_->CreateSite(Office(), create).status()));
  create.mutable_site()->set_unit_id(1);
  create.mutable_site()->set_name(std::string(300, 'a'));
  EXPECT_TRUE(invalid(website_->CreateSite(Office(), create).status()));
  create.mutable_site()->set_name("ok");
  create.mutable_site()->set_state(v1::MIGRATED);
  EXPECT_TRUE(invalid(website_->CreateSite(Office(), create).status()));

  v1::ChangeSiteStateRequest filing;
  filing.set_id(site.id());
  filing.set_version(site.version());
  filing.set_state(v1::FILING);  // Without its number.
  EXPECT_TRUE(invalid(website_->ChangeSiteState(Office(), filing).status()));
  filing.set_state(v1::LEVEL_PROTECTION);
  *filing.mutable_level_protection_date() = ToProtoDate(absl::CivilDay(2027, 1, 1));
  EXPECT_TRUE(invalid(website_->ChangeSiteState(Office(), filing).status()));
  filing.set_state(v1::MIGRATED);
  filing.set_migrated_to_site_id(site.id());
  EXPECT_TRUE(invalid(website_->ChangeSiteState(Office(), filing).status()));
  filing.set_migrated_to_site_id(999999);
  EXPECT_TRUE(invalid(website_->ChangeSiteState(Office(), filing).status()));

  v1::CreateColumnRequest column;
  column.mutable_column()->set_site_id(site.id());
  column.mutable_column()->set_name("c");
  column.mutable_column()->set_column_class(v1::NEWS);
  column.mutable_column()->set_url("http://ok/news");
  column.mutable_column()->mutable_extraction()->set_item_selector("ul > li");
  EXPECT_TRUE(invalid(website_->CreateColumn(Office(), column).status()));
  column.mutable_column()->mutable_extraction()->set_item_selector("li");
  column.mutable_column()->mutable_extraction()->set_date_pattern("(unclosed");
  EXPECT_TRUE(invalid(website_->CreateColumn(Office(), column).status()));

  v1::SubmitMessagesRequest messages;
  messages.set_site_id(site.id());
  EXPECT_TRUE(invalid(website_->SubmitMessages(Office(), messages).status()));
  v1::Message* m = messages.add_messages();
  m->set_external_id("x");
  *m->mutable_received_time() = ToTimestamp(clock_.Now());
  *m->mutable_answered_time() = ToTimestamp(clock_.Now() - absl::Hours(1));
  EXPECT_TRUE(invalid(website_->SubmitMessages(Office(), messages).status()));
  m->clear_answered_time();
  *m->mutable_received_time() = ToTimestamp(clock_.Now() + absl::Hours(24));
  EXPECT_TRUE(invalid(website_->SubmitMessages(Office(), messages).status()));

  v1::RecordSevereErrorRequest severe;
  severe.mutable_severe_error()->set_site_id(site.id());
  severe.mutable_severe_error()->set_kind(v1::FALSE_CONTENT);
  severe.mutable_severe_error()->set_page_url("http://ok/");
  EXPECT_TRUE(invalid(website_->RecordSevereError(Inspector(), severe).status()));

  v1::StartSupervisionRunRequest run;
  EXPECT_TRUE(invalid(website_->StartSupervisionRun(Office(), run).status()));
  run.set_kind(v1::WEEKLY_CHECK);
  *run.mutable_as_of() = ToProtoDate(absl::CivilDay(2030, 1, 1));
  EXPECT_TRUE(invalid(website_->StartSupervisionRun(Office(), run).status()));
  run.clear_as_of();
  run.set_report_year(2020);  // Only for ANNUAL_REPORT.
  EXPECT_TRUE(invalid(website_->StartSupervisionRun(Office(), run).status()));

  v1::CreateNoticeRequest notice;
  notice.mutable_notice()->set_site_id(site.id());
  EXPECT_TRUE(invalid(website_->CreateNotice(Office(), notice).status()));
  notice.mutable_notice()->set_reason("r");
  notice.mutable_notice()->set_site_id(424242);
  EXPECT_TRUE(invalid(website_->CreateNotice(Office(), notice).status()));

  v1::ListSitesRequest list;
  list.set_page_size(1000);
  EXPECT_TRUE(invalid(website_->ListSites(Office(), list).status()));
  list.set_page_size(10);
  list.set_page_token("garbage");
  EXPECT_TRUE(invalid(website_->ListSites(Office(), list).status()));

  v1::TestExtractionRequest test;
  EXPECT_TRUE(invalid(website_->TestExtraction(Office(), test).status()));

  EXPECT_EQ(CountRows(), before);
}

TEST_F(WebsiteIntegrationTest, TestExtractionShowsWhatASelectorFinds) {
  v1::TestExtractionRequest r;
  r.set_page("<ul class=news><li>一 2026-12-01</li><li>二</li></ul>");
  r.mutable_extraction()->set_item_selector("ul.news li");
  absl::StatusOr<v1::TestExtractionResponse> found = website_->TestExtraction(Staff(1), r);
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_THAT(found->items(), SizeIs(2));
  EXPECT_EQ(found->undated_items(), 1);
  EXPECT_EQ(ToCivilDay(found->latest_date()).value(), absl::CivilDay(2026, 12, 1));
}

TEST_F(WebsiteIntegrationTest, UnitScopedReadersListOnlyTheirUnit) {
  CreateSite(1, "http://127.0.0.1:9/a");
  CreateSite(2, "http://127.0.0.1:9/b");
  v1::ListSitesRequest list;
  absl::StatusOr<v1::ListSitesResponse> mine = website_->ListSites(Staff(2), list);
  ASSERT_TRUE(mine.ok());
  ASSERT_THAT(mine->sites(), SizeIs(1));
  EXPECT_EQ(mine->sites(0).unit_id(), 2);
  list.set_unit_id(1);
  EXPECT_EQ(website_->ListSites(Staff(2), list).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(website_->ListSites(Inspector(), list)->sites(), SizeIs(1));
}

}  // namespace
}  // namespace gongkai::website
