// Unit tests of the RuleSetService: the domain rules of RuleSetAdmin with a fake store,
// and the handler over an in-process gRPC channel with a mock authenticator.
#include "libs/rules/rule_set_service.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "gongkai/common/v1/rule_sets.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "libs/auth/mock_authenticator.h"
#include "libs/clock/clock.h"
#include "libs/db/testing/status_matchers.h"
#include "libs/rules/rule_set_json.h"
#include "libs/rules/rule_set_proto.h"
#include "libs/rules/testing/fake_rule_set_store.h"
#include "libs/rules/testing/test_rule_schema.h"
#include "libs/rules/testing/test_rule_sets.h"
#include "libs/status/errors.h"

namespace gongkai::rules {
namespace {

using ::gongkai::db::testing::IsOk;
using ::gongkai::db::testing::StatusIs;
using ::gongkai::rules::testing::FakeRuleSetStore;
using ::gongkai::rules::testing::TestRuleSchema;
using ::gongkai::rules::testing::TestRuleSetJson;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Return;
using ::testing::SizeIs;
using Json = nlohmann::json;

auth::Principal Admin() {
  auth::Principal p;
  p.subject = "root";
  p.roles = auth::RoleSet{auth::Role::kAdmin};
  return p;
}

auth::Principal Staff() {
  auth::Principal p;
  p.subject = "alice";
  p.unit_id = 3;
  p.roles = auth::RoleSet{auth::Role::kStaff};
  return p;
}

class RuleSetAdminTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_THAT(book_.Put(Parsed(1, "2019-05-15", 20)), IsOk()); }

  RuleSet Parsed(int64_t version, const std::string& from, int64_t days) {
    absl::StatusOr<RuleSet> set = book_.ParseJson(TestRuleSetJson(
        version, from, [&](Json& j) { j["rules"]["publication.working_days"]["value"] = days; }));
    EXPECT_TRUE(set.ok()) << set.status();
    return *set;
  }

  common::v1::PutRuleSetRequest PutRequest(int64_t version, const std::string& from, int64_t days) {
    common::v1::PutRuleSetRequest request;
    *request.mutable_rule_set() = ToProto(Parsed(version, from, days));
    return request;
  }

  // 2026-03-02 10:00 in Shanghai.
  FakeClock clock_{absl::FromCivil(absl::CivilSecond(2026, 3, 2, 2, 0, 0), absl::UTCTimeZone())};
  RuleBook book_{{TestRuleSchema()}};
  FakeRuleSetStore store_;
  RuleSetAdmin admin_{&book_, &store_, &clock_};
};

TEST_F(RuleSetAdminTest, AdminPutStoresAppliesAndCitesTheNewVersion) {
  absl::StatusOr<common::v1::PutRuleSetResponse> put =
      admin_.PutRuleSet(Admin(), PutRequest(2, "2026-03-01", 15));
  ASSERT_THAT(put, IsOk());
  EXPECT_TRUE(put->created());
  EXPECT_TRUE(put->rule_set().in_effect());
  EXPECT_EQ(put->rule_set().rules().at("publication.working_days").requirement(), "CAT-3");
  EXPECT_EQ(put->rule_set().rules().at("publication.working_days").unit(), "working_days");
  ASSERT_OK_AND_ASSIGN(std::vector<StoredRuleSet> stored, store_.List());
  ASSERT_THAT(stored, SizeIs(1));
  EXPECT_EQ(stored[0].created_by, "root");
  ASSERT_OK_AND_ASSIGN(auto current, book_.Current("test.openness", clock_));
  EXPECT_EQ(current->version, 2);
}

TEST_F(RuleSetAdminTest, PuttingTheSameVersionAgainIsNotCreated) {
  ASSERT_THAT(admin_.PutRuleSet(Admin(), PutRequest(2, "2026-03-01", 15)), IsOk());
  absl::StatusOr<common::v1::PutRuleSetResponse> again =
      admin_.PutRuleSet(Admin(), PutRequest(2, "2026-03-01", 15));
  ASSERT_THAT(again, IsOk());
  EXPECT_FALSE(again->created());
}

TEST_F(RuleSetAdminTest, ChangingAStoredVersionIsAlreadyExistsAndStoresNothing) {
  EXPECT_THAT(admin_.PutRuleSet(Admin(), PutRequest(1, "2019-05-15", 15)),
              StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr("test.openness v1")));
  ASSERT_OK_AND_ASSIGN(std::vector<StoredRuleSet> stored, store_.List());
  EXPECT_THAT(stored, SizeIs(0));
}

TEST_F(RuleSetAdminTest, AVersionStoredByAnotherReplicaWithOtherContentIsAlreadyExists) {
  ASSERT_THAT(store_.Insert(Parsed(2, "2026-03-01", 18), "other", absl::UnixEpoch()), IsOk());
  EXPECT_THAT(admin_.PutRuleSet(Admin(), PutRequest(2, "2026-03-01", 15)),
              StatusIs(absl::StatusCode::kAlreadyExists, ::testing::_));
  EXPECT_THAT(book_.Get("test.openness", 2), StatusIs(absl::StatusCode::kNotFound, ::testing::_));
}

