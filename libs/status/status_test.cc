#include <string>

#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"
#include "libs/status/errors.h"
#include "libs/status/grpc_status.h"
#include "libs/status/status_macros.h"

namespace gongkai {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

absl::StatusOr<int> Half(int n) {
  if (n % 2 != 0) return absl::InvalidArgumentError("odd");
  return n / 2;
}

absl::StatusOr<int> Quarter(int n) {
  ASSIGN_OR_RETURN(int half, Half(n));
  ASSIGN_OR_RETURN(int quarter, Half(half));
  return quarter;
}

absl::Status CheckEven(int n) {
  RETURN_IF_ERROR(Half(n));
  return absl::OkStatus();
}

TEST(StatusMacrosTest, AssignOrReturnPropagatesTheFirstError) {
  EXPECT_EQ(*Quarter(8), 2);
  EXPECT_EQ(Quarter(6).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(CheckEven(4).ok());
  EXPECT_EQ(CheckEven(3).message(), "odd");
}

TEST(FieldViolationsTest, EmptyIsOk) { EXPECT_TRUE(FieldViolations().ToStatus().ok()); }

TEST(FieldViolationsTest, NamesEveryFieldInMessageAndDetails) {
  FieldViolations v;
  v.Add("title", "must not be empty");
  v.Add("unit_id", "must be positive");
  absl::Status status = v.ToStatus();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()), HasSubstr("title: must not be empty"));
  EXPECT_THAT(std::string(status.message()), HasSubstr("unit_id: must be positive"));
  auto back = FieldViolationsOf(status);
  ASSERT_EQ(back.size(), 2u);
  EXPECT_EQ(back[1].field, "unit_id");
}

TEST(GrpcStatusTest, BadRequestTravelsInStatusDetails) {
  grpc::Status g = ToGrpcStatus(InvalidField("title", "too long"));
  EXPECT_EQ(g.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  google::rpc::Status rpc;
  ASSERT_TRUE(rpc.ParseFromString(g.error_details()));
  EXPECT_EQ(rpc.code(), 3);
  ASSERT_EQ(rpc.details_size(), 1);
  google::rpc::BadRequest br;
  ASSERT_TRUE(rpc.details(0).UnpackTo(&br));
  EXPECT_EQ(br.field_violations(0).field(), "title");
}

TEST(GrpcStatusTest, RoundTripKeepsCodeMessageAndDetails) {
  absl::Status original = PreconditionFailed("REVIEW", "documents/7", "review not passed");
  absl::Status back = FromGrpcStatus(ToGrpcStatus(original));
  EXPECT_EQ(back.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(back.message(), "review not passed");
  EXPECT_TRUE(back.GetPayload(kPreconditionFailureTypeUrl).has_value());
}

TEST(GrpcStatusTest, InternalDetailsStayInsideTheServer) {
  grpc::Status g = ToGrpcStatus(absl::InternalError("MySQL error 1146: table x [sql: SELECT ...]"));
  EXPECT_EQ(g.error_code(), grpc::StatusCode::INTERNAL);
  EXPECT_THAT(g.error_message(), Not(HasSubstr("SELECT")));
  grpc::Status u = ToGrpcStatus(absl::UnavailableError("Can't connect to server on '10.1.2.3'"));
  EXPECT_EQ(u.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_THAT(u.error_message(), HasSubstr("retry"));
  EXPECT_THAT(u.error_message(), Not(HasSubstr("10.1.2.3")));
}

TEST(GrpcStatusTest, PlainErrorHasNoDetails) {
  grpc::Status g = ToGrpcStatus(absl::NotFoundError("document 9 not found"));
  EXPECT_EQ(g.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_TRUE(g.error_details().empty());
  EXPECT_TRUE(ToGrpcStatus(absl::OkStatus()).ok());
}

}  // namespace
}  // namespace gongkai
