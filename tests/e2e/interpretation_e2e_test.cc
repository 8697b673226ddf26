// End-to-end tests of gongkai-interpretation beside the real gongkai-catalog: real
// processes calling each other as service principals, real MariaDB (INT-1 to INT-4).
// The story of INT-3 over gRPC, approval errors, the authorization table, the
// bad-input corpus, metrics and the compliance evidence (item 9).
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gongkai/common/v1/compliance_evidence.grpc.pb.h"
#include "gtest/gtest.h"
#include "httplib.h"
#include "libs/clock/clock.h"
#include "libs/db/connection_pool.h"
#include "libs/db/testing/status_matchers.h"
#include "libs/protoconv/protoconv.h"
#include "tests/e2e/interpretation_steps.h"

namespace gongkai::e2e {
namespace {

using db::testing::IsOk;
using db::testing::StatusIs;
using ::testing::HasSubstr;

class InterpretationE2eTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<std::unique_ptr<InterpretationSuite>> started = InterpretationSuite::Start(
        "inte2e", {{"GONGKAI_OUTBOX_LEASE", "4s"}, {"GONGKAI_OUTBOX_MAX_BACKOFF", "1s"}});
    if (!started.ok()) {
      start_error_ = started.status().ToString();
      return;
    }
    suite_ = *std::move(started);
  }
  static void TearDownTestSuite() { suite_.reset(); }

  void SetUp() override {
    ASSERT_NE(suite_, nullptr) << start_error_;
    steps_ = std::make_unique<InterpretationSteps>(suite_.get());
  }

  int64_t NewUnit() {
    absl::StatusOr<cat::Unit> unit =
        steps_->NewUnit(absl::StrCat("INT-U", ++unit_counter_), "市人力资源和社会保障局");
    EXPECT_TRUE(unit.ok()) << unit.status();
    return unit.ok() ? unit->id() : 0;
  }

  // Rows of a table of the interpretation service's database.
  int64_t Rows(const std::string& table) {
    auto pool = db::ConnectionPool::Create(
        suite_->interpretation_database().ServiceConfig(/*pool_size=*/1));
    if (!pool.ok()) return -1;
    auto conn = (*pool)->Acquire();
    if (!conn.ok()) return -1;
    auto rows = (*conn)->Query(absl::StrCat("SELECT COUNT(*) FROM ", table));
    if (!rows.ok()) return -1;
    return *rows.value()[0].GetInt64(0);
  }

  inline static std::unique_ptr<InterpretationSuite> suite_;
  inline static std::string start_error_ = "not started";
  inline static int unit_counter_ = 0;
  std::unique_ptr<InterpretationSteps> steps_;
};

// INT-3, the whole story over gRPC: returned without an interpretation (the cause
// recorded), then written and approved by the head, submitted, reviewed, published; the
// interpretation is released with the same publication time and is public.
TEST_F(InterpretationE2eTest, Int3DocumentAndInterpretationAreReleasedTogether) {
  const int64_t unit = NewUnit();
  ASSERT_OK_AND_ASSIGN(cat::Document draft, steps_->DraftCityPolicy(unit, "关于稳就业的十条措施"));
  ASSERT_OK_AND_ASSIGN(cat::Document returned, steps_->Submit(unit, draft.id()));
  EXPECT_EQ(returned.state(), cat::RETURNED);
  EXPECT_THAT(returned.return_cause(), HasSubstr("政策解读"));
  EXPECT_THAT(returned.return_cause(), HasSubstr("INT-3"));

  ASSERT_OK_AND_ASSIGN(interp::Interpretation created, steps_->Interpret(unit, draft.id()));
  EXPECT_EQ(created.unit_id(), unit);  // INT-1: the drafting department interprets.
  EXPECT_EQ(created.document_title(), "关于稳就业的十条措施");
  ASSERT_OK_AND_ASSIGN(interp::Interpretation approved, steps_->Approve(unit, created.id()));
  EXPECT_EQ(approved.state(), interp::APPROVED);
  EXPECT_EQ(approved.first_interpreter(), absl::StrCat("head-", unit));

  ASSERT_OK_AND_ASSIGN(cat::Document submitted, steps_->Submit(unit, draft.id()));
  EXPECT_EQ(submitted.state(), cat::PENDING_REVIEW);
  ASSERT_OK_AND_ASSIGN(cat::Document reviewed, steps_->Review(unit, draft.id()));
  EXPECT_EQ(reviewed.state(), cat::APPROVED);
  ASSERT_OK_AND_ASSIGN(cat::Document published, steps_->Publish(unit, draft.id()));
  EXPECT_EQ(published.state(), cat::PUBLISHED);

  ASSERT_OK_AND_ASSIGN(interp::Interpretation released,
                       steps_->WaitForRelease(created.id(), absl::Seconds(10)));
  EXPECT_EQ(FromTimestamp(released.release_time()), FromTimestamp(published.publish_time()));
  EXPECT_EQ(FromTimestamp(released.document_publish_time()),
            FromTimestamp(published.publish_time()));
  EXPECT_FALSE(released.late());
}

