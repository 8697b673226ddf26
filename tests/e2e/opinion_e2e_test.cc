// End-to-end tests of gongkai-opinion (issue 11; label: e2e): the real binary beside the
// real catalog (its peer: the units for OPI-2 routing, the calendar), on MariaDB. Events
// collected over gRPC are routed by the catalog's units; the scheduler inside the
// process records breaches on the wall clock and counts them in /metrics; two replicas
// on one database record each escalation once; a breach that fell while the service was
// down is recorded when it comes back; bad input changes nothing; roles and units are
// checked; the compliance evidence answers item 10.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gongkai/catalog/v1/catalog.grpc.pb.h"
#include "gongkai/common/v1/compliance_evidence.grpc.pb.h"
#include "gongkai/opinion/v1/opinion.grpc.pb.h"
#include "libs/clock/clock.h"
#include "libs/protoconv/protoconv.h"
#include "tests/e2e/catalog_under_test.h"
#include "tests/e2e/e2e_database.h"
#include "tests/e2e/grpc_call.h"
#include "tests/e2e/service_process.h"
#include "tests/e2e/stand_in_calendar.h"

#ifndef GONGKAI_OPINION_BINARY
#error "GONGKAI_OPINION_BINARY must be defined by the build"
#endif

namespace gongkai::e2e {
namespace {

namespace v1 = ::gongkai::opinion::v1;
namespace catalog_v1 = ::gongkai::catalog::v1;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::SizeIs;

bool WaitUntil(const std::function<bool()>& done, absl::Duration limit = absl::Seconds(60)) {
  const absl::Time give_up = absl::Now() + limit;
  while (!done()) {
    if (absl::Now() > give_up) return false;
    absl::SleepFor(absl::Milliseconds(100));
  }
  return true;
}

class OpinionE2eTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<std::unique_ptr<CatalogUnderTest>> catalog = CatalogUnderTest::Start(
        "opi", {{"GONGKAI_METRICS_REFRESH", "1s"}, {"GONGKAI_CALENDAR_DIR", StandInCalendarDir()}});
    ASSERT_TRUE(catalog.ok()) << catalog.status();
    catalog_ = catalog->release();
    CreateUnits();
    absl::StatusOr<std::unique_ptr<E2eDatabase>> database = E2eDatabase::Create("opinion");
    ASSERT_TRUE(database.ok()) << database.status();
    database_ = database->release();
    absl::StatusOr<std::unique_ptr<ServiceProcess>> opinion = StartOpinion("replica-a");
    ASSERT_TRUE(opinion.ok()) << opinion.status();
    opinion_ = opinion->release();
  }

  static void TearDownTestSuite() {
    delete opinion_;
    delete database_;
    delete catalog_;
  }

  static void CreateUnits() {
    auto stub = catalog_->NewStub();
    const std::string admin = catalog_->Token("root", std::nullopt, {"ADMIN"});
    auto create = [&](const std::string& code, const std::string& name, catalog_v1::UnitLevel level,
                      int64_t parent) -> int64_t {
      catalog_v1::CreateUnitRequest request;
      request.mutable_unit()->set_code(code);
      request.mutable_unit()->set_name(name);
      request.mutable_unit()->set_level(level);
      request.mutable_unit()->set_parent_id(parent);
      auto unit = UnaryCall(*stub, &catalog_v1::CatalogService::Stub::CreateUnit, admin, request);
      EXPECT_TRUE(unit.ok()) << unit.status();
      return unit.ok() ? unit->id() : 0;
    };
    city_ = create("NN-GOV", "南宁市人民政府", catalog_v1::UNIT_LEVEL_CITY, 0);
    city_health_ = create("NN-HEALTH", "市卫生健康委", catalog_v1::UNIT_LEVEL_DEPARTMENT, city_);
    city_office_ = create("NN-OFFICE", "市政府办公室", catalog_v1::UNIT_LEVEL_DEPARTMENT, city_);
    qingxiu_ = create("QX-GOV", "青秀区人民政府", catalog_v1::UNIT_LEVEL_COUNTY, city_);
    qingxiu_health_ =
        create("QX-HEALTH", "青秀区卫生健康局", catalog_v1::UNIT_LEVEL_DEPARTMENT, qingxiu_);
  }

