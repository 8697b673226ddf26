// The release gate (release_gate.h) over the interpretation service's CheckRelease, as
// the catalog's service principal with a deadline (INT-3). Only policy documents issued
// in the name of the city government or its office are asked about; every other
// document passes without a call.
//
// Answers: OK when an approved plan and materials exist; FAILED_PRECONDITION with the
// interpretation service's cause when not; UNAVAILABLE when the interpretation service
// cannot be reached, does not answer within the deadline or refuses the catalog — the
// catalog never publishes on a guess. Thread-safe (the stub is).
#ifndef GONGKAI_SERVICES_CATALOG_DOCUMENTS_INTERPRETATION_RELEASE_GATE_H_
#define GONGKAI_SERVICES_CATALOG_DOCUMENTS_INTERPRETATION_RELEASE_GATE_H_

#include <functional>
#include <memory>

#include "absl/time/time.h"
#include "gongkai/interpretation/v1/interpretation.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "services/catalog/documents/release_gate.h"

namespace gongkai::catalog::documents {

// Puts credentials and a deadline on a call (production: ServiceIdentity::Prepare).
using PrepareCall = std::function<absl::Status(grpc::ClientContext&, absl::Duration timeout)>;

class InterpretationReleaseGate final : public ReleaseGate {
 public:
  InterpretationReleaseGate(
      std::unique_ptr<interpretation::v1::InterpretationService::StubInterface> stub,
      PrepareCall prepare, absl::Duration timeout)
      : stub_(std::move(stub)), prepare_(std::move(prepare)), timeout_(timeout) {}

  absl::Status CheckRelease(const v1::Document& document) override;

 private:
  std::unique_ptr<interpretation::v1::InterpretationService::StubInterface> stub_;
  PrepareCall prepare_;
  absl::Duration timeout_;
};

// INT-3: whether `document` needs its interpretation approved before it goes on.
bool NeedsInterpretationBeforeRelease(const v1::Document& document);

}  // namespace gongkai::catalog::documents

#endif  // GONGKAI_SERVICES_CATALOG_DOCUMENTS_INTERPRETATION_RELEASE_GATE_H_
