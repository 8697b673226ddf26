// The one mapping from MySQL / MariaDB / TiDB server and client error numbers to
// absl::Status. Every Connector/C++ exception caught in libs/db goes through here.
//
//   1062, 1586              → ALREADY_EXISTS   ("duplicate entry for key 'uk_units_code'")
//   1213, 1205, TiDB 9007 8022, Group Replication 3101
//                           → ABORTED          (deadlock / lock wait / write conflict /
//                                                certification conflict: retry the whole
//                                                transaction)
//   2002 2003 2005 2006 2013 2055 1927 4031 1053 1040, Galera 1047
//                           → UNAVAILABLE      (connection lost, or a Galera node not ready
//                                                for clients: the connection is broken)
//   (a Galera certification failure is 1213 and so ABORTED: retried like a deadlock)
//   1050, 1060, 1061        → ALREADY_EXISTS   ("schema object already exists": a DDL
//                                                statement meeting its table, column or
//                                                index; IsSchemaObjectExists)
//   1451, 1452              → FAILED_PRECONDITION (foreign key)
//   1406 1366 1264 1265 1292 1048 → INVALID_ARGUMENT (value does not fit the column)
//   anything else           → INTERNAL with "MySQL error <code> (<SQLSTATE>)"
//
// ALREADY_EXISTS and INVALID_ARGUMENT messages name the key / column but never the
// value (it may be personal data); other codes keep the server's message.
//
//   absl::Status s = MysqlErrorToStatus(1062, "23000",
//                                       "Duplicate entry 'x' for key 'uk_units_code'");
//   // ALREADY_EXISTS: duplicate entry for key 'uk_units_code' (MySQL error 1062 (23000))
//
// Pure functions; thread-safe.
#ifndef GONGKAI_LIBS_DB_MYSQL_ERRORS_H_
#define GONGKAI_LIBS_DB_MYSQL_ERRORS_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace gongkai::db {

// `error_code` is the vendor error number (0 when the driver raised the error itself),
// `sqlstate` the five-character SQLSTATE, `message` the server/driver text.
absl::Status MysqlErrorToStatus(int error_code, absl::string_view sqlstate,
                                absl::string_view message);

// True when the error means the session is gone (the connection must be discarded).
bool IsConnectionLostError(int error_code);

// True for a write refused because the server is read-only: 1290 naming --read-only or
// --super-read-only (a MySQL InnoDB Cluster secondary, a demoted primary), 1836
// (ER_READ_ONLY_MODE). MysqlErrorToStatus makes it UNAVAILABLE and the connection is
// discarded, so a pool with several servers moves on to a writable one (ADR 0025).
bool IsReadOnlyServerError(int error_code, absl::string_view message);

// True for 1050 (table exists), 1060 (duplicate column), 1061 (duplicate key name).
bool IsSchemaObjectExistsError(int error_code);
// True when `status` is MysqlErrorToStatus of one of those: the Migrator then treats the
// DDL statement as already applied (a run interrupted after it, run again).
bool IsSchemaObjectExists(const absl::Status& status);

}  // namespace gongkai::db

#endif  // GONGKAI_LIBS_DB_MYSQL_ERRORS_H_
