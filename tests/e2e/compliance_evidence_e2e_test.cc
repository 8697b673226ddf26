// End-to-end tests of the catalog's compliance evidence (ASM-6 items 3, 4, 5, 11, 14;
// ADR 0022) in the gongkai-catalog binary: data created through the public gRPC API,
// then gongkai.common.v1.ComplianceEvidenceService.GetComplianceEvidence with an
// INSPECTOR token.
//
// Everything is created "today" (the real clock) and the period asked is read once,
// relative to it: [today - 10, today + 1], so a run across midnight still holds the
// data. The period has not ended, so every item is marked incomplete; the counts are
// the records behind it. Item 5's self-reviews and item 14's reports depend on whether
// a Dec 31 or a Jan 31 falls in the period: the expectation is computed from the same
// today. The service gets the stand-in calendars (stand_in_calendar.h) so CAT-3 and NAT-7
// due dates are computed, not pending, whatever day the suite runs.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "gmock/gmock.h"
#include "gongkai/catalog/v1/catalog.grpc.pb.h"
#include "gongkai/catalog/v1/disclosure_requests.grpc.pb.h"
#include "gongkai/common/v1/compliance_evidence.grpc.pb.h"
#include "libs/calendar/working_day_calendar.h"
#include "libs/clock/clock.h"
#include "libs/db/testing/status_matchers.h"
#include "libs/status/status_macros.h"
#include "tests/e2e/catalog_suite.h"
#include "tests/e2e/catalog_under_test.h"
#include "tests/e2e/grpc_call.h"
#include "tests/e2e/stand_in_calendar.h"

namespace gongkai::e2e {
namespace {

namespace v1 = ::gongkai::catalog::v1;
using common::v1::ComplianceEvidence;
using common::v1::ComplianceEvidenceService;
using common::v1::EvidenceIndicator;
using common::v1::GetComplianceEvidenceRequest;
using common::v1::ItemEvidence;
using ::gongkai::db::testing::IsOk;
using ::gongkai::db::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using CatalogStub = v1::CatalogService::Stub;
using RequestStub = v1::DisclosureRequestService::Stub;
using EvidenceStub = ComplianceEvidenceService::Stub;

common::v1::Date ToDate(absl::CivilDay d) {
  common::v1::Date date;
  date.set_year(static_cast<int32_t>(d.year()));
  date.set_month(d.month());
  date.set_day(d.day());
  return date;
}

std::string Ref(absl::string_view kind, int64_t id) { return absl::StrCat(kind, "/", id); }

class ComplianceEvidenceE2eTest : public CatalogSuite<ComplianceEvidenceE2eTest> {
 public:
  static constexpr char kDatabasePrefix[] = "evidence_e2e";
  static std::map<std::string, std::string> CatalogEnv() {
    return {{"GONGKAI_CALENDAR_DIR", StandInCalendarDir()}};
  }

 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(CatalogSuite::SetUp());
    auto channel =
        grpc::CreateChannel(catalog_->service().grpc_address(), grpc::InsecureChannelCredentials());
    catalog_stub_ = v1::CatalogService::NewStub(channel);
    requests_ = v1::DisclosureRequestService::NewStub(channel);
    evidence_ = ComplianceEvidenceService::NewStub(channel);
    admin_ = catalog_->Token("e2e-admin", std::nullopt, {"ADMIN"});
    inspector_ = catalog_->Token("e2e-inspector", std::nullopt, {"INSPECTOR"});
  }

  int64_t NewUnit() {
    static int counter = 0;
    v1::CreateUnitRequest request;
    request.mutable_unit()->set_code(absl::StrCat("EVID-E2E-", ++counter));
    request.mutable_unit()->set_name("市教育局");
    request.mutable_unit()->set_level(v1::UNIT_LEVEL_DEPARTMENT);
    absl::StatusOr<v1::Unit> unit =
        UnaryCall(*catalog_stub_, &CatalogStub::CreateUnit, admin_, request);
    EXPECT_TRUE(unit.ok()) << unit.status();
    return unit.ok() ? unit->id() : 0;
  }

