// Storage of units (the organisations that draft and publish): the interface the units
// rules (units.h) depend on, and how the other modules (documents/, catalog_items/,
// self_review/) look a unit up. mysql_unit_repository.h implements it on MySQL
// (table units); caching_unit_repository.h remembers units once read; unit tests use
// MockUnitRepository. Contracts: repository_types.h.
#ifndef GONGKAI_SERVICES_CATALOG_UNITS_UNIT_REPOSITORY_H_
#define GONGKAI_SERVICES_CATALOG_UNITS_UNIT_REPOSITORY_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "gongkai/catalog/v1/catalog.pb.h"
#include "services/catalog/repository_types.h"

namespace gongkai::catalog::units {

struct UnitFilter {
  int64_t parent_id = 0;  // 0: any.
  v1::UnitLevel level = v1::UNIT_LEVEL_UNSPECIFIED;
};

class UnitRepository : public IdempotencyStore {
 public:
  virtual absl::StatusOr<v1::Unit> CreateUnit(const v1::Unit& unit, const IdempotencyKey* key) = 0;
  // NOT_FOUND "unit <id> not found".
  virtual absl::StatusOr<v1::Unit> GetUnit(int64_t id) = 0;
  virtual absl::StatusOr<std::vector<v1::Unit>> ListUnits(const UnitFilter& filter,
                                                          const KeysetPage& page) = 0;
};

}  // namespace gongkai::catalog::units

#endif  // GONGKAI_SERVICES_CATALOG_UNITS_UNIT_REPOSITORY_H_
