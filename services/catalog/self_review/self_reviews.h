// The self-review module's rules: the annual review of every document a unit keeps
// undisclosed, deciding for each whether it stays so or is converted to PROACTIVE, and
// of the information most often requested in the year (CAT-7, CAT-8): the list is
// computed from the disclosure requests when the review starts (MostRequestedSource,
// services/catalog/requests/most_requested.h), stored with the review, and each item
// decided — disclosed proactively through a catalog item (linked or created) and a
// document (an existing PROACTIVE one linked, an undisclosed one converted as an entry's
// conversion is, or a new PROACTIVE draft created) or kept on request with a reason. A review
// completes only when every entry and every item is decided.
//
// Pure C++ over SelfReviewRepository: no gRPC, no SQL. Documents are listed and
// converted through the documents module (documents::Documents), units and catalog
// items looked up through their repositories; a conversion is stored with its decision in one
// transaction (mysql_self_review_repository.h). PERMISSION_DENIED unless the caller may
// review the unit; FAILED_PRECONDITION for a completed review, a decided entry or a
// document that can no longer be converted.
//
// Thread-safe once SetMostRequestedSource has been called.
#ifndef GONGKAI_SERVICES_CATALOG_SELF_REVIEW_SELF_REVIEWS_H_
#define GONGKAI_SERVICES_CATALOG_SELF_REVIEW_SELF_REVIEWS_H_

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gongkai/catalog/v1/catalog.pb.h"
#include "libs/auth/principal.h"
#include "libs/clock/clock.h"
#include "services/catalog/catalog_items/catalog_item_repository.h"
#include "services/catalog/catalog_items/catalog_items.h"
#include "services/catalog/catalog_observer.h"
#include "services/catalog/documents/documents.h"
#include "services/catalog/self_review/self_review_repository.h"
#include "services/catalog/units/unit_repository.h"

namespace gongkai::catalog::self_review {

class SelfReviews {
 public:
  // All pointers must outlive the SelfReviews. `observer` may be null.
  SelfReviews(SelfReviewRepository* repository, units::UnitRepository* units,
              documents::Documents* documents, catalog_items::CatalogItemRepository* catalog_items,
              catalog_items::CatalogItems* catalog_item_rules, const Clock* clock,
              CatalogObserver* observer)
      : repository_(repository),
        units_(units),
        documents_(documents),
        catalog_items_(catalog_items),
        catalog_item_rules_(catalog_item_rules),
        clock_(clock),
        observer_(observer) {}

  absl::StatusOr<v1::SelfReview> StartSelfReview(const auth::Principal& caller,
                                                 const v1::StartSelfReviewRequest& request);
  absl::StatusOr<v1::SelfReview> GetSelfReview(const auth::Principal& caller,
                                               const v1::GetSelfReviewRequest& request);
  absl::StatusOr<v1::SelfReview> DecideSelfReviewEntry(
      const auth::Principal& caller, const v1::DecideSelfReviewEntryRequest& request);
  absl::StatusOr<v1::SelfReview> CompleteSelfReview(const auth::Principal& caller,
                                                    const v1::CompleteSelfReviewRequest& request);
  // CAT-7: which units have not completed the year's review (OFFICE, INSPECTOR, ADMIN;
  // PERMISSION_DENIED otherwise). INVALID_ARGUMENT for a year outside 2008..this year, a
  // bad page size or a token issued for another year.
  absl::StatusOr<v1::ListIncompleteSelfReviewsResponse> ListIncompleteSelfReviews(
      const auth::Principal& caller, const v1::ListIncompleteSelfReviewsRequest& request);

