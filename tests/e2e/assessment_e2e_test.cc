// End-to-end tests (label: e2e) of gongkai-assessment beside the real catalog: scores that
// follow from data entered through the catalog's public API (items 3, 4, 5, 11, 14 by
// GetComplianceEvidence, called as a service principal), item 13 from the assessment's
// own training records, the catalog stopped during a run (its items "evidence
// unavailable", the run completes when it returns), and a draw checked by anyone (ASM-2).
//
// The services not built on this branch (consultation, interpretation, opinion,
// website) get an address where nothing listens; the scheme version this test puts
// routes their items to inspectors, so runs can complete (which service answers which
// item is data). assessment_six_services_e2e_test.cc runs the shipped scheme with all six.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <functional>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gongkai/assessment/v1/assessment.grpc.pb.h"
#include "gongkai/catalog/v1/catalog.grpc.pb.h"
#include "gongkai/common/v1/compliance_evidence.grpc.pb.h"
#include "gongkai/common/v1/rule_sets.grpc.pb.h"
#include "libs/db/testing/status_matchers.h"
#include "nlohmann/json.hpp"
#include "services/assessment/draw_function.h"
#include "tests/e2e/assessment_under_test.h"
#include "tests/e2e/catalog_under_test.h"
#include "tests/e2e/grpc_call.h"
#include "tests/e2e/stand_in_calendar.h"

namespace gongkai::e2e {
namespace {

namespace av1 = ::gongkai::assessment::v1;
namespace cv1 = ::gongkai::catalog::v1;
using AssessmentStub = av1::AssessmentService::Stub;
using CatalogStub = cv1::CatalogService::Stub;
using ::gongkai::db::testing::StatusIs;
using ::testing::HasSubstr;

bool WaitUntil(const std::function<bool()>& done, absl::Duration timeout = absl::Seconds(120)) {
  const absl::Time give_up = absl::Now() + timeout;
  while (!done()) {
    if (absl::Now() > give_up) return false;
    absl::SleepFor(absl::Milliseconds(200));
  }
  return true;
}

// The shipped scheme with every item of a service that does not run here routed to
// inspectors, as version 2 from 2020 (data, put through the admin API).
std::string CatalogOnlySchemeJson() {
  std::ifstream in(std::string(GONGKAI_ASSESSMENT_RULES_DIR) + "/assessment.scheme.v1.json");
  std::stringstream text;
  text << in.rdbuf();
  nlohmann::json scheme = nlohmann::json::parse(text.str());
  scheme["version"] = 2;
  scheme["basis"] = "e2e: only the catalog and the assessment itself run";
  for (auto& [key, rule] : scheme["rules"].items()) {
    if (key.size() > 7 && key.substr(key.size() - 7) == ".source") {
      const std::string source = rule["value"];
      if (source != "catalog" && source != "assessment") rule["value"] = "inspector";
    }
  }
  return scheme.dump();
}

class AssessmentE2eTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<std::unique_ptr<CatalogUnderTest>> catalog =
        CatalogUnderTest::Start("asmcat", {{"GONGKAI_CALENDAR_DIR", StandInCalendarDir()}});
    ASSERT_TRUE(catalog.ok()) << catalog.status();
    catalog_ = catalog->release();
    catalog_address_ = catalog_->service().grpc_address();
    absl::StatusOr<std::unique_ptr<E2eDatabase>> database = E2eDatabase::Create("assessment");
    ASSERT_TRUE(database.ok()) << database.status();
    database_ = database->release();
    std::map<std::string, std::string> peers = AbsentPeers();
    peers["catalog"] = catalog_address_;
    absl::StatusOr<std::unique_ptr<ServiceProcess>> assessment =
        StartAssessment(*catalog_, *database_, peers);
    ASSERT_TRUE(assessment.ok()) << assessment.status();
    assessment_ = assessment->release();
    // The scheme of this test (ADR 0019: put by an ADMIN at run time).
    auto rules = common::v1::RuleSetService::NewStub(
        grpc::CreateChannel(assessment_->grpc_address(), grpc::InsecureChannelCredentials()));
    common::v1::PutRuleSetRequest put;
    put.set_rule_set_json(CatalogOnlySchemeJson());
    absl::StatusOr<common::v1::PutRuleSetResponse> stored =
        UnaryCall(*rules, &common::v1::RuleSetService::Stub::PutRuleSet, Admin(), put);
    ASSERT_TRUE(stored.ok()) << stored.status();
  }

