// End-to-end tests of the gongkai-catalog binary: real gRPC, real MariaDB, real process.
//
// One service instance (and one fresh database) serves the whole CatalogE2eTest suite;
// every test creates its own units, so the tests do not depend on each other or on
// their order. Requirement IDs (CAT-n, NAT-n) are cited where a rule is checked.
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gongkai/catalog/v1/catalog.grpc.pb.h"
#include "google/protobuf/unknown_field_set.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "libs/auth/token_minter.h"
#include "libs/calendar/working_day_calendar.h"
#include "libs/clock/clock.h"
#include "libs/db/testing/status_matchers.h"
#include "libs/status/errors.h"
#include "libs/status/grpc_status.h"
#include "tests/e2e/catalog_suite.h"
#include "tests/e2e/catalog_under_test.h"
#include "tests/e2e/grpc_call.h"
#include "tests/e2e/stand_in_calendar.h"

#ifndef GONGKAI_PROMTOOL
#error "GONGKAI_PROMTOOL must be defined by the build"
#endif

namespace gongkai::e2e {
namespace {

namespace v1 = ::gongkai::catalog::v1;
using ::testing::AllOf;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::Property;
using ::testing::SizeIs;
using Stub = v1::CatalogService::Stub;

using ::gongkai::db::testing::StatusIs;

#define ASSERT_OK(expr) ASSERT_THAT(expr, ::gongkai::db::testing::IsOk())

constexpr char kAnonymous[] = "";

// The value of the first sample of `name` whose labels include every `labels` entry.
std::optional<double> MetricValue(const std::string& exposition, absl::string_view name,
                                  const std::vector<std::string>& labels) {
  for (absl::string_view line : absl::StrSplit(exposition, '\n')) {
    if (!absl::StartsWith(line, name)) continue;
    const absl::string_view rest = line.substr(name.size());
    if (rest.empty() || (rest[0] != '{' && rest[0] != ' ')) continue;
    bool all = true;
    for (const std::string& label : labels) all = all && absl::StrContains(rest, label);
    if (!all) continue;
    double value = 0;
    if (absl::SimpleAtod(line.substr(line.rfind(' ') + 1), &value)) return value;
  }
  return std::nullopt;
}

class CatalogE2eTest : public CatalogSuite<CatalogE2eTest> {
 public:
  static constexpr char kDatabasePrefix[] = "catalog_e2e";
  // The stand-in calendars keep CAT-3 due dates computable whatever day the suite runs.
  static std::map<std::string, std::string> CatalogEnv() {
    return {{"GONGKAI_METRICS_REFRESH", "1s"}, {"GONGKAI_CALENDAR_DIR", StandInCalendarDir()}};
  }

 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(CatalogSuite::SetUp());
    stub_ = catalog_->NewStub();
    admin_ = catalog_->Token("e2e-admin", std::nullopt, {"ADMIN"});
    office_ = catalog_->Token("e2e-office", std::nullopt, {"OFFICE"});
    inspector_ = catalog_->Token("e2e-inspector", std::nullopt, {"INSPECTOR"});
  }

  // One unary call with `token` ("" = anonymous), converted back to absl::Status with
  // its error details (libs/status/grpc_status.h).
  template <typename Request, typename Response>
  absl::StatusOr<Response> Call(grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&,
                                                             Response*),
                                const std::string& token, const Request& request,
                                const std::string& request_id_header = "") {
    // The deadline only bounds a hung call; a loaded CI machine must not trip it.
    return UnaryCall(*stub_, method, token, request, absl::Seconds(30), request_id_header);
  }

  // A unit with a code unique in this suite.
  absl::StatusOr<v1::Unit> NewUnit(absl::string_view name = "测试单位", int64_t parent_id = 0) {
    v1::CreateUnitRequest request;
    request.mutable_unit()->set_code(absl::StrCat("E2E-U", ++unit_counter_));
    request.mutable_unit()->set_name(std::string(name));
    request.mutable_unit()->set_level(v1::UNIT_LEVEL_DEPARTMENT);
    request.mutable_unit()->set_parent_id(parent_id);
    return Call(&Stub::CreateUnit, admin_, request);
  }

  static v1::Document Draft(int64_t unit_id, absl::string_view title,
                            v1::DisclosureAttribute attribute = v1::PROACTIVE) {
    v1::Document d;
    d.set_title(std::string(title));
    d.set_body("为深入推进政务公开工作，现将有关事项通知如下。");
    d.set_drafting_unit_id(unit_id);
    d.set_issuing_authority(v1::DEPARTMENT);
    d.set_key_area(v1::EDUCATION);
    d.set_disclosure_attribute(attribute);
    if (attribute == v1::ON_REQUEST || attribute == v1::NOT_DISCLOSED) {
      d.set_nondisclosure_reason("涉及第三方合法权益");
      d.set_legal_basis("《中华人民共和国政府信息公开条例》第十五条");
    }
    return d;
  }

  absl::StatusOr<v1::Document> Create(const std::string& token, const v1::Document& document,
                                      const std::string& request_id = "") {
    v1::CreateDocumentRequest request;
    *request.mutable_document() = document;
    request.set_request_id(request_id);
    return Call(&Stub::CreateDocument, token, request);
  }
  absl::StatusOr<v1::Document> Submit(const std::string& token, int64_t id) {
    v1::SubmitDocumentRequest request;
    request.set_id(id);
    return Call(&Stub::SubmitDocument, token, request);
  }
  absl::StatusOr<v1::Document> Review(const std::string& token, int64_t id,
                                      v1::ReviewOutcome outcome, const std::string& note = "") {
    v1::ReviewDocumentRequest request;
    request.set_id(id);
    request.set_outcome(outcome);
    request.set_note(note);
    return Call(&Stub::ReviewDocument, token, request);
  }
  absl::StatusOr<v1::Document> Publish(const std::string& token, int64_t id) {
    v1::PublishDocumentRequest request;
    request.set_id(id);
    return Call(&Stub::PublishDocument, token, request);
  }
  absl::StatusOr<v1::Document> Get(const std::string& token, int64_t id) {
    v1::GetDocumentRequest request;
    request.set_id(id);
    return Call(&Stub::GetDocument, token, request);
  }
  // Draft → submitted → review passed (→ APPROVED), by the unit's staff and reviewer.
  absl::StatusOr<v1::Document> Approved(int64_t unit_id, const v1::Document& document) {
    const std::string staff = StaffOf(unit_id), reviewer = ReviewerOf(unit_id);
    absl::StatusOr<v1::Document> d = Create(staff, document);
    if (!d.ok()) return d;
    d = Submit(staff, d->id());
    if (!d.ok()) return d;
    if (d->state() != v1::PENDING_REVIEW) {
      return absl::InternalError(absl::StrCat("submission was returned: ", d->return_cause()));
    }
    return Review(reviewer, d->id(), v1::REVIEW_PASSED, "无涉密内容");
  }

