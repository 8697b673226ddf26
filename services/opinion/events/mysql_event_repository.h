// The MySQL implementation of EventRepository (event_repository.h) on the tables of
// services/opinion/migrations/. Thread-safe: each call leases its own connection.
#ifndef GONGKAI_SERVICES_OPINION_EVENTS_MYSQL_EVENT_REPOSITORY_H_
#define GONGKAI_SERVICES_OPINION_EVENTS_MYSQL_EVENT_REPOSITORY_H_

#include <memory>

#include "libs/db/connection_pool.h"
#include "services/opinion/events/event_repository.h"

namespace gongkai::opinion::events {

// `pool` must outlive the repository.
std::unique_ptr<EventRepository> NewMysqlEventRepository(db::ConnectionPool* pool);

}  // namespace gongkai::opinion::events

#endif  // GONGKAI_SERVICES_OPINION_EVENTS_MYSQL_EVENT_REPOSITORY_H_
