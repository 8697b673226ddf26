// gMock double of UnitRepository for unit tests of the rules that create or look up
// units (units/, documents/, catalog_items/, self_review/).
#ifndef GONGKAI_SERVICES_CATALOG_UNITS_MOCK_UNIT_REPOSITORY_H_
#define GONGKAI_SERVICES_CATALOG_UNITS_MOCK_UNIT_REPOSITORY_H_

#include <optional>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "services/catalog/units/unit_repository.h"

namespace gongkai::catalog::units {

class MockUnitRepository : public UnitRepository {
 public:
  MOCK_METHOD(absl::StatusOr<std::optional<std::string>>, FindIdempotentResponse,
              (const IdempotencyKey&), (override));
  MOCK_METHOD(absl::StatusOr<v1::Unit>, CreateUnit, (const v1::Unit&, const IdempotencyKey*),
              (override));
  MOCK_METHOD(absl::StatusOr<v1::Unit>, GetUnit, (int64_t), (override));
  MOCK_METHOD(absl::StatusOr<std::vector<v1::Unit>>, ListUnits,
              (const UnitFilter&, const KeysetPage&), (override));
};

}  // namespace gongkai::catalog::units

#endif  // GONGKAI_SERVICES_CATALOG_UNITS_MOCK_UNIT_REPOSITORY_H_