// INT-2: the approval names every missing section; nothing changes.
TEST_F(InterpretationE2eTest, Int2ApprovalWithMissingSectionsNamesThem) {
  const int64_t unit = NewUnit();
  ASSERT_OK_AND_ASSIGN(cat::Document draft, steps_->DraftCityPolicy(unit, "关于养老服务的意见"));
  ASSERT_OK_AND_ASSIGN(interp::Interpretation created,
                       steps_->Interpret(unit, draft.id(), /*complete=*/false));
  absl::StatusOr<interp::Interpretation> approved = steps_->Approve(unit, created.id());
  EXPECT_THAT(approved,
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("background_and_basis")));
  EXPECT_THAT(approved.status().message(), HasSubstr("new_versus_old"));
  EXPECT_THAT(approved.status().message(), HasSubstr("plan.spokesperson"));
  ASSERT_OK_AND_ASSIGN(interp::Interpretation still,
                       steps_->GetInterpretation(steps_->StaffOf(unit), created.id()));
  EXPECT_EQ(still.state(), interp::DRAFT);
  EXPECT_EQ(still.version(), created.version());
  // Drafts are not public.
  EXPECT_THAT(steps_->GetInterpretation("", created.id()),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("not found")));
}

// The authorization table: each RPC x role x own/other unit, checked by the service.
TEST_F(InterpretationE2eTest, AuthorizationTable) {
  const int64_t unit = NewUnit();
  const int64_t other = NewUnit();
  ASSERT_OK_AND_ASSIGN(cat::Document draft, steps_->DraftCityPolicy(unit, "关于人才引进的办法"));
  ASSERT_OK_AND_ASSIGN(interp::Interpretation created, steps_->Interpret(unit, draft.id()));
  auto stub = suite_->InterpretationStub();
  using Stub = interp::InterpretationService::Stub;
  struct Caller {
    std::string name;
    std::string token;
  };
  const std::vector<Caller> callers = {
      {"anonymous", ""},
      {"staff-own", steps_->StaffOf(unit)},
      {"staff-other", steps_->StaffOf(other)},
      {"head-own", steps_->HeadOf(unit)},
      {"head-other", steps_->HeadOf(other)},
      {"office", suite_->Token("office", 1, {"OFFICE"})},
      {"inspector", suite_->Token("inspector", std::nullopt, {"INSPECTOR"})},
      {"service", suite_->Token("service:catalog", std::nullopt, {"SERVICE"})},
  };
  auto code = [](const auto& result) { return result.status().code(); };
  using C = absl::StatusCode;
  for (const Caller& caller : callers) {
    SCOPED_TRACE(caller.name);
    interp::GetInterpretationRequest get;
    get.set_id(created.id());
    const C get_code = code(UnaryCall(*stub, &Stub::GetInterpretation, caller.token, get));
    const bool reads_draft = caller.name == "staff-own" || caller.name == "head-own" ||
                             caller.name == "office" || caller.name == "inspector";
    EXPECT_EQ(get_code, reads_draft ? C::kOk : C::kNotFound);

    interp::ApproveInterpretationRequest approve;
    approve.set_id(created.id());
    approve.set_expected_version(999);  // Never applied: only the right is checked.
    const C approve_code =
        code(UnaryCall(*stub, &Stub::ApproveInterpretation, caller.token, approve));
    if (caller.name == "anonymous") {
      EXPECT_EQ(approve_code, C::kUnauthenticated);
    } else if (caller.name == "head-own") {
      EXPECT_EQ(approve_code, C::kAborted);  // Allowed; the stale version stops it.
    } else if (reads_draft) {
      EXPECT_EQ(approve_code, C::kPermissionDenied);
    } else {
      EXPECT_EQ(approve_code, C::kNotFound);
    }

    interp::UpdateInterpretationRequest update;
    *update.mutable_interpretation() = created;
    update.set_expected_version(999);  // Never applied: only the right is checked.
    const C update_code = code(UnaryCall(*stub, &Stub::UpdateInterpretation, caller.token, update));
    const bool drafts =
        caller.name == "staff-own" || caller.name == "head-own" || caller.name == "office";
    EXPECT_EQ(update_code, caller.name == "anonymous" ? C::kUnauthenticated
                           : drafts                   ? C::kAborted
                           : reads_draft              ? C::kPermissionDenied
                                                      : C::kNotFound);

    interp::CreateInterpretationRequest create;  // The document has its primary already.
    create.mutable_interpretation()->set_document_id(draft.id());
    InterpretationSteps::FillContent(*create.mutable_interpretation());
    EXPECT_EQ(code(UnaryCall(*stub, &Stub::CreateInterpretation, caller.token, create)),
              caller.name == "anonymous" ? C::kUnauthenticated
              : drafts                   ? C::kAlreadyExists
                                         : C::kPermissionDenied);

    interp::ListInterpretationsRequest list;  // Everyone lists; drafts only for readers.
    list.set_document_id(draft.id());
    absl::StatusOr<interp::ListInterpretationsResponse> listed =
        UnaryCall(*stub, &Stub::ListInterpretations, caller.token, list);
    ASSERT_TRUE(listed.ok()) << listed.status();
    EXPECT_EQ(listed->interpretations_size(), reads_draft ? 1 : 0);

    interp::CheckReleaseRequest check;
    check.set_document_id(draft.id());
    const C check_code = code(UnaryCall(*stub, &Stub::CheckRelease, caller.token, check));
    const bool may_check = caller.name == "staff-own" || caller.name == "head-own" ||
                           caller.name == "office" || caller.name == "service";
    EXPECT_EQ(check_code, may_check                    ? C::kOk
                          : caller.name == "anonymous" ? C::kUnauthenticated
                                                       : C::kPermissionDenied);

    interp::ApplyPublicationRequest apply;  // Incomplete: authorization is checked after
    apply.set_event_id("x");                // validation, so every caller gets 400 here.
    EXPECT_EQ(code(UnaryCall(*stub, &Stub::ApplyPublication, caller.token, apply)),
              caller.name == "anonymous" ? C::kUnauthenticated : C::kInvalidArgument);

    interp::ListPublicationLagsRequest lags;
    lags.set_unit_id(unit);
    const C lags_code = code(UnaryCall(*stub, &Stub::ListPublicationLags, caller.token, lags));
    const bool may_read_lags = caller.name == "staff-own" || caller.name == "head-own" ||
                               caller.name == "office" || caller.name == "inspector";
    EXPECT_EQ(lags_code, may_read_lags                ? C::kOk
                         : caller.name == "anonymous" ? C::kUnauthenticated
                                                      : C::kPermissionDenied);
  }
  // Publication events are for the catalog's service principal (and ADMIN) only.
  interp::ApplyPublicationRequest apply;
  apply.set_event_id("document-published/999999");
  apply.set_document_id(999999);
  apply.set_drafting_unit_id(unit);
  apply.set_issuing_authority(cat::CITY_GOVERNMENT);
  apply.set_document_title("文件");
  *apply.mutable_publish_time() = ToTimestamp(absl::Now());
  EXPECT_THAT(UnaryCall(*stub, &Stub::ApplyPublication, steps_->StaffOf(unit), apply),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("SERVICE")));
  EXPECT_THAT(UnaryCall(*stub, &Stub::ApplyPublication, steps_->HeadOf(unit), apply),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("SERVICE")));
}