  static void TearDownTestSuite() {
    delete assessment_;
    delete database_;
    delete restarted_catalog_;
    delete catalog_;
  }

  static std::string Admin() { return catalog_->Token("root", std::nullopt, {"ADMIN"}); }
  static std::string Office() { return catalog_->Token("office", std::nullopt, {"OFFICE"}); }
  static std::string Staff(int64_t unit) {
    return catalog_->Token(absl::StrCat("clerk-", unit), unit, {"STAFF"});
  }

  std::unique_ptr<AssessmentStub> Assessment() {
    return av1::AssessmentService::NewStub(
        grpc::CreateChannel(assessment_->grpc_address(), grpc::InsecureChannelCredentials()));
  }
  std::unique_ptr<CatalogStub> Catalog() {
    return cv1::CatalogService::NewStub(
        grpc::CreateChannel(catalog_address_, grpc::InsecureChannelCredentials()));
  }

  int64_t CreateUnit(const std::string& code, const std::string& name) {
    cv1::CreateUnitRequest request;
    request.set_request_id(code);
    request.mutable_unit()->set_code(code);
    request.mutable_unit()->set_name(name);
    request.mutable_unit()->set_level(cv1::UNIT_LEVEL_DEPARTMENT);
    absl::StatusOr<cv1::Unit> unit =
        UnaryCall(*Catalog(), &CatalogStub::CreateUnit, Admin(), request);
    EXPECT_TRUE(unit.ok()) << unit.status();
    return unit.ok() ? unit->id() : 0;
  }

  void Draft(int64_t unit, cv1::DisclosureAttribute attribute) {
    cv1::CreateDocumentRequest request;
    cv1::Document& d = *request.mutable_document();
    d.set_title("关于做好义务教育招生工作的通知");
    d.set_body("为做好本年度义务教育招生工作，现将有关事项通知如下。");
    d.set_drafting_unit_id(unit);
    d.set_issuing_authority(cv1::DEPARTMENT);
    d.set_key_area(cv1::EDUCATION);
    d.set_disclosure_attribute(attribute);
    ASSERT_TRUE(UnaryCall(*Catalog(), &CatalogStub::CreateDocument, Staff(unit), request).ok());
  }

  av1::AssessmentRun StartRun(int year, const std::string& request_id) {
    av1::StartAssessmentRunRequest request;
    request.set_year(year);
    request.set_request_id(request_id);
    absl::StatusOr<av1::AssessmentRun> run =
        UnaryCall(*Assessment(), &AssessmentStub::StartAssessmentRun, Office(), request);
    EXPECT_TRUE(run.ok()) << run.status();
    return run.ok() ? *run : av1::AssessmentRun();
  }
  av1::AssessmentRun GetRun(int64_t id) {
    av1::GetAssessmentRunRequest request;
    request.set_id(id);
    absl::StatusOr<av1::AssessmentRun> run =
        UnaryCall(*Assessment(), &AssessmentStub::GetAssessmentRun, Office(), request);
    return run.ok() ? *run : av1::AssessmentRun();
  }
  av1::AssessmentRun WaitFinished(int64_t id) {
    av1::AssessmentRun run;
    EXPECT_TRUE(WaitUntil([&] {
      run = GetRun(id);
      return run.state() == av1::COMPLETED || run.state() == av1::INCOMPLETE;
    })) << run.DebugString();
    return run;
  }
  absl::StatusOr<av1::UnitScore> Score(int64_t run_id, int64_t unit_id) {
    av1::GetUnitScoreRequest request;
    request.set_run_id(run_id);
    request.set_unit_id(unit_id);
    return UnaryCall(*Assessment(), &AssessmentStub::GetUnitScore, Office(), request);
  }
  static const av1::ItemScore& Item(const av1::UnitScore& score, int item) {
    for (const av1::ItemScore& s : score.items()) {
      if (s.item() == item) return s;
    }
    static const av1::ItemScore* none = new av1::ItemScore();
    return *none;
  }

