// The release gate over gRPC (INT-3) against an in-process stand-in of the interpretation
// service on port 0: only government-level policy documents are asked about, the call
// is signed and has a deadline, not ready is FAILED_PRECONDITION with the cause, and an
// unreachable or slow service is UNAVAILABLE.
#include "services/catalog/documents/interpretation_release_gate.h"

#include <atomic>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"

namespace gongkai::catalog::documents {
namespace {

using ::testing::HasSubstr;

class FakeInterpretation final : public interpretation::v1::InterpretationService::Service {
 public:
  grpc::Status CheckRelease(grpc::ServerContext* context,
                            const interpretation::v1::CheckReleaseRequest* request,
                            interpretation::v1::ReleaseCheck* response) override {
    ++calls;
    auto auth = context->client_metadata().find("authorization");
    if (auth == context->client_metadata().end()) {
      return grpc::Status(grpc::StatusCode::UNAUTHENTICATED, "no token");
    }
    if (delay > absl::ZeroDuration()) absl::SleepFor(delay);
    response->set_document_id(request->document_id());
    response->set_ready(request->document_id() == 1);
    if (!response->ready()) response->set_cause("政策解读缺失 (INT-3)");
    return grpc::Status::OK;
  }
  std::atomic<int> calls{0};
  absl::Duration delay = absl::ZeroDuration();
};

PrepareCall Signed() {
  return [](grpc::ClientContext& context, absl::Duration timeout) {
    context.AddMetadata("authorization", "Bearer service:catalog");
    context.set_deadline(std::chrono::system_clock::now() + absl::ToChronoMilliseconds(timeout));
    return absl::OkStatus();
  };
}

v1::Document PolicyDocument(int64_t id, v1::IssuingAuthority authority) {
  v1::Document d;
  d.set_id(id);
  d.set_is_policy_document(true);
  d.set_issuing_authority(authority);
  return d;
}

class InterpretationReleaseGateTest : public ::testing::Test {
 protected:
  InterpretationReleaseGateTest() {
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port_);
    builder.RegisterService(&service_);
    server_ = builder.BuildAndStart();
  }
  ~InterpretationReleaseGateTest() override { server_->Shutdown(); }

  InterpretationReleaseGate Gate(absl::Duration timeout = absl::Seconds(5)) {
    return InterpretationReleaseGate(
        interpretation::v1::InterpretationService::NewStub(grpc::CreateChannel(
            absl::StrCat("127.0.0.1:", port_), grpc::InsecureChannelCredentials())),
        Signed(), timeout);
  }

  FakeInterpretation service_;
  int port_ = 0;
  std::unique_ptr<grpc::Server> server_;
};

TEST_F(InterpretationReleaseGateTest, Int3ApprovedInterpretationLetsTheDocumentGoOn) {
  EXPECT_TRUE(Gate().CheckRelease(PolicyDocument(1, v1::CITY_GOVERNMENT)).ok());
  EXPECT_EQ(service_.calls.load(), 1);
}

TEST_F(InterpretationReleaseGateTest, Int3MissingInterpretationIsThePreconditionWithItsCause) {
  absl::Status status = Gate().CheckRelease(PolicyDocument(2, v1::CITY_GOVERNMENT_OFFICE));
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(status.message()), HasSubstr("政策解读缺失"));
}

TEST_F(InterpretationReleaseGateTest, Int3DepartmentAndNonPolicyDocumentsAreNotAsked) {
  EXPECT_TRUE(Gate().CheckRelease(PolicyDocument(2, v1::DEPARTMENT)).ok());
  v1::Document notice = PolicyDocument(2, v1::CITY_GOVERNMENT);
  notice.set_is_policy_document(false);
  EXPECT_TRUE(Gate().CheckRelease(notice).ok());
  EXPECT_EQ(service_.calls.load(), 0);
}

TEST_F(InterpretationReleaseGateTest, Int3SlowInterpretationServiceIsUnavailable) {
  service_.delay = absl::Milliseconds(500);
  absl::Status status =
      Gate(absl::Milliseconds(50)).CheckRelease(PolicyDocument(1, v1::CITY_GOVERNMENT));
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(std::string(status.message()), HasSubstr("nothing was changed"));
}

TEST(InterpretationReleaseGateDownTest, Int3UnreachableInterpretationServiceIsUnavailable) {
  InterpretationReleaseGate gate(
      interpretation::v1::InterpretationService::NewStub(
          grpc::CreateChannel("127.0.0.1:1", grpc::InsecureChannelCredentials())),
      Signed(), absl::Milliseconds(300));
  EXPECT_EQ(gate.CheckRelease(PolicyDocument(1, v1::CITY_GOVERNMENT)).code(),
            absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace gongkai::catalog::documents