// Bad input: every case INVALID_ARGUMENT naming the field, no row written.
TEST_F(InterpretationE2eTest, BadInputCorpusChangesNothing) {
  const int64_t unit = NewUnit();
  ASSERT_OK_AND_ASSIGN(cat::Document draft, steps_->DraftCityPolicy(unit, "关于托育服务的措施"));
  ASSERT_OK_AND_ASSIGN(interp::Interpretation created, steps_->Interpret(unit, draft.id()));
  const int64_t interpretations = Rows("interpretations");
  const int64_t releases = Rows("interpretation_releases");
  const int64_t publications = Rows("document_publications");
  auto stub = suite_->InterpretationStub();
  using Stub = interp::InterpretationService::Stub;
  const std::string staff = steps_->StaffOf(unit);
  const std::string service = suite_->Token("service:catalog", std::nullopt, {"SERVICE"});

  std::vector<std::pair<std::string, absl::Status>> cases;
  {
    interp::CreateInterpretationRequest r;  // No document.
    cases.emplace_back("interpretation.document_id",
                       UnaryCall(*stub, &Stub::CreateInterpretation, staff, r).status());
  }
  {
    interp::CreateInterpretationRequest r;
    r.mutable_interpretation()->set_document_id(draft.id());
    r.set_request_id(std::string(200, 'x'));
    cases.emplace_back("request_id",
                       UnaryCall(*stub, &Stub::CreateInterpretation, staff, r).status());
  }
  {
    interp::UpdateInterpretationRequest r;
    r.mutable_interpretation()->set_id(created.id());
    r.mutable_interpretation()->mutable_sections()->mutable_scope()->set_not_applicable(true);
    cases.emplace_back("interpretation.sections.scope.not_applicable_reason",
                       UnaryCall(*stub, &Stub::UpdateInterpretation, staff, r).status());
  }
  {
    interp::UpdateInterpretationRequest r;
    r.mutable_interpretation()->set_id(created.id());
    r.mutable_interpretation()->mutable_plan()->add_channels(
        static_cast<interp::ReleaseChannel>(42));
    cases.emplace_back("interpretation.plan.channels[0]",
                       UnaryCall(*stub, &Stub::UpdateInterpretation, staff, r).status());
  }
  {
    interp::UpdateInterpretationRequest r;
    r.mutable_interpretation()->set_id(created.id());
    r.mutable_interpretation()->add_materials()->set_title("无内容");
    cases.emplace_back("interpretation.materials[0].form",
                       UnaryCall(*stub, &Stub::UpdateInterpretation, staff, r).status());
  }
  {
    interp::RecordReleaseRequest r;
    r.set_interpretation_id(created.id());
    cases.emplace_back("release.form", UnaryCall(*stub, &Stub::RecordRelease, staff, r).status());
  }
  {
    interp::RequestSupplementaryInterpretationRequest r;
    r.set_document_id(draft.id());
    cases.emplace_back(
        "reason", UnaryCall(*stub, &Stub::RequestSupplementaryInterpretation, staff, r).status());
  }
  {
    interp::ApplyPublicationRequest r;
    r.set_document_id(draft.id());
    cases.emplace_back("event_id", UnaryCall(*stub, &Stub::ApplyPublication, service, r).status());
  }
  {
    interp::ListInterpretationsRequest r;
    r.set_page_token("not-a-token");
    cases.emplace_back("page_token",
                       UnaryCall(*stub, &Stub::ListInterpretations, staff, r).status());
  }
  {
    interp::CheckReleaseRequest r;
    r.set_document_id(-3);
    cases.emplace_back("document_id", UnaryCall(*stub, &Stub::CheckRelease, service, r).status());
  }
  for (const auto& [field, status] : cases) {
    SCOPED_TRACE(field);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
    EXPECT_THAT(ViolatedFields(status), ::testing::Contains(field));
  }
  EXPECT_EQ(Rows("interpretations"), interpretations);
  EXPECT_EQ(Rows("interpretation_releases"), releases);
  EXPECT_EQ(Rows("document_publications"), publications);
}

