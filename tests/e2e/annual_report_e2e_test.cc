// End-to-end tests of the annual report (CAT-9, NAT-10, inspection item 14) through the
// running gongkai-catalog binary: real gRPC, real MariaDB, real process.
//
// The current year's report is checked against requests filed, answered and challenged
// through DisclosureRequestService. A past year cannot be filed through the service (a
// request's receipt date is the day it arrives, NAT-5), so the published-report test
// inserts that year's request rows with SQL, exactly as the request service stores
// them, and then publishes through AnnualReportService.
//
// The service dates everything by its own clock, so each test reads "today" once at its
// start and takes the other days it needs from the service's answers (a request's
// answered_on, a report's published_on); nothing assumes the run stays within one day.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gongkai/catalog/v1/annual_report.grpc.pb.h"
#include "gongkai/catalog/v1/catalog.grpc.pb.h"
#include "gongkai/catalog/v1/disclosure_requests.grpc.pb.h"
#include "google/rpc/error_details.pb.h"
#include "libs/clock/clock.h"
#include "libs/db/connection_pool.h"
#include "libs/db/testing/status_matchers.h"
#include "libs/protoconv/protoconv.h"
#include "libs/status/errors.h"
#include "libs/status/grpc_status.h"
#include "tests/e2e/catalog_suite.h"
#include "tests/e2e/catalog_under_test.h"
#include "tests/e2e/grpc_call.h"

namespace gongkai::e2e {
namespace {

namespace v1 = ::gongkai::catalog::v1;
using ::gongkai::db::testing::IsOk;
using ::gongkai::db::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::Not;

// Today in Shanghai, the day the service dates everything by (it runs on this machine's
// clock). Read it once per test: a run can cross midnight.
absl::CivilDay TodayInShanghai() { return absl::ToCivilDay(absl::Now(), ShanghaiTimeZone()); }

absl::CivilDay DayOf(const common::v1::Date& date) {
  return absl::CivilDay(date.year(), date.month(), date.day());
}

// Subjects of the google.rpc.PreconditionFailure detail of a status.
std::vector<std::string> PreconditionSubjects(const absl::Status& status) {
  std::vector<std::string> subjects;
  auto payload = status.GetPayload(kPreconditionFailureTypeUrl);
  google::rpc::PreconditionFailure failure;
  if (payload.has_value() && failure.ParseFromString(std::string(*payload))) {
    for (const auto& v : failure.violations()) subjects.push_back(v.subject());
  }
  return subjects;
}

class AnnualReportE2eTest : public CatalogSuite<AnnualReportE2eTest> {
 public:
  static constexpr char kDatabasePrefix[] = "annual_report_e2e";

 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(CatalogSuite::SetUp());
    auto channel =
        grpc::CreateChannel(catalog_->service().grpc_address(), grpc::InsecureChannelCredentials());
    reports_ = v1::AnnualReportService::NewStub(channel);
    requests_ = v1::DisclosureRequestService::NewStub(channel);
    catalog_stub_ = catalog_->NewStub();
    admin_ = catalog_->Token("e2e-admin", std::nullopt, {"ADMIN"});
    office_ = catalog_->Token("e2e-office", std::nullopt, {"OFFICE"});
  }

  // One unary call with `token` ("" = anonymous), back as absl::Status with details.
  template <typename Stub, typename Request, typename Response>
  absl::StatusOr<Response> Call(Stub* stub,
                                grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&,
                                                             Response*),
                                const std::string& token, const Request& request) {
    return UnaryCall(*stub, method, token, request, absl::Seconds(15));
  }

  int64_t NewUnit(const std::string& name) {
    static int counter = 0;
    v1::CreateUnitRequest request;
    request.mutable_unit()->set_code(absl::StrCat("AR-E2E-", ++counter));
    request.mutable_unit()->set_name(name);
    request.mutable_unit()->set_level(v1::UNIT_LEVEL_DEPARTMENT);
    absl::StatusOr<v1::Unit> unit =
        Call(catalog_stub_.get(), &v1::CatalogService::Stub::CreateUnit, admin_, request);
    EXPECT_THAT(unit, IsOk());
    return unit.ok() ? unit->id() : 0;
  }

  // CAT-4: the confidentiality review of document `id`, passed in the reviewers' queue
  // by `token`.
  absl::StatusOr<v1::Document> ReviewDocument(int64_t id, const std::string& token) {
    v1::ReviewDocumentRequest review;
    review.set_id(id);
    review.set_outcome(v1::REVIEW_PASSED);
    review.set_note("年度报告发布前保密审查");
    return Call(catalog_stub_.get(), &v1::CatalogService::Stub::ReviewDocument, token, review);
  }

