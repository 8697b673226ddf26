#include "services/catalog/documents/interpretation_release_gate.h"

#include "absl/strings/str_cat.h"
#include "libs/status/errors.h"
#include "libs/status/grpc_status.h"
#include "libs/status/status_macros.h"

namespace gongkai::catalog::documents {

bool NeedsInterpretationBeforeRelease(const v1::Document& document) {
  return document.is_policy_document() &&
         (document.issuing_authority() == v1::CITY_GOVERNMENT ||
          document.issuing_authority() == v1::CITY_GOVERNMENT_OFFICE);
}

absl::Status InterpretationReleaseGate::CheckRelease(const v1::Document& document) {
  if (!NeedsInterpretationBeforeRelease(document)) return absl::OkStatus();
  grpc::ClientContext context;
  absl::Status prepared = prepare_(context, timeout_);
  if (!prepared.ok()) {
    return absl::UnavailableError(
        absl::StrCat("cannot sign the call to the interpretation service: ", prepared.message()));
  }
  interpretation::v1::CheckReleaseRequest request;
  request.set_document_id(document.id());
  interpretation::v1::ReleaseCheck check;
  const grpc::Status status = stub_->CheckRelease(&context, request, &check);
  if (!status.ok()) {
    // Whatever went wrong, the catalog does not decide on a guess: UNAVAILABLE, nothing
    // changed, the client retries.
    return absl::UnavailableError(absl::StrCat(
        "the interpretation service cannot confirm the interpretation of document ", document.id(),
        " (INT-3): ", FromGrpcStatus(status).ToString(), "; nothing was changed, retry later"));
  }
  if (check.ready()) return absl::OkStatus();
  return PreconditionFailed("INTERPRETATION", absl::StrCat("documents/", document.id()),
                            check.cause());
}

}  // namespace gongkai::catalog::documents
