// Unit tests of the annual report's domain rules (CAT-9, NAT-10) over the fake
// repository and a fake publisher.
#include "services/catalog/annual_report/annual_reports.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <limits>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "libs/db/testing/status_matchers.h"
#include "libs/status/errors.h"
#include "services/catalog/annual_report/fake_report_repository.h"
#include "services/catalog/annual_report/html_renderer.h"
#include "services/catalog/catalog_rule_sets_testing.h"

namespace gongkai::catalog::annual_report {
namespace {

using ::gongkai::db::testing::IsOk;
using ::gongkai::db::testing::StatusIs;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::SizeIs;

constexpr int64_t kDept = 7;
constexpr int64_t kOtherDept = 8;
constexpr int64_t kCity = 1;

// Models the catalog's idempotent create: one document per (creator, request_id).
// Document ids are 501, 502, ... in creation order.
class FakePublisher final : public ReportPublisher {
 public:
  absl::StatusOr<std::optional<int64_t>> FindCreatedDocument(
      absl::string_view subject, absl::string_view request_id) override {
    auto it = keys_.find({std::string(subject), std::string(request_id)});
    if (it == keys_.end()) return std::optional<int64_t>();
    return std::optional<int64_t>(it->second);
  }
  absl::StatusOr<int64_t> CreateDocument(const auth::Principal& caller,
                                         const ReportDocument& document) override {
    if (!fail_create.ok()) return std::exchange(fail_create, absl::OkStatus());
    auto [it, inserted] = keys_.try_emplace({caller.subject, document.request_id}, 0);
    if (inserted) {
      calls.push_back(document);
      callers.push_back(caller.subject);
      it->second = 500 + static_cast<int64_t>(calls.size());
    }
    return it->second;
  }
  absl::StatusOr<PublishStep> PublishDocument(const auth::Principal& caller,
                                              int64_t document_id) override {
    if (!fail_publish.ok()) return std::exchange(fail_publish, absl::OkStatus());
    if (awaiting_review) {
      submitted.push_back(document_id);
      return PublishStep::kAwaitingReview;
    }
    publishers.push_back(caller.subject);
    published.push_back(document_id);
    return PublishStep::kPublished;
  }

  // Every document created, with its creator.
  std::vector<ReportDocument> calls;
  std::vector<std::string> callers;
  // Every successful PublishDocument: who, which document.
  std::vector<std::string> publishers;
  std::vector<int64_t> published;
  // CAT-4: while true, the document waits in the reviewers' queue (a reviewer passing
  // it is modelled by setting it back to false).
  bool awaiting_review = false;
  std::vector<int64_t> submitted;
  // The next CreateDocument / PublishDocument fails with this status (once).
  absl::Status fail_create;
  absl::Status fail_publish;

 private:
  std::map<std::pair<std::string, std::string>, int64_t> keys_;
};

auth::Principal Make(std::string subject, std::optional<int64_t> unit,
                     std::initializer_list<auth::Role> roles) {
  auth::Principal p;
  p.subject = std::move(subject);
  p.unit_id = unit;
  p.roles = auth::RoleSet(roles);
  return p;
}

absl::Time Shanghai(int y, int m, int d) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, 10, 0, 0), ShanghaiTimeZone());
}

class AnnualReportsTest : public ::testing::Test {
 protected:
  AnnualReportsTest()
      : clock_(Shanghai(2025, 1, 20)), reports_(&repo_, &publisher_, rules_, &clock_) {
    repo_.AddUnit({kCity, "市人民政府", v1::UNIT_LEVEL_CITY});
    repo_.AddUnit({kDept, "市教育局", v1::UNIT_LEVEL_DEPARTMENT});
    repo_.AddUnit({kOtherDept, "市卫生健康委", v1::UNIT_LEVEL_DEPARTMENT});
    // 2024 for the education bureau: 3 new, 1 carried over from 2023, 3 handled, 1 open.
    repo_.AddRequest({.unit_id = kDept,
                      .received_on = absl::CivilDay(2023, 12, 28),
                      .answered_on = absl::CivilDay(2024, 1, 8),
                      .outcome = v1::OUTCOME_DISCLOSED});
    repo_.AddRequest({.unit_id = kDept,
                      .applicant_type = v1::APPLICANT_BUSINESS,
                      .received_on = absl::CivilDay(2024, 3, 1),
                      .answered_on = absl::CivilDay(2024, 3, 20),
                      .outcome = v1::OUTCOME_NOT_DISCLOSED_STATE_SECRET});
    repo_.AddRequest({.unit_id = kDept,
                      .received_on = absl::CivilDay(2024, 6, 1),
                      .answered_on = absl::CivilDay(2024, 6, 5),
                      .outcome = v1::OUTCOME_ALREADY_PUBLIC});
    repo_.AddRequest({.unit_id = kDept,
                      .received_on = absl::CivilDay(2024, 12, 30),
                      .answered_on = absl::CivilDay(2025, 1, 5),
                      .outcome = v1::OUTCOME_PARTLY_DISCLOSED});
    // One for another department.
    repo_.AddRequest({.unit_id = kOtherDept, .received_on = absl::CivilDay(2024, 5, 5)});
  }

