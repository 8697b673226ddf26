// Integration tests (label: integration) of the annual report's MySQL repository
// (services/catalog/annual_report/mysql_report_repository.cc) on the real MySQL/MariaDB
// named by GONGKAI_TEST_MYSQL_*: the aggregates over disclosure_requests,
// disclosure_challenges and documents, as the requests and documents modules' MySQL
// repositories compute them for the report (ReportSources; rows inserted directly with
// SQL, as the request service would store them), parity with the classification the
// unit tests use, and the storage contract of reports (versions, publication, listing).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "google/protobuf/util/message_differencer.h"
#include "libs/clock/clock.h"
#include "libs/db/connection_pool.h"
#include "libs/db/testing/status_matchers.h"
#include "libs/db/testing/test_database.h"
#include "libs/status/status_macros.h"
#include "services/catalog/annual_report/fake_report_repository.h"
#include "services/catalog/annual_report/mysql_report_repository.h"
#include "services/catalog/annual_report/report_tables.h"
#include "services/catalog/documents/mysql_document_repository.h"
#include "services/catalog/requests/mysql_request_repository.h"
#include "services/catalog/units/mysql_unit_repository.h"
#include "tests/integration/repository_test_support.h"

namespace gongkai::catalog::annual_report {
namespace {

using ::gongkai::db::testing::IsOk;
using ::gongkai::db::testing::StatusIs;
using ::gongkai::db::testing::TestDatabase;
using ::gongkai::integration::MigratedDatabase;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::SizeIs;

class AnnualReportRepositoryTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<MigratedDatabase> db = MigratedDatabase::Create("annual_report");
    if (!db.ok()) {
      setup_error_ = db.status().ToString();
      return;
    }
    database_ = db->database.release();
    pool_ = db->pool.release();
    requests_ = requests::NewMysqlRequestRepository(pool_).release();
    documents_ = documents::NewMysqlDocumentRepository(pool_).release();
    units_ = units::NewMysqlUnitRepository(pool_).release();
    repo_ = NewMysqlAnnualReportRepository(pool_, {requests_, documents_, units_}).release();
  }

  static void TearDownTestSuite() {
    delete repo_;
    delete units_;
    delete documents_;
    delete requests_;
    delete pool_;
    delete database_;
  }

  void SetUp() override { ASSERT_NE(repo_, nullptr) << setup_error_; }

  // A fresh unit, so tests do not see each other's rows.
  int64_t NewUnit(v1::UnitLevel level = v1::UNIT_LEVEL_DEPARTMENT) {
    static int counter = 0;
    const std::string code = absl::StrCat("AR-UNIT-", ++counter);
    auto conn = pool_->Acquire();
    EXPECT_TRUE(conn.ok());
    auto inserted = (*conn)->ExecuteInsert(
        "INSERT INTO units (code, name, level, parent_id, create_time) VALUES (?, ?, ?, 0, ?)",
        {code, absl::StrCat("单位", counter), static_cast<int64_t>(level), absl::Now()});
    EXPECT_TRUE(inserted.ok()) << inserted.status();
    return static_cast<int64_t>(inserted->last_insert_id);
  }

  // Inserts a request exactly as the request service stores it, and mirrors it into
  // `fake_` for the parity check.
  void AddRequest(const FakeReportRepository::Request& r) {
    static int counter = 0;
    ++counter;
    auto conn = pool_->Acquire();
    ASSERT_TRUE(conn.ok());
    const db::Value outcome =
        r.outcome == 0 ? db::Value::Null() : db::Value(static_cast<int64_t>(r.outcome));
    const db::Value answered = r.answered_on.has_value() ? db::Value(*r.answered_on) : db::Value();
    auto inserted = (*conn)->Execute(
        "INSERT INTO disclosure_requests (unit_id, tracking_code, secret_sha256, applicant_type, "
        "applicant_name, applicant_key, channel, state, subject, received_on, clock_start_on, "
        "outcome, answered_on, created_by, create_time, update_time) "
        "VALUES (?, ?, ?, ?, '申请人', ?, 1, 1, '信息', ?, ?, ?, ?, 'test', ?, ?)",
        {r.unit_id, absl::StrCat("AR", counter), std::string(64, 'a'),
         static_cast<int64_t>(r.applicant_type), std::string(64, 'b'), r.received_on, r.received_on,
         outcome, answered, absl::Now(), absl::Now()});
    ASSERT_TRUE(inserted.ok()) << inserted.status();
    fake_.AddRequest(r);
  }

