// routing::UnitLookup over the catalog's unit directory (libs/directory): the units,
// their levels and parents as the catalog holds them. Errors as the directory's
// (UNAVAILABLE before its first read, NOT_FOUND for an unknown unit).
// Thread-safe (the directory is).
#ifndef GONGKAI_SERVICES_OPINION_ROUTING_DIRECTORY_UNIT_LOOKUP_H_
#define GONGKAI_SERVICES_OPINION_ROUTING_DIRECTORY_UNIT_LOOKUP_H_

#include "libs/directory/unit_directory.h"
#include "services/opinion/routing/routing.h"

namespace gongkai::opinion::routing {

class DirectoryUnitLookup final : public UnitLookup {
 public:
  // `directory` must outlive this object.
  explicit DirectoryUnitLookup(directory::UnitDirectory* directory) : directory_(directory) {}

  absl::StatusOr<UnitInfo> Get(int64_t unit_id) const override {
    absl::StatusOr<directory::Unit> unit = directory_->Get(unit_id);
    if (!unit.ok()) return unit.status();
    return UnitInfo{unit->id, unit->name, static_cast<UnitLevel>(unit->level), unit->parent_id};
  }

 private:
  directory::UnitDirectory* directory_;
};

}  // namespace gongkai::opinion::routing

#endif  // GONGKAI_SERVICES_OPINION_ROUTING_DIRECTORY_UNIT_LOOKUP_H_
