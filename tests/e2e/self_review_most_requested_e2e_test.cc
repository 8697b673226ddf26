// End-to-end tests of CAT-7's most-requested information in the gongkai-catalog binary
// (real gRPC, real MariaDB, real process, real clock): the disclosure requests of the
// year grouped by what they asked, stored with the year's self-review, each item
// decided (kept on request with a reason, or disclosed through the unit's catalog item
// and a document converted to PROACTIVE in the decision's transaction), the review
// refused completion while an item is undecided, and the threshold taken from the
// catalog.self_review rule set put at run time.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "gmock/gmock.h"
#include "gongkai/catalog/v1/catalog.grpc.pb.h"
#include "gongkai/catalog/v1/disclosure_requests.grpc.pb.h"
#include "gongkai/common/v1/rule_sets.grpc.pb.h"
#include "libs/db/testing/status_matchers.h"
#include "libs/status/status_macros.h"
#include "tests/e2e/catalog_suite.h"
#include "tests/e2e/catalog_under_test.h"
#include "tests/e2e/grpc_call.h"
#include "tests/e2e/stand_in_calendar.h"

namespace gongkai::e2e {
namespace {

namespace v1 = ::gongkai::catalog::v1;
using ::gongkai::db::testing::IsOk;
using ::gongkai::db::testing::StatusIs;
using ::testing::AllOf;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::SizeIs;
using CatalogStub = v1::CatalogService::Stub;
using RequestStub = v1::DisclosureRequestService::Stub;
using RulesStub = common::v1::RuleSetService::Stub;

// The shared steps of both suites (each suite runs its own catalog process).
template <typename Suite>
class MostRequestedSuite : public CatalogSuite<Suite> {
 public:
  static std::map<std::string, std::string> CatalogEnv() {
    return {{"GONGKAI_CALENDAR_DIR", StandInCalendarDir()}};
  }

 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(CatalogSuite<Suite>::SetUp());
    auto channel = grpc::CreateChannel(this->catalog_->service().grpc_address(),
                                       grpc::InsecureChannelCredentials());
    catalog_stub_ = v1::CatalogService::NewStub(channel);
    requests_stub_ = v1::DisclosureRequestService::NewStub(channel);
    rules_stub_ = common::v1::RuleSetService::NewStub(channel);
    admin_ = this->catalog_->Token("e2e-admin", std::nullopt, {"ADMIN"});
    office_ = this->catalog_->Token("e2e-office", std::nullopt, {"OFFICE"});
  }

  template <typename Stub, typename Request, typename Response>
  static absl::StatusOr<Response> Call(Stub& stub,
                                       grpc::Status (Stub::*method)(grpc::ClientContext*,
                                                                    const Request&, Response*),
                                       const std::string& token, const Request& request) {
    return UnaryCall(stub, method, token, request, absl::Seconds(30));
  }
  template <typename Request, typename Response>
  absl::StatusOr<Response> C(grpc::Status (CatalogStub::*method)(grpc::ClientContext*,
                                                                 const Request&, Response*),
                             const std::string& token, const Request& request) {
    return Call(*catalog_stub_, method, token, request);
  }

  int64_t NewUnit(absl::string_view code) {
    v1::CreateUnitRequest request;
    request.mutable_unit()->set_code(std::string(code));
    request.mutable_unit()->set_name("市教育局");
    request.mutable_unit()->set_level(v1::UNIT_LEVEL_DEPARTMENT);
    absl::StatusOr<v1::Unit> unit = C(&CatalogStub::CreateUnit, admin_, request);
    EXPECT_TRUE(unit.ok()) << unit.status();
    return unit.ok() ? unit->id() : 0;
  }
  std::string StaffOf(int64_t unit) const {
    return this->catalog_->Token(absl::StrCat("staff-", unit), unit, {"STAFF"});
  }
  std::string ReviewerOf(int64_t unit) const {
    return this->catalog_->Token(absl::StrCat("reviewer-", unit), unit, {"REVIEWER"});
  }