  // A connection to the service's database as the service's own user.
  std::unique_ptr<db::ConnectionPool> OpenDatabase() {
    absl::StatusOr<std::unique_ptr<db::ConnectionPool>> pool =
        db::ConnectionPool::Create(catalog_->database().ServiceConfig(/*pool_size=*/2));
    EXPECT_THAT(pool, IsOk());
    return pool.ok() ? *std::move(pool) : nullptr;
  }

  // Inserts a request row as the request service stores it.
  void InsertRequest(db::ConnectionPool& pool, int64_t unit, int applicant_type,
                     absl::CivilDay received, db::Value answered, db::Value outcome) {
    static int counter = 0;
    auto conn = pool.Acquire();
    ASSERT_THAT(conn, IsOk());
    ASSERT_THAT(
        (*conn)
            ->Execute("INSERT INTO disclosure_requests (unit_id, tracking_code, secret_sha256, "
                      "applicant_type, applicant_name, applicant_key, channel, state, subject, "
                      "received_on, clock_start_on, outcome, answered_on, created_by, create_time, "
                      "update_time) VALUES (?, ?, ?, ?, '申请人', ?, 1, 1, '信息', ?, ?, ?, ?, "
                      "'sql', ?, ?)",
                      {unit, absl::StrCat("E2E-SQL-", ++counter), std::string(64, 'a'),
                       static_cast<int64_t>(applicant_type), std::string(64, 'b'), received,
                       received, outcome, answered, absl::Now(), absl::Now()})
            .status(),
        IsOk());
  }

  absl::StatusOr<v1::FileRequestResponse> File(int64_t unit, v1::ApplicantType type,
                                               const std::string& who) {
    v1::FileRequestRequest request;
    request.set_unit_id(unit);
    request.mutable_applicant()->set_type(type);
    request.mutable_applicant()->set_name(who);
    request.mutable_applicant()->set_id_number(absl::StrCat("ID", who.size(), type));
    request.mutable_applicant()->set_contact("13800000000");
    request.set_subject("2025年义务教育招生计划");
    return Call(requests_.get(), &v1::DisclosureRequestService::Stub::FileRequest, "", request);
  }

  absl::StatusOr<v1::DisclosureRequest> Answer(const std::string& token, int64_t id,
                                               v1::RequestOutcome outcome) {
    v1::AnswerRequestRequest request;
    request.set_id(id);
    request.set_outcome(outcome);
    if (outcome != v1::OUTCOME_DISCLOSED) request.set_reason("依据条例相关规定");
    return Call(requests_.get(), &v1::DisclosureRequestService::Stub::AnswerRequest, token,
                request);
  }

  std::unique_ptr<v1::AnnualReportService::Stub> reports_;
  std::unique_ptr<v1::DisclosureRequestService::Stub> requests_;
  std::unique_ptr<v1::CatalogService::Stub> catalog_stub_;
  std::string admin_;
  std::string office_;
};

