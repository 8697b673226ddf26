#include <memory>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "libs/status/errors.h"
#include "libs/status/status_macros.h"
#include "services/catalog/annual_report/report_publisher.h"

namespace gongkai::catalog::annual_report {
namespace {

class CatalogReportPublisher final : public ReportPublisher {
 public:
  explicit CatalogReportPublisher(documents::Documents* documents) : documents_(documents) {}

  absl::StatusOr<std::optional<int64_t>> FindCreatedDocument(
      absl::string_view subject, absl::string_view request_id) override {
    ASSIGN_OR_RETURN(std::optional<v1::Document> created,
                     documents_->FindCreatedDocument(subject, request_id));
    if (!created.has_value()) return std::optional<int64_t>();
    return std::optional<int64_t>(created->id());
  }

  absl::StatusOr<int64_t> CreateDocument(const auth::Principal& caller,
                                         const ReportDocument& input) override {
    v1::CreateDocumentRequest create;
    v1::Document* document = create.mutable_document();
    document->set_title(input.title);
    document->set_body(input.body);
    document->set_drafting_unit_id(input.drafting_unit_id);
    document->set_issuing_authority(input.issuing_authority);
    document->set_disclosure_attribute(v1::PROACTIVE);
    create.set_request_id(input.request_id);
    ASSIGN_OR_RETURN(v1::Document created, documents_->CreateDocument(caller, create));
    return created.id();
  }

  absl::StatusOr<PublishStep> PublishDocument(const auth::Principal& caller,
                                              int64_t document_id) override {
    v1::GetDocumentRequest get;
    get.set_id(document_id);
    ASSIGN_OR_RETURN(v1::Document current, documents_->GetDocument(caller, get));

    if (current.state() == v1::DRAFT || current.state() == v1::RETURNED) {
      v1::SubmitDocumentRequest submit;
      submit.set_id(current.id());
      ASSIGN_OR_RETURN(current, documents_->SubmitDocument(caller, submit));
      if (current.state() == v1::RETURNED) {
        return PreconditionFailed(
            "REVIEW", absl::StrCat("documents/", current.id()),
            absl::StrCat("the report document was returned: ", current.return_cause()));
      }
    }
    // CAT-4: the review is a reviewer's of the unit, in the ordinary queue; never the
    // publisher's own.
    if (current.state() == v1::PENDING_REVIEW) return PublishStep::kAwaitingReview;
    if (current.state() == v1::APPROVED) {
      v1::PublishDocumentRequest publish;
      publish.set_id(current.id());
      ASSIGN_OR_RETURN(current, documents_->PublishDocument(caller, publish));
    }
    if (current.state() != v1::PUBLISHED) {
      return PreconditionFailed(
          "STATE", absl::StrCat("documents/", current.id()),
          absl::StrCat("the report document is ", v1::DocumentState_Name(current.state()),
                       ", not PUBLISHED"));
    }
    return PublishStep::kPublished;
  }

 private:
  documents::Documents* documents_;
};

}  // namespace

std::unique_ptr<ReportPublisher> NewCatalogReportPublisher(documents::Documents* documents) {
  return std::make_unique<CatalogReportPublisher>(documents);
}

}  // namespace gongkai::catalog::annual_report
