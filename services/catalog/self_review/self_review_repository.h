// Storage of the annual self-reviews (CAT-7): a review per unit and year with one entry
// per undisclosed document. The interface the self-review rules (self_reviews.h)
// depend on; mysql_self_review_repository.h implements it on MySQL (tables
// self_reviews, self_review_entries); unit tests use MockSelfReviewRepository.
// Contracts: repository_types.h.
#ifndef GONGKAI_SERVICES_CATALOG_SELF_REVIEW_SELF_REVIEW_REPOSITORY_H_
#define GONGKAI_SERVICES_CATALOG_SELF_REVIEW_SELF_REVIEW_REPOSITORY_H_

#include <cstdint>
#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "gongkai/catalog/v1/catalog.pb.h"
#include "services/catalog/documents/document_repository.h"
#include "services/catalog/repository_types.h"

namespace gongkai::catalog::self_review {

// The self-reviews of one unit behind inspection item 5 (ASM-6, CAT-7).
struct SelfReviewOfYear {
  int year = 0;
  int64_t id = 0;
  bool completed = false;
};
struct SelfReviewEvidence {
  // The unit's reviews of the years asked for, by year; a year without one is absent.
  std::vector<SelfReviewOfYear> reviews;
  // Documents converted to PROACTIVE by a decision taken in the period (an entry's
  // CONVERT_TO_PROACTIVE or a most-requested item's DOCUMENT_CONVERTED).
  IdSample conversions;
};

// CAT-7: a decision on one most-requested item and what it writes with it.
struct MostRequestedDecisionWrite {
  // decision, reason, catalog_item_id, document_id, document_action, decided_by and
  // decide_time of the item `item_number`.
  v1::MostRequestedInformation item;
  // DOCUMENT_CONVERTED: the conversion (documents::Documents::
  // PrepareConversionToProactive), stored like a self-review entry's.
  std::optional<documents::DocumentChange> conversion;
  // A catalog item to create (catalog_items::CatalogItems::PrepareNewCatalogItem); its
  // id becomes the item's catalog_item_id.
  std::optional<v1::CatalogItem> new_catalog_item;
  // DOCUMENT_CREATED: the document to create (documents::Documents::
  // PrepareNewDocument); its id becomes the item's document_id.
  std::optional<documents::DocumentChange> new_document;
};

class SelfReviewRepository : public IdempotencyStore {
 public:
  // Stores a new review with its entries and its most-requested items (inserted in
  // batches; CAT-7) and the review's most_requested_* threshold fields. ALREADY_EXISTS
  // if the unit has one that year. Returns the review without entries or items, counts
  // set.
  virtual absl::StatusOr<v1::SelfReview> CreateSelfReview(const v1::SelfReview& review,
                                                          const IdempotencyKey* key) = 0;
  // The review without its entries; entry_count, decided_count, kept_count and
  // converted_count cover every entry (issue 16 defect 7: entries are read in pages).
  virtual absl::StatusOr<v1::SelfReview> GetSelfReview(int64_t id) = 0;
  // Up to `limit` entries of review `review_id` with document id > `after_document_id`,
  // by document id (keyset page).
  virtual absl::StatusOr<std::vector<v1::SelfReviewEntry>> ListSelfReviewEntries(
      int64_t review_id, int64_t after_document_id, int limit) = 0;
  // The entry of document `document_id` in review `review_id`; NOT_FOUND if none.
  virtual absl::StatusOr<v1::SelfReviewEntry> GetSelfReviewEntry(int64_t review_id,
                                                                 int64_t document_id) = 0;
  // Up to `limit` document ids of the review's undecided entries, by id.
  virtual absl::StatusOr<std::vector<int64_t>> ListUndecidedDocumentIds(int64_t review_id,
                                                                        int limit) = 0;
  // Records a decision on one entry; when `converted` is given, also stores that
  // document change (conversion to PROACTIVE, CAT-7, computed by the documents module)
  // in the same transaction. FAILED_PRECONDITION when the review is completed or the
  // entry already decided; ABORTED when the document changed meanwhile. Returns the
  // review as GetSelfReview does.
  virtual absl::StatusOr<v1::SelfReview> DecideSelfReviewEntry(
      int64_t review_id, const v1::SelfReviewEntry& entry,
      const std::optional<documents::DocumentChange>& converted) = 0;
  // FAILED_PRECONDITION while an entry or a most-requested item is undecided. Returns
  // the review as GetSelfReview does.
  virtual absl::StatusOr<v1::SelfReview> CompleteSelfReview(int64_t review_id, absl::Time when) = 0;

  // CAT-7: up to `limit` most-requested items of review `review_id` with item number >
  // `after_item`, by item number (keyset page).
  virtual absl::StatusOr<std::vector<v1::MostRequestedInformation>> ListMostRequested(
      int64_t review_id, int after_item, int limit) = 0;
  // NOT_FOUND if the review has no item `item_number`.
  virtual absl::StatusOr<v1::MostRequestedInformation> GetMostRequested(int64_t review_id,
                                                                        int item_number) = 0;
  // Up to `limit` undecided items (item number and subject only), by item number.
  virtual absl::StatusOr<std::vector<v1::MostRequestedInformation>> ListUndecidedMostRequested(
      int64_t review_id, int limit) = 0;
  // Records the decision on one item, with its document conversion and the catalog item
  // and document it creates when there are, in one transaction. FAILED_PRECONDITION when the review
  // is completed or the item already decided; ABORTED when the document changed meanwhile. Returns
  // the review as GetSelfReview does.
  virtual absl::StatusOr<v1::SelfReview> DecideMostRequested(
      int64_t review_id, const MostRequestedDecisionWrite& write) = 0;

  // CAT-7: up to `limit` units with id > `after_unit_id`, by id, that have no completed
  // review of `year` (none, or one still open).
  virtual absl::StatusOr<std::vector<v1::IncompleteSelfReview>> ListIncompleteSelfReviews(
      int year, int64_t after_unit_id, int limit) = 0;

  // The compliance evidence of unit `unit_id` (ASM-6 item 5): its reviews of the years
  // [first_year, last_year] and the conversions decided in [start, end).
  virtual absl::StatusOr<SelfReviewEvidence> EvidenceForUnit(int64_t unit_id, int first_year,
                                                             int last_year, absl::Time start,
                                                             absl::Time end) = 0;
};

}  // namespace gongkai::catalog::self_review

#endif  // GONGKAI_SERVICES_CATALOG_SELF_REVIEW_SELF_REVIEW_REPOSITORY_H_
