// The catalog service's modules, built and wired together: the one place that knows
// how units/, catalog_items/, documents/, calendars/ and self_review/ depend on each
// other (each module reaches another only through that module's interface).
//
//   MysqlCatalogRepositories storage(pool, cache_bytes);  // mysql_catalog_repositories.h
//   CatalogModules catalog(storage.repositories(), calendar, &clock, &release_gate, &metrics);
//   CatalogHandler handler(&catalog, authenticator);      // catalog_handler.h
//
// Also the few service-level operations the process's background loop runs
// (calendar sync, deadline recomputation). Thread-safe as its modules are.
#ifndef GONGKAI_SERVICES_CATALOG_CATALOG_MODULES_H_
#define GONGKAI_SERVICES_CATALOG_CATALOG_MODULES_H_

#include <functional>
#include <memory>

#include "absl/status/statusor.h"
#include "libs/calendar/working_day_calendar.h"
#include "libs/clock/clock.h"
#include "libs/rules/rule_book.h"
#include "services/catalog/calendars/calendar_admin.h"
#include "services/catalog/calendars/calendar_repository.h"
#include "services/catalog/catalog_items/catalog_item_repository.h"
#include "services/catalog/catalog_items/catalog_items.h"
#include "services/catalog/catalog_observer.h"
#include "services/catalog/documents/document_repository.h"
#include "services/catalog/documents/documents.h"
#include "services/catalog/documents/release_gate.h"
#include "services/catalog/self_review/self_review_repository.h"
#include "services/catalog/self_review/self_reviews.h"
#include "services/catalog/units/unit_repository.h"
#include "services/catalog/units/units.h"

namespace gongkai::catalog {

// The storage of every module (not owned: see mysql_catalog_repositories.h).
struct CatalogRepositories {
  units::UnitRepository* units = nullptr;
  catalog_items::CatalogItemRepository* catalog_items = nullptr;
  documents::DocumentRepository* documents = nullptr;
  calendars::CalendarRepository* calendars = nullptr;
  self_review::SelfReviewRepository* self_reviews = nullptr;
};

class CatalogModules {
 public:
  // The repositories, `clock` and `release_gate` must outlive the CatalogModules; `observer`
  // may be null. `rules` is the service's RuleBook (catalog_rule_sets.h schemas).
  CatalogModules(const CatalogRepositories& repositories,
                 std::shared_ptr<calendar::WorkingDayCalendar> calendar,
                 std::shared_ptr<const rules::RuleBook> rules, const Clock* clock,
                 documents::ReleaseGate* release_gate, CatalogObserver* observer);

  units::Units& units() { return units_; }
  catalog_items::CatalogItems& catalog_items() { return catalog_items_; }
  documents::Documents& documents() { return documents_; }
  calendars::CalendarAdmin& calendars() { return calendars_; }
  self_review::SelfReviews& self_reviews() { return self_reviews_; }

  // ---- For the process's background loop. ----
  // Applies calendars stored by any replica (calendars::CalendarAdmin).
  absl::StatusOr<int> SyncCalendarsFromStore() { return calendars_.SyncCalendarsFromStore(); }
  // True once after a calendar changed on this replica.
  bool TakeRecomputeRequest() { return calendars_.TakeRecomputeRequest(); }
  // Recomputes stale publication deadlines: calendar or rule version replaced (documents).
  absl::StatusOr<int> RecomputeStaleDeadlines(const std::function<bool()>& cancelled) {
    return documents_.RecomputeStaleDeadlines(cancelled);
  }
  // Where a self-review's "most requested" list comes from (CAT-7 with CAT-8).
  void SetMostRequestedSource(self_review::SelfReviews::MostRequestedSource source) {
    self_reviews_.SetMostRequestedSource(std::move(source));
  }

 private:
  units::Units units_;
  catalog_items::CatalogItems catalog_items_;
  documents::Documents documents_;
  calendars::CalendarAdmin calendars_;
  self_review::SelfReviews self_reviews_;
};

}  // namespace gongkai::catalog

#endif  // GONGKAI_SERVICES_CATALOG_CATALOG_MODULES_H_