  // Starts a catalog on the stopped one's database and port (its data intact).
  static absl::StatusOr<std::unique_ptr<ServiceProcess>> RestartCatalog() {
    ServiceProcess::Options options;
    options.binary = GONGKAI_CATALOG_BINARY;
    options.env = catalog_->database().ServiceEnv();
    options.env["GONGKAI_GRPC_ADDRESS"] = catalog_address_;
    options.env["GONGKAI_METRICS_ADDRESS"] = "127.0.0.1:0";
    options.env["GONGKAI_JWT_HS256_SECRET"] = catalog_->jwt_secret();
    options.env["GONGKAI_JWT_ISSUER"] = kE2eIssuer;
    options.env["GONGKAI_JWT_AUDIENCE"] = kE2eAudience;
    options.env["GONGKAI_DB_POOL_SIZE"] = "4";
    options.env["GONGKAI_PEERS"] = "interpretation=127.0.0.1:1";  // the INT-3 gate; unused here
    options.env["GONGKAI_APPLICANT_KEY_SECRET"] =
        absl::StrCat(catalog_->jwt_secret(), "-applicants");
    options.env["GONGKAI_CALENDAR_DIR"] = StandInCalendarDir();
    return ServiceProcess::Start(std::move(options));
  }

  static CatalogUnderTest* catalog_;
  static std::string catalog_address_;
  static E2eDatabase* database_;
  static ServiceProcess* assessment_;
  static ServiceProcess* restarted_catalog_;
};

CatalogUnderTest* AssessmentE2eTest::catalog_ = nullptr;
std::string AssessmentE2eTest::catalog_address_;
E2eDatabase* AssessmentE2eTest::database_ = nullptr;
ServiceProcess* AssessmentE2eTest::assessment_ = nullptr;
ServiceProcess* AssessmentE2eTest::restarted_catalog_ = nullptr;

TEST_F(AssessmentE2eTest, Asm6ScoresFollowFromDataEnteredThroughTheCatalogsApi) {
  const int year = static_cast<int>(absl::ToCivilYear(absl::Now(), absl::UTCTimeZone()).year());
  const int64_t careless = CreateUnit("ASM-E2E-A", "甲局");
  const int64_t careful = CreateUnit("ASM-E2E-B", "乙局");
  Draft(careless, cv1::DISCLOSURE_ATTRIBUTE_UNSPECIFIED);
  Draft(careless, cv1::DISCLOSURE_ATTRIBUTE_UNSPECIFIED);
  Draft(careful, cv1::PROACTIVE);

  const av1::AssessmentRun started = StartRun(year, "e2e-run-1");
  const av1::AssessmentRun run = WaitFinished(started.id());
  ASSERT_EQ(run.state(), av1::COMPLETED) << run.DebugString();
  EXPECT_EQ(run.rule_set(), "assessment.scheme@2");
  absl::StatusOr<av1::UnitScore> a = Score(run.id(), careless);
  absl::StatusOr<av1::UnitScore> b = Score(run.id(), careful);
  ASSERT_TRUE(a.ok() && b.ok()) << a.status() << b.status();
  // Item 4 (disclosure attribute): 1 point off per draft without one (the scheme's rule).
  EXPECT_EQ(Item(*a, 4).status(), av1::SCORED);
  EXPECT_DOUBLE_EQ(Item(*a, 4).points(), 6);
  EXPECT_DOUBLE_EQ(Item(*b, 4).points(), 8);
  EXPECT_THAT(Item(*a, 4).explanation(), HasSubstr("documents_without_attribute"));
  EXPECT_EQ(Item(*a, 4).source(), "catalog");
  // Item 13 from the assessment's own records: no training plan yet.
  EXPECT_EQ(Item(*a, 13).status(), av1::SCORED);
  EXPECT_EQ(Item(*a, 13).source(), "assessment");
  EXPECT_EQ(Item(*a, 1).status(), av1::AWAITING_INSPECTOR);
  EXPECT_LT(b->rank(), a->rank());
  av1::ExportUnitScoresRequest export_request;
  export_request.set_run_id(run.id());
  absl::StatusOr<av1::ExportUnitScoresResponse> csv =
      UnaryCall(*Assessment(), &AssessmentStub::ExportUnitScores, Office(), export_request);
  ASSERT_TRUE(csv.ok()) << csv.status();
  EXPECT_THAT(csv->csv(), HasSubstr("ASM-E2E-A,甲局"));
  // A unit's staff may see their own unit's score, not another's; nobody without a token.
  EXPECT_TRUE(UnaryCall(*Assessment(), &AssessmentStub::GetUnitScore, Staff(careless),
                        [&] {
                          av1::GetUnitScoreRequest r;
                          r.set_run_id(run.id());
                          r.set_unit_id(careless);
                          return r;
                        }())
                  .ok());
  av1::GetUnitScoreRequest other;
  other.set_run_id(run.id());
  other.set_unit_id(careful);
  EXPECT_THAT(
      UnaryCall(*Assessment(), &AssessmentStub::GetUnitScore, Staff(careless), other).status(),
      StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("own unit")));
  EXPECT_THAT(UnaryCall(*Assessment(), &AssessmentStub::GetUnitScore, "", other).status(),
              StatusIs(absl::StatusCode::kUnauthenticated, HasSubstr("")));
}