  v1::ComputeAnnualReportRequest ComputeRequest(int year, int64_t unit) {
    v1::ComputeAnnualReportRequest r;
    r.set_year(year);
    r.set_unit_id(unit);
    return r;
  }
  v1::PublishAnnualReportRequest PublishRequest(int year, int64_t unit) {
    v1::PublishAnnualReportRequest r;
    r.set_year(year);
    r.set_unit_id(unit);
    return r;
  }
  v1::GetAnnualReportRequest GetRequest(int year, int64_t unit) {
    v1::GetAnnualReportRequest r;
    r.set_year(year);
    r.set_unit_id(unit);
    return r;
  }

  FakeReportRepository repo_;
  FakePublisher publisher_;
  FakeClock clock_;
  // The shipped rule sets (services/catalog/rules): NAT-10 deadlines.
  std::shared_ptr<rules::RuleBook> rules_ = catalog_testing::NationalRuleBook();
  AnnualReports reports_;
  const auth::Principal office_ = Make("office", std::nullopt, {auth::Role::kOffice});
  const auth::Principal admin_ = Make("admin", std::nullopt, {auth::Role::kAdmin});
  const auth::Principal staff_ = Make("staff", kDept, {auth::Role::kStaff});
  const auth::Principal staff_reviewer_ =
      Make("clerk", kDept, {auth::Role::kStaff, auth::Role::kReviewer});
  const auth::Principal anonymous_ = auth::Principal::Anonymous();
  // A second user allowed to publish the education bureau's report.
  const auth::Principal other_clerk_ =
      Make("clerk2", kDept, {auth::Role::kStaff, auth::Role::kReviewer});

  std::vector<std::string> AuditActions() const {
    std::vector<std::string> actions;
    for (const ReportAudit& a : repo_.audit()) actions.push_back(a.action);
    return actions;
  }
  v1::AnnualReportState StoredState() {
    absl::StatusOr<std::optional<StoredReport>> stored = repo_.FindReport(2024, kDept);
    EXPECT_THAT(stored, IsOk());
    return stored.ok() && stored->has_value() ? (*stored)->state
                                              : v1::ANNUAL_REPORT_STATE_UNSPECIFIED;
  }
};

TEST_F(AnnualReportsTest, ComputeCountsTheUnitsRequests) {
  absl::StatusOr<v1::AnnualReport> report =
      reports_.ComputeAnnualReport(staff_, ComputeRequest(2024, kDept));
  ASSERT_THAT(report, IsOk());
  EXPECT_EQ(report->unit_name(), "市教育局");
  EXPECT_EQ(report->state(), v1::ANNUAL_REPORT_DRAFT);
  const v1::RequestTable& t = report->requests();
  EXPECT_EQ(t.new_requests().total(), 3);
  EXPECT_EQ(t.new_requests().business(), 1);
  EXPECT_EQ(t.carried_over().natural_person(), 1);
  EXPECT_EQ(t.total_handled().total(), 3);
  EXPECT_EQ(t.outcomes(0).counts().natural_person(), 2);  // Disclosed incl. already public.
  EXPECT_EQ(t.carried_forward().total(), 1);
  EXPECT_EQ(report->due().month(), 1);
  EXPECT_EQ(report->due().day(), 31);
  EXPECT_EQ(report->due().year(), 2025);
}

TEST_F(AnnualReportsTest, WholeGovernmentCountsEveryUnitAndIsDueMarch31) {
  absl::StatusOr<v1::AnnualReport> report =
      reports_.ComputeAnnualReport(office_, ComputeRequest(2024, 0));
  ASSERT_THAT(report, IsOk());
  EXPECT_EQ(report->requests().new_requests().total(), 4);
  EXPECT_EQ(report->requests().carried_forward().total(), 2);
  EXPECT_EQ(report->due().month(), 3);
}

TEST_F(AnnualReportsTest, StaffCannotComputeTheWholeGovernmentOrAnotherUnit) {
  EXPECT_THAT(reports_.ComputeAnnualReport(staff_, ComputeRequest(2024, 0)),
              StatusIs(absl::StatusCode::kPermissionDenied, testing::_));
  EXPECT_THAT(reports_.ComputeAnnualReport(staff_, ComputeRequest(2024, kOtherDept)),
              StatusIs(absl::StatusCode::kPermissionDenied, testing::_));
  EXPECT_THAT(reports_.ComputeAnnualReport(anonymous_, ComputeRequest(2024, kDept)),
              StatusIs(absl::StatusCode::kUnauthenticated, testing::_));
}

TEST_F(AnnualReportsTest, BadYearUnitAndInputsAreNamed) {
  v1::ComputeAnnualReportRequest r = ComputeRequest(2007, -1);
  r.mutable_inputs()->set_penalty_decisions(-3);
  r.mutable_inputs()->mutable_opening_carried_over()->set_business(2);
  r.mutable_inputs()->mutable_opening_carried_over()->set_total(5);
  const absl::Status status = reports_.ComputeAnnualReport(office_, r).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  std::vector<std::string> fields;
  for (const FieldViolation& v : FieldViolationsOf(status)) fields.push_back(v.field);
  EXPECT_THAT(fields, ElementsAre("year", "unit_id", "inputs.penalty_decisions",
                                  "inputs.opening_carried_over.total"));
  EXPECT_THAT(
      reports_.ComputeAnnualReport(office_, ComputeRequest(2026, kDept)),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("year: must be from 2008 to 2025")));
}