  void AddChallenge(const FakeReportRepository::Challenge& c) {
    auto conn = pool_->Acquire();
    ASSERT_TRUE(conn.ok());
    auto inserted = (*conn)->Execute(
        "INSERT INTO disclosure_challenges (request_id, unit_id, kind, result, filed_on, "
        "decided_on, created_by, create_time, update_time) VALUES (1, ?, ?, ?, ?, ?, 'test', ?, ?)",
        {c.unit_id, static_cast<int64_t>(c.kind), static_cast<int64_t>(c.result), c.filed_on,
         c.decided_on, absl::Now(), absl::Now()});
    ASSERT_TRUE(inserted.ok()) << inserted.status();
    fake_.AddChallenge(c);
  }

  void AddDocument(int64_t unit, bool policy, v1::DocumentState state,
                   std::optional<absl::Time> published,
                   std::optional<absl::CivilDay> repealed_on = std::nullopt) {
    auto conn = pool_->Acquire();
    ASSERT_TRUE(conn.ok());
    auto inserted = (*conn)->Execute(
        "INSERT INTO documents (title, body, drafting_unit_id, issuing_authority, "
        "is_policy_document, disclosure_attribute, state, create_time, update_time, "
        "publish_time, created_by, repealed_on) "
        "VALUES ('规范性文件', '', ?, 3, ?, 1, ?, ?, ?, ?, 'test', ?)",
        {unit, policy, static_cast<int64_t>(state), absl::Now(), absl::Now(), published,
         repealed_on});
    ASSERT_TRUE(inserted.ok()) << inserted.status();
    if (policy && state == v1::PUBLISHED && published.has_value()) {
      fake_.AddPolicyDocument(
          {.unit_id = unit, .publish_time = *published, .repealed_on = repealed_on});
    }
  }

  // Takes `snapshot` through the three publication writes (CAT-9): freeze, record
  // document `document_id`, complete.
  absl::StatusOr<StoredReport> Publish(const v1::AnnualReport& snapshot, int64_t expected_version,
                                       int64_t document_id, const std::string& actor,
                                       absl::Time time) {
    ASSIGN_OR_RETURN(
        StoredReport started,
        repo_->StartPublication(snapshot, expected_version, {actor, "publish_started", "", time}));
    ASSIGN_OR_RETURN(
        StoredReport recorded,
        repo_->RecordPublicationDocument(
            snapshot.year(), snapshot.unit_id(), document_id, started.version,
            {actor, "publish_document", absl::StrCat("document ", document_id), time}));
    return repo_->CompletePublication(
        snapshot.year(), snapshot.unit_id(), recorded.version,
        {actor, "publish", absl::StrCat("document ", document_id), time});
  }

  // The audit actions of report `id`, in order.
  std::vector<std::string> AuditActions(int64_t id) {
    std::vector<std::string> actions;
    auto conn = pool_->Acquire();
    EXPECT_TRUE(conn.ok());
    if (!conn.ok()) return actions;
    auto rows = (*conn)->Query(
        "SELECT action FROM annual_report_audit WHERE report_id = ? ORDER BY id", {id});
    EXPECT_TRUE(rows.ok()) << rows.status();
    if (!rows.ok()) return actions;
    for (const db::Row& row : *rows) actions.push_back(*row.GetString("action"));
    return actions;
  }

  static std::string setup_error_;
  static TestDatabase* database_;
  static db::ConnectionPool* pool_;
  // The modules the report's tallies and units come from (ReportSources).
  static requests::RequestRepository* requests_;
  static documents::DocumentRepository* documents_;
  static units::UnitRepository* units_;
  static AnnualReportRepository* repo_;
  FakeReportRepository fake_;
};

std::string AnnualReportRepositoryTest::setup_error_;
TestDatabase* AnnualReportRepositoryTest::database_ = nullptr;
db::ConnectionPool* AnnualReportRepositoryTest::pool_ = nullptr;
requests::RequestRepository* AnnualReportRepositoryTest::requests_ = nullptr;
documents::DocumentRepository* AnnualReportRepositoryTest::documents_ = nullptr;
units::UnitRepository* AnnualReportRepositoryTest::units_ = nullptr;
AnnualReportRepository* AnnualReportRepositoryTest::repo_ = nullptr;

bool SameMessage(const google::protobuf::Message& a, const google::protobuf::Message& b,
                 std::string* diff) {
  google::protobuf::util::MessageDifferencer differencer;
  differencer.ReportDifferencesToString(diff);
  return differencer.Compare(a, b);
}

