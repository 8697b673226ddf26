// gMock double of SelfReviewRepository for unit tests of the self-review rules.
#ifndef GONGKAI_SERVICES_CATALOG_SELF_REVIEW_MOCK_SELF_REVIEW_REPOSITORY_H_
#define GONGKAI_SERVICES_CATALOG_SELF_REVIEW_MOCK_SELF_REVIEW_REPOSITORY_H_

#include <optional>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "services/catalog/self_review/self_review_repository.h"

namespace gongkai::catalog::self_review {

class MockSelfReviewRepository : public SelfReviewRepository {
 public:
  MOCK_METHOD(absl::StatusOr<std::optional<std::string>>, FindIdempotentResponse,
              (const IdempotencyKey&), (override));
  MOCK_METHOD(absl::StatusOr<v1::SelfReview>, CreateSelfReview,
              (const v1::SelfReview&, const IdempotencyKey*), (override));
  MOCK_METHOD(absl::StatusOr<v1::SelfReview>, GetSelfReview, (int64_t), (override));
  MOCK_METHOD(absl::StatusOr<std::vector<v1::SelfReviewEntry>>, ListSelfReviewEntries,
              (int64_t, int64_t, int), (override));
  MOCK_METHOD(absl::StatusOr<v1::SelfReviewEntry>, GetSelfReviewEntry, (int64_t, int64_t),
              (override));
  MOCK_METHOD(absl::StatusOr<std::vector<int64_t>>, ListUndecidedDocumentIds, (int64_t, int),
              (override));
  MOCK_METHOD(absl::StatusOr<v1::SelfReview>, DecideSelfReviewEntry,
              (int64_t, const v1::SelfReviewEntry&,
               const std::optional<documents::DocumentChange>&),
              (override));
  MOCK_METHOD(absl::StatusOr<v1::SelfReview>, CompleteSelfReview, (int64_t, absl::Time),
              (override));
  MOCK_METHOD(absl::StatusOr<std::vector<v1::MostRequestedInformation>>, ListMostRequested,
              (int64_t, int, int), (override));
  MOCK_METHOD(absl::StatusOr<v1::MostRequestedInformation>, GetMostRequested, (int64_t, int),
              (override));
  MOCK_METHOD(absl::StatusOr<std::vector<v1::MostRequestedInformation>>, ListUndecidedMostRequested,
              (int64_t, int), (override));
  MOCK_METHOD(absl::StatusOr<v1::SelfReview>, DecideMostRequested,
              (int64_t, const MostRequestedDecisionWrite&), (override));
  MOCK_METHOD(absl::StatusOr<std::vector<v1::IncompleteSelfReview>>, ListIncompleteSelfReviews,
              (int, int64_t, int), (override));
  MOCK_METHOD(absl::StatusOr<SelfReviewEvidence>, EvidenceForUnit,
              (int64_t, int, int, absl::Time, absl::Time), (override));
};

}  // namespace gongkai::catalog::self_review

#endif  // GONGKAI_SERVICES_CATALOG_SELF_REVIEW_MOCK_SELF_REVIEW_REPOSITORY_H_