// NAT-10: entered figures are bounded, so no sum of them can overflow int64 (which was
// undefined behaviour in the total's check and in the whole government's sums).
TEST_F(AnnualReportsTest, NAT10_EnteredCountsThatCouldOverflowAreRefusedByName) {
  constexpr int64_t kHuge = std::numeric_limits<int64_t>::max();
  v1::ComputeAnnualReportRequest r = ComputeRequest(2024, kDept);
  r.mutable_inputs()->set_fee_income_fen(kHuge);
  r.mutable_inputs()->mutable_opening_carried_over()->set_natural_person(kHuge);
  r.mutable_inputs()->mutable_opening_carried_over()->set_business(kHuge);
  const absl::Status status = reports_.ComputeAnnualReport(office_, r).status();
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument,
                               HasSubstr("must be at most 1000000000000")));
  std::vector<std::string> fields;
  for (const FieldViolation& v : FieldViolationsOf(status)) fields.push_back(v.field);
  EXPECT_THAT(fields,
              ElementsAre("inputs.fee_income_fen", "inputs.opening_carried_over.natural_person",
                          "inputs.opening_carried_over.business"));

  v1::SaveAnnualReportRequest save;
  save.set_year(2024);
  save.set_unit_id(kDept);
  save.mutable_inputs()->set_licensing_decisions(kHuge);
  EXPECT_THAT(
      reports_.SaveAnnualReport(office_, save),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("inputs.licensing_decisions")));
}

TEST_F(AnnualReportsTest, UnknownUnitIsNotFound) {
  EXPECT_THAT(reports_.ComputeAnnualReport(office_, ComputeRequest(2024, 99)),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("unit 99")));
}

TEST_F(AnnualReportsTest, ComputeRefusesATableThatDoesNotAddUp) {
  repo_.AddRequest({.unit_id = kDept,
                    .received_on = absl::CivilDay(2024, 8, 1),
                    .answered_on = absl::CivilDay(2024, 8, 2),
                    .outcome = 0});
  EXPECT_THAT(
      reports_.ComputeAnnualReport(office_, ComputeRequest(2024, kDept)),
      StatusIs(absl::StatusCode::kFailedPrecondition,
               AllOf(HasSubstr("Table 3 does not add up"), HasSubstr("requests.natural_person"))));
}

TEST_F(AnnualReportsTest, SaveStoresInputsThatComputeThenUses) {
  v1::SaveAnnualReportRequest save;
  save.set_year(2024);
  save.set_unit_id(kDept);
  save.mutable_inputs()->set_licensing_decisions(12);
  absl::StatusOr<v1::AnnualReport> saved = reports_.SaveAnnualReport(staff_, save);
  ASSERT_THAT(saved, IsOk());
  EXPECT_EQ(saved->version(), 1);
  absl::StatusOr<v1::AnnualReport> computed =
      reports_.ComputeAnnualReport(staff_, ComputeRequest(2024, kDept));
  ASSERT_THAT(computed, IsOk());
  EXPECT_EQ(computed->proactive_disclosure().licensing_decisions().value(), 12);
  EXPECT_EQ(computed->version(), 1);

  save.set_expected_version(5);
  EXPECT_THAT(reports_.SaveAnnualReport(staff_, save),
              StatusIs(absl::StatusCode::kAborted, HasSubstr("version 1, not 5")));
}

// NAT-10 Table 2: the unit's repealed and in-force normative documents come from the
// catalog; an entered figure for the repealed ones (deprecated) is ignored and no longer
// validated.
TEST_F(AnnualReportsTest, Nat10NormativeDocumentsRepealedAndInForceAreComputed) {
  const absl::Time published =
      absl::FromCivil(absl::CivilSecond(2024, 3, 1, 9, 0, 0), ShanghaiTimeZone());
  repo_.AddPolicyDocument(
      {.unit_id = kDept, .publish_time = published, .repealed_on = absl::CivilDay(2024, 9, 1)});
  repo_.AddPolicyDocument({.unit_id = kDept, .publish_time = published});
  repo_.AddPolicyDocument({.unit_id = kOtherDept,
                           .publish_time = published,
                           .repealed_on = absl::CivilDay(2024, 10, 1)});
  v1::ComputeAnnualReportRequest r = ComputeRequest(2024, kDept);
  r.mutable_inputs()->set_normative_documents_repealed(-5);
  absl::StatusOr<v1::AnnualReport> report = reports_.ComputeAnnualReport(staff_, r);
  ASSERT_THAT(report, IsOk());
  const v1::ProactiveDisclosureTable& t = report->proactive_disclosure();
  EXPECT_EQ(t.normative_documents_made().value(), 2);
  EXPECT_EQ(t.normative_documents_repealed().value(), 1);
  EXPECT_EQ(t.normative_documents_repealed().source(), v1::FIGURE_COMPUTED);
  EXPECT_EQ(t.normative_documents_in_force().value(), 1);
  EXPECT_EQ(t.normative_documents_in_force().source(), v1::FIGURE_COMPUTED);

  absl::StatusOr<v1::AnnualReport> whole =
      reports_.ComputeAnnualReport(office_, ComputeRequest(2024, 0));
  ASSERT_THAT(whole, IsOk());
  EXPECT_EQ(whole->proactive_disclosure().normative_documents_repealed().value(), 2);
  EXPECT_EQ(whole->proactive_disclosure().normative_documents_in_force().value(), 1);
}