  std::string StaffOf(int64_t unit_id) const {
    return catalog_->Token(absl::StrCat("staff-", unit_id), unit_id, {"STAFF"});
  }
  std::string ReviewerOf(int64_t unit_id) const {
    return catalog_->Token(absl::StrCat("reviewer-", unit_id), unit_id, {"REVIEWER"});
  }

  // Every document an ADMIN can list, following next_page_token.
  absl::StatusOr<int> CountAllDocuments() {
    v1::ListDocumentsRequest request;
    request.set_page_size(100);
    request.set_omit_body(true);
    int count = 0;
    do {
      absl::StatusOr<v1::ListDocumentsResponse> page = Call(&Stub::ListDocuments, admin_, request);
      if (!page.ok()) return page.status();
      count += page->documents_size();
      request.set_page_token(page->next_page_token());
    } while (!request.page_token().empty());
    return count;
  }

  absl::StatusOr<std::string> ScrapeMetrics(std::string* content_type = nullptr) {
    httplib::Client client("127.0.0.1", catalog_->service().metrics_port());
    client.set_read_timeout(30, 0);
    httplib::Result result = client.Get("/metrics");
    if (!result) {
      return absl::UnavailableError(
          absl::StrCat("GET /metrics failed: ", httplib::to_string(result.error())));
    }
    if (result->status != 200) {
      return absl::InternalError(absl::StrCat("GET /metrics: HTTP ", result->status));
    }
    if (content_type != nullptr) *content_type = result->get_header_value("Content-Type");
    return result->body;
  }

  inline static int unit_counter_ = 0;

  std::unique_ptr<Stub> stub_;
  std::string admin_, office_, inspector_;
};

// ---- Process, health, reflection -------------------------------------------------------

TEST_F(CatalogE2eTest, HealthCheckSaysServingForServerAndCatalogService) {
  auto health = grpc::health::v1::Health::NewStub(
      grpc::CreateChannel(catalog_->service().grpc_address(), grpc::InsecureChannelCredentials()));
  for (const std::string service : {"", "gongkai.catalog.v1.CatalogService"}) {
    grpc::ClientContext context;
    grpc::health::v1::HealthCheckRequest request;
    request.set_service(service);
    grpc::health::v1::HealthCheckResponse response;
    grpc::Status status = health->Check(&context, request, &response);
    ASSERT_TRUE(status.ok()) << service << ": " << status.error_message();
    EXPECT_EQ(response.status(), grpc::health::v1::HealthCheckResponse::SERVING) << service;
  }
}

TEST_F(CatalogE2eTest, ReflectionListsCatalogService) {
  // grpc.reflection.v1alpha over a generic stream, decoded at the wire level: the
  // request is ServerReflectionRequest{list_services: ""} (field 7), the answer's
  // list_services_response (field 6) holds ServiceResponse{name} entries (1 → 1).
  grpc::GenericStub generic(
      grpc::CreateChannel(catalog_->service().grpc_address(), grpc::InsecureChannelCredentials()));
  grpc::CompletionQueue cq;
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
  auto call = generic.PrepareCall(
      &context, "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo", &cq);
  auto step = [&cq](int expected_tag) {
    void* tag = nullptr;
    bool ok = false;
    if (!cq.Next(&tag, &ok)) return false;
    return ok && tag == reinterpret_cast<void*>(static_cast<intptr_t>(expected_tag));
  };
  call->StartCall(reinterpret_cast<void*>(1));
  ASSERT_TRUE(step(1));
  const std::string request_bytes("\x3a\x00", 2);
  grpc::Slice slice(request_bytes);
  grpc::ByteBuffer request(&slice, 1);
  call->Write(request, reinterpret_cast<void*>(2));
  ASSERT_TRUE(step(2));
  call->WritesDone(reinterpret_cast<void*>(3));
  ASSERT_TRUE(step(3));
  grpc::ByteBuffer response;
  call->Read(&response, reinterpret_cast<void*>(4));
  ASSERT_TRUE(step(4));
  grpc::Status status;
  call->Finish(&status, reinterpret_cast<void*>(5));
  ASSERT_TRUE(step(5));
  ASSERT_TRUE(status.ok()) << status.error_message();

  std::vector<grpc::Slice> slices;
  ASSERT_TRUE(response.Dump(&slices).ok());
  std::string bytes;
  for (const grpc::Slice& s : slices)
    bytes.append(reinterpret_cast<const char*>(s.begin()), s.size());
  google::protobuf::UnknownFieldSet top;
  ASSERT_TRUE(top.ParseFromString(bytes));
  std::vector<std::string> services;
  for (int i = 0; i < top.field_count(); ++i) {
    if (top.field(i).number() != 6) continue;
    google::protobuf::UnknownFieldSet list;
    ASSERT_TRUE(list.ParseFromString(top.field(i).length_delimited()));
    for (int j = 0; j < list.field_count(); ++j) {
      google::protobuf::UnknownFieldSet service;
      ASSERT_TRUE(service.ParseFromString(list.field(j).length_delimited()));
      for (int k = 0; k < service.field_count(); ++k) {
        if (service.field(k).number() == 1) services.push_back(service.field(k).length_delimited());
      }
    }
  }
  EXPECT_THAT(services, Contains("gongkai.catalog.v1.CatalogService"));
  EXPECT_THAT(services, Contains("grpc.health.v1.Health"));
}

// ---- Units -------------------------------------------------------------------------------

TEST_F(CatalogE2eTest, AdminCreatesUnitsThatAnyoneCanGetAndListAcrossPages) {
  ASSERT_OK_AND_ASSIGN(v1::Unit parent, NewUnit("市教育局"));
  EXPECT_GT(parent.id(), 0);
  EXPECT_EQ(parent.name(), "市教育局");
  std::set<int64_t> children;
  for (int i = 0; i < 3; ++i) {
    ASSERT_OK_AND_ASSIGN(v1::Unit child, NewUnit(absl::StrCat("科室", i), parent.id()));
    children.insert(child.id());
  }

  v1::GetUnitRequest get;
  get.set_id(parent.id());
  ASSERT_OK_AND_ASSIGN(v1::Unit got, Call(&Stub::GetUnit, kAnonymous, get));
  EXPECT_EQ(got.code(), parent.code());
  EXPECT_EQ(got.name(), "市教育局");

  v1::ListUnitsRequest list;
  list.set_parent_id(parent.id());
  list.set_page_size(2);
  ASSERT_OK_AND_ASSIGN(v1::ListUnitsResponse first, Call(&Stub::ListUnits, kAnonymous, list));
  ASSERT_THAT(first.units(), SizeIs(2));
  ASSERT_FALSE(first.next_page_token().empty());
  list.set_page_token(first.next_page_token());
  ASSERT_OK_AND_ASSIGN(v1::ListUnitsResponse second, Call(&Stub::ListUnits, kAnonymous, list));
  ASSERT_THAT(second.units(), SizeIs(1));
  EXPECT_TRUE(second.next_page_token().empty());
  std::set<int64_t> listed;
  for (const auto& page : {first, second}) {
    for (const v1::Unit& u : page.units()) listed.insert(u.id());
  }
  EXPECT_EQ(listed, children);
}

