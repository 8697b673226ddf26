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
  // Documents converted to PROACTIVE by a decision taken in the period.
  IdSample conversions;
};

class SelfReviewRepository : public IdempotencyStore {
 public:
  // Stores a new review with its entries (inserted in batches). ALREADY_EXISTS if the
  // unit has one that year. Returns the review without entries, counts set.
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
  // Returns the review as GetSelfReview does.
  virtual absl::StatusOr<v1::SelfReview> CompleteSelfReview(int64_t review_id, absl::Time when) = 0;

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