  // Files a request by the public (online: received today) as applicant `applicant`;
  // returns the receipt year.
  int File(int64_t unit, absl::string_view subject, int applicant) {
    v1::FileRequestRequest request;
    request.set_unit_id(unit);
    request.mutable_applicant()->set_type(v1::APPLICANT_NATURAL_PERSON);
    request.mutable_applicant()->set_name(absl::StrCat("申请人", applicant));
    request.mutable_applicant()->set_id_number(absl::StrCat("4501021990010", 10000 + applicant));
    request.mutable_applicant()->set_contact("13800000000");
    request.set_subject(std::string(subject));
    absl::StatusOr<v1::FileRequestResponse> filed =
        Call(*requests_stub_, &RequestStub::FileRequest, "", request);
    EXPECT_TRUE(filed.ok()) << filed.status();
    return filed.ok() ? filed->request().received_on().year() : 0;
  }

  absl::StatusOr<v1::SelfReview> Start(int64_t unit, int year) {
    v1::StartSelfReviewRequest start;
    start.set_unit_id(unit);
    start.set_year(year);
    return C(&CatalogStub::StartSelfReview, StaffOf(unit), start);
  }

  std::unique_ptr<CatalogStub> catalog_stub_;
  std::unique_ptr<RequestStub> requests_stub_;
  std::unique_ptr<RulesStub> rules_stub_;
  std::string admin_;
  std::string office_;
};

class SelfReviewMostRequestedE2eTest : public MostRequestedSuite<SelfReviewMostRequestedE2eTest> {
 public:
  static constexpr char kDatabasePrefix[] = "most_requested_e2e";
};

TEST_F(SelfReviewMostRequestedE2eTest, Cat7TheYearsMostRequestedIsStoredDecidedAndGatesCompletion) {
  const int64_t unit = NewUnit("MR-E2E-1");
  const std::string staff = StaffOf(unit);
  // Three applicants ask for the school districts in three wordings; one applicant asks
  // twice about land compensation (one applicant: not "most requested"); two ask for
  // the subsistence list, two for the enrolment plan.
  std::vector<int> years = {
      File(unit, "学区划分", 1),     File(unit, "关于申请公开学区划分的信息", 2),
      File(unit, "学区划分。", 3),   File(unit, "征地补偿标准", 4),
      File(unit, "征地补偿标准", 4), File(unit, "低保名单", 5),
      File(unit, "低保名单", 6),     File(unit, "招生计划", 7),
      File(unit, "招生计划", 8)};
  const int year = years.front();
  if (years.back() != year) GTEST_SKIP() << "the year " << year << " ended during the filing";

  // The requests service shows the same list, with the rule that gave the threshold.
  v1::ListMostRequestedRequest most;
  most.set_unit_id(unit);
  most.set_year(year);
  ASSERT_OK_AND_ASSIGN(v1::ListMostRequestedResponse listed,
                       Call(*requests_stub_, &RequestStub::ListMostRequested, staff, most));
  ASSERT_THAT(listed.items(), SizeIs(3));
  EXPECT_EQ(listed.min_applicants(), 2);
  EXPECT_EQ(listed.rule_version(), "catalog.self_review@1");

  ASSERT_OK_AND_ASSIGN(v1::SelfReview review, Start(unit, year));
  EXPECT_EQ(review.most_requested_count(), 3);
  EXPECT_EQ(review.most_requested_min_applicants(), 2);
  EXPECT_EQ(review.most_requested_rule_version(), "catalog.self_review@1");
  EXPECT_THAT(review.most_requested_rule(), HasSubstr("self_review.most_requested.min_applicants"));
  ASSERT_THAT(review.most_requested(), SizeIs(3));
  const v1::MostRequestedInformation& districts = review.most_requested(0);
  EXPECT_EQ(districts.item_number(), 1);
  EXPECT_EQ(districts.subject(), "学区划分");
  EXPECT_EQ(districts.applicant_count(), 3);
  EXPECT_EQ(districts.request_count(), 3);
  EXPECT_THAT(districts.other_subjects(), Contains("关于申请公开学区划分的信息"));
  EXPECT_EQ(review.most_requested(1).subject(), "低保名单");

  // Stored: read back in pages, bound to the review.
  v1::ListSelfReviewMostRequestedRequest page;
  page.set_review_id(review.id());
  page.set_page_size(1);
  ASSERT_OK_AND_ASSIGN(v1::ListSelfReviewMostRequestedResponse first,
                       C(&CatalogStub::ListSelfReviewMostRequested, staff, page));
  ASSERT_THAT(first.items(), SizeIs(1));
  EXPECT_EQ(first.items(0).item_number(), 1);
  page.set_page_token(first.next_page_token());
  ASSERT_OK_AND_ASSIGN(v1::ListSelfReviewMostRequestedResponse second,
                       C(&CatalogStub::ListSelfReviewMostRequested, staff, page));
  ASSERT_THAT(second.items(), SizeIs(1));
  EXPECT_EQ(second.items(0).subject(), "低保名单");
  EXPECT_NE(second.next_page_token(), "");

  // Not complete while an item is undecided: the refusal names them.
  v1::CompleteSelfReviewRequest complete;
  complete.set_id(review.id());
  EXPECT_THAT(C(&CatalogStub::CompleteSelfReview, staff, complete),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       AllOf(HasSubstr("1 \"学区划分\""), HasSubstr("2 \"低保名单\""))));

