// Two gongkai-catalog replicas on one database (issue 14 P1, NAT-10): a published policy
// document in force is cached on each replica on a lease of
// GONGKAI_DOCUMENT_CACHE_MAX_STALENESS, so a repeal made through replica A is served by
// replica B no later than that bound after it committed, and at once by A itself. The
// same bound holds for public list pages and search results (issue 14 P5), and staff
// lists, which can hold unpublished documents, are never served from that cache.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gongkai/catalog/v1/catalog.grpc.pb.h"
#include "libs/calendar/working_day_calendar.h"
#include "libs/clock/clock.h"
#include "libs/db/testing/status_matchers.h"
#include "tests/e2e/catalog_under_test.h"
#include "tests/e2e/grpc_call.h"
#include "tests/e2e/service_process.h"
#include "tests/e2e/stand_in_calendar.h"

#ifndef GONGKAI_CATALOG_BINARY
#error "GONGKAI_CATALOG_BINARY must be defined by the build"
#endif

namespace gongkai::e2e {
namespace {

namespace v1 = ::gongkai::catalog::v1;
using Stub = v1::CatalogService::Stub;

// The configured bound under test (short, so the test is quick; production default 1 s).
constexpr absl::Duration kMaxStaleness = absl::Milliseconds(1500);

std::map<std::string, std::string> ReplicaEnv() {
  return {{"GONGKAI_DOCUMENT_CACHE_MAX_STALENESS", "1500ms"},
          {"GONGKAI_CALENDAR_DIR", StandInCalendarDir()},
          // As the other services' harnesses: with the default 10 s grace stopping the two
          // idle replicas took ~11 s per case, with 2 s it takes 6-8 s.
          {"GONGKAI_SHUTDOWN_GRACE", "2s"}};
}

// Replica B: the same binary, database, secrets and settings as `a` (CatalogUnderTest's
// environment), on its own ports.
absl::StatusOr<std::unique_ptr<ServiceProcess>> StartSecondReplica(const CatalogUnderTest& a) {
  ServiceProcess::Options options;
  options.binary = GONGKAI_CATALOG_BINARY;
  options.env = a.database().ServiceEnv();
  options.env["GONGKAI_GRPC_ADDRESS"] = "127.0.0.1:0";
  options.env["GONGKAI_METRICS_ADDRESS"] = "127.0.0.1:0";
  options.env["GONGKAI_JWT_HS256_SECRET"] = a.jwt_secret();
  options.env["GONGKAI_JWT_ISSUER"] = kE2eIssuer;
  options.env["GONGKAI_JWT_AUDIENCE"] = kE2eAudience;
  options.env["GONGKAI_DB_POOL_SIZE"] = "4";
  options.env["GONGKAI_APPLICANT_KEY_SECRET"] = absl::StrCat(a.jwt_secret(), "-applicants");
  options.env["GONGKAI_PEERS"] = "interpretation=127.0.0.1:1";
  for (const auto& [key, value] : ReplicaEnv()) options.env[key] = value;
  return ServiceProcess::Start(std::move(options));
}

// The value of an unlabelled metric on a replica's /metrics, or -1.
double Metric(const ServiceProcess& replica, absl::string_view name) {
  httplib::Client client("127.0.0.1", replica.metrics_port());
  httplib::Result response = client.Get("/metrics");
  if (!response || response->status != 200) return -1;
  for (absl::string_view line : absl::StrSplit(response->body, '\n')) {
    if (!absl::StartsWith(line, absl::StrCat(name, " "))) continue;
    double value = 0;
    if (absl::SimpleAtod(line.substr(name.size() + 1), &value)) return value;
  }
  return -1;
}

class CatalogReplicasE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<CatalogUnderTest>> a =
        CatalogUnderTest::Start("catalog_replicas", ReplicaEnv());
    ASSERT_TRUE(a.ok()) << a.status();
    a_ = *std::move(a);
    absl::StatusOr<std::unique_ptr<ServiceProcess>> b = StartSecondReplica(*a_);
    ASSERT_TRUE(b.ok()) << b.status();
    b_ = *std::move(b);
    stub_a_ = a_->NewStub();
    stub_b_ = v1::CatalogService::NewStub(
        grpc::CreateChannel(b_->grpc_address(), grpc::InsecureChannelCredentials()));
  }

  void TearDown() override {
    b_.reset();  // Both replicas stop before the database goes.
    a_.reset();
  }

