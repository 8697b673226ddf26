// DocumentLookup over the catalog's gRPC API: GetDocument (omit nothing the rules need)
// as the service principal, with a deadline. A catalog that cannot be reached, or does
// not answer within the deadline, is UNAVAILABLE: the caller decides nothing on a guess.
#ifndef GONGKAI_SERVICES_INTERPRETATION_GRPC_DOCUMENT_LOOKUP_H_
#define GONGKAI_SERVICES_INTERPRETATION_GRPC_DOCUMENT_LOOKUP_H_

#include <functional>
#include <memory>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "gongkai/catalog/v1/catalog.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "services/interpretation/document_lookup.h"

namespace gongkai::interpretation {

// Puts the caller's credentials and deadline on a context (in production the service
// identity's Prepare: a fresh service-principal JWT and the deadline).
using PrepareCall = std::function<absl::Status(grpc::ClientContext*, absl::Duration timeout)>;

class GrpcDocumentLookup final : public DocumentLookup {
 public:
  GrpcDocumentLookup(std::unique_ptr<catalog::v1::CatalogService::StubInterface> stub,
                     PrepareCall prepare, absl::Duration timeout)
      : stub_(std::move(stub)), prepare_(std::move(prepare)), timeout_(timeout) {}

  absl::StatusOr<catalog::v1::Document> GetDocument(int64_t document_id) override;

 private:
  std::unique_ptr<catalog::v1::CatalogService::StubInterface> stub_;
  PrepareCall prepare_;
  absl::Duration timeout_;
};

}  // namespace gongkai::interpretation

#endif  // GONGKAI_SERVICES_INTERPRETATION_GRPC_DOCUMENT_LOOKUP_H_
