// End-to-end test of the catalog's rule sets (ADR 0019, requirements.md §7: "the rule
// set is configuration, not code"): a city's stricter CAT-3 number, put at run time
// through gongkai.common.v1.RuleSetService, takes effect without a rebuild, is named in
// the deadline's explanation, and recomputes the open clocks it affects; likewise a
// city's shorter NAT-7 reply period (catalog.requests).
//
// Its own service and database (a rule put here must not change the numbers other suites
// expect).
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gongkai/catalog/v1/catalog.grpc.pb.h"
#include "gongkai/catalog/v1/disclosure_requests.grpc.pb.h"
#include "gongkai/common/v1/rule_sets.grpc.pb.h"
#include "libs/calendar/working_day_calendar.h"
#include "libs/clock/clock.h"
#include "libs/db/testing/status_matchers.h"
#include "tests/e2e/catalog_suite.h"
#include "tests/e2e/catalog_under_test.h"
#include "tests/e2e/grpc_call.h"
#include "tests/e2e/stand_in_calendar.h"

namespace gongkai::e2e {
namespace {

namespace v1 = ::gongkai::catalog::v1;
using ::gongkai::db::testing::IsOk;
using ::gongkai::db::testing::StatusIs;
using ::testing::HasSubstr;
using Stub = v1::CatalogService::Stub;
using RulesStub = common::v1::RuleSetService::Stub;
using RequestsStub = v1::DisclosureRequestService::Stub;

class CatalogRulesE2eTest : public CatalogSuite<CatalogRulesE2eTest> {
 public:
  static constexpr char kDatabasePrefix[] = "catalog_rules_e2e";
  // Stand-in calendars keep due dates computable whatever day the suite runs; a short
  // refresh lets the rule-set sync (and its recomputation) run within the test.
  static std::map<std::string, std::string> CatalogEnv() {
    return {{"GONGKAI_METRICS_REFRESH", "1s"}, {"GONGKAI_CALENDAR_DIR", StandInCalendarDir()}};
  }

 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(CatalogSuite::SetUp());
    stub_ = catalog_->NewStub();
    rules_stub_ = common::v1::RuleSetService::NewStub(grpc::CreateChannel(
        catalog_->service().grpc_address(), grpc::InsecureChannelCredentials()));
    requests_stub_ = v1::DisclosureRequestService::NewStub(grpc::CreateChannel(
        catalog_->service().grpc_address(), grpc::InsecureChannelCredentials()));
    admin_ = catalog_->Token("e2e-admin", std::nullopt, {"ADMIN"});
  }

  absl::StatusOr<v1::Unit> NewUnit(const std::string& code) {
    v1::CreateUnitRequest request;
    request.mutable_unit()->set_code(code);
    request.mutable_unit()->set_name("规则测试单位");
    request.mutable_unit()->set_level(v1::UNIT_LEVEL_DEPARTMENT);
    return UnaryCall(*stub_, &Stub::CreateUnit, admin_, request, absl::Seconds(30));
  }

  absl::StatusOr<v1::Document> Draft(int64_t unit_id, const std::string& title) {
    v1::CreateDocumentRequest request;
    v1::Document* d = request.mutable_document();
    d->set_title(title);
    d->set_body("为深入推进政务公开工作，现将有关事项通知如下。");
    d->set_drafting_unit_id(unit_id);
    d->set_issuing_authority(v1::DEPARTMENT);
    d->set_key_area(v1::EDUCATION);
    d->set_disclosure_attribute(v1::PROACTIVE);
    return UnaryCall(*stub_, &Stub::CreateDocument, Staff(unit_id), request, absl::Seconds(30));
  }
  absl::StatusOr<v1::Document> Submit(int64_t unit_id, int64_t id) {
    v1::SubmitDocumentRequest request;
    request.set_id(id);
    return UnaryCall(*stub_, &Stub::SubmitDocument, Staff(unit_id), request, absl::Seconds(30));
  }
  absl::StatusOr<v1::Document> Get(int64_t unit_id, int64_t id) {
    v1::GetDocumentRequest request;
    request.set_id(id);
    return UnaryCall(*stub_, &Stub::GetDocument, Staff(unit_id), request, absl::Seconds(30));
  }
  std::string Staff(int64_t unit_id) const {
    return catalog_->Token(absl::StrCat("staff-", unit_id), unit_id, {"STAFF"});
  }

