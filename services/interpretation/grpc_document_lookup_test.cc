// GrpcDocumentLookup against an in-process catalog stand-in on port 0: the document, its
// NOT_FOUND, the prepared credentials reaching the server, and UNAVAILABLE when the
// catalog is down or too slow (never a guess).
#include "services/interpretation/grpc_document_lookup.h"

#include <memory>
#include <string>

#include "absl/synchronization/mutex.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"

namespace gongkai::interpretation {
namespace {

class FakeCatalog final : public catalog::v1::CatalogService::Service {
 public:
  grpc::Status GetDocument(grpc::ServerContext* context,
                           const catalog::v1::GetDocumentRequest* request,
                           catalog::v1::Document* response) override {
    {
      absl::MutexLock lock(&mu_);
      auto auth = context->client_metadata().find("authorization");
      last_authorization_ = auth == context->client_metadata().end()
                                ? ""
                                : std::string(auth->second.data(), auth->second.size());
    }
    if (delay_ > absl::ZeroDuration()) absl::SleepFor(delay_);
    if (request->id() != 42) return grpc::Status(grpc::StatusCode::NOT_FOUND, "no such document");
    response->set_id(42);
    response->set_drafting_unit_id(7);
    return grpc::Status::OK;
  }
  std::string last_authorization() {
    absl::MutexLock lock(&mu_);
    return last_authorization_;
  }
  absl::Duration delay_ = absl::ZeroDuration();

 private:
  absl::Mutex mu_;
  std::string last_authorization_ ABSL_GUARDED_BY(mu_);
};

PrepareCall BearerPrepare() {
  return [](grpc::ClientContext* context, absl::Duration timeout) {
    context->AddMetadata("authorization", "Bearer service-token");
    context->set_deadline(std::chrono::system_clock::now() + absl::ToChronoMilliseconds(timeout));
    return absl::OkStatus();
  };
}

class GrpcDocumentLookupTest : public ::testing::Test {
 protected:
  GrpcDocumentLookupTest() {
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port_);
    builder.RegisterService(&catalog_);
    server_ = builder.BuildAndStart();
  }
  ~GrpcDocumentLookupTest() override { server_->Shutdown(); }

  GrpcDocumentLookup Lookup(absl::Duration timeout = absl::Seconds(5)) {
    auto channel =
        grpc::CreateChannel(absl::StrCat("127.0.0.1:", port_), grpc::InsecureChannelCredentials());
    return GrpcDocumentLookup(catalog::v1::CatalogService::NewStub(channel), BearerPrepare(),
                              timeout);
  }

  FakeCatalog catalog_;
  int port_ = 0;
  std::unique_ptr<grpc::Server> server_;
};

TEST_F(GrpcDocumentLookupTest, ReadsTheDocumentAsTheServicePrincipal) {
  absl::StatusOr<catalog::v1::Document> document = Lookup().GetDocument(42);
  ASSERT_TRUE(document.ok()) << document.status();
  EXPECT_EQ(document->drafting_unit_id(), 7);
  EXPECT_EQ(catalog_.last_authorization(), "Bearer service-token");
}

TEST_F(GrpcDocumentLookupTest, MissingDocumentIsNotFound) {
  EXPECT_EQ(Lookup().GetDocument(43).status().code(), absl::StatusCode::kNotFound);
}

TEST_F(GrpcDocumentLookupTest, SlowCatalogIsUnavailable) {
  catalog_.delay_ = absl::Milliseconds(500);
  EXPECT_EQ(Lookup(absl::Milliseconds(50)).GetDocument(42).status().code(),
            absl::StatusCode::kUnavailable);
}

TEST(GrpcDocumentLookupDownTest, CatalogDownIsUnavailable) {
  auto channel = grpc::CreateChannel("127.0.0.1:1", grpc::InsecureChannelCredentials());
  GrpcDocumentLookup lookup(catalog::v1::CatalogService::NewStub(channel), BearerPrepare(),
                            absl::Milliseconds(300));
  absl::Status status = lookup.GetDocument(42).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(std::string(status.message()), ::testing::HasSubstr("nothing was changed"));
}

}  // namespace
}  // namespace gongkai::interpretation
