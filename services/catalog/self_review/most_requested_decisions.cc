// CAT-7: the self-review's most-requested items — listing them and deciding each
// (SelfReviews, self_reviews.h).
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "libs/auth/policy.h"
#include "libs/pagination/page_token.h"
#include "libs/protoconv/protoconv.h"
#include "libs/status/errors.h"
#include "libs/status/status_macros.h"
#include "libs/validation/validation.h"
#include "services/catalog/catalog_rules.h"
#include "services/catalog/self_review/self_reviews.h"

namespace gongkai::catalog::self_review {

using auth::Principal;
using validation::CheckEnum;
using validation::CheckId;
using validation::CheckText;

namespace {

constexpr int kFirstPage = 20;  // Items returned with a review (GetSelfReview's default).

std::string MostRequestedFingerprint(int64_t review_id) {
  return absl::StrCat("self-review-most-requested:", review_id);
}

}  // namespace

absl::Status SelfReviews::AttachMostRequested(v1::SelfReview& review) const {
  review.clear_most_requested();
  if (review.most_requested_count() == 0) return absl::OkStatus();
  ASSIGN_OR_RETURN(std::vector<v1::MostRequestedInformation> items,
                   repository_->ListMostRequested(review.id(), 0, kFirstPage + 1));
  review.set_most_requested_next_page_token(pagination::TrimPage(
      items, kFirstPage, MostRequestedFingerprint(review.id()),
      [](const v1::MostRequestedInformation& m) { return int64_t{m.item_number()}; }));
  for (v1::MostRequestedInformation& item : items) *review.add_most_requested() = std::move(item);
  return absl::OkStatus();
}

absl::StatusOr<v1::ListSelfReviewMostRequestedResponse> SelfReviews::ListSelfReviewMostRequested(
    const Principal& caller, const v1::ListSelfReviewMostRequestedRequest& request) {
  FieldViolations v;
  CheckId(v, "review_id", request.review_id(), true);
  RETURN_IF_ERROR(v.ToStatus());
  ASSIGN_OR_RETURN(v1::SelfReview review, repository_->GetSelfReview(request.review_id()));
  RETURN_IF_ERROR(auth::Require(caller, kReadInternal, review.unit_id()));
  const std::string fingerprint = MostRequestedFingerprint(review.id());
  ASSIGN_OR_RETURN(int64_t after, pagination::DecodePageToken(request.page_token(), fingerprint));
  ASSIGN_OR_RETURN(int page_size, pagination::ResolvePageSize(request.page_size()));
  ASSIGN_OR_RETURN(
      std::vector<v1::MostRequestedInformation> items,
      repository_->ListMostRequested(review.id(), static_cast<int>(after), page_size + 1));
  v1::ListSelfReviewMostRequestedResponse response;
  response.set_next_page_token(pagination::TrimPage(
      items, page_size, fingerprint,
      [](const v1::MostRequestedInformation& m) { return int64_t{m.item_number()}; }));
  for (v1::MostRequestedInformation& item : items) *response.add_items() = std::move(item);
  return response;
}

absl::StatusOr<v1::CatalogItem> SelfReviews::CatalogItemForDisclosure(int64_t catalog_item_id,
                                                                      int64_t unit_id) {
  absl::StatusOr<v1::CatalogItem> item = catalog_items_->GetCatalogItem(catalog_item_id);
  if (item.status().code() == absl::StatusCode::kNotFound) {
    return InvalidField("catalog_item_id",
                        absl::StrCat("catalog item ", catalog_item_id, " does not exist"));
  }
  RETURN_IF_ERROR(item.status());
  if (item->responsible_unit_id() != unit_id) {
    return InvalidField(
        "catalog_item_id",
        absl::StrCat("catalog item ", catalog_item_id, " is unit ", item->responsible_unit_id(),
                     "'s, not the reviewed unit ", unit_id, "'s"));
  }
  return item;
}

absl::StatusOr<v1::SelfReview> SelfReviews::DecideMostRequested(
    const Principal& caller, const v1::DecideMostRequestedRequest& request) {
  FieldViolations v;
  CheckId(v, "review_id", request.review_id(), true);
  if (request.item_number() <= 0) v.Add("item_number", "must be 1 or more");
  CheckEnum(v, "decision", request.decision(), v1::MostRequestedDecision_IsValid, true);
  const bool disclose = request.decision() == v1::DISCLOSE_PROACTIVELY;
  CheckText(v, "reason", request.reason(),
            request.decision() == v1::KEEP_ON_REQUEST ? kRequiredReasonLimits : kReasonLimits);
  if (disclose) {
    // CAT-7: disclosed proactively means listed in the catalog and held by a document.
    CheckId(v, "catalog_item_id", request.catalog_item_id(), true);
    CheckId(v, "document_id", request.document_id(), true);
  } else {
    if (request.catalog_item_id() != 0) {
      v.Add("catalog_item_id", "only for DISCLOSE_PROACTIVELY");
    }
    if (request.document_id() != 0) v.Add("document_id", "only for DISCLOSE_PROACTIVELY");
  }
  RETURN_IF_ERROR(v.ToStatus());
  ASSIGN_OR_RETURN(v1::SelfReview review, repository_->GetSelfReview(request.review_id()));
  RETURN_IF_ERROR(auth::Require(caller, kSelfReview, review.unit_id()));
  if (review.state() != v1::SELF_REVIEW_OPEN) {
    return PreconditionFailed("STATE", absl::StrCat("self-reviews/", review.id()),
                              "the self-review is completed; decisions can no longer change");
  }
  ASSIGN_OR_RETURN(v1::MostRequestedInformation item,
                   repository_->GetMostRequested(review.id(), request.item_number()));
  if (item.decision() != v1::MOST_REQUESTED_DECISION_UNSPECIFIED) {
    return PreconditionFailed(
        "DECIDED",
        absl::StrCat("self-reviews/", review.id(), "/most-requested/", request.item_number()),
        absl::StrCat("most-requested item ", request.item_number(),
                     " was already decided: ", v1::MostRequestedDecision_Name(item.decision())));
  }
  const absl::Time now = clock_->Now();
  MostRequestedDecisionWrite write;
  if (disclose) {
    ASSIGN_OR_RETURN(v1::CatalogItem catalog_item,
                     CatalogItemForDisclosure(request.catalog_item_id(), review.unit_id()));
    v1::GetDocumentRequest get;
    get.set_id(request.document_id());
    absl::StatusOr<v1::Document> document = documents_->GetDocument(caller, get);
    if (document.status().code() == absl::StatusCode::kNotFound) {
      return InvalidField("document_id",
                          absl::StrCat("document ", request.document_id(), " does not exist"));
    }
    RETURN_IF_ERROR(document.status());
    if (document->drafting_unit_id() != review.unit_id()) {
      return InvalidField(
          "document_id",
          absl::StrCat("document ", document->id(), " is unit ", document->drafting_unit_id(),
                       "'s, not the reviewed unit ", review.unit_id(), "'s"));
    }
    if (document->category_id() != catalog_item.category_id()) {
      return InvalidField(
          "document_id", absl::StrCat("document ", document->id(), " is in category ",
                                      document->category_id(), "; catalog item ", catalog_item.id(),
                                      " lists category ", catalog_item.category_id()));
    }
    const std::string subject =
        absl::StrCat("self-reviews/", review.id(), "/most-requested/", item.item_number());
    if (document->has_repealed_on()) {
      return PreconditionFailed("REPEALED", subject,
                                absl::StrCat("document ", document->id(),
                                             " is repealed; it cannot disclose the information"));
    }
    if (document->disclosure_attribute() == v1::PROACTIVE) {
      write.item.set_document_action(v1::DOCUMENT_LINKED);
    } else if (document->disclosure_attribute() == v1::ON_REQUEST ||
               document->disclosure_attribute() == v1::NOT_DISCLOSED) {
      // CAT-7: converted as a self-review entry's CONVERT_TO_PROACTIVE is: back to the
      // confidentiality review, NAT-4 counting from now; the documents module decides
      // whether it still can be (APPROVED only).
      ASSIGN_OR_RETURN(
          write.conversion,
          documents_->PrepareConversionToProactive(
              caller, document->id(), review.unit_id(),
              absl::StrCat("self-review ", review.id(), " (", review.year(),
                           "), most-requested item ", item.item_number(), " \"", item.subject(),
                           "\": converted to PROACTIVE. ", request.reason()),
              now));
      write.item.set_document_action(v1::DOCUMENT_CONVERTED);
    } else {
      return PreconditionFailed(
          "ATTRIBUTE", subject,
          absl::StrCat("document ", document->id(),
                       " has no disclosure attribute yet; give it PROACTIVE first"));
    }
    write.item.set_catalog_item_id(catalog_item.id());
    write.item.set_document_id(document->id());
  }
  write.item.set_item_number(item.item_number());
  write.item.set_decision(request.decision());
  write.item.set_reason(request.reason());
  write.item.set_decided_by(caller.subject);
  *write.item.mutable_decide_time() = ToTimestamp(now);
  ASSIGN_OR_RETURN(v1::SelfReview updated, repository_->DecideMostRequested(review.id(), write));
  if (write.conversion.has_value() && observer_ != nullptr) observer_->SelfReviewConversion();
  RETURN_IF_ERROR(AttachEntries(updated, 0, ""));
  return updated;
}

}  // namespace gongkai::catalog::self_review