  static absl::CivilDay Day(const common::v1::Date& d) {
    return absl::CivilDay(d.year(), d.month(), d.day());
  }

  std::unique_ptr<Stub> stub_;
  std::unique_ptr<RulesStub> rules_stub_;
  std::unique_ptr<RequestsStub> requests_stub_;
  std::string admin_;
};

// CAT-3 (ADR 0019): a city's 15 working days, put as catalog.publication v2 effective
// from a past day, applies to the next document without a rebuild; the explanation
// names v2; a clock opened on v1 is recomputed on v2 (its start day is covered by v2).
TEST_F(CatalogRulesE2eTest, Cat3CityPublicationPeriodPutAtRunTimeTakesEffectWithoutARebuild) {
  ASSERT_OK_AND_ASSIGN(std::shared_ptr<calendar::WorkingDayCalendar> cal,
                       calendar::NewBuiltinCalendar());
  ASSERT_THAT(calendar::LoadYearsFromDirectory(*cal, StandInCalendarDir()), IsOk());

  v1::CreateUnitRequest unit_request;
  unit_request.mutable_unit()->set_code("E2E-RULES-U1");
  unit_request.mutable_unit()->set_name("规则测试单位");
  unit_request.mutable_unit()->set_level(v1::UNIT_LEVEL_DEPARTMENT);
  ASSERT_OK_AND_ASSIGN(
      v1::Unit unit, UnaryCall(*stub_, &Stub::CreateUnit, admin_, unit_request, absl::Seconds(30)));

  // Before: the national number, cited as catalog.publication v1.
  ASSERT_OK_AND_ASSIGN(v1::Document on_v1, Draft(unit.id(), "按国家规定期限的文件"));
  ASSERT_EQ(on_v1.publication_deadline().days(), 20);
  EXPECT_THAT(on_v1.publication_deadline().rule(), HasSubstr("catalog.publication v1"));
  EXPECT_THAT(on_v1.publication_deadline().text(), HasSubstr("catalog.publication v1"));

  // Only an ADMIN may put a version.
  common::v1::PutRuleSetRequest put;
  put.set_rule_set_json(R"({"name": "catalog.publication", "version": 2,
      "effective_from": "2020-01-01", "basis": "某市政务公开办法（更严格的 15 个工作日）",
      "rules": {"publication.working_days": {"value": 15, "unit": "working_days"}}})");
  EXPECT_THAT(
      UnaryCall(*rules_stub_, &RulesStub::PutRuleSet, Staff(unit.id()), put, absl::Seconds(30)),
      StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("ADMIN")));
  ASSERT_THAT(UnaryCall(*rules_stub_, &RulesStub::PutRuleSet, admin_, put, absl::Seconds(30)),
              IsOk());

  // After: drafted and submitted, due 15 working days out, naming v2 and its rule.
  ASSERT_OK_AND_ASSIGN(v1::Document drafted, Draft(unit.id(), "按本市期限的文件"));
  ASSERT_OK_AND_ASSIGN(v1::Document submitted, Submit(unit.id(), drafted.id()));
  ASSERT_EQ(submitted.state(), v1::PENDING_REVIEW) << submitted.return_cause();
  const common::v1::DeadlineExplanation& deadline = submitted.publication_deadline();
  EXPECT_EQ(deadline.days(), 15);
  ASSERT_OK_AND_ASSIGN(calendar::Deadline expected, cal->AddWorkingDays(Day(deadline.start()), 15));
  EXPECT_EQ(Day(deadline.due()), expected.due);
  EXPECT_EQ(deadline.rule_version(), "catalog.publication@2");
  EXPECT_THAT(deadline.rule(), HasSubstr("publication.working_days = 15 working days (CAT-3)"));
  EXPECT_THAT(deadline.text(), HasSubstr("catalog.publication v2"));

  // The clock opened on v1 is stale (v2 is in effect on its start day): the rule-set
  // sync recomputes it within a few refreshes.
  v1::Document recomputed;
  for (int i = 0; i < 100; ++i) {
    ASSERT_OK_AND_ASSIGN(recomputed, Get(unit.id(), on_v1.id()));
    if (recomputed.publication_deadline().rule_version() == "catalog.publication@2") break;
    absl::SleepFor(absl::Milliseconds(100));
  }
  EXPECT_EQ(recomputed.publication_deadline().days(), 15);
  EXPECT_EQ(recomputed.publication_deadline().rule_version(), "catalog.publication@2");
}