TEST_F(AnnualReportRepositoryTest, Table3FromSqlMatchesTheYearBoundaryRules) {
  const int64_t unit = NewUnit();
  const int64_t other = NewUnit();
  // Received 2024-12-30, answered 2025-01-05: carried over into 2025, handled in 2025.
  AddRequest({.unit_id = unit,
              .applicant_type = v1::APPLICANT_BUSINESS,
              .received_on = absl::CivilDay(2024, 12, 30),
              .answered_on = absl::CivilDay(2025, 1, 5),
              .outcome = v1::OUTCOME_DISCLOSED});
  // Answered before 2025: in neither side of 2025.
  AddRequest({.unit_id = unit,
              .received_on = absl::CivilDay(2024, 2, 1),
              .answered_on = absl::CivilDay(2024, 2, 10),
              .outcome = v1::OUTCOME_DISCLOSED});
  // New in 2025, answered on the last day, already public → 予以公开.
  AddRequest({.unit_id = unit,
              .received_on = absl::CivilDay(2025, 1, 1),
              .answered_on = absl::CivilDay(2025, 12, 31),
              .outcome = v1::OUTCOME_ALREADY_PUBLIC});
  // New in 2025, answered in 2026: carried forward.
  AddRequest({.unit_id = unit,
              .applicant_type = v1::APPLICANT_LEGAL_SERVICE,
              .received_on = absl::CivilDay(2025, 12, 20),
              .answered_on = absl::CivilDay(2026, 1, 4),
              .outcome = v1::OUTCOME_NOT_PROCESSED_REPEAT});
  // Still open.
  AddRequest({.unit_id = unit,
              .applicant_type = v1::APPLICANT_OTHER_ORGANIZATION,
              .received_on = absl::CivilDay(2025, 7, 7)});
  // A reason row.
  AddRequest({.unit_id = unit,
              .applicant_type = v1::APPLICANT_RESEARCH_INSTITUTION,
              .received_on = absl::CivilDay(2025, 3, 3),
              .answered_on = absl::CivilDay(2025, 3, 4),
              .outcome = v1::OUTCOME_CANNOT_PROVIDE_NOT_HELD});
  // Received after the year: left out.
  AddRequest({.unit_id = unit, .received_on = absl::CivilDay(2026, 1, 2)});
  // Another unit's request.
  AddRequest({.unit_id = other, .received_on = absl::CivilDay(2025, 5, 5)});

  const YearRange y2025 = YearRange::Of(2025);
  absl::StatusOr<std::vector<RequestTally>> tallies = repo_->CountRequests(unit, y2025);
  ASSERT_THAT(tallies, IsOk());
  const v1::RequestTable t = BuildRequestTable(*tallies, {});
  EXPECT_EQ(t.new_requests().total(), 4);
  EXPECT_EQ(t.carried_over().business(), 1);
  EXPECT_EQ(t.carried_over().total(), 1);
  EXPECT_EQ(t.outcomes(0).counts().business(), 1);        // 予以公开
  EXPECT_EQ(t.outcomes(0).counts().natural_person(), 1);  // already public
  EXPECT_EQ(t.total_handled().research_institution(), 1);
  EXPECT_EQ(t.total_handled().total(), 3);
  EXPECT_EQ(t.carried_forward().legal_service(), 1);
  EXPECT_EQ(t.carried_forward().other_organization(), 1);
  EXPECT_EQ(t.carried_forward().total(), 2);
  EXPECT_THAT(CheckRequestTable(t), IsOk());

  // The SQL classification equals the one the unit tests use, for this unit and all.
  for (int64_t scope : {unit, int64_t{0}}) {
    for (int year : {2024, 2025, 2026}) {
      absl::StatusOr<std::vector<RequestTally>> sql =
          repo_->CountRequests(scope, YearRange::Of(year));
      ASSERT_THAT(sql, IsOk());
      if (scope == 0) continue;  // Other tests' rows are in the database, not in fake_.
      std::string diff;
      EXPECT_TRUE(SameMessage(
          BuildRequestTable(*sql, {}),
          BuildRequestTable(*fake_.CountRequests(scope, YearRange::Of(year)), {}), &diff))
          << "year " << year << ": " << diff;
    }
  }

  // The whole government sees the other unit's request too.
  absl::StatusOr<std::vector<RequestTally>> all = repo_->CountRequests(0, y2025);
  ASSERT_THAT(all, IsOk());
  EXPECT_GE(BuildRequestTable(*all, {}).new_requests().total(), 5);
}