TEST_F(AssessmentE2eTest, Asm6TheCatalogStoppedDuringARunMakesItsItemsUnavailableUntilItReturns) {
  const int64_t unit = CreateUnit("ASM-E2E-C", "丙局");
  // A first run while everything is up (the unit directory has its snapshot).
  ASSERT_EQ(WaitFinished(StartRun(2024, "e2e-run-2024").id()).state(), av1::COMPLETED);

  ASSERT_TRUE(catalog_->service().Stop().ok());
  const av1::AssessmentRun started = StartRun(2025, "e2e-run-2025");
  av1::AssessmentRun run;
  ASSERT_TRUE(WaitUntil([&] {
    run = GetRun(started.id());
    return run.attempts() >= 1 && run.items_unavailable() > 0;
  })) << run.DebugString();
  EXPECT_EQ(run.state(), av1::RUNNING);
  EXPECT_THAT(run.progress(), HasSubstr("awaiting evidence from catalog"));
  absl::StatusOr<av1::UnitScore> waiting = Score(run.id(), unit);
  ASSERT_TRUE(waiting.ok()) << waiting.status();
  EXPECT_EQ(Item(*waiting, 4).status(), av1::EVIDENCE_UNAVAILABLE);
  EXPECT_THAT(Item(*waiting, 4).unavailable_reason(), HasSubstr("catalog"));
  EXPECT_EQ(Item(*waiting, 13).status(), av1::SCORED);  // Not the catalog's item.
  EXPECT_FALSE(waiting->complete());

  absl::StatusOr<std::unique_ptr<ServiceProcess>> restarted = RestartCatalog();
  ASSERT_TRUE(restarted.ok()) << restarted.status();
  restarted_catalog_ = restarted->release();
  run = WaitFinished(started.id());
  EXPECT_EQ(run.state(), av1::COMPLETED) << run.DebugString();
  EXPECT_GE(run.attempts(), 2);
  absl::StatusOr<av1::UnitScore> done = Score(run.id(), unit);
  ASSERT_TRUE(done.ok());
  EXPECT_EQ(Item(*done, 4).status(), av1::SCORED);
  EXPECT_DOUBLE_EQ(Item(*done, 4).points(), 8);
}

TEST_F(AssessmentE2eTest, Asm2ADrawIsCommittedDrawnOnceAndVerifiableByAnyone) {
  av1::CreateDrawRequest create;
  create.set_request_id("e2e-draw");
  create.set_title("政务公开“三随机”抽查");
  for (int64_t id : {11, 12, 13, 14, 15}) create.mutable_inputs()->add_unit_ids(id);
  for (int item : {3, 4, 5})
    create.mutable_inputs()->add_items(static_cast<common::v1::InspectionItem>(item));
  av1::TimeWindow* window = create.mutable_inputs()->add_windows();
  window->mutable_start()->set_year(2026);
  window->mutable_start()->set_month(1);
  window->mutable_start()->set_day(1);
  window->mutable_end()->set_year(2026);
  window->mutable_end()->set_month(6);
  window->mutable_end()->set_day(30);
  create.mutable_inputs()->set_units_to_pick(2);
  create.mutable_inputs()->set_items_to_pick(1);
  create.mutable_inputs()->set_windows_to_pick(1);
  absl::StatusOr<av1::Draw> committed =
      UnaryCall(*Assessment(), &AssessmentStub::CreateDraw, Office(), create);
  ASSERT_TRUE(committed.ok()) << committed.status();
  EXPECT_TRUE(committed->seed().empty());
  av1::PerformDrawRequest perform;
  perform.set_id(committed->id());
  ASSERT_TRUE(UnaryCall(*Assessment(), &AssessmentStub::PerformDraw, Office(), perform).ok());
  EXPECT_THAT(UnaryCall(*Assessment(), &AssessmentStub::PerformDraw, Office(), perform).status(),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("never repeated")));
  av1::GetDrawRequest get;
  get.set_id(committed->id());
  absl::StatusOr<av1::Draw> published = UnaryCall(*Assessment(), &AssessmentStub::GetDraw, "", get);
  ASSERT_TRUE(published.ok()) << published.status();
  EXPECT_EQ(published->commitment(), committed->commitment());
  EXPECT_TRUE(assessment::VerifyDraw(*published).ok()) << assessment::VerifyDraw(*published);
}