  // CAT-7: the review's most-requested items, in pages by item number (who may read
  // the unit's internal work). INVALID_ARGUMENT for a bad page size or another review's
  // token.
  absl::StatusOr<v1::ListSelfReviewMostRequestedResponse> ListSelfReviewMostRequested(
      const auth::Principal& caller, const v1::ListSelfReviewMostRequestedRequest& request);
  // CAT-7: decides one most-requested item once (see the file comment and
  // DecideMostRequestedRequest). INVALID_ARGUMENT naming each bad field (a missing
  // reason to keep; for DISCLOSE_PROACTIVELY a missing, foreign or unknown catalog item
  // or document, a document outside the item's category, a bad new item or document);
  // PERMISSION_DENIED unless the caller may review the unit; FAILED_PRECONDITION for a completed
  // review, a decided item, or a document that can be neither linked nor converted; ABORTED when
  // the document changed meanwhile. Nothing is written on any error.
  absl::StatusOr<v1::SelfReview> DecideMostRequested(const auth::Principal& caller,
                                                     const v1::DecideMostRequestedRequest& request);

  // CAT-7 with CAT-8: what a new review stores as its most-requested list, and the
  // threshold and rule it was built with.
  struct MostRequestedList {
    std::vector<v1::MostRequestedInformation> items;  // In list order.
    int min_applicants = 0;
    std::string rule;          // rules::RuleRef::Explain()
    std::string rule_version;  // rules::RuleRef::VersionKey()
  };
  // Where a new review's most-requested list comes from (the disclosure requests,
  // services/catalog/requests/): called with the unit and year when a review starts.
  // Unset: reviews start with no list. Call before serving; not thread-safe against
  // concurrent self-review calls.
  using MostRequestedSource =
      std::function<absl::StatusOr<MostRequestedList>(int64_t unit_id, int year)>;
  void SetMostRequestedSource(MostRequestedSource source) { most_requested_ = std::move(source); }

 private:
  absl::CivilDay Today() const;
  // Issue 16 defect 7: fills review.entries with one keyset page of its entries (and
  // next_page_token), then the most-requested list. INVALID_ARGUMENT for a bad page
  // size or a token of another review.
  absl::Status AttachEntries(v1::SelfReview& review, int requested_page_size,
                             absl::string_view page_token) const;
  // CAT-7: fills review.most_requested with the first page of its stored items.
  absl::Status AttachMostRequested(v1::SelfReview& review) const;
  // CAT-7, DISCLOSE_PROACTIVELY: the catalog item the decision names (checked to be the
  // unit's; its id set on write.item) or creates (write.new_catalog_item).
  absl::StatusOr<v1::CatalogItem> CatalogItemToDisclose(
      const auth::Principal& caller, const v1::SelfReview& review,
      const v1::MostRequestedInformation& item, const v1::DecideMostRequestedRequest& request,
      absl::Time now, MostRequestedDecisionWrite& write);
  // The document the decision names: linked as it is, or converted (write.conversion).
  absl::Status ExistingDocumentToDisclose(const auth::Principal& caller,
                                          const v1::SelfReview& review,
                                          const v1::MostRequestedInformation& item,
                                          const v1::DecideMostRequestedRequest& request,
                                          const v1::CatalogItem& catalog_item, absl::Time now,
                                          MostRequestedDecisionWrite& write);
  // The document the decision creates (write.new_document).
  absl::Status NewDocumentToDisclose(const auth::Principal& caller, const v1::SelfReview& review,
                                     const v1::MostRequestedInformation& item,
                                     const v1::DecideMostRequestedRequest& request,
                                     const v1::CatalogItem& catalog_item, absl::Time now,
                                     MostRequestedDecisionWrite& write);

  SelfReviewRepository* repository_;
  units::UnitRepository* units_;
  documents::Documents* documents_;
  catalog_items::CatalogItemRepository* catalog_items_;
  catalog_items::CatalogItems* catalog_item_rules_;  // Creates items (CAT-7 decisions).
  const Clock* clock_;
  CatalogObserver* observer_;
  MostRequestedSource most_requested_;  // CAT-7: see SetMostRequestedSource.
};

}  // namespace gongkai::catalog::self_review

#endif  // GONGKAI_SERVICES_CATALOG_SELF_REVIEW_SELF_REVIEWS_H_