TEST_F(AnnualReportRepositoryTest, AnswerWithoutOutcomeIsCaughtByTheInvariant) {
  const int64_t unit = NewUnit();
  auto conn = pool_->Acquire();
  ASSERT_TRUE(conn.ok());
  ASSERT_TRUE(
      (*conn)
          ->Execute("INSERT INTO disclosure_requests (unit_id, tracking_code, secret_sha256, "
                    "applicant_type, applicant_name, applicant_key, channel, state, subject, "
                    "received_on, clock_start_on, answered_on, created_by, create_time, "
                    "update_time) VALUES (?, 'AR-BROKEN', ?, 1, 'x', ?, 1, 1, 's', '2025-02-01', "
                    "'2025-02-01', '2025-02-03', 'test', ?, ?)",
                    {unit, std::string(64, 'a'), std::string(64, 'b'), absl::Now(), absl::Now()})
          .ok());
  absl::StatusOr<std::vector<RequestTally>> tallies =
      repo_->CountRequests(unit, YearRange::Of(2025));
  ASSERT_THAT(tallies, IsOk());
  EXPECT_THAT(
      CheckRequestTable(BuildRequestTable(*tallies, {})),
      StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("requests.natural_person")));
}

TEST_F(AnnualReportRepositoryTest, Table4CountsCasesFiledInTheYear) {
  const int64_t unit = NewUnit();
  AddChallenge({.unit_id = unit,
                .kind = v1::CHALLENGE_ADMINISTRATIVE_REVIEW,
                .result = v1::CHALLENGE_UPHELD,
                .filed_on = absl::CivilDay(2025, 1, 1),
                .decided_on = absl::CivilDay(2025, 12, 31)});
  AddChallenge({.unit_id = unit,
                .kind = v1::CHALLENGE_ADMINISTRATIVE_REVIEW,
                .result = v1::CHALLENGE_CORRECTED,
                .filed_on = absl::CivilDay(2025, 6, 1),
                .decided_on = absl::CivilDay(2026, 1, 1)});
  AddChallenge({.unit_id = unit,
                .kind = v1::CHALLENGE_LITIGATION_AFTER_REVIEW,
                .result = v1::CHALLENGE_PENDING,
                .filed_on = absl::CivilDay(2025, 9, 1)});
  AddChallenge({.unit_id = unit,
                .kind = v1::CHALLENGE_LITIGATION_DIRECT,
                .result = v1::CHALLENGE_CORRECTED,
                .filed_on = absl::CivilDay(2024, 12, 31),
                .decided_on = absl::CivilDay(2025, 3, 1)});
  absl::StatusOr<std::vector<ChallengeTally>> tallies =
      repo_->CountChallenges(unit, YearRange::Of(2025));
  ASSERT_THAT(tallies, IsOk());
  const v1::ChallengeTable t = BuildChallengeTable(*tallies);
  EXPECT_EQ(t.administrative_review().upheld(), 1);
  EXPECT_EQ(t.administrative_review().pending(), 1);
  EXPECT_EQ(t.administrative_review().total(), 2);
  EXPECT_EQ(t.litigation_after_review().pending(), 1);
  EXPECT_EQ(t.litigation_direct().total(), 0);
  std::string diff;
  EXPECT_TRUE(
      SameMessage(t, BuildChallengeTable(*fake_.CountChallenges(unit, YearRange::Of(2025))), &diff))
      << diff;
}

TEST_F(AnnualReportRepositoryTest, Table2CountsPublishedPolicyDocumentsInShanghaiTime) {
  const int64_t unit = NewUnit();
  const absl::TimeZone tz = ShanghaiTimeZone();
  // 2025-01-01 00:30 in Shanghai is still 2024 in UTC: counts for 2025.
  AddDocument(unit, true, v1::PUBLISHED,
              absl::FromCivil(absl::CivilSecond(2025, 1, 1, 0, 30, 0), tz));
  AddDocument(unit, true, v1::PUBLISHED,
              absl::FromCivil(absl::CivilSecond(2024, 12, 31, 23, 0, 0), tz));
  AddDocument(unit, false, v1::PUBLISHED,
              absl::FromCivil(absl::CivilSecond(2025, 5, 1, 9, 0, 0), tz));
  AddDocument(unit, true, v1::APPROVED, std::nullopt);
  AddDocument(unit, true, v1::PUBLISHED,
              absl::FromCivil(absl::CivilSecond(2026, 1, 1, 0, 0, 0), tz));
  absl::StatusOr<PolicyDocumentCounts> counts =
      repo_->CountPolicyDocuments(unit, YearRange::Of(2025));
  ASSERT_THAT(counts, IsOk());
  EXPECT_EQ(counts->published_in_year, 1);
  EXPECT_EQ(counts->published_by_year_end, 2);
}

