#include "services/catalog/catalog_modules.h"

#include <utility>

namespace gongkai::catalog {

CatalogModules::CatalogModules(const CatalogRepositories& repositories,
                               std::shared_ptr<calendar::WorkingDayCalendar> calendar,
                               std::shared_ptr<const rules::RuleBook> rules, const Clock* clock,
                               documents::ReleaseGate* release_gate, CatalogObserver* observer)
    : units_(repositories.units, clock),
      catalog_items_(repositories.catalog_items, repositories.units, clock),
      documents_(repositories.documents, repositories.units, repositories.catalog_items, calendar,
                 std::move(rules), clock, release_gate, observer),
      calendars_(repositories.calendars, std::move(calendar), clock),
      self_reviews_(repositories.self_reviews, repositories.units, &documents_,
                    repositories.catalog_items, &catalog_items_, clock, observer) {}

}  // namespace gongkai::catalog
