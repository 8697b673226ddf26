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

namespace {

std::string ItemPath(const v1::SelfReview& review, const v1::MostRequestedInformation& item) {
  return absl::StrCat("self-reviews/", review.id(), "/most-requested/", item.item_number());
}

// What the audit line of a document changed by the decision says.
std::string AuditDetail(const v1::SelfReview& review, const v1::MostRequestedInformation& item,
                        absl::string_view what, absl::string_view reason) {
  return absl::StrCat("self-review ", review.id(), " (", review.year(), "), most-requested item ",
                      item.item_number(), " \"", item.subject(), "\": ", what, ". ", reason);
}

}  // namespace

absl::StatusOr<v1::CatalogItem> SelfReviews::CatalogItemToDisclose(
    const Principal& caller, const v1::SelfReview& review, const v1::MostRequestedInformation& item,
    const v1::DecideMostRequestedRequest& request, absl::Time now,
    MostRequestedDecisionWrite& write) {
  if (request.has_new_catalog_item()) {
    // Created by the decision, for the reviewed unit, checked as CreateCatalogItem does.
    v1::CatalogItem input = request.new_catalog_item();
    if (input.responsible_unit_id() == 0) input.set_responsible_unit_id(review.unit_id());
    if (input.responsible_unit_id() != review.unit_id()) {
      return InvalidField("new_catalog_item.responsible_unit_id",
                          absl::StrCat("must be the reviewed unit ", review.unit_id(), " (or 0)"));
    }
    if (input.change_note().empty()) {
      input.set_change_note(absl::StrCat("self-review ", review.id(), " (", review.year(),
                                         "), most-requested item ", item.item_number()));
    }
    ASSIGN_OR_RETURN(v1::CatalogItem created, catalog_item_rules_->PrepareNewCatalogItem(
                                                  caller, input, "new_catalog_item.", now));
    write.new_catalog_item = created;
    write.item.set_catalog_item_created(true);
    return created;
  }
  absl::StatusOr<v1::CatalogItem> found = catalog_items_->GetCatalogItem(request.catalog_item_id());
  if (found.status().code() == absl::StatusCode::kNotFound) {
    return InvalidField("catalog_item_id", absl::StrCat("catalog item ", request.catalog_item_id(),
                                                        " does not exist"));
  }
  RETURN_IF_ERROR(found.status());
  if (found->responsible_unit_id() != review.unit_id()) {
    return InvalidField(
        "catalog_item_id",
        absl::StrCat("catalog item ", found->id(), " is unit ", found->responsible_unit_id(),
                     "'s, not the reviewed unit ", review.unit_id(), "'s"));
  }
  write.item.set_catalog_item_id(found->id());
  return found;
}

absl::Status SelfReviews::ExistingDocumentToDisclose(
    const Principal& caller, const v1::SelfReview& review, const v1::MostRequestedInformation& item,
    const v1::DecideMostRequestedRequest& request, const v1::CatalogItem& catalog_item,
    absl::Time now, MostRequestedDecisionWrite& write) {
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
        "document_id",
        absl::StrCat("document ", document->id(), " is in category ", document->category_id(),
                     "; the catalog item lists category ", catalog_item.category_id()));
  }
  if (document->has_repealed_on()) {
    return PreconditionFailed("REPEALED", ItemPath(review, item),
                              absl::StrCat("document ", document->id(),
                                           " is repealed; it cannot disclose the information"));
  }
  write.item.set_document_id(document->id());
  if (document->disclosure_attribute() == v1::PROACTIVE) {
    write.item.set_document_action(v1::DOCUMENT_LINKED);
    return absl::OkStatus();
  }
  if (document->disclosure_attribute() == v1::ON_REQUEST ||
      document->disclosure_attribute() == v1::NOT_DISCLOSED) {
    // CAT-7: converted as a self-review entry's CONVERT_TO_PROACTIVE is: back to the
    // confidentiality review, NAT-4 counting from now; the documents module decides
    // whether it still can be (APPROVED only).
    ASSIGN_OR_RETURN(
        write.conversion,
        documents_->PrepareConversionToProactive(
            caller, document->id(), review.unit_id(),
            AuditDetail(review, item, "converted to PROACTIVE", request.reason()), now));
    write.item.set_document_action(v1::DOCUMENT_CONVERTED);
    return absl::OkStatus();
  }
  return PreconditionFailed("ATTRIBUTE", ItemPath(review, item),
                            absl::StrCat("document ", document->id(),
                                         " has no disclosure attribute yet; give it PROACTIVE "
                                         "first"));
}