// NAT-10 Table 2: a repeal on Dec 31 counts in that year and ends the document's force
// at its end; a repeal on Jan 1 leaves it in force at the end of the year before. The
// SQL agrees with RepealedInYear / InForceAtYearEnd (the fake).
TEST_F(AnnualReportRepositoryTest, Nat10RepealedAndInForceAtTheYearBoundaries) {
  const int64_t unit = NewUnit();
  const absl::Time published =
      absl::FromCivil(absl::CivilSecond(2025, 3, 1, 9, 0, 0), ShanghaiTimeZone());
  AddDocument(unit, true, v1::PUBLISHED, published, absl::CivilDay(2025, 12, 31));
  AddDocument(unit, true, v1::PUBLISHED, published, absl::CivilDay(2026, 1, 1));
  AddDocument(unit, true, v1::PUBLISHED, published, absl::CivilDay(2025, 1, 1));
  AddDocument(unit, true, v1::PUBLISHED, published);
  // Published in 2026: in force at neither year end before it.
  AddDocument(unit, true, v1::PUBLISHED,
              absl::FromCivil(absl::CivilSecond(2026, 1, 1, 0, 30, 0), ShanghaiTimeZone()));

  absl::StatusOr<PolicyDocumentCounts> y2025 =
      repo_->CountPolicyDocuments(unit, YearRange::Of(2025));
  ASSERT_THAT(y2025, IsOk());
  EXPECT_EQ(y2025->published_in_year, 4);
  EXPECT_EQ(y2025->repealed_in_year, 2);      // Jan 1 and Dec 31 2025.
  EXPECT_EQ(y2025->in_force_at_year_end, 2);  // Repealed Jan 1 2026, and never.

  absl::StatusOr<PolicyDocumentCounts> y2026 =
      repo_->CountPolicyDocuments(unit, YearRange::Of(2026));
  ASSERT_THAT(y2026, IsOk());
  EXPECT_EQ(y2026->published_in_year, 1);
  EXPECT_EQ(y2026->repealed_in_year, 1);      // Jan 1 2026.
  EXPECT_EQ(y2026->in_force_at_year_end, 2);  // Never repealed, and the 2026 one.

  for (int year : {2024, 2025, 2026}) {
    absl::StatusOr<PolicyDocumentCounts> fake =
        fake_.CountPolicyDocuments(unit, YearRange::Of(year));
    absl::StatusOr<PolicyDocumentCounts> sql =
        repo_->CountPolicyDocuments(unit, YearRange::Of(year));
    ASSERT_THAT(sql, IsOk());
    EXPECT_EQ(sql->repealed_in_year, fake->repealed_in_year) << year;
    EXPECT_EQ(sql->in_force_at_year_end, fake->in_force_at_year_end) << year;
    EXPECT_EQ(sql->published_in_year, fake->published_in_year) << year;
  }
}

TEST_F(AnnualReportRepositoryTest, UnitsAreFoundAndListed) {
  const int64_t unit = NewUnit(v1::UNIT_LEVEL_COUNTY);
  absl::StatusOr<std::optional<ReportUnit>> found = repo_->FindUnit(unit);
  ASSERT_THAT(found, IsOk());
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->level, v1::UNIT_LEVEL_COUNTY);
  absl::StatusOr<std::optional<ReportUnit>> missing = repo_->FindUnit(987654);
  ASSERT_THAT(missing, IsOk());
  EXPECT_FALSE(missing->has_value());
  absl::StatusOr<std::vector<ReportUnit>> units = repo_->ListUnits();
  ASSERT_THAT(units, IsOk());
  EXPECT_EQ(units->back().id, unit);
}

