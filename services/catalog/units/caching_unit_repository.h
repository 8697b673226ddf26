// A UnitRepository decorator that remembers units once read: the API never changes or
// deletes a unit, so a unit found once exists for good (directory_cache.h). Every write
// of the other modules checks its unit references through GetUnit, which this turns
// into a memory lookup. Everything else passes straight through. Thread-safe.
#ifndef GONGKAI_SERVICES_CATALOG_UNITS_CACHING_UNIT_REPOSITORY_H_
#define GONGKAI_SERVICES_CATALOG_UNITS_CACHING_UNIT_REPOSITORY_H_

#include <memory>

#include "services/catalog/units/unit_repository.h"

namespace gongkai::catalog::units {

// `inner` must outlive the result.
std::unique_ptr<UnitRepository> NewCachingUnitRepository(UnitRepository* inner);

}  // namespace gongkai::catalog::units

#endif  // GONGKAI_SERVICES_CATALOG_UNITS_CACHING_UNIT_REPOSITORY_H_