TEST_F(CatalogE2eTest, DuplicateUnitCodeIsAlreadyExists) {
  ASSERT_OK_AND_ASSIGN(v1::Unit unit, NewUnit());
  v1::CreateUnitRequest again;
  again.mutable_unit()->set_code(unit.code());
  again.mutable_unit()->set_name("另一个单位");
  again.mutable_unit()->set_level(v1::UNIT_LEVEL_COUNTY);
  EXPECT_THAT(Call(&Stub::CreateUnit, admin_, again),
              StatusIs(absl::StatusCode::kAlreadyExists,
                       HasSubstr("unit code \"" + unit.code() + "\" is already used")));
}

TEST_F(CatalogE2eTest, AnonymousCreateUnitIsUnauthenticatedAndStaffIsPermissionDenied) {
  v1::CreateUnitRequest request;
  request.mutable_unit()->set_code("E2E-NOT-ALLOWED");
  request.mutable_unit()->set_name("不应创建");
  request.mutable_unit()->set_level(v1::UNIT_LEVEL_CITY);
  EXPECT_THAT(Call(&Stub::CreateUnit, kAnonymous, request),
              StatusIs(absl::StatusCode::kUnauthenticated, HasSubstr("sign-in")));
  EXPECT_THAT(Call(&Stub::CreateUnit, StaffOf(1), request),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("OFFICE")));
}

// ---- Document lifecycle (CAT-1 .. CAT-4) -------------------------------------------------

TEST_F(CatalogE2eTest, ProactiveDocumentGoesFromDraftToPublishedAndIsFoundByAnyone) {
  ASSERT_OK_AND_ASSIGN(v1::Unit unit, NewUnit("市政务服务和大数据管理局"));
  const std::string staff = StaffOf(unit.id()), reviewer = ReviewerOf(unit.id());
  v1::Document draft = Draft(unit.id(), "关于深化政务公开标准化规范化工作的通知");
  draft.set_body("各区县：为推进政务公开，提高 transparency 水平，现通知如下。");

  ASSERT_OK_AND_ASSIGN(v1::Document created, Create(staff, draft));
  EXPECT_EQ(created.state(), v1::DRAFT);
  EXPECT_EQ(created.created_by(), absl::StrCat("staff-", unit.id()));
  ASSERT_OK_AND_ASSIGN(v1::Document submitted, Submit(staff, created.id()));
  EXPECT_EQ(submitted.state(), v1::PENDING_REVIEW);
  ASSERT_OK_AND_ASSIGN(v1::Document reviewed,
                       Review(reviewer, created.id(), v1::REVIEW_PASSED, "已审查"));
  EXPECT_EQ(reviewed.state(), v1::APPROVED);
  EXPECT_EQ(reviewed.review_outcome(), v1::REVIEW_PASSED);
  ASSERT_OK_AND_ASSIGN(v1::Document published, Publish(staff, created.id()));
  EXPECT_EQ(published.state(), v1::PUBLISHED);
  EXPECT_TRUE(published.has_publish_time());

  ASSERT_OK_AND_ASSIGN(v1::Document public_view, Get(kAnonymous, created.id()));
  EXPECT_EQ(public_view.title(), draft.title());
  EXPECT_EQ(public_view.body(), draft.body());

  v1::ListDocumentsRequest list;
  list.set_drafting_unit_id(unit.id());
  ASSERT_OK_AND_ASSIGN(v1::ListDocumentsResponse listed,
                       Call(&Stub::ListDocuments, kAnonymous, list));
  EXPECT_THAT(listed.documents(), ElementsAre(Property(&v1::Document::id, created.id())));

  for (const std::string query : {"政务公开", "transparency"}) {
    v1::SearchDocumentsRequest search;
    search.set_query(query);
    ASSERT_OK_AND_ASSIGN(v1::SearchDocumentsResponse found,
                         Call(&Stub::SearchDocuments, kAnonymous, search));
    EXPECT_THAT(found.documents(), Contains(Property(&v1::Document::id, created.id()))) << query;
  }

  v1::ListDocumentAuditRequest audit_request;
  audit_request.set_id(created.id());
  ASSERT_OK_AND_ASSIGN(v1::ListDocumentAuditResponse audit,
                       Call(&Stub::ListDocumentAudit, staff, audit_request));
  std::vector<std::string> trail;  // Oldest first.
  for (auto it = audit.entries().rbegin(); it != audit.entries().rend(); ++it) {
    trail.push_back(absl::StrCat(it->action(), " by ", it->actor(), ": ", it->old_state(), " -> ",
                                 it->new_state()));
  }
  const std::string s = absl::StrCat("staff-", unit.id());
  const std::string r = absl::StrCat("reviewer-", unit.id());
  EXPECT_THAT(trail,
              ElementsAre(absl::StrCat("create by ", s, ": DOCUMENT_STATE_UNSPECIFIED -> DRAFT"),
                          absl::StrCat("submit by ", s, ": DRAFT -> PENDING_REVIEW"),
                          absl::StrCat("review_passed by ", r, ": PENDING_REVIEW -> APPROVED"),
                          absl::StrCat("publish by ", s, ": APPROVED -> PUBLISHED")));
}