  static v1::CreateDocumentRequest Draft(int64_t unit_id, v1::DisclosureAttribute attribute) {
    v1::CreateDocumentRequest request;
    v1::Document& d = *request.mutable_document();
    d.set_title("关于做好义务教育招生工作的通知");
    d.set_body("为做好本年度义务教育招生工作，现将有关事项通知如下。");
    d.set_drafting_unit_id(unit_id);
    d.set_issuing_authority(v1::DEPARTMENT);
    d.set_key_area(v1::EDUCATION);
    d.set_disclosure_attribute(attribute);
    if (attribute == v1::ON_REQUEST) {
      d.set_nondisclosure_reason("涉及第三方合法权益");
      d.set_legal_basis("《中华人民共和国政府信息公开条例》第十五条");
    }
    return request;
  }

  absl::StatusOr<ComplianceEvidence> Evidence(const std::string& token, int64_t unit_id,
                                              std::vector<common::v1::InspectionItem> items = {}) {
    GetComplianceEvidenceRequest request;
    request.set_unit_id(unit_id);
    *request.mutable_period_start() = ToDate(first_);
    *request.mutable_period_end() = ToDate(last_);
    for (auto item : items) request.add_items(item);
    return UnaryCall(*evidence_, &EvidenceStub::GetComplianceEvidence, token, request);
  }

  static const ItemEvidence& Item(const ComplianceEvidence& e, common::v1::InspectionItem item) {
    for (const ItemEvidence& i : e.items()) {
      if (i.item() == item) return i;
    }
    ADD_FAILURE() << "no item " << item;
    static const ItemEvidence* none = new ItemEvidence();
    return *none;
  }
  static const EvidenceIndicator& Indicator(const ItemEvidence& item, const std::string& name) {
    for (const EvidenceIndicator& i : item.indicators()) {
      if (i.name() == name) return i;
    }
    ADD_FAILURE() << "no indicator " << name;
    static const EvidenceIndicator* none = new EvidenceIndicator();
    return *none;
  }
  static std::vector<std::string> Refs(const ItemEvidence& item, const std::string& name) {
    const EvidenceIndicator& i = Indicator(item, name);
    EXPECT_EQ(i.count(), i.references_size()) << name;
    return {i.references().begin(), i.references().end()};
  }

  // Today, read once for the suite (Asia/Shanghai), and the period asked.
  const absl::CivilDay today_ = calendar::TodayInShanghai(RealClock());
  const absl::CivilDay first_ = today_ - 10;
  const absl::CivilDay last_ = today_ + 1;