TEST_F(AssessmentE2eTest, Asm6TheAssessmentAnswersItem13ThroughTheSharedEvidenceCall) {
  auto stub = common::v1::ComplianceEvidenceService::NewStub(
      grpc::CreateChannel(assessment_->grpc_address(), grpc::InsecureChannelCredentials()));
  common::v1::GetComplianceEvidenceRequest request;
  request.set_unit_id(1);
  request.mutable_period_start()->set_year(2025);
  request.mutable_period_start()->set_month(1);
  request.mutable_period_start()->set_day(1);
  request.mutable_period_end()->set_year(2025);
  request.mutable_period_end()->set_month(12);
  request.mutable_period_end()->set_day(31);
  absl::StatusOr<common::v1::ComplianceEvidence> evidence =
      UnaryCall(*stub, &common::v1::ComplianceEvidenceService::Stub::GetComplianceEvidence,
                catalog_->Token("li", std::nullopt, {"INSPECTOR"}), request);
  ASSERT_TRUE(evidence.ok()) << evidence.status();
  EXPECT_EQ(evidence->service(), "assessment");
  ASSERT_EQ(evidence->items_size(), 1);
  EXPECT_EQ(evidence->items(0).item(), common::v1::TRAINING);
}

TEST_F(AssessmentE2eTest, TheDemoLoaderEntersItsDataThroughThePublicApiTwiceWithoutChange) {
  CreateUnit("ASM-E2E-DEMO", "演示局");
  const std::string secret_file = absl::StrCat(::testing::TempDir(), "/asm-demo-secret");
  std::ofstream(secret_file) << catalog_->jwt_secret();
  const std::string command =
      absl::StrCat(GONGKAI_ASSESSMENT_DEMO_BINARY, " --target=", assessment_->grpc_address(),
                   " --secret_file=", secret_file, " --issuer=", kE2eIssuer,
                   " --audience=", kE2eAudience, " >/dev/null");
  ASSERT_EQ(std::system(command.c_str()), 0);
  ASSERT_EQ(std::system(command.c_str()), 0);  // Idempotent: fixed request ids.
  av1::ListPublicNoticesRequest notices;
  absl::StatusOr<av1::ListPublicNoticesResponse> published =
      UnaryCall(*Assessment(), &AssessmentStub::ListPublicNotices, "", notices);
  ASSERT_TRUE(published.ok()) << published.status();
  int spot_checks = 0;
  for (const av1::PublicNotice& notice : published->notices())
    spot_checks += notice.kind() == av1::SPOT_CHECK;
  EXPECT_EQ(spot_checks, 1);
}

TEST_F(AssessmentE2eTest, BadInputAndWrongRolesAreRefusedWithTheirFieldsNamed) {
  av1::StartAssessmentRunRequest request;
  request.set_year(1999);
  EXPECT_THAT(ViolatedFields(
                  UnaryCall(*Assessment(), &AssessmentStub::StartAssessmentRun, Office(), request)
                      .status()),
              ::testing::ElementsAre("year"));
  request.set_year(2026);
  EXPECT_THAT(
      UnaryCall(*Assessment(), &AssessmentStub::StartAssessmentRun, Staff(1), request).status(),
      StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("")));
  av1::GetAssessmentRunRequest missing;
  missing.set_id(999999);
  EXPECT_THAT(
      UnaryCall(*Assessment(), &AssessmentStub::GetAssessmentRun, Office(), missing).status(),
      StatusIs(absl::StatusCode::kNotFound, HasSubstr("999999")));
}

}  // namespace
}  // namespace gongkai::e2e