// NAT-10: a published policy document is repealed through the running service (with the
// document cache on): it stays PUBLISHED and public, every later read shows it 已废止,
// the in-force listing leaves it out, and it is repealed only once.
TEST_F(CatalogE2eTest, Nat10PublishedPolicyDocumentIsRepealedOnceAndNoStaleCopyIsServed) {
  ASSERT_OK_AND_ASSIGN(v1::Unit unit, NewUnit("市司法局"));
  const std::string staff = StaffOf(unit.id());
  v1::Document draft = Draft(unit.id(), "关于规范行政裁量权基准的若干规定");
  draft.set_is_policy_document(true);
  ASSERT_OK_AND_ASSIGN(v1::Document approved, Approved(unit.id(), draft));
  ASSERT_OK_AND_ASSIGN(v1::Document published, Publish(staff, approved.id()));
  const absl::CivilDay today = calendar::TodayInShanghai(RealClock());
  auto date_of = [](absl::CivilDay day) {
    common::v1::Date date;
    date.set_year(static_cast<int32_t>(day.year()));
    date.set_month(day.month());
    date.set_day(day.day());
    return date;
  };
  // Read (and possibly cached) before the repeal, twice.
  for (int i = 0; i < 2; ++i) {
    ASSERT_OK_AND_ASSIGN(v1::Document before, Get(kAnonymous, published.id()));
    EXPECT_FALSE(before.has_repealed_on());
  }
  v1::Document other = Draft(unit.id(), "非规范性文件");
  ASSERT_OK_AND_ASSIGN(v1::Document other_approved, Approved(unit.id(), other));
  ASSERT_OK_AND_ASSIGN(v1::Document other_published, Publish(staff, other_approved.id()));

  v1::RepealDocumentRequest repeal;
  repeal.set_id(published.id());
  *repeal.mutable_repealed_on() = date_of(today);
  repeal.set_repealing_document("南司规〔2026〕1号");
  repeal.set_reason("已被新规定替代");
  EXPECT_THAT(Call(&Stub::RepealDocument, ReviewerOf(unit.id()), repeal),
              StatusIs(absl::StatusCode::kPermissionDenied, testing::_));
  EXPECT_THAT(Call(&Stub::RepealDocument, kAnonymous, repeal),
              StatusIs(absl::StatusCode::kUnauthenticated, testing::_));
  v1::RepealDocumentRequest future = repeal;
  *future.mutable_repealed_on() = date_of(today + 2);
  EXPECT_THAT(Call(&Stub::RepealDocument, staff, future),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("repealed_on")));
  v1::RepealDocumentRequest stale = repeal;
  stale.set_expected_version(published.version() - 1);
  EXPECT_THAT(Call(&Stub::RepealDocument, staff, stale),
              StatusIs(absl::StatusCode::kAborted, HasSubstr("reload")));
  v1::RepealDocumentRequest not_policy = repeal;
  not_policy.set_id(other_published.id());
  EXPECT_THAT(Call(&Stub::RepealDocument, staff, not_policy),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("not a policy document")));
  ASSERT_OK_AND_ASSIGN(v1::Document unchanged, Get(kAnonymous, published.id()));
  EXPECT_FALSE(unchanged.has_repealed_on());

  repeal.set_expected_version(published.version());
  ASSERT_OK_AND_ASSIGN(v1::Document repealed, Call(&Stub::RepealDocument, staff, repeal));
  EXPECT_EQ(repealed.state(), v1::PUBLISHED);
  EXPECT_EQ(repealed.version(), published.version() + 1);
  EXPECT_EQ(absl::CivilDay(repealed.repealed_on().year(), repealed.repealed_on().month(),
                           repealed.repealed_on().day()),
            today);
  for (int i = 0; i < 2; ++i) {  // The second read may come from the cache.
    ASSERT_OK_AND_ASSIGN(v1::Document after, Get(kAnonymous, published.id()));
    EXPECT_EQ(after.state(), v1::PUBLISHED);
    EXPECT_TRUE(after.has_repealed_on());
    EXPECT_EQ(after.repealing_document(), "南司规〔2026〕1号");
    EXPECT_EQ(after.repeal_reason(), "已被新规定替代");
    EXPECT_EQ(after.version(), repealed.version());
  }
  EXPECT_THAT(Call(&Stub::RepealDocument, staff, repeal),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("already repealed")));

  v1::ListDocumentsRequest list;
  list.set_drafting_unit_id(unit.id());
  list.set_omit_body(true);
  ASSERT_OK_AND_ASSIGN(v1::ListDocumentsResponse all, Call(&Stub::ListDocuments, kAnonymous, list));
  EXPECT_THAT(all.documents(), ElementsAre(Property(&v1::Document::id, other_published.id()),
                                           Property(&v1::Document::id, published.id())));
  list.set_in_force_only(true);
  ASSERT_OK_AND_ASSIGN(v1::ListDocumentsResponse in_force,
                       Call(&Stub::ListDocuments, kAnonymous, list));
  EXPECT_THAT(in_force.documents(), ElementsAre(Property(&v1::Document::id, other_published.id())));

  v1::ListDocumentAuditRequest audit_request;
  audit_request.set_id(published.id());
  ASSERT_OK_AND_ASSIGN(v1::ListDocumentAuditResponse audit,
                       Call(&Stub::ListDocumentAudit, staff, audit_request));
  ASSERT_FALSE(audit.entries().empty());
  EXPECT_EQ(audit.entries(0).action(), "repeal");
  EXPECT_EQ(audit.entries(0).old_state(), "PUBLISHED");
  EXPECT_EQ(audit.entries(0).new_state(), "PUBLISHED");
  EXPECT_THAT(audit.entries(0).detail(), HasSubstr("已被新规定替代"));
}

TEST_F(CatalogE2eTest, Cat2IncompleteSubmissionsAreReturnedThenAcceptedOnceFixed) {
  ASSERT_OK_AND_ASSIGN(v1::Unit unit, NewUnit());
  const std::string staff = StaffOf(unit.id());

  v1::Document no_attribute =
      Draft(unit.id(), "未定公开属性的文件", v1::DISCLOSURE_ATTRIBUTE_UNSPECIFIED);
  ASSERT_OK_AND_ASSIGN(v1::Document a, Create(staff, no_attribute));
  ASSERT_OK_AND_ASSIGN(v1::Document a_submitted, Submit(staff, a.id()));
  EXPECT_EQ(a_submitted.state(), v1::RETURNED);
  EXPECT_THAT(a_submitted.return_cause(), HasSubstr("公开属性"));

  v1::Document no_basis = Draft(unit.id(), "不予公开但缺法律依据", v1::NOT_DISCLOSED);
  no_basis.clear_legal_basis();
  ASSERT_OK_AND_ASSIGN(v1::Document b, Create(staff, no_basis));
  ASSERT_OK_AND_ASSIGN(v1::Document b_submitted, Submit(staff, b.id()));
  EXPECT_EQ(b_submitted.state(), v1::RETURNED);
  EXPECT_THAT(b_submitted.return_cause(), HasSubstr("legal_basis"));

  // The drafter fixes the returned document and submits it again.
  v1::UpdateDocumentRequest fix;
  *fix.mutable_document() = b_submitted;
  fix.mutable_document()->set_legal_basis("《中华人民共和国政府信息公开条例》第十四条");
  fix.set_expected_version(b_submitted.version());
  ASSERT_OK_AND_ASSIGN(v1::Document fixed, Call(&Stub::UpdateDocument, staff, fix));
  EXPECT_EQ(fixed.state(), v1::RETURNED);
  ASSERT_OK_AND_ASSIGN(v1::Document resubmitted, Submit(staff, b.id()));
  EXPECT_EQ(resubmitted.state(), v1::PENDING_REVIEW);
  EXPECT_THAT(resubmitted.return_cause(), IsEmpty());
}

TEST_F(CatalogE2eTest, Cat4PublishingNeedsAPassedReviewAndAProactiveAttribute) {
  ASSERT_OK_AND_ASSIGN(v1::Unit unit, NewUnit());
  const std::string staff = StaffOf(unit.id());
  ASSERT_OK_AND_ASSIGN(v1::Document draft, Create(staff, Draft(unit.id(), "未经审查的文件")));
  EXPECT_THAT(Publish(staff, draft.id()),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("CAT-4")));
  ASSERT_OK_AND_ASSIGN(v1::Document submitted, Submit(staff, draft.id()));
  EXPECT_THAT(Publish(staff, submitted.id()),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("PENDING_REVIEW")));

  ASSERT_OK_AND_ASSIGN(v1::Document on_request,
                       Approved(unit.id(), Draft(unit.id(), "依申请公开的文件", v1::ON_REQUEST)));
  ASSERT_EQ(on_request.state(), v1::APPROVED);
  EXPECT_THAT(Publish(staff, on_request.id()),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("only PROACTIVE")));
  ASSERT_OK_AND_ASSIGN(v1::Document after, Get(staff, on_request.id()));
  EXPECT_EQ(after.state(), v1::APPROVED);
}