  static absl::StatusOr<std::unique_ptr<ServiceProcess>> StartOpinion(const std::string& replica) {
    ServiceProcess::Options options;
    options.binary = GONGKAI_OPINION_BINARY;
    options.listening_message = "opinion listening";
    options.env = database_->ServiceEnv();
    options.env["GONGKAI_GRPC_ADDRESS"] = "127.0.0.1:0";
    options.env["GONGKAI_METRICS_ADDRESS"] = "127.0.0.1:0";
    options.env["GONGKAI_JWT_HS256_SECRET"] = catalog_->jwt_secret();
    options.env["GONGKAI_JWT_ISSUER"] = kE2eIssuer;
    options.env["GONGKAI_JWT_AUDIENCE"] = kE2eAudience;
    options.env["GONGKAI_DB_POOL_SIZE"] = "4";
    options.env["GONGKAI_CALENDAR_ADDRESS"] = catalog_->service().grpc_address();
    // The interpretation peer is declared (INT-2 supplements) but never called here.
    options.env["GONGKAI_PEERS"] =
        absl::StrCat("catalog=", catalog_->service().grpc_address(), ",interpretation=127.0.0.1:1");
    options.env["GONGKAI_METRICS_REFRESH"] = "1s";
    options.env["GONGKAI_OPINION_REPLICA"] = replica;
    options.env["GONGKAI_OPINION_SCHEDULER_POLL"] = "200ms";
    return ServiceProcess::Start(options);
  }

  static std::unique_ptr<v1::OpinionService::Stub> Stub(ServiceProcess* process = nullptr) {
    return v1::OpinionService::NewStub(
        grpc::CreateChannel((process != nullptr ? process : opinion_)->grpc_address(),
                            grpc::InsecureChannelCredentials()));
  }

  static std::string Office() { return catalog_->Token("office", city_office_, {"OFFICE"}); }

  // A local event of Qingxiu, first seen `ago` before now.
  static v1::CollectEventRequest Request(v1::EventGrade grade, absl::Duration ago,
                                         const std::string& request_id = "") {
    v1::CollectEventRequest r;
    r.set_request_id(request_id);
    r.set_title("网传青秀区某医院拒收急诊病人");
    r.set_source(v1::SOURCE_ONLINE_POST);
    r.set_category(v1::CATEGORY_MEDIA_INTEREST);
    r.set_grade(grade);
    r.set_territory(v1::TERRITORY_ONE_LOCALITY);
    r.add_locality_unit_ids(qingxiu_);
    r.add_concerned_unit_ids(qingxiu_health_);
    r.add_concerned_unit_ids(city_health_);
    r.set_collecting_unit_id(city_office_);
    *r.mutable_first_seen_time() = ToTimestamp(absl::Now() - ago);
    return r;
  }

  static std::vector<v1::Escalation> Escalations(int64_t event_id) {
    v1::ListEscalationsRequest request;
    request.set_event_id(event_id);
    request.set_page_size(100);
    auto stub = Stub();
    auto page = UnaryCall(*stub, &v1::OpinionService::Stub::ListEscalations, Office(), request);
    if (!page.ok()) return {};
    return {page->escalations().begin(), page->escalations().end()};
  }

  static int Breaches(int64_t event_id) {
    int n = 0;
    for (const auto& e : Escalations(event_id)) n += e.stage() == v1::ESCALATION_BREACHED;
    return n;
  }

  static CatalogUnderTest* catalog_;
  static E2eDatabase* database_;
  static ServiceProcess* opinion_;
  static int64_t city_, city_health_, city_office_, qingxiu_, qingxiu_health_;
};

CatalogUnderTest* OpinionE2eTest::catalog_ = nullptr;
E2eDatabase* OpinionE2eTest::database_ = nullptr;
ServiceProcess* OpinionE2eTest::opinion_ = nullptr;
int64_t OpinionE2eTest::city_ = 0, OpinionE2eTest::city_health_ = 0,
        OpinionE2eTest::city_office_ = 0, OpinionE2eTest::qingxiu_ = 0,
        OpinionE2eTest::qingxiu_health_ = 0;

