#include "services/interpretation/grpc_document_lookup.h"

#include "absl/strings/str_cat.h"
#include "libs/status/grpc_status.h"
#include "libs/status/status_macros.h"

namespace gongkai::interpretation {

absl::StatusOr<catalog::v1::Document> GrpcDocumentLookup::GetDocument(int64_t document_id) {
  grpc::ClientContext context;
  RETURN_IF_ERROR(prepare_(&context, timeout_));
  catalog::v1::GetDocumentRequest request;
  request.set_id(document_id);
  catalog::v1::Document document;
  const grpc::Status status = stub_->GetDocument(&context, request, &document);
  if (status.ok()) return document;
  absl::Status converted = FromGrpcStatus(status);
  switch (converted.code()) {
    case absl::StatusCode::kNotFound:
      return converted;
    case absl::StatusCode::kDeadlineExceeded:
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kCancelled:
      return absl::UnavailableError(absl::StrCat("the catalog cannot be reached to read document ",
                                                 document_id, ": ", converted.message(),
                                                 "; nothing was changed, retry later"));
    default:
      // The catalog refused this service (a misconfigured identity) or failed: not the
      // caller's fault, and not something to decide on.
      return absl::UnavailableError(absl::StrCat("the catalog did not answer for document ",
                                                 document_id, ": ", converted.ToString()));
  }
}

}  // namespace gongkai::interpretation