// Issue 4: file requests through the running service, move them through the
// lifecycle, and check the report's numbers against the requests that were made.
TEST_F(AnnualReportE2eTest, CurrentYearReportCountsTheRequestsFiledThroughTheService) {
  const int64_t unit = NewUnit("市教育局（年报）");
  const std::string staff = catalog_->Token("e2e-staff", unit, {"STAFF"});
  const int year = TodayInShanghai().year();

  struct Filed {
    v1::ApplicantType type;
    std::optional<v1::RequestOutcome> outcome;
  };
  const std::vector<Filed> plan = {
      {v1::APPLICANT_NATURAL_PERSON, v1::OUTCOME_DISCLOSED},
      {v1::APPLICANT_NATURAL_PERSON, std::nullopt},
      {v1::APPLICANT_NATURAL_PERSON, v1::OUTCOME_NOT_PROCESSED_REPEAT},
      {v1::APPLICANT_BUSINESS, v1::OUTCOME_NOT_DISCLOSED_STATE_SECRET},
      {v1::APPLICANT_BUSINESS, std::nullopt},
      {v1::APPLICANT_LEGAL_SERVICE, v1::OUTCOME_OTHER},
  };
  std::vector<int64_t> ids;
  std::optional<absl::CivilDay> challenged_answer_day;
  for (size_t i = 0; i < plan.size(); ++i) {
    absl::StatusOr<v1::FileRequestResponse> filed =
        File(unit, plan[i].type, absl::StrCat("申请人", i));
    // An unregistered DisclosureRequestService (UNIMPLEMENTED) is a failure, not a skip.
    ASSERT_THAT(filed, IsOk()) << "DisclosureRequestService must be served by gongkai-catalog";
    ids.push_back(filed->request().id());
  }
  for (size_t i = 0; i < plan.size(); ++i) {
    if (plan[i].outcome.has_value()) {
      absl::StatusOr<v1::DisclosureRequest> answered = Answer(staff, ids[i], *plan[i].outcome);
      ASSERT_THAT(answered, IsOk());
      if (i == 3) challenged_answer_day = DayOf(answered->answered_on());
    }
  }
  // Filed the day the service answered it: neither before the answer nor in the future.
  ASSERT_TRUE(challenged_answer_day.has_value());
  v1::RecordChallengeRequest challenge;
  challenge.set_disclosure_request_id(ids[3]);
  challenge.set_kind(v1::CHALLENGE_ADMINISTRATIVE_REVIEW);
  *challenge.mutable_filed_on() = ToProtoDate(*challenged_answer_day);
  ASSERT_THAT(
      Call(requests_.get(), &v1::DisclosureRequestService::Stub::RecordChallenge, staff, challenge),
      IsOk());

  v1::ComputeAnnualReportRequest compute;
  compute.set_year(year);
  compute.set_unit_id(unit);
  absl::StatusOr<v1::AnnualReport> report =
      Call(reports_.get(), &v1::AnnualReportService::Stub::ComputeAnnualReport, staff, compute);
  ASSERT_THAT(report, IsOk());

  // The year is not over: nothing to publish, and the public sees no draft.
  v1::PublishAnnualReportRequest publish;
  publish.set_year(year);
  publish.set_unit_id(unit);
  absl::StatusOr<v1::AnnualReport> published =
      Call(reports_.get(), &v1::AnnualReportService::Stub::PublishAnnualReport, admin_, publish);
  v1::GetAnnualReportRequest get;
  get.set_year(year);
  get.set_unit_id(unit);
  absl::StatusOr<v1::AnnualReport> public_view =
      Call(reports_.get(), &v1::AnnualReportService::Stub::GetAnnualReport, "", get);
  // Every call above was made between the two readings of the clock, so when both fall
  // in `year` the service saw `year` throughout. Only a run across New Year's midnight
  // in Shanghai does not (its requests may be dated in either year): it proves nothing.
  if (TodayInShanghai().year() != year) {
    GTEST_SKIP() << "the year " << year << " ended while the test ran";
  }

  const v1::RequestTable& t = report->requests();
  EXPECT_EQ(t.new_requests().natural_person(), 3);
  EXPECT_EQ(t.new_requests().business(), 2);
  EXPECT_EQ(t.new_requests().legal_service(), 1);
  EXPECT_EQ(t.new_requests().total(), 6);
  EXPECT_EQ(t.carried_over().total(), 0);
  std::map<v1::RequestOutcome, v1::ApplicantCounts> rows;
  for (const v1::OutcomeRow& row : t.outcomes()) rows[row.outcome()] = row.counts();
  EXPECT_EQ(rows[v1::OUTCOME_DISCLOSED].natural_person(), 1);
  EXPECT_EQ(rows[v1::OUTCOME_NOT_PROCESSED_REPEAT].natural_person(), 1);
  EXPECT_EQ(rows[v1::OUTCOME_NOT_DISCLOSED_STATE_SECRET].business(), 1);
  EXPECT_EQ(rows[v1::OUTCOME_OTHER].legal_service(), 1);
  EXPECT_EQ(t.total_handled().total(), 4);
  EXPECT_EQ(t.carried_forward().natural_person(), 1);
  EXPECT_EQ(t.carried_forward().business(), 1);
  EXPECT_EQ(t.carried_forward().total(), 2);
  EXPECT_EQ(report->challenges().administrative_review().pending(), 1);
  EXPECT_EQ(report->challenges().administrative_review().total(), 1);
  EXPECT_THAT(published,
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("year has ended")));
  EXPECT_THAT(public_view,
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("no published annual report")));
}

