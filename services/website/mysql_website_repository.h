// The MySQL implementation of WebsiteRepository (website_repository.h) on the service's
// own database gongkai_website (migrations in services/website/migrations).
#ifndef GONGKAI_SERVICES_WEBSITE_MYSQL_WEBSITE_REPOSITORY_H_
#define GONGKAI_SERVICES_WEBSITE_MYSQL_WEBSITE_REPOSITORY_H_

#include <memory>

#include "libs/db/connection_pool.h"
#include "services/website/website_repository.h"

namespace gongkai::website {

// `pool` must outlive the repository.
std::unique_ptr<WebsiteRepository> NewMysqlWebsiteRepository(db::ConnectionPool* pool);

}  // namespace gongkai::website

#endif  // GONGKAI_SERVICES_WEBSITE_MYSQL_WEBSITE_REPOSITORY_H_