// Both processes expose their families: the interpretation gauges, and the outbox's
// backlog and oldest age on the catalog.
TEST_F(InterpretationE2eTest, MetricsExposeInterpretationAndOutboxFamilies) {
  httplib::Client interpretation("127.0.0.1", suite_->interpretation().metrics_port());
  auto scraped = interpretation.Get("/metrics");
  ASSERT_TRUE(scraped);
  EXPECT_THAT(scraped->body, HasSubstr("interpretation_interpretations{state=\"DRAFT\"}"));
  EXPECT_THAT(scraped->body, HasSubstr("interpretation_publications_flagged{status=\"MISSING\"}"));
  EXPECT_THAT(scraped->body, HasSubstr("grpc_server_handled_total"));
  // The receiving side of the catalog's outbox (the service has none of its own).
  EXPECT_THAT(scraped->body, HasSubstr("interpretation_publication_delivery_delay_seconds_bucket"));
  EXPECT_THAT(scraped->body, HasSubstr("interpretation_publications_learnt_total"));
  httplib::Client catalog("127.0.0.1", suite_->catalog().metrics_port());
  auto catalog_scrape = catalog.Get("/metrics");
  ASSERT_TRUE(catalog_scrape);
  EXPECT_THAT(catalog_scrape->body, HasSubstr("gongkai_outbox_delivered_total"));
  EXPECT_THAT(catalog_scrape->body,
              HasSubstr("catalog_returned_submissions_total{cause=\"interpretation_missing\"}"));
}