TEST_F(AnnualReportsTest, SaveWithVersionZeroNeverOverwritesAStoredDraft) {
  v1::SaveAnnualReportRequest save;
  save.set_year(2024);
  save.set_unit_id(kDept);
  save.mutable_inputs()->set_licensing_decisions(12);
  ASSERT_THAT(reports_.SaveAnnualReport(staff_, save), IsOk());
  const int writes = repo_.writes();

  save.mutable_inputs()->set_licensing_decisions(99);
  EXPECT_THAT(reports_.SaveAnnualReport(staff_, save),
              StatusIs(absl::StatusCode::kAborted, HasSubstr("already exists at version 1")));
  EXPECT_EQ(repo_.writes(), writes);
  absl::StatusOr<v1::AnnualReport> computed =
      reports_.ComputeAnnualReport(staff_, ComputeRequest(2024, kDept));
  ASSERT_THAT(computed, IsOk());
  EXPECT_EQ(computed->proactive_disclosure().licensing_decisions().value(), 12);

  save.set_expected_version(1);
  absl::StatusOr<v1::AnnualReport> updated = reports_.SaveAnnualReport(staff_, save);
  ASSERT_THAT(updated, IsOk());
  EXPECT_EQ(updated->version(), 2);
}

TEST_F(AnnualReportsTest, SaveThatBreaksTheInvariantWritesNothing) {
  v1::SaveAnnualReportRequest save;
  save.set_year(2024);
  save.set_unit_id(kDept);
  save.mutable_inputs()->mutable_opening_carried_over()->set_natural_person(9);
  EXPECT_THAT(reports_.SaveAnnualReport(staff_, save),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("自然人")));
  EXPECT_EQ(repo_.writes(), 0);
}

TEST_F(AnnualReportsTest, PublishWaitsForTheYearToEnd) {
  EXPECT_THAT(
      reports_.PublishAnnualReport(admin_, PublishRequest(2025, kDept)),
      StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("once the year has ended")));
  EXPECT_THAT(publisher_.calls, SizeIs(0));
}

// Publishing is the drafting unit's (STAFF), the office's or an administrator's; a
// reviewer reviews but does not publish. (Before CAT-4 the publisher also needed the
// review right, because it passed the review itself; it no longer does.)
TEST_F(AnnualReportsTest, PublishNeedsThePublishRight) {
  const auth::Principal reviewer = Make("reviewer", kDept, {auth::Role::kReviewer});
  EXPECT_THAT(reports_.PublishAnnualReport(reviewer, PublishRequest(2024, kDept)),
              StatusIs(absl::StatusCode::kPermissionDenied, testing::_));
  EXPECT_THAT(publisher_.calls, SizeIs(0));
  EXPECT_EQ(repo_.writes(), 0);
}

// CAT-4: the report's document goes to a real reviewer's queue; the publication stays
// PUBLISHING with its document until the review passed, then completes on the next call.
TEST_F(AnnualReportsTest, Cat4ReportWaitsInTheReviewersQueueThenPublishes) {
  publisher_.awaiting_review = true;
  absl::StatusOr<v1::AnnualReport> submitted =
      reports_.PublishAnnualReport(staff_, PublishRequest(2024, kDept));
  ASSERT_THAT(submitted, IsOk());
  EXPECT_EQ(submitted->state(), v1::ANNUAL_REPORT_PUBLISHING);
  EXPECT_EQ(submitted->document_id(), 501);
  EXPECT_EQ(StoredState(), v1::ANNUAL_REPORT_PUBLISHING);
  EXPECT_THAT(publisher_.submitted, ElementsAre(501));
  EXPECT_THAT(publisher_.published, SizeIs(0));
  // Asked again before the review: still waiting, nothing created twice.
  ASSERT_THAT(reports_.PublishAnnualReport(staff_, PublishRequest(2024, kDept)), IsOk());
  EXPECT_EQ(StoredState(), v1::ANNUAL_REPORT_PUBLISHING);

  publisher_.awaiting_review = false;  // A reviewer of the unit passed the review.
  absl::StatusOr<v1::AnnualReport> published =
      reports_.PublishAnnualReport(staff_, PublishRequest(2024, kDept));
  ASSERT_THAT(published, IsOk());
  EXPECT_EQ(published->state(), v1::ANNUAL_REPORT_PUBLISHED);
  EXPECT_EQ(published->document_id(), 501);
  EXPECT_THAT(publisher_.calls, SizeIs(1));
  EXPECT_THAT(publisher_.published, ElementsAre(501));
}