absl::Status SelfReviews::NewDocumentToDisclose(const Principal& caller,
                                                const v1::SelfReview& review,
                                                const v1::MostRequestedInformation& item,
                                                const v1::DecideMostRequestedRequest& request,
                                                const v1::CatalogItem& catalog_item, absl::Time now,
                                                MostRequestedDecisionWrite& write) {
  // A new PROACTIVE draft of the unit in the item's category (its CAT-3 clock from now).
  v1::Document input = request.new_document();
  if (input.drafting_unit_id() == 0) input.set_drafting_unit_id(review.unit_id());
  if (input.category_id() == 0) input.set_category_id(catalog_item.category_id());
  if (input.disclosure_attribute() == v1::DISCLOSURE_ATTRIBUTE_UNSPECIFIED) {
    input.set_disclosure_attribute(v1::PROACTIVE);
  }
  FieldViolations placement;
  if (input.drafting_unit_id() != review.unit_id()) {
    placement.Add("new_document.drafting_unit_id",
                  absl::StrCat("must be the reviewed unit ", review.unit_id(), " (or 0)"));
  }
  if (input.category_id() != catalog_item.category_id()) {
    placement.Add("new_document.category_id", absl::StrCat("must be the catalog item's category ",
                                                           catalog_item.category_id(), " (or 0)"));
  }
  if (input.disclosure_attribute() != v1::PROACTIVE) {
    placement.Add("new_document.disclosure_attribute", "must be PROACTIVE (or unset)");
  }
  RETURN_IF_ERROR(placement.ToStatus());
  ASSIGN_OR_RETURN(
      write.new_document,
      documents_->PrepareNewDocument(
          caller, input, "new_document.",
          AuditDetail(review, item, "created to disclose it proactively", request.reason()), now));
  write.item.set_document_action(v1::DOCUMENT_CREATED);
  return absl::OkStatus();
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
    // CAT-7: disclosed proactively means listed in the catalog and held by a document,
    // each named or created.
    if ((request.catalog_item_id() != 0) == request.has_new_catalog_item()) {
      v.Add("catalog_item_id", "give exactly one of catalog_item_id and new_catalog_item");
    } else if (!request.has_new_catalog_item()) {
      CheckId(v, "catalog_item_id", request.catalog_item_id(), true);
    }
    if ((request.document_id() != 0) == request.has_new_document()) {
      v.Add("document_id", "give exactly one of document_id and new_document");
    } else if (!request.has_new_document()) {
      CheckId(v, "document_id", request.document_id(), true);
    }
  } else {
    for (const auto& [field, given] :
         {std::pair<const char*, bool>{"catalog_item_id", request.catalog_item_id() != 0},
          {"new_catalog_item", request.has_new_catalog_item()},
          {"document_id", request.document_id() != 0},
          {"new_document", request.has_new_document()}}) {
      if (given) v.Add(field, "only for DISCLOSE_PROACTIVELY");
    }
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
  if (disclose) {  // CAT-7: the catalog item, then the document in its category.
    ASSIGN_OR_RETURN(v1::CatalogItem catalog_item,
                     CatalogItemToDisclose(caller, review, item, request, now, write));
    if (request.has_new_document()) {
      RETURN_IF_ERROR(
          NewDocumentToDisclose(caller, review, item, request, catalog_item, now, write));
    } else {
      RETURN_IF_ERROR(
          ExistingDocumentToDisclose(caller, review, item, request, catalog_item, now, write));
    }
  }
  write.item.set_item_number(item.item_number());
  write.item.set_decision(request.decision());
  write.item.set_reason(request.reason());
  write.item.set_decided_by(caller.subject);
  *write.item.mutable_decide_time() = ToTimestamp(now);
  ASSIGN_OR_RETURN(v1::SelfReview updated, repository_->DecideMostRequested(review.id(), write));
  if (observer_ != nullptr) {
    if (write.conversion.has_value()) observer_->SelfReviewConversion();
    switch (write.item.document_action()) {
      case v1::DOCUMENT_LINKED:
        observer_->MostRequestedDecided("linked");
        break;
      case v1::DOCUMENT_CONVERTED:
        observer_->MostRequestedDecided("converted");
        break;
      case v1::DOCUMENT_CREATED:
        observer_->MostRequestedDecided("created");
        break;
      default:
        observer_->MostRequestedDecided("kept");
    }
  }
  RETURN_IF_ERROR(AttachEntries(updated, 0, ""));
  return updated;
}

}  // namespace gongkai::catalog::self_review
