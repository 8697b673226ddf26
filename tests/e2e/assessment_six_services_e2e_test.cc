// End-to-end test (label: e2e) of the assessment with all six services running: the
// shipped scheme (rules/assessment.scheme.v1.json) routes items 3-5, 11, 14 to the
// catalog, 9 to interpretation, 7, 8, 12 to consultation, 10 to opinion, 6 to website
// and 13 to the assessment itself; a run over every unit must read every one of them
// (no item EVIDENCE_UNAVAILABLE) and complete, and the scores follow from data entered
// through the services' public APIs.
//
// Registered only when every service is built (tests/e2e/CMakeLists.txt), i.e. after the
// lead has merged the other services' branches. TO COMPLETE AFTER THE MERGE: in
// EnterDataThroughThePublicApis(), enter for unit `careless` one record per service that
// its indicators count against the unit (an interpretation missing, a consultation with
// a short comment period, an opinion event answered late, a site finding) and add each
// indicator's deduction to rules/assessment.scheme.v1.json (a new version: items 6-10
// and 12 deduct nothing in v1, because their indicator names were not known when it was
// written); then assert the points of those items below as item 4's are.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gongkai/assessment/v1/assessment.grpc.pb.h"
#include "gongkai/catalog/v1/catalog.grpc.pb.h"
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

struct PeerService {
  std::string name;
  std::string binary;
};

class SixServicesE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<CatalogUnderTest>> catalog =
        CatalogUnderTest::Start("asm6cat", {{"GONGKAI_CALENDAR_DIR", StandInCalendarDir()}});
    ASSERT_TRUE(catalog.ok()) << catalog.status();
    catalog_ = *std::move(catalog);
    std::map<std::string, std::string> peers = AbsentPeers();
    peers["catalog"] = catalog_->service().grpc_address();
    for (const PeerService& peer : {PeerService{"interpretation", GONGKAI_INTERPRETATION_BINARY},
                                    PeerService{"consultation", GONGKAI_CONSULTATION_BINARY},
                                    PeerService{"opinion", GONGKAI_OPINION_BINARY},
                                    PeerService{"website", GONGKAI_WEBSITE_BINARY}}) {
      absl::StatusOr<std::unique_ptr<E2eDatabase>> database = E2eDatabase::Create(peer.name);
      ASSERT_TRUE(database.ok()) << database.status();
      ServiceProcess::Options options;
      options.binary = peer.binary;
      options.listening_message = absl::StrCat(peer.name, " listening");
      options.env = (*database)->ServiceEnv();
      options.env["GONGKAI_GRPC_ADDRESS"] = "127.0.0.1:0";
      options.env["GONGKAI_METRICS_ADDRESS"] = "127.0.0.1:0";
      options.env["GONGKAI_JWT_HS256_SECRET"] = catalog_->jwt_secret();
      options.env["GONGKAI_JWT_ISSUER"] = kE2eIssuer;
      options.env["GONGKAI_JWT_AUDIENCE"] = kE2eAudience;
      options.env["GONGKAI_CALENDAR_ADDRESS"] = catalog_->service().grpc_address();
      // Each service's own peers: the catalog, and one another (every name given;
      // a process ignores the peers it does not declare).
      // (The opinion service declares interpretation too, for INT-2 supplements, which
      // this test does not request.)
      options.env["GONGKAI_PEERS"] = absl::StrCat("catalog=", catalog_->service().grpc_address(),
                                                  ",interpretation=127.0.0.1:1");
      absl::StatusOr<std::unique_ptr<ServiceProcess>> process = ServiceProcess::Start(options);
      ASSERT_TRUE(process.ok()) << peer.name << ": " << process.status();
      peers[peer.name] = (*process)->grpc_address();
      databases_.push_back(*std::move(database));
      processes_.push_back(*std::move(process));
    }
    absl::StatusOr<std::unique_ptr<E2eDatabase>> database = E2eDatabase::Create("assessment6");
    ASSERT_TRUE(database.ok()) << database.status();
    assessment_database_ = *std::move(database);
    absl::StatusOr<std::unique_ptr<ServiceProcess>> assessment =
        StartAssessment(*catalog_, *assessment_database_, peers);
    ASSERT_TRUE(assessment.ok()) << assessment.status();
    assessment_ = *std::move(assessment);
  }

  void TearDown() override {
    assessment_.reset();
    assessment_database_.reset();
    processes_.clear();
    databases_.clear();
    catalog_.reset();
  }

  std::string Admin() { return catalog_->Token("root", std::nullopt, {"ADMIN"}); }

  int64_t CreateUnit(const std::string& code) {
    cv1::CreateUnitRequest request;
    request.set_request_id(code);
    request.mutable_unit()->set_code(code);
    request.mutable_unit()->set_name(code);
    request.mutable_unit()->set_level(cv1::UNIT_LEVEL_DEPARTMENT);
    absl::StatusOr<cv1::Unit> unit =
        UnaryCall(*catalog_->NewStub(), &CatalogStub::CreateUnit, Admin(), request);
    EXPECT_TRUE(unit.ok()) << unit.status();
    return unit.ok() ? unit->id() : 0;
  }

  void EnterDataThroughThePublicApis(int64_t careless) {
    cv1::CreateDocumentRequest request;
    cv1::Document& d = *request.mutable_document();
    d.set_title("关于做好义务教育招生工作的通知");
    d.set_body("为做好本年度义务教育招生工作，现将有关事项通知如下。");
    d.set_drafting_unit_id(careless);
    d.set_issuing_authority(cv1::DEPARTMENT);
    d.set_key_area(cv1::EDUCATION);
    ASSERT_TRUE(UnaryCall(*catalog_->NewStub(), &CatalogStub::CreateDocument,
                          catalog_->Token("clerk", careless, {"STAFF"}), request)
                    .ok());
    // After the merge: records in interpretation, consultation, opinion and website
    // (see the file comment).
  }

  std::unique_ptr<CatalogUnderTest> catalog_;
  std::vector<std::unique_ptr<E2eDatabase>> databases_;
  std::vector<std::unique_ptr<ServiceProcess>> processes_;
  std::unique_ptr<E2eDatabase> assessment_database_;
  std::unique_ptr<ServiceProcess> assessment_;
};