TEST_F(OpinionE2eTest, Opi2CollectRoutesByTheCatalogsUnitsIdempotently) {
  auto stub = Stub();
  const auto request = Request(v1::GRADE_GENERAL, absl::Minutes(5), "e2e-collect-1");
  auto event = UnaryCall(*stub, &v1::OpinionService::Stub::CollectEvent, Office(), request);
  ASSERT_TRUE(event.ok()) << event.status();
  EXPECT_EQ(event->responsibility().rule(), "local_matter");
  EXPECT_EQ(event->responsibility().lead_unit_id(), qingxiu_health_);
  EXPECT_THAT(event->responsibility().reason(), HasSubstr("青秀区卫生健康局"));
  ASSERT_THAT(event->clocks(), SizeIs(1));
  EXPECT_EQ(event->clocks(0).kind(), v1::CLOCK_GENERAL_RESPONSE);
  EXPECT_THAT(event->clocks(0).rule(), HasSubstr("general_response.period = 48h"));
  auto again = UnaryCall(*stub, &v1::OpinionService::Stub::CollectEvent, Office(), request);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->id(), event->id());
}

TEST_F(OpinionE2eTest, Opi4TheSchedulerRecordsABreachAtItsMomentAndCountsIt) {
  auto stub = Stub();
  // First seen almost an hour ago: the known-facts clock is due in two seconds.
  auto event = UnaryCall(*stub, &v1::OpinionService::Stub::CollectEvent, Office(),
                         Request(v1::GRADE_MAJOR, absl::Hours(1) - absl::Seconds(2)));
  ASSERT_TRUE(event.ok()) << event.status();
  ASSERT_TRUE(WaitUntil([&] { return Breaches(event->id()) == 1; }));
  for (const auto& e : Escalations(event->id())) {
    if (e.stage() != v1::ESCALATION_BREACHED) continue;
    EXPECT_EQ(e.clock_kind(), v1::CLOCK_KNOWN_FACTS);
    EXPECT_GE(FromTimestamp(e.record_time()), FromTimestamp(e.due_time()));
    EXPECT_EQ(e.recorded_by(), "replica-a");
  }
  httplib::Client client("127.0.0.1", opinion_->metrics_port());
  EXPECT_TRUE(WaitUntil([&] {
    auto scrape = client.Get("/metrics");
    return scrape && scrape->body.find(
                         "opinion_clock_escalations_total{clock=\"known_facts\","
                         "stage=\"breached\"} 1") != std::string::npos;
  }));
}

TEST_F(OpinionE2eTest, Opi4TwoReplicasRecordEachBreachOnceAndADownTimeBreachOnReturn) {
  absl::StatusOr<std::unique_ptr<ServiceProcess>> second = StartOpinion("replica-b");
  ASSERT_TRUE(second.ok()) << second.status();
  auto stub = Stub();
  std::vector<int64_t> ids;
  for (int i = 0; i < 10; ++i) {
    auto event = UnaryCall(*stub, &v1::OpinionService::Stub::CollectEvent, Office(),
                           Request(v1::GRADE_MAJOR, absl::Hours(1) - absl::Seconds(3)));
    ASSERT_TRUE(event.ok()) << event.status();
    ids.push_back(event->id());
  }
  ASSERT_TRUE(WaitUntil([&] {
    for (int64_t id : ids) {
      if (Breaches(id) < 1) return false;
    }
    return true;
  }));
  absl::SleepFor(absl::Seconds(1));  // Time for a duplicate to show, were there one.
  for (int64_t id : ids) EXPECT_EQ(Breaches(id), 1) << "event " << id;
  second->reset();

  // Every replica down; a clock falls due; the first one back records it.
  auto late = UnaryCall(*stub, &v1::OpinionService::Stub::CollectEvent, Office(),
                        Request(v1::GRADE_MAJOR, absl::Hours(1) - absl::Seconds(10)));
  ASSERT_TRUE(late.ok()) << late.status();
  const v1::EventClock* known = nullptr;
  for (const auto& clock : late->clocks()) {
    if (clock.kind() == v1::CLOCK_KNOWN_FACTS) known = &clock;
  }
  ASSERT_NE(known, nullptr);
  const absl::Time due = FromTimestamp(known->due_time());
  delete opinion_;
  opinion_ = nullptr;
  ASSERT_LT(absl::Now(), due) << "the service took too long to stop for this test";
  absl::SleepFor(due - absl::Now() + absl::Seconds(2));
  const absl::Time restarting = absl::Now();
  absl::StatusOr<std::unique_ptr<ServiceProcess>> back = StartOpinion("replica-a");
  ASSERT_TRUE(back.ok()) << back.status();
  opinion_ = back->release();
  ASSERT_TRUE(WaitUntil([&] { return Breaches(late->id()) == 1; }));
  for (const auto& e : Escalations(late->id())) {
    if (e.stage() != v1::ESCALATION_BREACHED) continue;
    EXPECT_EQ(FromTimestamp(e.due_time()), due);
    EXPECT_GE(FromTimestamp(e.record_time()), restarting);
  }
}