// NAT-10 deadlines: the report is of the year before last, whose deadlines (a
// department's Jan 31 and the government's Mar 31 of last year) have passed whatever the
// day of the run, so the expected statuses are fixed. (Last year's would turn from
// not-yet-due to overdue during the year; the unit tests cover both sides on fixed
// dates.)
TEST_F(AnnualReportE2eTest, PastYearReportIsPublishedAsACatalogDocument) {
  const int64_t unit = NewUnit("市卫生健康委（年报）");
  const absl::CivilDay today = TodayInShanghai();
  const int year = today.year() - 2;
  std::unique_ptr<db::ConnectionPool> pool = OpenDatabase();
  ASSERT_NE(pool, nullptr);
  // Carried over from the year before, handled in January.
  InsertRequest(*pool, unit, v1::APPLICANT_NATURAL_PERSON, absl::CivilDay(year - 1, 12, 30),
                absl::CivilDay(year, 1, 5), int64_t{v1::OUTCOME_DISCLOSED});
  InsertRequest(*pool, unit, v1::APPLICANT_BUSINESS, absl::CivilDay(year, 5, 5), db::Value(),
                db::Value());
  InsertRequest(*pool, unit, v1::APPLICANT_NATURAL_PERSON, absl::CivilDay(year, 6, 1),
                absl::CivilDay(year, 6, 3), int64_t{v1::OUTCOME_ALREADY_PUBLIC});

  const std::string clerk = catalog_->Token("e2e-clerk", unit, {"STAFF", "REVIEWER"});
  v1::SaveAnnualReportRequest save;
  save.set_year(year);
  save.set_unit_id(unit);
  save.mutable_inputs()->set_licensing_decisions(5);
  save.mutable_inputs()->set_overview("全年依法公开。<script>alert(1)</script>");
  absl::StatusOr<v1::AnnualReport> saved =
      Call(reports_.get(), &v1::AnnualReportService::Stub::SaveAnnualReport, clerk, save);
  ASSERT_THAT(saved, IsOk());
  EXPECT_EQ(saved->version(), 1);

  // A reviewer reviews but does not publish.
  v1::PublishAnnualReportRequest publish;
  publish.set_year(year);
  publish.set_unit_id(unit);
  const std::string reviewer = catalog_->Token("e2e-report-reviewer", unit, {"REVIEWER"});
  EXPECT_THAT(
      Call(reports_.get(), &v1::AnnualReportService::Stub::PublishAnnualReport, reviewer, publish),
      StatusIs(absl::StatusCode::kPermissionDenied, testing::_));

  // CAT-4: publishing creates and submits the document; it waits in the reviewers' queue.
  absl::StatusOr<v1::AnnualReport> submitted =
      Call(reports_.get(), &v1::AnnualReportService::Stub::PublishAnnualReport, clerk, publish);
  ASSERT_THAT(submitted, IsOk());
  EXPECT_EQ(submitted->state(), v1::ANNUAL_REPORT_PUBLISHING);
  ASSERT_GT(submitted->document_id(), 0);
  v1::GetDocumentRequest get_submitted;
  get_submitted.set_id(submitted->document_id());
  absl::StatusOr<v1::Document> queued =
      Call(catalog_stub_.get(), &v1::CatalogService::Stub::GetDocument, clerk, get_submitted);
  ASSERT_THAT(queued, IsOk());
  EXPECT_EQ(queued->state(), v1::PENDING_REVIEW);
  // The publisher holds REVIEWER too, but never passes its own document's review.
  EXPECT_THAT(ReviewDocument(submitted->document_id(), clerk),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("another REVIEWER")));
  ASSERT_THAT(ReviewDocument(submitted->document_id(), reviewer), IsOk());

  absl::StatusOr<v1::AnnualReport> published =
      Call(reports_.get(), &v1::AnnualReportService::Stub::PublishAnnualReport, clerk, publish);
  ASSERT_THAT(published, IsOk());
  EXPECT_EQ(published->state(), v1::ANNUAL_REPORT_PUBLISHED);
  EXPECT_EQ(published->document_id(), submitted->document_id());
  EXPECT_GT(published->document_id(), 0);
  EXPECT_EQ(published->requests().new_requests().total(), 2);
  EXPECT_EQ(published->requests().carried_over().natural_person(), 1);
  EXPECT_EQ(published->requests().outcomes(0).counts().natural_person(), 2);
  EXPECT_EQ(published->requests().carried_forward().business(), 1);
  EXPECT_EQ(published->proactive_disclosure().licensing_decisions().value(), 5);
  EXPECT_EQ(published->proactive_disclosure().licensing_decisions().source(), v1::FIGURE_ENTERED);

  // Inspection item 14: the report is a published catalog document anyone can read.
  v1::GetDocumentRequest get_document;
  get_document.set_id(published->document_id());
  absl::StatusOr<v1::Document> document =
      Call(catalog_stub_.get(), &v1::CatalogService::Stub::GetDocument, "", get_document);
  ASSERT_THAT(document, IsOk());
  EXPECT_EQ(document->state(), v1::PUBLISHED);
  EXPECT_EQ(document->drafting_unit_id(), unit);
  EXPECT_EQ(document->title(),
            absl::StrCat("市卫生健康委（年报）", year, "年政府信息公开工作年度报告"));
  EXPECT_THAT(document->body(), HasSubstr("data-table=\"3\""));
  EXPECT_THAT(document->body(), HasSubstr("&lt;script&gt;"));
  EXPECT_THAT(document->body(), Not(HasSubstr("<script>")));

  // Anyone reads the report and its page; a retry returns it unchanged.
  v1::GetAnnualReportRequest get;
  get.set_year(year);
  get.set_unit_id(unit);
  absl::StatusOr<v1::AnnualReport> read =
      Call(reports_.get(), &v1::AnnualReportService::Stub::GetAnnualReport, "", get);
  ASSERT_THAT(read, IsOk());
  EXPECT_EQ(read->document_id(), published->document_id());
  v1::RenderAnnualReportHtmlRequest render;
  render.set_year(year);
  render.set_unit_id(unit);
  absl::StatusOr<v1::AnnualReportHtml> html =
      Call(reports_.get(), &v1::AnnualReportService::Stub::RenderAnnualReportHtml, "", render);
  ASSERT_THAT(html, IsOk());
  EXPECT_THAT(html->html(), HasSubstr("data-table=\"4\""));
  absl::StatusOr<v1::AnnualReport> again =
      Call(reports_.get(), &v1::AnnualReportService::Stub::PublishAnnualReport, clerk, publish);
  ASSERT_THAT(again, IsOk());
  EXPECT_EQ(again->document_id(), published->document_id());

  v1::ListAnnualReportsRequest list;
  list.set_year(year);
  absl::StatusOr<v1::ListAnnualReportsResponse> listed =
      Call(reports_.get(), &v1::AnnualReportService::Stub::ListAnnualReports, "", list);
  ASSERT_THAT(listed, IsOk());
  ASSERT_GE(listed->reports_size(), 1);
  EXPECT_EQ(listed->reports(0).unit_id(), unit);

  // NAT-10: the department's deadline was Jan 31 of the next year; it published today,
  // after it. The whole government's (unit 0, Mar 31) passed with nothing published.
  v1::ListAnnualReportDeadlinesRequest deadlines_request;
  deadlines_request.set_year(year);
  absl::StatusOr<v1::ListAnnualReportDeadlinesResponse> deadlines =
      Call(reports_.get(), &v1::AnnualReportService::Stub::ListAnnualReportDeadlines, office_,
           deadlines_request);
  ASSERT_THAT(deadlines, IsOk());
  const absl::CivilDay today_after = TodayInShanghai();
  bool found = false;
  bool found_government = false;
  for (const v1::AnnualReportDeadline& d : deadlines->deadlines()) {
    if (d.unit_id() == 0) {
      found_government = true;
      EXPECT_EQ(DayOf(d.due()), absl::CivilDay(year + 1, 3, 31));
      EXPECT_FALSE(d.published());
      EXPECT_EQ(d.status(), v1::DEADLINE_OVERDUE);
    }
    if (d.unit_id() != unit) continue;
    found = true;
    EXPECT_TRUE(d.published());
    EXPECT_EQ(DayOf(d.due()), absl::CivilDay(year + 1, 1, 31));
    // The due date names its rule (ADR 0019).
    EXPECT_THAT(d.due_rule(), HasSubstr("catalog.annual_report v1"));
    EXPECT_THAT(d.due_rule(), HasSubstr("annual_report.department_due = 01-31"));
    EXPECT_GE(DayOf(d.published_on()), today);
    EXPECT_LE(DayOf(d.published_on()), today_after);
    EXPECT_EQ(d.status(), v1::DEADLINE_PUBLISHED_LATE);
  }
  EXPECT_TRUE(found);
  EXPECT_TRUE(found_government);
}

