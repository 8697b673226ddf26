// What every repository interface of the catalog service shares (documents/, units/,
// catalog_items/, calendars/, self_review/, requests/): the idempotency key of a
// create, the keyset page, and the idempotency store each module's repository is.
//
// Contracts every repository of the service keeps:
// - Each mutating call is one transaction: the change, its audit entry and, for
//   creates, the idempotency record commit together or not at all.
// - Optimistic concurrency: updates name the version (or revision) they were computed
//   from; a mismatch is ABORTED and nothing is written.
// - NOT_FOUND names the missing resource; a duplicate unique key is ALREADY_EXISTS.
// - Lists are keyset-paginated by id, newest (largest id) first; `after_id` = 0 starts
//   at the top; at most `limit` rows come back.
// - Thread-safe: called concurrently from gRPC worker threads.
#ifndef GONGKAI_SERVICES_CATALOG_REPOSITORY_TYPES_H_
#define GONGKAI_SERVICES_CATALOG_REPOSITORY_TYPES_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "gongkai/catalog/v1/catalog.pb.h"
#include "libs/idempotency/idempotency.h"

namespace gongkai::catalog {

// Identifies one client-requested create: a retry with the same key returns the
// stored response instead of creating again (libs/idempotency).
using IdempotencyKey = idempotency::Key;

struct KeysetPage {
  int64_t after_id = 0;
  int limit = 20;
};

// The records behind one compliance-evidence indicator (ASM-6, libs/evidence): how many
// there are, and the first kMaxEvidenceIds of their ids in id order. Evidence reads
// are per unit and period, but a count is never bounded by what is listed.
inline constexpr int kMaxEvidenceIds = 1000;
struct IdSample {
  int64_t count = 0;
  std::vector<int64_t> ids;

  friend bool operator==(const IdSample& a, const IdSample& b) {
    return a.count == b.count && a.ids == b.ids;
  }
};

// Where the first responses of idempotent creates are kept (one table for the whole
// service); the `Store` of idempotency::IdempotentCreate.
class IdempotencyStore {
 public:
  virtual ~IdempotencyStore() = default;
  // The stored serialized response for `key`, or nullopt.
  virtual absl::StatusOr<std::optional<std::string>> FindIdempotentResponse(
      const IdempotencyKey& key) = 0;
};

}  // namespace gongkai::catalog

#endif  // GONGKAI_SERVICES_CATALOG_REPOSITORY_TYPES_H_
