// The consultation service's object graph (main.cc builds it through
// server::RunService): the MySQL repository, the unit directory read from the catalog
// (libs/directory, as the service principal), the domain, the gRPC handler, the
// compliance evidence (items 7, 8, 12) and the gauges.
#ifndef GONGKAI_SERVICES_CONSULTATION_CONSULTATION_APP_H_
#define GONGKAI_SERVICES_CONSULTATION_CONSULTATION_APP_H_

#include <memory>

#include "absl/status/statusor.h"
#include "libs/directory/unit_directory.h"
#include "libs/server/service_runner.h"
#include "services/consultation/consultations.h"

namespace gongkai::consultation {

absl::StatusOr<std::unique_ptr<server::ServiceApp>> NewConsultationApp(
    const server::ServiceEnvironment& env);

// A UnitLookup over a unit directory (the level as the CON-1 scope rule names it).
UnitLookup LookupIn(directory::UnitDirectory* directory);

}  // namespace gongkai::consultation

#endif  // GONGKAI_SERVICES_CONSULTATION_CONSULTATION_APP_H_
