// The self-review module's rules: the annual review of every document a unit keeps
// undisclosed, deciding for each whether it stays so or is converted to PROACTIVE, and
// the "most requested" list from the disclosure requests (CAT-7, CAT-8).
//
// Pure C++ over SelfReviewRepository: no gRPC, no SQL. Documents are listed and
// converted through the documents module (documents::Documents), units looked up
// through units::UnitRepository; a conversion is stored with its decision in one
// transaction (mysql_self_review_repository.h). PERMISSION_DENIED unless the caller may
// review the unit; FAILED_PRECONDITION for a completed review, a decided entry or a
// document that can no longer be converted.
//
// Thread-safe once SetMostRequestedSource has been called.
#ifndef GONGKAI_SERVICES_CATALOG_SELF_REVIEW_SELF_REVIEWS_H_
#define GONGKAI_SERVICES_CATALOG_SELF_REVIEW_SELF_REVIEWS_H_

#include <cstdint>
#include <functional>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "gongkai/catalog/v1/catalog.pb.h"
#include "libs/auth/principal.h"
#include "libs/clock/clock.h"
#include "services/catalog/catalog_observer.h"
#include "services/catalog/documents/documents.h"
#include "services/catalog/self_review/self_review_repository.h"
#include "services/catalog/units/unit_repository.h"

namespace gongkai::catalog::self_review {

class SelfReviews {
 public:
  // All pointers must outlive the SelfReviews. `observer` may be null.
  SelfReviews(SelfReviewRepository* repository, units::UnitRepository* units,
              documents::Documents* documents, const Clock* clock, CatalogObserver* observer)
      : repository_(repository),
        units_(units),
        documents_(documents),
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

  // CAT-7 with CAT-8: where a self-review's "most requested" list comes from (the
  // disclosure requests, services/catalog/requests/); called with the review's unit and
  // year each time a review is returned. Unset: the list stays empty. Call before
  // serving; not thread-safe against concurrent self-review calls.
  using MostRequestedSource =
      std::function<absl::StatusOr<std::vector<v1::MostRequestedInformation>>(int64_t unit_id,
                                                                              int year)>;
  void SetMostRequestedSource(MostRequestedSource source) { most_requested_ = std::move(source); }

 private:
  absl::CivilDay Today() const;
  // Issue 16 defect 7: fills review.entries with one keyset page of its entries (and
  // next_page_token), then the most-requested list. INVALID_ARGUMENT for a bad page
  // size or a token of another review.
  absl::Status AttachEntries(v1::SelfReview& review, int requested_page_size,
                             absl::string_view page_token) const;
  // CAT-7: fills review.most_requested from most_requested_ (when set).
  absl::Status AttachMostRequested(v1::SelfReview& review) const;

  SelfReviewRepository* repository_;
  units::UnitRepository* units_;
  documents::Documents* documents_;
  const Clock* clock_;
  CatalogObserver* observer_;
  MostRequestedSource most_requested_;  // CAT-7: see SetMostRequestedSource.
};

}  // namespace gongkai::catalog::self_review

#endif  // GONGKAI_SERVICES_CATALOG_SELF_REVIEW_SELF_REVIEWS_H_