TEST_F(CatalogE2eTest, Cat3ProactiveDraftIsDueTwentyWorkingDaysAfterToday) {
  ASSERT_OK_AND_ASSIGN(std::shared_ptr<calendar::WorkingDayCalendar> cal,
                       calendar::NewBuiltinCalendar());
  // The calendar data the service has: the built-in years and the suite's stand-ins.
  ASSERT_OK(calendar::LoadYearsFromDirectory(*cal, StandInCalendarDir()));
  RealClock clock;
  const absl::CivilDay before = calendar::TodayInShanghai(clock);

  ASSERT_OK_AND_ASSIGN(v1::Unit unit, NewUnit());
  ASSERT_OK_AND_ASSIGN(v1::Document created,
                       Create(StaffOf(unit.id()), Draft(unit.id(), "主动公开文件")));
  const absl::CivilDay after = calendar::TodayInShanghai(clock);
  ASSERT_TRUE(created.has_publication_deadline());
  const auto& deadline = created.publication_deadline();
  // The clock starts on the day of creation: the day before the call or, when the call
  // ran across midnight in Shanghai, the day after it.
  const absl::CivilDay start(deadline.start().year(), deadline.start().month(),
                             deadline.start().day());
  EXPECT_TRUE(start == before || start == after)
      << "start " << start << ", created between " << before << " and " << after;
  ASSERT_OK_AND_ASSIGN(calendar::Deadline expected, cal->AddWorkingDays(start, 20));
  EXPECT_EQ(absl::CivilDay(deadline.due().year(), deadline.due().month(), deadline.due().day()),
            expected.due);
  EXPECT_EQ(deadline.days(), 20);
  EXPECT_TRUE(deadline.working_days());
  EXPECT_THAT(deadline.text(), Not(IsEmpty()));
  EXPECT_FALSE(created.overdue());
}

// ---- Visibility ----------------------------------------------------------------------------

TEST_F(CatalogE2eTest, UnpublishedDocumentIsHiddenFromOutsidersAndVisibleToInsiders) {
  ASSERT_OK_AND_ASSIGN(v1::Unit unit, NewUnit());
  ASSERT_OK_AND_ASSIGN(v1::Unit other, NewUnit());
  ASSERT_OK_AND_ASSIGN(v1::Document draft,
                       Create(StaffOf(unit.id()), Draft(unit.id(), "内部草稿")));

  EXPECT_THAT(Get(kAnonymous, draft.id()),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("not found")));
  EXPECT_THAT(Get(StaffOf(other.id()), draft.id()),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("not found")));
  for (const std::string& insider : {StaffOf(unit.id()), office_, inspector_}) {
    ASSERT_OK_AND_ASSIGN(v1::Document seen, Get(insider, draft.id()));
    EXPECT_EQ(seen.title(), "内部草稿");
  }

  v1::ListDocumentsRequest drafts;
  drafts.set_state(v1::DRAFT);
  EXPECT_THAT(Call(&Stub::ListDocuments, kAnonymous, drafts),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("published")));
  // Anonymous listing of the unit shows nothing unpublished.
  v1::ListDocumentsRequest of_unit;
  of_unit.set_drafting_unit_id(unit.id());
  ASSERT_OK_AND_ASSIGN(v1::ListDocumentsResponse outside,
                       Call(&Stub::ListDocuments, kAnonymous, of_unit));
  EXPECT_THAT(outside.documents(), IsEmpty());
  ASSERT_OK_AND_ASSIGN(v1::ListDocumentsResponse inside,
                       Call(&Stub::ListDocuments, inspector_, of_unit));
  EXPECT_THAT(inside.documents(), ElementsAre(Property(&v1::Document::id, draft.id())));

  EXPECT_THAT(Create(inspector_, Draft(unit.id(), "检查员不能起草")),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("INSPECTOR")));
}

// ---- Bad input ----------------------------------------------------------------------------

TEST_F(CatalogE2eTest, BadInputIsInvalidArgumentNamingTheFieldAndWritesNothing) {
  ASSERT_OK_AND_ASSIGN(v1::Unit unit, NewUnit());
  const std::string staff = StaffOf(unit.id());
  // Two documents, so that a list has a second page and a page token exists.
  ASSERT_OK_AND_ASSIGN(v1::Document d1, Create(staff, Draft(unit.id(), "第一份")));
  ASSERT_OK_AND_ASSIGN(v1::Document d2, Create(staff, Draft(unit.id(), "第二份")));
  v1::ListDocumentsRequest paged;
  paged.set_page_size(1);
  ASSERT_OK_AND_ASSIGN(v1::ListDocumentsResponse first, Call(&Stub::ListDocuments, admin_, paged));
  ASSERT_FALSE(first.next_page_token().empty());
  ASSERT_OK_AND_ASSIGN(const int before, CountAllDocuments());

  auto create_with = [&](auto mutate, std::string request_id = "") {
    v1::Document d = Draft(unit.id(), "正常标题");
    mutate(d);
    return Create(admin_, d, request_id).status();
  };
  struct Case {
    std::string name;
    std::string field;
    absl::Status status;
  };
  std::vector<Case> cases;
  cases.push_back(
      {"empty title", "document.title", create_with([](v1::Document& d) { d.set_title(""); })});
  std::string long_title;
  for (int i = 0; i < 501; ++i) long_title += "政";
  cases.push_back({"501-character title", "document.title",
                   create_with([&](v1::Document& d) { d.set_title(long_title); })});
  cases.push_back({"title with a control character", "document.title",
                   create_with([](v1::Document& d) { d.set_title("bell\x07"); })});
  cases.push_back({"unknown issuing_authority number", "document.issuing_authority",
                   create_with([](v1::Document& d) {
                     d.set_issuing_authority(static_cast<v1::IssuingAuthority>(99));
                   })});
  cases.push_back({"unknown key_area number", "document.key_area", create_with([](v1::Document& d) {
                     d.set_key_area(static_cast<v1::KeyArea>(12345));
                   })});
  cases.push_back({"negative drafting_unit_id", "document.drafting_unit_id",
                   create_with([](v1::Document& d) { d.set_drafting_unit_id(-3); })});
  cases.push_back({"publication limit of 21 working days",
                   "document.publication_limit_working_days",
                   create_with([](v1::Document& d) { d.set_publication_limit_working_days(21); })});
  cases.push_back({"negative publication limit", "document.publication_limit_working_days",
                   create_with([](v1::Document& d) { d.set_publication_limit_working_days(-1); })});
  cases.push_back({"body over 1,000,000 bytes", "document.body",
                   create_with([](v1::Document& d) { d.set_body(std::string(1'000'001, 'a')); })});
  cases.push_back({"request_id with spaces", "request_id",
                   create_with([](v1::Document&) {}, "retry key with spaces")});
  v1::GetDocumentRequest negative_id;
  negative_id.set_id(-1);
  cases.push_back(
      {"negative document id", "id", Call(&Stub::GetDocument, admin_, negative_id).status()});
  v1::ListDocumentsRequest too_big;
  too_big.set_page_size(101);
  cases.push_back(
      {"page_size 101", "page_size", Call(&Stub::ListDocuments, admin_, too_big).status()});
  v1::ListDocumentsRequest garbage;
  garbage.set_page_token("not-a-token!!");
  cases.push_back(
      {"garbage page_token", "page_token", Call(&Stub::ListDocuments, admin_, garbage).status()});
  v1::ListDocumentsRequest other_filters = paged;
  other_filters.set_page_token(first.next_page_token());
  other_filters.set_key_area(v1::HEALTH);
  cases.push_back({"page token reused with other filters", "page_token",
                   Call(&Stub::ListDocuments, admin_, other_filters).status()});
  v1::ListDocumentsRequest bad_date;
  bad_date.mutable_created_from()->set_year(2025);
  bad_date.mutable_created_from()->set_month(13);
  bad_date.mutable_created_from()->set_day(1);
  cases.push_back(
      {"month 13", "created_from", Call(&Stub::ListDocuments, admin_, bad_date).status()});
  v1::SearchDocumentsRequest empty_query;
  cases.push_back({"empty search query", "query",
                   Call(&Stub::SearchDocuments, kAnonymous, empty_query).status()});

  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_THAT(c.status, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(c.field)));
    EXPECT_THAT(ViolatedFields(c.status), Contains(c.field));
  }
  EXPECT_THAT(CountAllDocuments(), db::testing::IsOkAndHolds(before));
}