  std::unique_ptr<CatalogStub> catalog_stub_;
  std::unique_ptr<RequestStub> requests_;
  std::unique_ptr<EvidenceStub> evidence_;
  std::string admin_;
  std::string inspector_;
};

TEST_F(ComplianceEvidenceE2eTest, Asm6InspectorSeesDocumentsCatalogAndRequestsOfTheUnit) {
  const int64_t unit = NewUnit();
  const int64_t other = NewUnit();
  const std::string staff = catalog_->Token(absl::StrCat("staff-", unit), unit, {"STAFF"});
  const std::string reviewer = catalog_->Token(absl::StrCat("rev-", unit), unit, {"REVIEWER"});

  // CAT-1..CAT-4: drafted, reviewed and published (on time against its CAT-3 due date).
  ASSERT_OK_AND_ASSIGN(
      v1::Document published,
      UnaryCall(*catalog_stub_, &CatalogStub::CreateDocument, staff, Draft(unit, v1::PROACTIVE)));
  v1::SubmitDocumentRequest submit;
  submit.set_id(published.id());
  ASSERT_THAT(UnaryCall(*catalog_stub_, &CatalogStub::SubmitDocument, staff, submit).status(),
              IsOk());
  v1::ReviewDocumentRequest review;
  review.set_id(published.id());
  review.set_outcome(v1::REVIEW_PASSED);
  ASSERT_THAT(UnaryCall(*catalog_stub_, &CatalogStub::ReviewDocument, reviewer, review).status(),
              IsOk());
  v1::PublishDocumentRequest publish;
  publish.set_id(published.id());
  ASSERT_THAT(UnaryCall(*catalog_stub_, &CatalogStub::PublishDocument, staff, publish).status(),
              IsOk());
  // CAT-2: submitted without an attribute, returned (退文).
  ASSERT_OK_AND_ASSIGN(v1::Document returned,
                       UnaryCall(*catalog_stub_, &CatalogStub::CreateDocument, staff,
                                 Draft(unit, v1::DISCLOSURE_ATTRIBUTE_UNSPECIFIED)));
  submit.set_id(returned.id());
  ASSERT_OK_AND_ASSIGN(v1::Document after_submit,
                       UnaryCall(*catalog_stub_, &CatalogStub::SubmitDocument, staff, submit));
  ASSERT_EQ(after_submit.state(), v1::RETURNED);
  ASSERT_OK_AND_ASSIGN(
      v1::Document on_request,
      UnaryCall(*catalog_stub_, &CatalogStub::CreateDocument, staff, Draft(unit, v1::ON_REQUEST)));
  // Another unit's document is not counted.
  ASSERT_THAT(
      UnaryCall(*catalog_stub_, &CatalogStub::CreateDocument,
                catalog_->Token("staff-other", other, {"STAFF"}), Draft(other, v1::PROACTIVE))
          .status(),
      IsOk());
  // CAT-5: a catalog item the unit is responsible for.
  v1::CreateCatalogItemRequest item_request;
  v1::CatalogItem& item = *item_request.mutable_item();
  item.set_category_id(109);
  item.set_responsible_unit_id(unit);
  item.set_content("义务教育招生政策");
  item.set_time_limit("信息形成或变更之日起20个工作日内");
  item.set_method("政府网站");
  ASSERT_OK_AND_ASSIGN(
      v1::CatalogItem created_item,
      UnaryCall(*catalog_stub_, &CatalogStub::CreateCatalogItem, admin_, item_request));
  // CAT-8: a request filed by the public and answered on time.
  v1::FileRequestRequest filing;
  filing.set_unit_id(unit);
  filing.mutable_applicant()->set_type(v1::APPLICANT_NATURAL_PERSON);
  filing.mutable_applicant()->set_name("张三");
  filing.mutable_applicant()->set_id_number("450102199001010000");
  filing.mutable_applicant()->set_contact("13800000000");
  filing.set_subject("本区学区划分方案");
  ASSERT_OK_AND_ASSIGN(v1::FileRequestResponse filed,
                       UnaryCall(*requests_, &RequestStub::FileRequest, "", filing));
  v1::AnswerRequestRequest answer;
  answer.set_id(filed.request().id());
  answer.set_outcome(v1::OUTCOME_DISCLOSED);
  ASSERT_THAT(UnaryCall(*requests_, &RequestStub::AnswerRequest, staff, answer).status(), IsOk());

  ASSERT_OK_AND_ASSIGN(ComplianceEvidence e, Evidence(inspector_, unit));
  EXPECT_EQ(e.service(), "catalog");
  ASSERT_EQ(e.items_size(), 5);
  const std::string p = Ref("document", published.id());
  const std::string r = Ref("document", returned.id());
  const std::string o = Ref("document", on_request.id());

  const ItemEvidence& item3 = Item(e, common::v1::FIVE_DISCLOSURES_IN_PROCEDURES);
  EXPECT_THAT(Refs(item3, "documents_drafted"), ElementsAre(p, r, o));
  EXPECT_THAT(Refs(item3, "documents_returned_for_attribute"), ElementsAre(r));
  EXPECT_THAT(Refs(item3, "documents_published_after_review"), ElementsAre(p));
  // The period ends tomorrow: not complete.
  EXPECT_FALSE(item3.complete());
  EXPECT_THAT(item3.incomplete_reasons(), ElementsAre(HasSubstr("has not ended")));

  const ItemEvidence& item4 = Item(e, common::v1::DISCLOSURE_ATTRIBUTE);
  EXPECT_THAT(Refs(item4, "documents_proactive"), ElementsAre(p));
  EXPECT_THAT(Refs(item4, "documents_on_request"), ElementsAre(o));
  EXPECT_THAT(Refs(item4, "documents_not_disclosed"), IsEmpty());
  EXPECT_THAT(Refs(item4, "documents_without_attribute"), ElementsAre(r));

  const ItemEvidence& item5 = Item(e, common::v1::PROACTIVE_CATALOG);
  const std::string c = Ref("catalog_item", created_item.id());
  EXPECT_THAT(Refs(item5, "catalog_items_responsible"), ElementsAre(c));
  EXPECT_THAT(Refs(item5, "catalog_items_revised"), ElementsAre(c));
  EXPECT_THAT(Refs(item5, "documents_published_on_time"), ElementsAre(p));
  EXPECT_THAT(Refs(item5, "documents_published_late"), IsEmpty());
  EXPECT_THAT(Refs(item5, "documents_overdue_unpublished"), IsEmpty());
  EXPECT_THAT(Refs(item5, "self_reviews_completed"), IsEmpty());
  std::vector<std::string> reviews_missing;  // CAT-7: a past Dec 31 in the period.
  for (int year = static_cast<int>(first_.year()); year <= static_cast<int>(last_.year()); ++year) {
    const absl::CivilDay dec31(year, 12, 31);
    if (dec31 >= first_ && dec31 <= last_ && dec31 < today_) {
      reviews_missing.push_back(absl::StrCat("year/", year));
    }
  }
  EXPECT_THAT(Refs(item5, "self_reviews_missing"), ElementsAreArray(reviews_missing));
  EXPECT_THAT(Refs(item5, "self_review_conversions"), IsEmpty());

  const ItemEvidence& item11 = Item(e, common::v1::DISCLOSURE_ON_REQUEST);
  const std::string q = Ref("request", filed.request().id());
  EXPECT_THAT(Refs(item11, "requests_received"), ElementsAre(q));
  EXPECT_THAT(Refs(item11, "requests_answered"), ElementsAre(q));
  EXPECT_THAT(Refs(item11, "requests_answered_on_time"), ElementsAre(q));
  EXPECT_THAT(Refs(item11, "requests_answered_late"), IsEmpty());
  EXPECT_THAT(Refs(item11, "requests_open_overdue"), IsEmpty());
  EXPECT_THAT(Refs(item11, "requests_challenged"), IsEmpty());
  EXPECT_EQ(Indicator(item11, "requests_answered_late").requirement(), "NAT-7");

  const ItemEvidence& item14 = Item(e, common::v1::ANNUAL_REPORT);
  std::vector<std::string> reports_missing;  // NAT-10: a department's Jan 31 in the period.
  for (int year = static_cast<int>(first_.year()); year <= static_cast<int>(last_.year()); ++year) {
    const absl::CivilDay jan31(year, 1, 31);
    if (jan31 >= first_ && jan31 <= last_ && jan31 < today_) {
      reports_missing.push_back(absl::StrCat("year/", year - 1));
    }
  }
  EXPECT_THAT(Refs(item14, "annual_reports_published_on_time"), IsEmpty());
  EXPECT_THAT(Refs(item14, "annual_reports_missing"), ElementsAreArray(reports_missing));
}

TEST_F(ComplianceEvidenceE2eTest, StaffSeeTheirOwnUnitOnly) {
  const int64_t unit = NewUnit();
  const int64_t other = NewUnit();
  EXPECT_THAT(Evidence(catalog_->Token("staff-other", other, {"STAFF"}), unit),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("INSPECTOR")));
  ASSERT_OK_AND_ASSIGN(ComplianceEvidence own,
                       Evidence(catalog_->Token("staff-own", unit, {"STAFF"}), unit,
                                {common::v1::DISCLOSURE_ATTRIBUTE}));
  ASSERT_EQ(own.items_size(), 1);
  EXPECT_THAT(Refs(own.items(0), "documents_proactive"), IsEmpty());
}