TEST_F(AnnualReportsTest, PublishStoresTheSnapshotAndPublishesADocument) {
  absl::StatusOr<v1::AnnualReport> published =
      reports_.PublishAnnualReport(staff_reviewer_, PublishRequest(2024, kDept));
  ASSERT_THAT(published, IsOk());
  EXPECT_EQ(published->state(), v1::ANNUAL_REPORT_PUBLISHED);
  EXPECT_EQ(published->document_id(), 501);
  EXPECT_EQ(published->published_by(), "clerk");
  ASSERT_THAT(publisher_.calls, SizeIs(1));
  EXPECT_EQ(publisher_.calls[0].drafting_unit_id, kDept);
  EXPECT_EQ(publisher_.calls[0].title, "市教育局2024年政府信息公开工作年度报告");
  EXPECT_EQ(publisher_.calls[0].request_id, "annual-report-1");  // The report row's id.
  EXPECT_THAT(publisher_.calls[0].body, HasSubstr("data-table=\"3\""));

  // Anyone reads the snapshot; new data does not change it.
  repo_.AddRequest({.unit_id = kDept, .received_on = absl::CivilDay(2024, 9, 9)});
  absl::StatusOr<v1::AnnualReport> read =
      reports_.GetAnnualReport(anonymous_, GetRequest(2024, kDept));
  ASSERT_THAT(read, IsOk());
  EXPECT_EQ(read->requests().new_requests().total(), 3);
  EXPECT_EQ(read->document_id(), 501);

  // A retry returns the published report without publishing again.
  ASSERT_THAT(reports_.PublishAnnualReport(staff_reviewer_, PublishRequest(2024, kDept)), IsOk());
  EXPECT_THAT(publisher_.calls, SizeIs(1));

  v1::SaveAnnualReportRequest save;
  save.set_year(2024);
  save.set_unit_id(kDept);
  EXPECT_THAT(reports_.SaveAnnualReport(staff_, save),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("is published")));
}

TEST_F(AnnualReportsTest, WholeGovernmentPublicationNamesItsPublishingUnit) {
  absl::Status missing = reports_.PublishAnnualReport(admin_, PublishRequest(2024, 0)).status();
  EXPECT_EQ(missing.code(), absl::StatusCode::kInvalidArgument);
  ASSERT_THAT(FieldViolationsOf(missing), SizeIs(1));
  EXPECT_EQ(FieldViolationsOf(missing)[0].field, "publishing_unit_id");

  v1::PublishAnnualReportRequest r = PublishRequest(2024, 0);
  r.set_publishing_unit_id(kCity);
  ASSERT_THAT(reports_.PublishAnnualReport(admin_, r), IsOk());
  ASSERT_THAT(publisher_.calls, SizeIs(1));
  EXPECT_EQ(publisher_.calls[0].drafting_unit_id, kCity);
  EXPECT_EQ(publisher_.calls[0].issuing_authority, v1::CITY_GOVERNMENT_OFFICE);
  EXPECT_EQ(publisher_.calls[0].title, "市人民政府2024年政府信息公开工作年度报告");
}

TEST_F(AnnualReportsTest, DraftIsInvisibleToThePublic) {
  EXPECT_THAT(reports_.GetAnnualReport(anonymous_, GetRequest(2024, kDept)),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("no published annual report")));
  EXPECT_THAT(reports_.GetAnnualReport(staff_, GetRequest(2024, kDept)), IsOk());
  v1::RenderAnnualReportHtmlRequest render;
  render.set_year(2024);
  render.set_unit_id(kDept);
  absl::StatusOr<v1::AnnualReportHtml> html = reports_.RenderAnnualReportHtml(staff_, render);
  ASSERT_THAT(html, IsOk());
  EXPECT_THAT(html->html(), HasSubstr("data-state=\"draft\""));
}

TEST_F(AnnualReportsTest, ListShowsDraftsOnlyToSupervisors) {
  v1::SaveAnnualReportRequest save;
  save.set_year(2024);
  save.set_unit_id(kOtherDept);
  ASSERT_THAT(reports_.SaveAnnualReport(office_, save), IsOk());
  ASSERT_THAT(reports_.PublishAnnualReport(admin_, PublishRequest(2024, kDept)), IsOk());

  v1::ListAnnualReportsRequest list;
  absl::StatusOr<v1::ListAnnualReportsResponse> open = reports_.ListAnnualReports(anonymous_, list);
  ASSERT_THAT(open, IsOk());
  ASSERT_THAT(open->reports(), SizeIs(1));
  EXPECT_EQ(open->reports(0).unit_id(), kDept);

  list.set_include_drafts(true);
  EXPECT_THAT(reports_.ListAnnualReports(staff_, list),
              StatusIs(absl::StatusCode::kPermissionDenied, testing::_));
  list.set_page_size(1);
  absl::StatusOr<v1::ListAnnualReportsResponse> page1 = reports_.ListAnnualReports(office_, list);
  ASSERT_THAT(page1, IsOk());
  ASSERT_THAT(page1->reports(), SizeIs(1));
  EXPECT_EQ(page1->reports(0).unit_id(), kDept);  // Newest (largest id) first.
  ASSERT_FALSE(page1->next_page_token().empty());
  list.set_page_token(page1->next_page_token());
  absl::StatusOr<v1::ListAnnualReportsResponse> page2 = reports_.ListAnnualReports(office_, list);
  ASSERT_THAT(page2, IsOk());
  ASSERT_THAT(page2->reports(), SizeIs(1));
  EXPECT_EQ(page2->reports(0).unit_id(), kOtherDept);
  EXPECT_EQ(page2->reports(0).state(), v1::ANNUAL_REPORT_DRAFT);
  EXPECT_EQ(page2->reports(0).unit_name(), "市卫生健康委");
  EXPECT_TRUE(page2->next_page_token().empty());
}