TEST_F(RuleSetAdminTest, OnlyAdminMayPut) {
  EXPECT_THAT(admin_.PutRuleSet(Staff(), PutRequest(2, "2026-03-01", 15)),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("ADMIN")));
  EXPECT_THAT(admin_.PutRuleSet(auth::Principal::Anonymous(), PutRequest(2, "2026-03-01", 15)),
              StatusIs(absl::StatusCode::kUnauthenticated, ::testing::_));
}

TEST_F(RuleSetAdminTest, InvalidRulesAreNamedUnderRuleSet) {
  common::v1::PutRuleSetRequest request = PutRequest(2, "2026-03-01", 15);
  auto& rules = *request.mutable_rule_set()->mutable_rules();
  rules["publication.working_days"].set_integer(0);
  rules["comments.calendar_days"].set_text("thirty");
  rules["opinion.authoritative"].clear_value();
  rules["unknown.rule"].set_integer(1);
  absl::StatusOr<common::v1::PutRuleSetResponse> put = admin_.PutRuleSet(Admin(), request);
  EXPECT_THAT(put, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("rule_set.rules.")));
  std::vector<std::string> fields;
  for (const FieldViolation& v : FieldViolationsOf(put.status())) fields.push_back(v.field);
  EXPECT_THAT(
      fields,
      ElementsAre("rule_set.rules.opinion.authoritative", "rule_set.rules.comments.calendar_days",
                  "rule_set.rules.opinion.authoritative", "rule_set.rules.publication.working_days",
                  "rule_set.rules.unknown.rule"));
}

TEST_F(RuleSetAdminTest, PutAcceptsTheJsonOfADataFile) {
  common::v1::PutRuleSetRequest request;
  request.set_rule_set_json(TestRuleSetJson(2, "2026-03-01"));
  ASSERT_OK_AND_ASSIGN(common::v1::PutRuleSetResponse put, admin_.PutRuleSet(Admin(), request));
  EXPECT_TRUE(put.created());
  EXPECT_EQ(put.rule_set().rules().at("annual_report.department_due").month_day().day(), 31);
  ASSERT_OK_AND_ASSIGN(auto stored, book_.Get("test.openness", 2));
  EXPECT_EQ(RuleSetToJson(*stored), RuleSetToJson(Parsed(2, "2026-03-01", 20)));
}

TEST_F(RuleSetAdminTest, BadJsonIsNamedUnderRuleSetJson) {
  common::v1::PutRuleSetRequest request;
  request.set_rule_set_json(TestRuleSetJson(
      2, "2026-03-01", [](Json& j) { j["rules"]["fee.by_pages"]["value"] = "free"; }));
  absl::StatusOr<common::v1::PutRuleSetResponse> put = admin_.PutRuleSet(Admin(), request);
  ASSERT_THAT(put, StatusIs(absl::StatusCode::kInvalidArgument, ::testing::_));
  ASSERT_THAT(FieldViolationsOf(put.status()), SizeIs(1));
  EXPECT_EQ(FieldViolationsOf(put.status())[0].field, "rule_set_json.rules.fee.by_pages");
  request.set_rule_set_json("{not json");
  put = admin_.PutRuleSet(Admin(), request);
  ASSERT_THAT(FieldViolationsOf(put.status()), SizeIs(1));
  EXPECT_EQ(FieldViolationsOf(put.status())[0].field, "rule_set_json");
  EXPECT_THAT(admin_.PutRuleSet(Admin(), common::v1::PutRuleSetRequest()),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("rule_set")));
}

TEST_F(RuleSetAdminTest, ASetThisServiceDoesNotReadIsInvalidArgument) {
  common::v1::PutRuleSetRequest request = PutRequest(2, "2026-03-01", 15);
  request.mutable_rule_set()->set_name("catalog.disclosure");
  EXPECT_THAT(admin_.PutRuleSet(Admin(), request),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("catalog.disclosure")));
}

TEST_F(RuleSetAdminTest, StoreFailureLeavesTheBookUnchanged) {
  store_.set_fail_with(absl::UnavailableError("database down"));
  EXPECT_THAT(admin_.PutRuleSet(Admin(), PutRequest(2, "2026-03-01", 15)),
              StatusIs(absl::StatusCode::kUnavailable, ::testing::_));
  EXPECT_THAT(book_.Get("test.openness", 2), StatusIs(absl::StatusCode::kNotFound, ::testing::_));
}

TEST_F(RuleSetAdminTest, ListShowsHeadersAndMarksTheVersionInEffect) {
  ASSERT_THAT(book_.Put(Parsed(2, "2027-01-01", 15)), IsOk());
  ASSERT_OK_AND_ASSIGN(common::v1::ListRuleSetsResponse list,
                       admin_.ListRuleSets(Staff(), common::v1::ListRuleSetsRequest()));
  ASSERT_THAT(list.rule_sets(), SizeIs(2));
  EXPECT_EQ(list.rule_sets(0).version(), 1);
  EXPECT_TRUE(list.rule_sets(0).in_effect());
  EXPECT_FALSE(list.rule_sets(1).in_effect());
  EXPECT_THAT(list.rule_sets(0).rules(), SizeIs(0));
  EXPECT_THAT(admin_.ListRuleSets(auth::Principal::Anonymous(), {}),
              StatusIs(absl::StatusCode::kUnauthenticated, ::testing::_));
}