// A C++ (or hand-written) client can put bytes that are not UTF-8 into a string field.
// They must be refused like any other bad title, not reported as a server fault.
TEST_F(CatalogE2eTest, TitleThatIsNotUtf8IsInvalidArgumentNamingTheField) {
  ASSERT_OK_AND_ASSIGN(v1::Unit unit, NewUnit());
  ASSERT_OK_AND_ASSIGN(const int before, CountAllDocuments());
  v1::Document d = Draft(unit.id(), "placeholder");
  d.set_title("bad \xff\xfe title");
  const absl::Status status = Create(admin_, d).status();
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("document.title")));
  EXPECT_THAT(ViolatedFields(status), Contains("document.title"));
  EXPECT_THAT(CountAllDocuments(), db::testing::IsOkAndHolds(before));
  // protobuf's own complaint about the bytes reaches the log as JSON, like every line.
  for (const std::string& line : catalog_->service().LogLines()) {
    EXPECT_TRUE(nlohmann::json::accept(line)) << "not a JSON log line: " << line;
  }
}

// ---- Idempotency -----------------------------------------------------------------------------

TEST_F(CatalogE2eTest, RetriedCreateWithSameRequestIdReturnsTheFirstDocument) {
  ASSERT_OK_AND_ASSIGN(v1::Unit unit, NewUnit());
  ASSERT_OK_AND_ASSIGN(const int before, CountAllDocuments());
  const v1::Document draft = Draft(unit.id(), "重试不重复创建");
  ASSERT_OK_AND_ASSIGN(v1::Document first, Create(StaffOf(unit.id()), draft, "req-e2e-1"));
  ASSERT_OK_AND_ASSIGN(v1::Document again, Create(StaffOf(unit.id()), draft, "req-e2e-1"));
  EXPECT_EQ(again.id(), first.id());
  EXPECT_THAT(CountAllDocuments(), db::testing::IsOkAndHolds(before + 1));

  // The key is per caller: another subject with the same request_id creates its own.
  ASSERT_OK_AND_ASSIGN(v1::Document other_caller, Create(office_, draft, "req-e2e-1"));
  EXPECT_NE(other_caller.id(), first.id());
  EXPECT_THAT(CountAllDocuments(), db::testing::IsOkAndHolds(before + 2));
}

// The key's unique index answers a retry (CreateDocument does not read the key first,
// issue 14 P3): a request id reused with another document is still refused naming
// request_id, and nothing is created.
TEST_F(CatalogE2eTest, ReusedRequestIdWithAnotherDocumentIsRefusedAndCreatesNothing) {
  ASSERT_OK_AND_ASSIGN(v1::Unit unit, NewUnit());
  ASSERT_OK_AND_ASSIGN(v1::Document first,
                       Create(StaffOf(unit.id()), Draft(unit.id(), "第一份"), "req-e2e-2"));
  ASSERT_OK_AND_ASSIGN(const int before, CountAllDocuments());
  absl::StatusOr<v1::Document> other =
      Create(StaffOf(unit.id()), Draft(unit.id(), "另一份"), "req-e2e-2");
  EXPECT_THAT(other, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("request id")));
  EXPECT_THAT(ViolatedFields(other.status()), Contains("request_id"));
  EXPECT_THAT(CountAllDocuments(), db::testing::IsOkAndHolds(before));
  ASSERT_OK_AND_ASSIGN(v1::Document again,
                       Create(StaffOf(unit.id()), Draft(unit.id(), "第一份"), "req-e2e-2"));
  EXPECT_EQ(again.id(), first.id());
}

// ---- Authentication ----------------------------------------------------------------------

TEST_F(CatalogE2eTest, ExpiredForgedAndUnsignedTokensAreUnauthenticated) {
  const std::string expired = catalog_->Token("late-admin", std::nullopt, {"ADMIN"}, absl::Hours(1),
                                              absl::Now() - absl::Hours(2));
  auth::Claims claims;
  claims.subject = "forger";
  claims.roles = {"ADMIN"};
  claims.issuer = kE2eIssuer;
  claims.audience = {kE2eAudience};
  claims.issued_at = absl::Now();
  ASSERT_OK_AND_ASSIGN(
      const std::string forged,
      auth::MintHs256(claims, "another-secret-that-is-at-least-32-bytes-long", absl::Hours(1)));
  const int64_t now = absl::ToUnixSeconds(absl::Now());
  const std::string unsigned_token =
      absl::StrCat(absl::WebSafeBase64Escape(R"({"alg":"none","typ":"JWT"})"), ".",
                   absl::WebSafeBase64Escape(absl::StrCat(
                       R"({"sub":"nobody","roles":["ADMIN"],"iss":")", kE2eIssuer, R"(","aud":")",
                       kE2eAudience, R"(","iat":)", now, R"(,"exp":)", now + 3600, "}")),
                   ".");

  v1::CreateUnitRequest request;
  request.mutable_unit()->set_code("E2E-FORGED");
  request.mutable_unit()->set_name("伪造令牌");
  request.mutable_unit()->set_level(v1::UNIT_LEVEL_CITY);
  for (const auto& [name, token] : std::vector<std::pair<std::string, std::string>>{
           {"expired", expired}, {"other secret", forged}, {"alg none", unsigned_token}}) {
    SCOPED_TRACE(name);
    EXPECT_THAT(Call(&Stub::CreateUnit, token, request),
                StatusIs(absl::StatusCode::kUnauthenticated, HasSubstr("token")));
    // A bad token is refused even where anonymous callers are welcome.
    EXPECT_THAT(Call(&Stub::ListUnits, token, v1::ListUnitsRequest()),
                StatusIs(absl::StatusCode::kUnauthenticated, HasSubstr("token")));
  }
}