TEST_F(AnnualReportRepositoryTest, DraftsAreVersionedAndPublicationIsFinal) {
  const int64_t unit = NewUnit();
  const absl::Time t0 = absl::FromUnixMicros(1737000000123456);
  v1::AnnualReportInputs inputs;
  inputs.set_overview("总体情况：<良好>");
  inputs.mutable_opening_carried_over()->set_business(2);
  absl::StatusOr<StoredReport> first =
      repo_->SaveDraft(2024, unit, inputs, 0, {"alice", "save", "", t0});
  ASSERT_THAT(first, IsOk());
  EXPECT_EQ(first->version, 1);
  EXPECT_EQ(first->state, v1::ANNUAL_REPORT_DRAFT);
  EXPECT_EQ(first->inputs.overview(), "总体情况：<良好>");
  EXPECT_TRUE(first->inputs.has_opening_carried_over());
  EXPECT_EQ(first->update_time, t0);

  // A second insert (a concurrent first save) and a stale update are ABORTED.
  EXPECT_THAT(repo_->SaveDraft(2024, unit, inputs, 0, {"bob", "save", "", t0}),
              StatusIs(absl::StatusCode::kAborted, HasSubstr("concurrently")));
  EXPECT_THAT(repo_->SaveDraft(2024, unit, inputs, 7, {"bob", "save", "", t0}),
              StatusIs(absl::StatusCode::kAborted, HasSubstr("version 7")));
  inputs.set_licensing_decisions(3);
  absl::StatusOr<StoredReport> second =
      repo_->SaveDraft(2024, unit, inputs, 1, {"alice", "save", "", t0});
  ASSERT_THAT(second, IsOk());
  EXPECT_EQ(second->version, 2);
  EXPECT_EQ(second->id, first->id);

  v1::AnnualReport snapshot;
  snapshot.set_year(2024);
  snapshot.set_unit_id(unit);
  *snapshot.mutable_inputs() = inputs;
  const absl::Time t1 = t0 + absl::Hours(1);
  absl::StatusOr<StoredReport> published = Publish(snapshot, 2, 77, "carol", t1);
  ASSERT_THAT(published, IsOk());
  EXPECT_EQ(published->state, v1::ANNUAL_REPORT_PUBLISHED);
  EXPECT_EQ(published->document_id, 77);
  EXPECT_EQ(published->publish_time, t1);
  ASSERT_TRUE(published->snapshot.has_value());
  EXPECT_EQ(published->snapshot->inputs().licensing_decisions(), 3);
  EXPECT_EQ(published->snapshot->version(), 5);  // Freeze, document, complete.

  // Published is final: saving at the current version is refused.
  EXPECT_THAT(repo_->SaveDraft(2024, unit, inputs, 5, {"alice", "save", "", t1}),
              StatusIs(absl::StatusCode::kAborted, HasSubstr("no longer the draft")));

  // Audit: one row per successful write.
  auto conn = pool_->Acquire();
  ASSERT_TRUE(conn.ok());
  auto audit = (*conn)->Query(
      "SELECT actor, action FROM annual_report_audit WHERE report_id = ? ORDER BY id", {first->id});
  ASSERT_TRUE(audit.ok());
  ASSERT_EQ(audit->size(), 5u);
  EXPECT_EQ(*(*audit)[4].GetString("actor"), "carol");
  EXPECT_EQ(*(*audit)[4].GetString("action"), "publish");
}

TEST_F(AnnualReportRepositoryTest, ListReportsFiltersAndPages) {
  const int64_t a = NewUnit();
  const int64_t b = NewUnit();
  const absl::Time t = absl::FromUnixMicros(1737000000000000);
  ASSERT_THAT(repo_->SaveDraft(2019, a, {}, 0, {"x", "save", "", t}), IsOk());
  v1::AnnualReport snapshot;
  snapshot.set_year(2019);
  snapshot.set_unit_id(b);
  ASSERT_THAT(Publish(snapshot, 0, 1, "x", t), IsOk());

  absl::StatusOr<std::vector<StoredReport>> published = repo_->ListReports(2019, false, 0, 10);
  ASSERT_THAT(published, IsOk());
  ASSERT_THAT(*published, SizeIs(1));
  EXPECT_EQ((*published)[0].unit_id, b);

  absl::StatusOr<std::vector<StoredReport>> all = repo_->ListReports(2019, true, 0, 1);
  ASSERT_THAT(all, IsOk());
  ASSERT_THAT(*all, SizeIs(1));
  EXPECT_EQ((*all)[0].unit_id, b);  // Newest first.
  absl::StatusOr<std::vector<StoredReport>> next = repo_->ListReports(2019, true, (*all)[0].id, 5);
  ASSERT_THAT(next, IsOk());
  ASSERT_THAT(*next, SizeIs(1));
  EXPECT_EQ((*next)[0].unit_id, a);
}

