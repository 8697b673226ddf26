// The units module's rules: creating, reading and listing units (the organisations
// that draft and publish documents).
//
// Pure C++ over UnitRepository: no gRPC, no SQL. The handler (catalog_handler.h)
// passes the authenticated caller in; INVALID_ARGUMENT names each bad field and
// nothing is written; only the general office and administrators create units.
// Thread-safe: holds no mutable state of its own.
#ifndef GONGKAI_SERVICES_CATALOG_UNITS_UNITS_H_
#define GONGKAI_SERVICES_CATALOG_UNITS_UNITS_H_

#include "absl/status/statusor.h"
#include "gongkai/catalog/v1/catalog.pb.h"
#include "libs/auth/principal.h"
#include "libs/clock/clock.h"
#include "services/catalog/units/unit_repository.h"

namespace gongkai::catalog::units {

class Units {
 public:
  // Both must outlive the Units.
  Units(UnitRepository* repository, const Clock* clock) : repository_(repository), clock_(clock) {}

  // ALREADY_EXISTS when the code is taken; INVALID_ARGUMENT for a missing parent.
  absl::StatusOr<v1::Unit> CreateUnit(const auth::Principal& caller,
                                      const v1::CreateUnitRequest& request);
  absl::StatusOr<v1::Unit> GetUnit(const auth::Principal& caller,
                                   const v1::GetUnitRequest& request);
  absl::StatusOr<v1::ListUnitsResponse> ListUnits(const auth::Principal& caller,
                                                  const v1::ListUnitsRequest& request);

 private:
  UnitRepository* repository_;
  const Clock* clock_;
};

}  // namespace gongkai::catalog::units

#endif  // GONGKAI_SERVICES_CATALOG_UNITS_UNITS_H_