TEST_F(SixServicesE2eTest, Asm6EveryItemIsReadFromTheServiceThatHoldsItAndTheRunCompletes) {
  const int64_t careless = CreateUnit("ASM6-A");
  const int64_t careful = CreateUnit("ASM6-B");
  EnterDataThroughThePublicApis(careless);
  auto stub = av1::AssessmentService::NewStub(
      grpc::CreateChannel(assessment_->grpc_address(), grpc::InsecureChannelCredentials()));
  const std::string office = catalog_->Token("office", std::nullopt, {"OFFICE"});
  av1::StartAssessmentRunRequest start;
  start.set_year(static_cast<int>(absl::ToCivilYear(absl::Now(), absl::UTCTimeZone()).year()));
  start.set_request_id("six-1");
  absl::StatusOr<av1::AssessmentRun> run =
      UnaryCall(*stub, &AssessmentStub::StartAssessmentRun, office, start);
  ASSERT_TRUE(run.ok()) << run.status();
  const absl::Time give_up = absl::Now() + absl::Seconds(120);
  av1::GetAssessmentRunRequest get;
  get.set_id(run->id());
  while (run->state() == av1::RUNNING && absl::Now() < give_up) {
    absl::SleepFor(absl::Milliseconds(200));
    run = UnaryCall(*stub, &AssessmentStub::GetAssessmentRun, office, get);
    ASSERT_TRUE(run.ok()) << run.status();
  }
  ASSERT_EQ(run->state(), av1::COMPLETED) << run->DebugString();
  EXPECT_EQ(run->items_unavailable(), 0);
  EXPECT_EQ(run->rule_set(), "assessment.scheme@1");
  for (int64_t unit : {careless, careful}) {
    av1::GetUnitScoreRequest request;
    request.set_run_id(run->id());
    request.set_unit_id(unit);
    absl::StatusOr<av1::UnitScore> score =
        UnaryCall(*stub, &AssessmentStub::GetUnitScore, office, request);
    ASSERT_TRUE(score.ok()) << score.status();
    ASSERT_EQ(score->items_size(), 15);
    for (const av1::ItemScore& item : score->items()) {
      if (item.source() == "inspector") {
        EXPECT_EQ(item.status(), av1::AWAITING_INSPECTOR) << item.item();
      } else {
        EXPECT_EQ(item.status(), av1::SCORED) << item.item() << " " << item.unavailable_reason();
        EXPECT_FALSE(item.indicators().empty()) << item.item();
      }
      if (item.item() == common::v1::DISCLOSURE_ATTRIBUTE) {
        EXPECT_DOUBLE_EQ(item.points(), unit == careless ? 7 : 8);
      }
    }
  }
}

}  // namespace
}  // namespace gongkai::e2e