TEST_F(OpinionE2eTest, BadInputIsInvalidArgumentAndChangesNothing) {
  auto stub = Stub();
  auto count = [&] {
    v1::ListEventsRequest list;
    list.set_page_size(100);
    auto page = UnaryCall(*stub, &v1::OpinionService::Stub::ListEvents, Office(), list);
    return page.ok() ? page->events_size() : -1;
  };
  const int before = count();
  std::vector<v1::CollectEventRequest> corpus(7, Request(v1::GRADE_GENERAL, absl::Minutes(1)));
  corpus[0].clear_title();
  corpus[1].set_grade(static_cast<v1::EventGrade>(9));
  corpus[2].set_locality_unit_ids(0, city_health_);
  corpus[3].add_concerned_unit_ids(987654);
  corpus[4].add_evidence()->set_url("javascript:alert(1)");
  *corpus[5].mutable_first_seen_time() = ToTimestamp(absl::Now() + absl::Hours(2));
  corpus[6].set_request_id(std::string(200, 'x'));
  for (const auto& request : corpus) {
    auto r = UnaryCall(*stub, &v1::OpinionService::Stub::CollectEvent, Office(), request);
    EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument) << request.ShortDebugString();
    EXPECT_THAT(ViolatedFields(r.status()), ::testing::Not(::testing::IsEmpty()));
  }
  v1::GetEventRequest missing;
  missing.set_id(99999999);
  EXPECT_EQ(
      UnaryCall(*stub, &v1::OpinionService::Stub::GetEvent, Office(), missing).status().code(),
      absl::StatusCode::kNotFound);
  EXPECT_EQ(count(), before);
}