  // Kept on request: the reason is required (bad input names the field, writes nothing).
  v1::DecideMostRequestedRequest keep;
  keep.set_review_id(review.id());
  keep.set_item_number(2);
  keep.set_decision(v1::KEEP_ON_REQUEST);
  absl::StatusOr<v1::SelfReview> no_reason = C(&CatalogStub::DecideMostRequested, staff, keep);
  EXPECT_THAT(no_reason, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("reason")));
  EXPECT_THAT(ViolatedFields(no_reason.status()), Contains("reason"));
  keep.set_reason("名单含个人信息，依申请逐案审查后提供");
  // Another unit's staff may not decide.
  EXPECT_THAT(C(&CatalogStub::DecideMostRequested, StaffOf(unit + 1000000), keep),
              StatusIs(absl::StatusCode::kPermissionDenied, testing::_));
  ASSERT_OK_AND_ASSIGN(v1::SelfReview kept, C(&CatalogStub::DecideMostRequested, staff, keep));
  EXPECT_EQ(kept.most_requested_decided_count(), 1);
  EXPECT_EQ(kept.most_requested_kept_count(), 1);

  // Disclosed proactively: the unit's catalog item and its ON_REQUEST document, which the
  // decision converts to PROACTIVE (back to the confidentiality review).
  v1::CreateCatalogItemRequest item_request;
  item_request.mutable_item()->set_category_id(109);
  item_request.mutable_item()->set_responsible_unit_id(unit);
  item_request.mutable_item()->set_content("义务教育学区划分");
  item_request.mutable_item()->set_time_limit("信息形成或变更之日起20个工作日内");
  item_request.mutable_item()->set_method("政府网站");
  ASSERT_OK_AND_ASSIGN(v1::CatalogItem catalog_item,
                       C(&CatalogStub::CreateCatalogItem, staff, item_request));
  v1::CreateDocumentRequest create;
  v1::Document* d = create.mutable_document();
  d->set_title("市教育局关于2026年义务教育学区划分的通知");
  d->set_body("各学校：现将学区划分通知如下。");
  d->set_drafting_unit_id(unit);
  d->set_issuing_authority(v1::DEPARTMENT);
  d->set_key_area(v1::EDUCATION);
  d->set_category_id(109);
  d->set_disclosure_attribute(v1::ON_REQUEST);
  d->set_nondisclosure_reason("涉及第三方合法权益");
  d->set_legal_basis("《中华人民共和国政府信息公开条例》第十五条");
  ASSERT_OK_AND_ASSIGN(v1::Document document, C(&CatalogStub::CreateDocument, staff, create));
  v1::SubmitDocumentRequest submit;
  submit.set_id(document.id());
  ASSERT_THAT(C(&CatalogStub::SubmitDocument, staff, submit), IsOk());
  v1::ReviewDocumentRequest pass;
  pass.set_id(document.id());
  pass.set_outcome(v1::REVIEW_PASSED);
  pass.set_note("无涉密内容");
  ASSERT_OK_AND_ASSIGN(v1::Document approved,
                       C(&CatalogStub::ReviewDocument, ReviewerOf(unit), pass));
  ASSERT_EQ(approved.state(), v1::APPROVED);

  v1::DecideMostRequestedRequest disclose;
  disclose.set_review_id(review.id());
  disclose.set_item_number(1);
  disclose.set_decision(v1::DISCLOSE_PROACTIVELY);
  disclose.set_reason("三名申请人申请同一信息，纳入主动公开");
  // Both the catalog item and the document are required.
  absl::StatusOr<v1::SelfReview> incomplete = C(&CatalogStub::DecideMostRequested, staff, disclose);
  EXPECT_THAT(ViolatedFields(incomplete.status()), Contains("catalog_item_id"));
  EXPECT_THAT(ViolatedFields(incomplete.status()), Contains("document_id"));
  disclose.set_catalog_item_id(catalog_item.id());
  disclose.set_document_id(document.id());
  ASSERT_OK_AND_ASSIGN(v1::SelfReview disclosed,
                       C(&CatalogStub::DecideMostRequested, staff, disclose));
  EXPECT_EQ(disclosed.most_requested_decided_count(), 2);
  EXPECT_EQ(disclosed.most_requested_disclosed_count(), 1);
  ASSERT_THAT(disclosed.most_requested(), SizeIs(3));
  EXPECT_EQ(disclosed.most_requested(0).decision(), v1::DISCLOSE_PROACTIVELY);
  EXPECT_EQ(disclosed.most_requested(0).document_action(), v1::DOCUMENT_CONVERTED);
  EXPECT_EQ(disclosed.most_requested(0).catalog_item_id(), catalog_item.id());
  EXPECT_EQ(disclosed.most_requested(0).document_id(), document.id());
  EXPECT_EQ(disclosed.most_requested(0).decided_by(), absl::StrCat("staff-", unit));
  v1::GetDocumentRequest get;
  get.set_id(document.id());
  ASSERT_OK_AND_ASSIGN(v1::Document converted, C(&CatalogStub::GetDocument, staff, get));
  EXPECT_EQ(converted.disclosure_attribute(), v1::PROACTIVE);
  EXPECT_EQ(converted.state(), v1::PENDING_REVIEW);
  v1::ListDocumentAuditRequest audit;
  audit.set_id(document.id());
  audit.set_page_size(100);
  ASSERT_OK_AND_ASSIGN(v1::ListDocumentAuditResponse trail,
                       C(&CatalogStub::ListDocumentAudit, staff, audit));
  bool recorded = false;
  for (const auto& entry : trail.entries()) {
    recorded |= absl::StrContains(entry.detail(), "most-requested item 1");
  }
  EXPECT_TRUE(recorded) << trail.DebugString();
  // Decided once.
  EXPECT_THAT(C(&CatalogStub::DecideMostRequested, staff, disclose),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("already decided")));

  // Disclosed proactively through a catalog item and a PROACTIVE draft both created by
  // the decision (checked as their own creates; placed in the unit and the category).
  v1::DecideMostRequestedRequest create_both;
  create_both.set_review_id(review.id());
  create_both.set_item_number(3);
  create_both.set_decision(v1::DISCLOSE_PROACTIVELY);
  create_both.set_reason("两名申请人申请，招生计划应主动公开");
  v1::CatalogItem* new_item = create_both.mutable_new_catalog_item();
  new_item->set_category_id(109);
  new_item->set_content("义务教育阶段招生计划");
  new_item->set_time_limit("每年5月31日前");
  new_item->set_method("政府网站");
  v1::Document* new_document = create_both.mutable_new_document();
  new_document->set_title("市教育局2026年义务教育招生计划");
  new_document->set_body("2026年全市义务教育招生计划如下。");
  new_document->set_issuing_authority(v1::DEPARTMENT);
  new_document->set_key_area(v1::EDUCATION);
  ASSERT_OK_AND_ASSIGN(v1::SelfReview created,
                       C(&CatalogStub::DecideMostRequested, staff, create_both));
  EXPECT_EQ(created.most_requested_disclosed_count(), 2);
  const v1::MostRequestedInformation& plan = created.most_requested(2);
  EXPECT_EQ(plan.document_action(), v1::DOCUMENT_CREATED);
  EXPECT_TRUE(plan.catalog_item_created());
  v1::GetCatalogItemRequest get_item;
  get_item.set_id(plan.catalog_item_id());
  ASSERT_OK_AND_ASSIGN(v1::CatalogItem stored_item,
                       C(&CatalogStub::GetCatalogItem, staff, get_item));
  EXPECT_EQ(stored_item.responsible_unit_id(), unit);
  EXPECT_EQ(stored_item.content(), "义务教育阶段招生计划");
  get.set_id(plan.document_id());
  ASSERT_OK_AND_ASSIGN(v1::Document draft, C(&CatalogStub::GetDocument, staff, get));
  EXPECT_EQ(draft.state(), v1::DRAFT);
  EXPECT_EQ(draft.disclosure_attribute(), v1::PROACTIVE);
  EXPECT_EQ(draft.drafting_unit_id(), unit);
  EXPECT_EQ(draft.category_id(), 109);
  EXPECT_TRUE(draft.has_publication_deadline());  // CAT-3 from the decision.

  // Every item decided (no undisclosed documents were there at the start): complete, and
  // the general office no longer lists the unit.
  ASSERT_OK_AND_ASSIGN(v1::SelfReview completed,
                       C(&CatalogStub::CompleteSelfReview, staff, complete));
  EXPECT_EQ(completed.state(), v1::SELF_REVIEW_COMPLETED);
  v1::ListIncompleteSelfReviewsRequest incomplete_units;
  incomplete_units.set_year(year);
  incomplete_units.set_page_size(100);
  bool listed_unit = false;
  do {
    ASSERT_OK_AND_ASSIGN(v1::ListIncompleteSelfReviewsResponse units,
                         C(&CatalogStub::ListIncompleteSelfReviews, office_, incomplete_units));
    for (const auto& u : units.units()) listed_unit |= u.unit_id() == unit;
    incomplete_units.set_page_token(units.next_page_token());
  } while (!incomplete_units.page_token().empty());
  EXPECT_FALSE(listed_unit);
}