  template <typename Request, typename Response>
  absl::StatusOr<Response> Call(Stub& stub,
                                grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&,
                                                             Response*),
                                const std::string& token, const Request& request) {
    return UnaryCall(stub, method, token, request);
  }

  absl::StatusOr<v1::Document> Get(Stub& stub, int64_t id) {
    v1::GetDocumentRequest request;
    request.set_id(id);
    return Call(stub, &Stub::GetDocument, "", request);
  }

  // A published policy document of a new unit, through replica A.
  absl::StatusOr<v1::Document> PublishedPolicyDocument(int64_t* unit_id) {
    const std::string admin = a_->Token("replicas-admin", std::nullopt, {"ADMIN"});
    v1::CreateUnitRequest unit_request;
    unit_request.mutable_unit()->set_code("E2E-REPLICAS");
    unit_request.mutable_unit()->set_name("市司法局");
    unit_request.mutable_unit()->set_level(v1::UNIT_LEVEL_DEPARTMENT);
    absl::StatusOr<v1::Unit> unit = Call(*stub_a_, &Stub::CreateUnit, admin, unit_request);
    if (!unit.ok()) return unit.status();
    *unit_id = unit->id();
    const std::string staff = a_->Token("replicas-staff", unit->id(), {"STAFF"});
    const std::string reviewer = a_->Token("replicas-reviewer", unit->id(), {"REVIEWER"});
    v1::CreateDocumentRequest create;
    v1::Document* d = create.mutable_document();
    d->set_title("关于规范行政裁量权基准的若干规定");
    d->set_body("为规范行政裁量权的行使，制定本规定。");
    d->set_drafting_unit_id(unit->id());
    d->set_issuing_authority(v1::DEPARTMENT);  // No interpretation gate (INT-3).
    d->set_key_area(v1::EDUCATION);
    d->set_disclosure_attribute(v1::PROACTIVE);
    d->set_is_policy_document(true);
    absl::StatusOr<v1::Document> doc = Call(*stub_a_, &Stub::CreateDocument, staff, create);
    if (!doc.ok()) return doc;
    v1::SubmitDocumentRequest submit;
    submit.set_id(doc->id());
    doc = Call(*stub_a_, &Stub::SubmitDocument, staff, submit);
    if (!doc.ok()) return doc;
    v1::ReviewDocumentRequest review;
    review.set_id(doc->id());
    review.set_outcome(v1::REVIEW_PASSED);
    doc = Call(*stub_a_, &Stub::ReviewDocument, reviewer, review);
    if (!doc.ok()) return doc;
    v1::PublishDocumentRequest publish;
    publish.set_id(doc->id());
    return Call(*stub_a_, &Stub::PublishDocument, staff, publish);
  }

  // NAT-10: the unit's staff repeal the document through replica A, as of today.
  absl::StatusOr<v1::Document> RepealToday(int64_t id, int64_t unit_id) {
    const absl::CivilDay today = calendar::TodayInShanghai(RealClock());
    v1::RepealDocumentRequest repeal;
    repeal.set_id(id);
    repeal.mutable_repealed_on()->set_year(static_cast<int32_t>(today.year()));
    repeal.mutable_repealed_on()->set_month(today.month());
    repeal.mutable_repealed_on()->set_day(today.day());
    repeal.set_repealing_document("南司规〔2026〕1号");
    repeal.set_reason("已被新规定替代");
    const std::string staff = a_->Token("replicas-staff", unit_id, {"STAFF"});
    return Call(*stub_a_, &Stub::RepealDocument, staff, repeal);
  }

  absl::StatusOr<v1::ListDocumentsResponse> ListInForce(Stub& stub, int64_t unit_id) {
    v1::ListDocumentsRequest request;
    request.set_drafting_unit_id(unit_id);
    request.set_in_force_only(true);
    return Call(stub, &Stub::ListDocuments, "", request);
  }

  absl::StatusOr<v1::SearchDocumentsResponse> Search(Stub& stub, const std::string& query) {
    v1::SearchDocumentsRequest request;
    request.set_query(query);
    return Call(stub, &Stub::SearchDocuments, "", request);
  }

  std::unique_ptr<CatalogUnderTest> a_;
  std::unique_ptr<ServiceProcess> b_;
  std::unique_ptr<Stub> stub_a_;
  std::unique_ptr<Stub> stub_b_;
};