TEST_F(RuleSetAdminTest, GetReturnsTheVersionInEffectOrTheOneAsked) {
  ASSERT_THAT(book_.Put(Parsed(2, "2027-01-01", 15)), IsOk());
  common::v1::GetRuleSetRequest request;
  request.set_name("test.openness");
  ASSERT_OK_AND_ASSIGN(common::v1::RuleSet current, admin_.GetRuleSet(Staff(), request));
  EXPECT_EQ(current.version(), 1);
  EXPECT_EQ(current.rules().at("publication.working_days").integer(), 20);
  EXPECT_EQ(current.rules().at("opinion.authoritative").duration().seconds(), 5 * 3600);
  request.set_version(2);
  ASSERT_OK_AND_ASSIGN(common::v1::RuleSet later, admin_.GetRuleSet(Staff(), request));
  EXPECT_EQ(later.rules().at("publication.working_days").integer(), 15);
  request.set_version(9);
  EXPECT_THAT(admin_.GetRuleSet(Staff(), request),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("test.openness v9")));
  request.set_name("other.set");
  EXPECT_THAT(admin_.GetRuleSet(Staff(), request),
              StatusIs(absl::StatusCode::kNotFound, ::testing::_));
}

TEST_F(RuleSetAdminTest, ProtoRoundTripKeepsTheContent) {
  const RuleSet original = Parsed(4, "2026-01-01", 17);
  FieldViolations v;
  RuleSet back = FromProto(ToProto(original), v);
  ASSERT_TRUE(v.empty());
  ASSERT_THAT(ValidateRuleSet(back, TestRuleSchema()), IsOk());
  EXPECT_EQ(back, original);
}

// ---- The handler over gRPC ----

class RuleSetServiceTest : public RuleSetAdminTest {
 protected:
  void SetUp() override {
    RuleSetAdminTest::SetUp();
    ON_CALL(authenticator_, VerifyToken(::testing::_))
        .WillByDefault(Return(absl::UnauthenticatedError("bad token")));
    ON_CALL(authenticator_, VerifyToken(::testing::Eq("admin"))).WillByDefault(Return(Admin()));
    ON_CALL(authenticator_, VerifyToken(::testing::Eq("staff"))).WillByDefault(Return(Staff()));
    grpc::ServerBuilder builder;
    builder.RegisterService(&service_);
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    stub_ =
        common::v1::RuleSetService::NewStub(server_->InProcessChannel(grpc::ChannelArguments()));
  }
  void TearDown() override { server_->Shutdown(); }

  std::unique_ptr<grpc::ClientContext> As(const std::string& token) {
    auto context = std::make_unique<grpc::ClientContext>();
    if (!token.empty()) context->AddMetadata("authorization", "Bearer " + token);
    return context;
  }

  ::testing::NiceMock<auth::MockAuthenticator> authenticator_;
  RuleSetServiceImpl service_{&authenticator_, &admin_};
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<common::v1::RuleSetService::Stub> stub_;
};

TEST_F(RuleSetServiceTest, AdminPutsAVersionOverGrpc) {
  common::v1::PutRuleSetResponse response;
  grpc::Status status =
      stub_->PutRuleSet(As("admin").get(), PutRequest(2, "2026-03-01", 15), &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_TRUE(response.created());
  EXPECT_EQ(response.rule_set().version(), 2);
}

TEST_F(RuleSetServiceTest, StaffMayReadButNotPut) {
  common::v1::ListRuleSetsResponse list;
  ASSERT_TRUE(stub_->ListRuleSets(As("staff").get(), {}, &list).ok());
  EXPECT_THAT(list.rule_sets(), SizeIs(1));
  common::v1::PutRuleSetResponse response;
  EXPECT_EQ(
      stub_->PutRuleSet(As("staff").get(), PutRequest(2, "2026-03-01", 15), &response).error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(RuleSetServiceTest, AnonymousCallersAreUnauthenticated) {
  common::v1::RuleSet set;
  common::v1::GetRuleSetRequest request;
  request.set_name("test.openness");
  EXPECT_EQ(stub_->GetRuleSet(As("").get(), request, &set).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(RuleSetServiceTest, InvalidPutCarriesTheBadRequestDetails) {
  common::v1::PutRuleSetRequest request = PutRequest(2, "2026-03-01", 15);
  (*request.mutable_rule_set()->mutable_rules())["publication.working_days"].set_integer(99);
  common::v1::PutRuleSetResponse response;
  grpc::Status status = stub_->PutRuleSet(As("admin").get(), request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("rule_set.rules.publication.working_days"));
  EXPECT_FALSE(status.error_details().empty());
}

}  // namespace
}  // namespace gongkai::rules