TEST_F(AnnualReportsTest, DeadlinesTrackEveryUnit) {
  ASSERT_THAT(reports_.PublishAnnualReport(admin_, PublishRequest(2024, kDept)),
              IsOk());  // Jan 20.
  clock_.Set(Shanghai(2025, 2, 15));
  v1::ListAnnualReportDeadlinesRequest request;
  request.set_year(2024);
  EXPECT_THAT(reports_.ListAnnualReportDeadlines(staff_, request),
              StatusIs(absl::StatusCode::kPermissionDenied, testing::_));
  absl::StatusOr<v1::ListAnnualReportDeadlinesResponse> deadlines =
      reports_.ListAnnualReportDeadlines(office_, request);
  ASSERT_THAT(deadlines, IsOk());
  ASSERT_THAT(deadlines->deadlines(), SizeIs(4));
  std::map<int64_t, v1::AnnualReportDeadline> by_unit;
  for (const auto& d : deadlines->deadlines()) by_unit[d.unit_id()] = d;
  EXPECT_EQ(by_unit[0].status(), v1::DEADLINE_NOT_YET_DUE);
  EXPECT_EQ(by_unit[0].due().month(), 3);
  EXPECT_EQ(by_unit[kCity].status(), v1::DEADLINE_NOT_YET_DUE);
  EXPECT_EQ(by_unit[kDept].status(), v1::DEADLINE_PUBLISHED_ON_TIME);
  EXPECT_TRUE(by_unit[kDept].published());
  EXPECT_EQ(by_unit[kDept].published_on().day(), 20);
  EXPECT_EQ(by_unit[kOtherDept].status(), v1::DEADLINE_OVERDUE);
  EXPECT_EQ(by_unit[kOtherDept].due().day(), 31);
}

// ---- The frozen, resumable publication (CAT-9, NAT-10). ---------------------------------

TEST_F(AnnualReportsTest, CAT9_PublicationInterruptedAfterFreezeCompletesWithTheFrozenNumbers) {
  publisher_.fail_create = absl::UnavailableError("catalog unreachable");
  EXPECT_THAT(reports_.PublishAnnualReport(staff_reviewer_, PublishRequest(2024, kDept)),
              StatusIs(absl::StatusCode::kUnavailable, HasSubstr("catalog unreachable")));
  EXPECT_EQ(StoredState(), v1::ANNUAL_REPORT_PUBLISHING);
  EXPECT_THAT(publisher_.calls, SizeIs(0));

  // New data arrives after the freeze: a draft would count it, the publication not.
  clock_.Set(Shanghai(2025, 1, 21));
  repo_.AddRequest({.unit_id = kDept, .received_on = absl::CivilDay(2024, 9, 9)});
  absl::StatusOr<v1::AnnualReport> computed =
      reports_.ComputeAnnualReport(staff_, ComputeRequest(2024, kDept));
  ASSERT_THAT(computed, IsOk());
  EXPECT_EQ(computed->requests().new_requests().total(), 4);

  absl::StatusOr<v1::AnnualReport> published =
      reports_.PublishAnnualReport(staff_reviewer_, PublishRequest(2024, kDept));
  ASSERT_THAT(published, IsOk());
  EXPECT_EQ(published->state(), v1::ANNUAL_REPORT_PUBLISHED);
  EXPECT_EQ(published->requests().new_requests().total(), 3);
  EXPECT_EQ(published->publish_time().seconds(), absl::ToUnixSeconds(Shanghai(2025, 1, 20)));
  EXPECT_EQ(published->published_by(), "clerk");
  EXPECT_EQ(published->document_id(), 501);
  // The document shows exactly the published snapshot.
  ASSERT_THAT(publisher_.calls, SizeIs(1));
  EXPECT_EQ(publisher_.calls[0].body, RenderAnnualReportHtml(*published));
  EXPECT_THAT(publisher_.calls[0].body, Not(HasSubstr("data-state=")));
  EXPECT_THAT(publisher_.published, ElementsAre(501));
  EXPECT_THAT(AuditActions(), ElementsAre("publish_started", "publish_document", "publish"));
}