TEST_F(ComplianceEvidenceE2eTest, AnItemTheCatalogDoesNotHoldIsNamed) {
  const int64_t unit = NewUnit();
  absl::StatusOr<ComplianceEvidence> refused =
      Evidence(inspector_, unit, {common::v1::POLICY_INTERPRETATION});
  EXPECT_THAT(refused, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("not held")));
  EXPECT_THAT(ViolatedFields(refused.status()), ElementsAre("items[0]"));
}

// CAT-7: the general office sees which units have not completed this year's review —
// none started, or still open — in keyset pages; unit staff may not list them.
TEST_F(ComplianceEvidenceE2eTest, Cat7OfficeSeesUnitsThatHaveNotCompletedTheYearsReview) {
  const int64_t none = NewUnit();
  const int64_t open = NewUnit();
  const int64_t done = NewUnit();
  const int year = calendar::TodayInShanghai(RealClock()).year();
  std::map<int64_t, int64_t> review_of;
  for (int64_t unit : {open, done}) {
    v1::StartSelfReviewRequest start;
    start.set_unit_id(unit);
    start.set_year(year);
    ASSERT_OK_AND_ASSIGN(
        v1::SelfReview review,
        UnaryCall(*catalog_stub_, &CatalogStub::StartSelfReview,
                  catalog_->Token(absl::StrCat("staff-", unit), unit, {"STAFF"}), start));
    review_of[unit] = review.id();
  }
  v1::CompleteSelfReviewRequest complete;  // No undisclosed documents: nothing to decide.
  complete.set_id(review_of[done]);
  ASSERT_THAT(UnaryCall(*catalog_stub_, &CatalogStub::CompleteSelfReview,
                        catalog_->Token(absl::StrCat("staff-", done), done, {"STAFF"}), complete)
                  .status(),
              IsOk());

  v1::ListIncompleteSelfReviewsRequest list;
  list.set_year(year);
  EXPECT_THAT(UnaryCall(*catalog_stub_, &CatalogStub::ListIncompleteSelfReviews,
                        catalog_->Token("staff-none", none, {"STAFF"}), list),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("OFFICE")));
  const std::string office = catalog_->Token("e2e-office", std::nullopt, {"OFFICE"});
  list.set_page_size(2);
  std::map<int64_t, v1::IncompleteSelfReview> listed;
  for (int pages = 0; pages < 1000; ++pages) {
    ASSERT_OK_AND_ASSIGN(
        v1::ListIncompleteSelfReviewsResponse page,
        UnaryCall(*catalog_stub_, &CatalogStub::ListIncompleteSelfReviews, office, list));
    for (const v1::IncompleteSelfReview& u : page.units()) listed[u.unit_id()] = u;
    if (page.next_page_token().empty()) break;
    list.set_page_token(page.next_page_token());
  }
  ASSERT_TRUE(listed.count(none));
  EXPECT_EQ(listed[none].self_review_id(), 0);
  ASSERT_TRUE(listed.count(open));
  EXPECT_EQ(listed[open].self_review_id(), review_of[open]);
  EXPECT_EQ(listed[open].state(), v1::SELF_REVIEW_OPEN);
  EXPECT_FALSE(listed.count(done));
}

TEST_F(ComplianceEvidenceE2eTest, AUnitThatDoesNotExistIsNotFound) {
  EXPECT_THAT(Evidence(inspector_, 987654321),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("987654321")));
}

}  // namespace
}  // namespace gongkai::e2e
