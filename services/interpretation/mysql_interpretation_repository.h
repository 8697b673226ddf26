// InterpretationRepository on MySQL (migrations/0001_interpretations.sql): tables
// interpretations, interpretation_releases and document_publications, and libs/db's
// idempotency_keys. Portable SQL (no RETURNING, no SKIP LOCKED); each write is one
// transaction retried on deadlocks. Thread-safe (the pool is).
#ifndef GONGKAI_SERVICES_INTERPRETATION_MYSQL_INTERPRETATION_REPOSITORY_H_
#define GONGKAI_SERVICES_INTERPRETATION_MYSQL_INTERPRETATION_REPOSITORY_H_

#include <memory>

#include "libs/db/connection_pool.h"
#include "services/interpretation/interpretation_repository.h"

namespace gongkai::interpretation {

// `pool` must outlive the repository.
std::unique_ptr<InterpretationRepository> NewMysqlInterpretationRepository(
    db::ConnectionPool* pool);

}  // namespace gongkai::interpretation

#endif  // GONGKAI_SERVICES_INTERPRETATION_MYSQL_INTERPRETATION_REPOSITORY_H_