TEST_F(AnnualReportsTest, CAT9_RetryByAnotherUserAfterTheDocumentWasCreatedCreatesNoSecondOne) {
  repo_.FailNext("RecordPublicationDocument", absl::UnavailableError("database gone"));
  EXPECT_THAT(reports_.PublishAnnualReport(staff_reviewer_, PublishRequest(2024, kDept)),
              StatusIs(absl::StatusCode::kUnavailable, HasSubstr("database gone")));
  ASSERT_THAT(publisher_.calls, SizeIs(1));  // Created as "clerk", not recorded.

  // Within the lease the publication is clerk's.
  clock_.Set(Shanghai(2025, 1, 20) + kPublicationLease - absl::Seconds(1));
  EXPECT_THAT(reports_.PublishAnnualReport(other_clerk_, PublishRequest(2024, kDept)),
              StatusIs(absl::StatusCode::kAborted,
                       AllOf(HasSubstr("started by clerk at 2025-01-20 10:00:00"),
                             HasSubstr("is in progress; retry after 2025-01-20 10:02:00"))));
  EXPECT_EQ(StoredState(), v1::ANNUAL_REPORT_PUBLISHING);

  // After it, clerk2 takes over and finds clerk's document.
  clock_.Set(Shanghai(2025, 1, 20) + kPublicationLease);
  absl::StatusOr<v1::AnnualReport> published =
      reports_.PublishAnnualReport(other_clerk_, PublishRequest(2024, kDept));
  ASSERT_THAT(published, IsOk());
  EXPECT_EQ(published->state(), v1::ANNUAL_REPORT_PUBLISHED);
  EXPECT_EQ(published->document_id(), 501);
  EXPECT_THAT(publisher_.calls, SizeIs(1));
  EXPECT_THAT(publisher_.publishers, ElementsAre("clerk2"));
  EXPECT_THAT(AuditActions(),
              ElementsAre("publish_started", "publish_taken_over", "publish_document", "publish"));
  EXPECT_EQ(repo_.audit()[1].actor, "clerk2");
  EXPECT_EQ(repo_.audit()[1].detail, "from clerk");
}

TEST_F(AnnualReportsTest, CAT9_RecordedDocumentIsCompletedByAnotherUserWithinTheLease) {
  publisher_.fail_publish = PreconditionFailed("RELEASE_GATE", "documents/501", "gate closed");
  EXPECT_THAT(reports_.PublishAnnualReport(staff_reviewer_, PublishRequest(2024, kDept)),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("gate closed")));
  EXPECT_EQ(StoredState(), v1::ANNUAL_REPORT_PUBLISHING);

  // The document is on the row: nothing to lease, anyone allowed continues it.
  absl::StatusOr<v1::AnnualReport> published =
      reports_.PublishAnnualReport(other_clerk_, PublishRequest(2024, kDept));
  ASSERT_THAT(published, IsOk());
  EXPECT_EQ(published->document_id(), 501);
  EXPECT_THAT(publisher_.calls, SizeIs(1));
  EXPECT_THAT(publisher_.published, ElementsAre(501));
  EXPECT_THAT(AuditActions(), ElementsAre("publish_started", "publish_document", "publish"));
}

TEST_F(AnnualReportsTest, CAT9_LeaseMovesWithTheTakeOver) {
  publisher_.fail_create = absl::UnavailableError("catalog unreachable");
  ASSERT_THAT(reports_.PublishAnnualReport(staff_reviewer_, PublishRequest(2024, kDept)),
              StatusIs(absl::StatusCode::kUnavailable, testing::_));
  // clerk2 takes over after the lease, and is interrupted too (before any document).
  clock_.Set(Shanghai(2025, 1, 20) + absl::Minutes(5));
  publisher_.fail_create = absl::UnavailableError("catalog unreachable");
  ASSERT_THAT(reports_.PublishAnnualReport(other_clerk_, PublishRequest(2024, kDept)),
              StatusIs(absl::StatusCode::kUnavailable, testing::_));
  // Now clerk must wait for clerk2's lease.
  clock_.Set(Shanghai(2025, 1, 20) + absl::Minutes(6));
  EXPECT_THAT(reports_.PublishAnnualReport(staff_reviewer_, PublishRequest(2024, kDept)),
              StatusIs(absl::StatusCode::kAborted, HasSubstr("started by clerk2")));
  // clerk2 itself needs no lease check and creates the document under its own key.
  absl::StatusOr<v1::AnnualReport> published =
      reports_.PublishAnnualReport(other_clerk_, PublishRequest(2024, kDept));
  ASSERT_THAT(published, IsOk());
  ASSERT_THAT(publisher_.calls, SizeIs(1));
  EXPECT_THAT(publisher_.callers, ElementsAre("clerk2"));
  EXPECT_EQ(publisher_.calls[0].request_id, "annual-report-1");
  EXPECT_EQ(published->published_by(), "clerk");  // Who froze the numbers.
}

TEST_F(AnnualReportsTest, CAT9_SaveIsRefusedWhileTheReportIsBeingPublished) {
  publisher_.fail_create = absl::UnavailableError("catalog unreachable");
  ASSERT_THAT(reports_.PublishAnnualReport(staff_reviewer_, PublishRequest(2024, kDept)),
              StatusIs(absl::StatusCode::kUnavailable, testing::_));
  const int writes = repo_.writes();
  v1::SaveAnnualReportRequest save;
  save.set_year(2024);
  save.set_unit_id(kDept);
  save.set_expected_version(1);
  save.mutable_inputs()->set_licensing_decisions(4);
  EXPECT_THAT(reports_.SaveAnnualReport(staff_, save),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("being published (ANNUAL_REPORT_PUBLISHING)")));
  EXPECT_EQ(repo_.writes(), writes);
}