// Its own catalog process: the rule put here must not change the other suite's numbers.
class SelfReviewMostRequestedRulesE2eTest
    : public MostRequestedSuite<SelfReviewMostRequestedRulesE2eTest> {
 public:
  static constexpr char kDatabasePrefix[] = "most_requested_rules_e2e";
};

// ADR 0019 with CAT-7: a city's threshold of 3 different applicants, put as
// catalog.self_review v2 at run time, builds the next review's list without a rebuild.
TEST_F(SelfReviewMostRequestedRulesE2eTest, Cat7ACitysThresholdPutAtRunTimeBuildsTheNextList) {
  const int64_t unit = NewUnit("MR-E2E-RULES");
  std::vector<int> years = {File(unit, "学区划分", 1), File(unit, "学区划分", 2),
                            File(unit, "学区划分", 3), File(unit, "低保名单", 4),
                            File(unit, "低保名单", 5)};
  const int year = years.front();
  if (years.back() != year) GTEST_SKIP() << "the year " << year << " ended during the filing";

  common::v1::PutRuleSetRequest put;
  put.set_rule_set_json(R"({"name": "catalog.self_review", "version": 2,
      "effective_from": "2020-01-01", "basis": "某市政务公开办法（三名以上申请人）",
      "rules": {"self_review.most_requested.min_applicants": {"value": 3, "unit": "count"}}})");
  ASSERT_THAT(Call(*rules_stub_, &RulesStub::PutRuleSet, admin_, put), IsOk());

  ASSERT_OK_AND_ASSIGN(v1::SelfReview review, Start(unit, year));
  EXPECT_EQ(review.most_requested_min_applicants(), 3);
  EXPECT_EQ(review.most_requested_rule_version(), "catalog.self_review@2");
  EXPECT_THAT(review.most_requested_rule(), HasSubstr("= 3"));
  ASSERT_THAT(review.most_requested(), SizeIs(1));
  EXPECT_EQ(review.most_requested(0).subject(), "学区划分");
  EXPECT_THAT(review.most_requested(),
              Not(Contains(testing::Property(&v1::MostRequestedInformation::subject, "低保名单"))));
}

}  // namespace
}  // namespace gongkai::e2e