// CAT-9: the publication is frozen first (PUBLISHING), then gets its document, then is
// completed; every step is version-checked, and a refused one writes nothing.
TEST_F(AnnualReportRepositoryTest, CAT9_PublicationStepsRoundTripAndRefuseStaleVersions) {
  const int64_t unit = NewUnit();
  const absl::Time t0 = absl::FromUnixMicros(1737100000654321);
  v1::AnnualReportInputs inputs;
  inputs.set_licensing_decisions(9);
  ASSERT_THAT(repo_->SaveDraft(2023, unit, inputs, 0, {"alice", "save", "", t0}), IsOk());

  v1::AnnualReport snapshot;
  snapshot.set_year(2023);
  snapshot.set_unit_id(unit);
  snapshot.set_unit_name("单位");
  snapshot.set_state(v1::ANNUAL_REPORT_PUBLISHING);
  *snapshot.mutable_inputs() = inputs;
  snapshot.mutable_requests()->mutable_new_requests()->set_total(12);
  snapshot.set_published_by("bob");
  snapshot.set_publishing_unit_id(unit);
  snapshot.set_document_title("单位2023年政府信息公开工作年度报告");
  const absl::Time t1 = t0 + absl::Minutes(1);
  absl::StatusOr<StoredReport> frozen =
      repo_->StartPublication(snapshot, 1, {"bob", "publish_started", "", t1});
  ASSERT_THAT(frozen, IsOk());
  EXPECT_EQ(frozen->state, v1::ANNUAL_REPORT_PUBLISHING);
  EXPECT_EQ(frozen->version, 2);
  EXPECT_EQ(frozen->document_id, 0);
  EXPECT_EQ(frozen->publish_time, t1);
  EXPECT_EQ(frozen->publication_started_by, "bob");
  EXPECT_EQ(frozen->publication_started_at, t1);
  ASSERT_TRUE(frozen->snapshot.has_value());
  EXPECT_EQ(frozen->snapshot->state(), v1::ANNUAL_REPORT_PUBLISHING);
  EXPECT_EQ(frozen->snapshot->requests().new_requests().total(), 12);
  EXPECT_EQ(frozen->snapshot->document_title(), "单位2023年政府信息公开工作年度报告");
  EXPECT_EQ(frozen->snapshot->version(), 2);

  // Nothing below may write: stale versions and wrong states are ABORTED.
  const absl::Time t2 = t1 + absl::Minutes(5);
  EXPECT_THAT(repo_->SaveDraft(2023, unit, inputs, 2, {"alice", "save", "", t2}),
              StatusIs(absl::StatusCode::kAborted, HasSubstr("no longer the draft")));
  EXPECT_THAT(repo_->StartPublication(snapshot, 2, {"carol", "publish_started", "", t2}),
              StatusIs(absl::StatusCode::kAborted, HasSubstr("no longer the draft")));
  EXPECT_THAT(repo_->TakeOverPublication(2023, unit, 1, {"carol", "publish_taken_over", "", t2}),
              StatusIs(absl::StatusCode::kAborted, HasSubstr("at version 1")));
  EXPECT_THAT(
      repo_->RecordPublicationDocument(2023, unit, 88, 7, {"bob", "publish_document", "", t2}),
      StatusIs(absl::StatusCode::kAborted, HasSubstr("at version 7")));
  EXPECT_THAT(repo_->CompletePublication(2023, unit, 2, {"bob", "publish", "", t2}),
              StatusIs(absl::StatusCode::kAborted, HasSubstr("with a document")));
  absl::StatusOr<std::optional<StoredReport>> unchanged = repo_->FindReport(2023, unit);
  ASSERT_THAT(unchanged, IsOk());
  ASSERT_TRUE(unchanged->has_value());
  EXPECT_EQ((*unchanged)->version, 2);
  EXPECT_EQ((*unchanged)->publication_started_by, "bob");
  EXPECT_EQ((*unchanged)->update_time, t1);
  EXPECT_THAT(AuditActions(frozen->id), ElementsAre("save", "publish_started"));

  // A report being published is not in the public list; supervisors see it.
  absl::StatusOr<std::vector<StoredReport>> listed = repo_->ListReports(2023, false, 0, 100);
  ASSERT_THAT(listed, IsOk());
  for (const StoredReport& r : *listed) EXPECT_NE(r.unit_id, unit);
  absl::StatusOr<std::vector<StoredReport>> all = repo_->ListReports(2023, true, 0, 100);
  ASSERT_THAT(all, IsOk());
  bool seen = false;
  for (const StoredReport& r : *all) {
    if (r.unit_id != unit) continue;
    seen = true;
    EXPECT_EQ(r.state, v1::ANNUAL_REPORT_PUBLISHING);
  }
  EXPECT_TRUE(seen);

  // The lease moves to carol.
  absl::StatusOr<StoredReport> taken =
      repo_->TakeOverPublication(2023, unit, 2, {"carol", "publish_taken_over", "from bob", t2});
  ASSERT_THAT(taken, IsOk());
  EXPECT_EQ(taken->version, 3);
  EXPECT_EQ(taken->publication_started_by, "carol");
  EXPECT_EQ(taken->publication_started_at, t2);
  EXPECT_EQ(taken->publish_time, t1);  // The frozen report's time does not move.

  absl::StatusOr<StoredReport> recorded = repo_->RecordPublicationDocument(
      2023, unit, 88, 3, {"carol", "publish_document", "document 88", t2});
  ASSERT_THAT(recorded, IsOk());
  EXPECT_EQ(recorded->document_id, 88);
  EXPECT_EQ(recorded->snapshot->document_id(), 88);
  EXPECT_EQ(recorded->state, v1::ANNUAL_REPORT_PUBLISHING);
  // Once the document is recorded it is the one: no second document, no take-over.
  EXPECT_THAT(
      repo_->RecordPublicationDocument(2023, unit, 89, 4, {"x", "publish_document", "", t2}),
      StatusIs(absl::StatusCode::kAborted, HasSubstr("without a document")));
  EXPECT_THAT(repo_->TakeOverPublication(2023, unit, 4, {"x", "publish_taken_over", "", t2}),
              StatusIs(absl::StatusCode::kAborted, HasSubstr("without a document")));
  EXPECT_THAT(repo_->CompletePublication(2023, unit, 3, {"carol", "publish", "", t2}),
              StatusIs(absl::StatusCode::kAborted, HasSubstr("at version 3")));

  const absl::Time t3 = t2 + absl::Seconds(3);
  absl::StatusOr<StoredReport> published =
      repo_->CompletePublication(2023, unit, 4, {"carol", "publish", "document 88", t3});
  ASSERT_THAT(published, IsOk());
  EXPECT_EQ(published->state, v1::ANNUAL_REPORT_PUBLISHED);
  EXPECT_EQ(published->version, 5);
  EXPECT_EQ(published->document_id, 88);
  EXPECT_EQ(published->publish_time, t1);
  EXPECT_EQ(published->update_time, t3);
  ASSERT_TRUE(published->snapshot.has_value());
  EXPECT_EQ(published->snapshot->state(), v1::ANNUAL_REPORT_PUBLISHED);
  EXPECT_EQ(published->snapshot->document_id(), 88);
  EXPECT_EQ(published->snapshot->requests().new_requests().total(), 12);
  EXPECT_EQ(published->snapshot->published_by(), "bob");
  EXPECT_THAT(repo_->CompletePublication(2023, unit, 5, {"carol", "publish", "", t3}),
              StatusIs(absl::StatusCode::kAborted, testing::_));
  EXPECT_THAT(
      AuditActions(published->id),
      ElementsAre("save", "publish_started", "publish_taken_over", "publish_document", "publish"));

  // The stored blob itself is the published report (read back through the public list).
  absl::StatusOr<std::vector<StoredReport>> public_list = repo_->ListReports(2023, false, 0, 100);
  ASSERT_THAT(public_list, IsOk());
  seen = false;
  for (const StoredReport& r : *public_list) {
    if (r.unit_id != unit) continue;
    seen = true;
    EXPECT_EQ(r.snapshot->state(), v1::ANNUAL_REPORT_PUBLISHED);
    EXPECT_EQ(r.snapshot->document_id(), 88);
  }
  EXPECT_TRUE(seen);
}