// Compliance evidence item 9 through the running binary.
TEST_F(InterpretationE2eTest, EvidenceItem9CountsPublishedPolicyDocuments) {
  const int64_t unit = NewUnit();
  ASSERT_OK_AND_ASSIGN(cat::Document draft, steps_->DraftCityPolicy(unit, "关于医保报销的通知"));
  interp::Interpretation approved;
  ASSERT_THAT(steps_->PrepareForPublication(unit, draft.id(), &approved), IsOk());
  ASSERT_OK_AND_ASSIGN(cat::Document published, steps_->Publish(unit, draft.id()));
  ASSERT_THAT(steps_->WaitForRelease(approved.id(), absl::Seconds(10)).status(), IsOk());
  auto evidence = common::v1::ComplianceEvidenceService::NewStub(grpc::CreateChannel(
      suite_->interpretation().grpc_address(), grpc::InsecureChannelCredentials()));
  common::v1::GetComplianceEvidenceRequest request;
  request.set_unit_id(unit);
  const absl::CivilDay today = absl::ToCivilDay(absl::Now(), ShanghaiTimeZone());
  *request.mutable_period_start() = ToProtoDate(today - 1);
  *request.mutable_period_end() = ToProtoDate(today + 1);
  ASSERT_OK_AND_ASSIGN(
      common::v1::ComplianceEvidence answer,
      UnaryCall(*evidence, &common::v1::ComplianceEvidenceService::Stub::GetComplianceEvidence,
                suite_->Token("inspector", std::nullopt, {"INSPECTOR"}), request));
  ASSERT_EQ(answer.items_size(), 1);
  EXPECT_EQ(answer.items(0).item(), common::v1::POLICY_INTERPRETATION);
  std::map<std::string, int64_t> counts;
  for (const auto& indicator : answer.items(0).indicators()) {
    counts[indicator.name()] = indicator.count();
  }
  EXPECT_EQ(counts["policy_documents_published"], 1);
  EXPECT_EQ(counts["interpretations_in_sync"], 1);
  EXPECT_EQ(counts["interpretations_missing"], 0);
}

}  // namespace
}  // namespace gongkai::e2e
