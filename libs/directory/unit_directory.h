// The suite's units (departments and governments, owned by the catalog: CreateUnit,
// ListUnits) as other services see them: a snapshot read over gRPC with the service
// identity and kept in memory, refreshed in the background and on a miss. Units are
// few (hundreds) and change rarely, so every lookup is a map read; a service never
// reads the catalog's database.
//
//   ASSIGN_OR_RETURN(auto channel, env.peers->Channel("catalog"));
//   std::unique_ptr<UnitDirectory> units =
//       directory::NewRemoteUnitDirectory(channel, env.identity, *env.clock);
//   ASSIGN_OR_RETURN(directory::Unit unit, units->Get(request.unit_id()));
//   // and in ServiceApp::Refresh(): units->Refresh();
//
// When the catalog is unreachable the last snapshot keeps answering; before the first
// successful read every call is UNAVAILABLE (the service says so instead of guessing).
//
// Thread-safety: all methods may be called concurrently.
#ifndef GONGKAI_LIBS_DIRECTORY_UNIT_DIRECTORY_H_
#define GONGKAI_LIBS_DIRECTORY_UNIT_DIRECTORY_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "gongkai/catalog/v1/catalog.pb.h"
#include "grpcpp/channel.h"
#include "libs/auth/service_identity.h"
#include "libs/clock/clock.h"

namespace gongkai::directory {

struct Unit {
  int64_t id = 0;
  std::string code;  // Stable short code, e.g. "NN-GOV-OFFICE".
  std::string name;
  catalog::v1::UnitLevel level = catalog::v1::UNIT_LEVEL_UNSPECIFIED;
  int64_t parent_id = 0;  // 0 at the top of the tree.
};

class UnitDirectory {
 public:
  virtual ~UnitDirectory() = default;

  // The unit `unit_id`. An id the snapshot lacks triggers one re-read (at most one per
  // second across callers: a unit created a moment ago is found) before NOT_FOUND
  // ("unit 42 does not exist"). UNAVAILABLE before the first successful read.
  virtual absl::StatusOr<Unit> Get(int64_t unit_id) = 0;

  // Every unit, by id. UNAVAILABLE before the first successful read.
  virtual absl::StatusOr<std::vector<Unit>> All() = 0;

  // The direct children of `parent_id` (0: the top level), by id.
  absl::StatusOr<std::vector<Unit>> Children(int64_t parent_id);

  // `unit_id` and its ancestors up to the top, nearest first. NOT_FOUND as Get.
  absl::StatusOr<std::vector<Unit>> Lineage(int64_t unit_id);

  // Re-reads all units now; the previous snapshot stays on error.
  virtual absl::Status Refresh() = 0;
};

// Reads the catalog's ListUnits over `catalog` (every page), each call with
// `call_timeout` and the service identity. `identity` and `clock` must outlive it.
std::unique_ptr<UnitDirectory> NewRemoteUnitDirectory(
    std::shared_ptr<grpc::Channel> catalog, auth::ServiceIdentity* identity, const Clock& clock,
    absl::Duration call_timeout = absl::Seconds(2));

// A fixed set of units, for tests of the services that use a directory.
std::unique_ptr<UnitDirectory> NewFixedUnitDirectory(std::vector<Unit> units);

}  // namespace gongkai::directory

#endif  // GONGKAI_LIBS_DIRECTORY_UNIT_DIRECTORY_H_