// NAT-10 / issue 14 P1: B caches the policy document in force (served from memory), A
// repeals it; from the configured bound after the repeal committed on, every read on B
// shows the repeal, and A shows it at once.
TEST_F(CatalogReplicasE2eTest, Nat10RepealOnOneReplicaIsServedByTheOtherWithinTheBound) {
  int64_t unit_id = 0;
  absl::StatusOr<v1::Document> published = PublishedPolicyDocument(&unit_id);
  ASSERT_TRUE(published.ok()) << published.status();
  ASSERT_EQ(published->state(), v1::PUBLISHED);

  // B reads it twice: the second read is a cache hit (policy documents are cached now).
  const double hits_before = Metric(*b_, "catalog_document_cache_hits_total");
  for (int i = 0; i < 2; ++i) {
    absl::StatusOr<v1::Document> read = Get(*stub_b_, published->id());
    ASSERT_TRUE(read.ok()) << read.status();
    EXPECT_FALSE(read->has_repealed_on());
  }
  EXPECT_GE(Metric(*b_, "catalog_document_cache_hits_total"), hits_before + 1);

  // A repeals it.
  absl::StatusOr<v1::Document> repealed = RepealToday(published->id(), unit_id);
  ASSERT_TRUE(repealed.ok()) << repealed.status();
  const absl::Time committed_by = absl::Now();  // The commit happened before this.

  // A, where the repeal was made, never serves the old copy again.
  absl::StatusOr<v1::Document> on_a = Get(*stub_a_, published->id());
  ASSERT_TRUE(on_a.ok()) << on_a.status();
  EXPECT_TRUE(on_a->has_repealed_on());

  // B may serve its copy until the bound; poll it to see when the repeal shows (printed,
  // not asserted: how soon depends on when B's lease began).
  std::optional<absl::Duration> seen_after;
  while (absl::Now() < committed_by + kMaxStaleness) {
    absl::StatusOr<v1::Document> read = Get(*stub_b_, published->id());
    ASSERT_TRUE(read.ok()) << read.status();
    if (read->has_repealed_on() && !seen_after.has_value()) {
      seen_after = absl::Now() - committed_by;
    }
    absl::SleepFor(absl::Milliseconds(25));
  }
  std::cerr << "replica B showed the repeal "
            << (seen_after.has_value() ? absl::FormatDuration(*seen_after) : "only after")
            << " after it committed on A (bound " << absl::FormatDuration(kMaxStaleness) << ")\n";

  // Past the bound (on every clock: this one started after the commit), B must show it,
  // on every read.
  for (int i = 0; i < 5; ++i) {
    absl::StatusOr<v1::Document> read = Get(*stub_b_, published->id());
    ASSERT_TRUE(read.ok()) << read.status();
    EXPECT_TRUE(read->has_repealed_on()) << "read " << i << " on B after the bound";
    EXPECT_EQ(read->version(), repealed->version());
    EXPECT_EQ(read->repeal_reason(), "已被新规定替代");
  }
  // Repealed is final: cached for good on B now (no more lease expiries once repealed).
  EXPECT_GE(Metric(*b_, "catalog_document_cache_entries"), 1);
}

