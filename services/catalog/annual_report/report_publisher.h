// How a published annual report becomes a catalog document (inspection item 14): the
// seam between the report's rules and the catalog. NewCatalogReportPublisher drives the
// catalog's own domain rules in-process (create → submit, then once a reviewer of the
// unit has passed the confidentiality review in the reviewer's queue → publish, each
// with the caller's rights, CAT-2/CAT-4); unit tests use a fake.
//
//   std::unique_ptr<ReportPublisher> publisher = NewCatalogReportPublisher(&catalog);
//   ASSIGN_OR_RETURN(std::optional<int64_t> found,
//                    publisher->FindCreatedDocument(starter, document.request_id));
//   ASSIGN_OR_RETURN(int64_t id, publisher->CreateDocument(caller, document));
//   ASSIGN_OR_RETURN(PublishStep step, publisher->PublishDocument(caller, id));
//   if (step == PublishStep::kAwaitingReview) { /* call again after the review */ }
//
// Thread-safe when the Catalog is (it is).
#ifndef GONGKAI_SERVICES_CATALOG_ANNUAL_REPORT_REPORT_PUBLISHER_H_
#define GONGKAI_SERVICES_CATALOG_ANNUAL_REPORT_REPORT_PUBLISHER_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "gongkai/catalog/v1/catalog.pb.h"
#include "libs/auth/principal.h"
#include "services/catalog/documents/documents.h"

namespace gongkai::catalog::annual_report {

struct ReportDocument {
  int64_t drafting_unit_id = 0;
  v1::IssuingAuthority issuing_authority = v1::DEPARTMENT;
  std::string title;
  std::string body;  // The printable HTML page.
  // Makes the create idempotent per caller ("annual-report-<report row id>").
  std::string request_id;
};

// Where PublishDocument left the document.
enum class PublishStep {
  kPublished,
  // Submitted and in the unit's confidentiality-review queue (CAT-4): a reviewer other
  // than its author passes it with ReviewDocument, then PublishDocument is called again.
  kAwaitingReview,
};

class ReportPublisher {
 public:
  virtual ~ReportPublisher() = default;
  // The id of the document `subject` created with `request_id` (CreateDocument), or
  // nullopt when that user created none. Reads the idempotency record only: no right
  // is checked, so the caller must have checked its own.
  virtual absl::StatusOr<std::optional<int64_t>> FindCreatedDocument(
      absl::string_view subject, absl::string_view request_id) = 0;
  // Creates the document as a PROACTIVE DRAFT as `caller`; a retry by the same caller
  // with the same request_id returns the same document. The catalog's errors pass
  // through unchanged (PERMISSION_DENIED, INVALID_ARGUMENT).
  virtual absl::StatusOr<int64_t> CreateDocument(const auth::Principal& caller,
                                                 const ReportDocument& document) = 0;
  // Takes document `document_id` as far towards PUBLISHED as `caller` may (submit;
  // publish once the review passed), continuing from whatever state an earlier,
  // interrupted attempt left it in: kAwaitingReview while it waits for the
  // confidentiality review, which the publisher never does itself (CAT-4); kPublished
  // when it is published (already or now). FAILED_PRECONDITION when it was returned or
  // is in a state it cannot be published from; the catalog's errors pass through
  // (PERMISSION_DENIED when the caller lacks a step's right, FAILED_PRECONDITION when
  // the release gate refuses).
  virtual absl::StatusOr<PublishStep> PublishDocument(const auth::Principal& caller,
                                                      int64_t document_id) = 0;
};

// `documents` must outlive the publisher.
std::unique_ptr<ReportPublisher> NewCatalogReportPublisher(documents::Documents* documents);

}  // namespace gongkai::catalog::annual_report

#endif  // GONGKAI_SERVICES_CATALOG_ANNUAL_REPORT_REPORT_PUBLISHER_H_
