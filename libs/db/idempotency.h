// The MySQL side of idempotent creates (libs/idempotency/idempotency.h): the stored
// first response of each keyed create, in the table idempotency_keys. The table is
// libs/db's own (libs/db/migrations/), applied to a service's database as the library
// migration set IdempotencyMigrationSet() — the service bootstrap (libs/server/
// service_runner.h) does that for every service.
//
// A repository's create inserts the record in the transaction that creates the row, so
// both commit or neither does; a second insert of the same key is ALREADY_EXISTS, which
// idempotency::IdempotentCreate turns into a replay of the winner's response.
//
//   RETURN_IF_ERROR(db::RunInTransactionWithRetries(*pool_, [&](db::Connection& conn) {
//     ... INSERT the row, fill `created` ...
//     return db::InsertIdempotencyRecord(conn, key, created.SerializeAsString(), now);
//   }));
//
//   absl::StatusOr<std::optional<std::string>> FindIdempotentResponse(
//       const idempotency::Key& key) override {
//     return db::FindIdempotentResponse(*pool_, key);
//   }
//
// A stored row carries the request's hash (idempotency::RequestHash): a lookup whose
// key has another hash is INVALID_ARGUMENT naming request_id. Rows are kept for a
// retention period (the service bootstrap purges older ones with
// PurgeIdempotencyRecords; GONGKAI_IDEMPOTENCY_RETENTION, default 30 days): a retry
// later than that creates again. Size bound: a row holds the serialized first response
// of one create, which is at most the RPC's own bound (the 4 MB default gRPC message
// size; MEDIUMBLOB caps it at 16 MB), and rows live only for the retention period.
//
// The Connection overloads are thread-compatible like the Connection passed in (one
// connection, one thread).
#ifndef GONGKAI_LIBS_DB_IDEMPOTENCY_H_
#define GONGKAI_LIBS_DB_IDEMPOTENCY_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/db/connection.h"
#include "libs/db/connection_pool.h"
#include "libs/db/migrator.h"
#include "libs/idempotency/idempotency.h"

namespace gongkai::db {

// The migrations that create idempotency_keys (generated from libs/db/migrations/).
std::vector<Migration> IdempotencyMigrations();
// The same as a library migration set, component "idempotency".
MigrationSet IdempotencyMigrationSet();

// The serialized response stored for `key`, or nullopt when there is none;
// INVALID_ARGUMENT naming request_id when it was stored for a different request
// (idempotency::CheckSameRequest).
absl::StatusOr<std::optional<std::string>> FindIdempotentResponse(Connection& conn,
                                                                  const idempotency::Key& key);
// The same on a connection leased from `pool` for the one read (thread-safe): what a
// repository's FindIdempotentResponse override returns.
absl::StatusOr<std::optional<std::string>> FindIdempotentResponse(ConnectionPool& pool,
                                                                  const idempotency::Key& key);

// Stores `response` for `key` with `create_time`; does nothing (OK) when `key` is null
// (the client sent no request id). ALREADY_EXISTS when the key is taken.
absl::Status InsertIdempotencyRecord(Connection& conn, const idempotency::Key* key,
                                     const std::string& response, absl::Time create_time);

// Deletes the records created before `created_before`, `batch_size` rows per DELETE
// (one short statement each), until none is left or `stopping` (may be empty) says so.
// Returns how many were deleted. Thread-safe (leases connections from `pool`).
absl::StatusOr<int64_t> PurgeIdempotencyRecords(ConnectionPool& pool, absl::Time created_before,
                                                int batch_size = 1000,
                                                const std::function<bool()>& stopping = {});

}  // namespace gongkai::db

#endif  // GONGKAI_LIBS_DB_IDEMPOTENCY_H_
