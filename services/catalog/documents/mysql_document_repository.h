// DocumentRepository on MySQL-compatible databases (MariaDB, MySQL 8, TiDB) through
// libs/db (tables documents, document_audit, document_terms; schema in
// services/catalog/migrations/). Every mutating call is one transaction, retried on
// deadlock/write conflict (db::RunInTransactionWithRetries).
//
// Thread-safe: each call leases its own connection from the pool.
#ifndef GONGKAI_SERVICES_CATALOG_DOCUMENTS_MYSQL_DOCUMENT_REPOSITORY_H_
#define GONGKAI_SERVICES_CATALOG_DOCUMENTS_MYSQL_DOCUMENT_REPOSITORY_H_

#include <memory>

#include "absl/status/status.h"
#include "libs/db/connection.h"
#include "libs/db/connection_pool.h"
#include "services/catalog/documents/document_repository.h"

namespace gongkai::catalog::documents {

// `pool` must outlive the repository.
std::unique_ptr<DocumentRepository> NewMysqlDocumentRepository(db::ConnectionPool* pool);

// Stores a conversion computed by Documents::PrepareConversionToProactive (its attribute,
// state, review and clock columns) and its audit entry on `conn`, inside the caller's
// transaction: the self-review's MySQL repository records the decision and the
// conversion atomically, and the documents table's SQL stays in this module.
// ABORTED when the document is no longer at `change.expected_version`; NOT_FOUND when
// it is gone.
absl::Status WriteDocumentConversion(db::Connection& conn, const DocumentChange& change);

// Stores a new document computed by Documents::PrepareNewDocument (version 1) and its
// audit entry on `conn`, inside the caller's transaction (a self-review's decision that
// creates the document, CAT-7). Returns the new document's id.
absl::StatusOr<int64_t> InsertNewDocument(db::Connection& conn, const DocumentChange& created);

}  // namespace gongkai::catalog::documents

#endif  // GONGKAI_SERVICES_CATALOG_DOCUMENTS_MYSQL_DOCUMENT_REPOSITORY_H_