// ---- The disclosure catalog (CAT-5, CAT-6) ----------------------------------------------------

TEST_F(CatalogE2eTest, Cat6SeededCategoriesListParentsBeforeChildrenAcrossPages) {
  std::set<int64_t> seen;
  std::set<int> key_areas;
  v1::ListCategoriesRequest request;  // Default pages of 20: the seeded tree needs two.
  int pages = 0;
  do {
    ASSERT_OK_AND_ASSIGN(v1::ListCategoriesResponse response,
                         Call(&Stub::ListCategories, kAnonymous, request));
    EXPECT_LE(response.categories_size(), 20);
    for (const v1::Category& c : response.categories()) {
      if (c.parent_id() != 0) {
        EXPECT_TRUE(seen.count(c.parent_id())) << "category " << c.id() << " before its parent";
      }
      EXPECT_TRUE(seen.insert(c.id()).second) << "category " << c.id() << " listed twice";
      if (c.key_area() != v1::KEY_AREA_UNSPECIFIED) key_areas.insert(c.key_area());
    }
    request.set_page_token(response.next_page_token());
  } while (!request.page_token().empty() && ++pages < 100);
  EXPECT_GE(pages, 1);
  for (int64_t id : {1, 2, 3}) EXPECT_TRUE(seen.count(id)) << id;
  for (int64_t id = 101; id <= 126; ++id) EXPECT_TRUE(seen.count(id)) << id;
  EXPECT_THAT(key_areas, SizeIs(26));  // One category per CAT-6 key area.
}

TEST_F(CatalogE2eTest, Cat5CatalogItemKeepsEveryRevisionNewestFirst) {
  ASSERT_OK_AND_ASSIGN(v1::Unit unit, NewUnit());
  const std::string staff = StaffOf(unit.id());
  v1::CreateCatalogItemRequest create;
  create.mutable_item()->set_category_id(109);
  create.mutable_item()->set_responsible_unit_id(unit.id());
  create.mutable_item()->set_content("义务教育招生入学政策");
  create.mutable_item()->set_time_limit("信息形成或变更之日起20个工作日内");
  create.mutable_item()->set_method("政府网站");
  ASSERT_OK_AND_ASSIGN(v1::CatalogItem item, Call(&Stub::CreateCatalogItem, staff, create));
  EXPECT_EQ(item.revision(), 1);

  v1::UpdateCatalogItemRequest update;
  *update.mutable_item() = item;
  update.mutable_item()->set_method("政府网站、政务新媒体");
  update.mutable_item()->set_change_note("增加发布渠道");
  update.set_expected_revision(1);
  ASSERT_OK_AND_ASSIGN(v1::CatalogItem second, Call(&Stub::UpdateCatalogItem, staff, update));
  EXPECT_EQ(second.revision(), 2);
  update.mutable_item()->set_time_limit("信息形成之日起15个工作日内");
  update.set_expected_revision(2);
  ASSERT_OK_AND_ASSIGN(v1::CatalogItem third, Call(&Stub::UpdateCatalogItem, staff, update));
  EXPECT_EQ(third.revision(), 3);

  update.set_expected_revision(2);  // Stale: someone else already wrote revision 3.
  EXPECT_THAT(Call(&Stub::UpdateCatalogItem, staff, update),
              StatusIs(absl::StatusCode::kAborted, HasSubstr("revision 3")));

  v1::ListCatalogItemRevisionsRequest revisions_request;
  revisions_request.set_id(item.id());
  ASSERT_OK_AND_ASSIGN(v1::ListCatalogItemRevisionsResponse revisions,
                       Call(&Stub::ListCatalogItemRevisions, kAnonymous, revisions_request));
  EXPECT_THAT(
      revisions.revisions(),
      ElementsAre(AllOf(Property(&v1::CatalogItem::revision, 3),
                        Property(&v1::CatalogItem::time_limit, "信息形成之日起15个工作日内")),
                  AllOf(Property(&v1::CatalogItem::revision, 2),
                        Property(&v1::CatalogItem::method, "政府网站、政务新媒体")),
                  AllOf(Property(&v1::CatalogItem::revision, 1),
                        Property(&v1::CatalogItem::method, "政府网站"))));
}

// ---- Annual self-review (CAT-7) -------------------------------------------------------------

TEST_F(CatalogE2eTest, Cat7SelfReviewConvertsOrKeepsEveryUndisclosedDocument) {
  ASSERT_OK_AND_ASSIGN(v1::Unit unit, NewUnit());
  const std::string staff = StaffOf(unit.id());
  ASSERT_OK_AND_ASSIGN(v1::Document on_request,
                       Approved(unit.id(), Draft(unit.id(), "依申请公开文件", v1::ON_REQUEST)));
  ASSERT_OK_AND_ASSIGN(v1::Document secret,
                       Approved(unit.id(), Draft(unit.id(), "不予公开文件", v1::NOT_DISCLOSED)));
  const int year = calendar::TodayInShanghai(RealClock()).year();

  v1::StartSelfReviewRequest start;
  start.set_unit_id(unit.id());
  start.set_year(year);
  ASSERT_OK_AND_ASSIGN(v1::SelfReview review, Call(&Stub::StartSelfReview, staff, start));
  EXPECT_EQ(review.state(), v1::SELF_REVIEW_OPEN);
  EXPECT_THAT(review.entries(),
              ElementsAre(Property(&v1::SelfReviewEntry::document_id, on_request.id()),
                          Property(&v1::SelfReviewEntry::document_id, secret.id())));

  v1::DecideSelfReviewEntryRequest keep;
  keep.set_review_id(review.id());
  keep.set_document_id(secret.id());
  keep.set_decision(v1::KEEP);
  absl::StatusOr<v1::SelfReview> no_reason = Call(&Stub::DecideSelfReviewEntry, staff, keep);
  EXPECT_THAT(no_reason, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("reason")));
  EXPECT_THAT(ViolatedFields(no_reason.status()), Contains("reason"));

  v1::DecideSelfReviewEntryRequest convert;
  convert.set_review_id(review.id());
  convert.set_document_id(on_request.id());
  convert.set_decision(v1::CONVERT_TO_PROACTIVE);
  convert.set_reason("已不涉及第三方权益");
  ASSERT_OK_AND_ASSIGN(v1::SelfReview after_convert,
                       Call(&Stub::DecideSelfReviewEntry, staff, convert));
  EXPECT_EQ(after_convert.converted_count(), 1);
  ASSERT_OK_AND_ASSIGN(v1::Document converted, Get(staff, on_request.id()));
  EXPECT_EQ(converted.disclosure_attribute(), v1::PROACTIVE);
  EXPECT_EQ(converted.state(), v1::PENDING_REVIEW);
  EXPECT_TRUE(converted.has_publication_deadline());  // NAT-4: a new 20-day clock.

  v1::CompleteSelfReviewRequest complete;
  complete.set_id(review.id());
  EXPECT_THAT(
      Call(&Stub::CompleteSelfReview, staff, complete),
      StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr(absl::StrCat(secret.id()))));

  keep.set_reason("涉及国家秘密，继续不予公开");
  ASSERT_OK(Call(&Stub::DecideSelfReviewEntry, staff, keep).status());
  ASSERT_OK_AND_ASSIGN(v1::SelfReview completed, Call(&Stub::CompleteSelfReview, staff, complete));
  EXPECT_EQ(completed.state(), v1::SELF_REVIEW_COMPLETED);
  EXPECT_EQ(completed.converted_count(), 1);
  EXPECT_EQ(completed.kept_count(), 1);

  EXPECT_THAT(Call(&Stub::StartSelfReview, staff, start),
              StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr(absl::StrCat(year))));
}