// NAT-10 Table 2: normative documents published and repealed through the catalog
// service are counted by the current year's report; both figures are computed, and the
// deprecated entered figure for repealed documents is ignored.
TEST_F(AnnualReportE2eTest, Nat10Table2CountsNormativeDocumentsRepealedThroughTheCatalog) {
  const int64_t unit = NewUnit("市司法局（年报）");
  const absl::CivilDay today = TodayInShanghai();
  const std::string staff = catalog_->Token("e2e-policy-staff", unit, {"STAFF"});
  const std::string reviewer = catalog_->Token("e2e-policy-reviewer", unit, {"REVIEWER"});
  using CatalogStub = v1::CatalogService::Stub;
  std::vector<int64_t> published;
  for (const char* title : {"关于行政执法公示的规定", "关于重大行政决策程序的规定"}) {
    v1::CreateDocumentRequest create;
    create.mutable_document()->set_title(title);
    create.mutable_document()->set_body("规范性文件正文");
    create.mutable_document()->set_drafting_unit_id(unit);
    create.mutable_document()->set_issuing_authority(v1::DEPARTMENT);
    create.mutable_document()->set_disclosure_attribute(v1::PROACTIVE);
    create.mutable_document()->set_is_policy_document(true);
    absl::StatusOr<v1::Document> d =
        Call(catalog_stub_.get(), &CatalogStub::CreateDocument, staff, create);
    ASSERT_THAT(d, IsOk());
    v1::SubmitDocumentRequest submit;
    submit.set_id(d->id());
    ASSERT_THAT(Call(catalog_stub_.get(), &CatalogStub::SubmitDocument, staff, submit), IsOk());
    v1::ReviewDocumentRequest review;
    review.set_id(d->id());
    review.set_outcome(v1::REVIEW_PASSED);
    ASSERT_THAT(Call(catalog_stub_.get(), &CatalogStub::ReviewDocument, reviewer, review), IsOk());
    v1::PublishDocumentRequest publish;
    publish.set_id(d->id());
    ASSERT_THAT(Call(catalog_stub_.get(), &CatalogStub::PublishDocument, staff, publish), IsOk());
    published.push_back(d->id());
  }
  v1::RepealDocumentRequest repeal;
  repeal.set_id(published[0]);
  *repeal.mutable_repealed_on() = ToProtoDate(TodayInShanghai());
  repeal.set_reason("已被新的规定替代");
  ASSERT_THAT(Call(catalog_stub_.get(), &CatalogStub::RepealDocument, staff, repeal), IsOk());

  v1::ComputeAnnualReportRequest compute;
  compute.set_year(today.year());
  compute.set_unit_id(unit);
  compute.mutable_inputs()->set_normative_documents_repealed(9);  // Deprecated: ignored.
  absl::StatusOr<v1::AnnualReport> report =
      Call(reports_.get(), &v1::AnnualReportService::Stub::ComputeAnnualReport, staff, compute);
  ASSERT_THAT(report, IsOk());
  if (TodayInShanghai().year() != today.year()) {
    GTEST_SKIP() << "the year " << today.year() << " ended while the test ran";
  }
  const v1::ProactiveDisclosureTable& t = report->proactive_disclosure();
  EXPECT_EQ(t.normative_documents_made().value(), 2);
  EXPECT_EQ(t.normative_documents_repealed().value(), 1);
  EXPECT_EQ(t.normative_documents_repealed().source(), v1::FIGURE_COMPUTED);
  EXPECT_EQ(t.normative_documents_in_force().value(), 1);
  EXPECT_EQ(t.normative_documents_in_force().source(), v1::FIGURE_COMPUTED);
}

