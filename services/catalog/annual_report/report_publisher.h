// How a published annual report becomes a catalog document (inspection item 14): the
// seam between the report's rules and the catalog. NewCatalogReportPublisher drives the
// catalog's own domain rules in-process (create → submit → confidentiality review →
// publish, each with the caller's rights, CAT-2/CAT-4); unit tests use a fake.
//
//   std::unique_ptr<ReportPublisher> publisher = NewCatalogReportPublisher(&catalog);
//   ASSIGN_OR_RETURN(int64_t document_id, publisher->PublishDocument(caller, document));
//
// Thread-safe when the Catalog is (it is).
#ifndef GONGKAI_SERVICES_CATALOG_ANNUAL_REPORT_REPORT_PUBLISHER_H_
#define GONGKAI_SERVICES_CATALOG_ANNUAL_REPORT_REPORT_PUBLISHER_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "gongkai/catalog/v1/catalog.pb.h"
#include "libs/auth/principal.h"
#include "services/catalog/catalog.h"

namespace gongkai::catalog::annual_report {

struct ReportDocument {
  int64_t drafting_unit_id = 0;
  v1::IssuingAuthority issuing_authority = v1::DEPARTMENT;
  std::string title;
  std::string body;        // The printable HTML page.
  std::string request_id;  // Makes the create idempotent when a publication is retried.
};

class ReportPublisher {
 public:
  virtual ~ReportPublisher() = default;
  // Creates the document as a PROACTIVE one and takes it to PUBLISHED as `caller`
  // (continuing where an earlier, interrupted attempt with the same request_id
  // stopped); returns its id. The catalog's errors pass through unchanged
  // (PERMISSION_DENIED when the caller lacks a step's right, FAILED_PRECONDITION when
  // the release gate refuses).
  virtual absl::StatusOr<int64_t> PublishDocument(const auth::Principal& caller,
                                                  const ReportDocument& document) = 0;
};

// `catalog` must outlive the publisher.
std::unique_ptr<ReportPublisher> NewCatalogReportPublisher(Catalog* catalog);

}  // namespace gongkai::catalog::annual_report

#endif  // GONGKAI_SERVICES_CATALOG_ANNUAL_REPORT_REPORT_PUBLISHER_H_
