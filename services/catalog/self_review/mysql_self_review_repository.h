// SelfReviewRepository on MySQL-compatible databases through libs/db (tables
// self_reviews, self_review_entries; schema in services/catalog/migrations/). A
// decision that converts a document writes the conversion through the documents
// module (documents::WriteDocumentConversion) in the decision's own transaction.
//
// Thread-safe: each call leases its own connection from the pool.
#ifndef GONGKAI_SERVICES_CATALOG_SELF_REVIEW_MYSQL_SELF_REVIEW_REPOSITORY_H_
#define GONGKAI_SERVICES_CATALOG_SELF_REVIEW_MYSQL_SELF_REVIEW_REPOSITORY_H_

#include <memory>

#include "libs/db/connection_pool.h"
#include "services/catalog/self_review/self_review_repository.h"

namespace gongkai::catalog::self_review {

// `pool` must outlive the repository.
std::unique_ptr<SelfReviewRepository> NewMysqlSelfReviewRepository(db::ConnectionPool* pool);

}  // namespace gongkai::catalog::self_review

#endif  // GONGKAI_SERVICES_CATALOG_SELF_REVIEW_MYSQL_SELF_REVIEW_REPOSITORY_H_