// NAT-7 (ADR 0019): a city's 15-working-day reply period, put as catalog.requests v2
// effective from a past day, applies to the next request filed; its reply deadline is 15
// working days after receipt and names v2.
TEST_F(CatalogRulesE2eTest, Nat7CityReplyPeriodPutAtRunTimeAppliesToTheNextRequest) {
  ASSERT_OK_AND_ASSIGN(std::shared_ptr<calendar::WorkingDayCalendar> cal,
                       calendar::NewBuiltinCalendar());
  ASSERT_THAT(calendar::LoadYearsFromDirectory(*cal, StandInCalendarDir()), IsOk());
  ASSERT_OK_AND_ASSIGN(v1::Unit unit, NewUnit("E2E-RULES-NAT7"));

  common::v1::PutRuleSetRequest put;
  put.set_rule_set_json(R"({"name": "catalog.requests", "version": 2,
      "effective_from": "2020-01-01", "basis": "某市政务公开办法（答复期限 15 个工作日）",
      "rules": {
        "request.correction_notice_working_days": {"value": 7, "unit": "working_days"},
        "request.consultation_working_days": {"value": 15, "unit": "working_days"},
        "request.reply_working_days": {"value": 15, "unit": "working_days"},
        "request.max_extension_working_days": {"value": 20, "unit": "working_days"}}})");
  ASSERT_THAT(UnaryCall(*rules_stub_, &RulesStub::PutRuleSet, admin_, put, absl::Seconds(30)),
              IsOk());

  v1::FileRequestRequest file;
  file.set_unit_id(unit.id());
  file.mutable_applicant()->set_type(v1::APPLICANT_NATURAL_PERSON);
  file.mutable_applicant()->set_name("张三");
  file.mutable_applicant()->set_id_number("110101199003070000");
  file.mutable_applicant()->set_contact("13800000000");
  file.set_subject("2025年义务教育招生计划");
  ASSERT_OK_AND_ASSIGN(
      v1::FileRequestResponse filed,
      UnaryCall(*requests_stub_, &RequestsStub::FileRequest, "", file, absl::Seconds(30)));
  const common::v1::DeadlineExplanation& reply = filed.request().reply_deadline();
  EXPECT_EQ(reply.days(), 15);
  ASSERT_OK_AND_ASSIGN(calendar::Deadline expected, cal->AddWorkingDays(Day(reply.start()), 15));
  EXPECT_EQ(Day(reply.due()), expected.due);
  EXPECT_EQ(reply.rule_version(), "catalog.requests@2");
  EXPECT_THAT(reply.rule(), HasSubstr("request.reply_working_days = 15 working days (NAT-7)"));
  EXPECT_THAT(reply.text(), HasSubstr("catalog.requests v2"));
}

// ADR 0019: a version that does not fit the schema is refused naming the rule, and the
// shipped national set is listed with its requirement.
TEST_F(CatalogRulesE2eTest, Cat3OutOfBoundsVersionIsRefusedNamingTheRule) {
  common::v1::PutRuleSetRequest put;
  put.set_rule_set_json(R"({"name": "catalog.publication", "version": 9,
      "effective_from": "2020-01-01", "basis": "x",
      "rules": {"publication.working_days": {"value": 0}}})");
  EXPECT_THAT(UnaryCall(*rules_stub_, &RulesStub::PutRuleSet, admin_, put, absl::Seconds(30)),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("publication.working_days")));
  common::v1::GetRuleSetRequest get;
  get.set_name("catalog.publication");
  get.set_version(1);
  ASSERT_OK_AND_ASSIGN(common::v1::RuleSet national, UnaryCall(*rules_stub_, &RulesStub::GetRuleSet,
                                                               admin_, get, absl::Seconds(30)));
  EXPECT_EQ(national.version(), 1);
}

}  // namespace
}  // namespace gongkai::e2e
