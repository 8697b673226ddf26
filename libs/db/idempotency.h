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
// The Connection overloads are thread-compatible like the Connection passed in (one
// connection, one thread).
#ifndef GONGKAI_LIBS_DB_IDEMPOTENCY_H_
#define GONGKAI_LIBS_DB_IDEMPOTENCY_H_

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

// The serialized response stored for `key`, or nullopt when there is none.
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

}  // namespace gongkai::db

#endif  // GONGKAI_LIBS_DB_IDEMPOTENCY_H_