TEST_F(AnnualReportE2eTest, ReportThatDoesNotAddUpIsRefusedWithTheColumnsNamed) {
  const int64_t unit = NewUnit("市交通运输局（年报）");
  const int year = TodayInShanghai().year() - 1;
  std::unique_ptr<db::ConnectionPool> pool = OpenDatabase();
  ASSERT_NE(pool, nullptr);
  // Answered without an outcome: lands in no Table 3 row.
  InsertRequest(*pool, unit, v1::APPLICANT_SOCIAL_WELFARE, absl::CivilDay(year, 3, 1),
                absl::CivilDay(year, 3, 2), db::Value());
  v1::ComputeAnnualReportRequest compute;
  compute.set_year(year);
  compute.set_unit_id(unit);
  absl::StatusOr<v1::AnnualReport> report =
      Call(reports_.get(), &v1::AnnualReportService::Stub::ComputeAnnualReport, office_, compute);
  EXPECT_THAT(report, StatusIs(absl::StatusCode::kFailedPrecondition,
                               HasSubstr("Table 3 does not add up")));
  EXPECT_THAT(PreconditionSubjects(report.status()),
              testing::UnorderedElementsAre("requests.social_welfare", "requests.total"));
  v1::PublishAnnualReportRequest publish;
  publish.set_year(year);
  publish.set_unit_id(unit);
  EXPECT_THAT(
      Call(reports_.get(), &v1::AnnualReportService::Stub::PublishAnnualReport, admin_, publish),
      StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("社会公益组织")));
}

