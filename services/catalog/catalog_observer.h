// Business events of the catalog's modules, for metrics (catalog_metrics.h implements
// it): documents/ reports returns and publications, self_review/ conversions and
// most-requested decisions.
#ifndef GONGKAI_SERVICES_CATALOG_CATALOG_OBSERVER_H_
#define GONGKAI_SERVICES_CATALOG_CATALOG_OBSERVER_H_

#include "absl/strings/string_view.h"

namespace gongkai::catalog {

// Told about business events. Implementations must be thread-safe.
class CatalogObserver {
 public:
  virtual ~CatalogObserver() = default;
  // A submission returned (退文); `cause_kind` is low-cardinality: "missing_attribute",
  // "missing_reason", "review_failed", "office_returned".
  virtual void DocumentReturned(absl::string_view cause_kind) = 0;
  virtual void DocumentPublished() = 0;
  virtual void SelfReviewConversion() = 0;
  // CAT-7: a self-review's most-requested item decided; `how` is "kept", "linked",
  // "converted" or "created" (what the decision did with the document).
  virtual void MostRequestedDecided(absl::string_view how) = 0;
};

}  // namespace gongkai::catalog

#endif  // GONGKAI_SERVICES_CATALOG_CATALOG_OBSERVER_H_
