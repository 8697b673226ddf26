// End-to-end tests of gongkai-interpretation beside the real gongkai-catalog: real
// processes calling each other as service principals, real MariaDB (INT-1 to INT-4).
// The story of INT-3 over gRPC, approval errors, the authorization table, the
// bad-input corpus, metrics and the compliance evidence (item 9).
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "gmock/gmock.h"
#include "gongkai/common/v1/compliance_evidence.grpc.pb.h"
#include "gtest/gtest.h"
#include "httplib.h"
#include "libs/clock/clock.h"
#include "libs/db/connection_pool.h"
#include "libs/db/testing/status_matchers.h"
#include "libs/protoconv/protoconv.h"
#include "tests/e2e/interpretation_steps.h"
#include "tests/e2e/rpc_coverage.h"

namespace gongkai::e2e {
namespace {

using db::testing::IsOk;
using db::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::Not;

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

// The authorization table: every RPC of InterpretationService x role x own/other unit,
// checked by the service itself, each cell the exact answer. An allowed call gets past
// authorization and then meets what its request deserves (a stale version: ABORTED; the
// primary that exists: ALREADY_EXISTS; a draft that is not released or a document not
// published: FAILED_PRECONDITION; an incomplete event: INVALID_ARGUMENT), so nothing is
// written. A refused call is PERMISSION_DENIED, or NOT_FOUND where the caller may not
// learn that an unreleased interpretation exists; without a token, UNAUTHENTICATED.
TEST_F(InterpretationE2eTest, AuthorizationTableCoversEveryRpc) {
  const int64_t unit = NewUnit();
  const int64_t other = NewUnit();
  ASSERT_OK_AND_ASSIGN(cat::Document draft, steps_->DraftCityPolicy(unit, "关于人才引进的办法"));
  ASSERT_OK_AND_ASSIGN(interp::Interpretation created, steps_->Interpret(unit, draft.id()));
  auto stub = suite_->InterpretationStub();
  using Stub = interp::InterpretationService::Stub;
  using C = absl::StatusCode;

  // The callers: every role, the unit-scoped ones of the interpreting unit and of
  // another unit.
  const std::vector<std::pair<std::string, std::string>> callers = {
      {"anonymous", ""},
      {"STAFF own", steps_->StaffOf(unit)},
      {"STAFF other", steps_->StaffOf(other)},
      {"REVIEWER own", suite_->Token(absl::StrCat("reviewer-", unit), unit, {"REVIEWER"})},
      {"REVIEWER other", suite_->Token(absl::StrCat("reviewer-", other), other, {"REVIEWER"})},
      {"HEAD own", steps_->HeadOf(unit)},
      {"HEAD other", steps_->HeadOf(other)},
      {"OFFICE", suite_->Token("office", 1, {"OFFICE"})},
      {"INSPECTOR", suite_->Token("inspector", std::nullopt, {"INSPECTOR"})},
      {"SUPERVISION", suite_->Token("supervision", std::nullopt, {"SUPERVISION"})},
      {"ADMIN", suite_->Token("admin", std::nullopt, {"ADMIN"})},
      {"SERVICE", suite_->Token("service:catalog", std::nullopt, {"SERVICE"})},
  };
  // Who reads the unreleased interpretation (the others get NOT_FOUND for it), who
  // drafts for its unit.
  const std::set<std::string> readers = {"STAFF own", "REVIEWER own", "HEAD own", "OFFICE",
                                         "INSPECTOR", "SUPERVISION",  "ADMIN"};
  const std::set<std::string> drafters = {"STAFF own", "HEAD own", "OFFICE", "ADMIN"};
  // The exact answer of `caller` when `allowed` callers get `ok_code`: NOT_FOUND for a
  // non-reader of a draft when `hides_drafts`, PERMISSION_DENIED otherwise.
  auto expect = [&](const std::string& caller, const std::set<std::string>& allowed, C ok_code,
                    bool hides_drafts) {
    if (caller == "anonymous") return C::kUnauthenticated;
    if (allowed.count(caller) > 0) return ok_code;
    if (hides_drafts && readers.count(caller) == 0) return C::kNotFound;
    return C::kPermissionDenied;
  };

  struct Rpc {
    std::string name;
    std::function<absl::Status(const std::string& token, const std::string& caller)> call;
    std::function<C(const std::string& caller)> expected;
  };
  const std::vector<Rpc> rpcs = {
      {"CreateInterpretation",  // The document has its primary already: ALREADY_EXISTS.
       [&](const std::string& t, const std::string&) {
         interp::CreateInterpretationRequest r;
         r.mutable_interpretation()->set_document_id(draft.id());
         InterpretationSteps::FillContent(*r.mutable_interpretation());
         return UnaryCall(*stub, &Stub::CreateInterpretation, t, r).status();
       },
       [&](const std::string& c) { return expect(c, drafters, C::kAlreadyExists, false); }},
      {"RequestSupplementaryInterpretation",  // The document is not published yet.
       [&](const std::string& t, const std::string& c) {
         interp::RequestSupplementaryInterpretationRequest r;
         r.set_document_id(draft.id());
         r.set_reason("政策被误读，需补充解读");
         r.set_request_id(absl::StrCat("authz-supplement-", absl::StrReplaceAll(c, {{" ", "-"}})));
         return UnaryCall(*stub, &Stub::RequestSupplementaryInterpretation, t, r).status();
       },
       [&](const std::string& c) {
         std::set<std::string> allowed = drafters;
         allowed.insert("SERVICE");  // The opinion-response service, for a misread policy.
         return expect(c, allowed, C::kFailedPrecondition, false);
       }},
      {"UpdateInterpretation",  // A stale version: ABORTED once authorized.
       [&](const std::string& t, const std::string&) {
         interp::UpdateInterpretationRequest r;
         *r.mutable_interpretation() = created;
         r.set_expected_version(999);
         return UnaryCall(*stub, &Stub::UpdateInterpretation, t, r).status();
       },
       [&](const std::string& c) { return expect(c, drafters, C::kAborted, true); }},
      {"ApproveInterpretation",  // Only the unit's HEAD; a stale version: ABORTED.
       [&](const std::string& t, const std::string&) {
         interp::ApproveInterpretationRequest r;
         r.set_id(created.id());
         r.set_expected_version(999);
         return UnaryCall(*stub, &Stub::ApproveInterpretation, t, r).status();
       },
       [&](const std::string& c) { return expect(c, {"HEAD own"}, C::kAborted, true); }},
      {"RecordRelease",  // The interpretation is a DRAFT: FAILED_PRECONDITION.
       [&](const std::string& t, const std::string& c) {
         interp::RecordReleaseRequest r;
         r.set_interpretation_id(created.id());
         r.set_request_id(absl::StrCat("authz-release-", absl::StrReplaceAll(c, {{" ", "-"}})));
         r.mutable_release()->set_form(interp::ARTICLE);
         r.mutable_release()->set_channel(interp::NEWSPAPER);
         r.mutable_release()->set_reference("南宁日报 A3 版");
         *r.mutable_release()->mutable_released_on() =
             ToProtoDate(absl::ToCivilDay(absl::Now(), ShanghaiTimeZone()) - 1);
         return UnaryCall(*stub, &Stub::RecordRelease, t, r).status();
       },
       [&](const std::string& c) { return expect(c, drafters, C::kFailedPrecondition, true); }},
      {"GetInterpretation",
       [&](const std::string& t, const std::string&) {
         interp::GetInterpretationRequest r;
         r.set_id(created.id());
         return UnaryCall(*stub, &Stub::GetInterpretation, t, r).status();
       },
       [&](const std::string& c) {
         return readers.count(c) > 0 ? C::kOk : C::kNotFound;  // Public once released.
       }},
      {"ListInterpretations",  // Everyone lists; the draft is counted below.
       [&](const std::string& t, const std::string& c) {
         interp::ListInterpretationsRequest r;
         r.set_document_id(draft.id());
         absl::StatusOr<interp::ListInterpretationsResponse> listed =
             UnaryCall(*stub, &Stub::ListInterpretations, t, r);
         if (listed.ok()) {
           EXPECT_EQ(listed->interpretations_size(), readers.count(c) > 0 ? 1 : 0) << c;
         }
         return listed.status();
       },
       [&](const std::string&) { return C::kOk; }},
      {"CheckRelease",  // The release gate: the catalog, the unit, the general office.
       [&](const std::string& t, const std::string&) {
         interp::CheckReleaseRequest r;
         r.set_document_id(draft.id());
         return UnaryCall(*stub, &Stub::CheckRelease, t, r).status();
       },
       [&](const std::string& c) {
         return expect(c, {"SERVICE", "STAFF own", "HEAD own", "OFFICE", "ADMIN"}, C::kOk, false);
       }},
      {"ApplyPublication",  // Incomplete: INVALID_ARGUMENT once authorized.
       [&](const std::string& t, const std::string&) {
         interp::ApplyPublicationRequest r;
         r.set_event_id("x");
         return UnaryCall(*stub, &Stub::ApplyPublication, t, r).status();
       },
       [&](const std::string& c) {
         return expect(c, {"SERVICE", "ADMIN"}, C::kInvalidArgument, false);
       }},
      {"ApplyPublications",  // An empty batch: INVALID_ARGUMENT once authorized.
       [&](const std::string& t, const std::string&) {
         return UnaryCall(*stub, &Stub::ApplyPublications, t, interp::ApplyPublicationsRequest())
             .status();
       },
       [&](const std::string& c) {
         return expect(c, {"SERVICE", "ADMIN"}, C::kInvalidArgument, false);
       }},
      {"ListPublicationLags",
       [&](const std::string& t, const std::string&) {
         interp::ListPublicationLagsRequest r;
         r.set_unit_id(unit);
         return UnaryCall(*stub, &Stub::ListPublicationLags, t, r).status();
       },
       [&](const std::string& c) {
         return expect(c, {"STAFF own", "HEAD own", "OFFICE", "SUPERVISION", "INSPECTOR", "ADMIN"},
                       C::kOk, false);
       }},
  };
  // Every RPC of the service is in the table, once.
  const google::protobuf::ServiceDescriptor* service =
      interp::Interpretation::descriptor()->file()->FindServiceByName("InterpretationService");
  ASSERT_NE(service, nullptr);
  std::vector<std::string> names;
  for (const Rpc& rpc : rpcs) names.push_back(rpc.name);
  ASSERT_THAT(e2e::RpcCoverageProblems(*service, names), ::testing::IsEmpty());

  const int64_t interpretations = Rows("interpretations");
  const int64_t releases = Rows("interpretation_releases");
  const int64_t publications = Rows("document_publications");
  for (const Rpc& rpc : rpcs) {
    for (const auto& [caller, token] : callers) {
      SCOPED_TRACE(absl::StrCat(rpc.name, " as ", caller));
      const absl::Status status = rpc.call(token, caller);
      EXPECT_EQ(status.code(), rpc.expected(caller)) << status;
      if (status.code() == C::kPermissionDenied) {
        // The refusal names the rule's roles, never the interpretation's content.
        EXPECT_THAT(status.message(), Not(HasSubstr("内容"))) << status;
      }
    }
  }
  // Nothing was written by any cell.
  EXPECT_EQ(Rows("interpretations"), interpretations);
  EXPECT_EQ(Rows("interpretation_releases"), releases);
  EXPECT_EQ(Rows("document_publications"), publications);
  ASSERT_OK_AND_ASSIGN(interp::Interpretation after,
                       steps_->GetInterpretation(steps_->StaffOf(unit), created.id()));
  EXPECT_EQ(after.version(), created.version());
  EXPECT_EQ(after.state(), interp::DRAFT);

  // Publication events are for the catalog's service principal (and ADMIN) only, also
  // when complete.
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
  // The receiving side of the catalog's outbox.
  EXPECT_THAT(scraped->body, HasSubstr("interpretation_publication_delivery_delay_seconds_bucket"));
  EXPECT_THAT(scraped->body, HasSubstr("interpretation_publications_learnt_total"));
  // Its own outbox (reports of releases after the document to the catalog): the same
  // families as the catalog's, from the one implementation in libs/outbox.
  for (const char* family :
       {"gongkai_outbox_backlog{topic=\"interpretation.released_after_document\"}",
        "gongkai_outbox_oldest_undelivered_age_seconds{topic=\"interpretation.released_after_"
        "document\"}",
        "gongkai_outbox_parked{topic=\"interpretation.released_after_document\"}",
        "gongkai_outbox_delivered_total{topic=\"interpretation.released_after_document\"}"}) {
    EXPECT_THAT(scraped->body, HasSubstr(family));
  }
  httplib::Client catalog("127.0.0.1", suite_->catalog().metrics_port());
  auto catalog_scrape = catalog.Get("/metrics");
  ASSERT_TRUE(catalog_scrape);
  EXPECT_THAT(catalog_scrape->body, HasSubstr("gongkai_outbox_delivered_total"));
  EXPECT_THAT(catalog_scrape->body,
              HasSubstr("catalog_returned_submissions_total{cause=\"interpretation_missing\"}"));
}

// INT-3: an interpretation approved after its document was published is released then,
// and the interpretation service's outbox reports it to the catalog, which records it on
// the document's audit trail once (the relay's delivery is at-least-once).
TEST_F(InterpretationE2eTest, Int3ReleaseAfterTheDocumentIsRecordedOnTheDocument) {
  const int64_t unit = NewUnit();
  // A department's own policy document: no gate, published without an interpretation.
  cat::CreateDocumentRequest create;
  cat::Document* d = create.mutable_document();
  d->set_title("关于做好高校毕业生就业工作的通知");
  d->set_body("各有关单位：现将有关事项通知如下。");
  d->set_drafting_unit_id(unit);
  d->set_issuing_authority(cat::DEPARTMENT);
  d->set_is_policy_document(true);
  d->set_key_area(cat::EDUCATION);
  d->set_disclosure_attribute(cat::PROACTIVE);
  ASSERT_OK_AND_ASSIGN(cat::Document draft,
                       UnaryCall(*suite_->CatalogStub(), &cat::CatalogService::Stub::CreateDocument,
                                 steps_->StaffOf(unit), create));
  ASSERT_OK_AND_ASSIGN(cat::Document submitted, steps_->Submit(unit, draft.id()));
  ASSERT_EQ(submitted.state(), cat::PENDING_REVIEW);
  ASSERT_THAT(steps_->Review(unit, draft.id()).status(), IsOk());
  ASSERT_OK_AND_ASSIGN(cat::Document published, steps_->Publish(unit, draft.id()));
  ASSERT_EQ(published.state(), cat::PUBLISHED);
  ASSERT_OK_AND_ASSIGN(interp::Interpretation created, steps_->Interpret(unit, draft.id()));
  // The publication's own event arrives first (the approval would otherwise wait for it).
  const absl::Time until = absl::Now() + absl::Seconds(10);
  while (absl::Now() < until && !steps_->GetInterpretation(steps_->StaffOf(unit), created.id())
                                     ->has_document_publish_time()) {
    absl::SleepFor(absl::Milliseconds(50));
  }
  ASSERT_OK_AND_ASSIGN(interp::Interpretation approved, steps_->Approve(unit, created.id()));
  ASSERT_EQ(approved.state(), interp::RELEASED);

  // The catalog's record of the document shows the release, once.
  const std::string event = absl::StrCat("interpretation-released/", created.id());
  auto entries_with_event = [&]() -> int {
    cat::ListDocumentAuditRequest request;
    request.set_id(draft.id());
    absl::StatusOr<cat::ListDocumentAuditResponse> audit =
        UnaryCall(*suite_->CatalogStub(), &cat::CatalogService::Stub::ListDocumentAudit,
                  steps_->StaffOf(unit), request);
    if (!audit.ok()) return -1;
    int found = 0;
    for (const auto& entry : audit->entries()) {
      if (absl::StrContains(entry.detail(), event)) {
        EXPECT_EQ(entry.actor(), "service:interpretation");
        EXPECT_EQ(entry.action(), approved.late() ? "interpretation_released_late"
                                                  : "interpretation_released_after");
        ++found;
      }
    }
    return found;
  };
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  while (absl::Now() < deadline && entries_with_event() < 1) {
    absl::SleepFor(absl::Milliseconds(50));
  }
  EXPECT_EQ(entries_with_event(), 1);

  // A redelivery (the relay's at-least-once) changes nothing; other callers are refused.
  cat::RecordInterpretationReleaseRequest again;
  again.set_event_id(event);
  again.set_document_id(draft.id());
  again.set_interpretation_id(created.id());
  *again.mutable_release_time() = approved.release_time();
  again.set_lag_working_days(approved.release_lag_working_days());
  again.set_late(approved.late());
  again.set_lag_rule(approved.lag_rule());
  ASSERT_OK_AND_ASSIGN(
      cat::RecordInterpretationReleaseResponse replayed,
      UnaryCall(*suite_->CatalogStub(), &cat::CatalogService::Stub::RecordInterpretationRelease,
                suite_->Token("service:interpretation", std::nullopt, {"SERVICE"}), again));
  EXPECT_TRUE(replayed.already_recorded());
  EXPECT_EQ(entries_with_event(), 1);
  EXPECT_THAT(
      UnaryCall(*suite_->CatalogStub(), &cat::CatalogService::Stub::RecordInterpretationRelease,
                steps_->HeadOf(unit), again),
      StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("SERVICE")));

  // The interpretation service's outbox drained: delivered, nothing left or parked.
  httplib::Client metrics("127.0.0.1", suite_->interpretation().metrics_port());
  auto scraped = metrics.Get("/metrics");
  ASSERT_TRUE(scraped);
  EXPECT_THAT(
      scraped->body,
      Not(HasSubstr(
          "gongkai_outbox_delivered_total{topic=\"interpretation.released_after_document\"} 0")));
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
