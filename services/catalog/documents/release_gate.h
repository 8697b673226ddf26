// The release gate consulted before a document is published.
//
// Publication of a policy document must wait for its interpretation (INT-3): a later
// issue connects this interface to the interpretation service. Until then the gate
// that allows every release is wired in.
#ifndef GONGKAI_SERVICES_CATALOG_DOCUMENTS_RELEASE_GATE_H_
#define GONGKAI_SERVICES_CATALOG_DOCUMENTS_RELEASE_GATE_H_

#include "absl/status/status.h"
#include "gongkai/catalog/v1/catalog.pb.h"

namespace gongkai::catalog::documents {

class ReleaseGate {
 public:
  virtual ~ReleaseGate() = default;
  // OK to publish, FAILED_PRECONDITION saying what is missing, or UNAVAILABLE when the
  // gate cannot decide now (the caller retries).
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