// CAT-9: a publication interrupted after its numbers were frozen is completed by
// another user with the frozen numbers and the document the first user had created.
// The interruption is staged with SQL: the row is written exactly as step A leaves it
// (state PUBLISHING, the computed report as snapshot, holder and start time), and the
// first user's document is created through CatalogService with the request id the
// publisher uses, as if the process had died before recording it.
TEST_F(AnnualReportE2eTest, InterruptedPublicationIsCompletedByAnotherUserWithTheFrozenNumbers) {
  const int64_t unit = NewUnit("市民政局（年报）");
  const int year = TodayInShanghai().year() - 1;
  std::unique_ptr<db::ConnectionPool> pool = OpenDatabase();
  ASSERT_NE(pool, nullptr);
  InsertRequest(*pool, unit, v1::APPLICANT_NATURAL_PERSON, absl::CivilDay(year, 4, 1),
                absl::CivilDay(year, 4, 9), int64_t{v1::OUTCOME_DISCLOSED});
  const std::string first = "e2e-clerk-first";
  const std::string first_token = catalog_->Token(first, unit, {"STAFF", "REVIEWER"});
  const std::string second_token = catalog_->Token("e2e-clerk-second", unit, {"STAFF", "REVIEWER"});
  v1::SaveAnnualReportRequest save;
  save.set_year(year);
  save.set_unit_id(unit);
  ASSERT_THAT(
      Call(reports_.get(), &v1::AnnualReportService::Stub::SaveAnnualReport, first_token, save),
      IsOk());

  // Step A as the first user would have left it.
  v1::ComputeAnnualReportRequest compute;
  compute.set_year(year);
  compute.set_unit_id(unit);
  absl::StatusOr<v1::AnnualReport> frozen = Call(
      reports_.get(), &v1::AnnualReportService::Stub::ComputeAnnualReport, first_token, compute);
  ASSERT_THAT(frozen, IsOk());
  ASSERT_EQ(frozen->requests().new_requests().total(), 1);
  const absl::Time started = absl::Now();
  const std::string title = absl::StrCat("市民政局（年报）", year, "年政府信息公开工作年度报告");
  frozen->set_state(v1::ANNUAL_REPORT_PUBLISHING);
  *frozen->mutable_publish_time() = ToTimestamp(started);
  frozen->set_published_by(first);
  frozen->set_publishing_unit_id(unit);
  frozen->set_document_title(title);
  frozen->clear_version();
  int64_t report_id = 0;
  {
    auto conn = pool->Acquire();
    ASSERT_THAT(conn, IsOk());
    ASSERT_THAT((*conn)
                    ->Execute("UPDATE annual_reports SET state = 3, snapshot = ?, "
                              "publish_time = ?, publication_started_by = ?, "
                              "publication_started_at = ?, version = version + 1 "
                              "WHERE year = ? AND unit_id = ? AND state = 1",
                              {frozen->SerializeAsString(), started, first, started, year, unit})
                    .status(),
                IsOk());
    auto rows = (*conn)->Query("SELECT id FROM annual_reports WHERE year = ? AND unit_id = ?",
                               {year, unit});
    ASSERT_THAT(rows, IsOk());
    ASSERT_EQ(rows->size(), 1u);
    report_id = *(*rows)[0].GetInt64("id");
  }
  // The first user's document, created but never recorded on the report.
  v1::CreateDocumentRequest create;
  create.mutable_document()->set_title(title);
  create.mutable_document()->set_body("<p>年度报告</p>");
  create.mutable_document()->set_drafting_unit_id(unit);
  create.mutable_document()->set_issuing_authority(v1::DEPARTMENT);
  create.mutable_document()->set_disclosure_attribute(v1::PROACTIVE);
  create.set_request_id(absl::StrCat("annual-report-", report_id));
  absl::StatusOr<v1::Document> orphan =
      Call(catalog_stub_.get(), &v1::CatalogService::Stub::CreateDocument, first_token, create);
  ASSERT_THAT(orphan, IsOk());

  // Data recorded after the freeze does not reach the published report.
  InsertRequest(*pool, unit, v1::APPLICANT_BUSINESS, absl::CivilDay(year, 7, 1), db::Value(),
                db::Value());

  // Meanwhile: the public sees nothing, staff see the frozen snapshot, saving is refused.
  v1::GetAnnualReportRequest get;
  get.set_year(year);
  get.set_unit_id(unit);
  EXPECT_THAT(Call(reports_.get(), &v1::AnnualReportService::Stub::GetAnnualReport, "", get),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("no published annual report")));
  absl::StatusOr<v1::AnnualReport> staff_view =
      Call(reports_.get(), &v1::AnnualReportService::Stub::GetAnnualReport, second_token, get);
  ASSERT_THAT(staff_view, IsOk());
  EXPECT_EQ(staff_view->state(), v1::ANNUAL_REPORT_PUBLISHING);
  EXPECT_EQ(staff_view->requests().new_requests().total(), 1);
  save.set_expected_version(2);
  EXPECT_THAT(
      Call(reports_.get(), &v1::AnnualReportService::Stub::SaveAnnualReport, second_token, save),
      StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("ANNUAL_REPORT_PUBLISHING")));

  // Within the lease the publication is the first user's.
  v1::PublishAnnualReportRequest publish;
  publish.set_year(year);
  publish.set_unit_id(unit);
  EXPECT_THAT(Call(reports_.get(), &v1::AnnualReportService::Stub::PublishAnnualReport,
                   second_token, publish),
              StatusIs(absl::StatusCode::kAborted, HasSubstr("started by e2e-clerk-first")));

  // After it, the second user takes over and completes it with the first one's document.
  {
    auto conn = pool->Acquire();
    ASSERT_THAT(conn, IsOk());
    ASSERT_THAT((*conn)
                    ->Execute("UPDATE annual_reports SET publication_started_at = ? "
                              "WHERE id = ?",
                              {started - absl::Minutes(3), report_id})
                    .status(),
                IsOk());
  }
  absl::StatusOr<v1::AnnualReport> submitted = Call(
      reports_.get(), &v1::AnnualReportService::Stub::PublishAnnualReport, second_token, publish);
  ASSERT_THAT(submitted, IsOk());
  EXPECT_EQ(submitted->state(), v1::ANNUAL_REPORT_PUBLISHING);
  EXPECT_EQ(submitted->document_id(), orphan->id());
  // CAT-4: a reviewer of the unit other than the document's author passes the review.
  ASSERT_THAT(ReviewDocument(orphan->id(), second_token), IsOk());
  absl::StatusOr<v1::AnnualReport> published = Call(
      reports_.get(), &v1::AnnualReportService::Stub::PublishAnnualReport, second_token, publish);
  ASSERT_THAT(published, IsOk());
  EXPECT_EQ(published->state(), v1::ANNUAL_REPORT_PUBLISHED);
  EXPECT_EQ(published->document_id(), orphan->id());
  EXPECT_EQ(published->requests().new_requests().total(), 1);
  EXPECT_EQ(published->published_by(), first);
  v1::GetDocumentRequest get_document;
  get_document.set_id(orphan->id());
  absl::StatusOr<v1::Document> document =
      Call(catalog_stub_.get(), &v1::CatalogService::Stub::GetDocument, "", get_document);
  ASSERT_THAT(document, IsOk());
  EXPECT_EQ(document->state(), v1::PUBLISHED);
  absl::StatusOr<v1::AnnualReport> read =
      Call(reports_.get(), &v1::AnnualReportService::Stub::GetAnnualReport, "", get);
  ASSERT_THAT(read, IsOk());
  EXPECT_EQ(read->document_id(), orphan->id());
  EXPECT_EQ(read->requests().new_requests().total(), 1);
  // One annual-report document for the unit, not two.
  v1::ListDocumentsRequest list;
  list.set_drafting_unit_id(unit);
  absl::StatusOr<v1::ListDocumentsResponse> documents =
      Call(catalog_stub_.get(), &v1::CatalogService::Stub::ListDocuments, second_token, list);
  ASSERT_THAT(documents, IsOk());
  EXPECT_EQ(documents->documents_size(), 1);
}

}  // namespace
}  // namespace gongkai::e2e
