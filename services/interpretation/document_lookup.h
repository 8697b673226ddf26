// What the interpretation service needs to know about a catalog document, and where it
// gets it: the catalog's GetDocument over gRPC, as the service principal, with a
// deadline (grpc_document_lookup.h). The service never reads the catalog's database.
#ifndef GONGKAI_SERVICES_INTERPRETATION_DOCUMENT_LOOKUP_H_
#define GONGKAI_SERVICES_INTERPRETATION_DOCUMENT_LOOKUP_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "gongkai/catalog/v1/catalog.pb.h"

namespace gongkai::interpretation {

class DocumentLookup {
 public:
  virtual ~DocumentLookup() = default;
  // The document (body omitted). NOT_FOUND when the catalog has no such document;
  // UNAVAILABLE when the catalog cannot be asked now (nothing is decided on a guess).
  virtual absl::StatusOr<catalog::v1::Document> GetDocument(int64_t document_id) = 0;
};

}  // namespace gongkai::interpretation

#endif  // GONGKAI_SERVICES_INTERPRETATION_DOCUMENT_LOOKUP_H_