TEST_F(OpinionE2eTest, AuthorizationTableRolesAndUnits) {
  auto stub = Stub();
  auto event = UnaryCall(*stub, &v1::OpinionService::Stub::CollectEvent, Office(),
                         Request(v1::GRADE_GENERAL, absl::Minutes(1)));
  ASSERT_TRUE(event.ok()) << event.status();
  struct Row {
    std::string who;
    std::string token;
    absl::StatusCode get, consult, reassign, supervised;
  };
  const std::vector<Row> table = {
      {"anonymous", "", absl::StatusCode::kUnauthenticated, absl::StatusCode::kUnauthenticated,
       absl::StatusCode::kUnauthenticated, absl::StatusCode::kUnauthenticated},
      {"STAFF own unit", catalog_->Token("qx", qingxiu_health_, {"STAFF"}), absl::StatusCode::kOk,
       absl::StatusCode::kOk, absl::StatusCode::kPermissionDenied,
       absl::StatusCode::kPermissionDenied},
      {"STAFF other unit", catalog_->Token("jt", city_health_, {"STAFF"}),
       absl::StatusCode::kPermissionDenied, absl::StatusCode::kPermissionDenied,
       absl::StatusCode::kPermissionDenied, absl::StatusCode::kPermissionDenied},
      {"HEAD own unit", catalog_->Token("qxh", qingxiu_health_, {"HEAD"}), absl::StatusCode::kOk,
       absl::StatusCode::kOk, absl::StatusCode::kPermissionDenied,
       absl::StatusCode::kPermissionDenied},
      {"OFFICE", Office(), absl::StatusCode::kOk, absl::StatusCode::kOk, absl::StatusCode::kOk,
       absl::StatusCode::kOk},
      {"SUPERVISION", catalog_->Token("dcs", city_, {"SUPERVISION"}), absl::StatusCode::kOk,
       absl::StatusCode::kPermissionDenied, absl::StatusCode::kPermissionDenied,
       absl::StatusCode::kOk},
      {"INSPECTOR", catalog_->Token("insp", std::nullopt, {"INSPECTOR"}), absl::StatusCode::kOk,
       absl::StatusCode::kPermissionDenied, absl::StatusCode::kPermissionDenied,
       absl::StatusCode::kPermissionDenied},
  };
  for (const Row& row : table) {
    v1::GetEventRequest get;
    get.set_id(event->id());
    EXPECT_EQ(UnaryCall(*stub, &v1::OpinionService::Stub::GetEvent, row.token, get).status().code(),
              row.get)
        << row.who << " GetEvent";
    v1::RecordConsultationRequest consult;
    consult.set_id(event->id());
    consult.add_participants("市委宣传部");
    consult.set_conclusion("会商结论");
    EXPECT_EQ(UnaryCall(*stub, &v1::OpinionService::Stub::RecordConsultation, row.token, consult)
                  .status()
                  .code(),
              row.consult)
        << row.who << " RecordConsultation";
    v1::ReassignEventRequest reassign;
    reassign.set_id(event->id());
    reassign.add_unit_ids(qingxiu_health_);
    reassign.set_reason("维持原分办");
    EXPECT_EQ(UnaryCall(*stub, &v1::OpinionService::Stub::ReassignEvent, row.token, reassign)
                  .status()
                  .code(),
              row.reassign)
        << row.who << " ReassignEvent";
    v1::ListSupervisedEventsRequest supervised;
    EXPECT_EQ(
        UnaryCall(*stub, &v1::OpinionService::Stub::ListSupervisedEvents, row.token, supervised)
            .status()
            .code(),
        row.supervised)
        << row.who << " ListSupervisedEvents";
  }
}

TEST_F(OpinionE2eTest, ComplianceEvidenceItem10CountsEventsByGradeAndTimeliness) {
  auto stub = Stub();
  auto event = UnaryCall(*stub, &v1::OpinionService::Stub::CollectEvent, Office(),
                         Request(v1::GRADE_GENERAL, absl::Minutes(1)));
  ASSERT_TRUE(event.ok()) << event.status();
  auto evidence_stub = common::v1::ComplianceEvidenceService::NewStub(
      grpc::CreateChannel(opinion_->grpc_address(), grpc::InsecureChannelCredentials()));
  common::v1::GetComplianceEvidenceRequest request;
  request.set_unit_id(qingxiu_health_);
  const absl::CivilDay today = absl::ToCivilDay(absl::Now(), ShanghaiTimeZone());
  *request.mutable_period_start() = ToProtoDate(today - 30);
  *request.mutable_period_end() = ToProtoDate(today);
  request.add_items(common::v1::PUBLIC_OPINION_RESPONSE);
  auto answer =
      UnaryCall(*evidence_stub, &common::v1::ComplianceEvidenceService::Stub::GetComplianceEvidence,
                catalog_->Token("insp", std::nullopt, {"INSPECTOR"}), request);
  ASSERT_TRUE(answer.ok()) << answer.status();
  ASSERT_THAT(answer->items(), SizeIs(1));
  std::map<std::string, common::v1::EvidenceIndicator> by_name;
  for (const auto& indicator : answer->items(0).indicators()) by_name[indicator.name()] = indicator;
  ASSERT_TRUE(by_name.count("events_general"));
  EXPECT_THAT(by_name["events_general"].references(),
              ::testing::Contains(absl::StrCat("opinion_event/", event->id())));
  EXPECT_THAT(by_name["not_responded"].references(),
              ::testing::Contains(absl::StrCat("opinion_event/", event->id())));
  EXPECT_FALSE(answer->items(0).complete());  // The period ends today.
}

}  // namespace
}  // namespace gongkai::e2e