// ---- Observability ----------------------------------------------------------------------------

TEST_F(CatalogE2eTest, MetricsEndpointExposesGrpcBusinessAndProcessMetrics) {
  ASSERT_OK_AND_ASSIGN(v1::Unit unit, NewUnit());
  const std::string staff = StaffOf(unit.id());
  ASSERT_OK_AND_ASSIGN(
      v1::Document returned,
      Create(staff, Draft(unit.id(), "缺公开属性", v1::DISCLOSURE_ATTRIBUTE_UNSPECIFIED)));
  ASSERT_OK_AND_ASSIGN(returned, Submit(staff, returned.id()));
  ASSERT_EQ(returned.state(), v1::RETURNED);  // CAT-2, counted by cause.

  std::string content_type;
  std::string body;
  // The document gauges are refreshed every second (GONGKAI_METRICS_REFRESH=1s); the
  // generous deadline only bounds a broken run.
  const absl::Time deadline = absl::Now() + absl::Seconds(60);
  std::optional<double> returned_gauge;
  do {
    ASSERT_OK_AND_ASSIGN(body, ScrapeMetrics(&content_type));
    returned_gauge = MetricValue(body, "catalog_documents", {"state=\"RETURNED\""});
    if (returned_gauge.value_or(0) >= 1) break;
    absl::SleepFor(absl::Milliseconds(200));
  } while (absl::Now() < deadline);

  EXPECT_THAT(content_type, ::testing::StartsWith("text/plain"));
  EXPECT_GE(returned_gauge.value_or(0), 1) << body;
  EXPECT_GE(MetricValue(body, "catalog_documents", {"state=\"DRAFT\""}).value_or(-1), 0);
  EXPECT_GT(MetricValue(body, "grpc_server_handled_total",
                        {"grpc_method=\"CreateDocument\"", "grpc_code=\"OK\""})
                .value_or(0),
            0)
      << body;
  EXPECT_GE(MetricValue(body, "catalog_returned_submissions_total", {"cause=\"missing_attribute\""})
                .value_or(0),
            1)
      << body;
  EXPECT_GT(MetricValue(body, "process_resident_memory_bytes", {}).value_or(0), 0) << body;
  // NAT-1 coverage: the stand-in directory loads this year and the next where the
  // built-in data lacks them, so at least next year is covered.
  EXPECT_GE(MetricValue(body, "catalog_calendar_loaded_through_year", {}).value_or(0),
            calendar::TodayInShanghai(RealClock()).year() + 1)
      << body;

  // The exposition must satisfy Prometheus' own checker.
  const std::string path = absl::StrCat(::testing::TempDir(), "/catalog_metrics.txt");
  std::ofstream(path) << body;
  const std::string command =
      absl::StrCat(GONGKAI_PROMTOOL, " check metrics < ", path, " > ", path, ".out 2>&1");
  const int rc = std::system(command.c_str());
  std::ifstream out(absl::StrCat(path, ".out"));
  const std::string promtool_output((std::istreambuf_iterator<char>(out)),
                                    std::istreambuf_iterator<char>());
  EXPECT_EQ(rc, 0) << command << "\n" << promtool_output;
}

TEST_F(CatalogE2eTest, AccessLogRecordsCallersRequestIdMethodAndCode) {
  ASSERT_OK_AND_ASSIGN(v1::Unit unit, NewUnit());
  v1::GetUnitRequest get;
  get.set_id(unit.id());
  ASSERT_TRUE(Call(&Stub::GetUnit, kAnonymous, get, "e2e-123").ok());
  v1::GetDocumentRequest missing;
  missing.set_id(999'999'999);
  EXPECT_THAT(Call(&Stub::GetDocument, kAnonymous, missing, "e2e-124"),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("not found")));

  auto line_for = [&](const std::string& id) {
    return catalog_->service().WaitForJsonLine(
        [&](const nlohmann::json& j) {
          return j.value("msg", "") == "grpc call" && j.value("request_id", "") == id;
        },
        absl::Seconds(60));  // Returns as soon as the line is there.
  };
  ASSERT_OK_AND_ASSIGN(nlohmann::json ok_line, line_for("e2e-123"));
  EXPECT_EQ(ok_line.value("method", ""), "/gongkai.catalog.v1.CatalogService/GetUnit");
  EXPECT_EQ(ok_line.value("code", ""), "OK");
  EXPECT_TRUE(ok_line.contains("latency_ms"));
  ASSERT_OK_AND_ASSIGN(nlohmann::json not_found_line, line_for("e2e-124"));
  EXPECT_EQ(not_found_line.value("method", ""), "/gongkai.catalog.v1.CatalogService/GetDocument");
  EXPECT_EQ(not_found_line.value("code", ""), "NOT_FOUND");
}

// ---- Process lifecycle ------------------------------------------------------------------------

// Its own instance, so the shutdown is observed here rather than in a suite teardown.
TEST(CatalogProcessTest, SigtermShutsDownCleanlyWithExitCodeZero) {
  absl::StatusOr<std::unique_ptr<CatalogUnderTest>> catalog =
      CatalogUnderTest::Start("catalog_e2e_stop");
  ASSERT_TRUE(catalog.ok()) << catalog.status();
  ServiceProcess& service = (*catalog)->service();
  EXPECT_THAT(service.Stop(), db::testing::IsOkAndHolds(0)) << service.LogTail();
  std::vector<std::string> messages;
  for (const nlohmann::json& j : service.JsonLogLines()) messages.push_back(j.value("msg", ""));
  EXPECT_THAT(messages, Contains("shutting down"));
  EXPECT_THAT(messages, Contains("catalog stopped"));
}

}  // namespace
}  // namespace gongkai::e2e
