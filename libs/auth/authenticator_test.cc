#include "libs/auth/authenticator.h"

#include <map>
#include <string>

#include "gmock/gmock.h"
#include "grpcpp/server_context.h"
#include "gtest/gtest.h"
#include "libs/auth/authenticated_call.h"
#include "libs/auth/mock_authenticator.h"

namespace gongkai::auth {
namespace {

using ::testing::Eq;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::Return;

Principal Alice() {
  Principal p;
  p.subject = "alice";
  p.unit_id = 3;
  p.roles = {Role::kStaff};
  return p;
}

class AuthenticatorTest : public ::testing::Test {
 protected:
  // Metadata as gRPC hands it over: string_refs into storage owned by the test.
  std::multimap<grpc::string_ref, grpc::string_ref> Metadata(
      std::initializer_list<std::pair<std::string, std::string>> entries) {
    storage_.assign(entries.begin(), entries.end());
    std::multimap<grpc::string_ref, grpc::string_ref> metadata;
    for (const auto& [key, value] : storage_) metadata.emplace(key, value);
    return metadata;
  }

  MockAuthenticator auth_;
  std::vector<std::pair<std::string, std::string>> storage_;
};

TEST_F(AuthenticatorTest, NoAuthorizationHeaderIsTheAnonymousPublic) {
  EXPECT_CALL(auth_, VerifyToken).Times(0);
  absl::StatusOr<Principal> principal =
      auth_.Authenticate(Metadata({{"x-request-id", "42"}, {"user-agent", "grpc"}}));
  ASSERT_TRUE(principal.ok());
  EXPECT_TRUE(principal->anonymous());
  EXPECT_TRUE(principal->roles.empty());
}

TEST_F(AuthenticatorTest, ServerContextWithoutMetadataIsAnonymous) {
  grpc::ServerContext context;
  absl::StatusOr<Principal> principal = auth_.Authenticate(context);
  ASSERT_TRUE(principal.ok());
  EXPECT_TRUE(principal->anonymous());
}

TEST_F(AuthenticatorTest, BearerTokenIsVerified) {
  EXPECT_CALL(auth_, VerifyToken(Eq("tok.en.sig"))).Times(3).WillRepeatedly(Return(Alice()));
  for (const char* header : {"Bearer tok.en.sig", "bearer tok.en.sig", "BEARER   tok.en.sig "}) {
    absl::StatusOr<Principal> principal = auth_.Authenticate(Metadata({{"authorization", header}}));
    ASSERT_TRUE(principal.ok()) << header;
    EXPECT_EQ(principal->subject, "alice");
  }
}

TEST_F(AuthenticatorTest, VerificationFailureIsPassedThrough) {
  EXPECT_CALL(auth_, VerifyToken(Eq("bad")))
      .WillOnce(Return(absl::UnauthenticatedError("invalid token: expired at ...")));
  absl::Status status = auth_.Authenticate(Metadata({{"authorization", "Bearer bad"}})).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kUnauthenticated);
  EXPECT_THAT(std::string(status.message()), HasSubstr("expired"));
}

TEST_F(AuthenticatorTest, OtherSchemesAndEmptyTokensAreUnauthenticated) {
  EXPECT_CALL(auth_, VerifyToken).Times(0);
  for (const char* header : {"Basic YWxpY2U6cHc=", "Bearer", "Bearer   ", "Bearertok", "", "tok"}) {
    absl::Status status = auth_.Authenticate(Metadata({{"authorization", header}})).status();
    EXPECT_EQ(status.code(), absl::StatusCode::kUnauthenticated) << header;
    EXPECT_THAT(std::string(status.message()), HasSubstr("authorization header")) << header;
    EXPECT_THAT(std::string(status.message()), Not(HasSubstr("YWxpY2U6cHc"))) << header;
  }
}

TEST_F(AuthenticatorTest, TwoAuthorizationHeadersAreUnauthenticated) {
  EXPECT_CALL(auth_, VerifyToken).Times(0);
  absl::Status status = auth_
                            .Authenticate(Metadata({{"authorization", "Bearer a.b.c"},
                                                    {"authorization", "Bearer d.e.f"}}))
                            .status();
  EXPECT_EQ(status.code(), absl::StatusCode::kUnauthenticated);
  EXPECT_THAT(std::string(status.message()), HasSubstr("more than one"));
}

TEST_F(AuthenticatorTest, GatewayHeaderWithoutValueIsAnonymous) {
  absl::StatusOr<Principal> principal = auth_.AuthenticateHeader(std::nullopt);
  ASSERT_TRUE(principal.ok());
  EXPECT_TRUE(principal->anonymous());
}

TEST_F(AuthenticatorTest, AnswerAuthenticatedPassesTheCallerAndConvertsTheStatusOnce) {
  grpc::ServerContext context;  // No metadata: the anonymous public.
  std::string response = "untouched";
  grpc::Status ok = AnswerAuthenticated(auth_, context, &response, [](const Principal& caller) {
    return absl::StatusOr<std::string>(caller.anonymous() ? "anonymous" : caller.subject);
  });
  EXPECT_TRUE(ok.ok());
  EXPECT_EQ(response, "anonymous");

  response = "untouched";
  grpc::Status refused = AnswerAuthenticated(auth_, context, &response, [](const Principal&) {
    return absl::StatusOr<std::string>(absl::InvalidArgumentError("title: must not be empty"));
  });
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(refused.error_message(), "title: must not be empty");
  EXPECT_EQ(response, "untouched");  // Nothing of a failed call reaches the response.
}

}  // namespace
}  // namespace gongkai::auth
