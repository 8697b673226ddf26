// The release gate consulted when a document is submitted, passes its review and is
// published (INT-3): a policy document issued in the name of the city government or its
// office goes on only with an interpretation plan and materials approved by the
// drafting unit's principal head. Production wiring (catalog_app.cc) asks the
// interpretation service (interpretation_release_gate.h); AllowAllReleaseGate is for
// tests and tools that do not exercise INT-3.
#ifndef GONGKAI_SERVICES_CATALOG_DOCUMENTS_RELEASE_GATE_H_
#define GONGKAI_SERVICES_CATALOG_DOCUMENTS_RELEASE_GATE_H_

#include "absl/status/status.h"
#include "gongkai/catalog/v1/catalog.pb.h"

namespace gongkai::catalog::documents {

class ReleaseGate {
 public:
  virtual ~ReleaseGate() = default;
  // OK to go on; FAILED_PRECONDITION whose message is the cause to record when the
  // document is returned (退文); UNAVAILABLE when the gate cannot decide now (the caller
  // changes nothing and the client retries).
  virtual absl::Status CheckRelease(const gongkai::catalog::v1::Document& document) = 0;
};

class AllowAllReleaseGate final : public ReleaseGate {
 public:
  absl::Status CheckRelease(const gongkai::catalog::v1::Document&) override {
    return absl::OkStatus();
  }
};

}  // namespace gongkai::catalog::documents

#endif  // GONGKAI_SERVICES_CATALOG_DOCUMENTS_RELEASE_GATE_H_