TEST_F(AnnualReportsTest, CAT9_ReportBeingPublishedIsVisibleOnlyToStaffAsTheFrozenSnapshot) {
  publisher_.fail_create = absl::UnavailableError("catalog unreachable");
  ASSERT_THAT(reports_.PublishAnnualReport(staff_reviewer_, PublishRequest(2024, kDept)),
              StatusIs(absl::StatusCode::kUnavailable, testing::_));
  repo_.AddRequest({.unit_id = kDept, .received_on = absl::CivilDay(2024, 9, 9)});

  EXPECT_THAT(reports_.GetAnnualReport(anonymous_, GetRequest(2024, kDept)),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("no published annual report")));
  v1::RenderAnnualReportHtmlRequest render;
  render.set_year(2024);
  render.set_unit_id(kDept);
  EXPECT_THAT(reports_.RenderAnnualReportHtml(anonymous_, render),
              StatusIs(absl::StatusCode::kNotFound, testing::_));
  v1::ListAnnualReportsRequest list;
  absl::StatusOr<v1::ListAnnualReportsResponse> open = reports_.ListAnnualReports(anonymous_, list);
  ASSERT_THAT(open, IsOk());
  EXPECT_THAT(open->reports(), SizeIs(0));

  absl::StatusOr<v1::AnnualReport> staff_view =
      reports_.GetAnnualReport(staff_, GetRequest(2024, kDept));
  ASSERT_THAT(staff_view, IsOk());
  EXPECT_EQ(staff_view->state(), v1::ANNUAL_REPORT_PUBLISHING);
  EXPECT_EQ(staff_view->requests().new_requests().total(), 3);  // Frozen, not recomputed.
  EXPECT_EQ(staff_view->document_title(), "市教育局2024年政府信息公开工作年度报告");
  absl::StatusOr<v1::AnnualReportHtml> html = reports_.RenderAnnualReportHtml(staff_, render);
  ASSERT_THAT(html, IsOk());
  EXPECT_THAT(html->html(), HasSubstr("data-state=\"publishing\""));
  list.set_include_drafts(true);
  absl::StatusOr<v1::ListAnnualReportsResponse> all = reports_.ListAnnualReports(office_, list);
  ASSERT_THAT(all, IsOk());
  ASSERT_THAT(all->reports(), SizeIs(1));
  EXPECT_EQ(all->reports(0).state(), v1::ANNUAL_REPORT_PUBLISHING);

  // NAT-10: not published yet.
  clock_.Set(Shanghai(2025, 2, 15));
  v1::ListAnnualReportDeadlinesRequest deadlines_request;
  deadlines_request.set_year(2024);
  absl::StatusOr<v1::ListAnnualReportDeadlinesResponse> deadlines =
      reports_.ListAnnualReportDeadlines(office_, deadlines_request);
  ASSERT_THAT(deadlines, IsOk());
  for (const v1::AnnualReportDeadline& d : deadlines->deadlines()) {
    if (d.unit_id() != kDept) continue;
    EXPECT_FALSE(d.published());
    EXPECT_EQ(d.status(), v1::DEADLINE_OVERDUE);
  }
}

TEST_F(AnnualReportsTest, NAT10_ReportThatDoesNotAddUpIsNeverFrozen) {
  repo_.AddRequest({.unit_id = kDept,
                    .received_on = absl::CivilDay(2024, 8, 1),
                    .answered_on = absl::CivilDay(2024, 8, 2),
                    .outcome = 0});
  EXPECT_THAT(
      reports_.PublishAnnualReport(staff_reviewer_, PublishRequest(2024, kDept)),
      StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("Table 3 does not add up")));
  EXPECT_EQ(repo_.writes(), 0);
  EXPECT_THAT(publisher_.calls, SizeIs(0));
}

TEST_F(AnnualReportsTest, CAT9_RetryMustNotChangeTheFrozenTitle) {
  publisher_.fail_create = absl::UnavailableError("catalog unreachable");
  ASSERT_THAT(reports_.PublishAnnualReport(staff_reviewer_, PublishRequest(2024, kDept)),
              StatusIs(absl::StatusCode::kUnavailable, testing::_));
  v1::PublishAnnualReportRequest retitled = PublishRequest(2024, kDept);
  retitled.set_title("另一个标题");
  EXPECT_THAT(reports_.PublishAnnualReport(staff_reviewer_, retitled),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("title \"市教育局2024年政府信息公开工作年度报告\"")));
  EXPECT_THAT(publisher_.calls, SizeIs(0));
  retitled.set_title("市教育局2024年政府信息公开工作年度报告");
  ASSERT_THAT(reports_.PublishAnnualReport(staff_reviewer_, retitled), IsOk());
  ASSERT_THAT(publisher_.calls, SizeIs(1));
  EXPECT_EQ(publisher_.calls[0].title, "市教育局2024年政府信息公开工作年度报告");
}

}  // namespace
}  // namespace gongkai::catalog::annual_report