// Issue 14 P5: B caches an anonymous list page (in force only) and a search result that
// hold the policy document; A repeals it. A lists its own change at once; B from the
// configured bound on, on every read. The bound of P1 holds for lists and searches.
TEST_F(CatalogReplicasE2eTest, Nat10PublicListsAndSearchesOnTheOtherReplicaFollowWithinTheBound) {
  int64_t unit_id = 0;
  absl::StatusOr<v1::Document> published = PublishedPolicyDocument(&unit_id);
  ASSERT_TRUE(published.ok()) << published.status();
  constexpr char kQuery[] = "行政裁量权";

  // Both replicas hold the page and the result (the second reads are cache hits on B).
  const double hits_before = Metric(*b_, "catalog_document_list_cache_hits_total");
  for (Stub* stub : {stub_a_.get(), stub_b_.get(), stub_b_.get()}) {
    absl::StatusOr<v1::ListDocumentsResponse> list = ListInForce(*stub, unit_id);
    ASSERT_TRUE(list.ok()) << list.status();
    ASSERT_EQ(list->documents_size(), 1);
    EXPECT_EQ(list->documents(0).id(), published->id());
    EXPECT_TRUE(list->documents(0).created_by().empty()) << "anonymous callers see no drafter";
    absl::StatusOr<v1::SearchDocumentsResponse> found = Search(*stub, kQuery);
    ASSERT_TRUE(found.ok()) << found.status();
    ASSERT_EQ(found->documents_size(), 1);
    EXPECT_FALSE(found->documents(0).has_repealed_on());
  }
  EXPECT_GE(Metric(*b_, "catalog_document_list_cache_hits_total"), hits_before + 2);

  absl::StatusOr<v1::Document> repealed = RepealToday(published->id(), unit_id);
  ASSERT_TRUE(repealed.ok()) << repealed.status();
  const absl::Time committed_by = absl::Now();

  // A dropped its cached pages with its own write.
  absl::StatusOr<v1::ListDocumentsResponse> on_a = ListInForce(*stub_a_, unit_id);
  ASSERT_TRUE(on_a.ok()) << on_a.status();
  EXPECT_EQ(on_a->documents_size(), 0);
  absl::StatusOr<v1::SearchDocumentsResponse> found_on_a = Search(*stub_a_, kQuery);
  ASSERT_TRUE(found_on_a.ok()) << found_on_a.status();
  ASSERT_EQ(found_on_a->documents_size(), 1);
  EXPECT_TRUE(found_on_a->documents(0).has_repealed_on());

  std::optional<absl::Duration> seen_after;
  while (absl::Now() < committed_by + kMaxStaleness) {
    absl::StatusOr<v1::ListDocumentsResponse> list = ListInForce(*stub_b_, unit_id);
    ASSERT_TRUE(list.ok()) << list.status();
    if (list->documents_size() == 0 && !seen_after.has_value()) {
      seen_after = absl::Now() - committed_by;
    }
    absl::SleepFor(absl::Milliseconds(25));
  }
  std::cerr << "replica B's in-force list dropped the repealed document "
            << (seen_after.has_value() ? absl::FormatDuration(*seen_after) : "only after")
            << " after the repeal committed on A (bound " << absl::FormatDuration(kMaxStaleness)
            << ")\n";
  for (int i = 0; i < 5; ++i) {
    absl::StatusOr<v1::ListDocumentsResponse> list = ListInForce(*stub_b_, unit_id);
    ASSERT_TRUE(list.ok()) << list.status();
    EXPECT_EQ(list->documents_size(), 0) << "read " << i << " on B after the bound";
    absl::StatusOr<v1::SearchDocumentsResponse> found = Search(*stub_b_, kQuery);
    ASSERT_TRUE(found.ok()) << found.status();
    ASSERT_EQ(found->documents_size(), 1);
    EXPECT_TRUE(found->documents(0).has_repealed_on()) << "search " << i << " on B";
  }
}

// Authorization is untouched by the list cache: a draft written through A is listed to
// its unit's staff on B at once (staff lists are never cached), while anonymous callers
// on B, whose published-only page is cached, never see it.
TEST_F(CatalogReplicasE2eTest, StaffListsAreNeverServedFromThePublicCache) {
  int64_t unit_id = 0;
  absl::StatusOr<v1::Document> published = PublishedPolicyDocument(&unit_id);
  ASSERT_TRUE(published.ok()) << published.status();
  v1::ListDocumentsRequest unit_list;
  unit_list.set_drafting_unit_id(unit_id);
  const std::string staff = a_->Token("replicas-staff", unit_id, {"STAFF"});
  for (const std::string& token : {std::string(), staff, std::string(), staff}) {
    absl::StatusOr<v1::ListDocumentsResponse> list =
        Call(*stub_b_, &Stub::ListDocuments, token, unit_list);
    ASSERT_TRUE(list.ok()) << list.status();
    ASSERT_EQ(list->documents_size(), 1);
    // Internal fields only for the unit's staff, though both read the same rows.
    EXPECT_EQ(list->documents(0).created_by().empty(), token.empty());
  }

  v1::CreateDocumentRequest create;
  v1::Document* d = create.mutable_document();
  d->set_title("关于行政执法公示的通知（征求意见稿）");
  d->set_body("草稿。");
  d->set_disclosure_attribute(v1::PROACTIVE);
  d->set_drafting_unit_id(unit_id);
  d->set_issuing_authority(v1::DEPARTMENT);
  d->set_key_area(v1::EDUCATION);
  absl::StatusOr<v1::Document> draft = Call(*stub_a_, &Stub::CreateDocument, staff, create);
  ASSERT_TRUE(draft.ok()) << draft.status();

  absl::StatusOr<v1::ListDocumentsResponse> staff_view =
      Call(*stub_b_, &Stub::ListDocuments, staff, unit_list);
  ASSERT_TRUE(staff_view.ok()) << staff_view.status();
  ASSERT_EQ(staff_view->documents_size(), 2);
  EXPECT_EQ(staff_view->documents(0).id(), draft->id());
  for (int i = 0; i < 3; ++i) {
    absl::StatusOr<v1::ListDocumentsResponse> public_view =
        Call(*stub_b_, &Stub::ListDocuments, "", unit_list);
    ASSERT_TRUE(public_view.ok()) << public_view.status();
    ASSERT_EQ(public_view->documents_size(), 1);
    EXPECT_EQ(public_view->documents(0).id(), published->id());
  }
}

}  // namespace
}  // namespace gongkai::e2e