TEST_F(AnnualReportRepositoryTest, CAT9_FreezingWithoutADraftInsertsOnceOnly) {
  const int64_t unit = NewUnit();
  const absl::Time t = absl::FromUnixMicros(1737200000000000);
  v1::AnnualReport snapshot;
  snapshot.set_year(2022);
  snapshot.set_unit_id(unit);
  absl::StatusOr<StoredReport> frozen =
      repo_->StartPublication(snapshot, 0, {"bob", "publish_started", "", t});
  ASSERT_THAT(frozen, IsOk());
  EXPECT_EQ(frozen->version, 1);
  EXPECT_EQ(frozen->state, v1::ANNUAL_REPORT_PUBLISHING);
  // A concurrent first publication (or save) loses and writes nothing.
  EXPECT_THAT(repo_->StartPublication(snapshot, 0, {"carol", "publish_started", "", t}),
              StatusIs(absl::StatusCode::kAborted, HasSubstr("concurrently")));
  EXPECT_THAT(repo_->SaveDraft(2022, unit, {}, 0, {"carol", "save", "", t}),
              StatusIs(absl::StatusCode::kAborted, HasSubstr("concurrently")));
  EXPECT_THAT(repo_->RecordPublicationDocument(2022, unit, 0, 1, {"bob", "x", "", t}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("document id 0")));
  EXPECT_THAT(AuditActions(frozen->id), ElementsAre("publish_started"));
  absl::StatusOr<std::optional<StoredReport>> stored = repo_->FindReport(2022, unit);
  ASSERT_THAT(stored, IsOk());
  ASSERT_TRUE(stored->has_value());
  EXPECT_EQ((*stored)->version, 1);
  EXPECT_EQ((*stored)->publication_started_by, "bob");
}

}  // namespace
}  // namespace gongkai::catalog::annual_report
