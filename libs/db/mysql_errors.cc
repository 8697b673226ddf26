#include "libs/db/mysql_errors.h"

#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace gongkai::db {
namespace {

// Server error numbers (MySQL / MariaDB / TiDB share the MySQL numbering).
constexpr int kErDupEntry = 1062;
// DDL meeting what it would create: a migration statement that was already applied.
constexpr int kErTableExists = 1050;   // ER_TABLE_EXISTS_ERROR
constexpr int kErDupFieldName = 1060;  // ER_DUP_FIELDNAME: duplicate column name
constexpr int kErDupKeyName = 1061;    // ER_DUP_KEYNAME: duplicate key name
constexpr absl::string_view kSchemaObjectExists = "schema object already exists";
constexpr int kErDupEntryWithKeyName = 1586;
constexpr int kErLockWaitTimeout = 1205;
constexpr int kErLockDeadlock = 1213;
constexpr int kTiDbWriteConflict = 9007;
// MySQL Group Replication (InnoDB Cluster): "Plugin instructed the server to rollback
// the current transaction" — a certification conflict found at COMMIT.
constexpr int kErTransactionRollbackDuringCommit = 3101;
constexpr int kTiDbRetryableKvError = 8022;
constexpr int kErRowIsReferenced2 = 1451;
constexpr int kErNoReferencedRow2 = 1452;
constexpr int kErBadNullError = 1048;
constexpr int kErWarnDataOutOfRange = 1264;
constexpr int kErWarnDataTruncated = 1265;
constexpr int kErTruncatedWrongValue = 1292;
constexpr int kErTruncatedWrongValueForField = 1366;
constexpr int kErDataTooLong = 1406;

// The key name from "Duplicate entry 'v' for key 'k'" (MySQL 8 writes 'table.k').
std::string DuplicateKeyName(absl::string_view message) {
  constexpr absl::string_view kMarker = "for key '";
  size_t start = message.rfind(kMarker);
  if (start == absl::string_view::npos) return "";
  start += kMarker.size();
  size_t end = message.find('\'', start);
  if (end == absl::string_view::npos) return "";
  absl::string_view key = message.substr(start, end - start);
  size_t dot = key.rfind('.');
  if (dot != absl::string_view::npos) key.remove_prefix(dot + 1);
  return std::string(key);
}

// The column from "... for column 'c' ...", "Column 'c' cannot be null" or MariaDB's
// "... for column `db`.`t`.`c` ..."; empty when the message names none.
std::string ColumnName(absl::string_view message) {
  constexpr absl::string_view kMarker = "olumn ";  // "Column " or "column ".
  size_t pos = message.rfind(kMarker);
  if (pos == absl::string_view::npos) return "";
  pos += kMarker.size();
  std::string last;
  while (pos < message.size() && (message[pos] == '\'' || message[pos] == '`')) {
    char quote = message[pos];
    size_t end = message.find(quote, pos + 1);
    if (end == absl::string_view::npos) return "";
    last = std::string(message.substr(pos + 1, end - pos - 1));
    pos = end + 1;
    if (pos < message.size() && message[pos] == '.') ++pos;
  }
  return last;
}

std::string CodeSuffix(int code, absl::string_view sqlstate) {
  if (sqlstate.empty()) return absl::StrCat("MySQL error ", code);
  return absl::StrCat("MySQL error ", code, " (", sqlstate, ")");
}

}  // namespace

bool IsConnectionLostError(int error_code) {
  switch (error_code) {
    case 2002:  // CR_CONNECTION_ERROR: cannot connect through the socket.
    case 2003:  // CR_CONN_HOST_ERROR: cannot connect to the host.
    case 2005:  // CR_UNKNOWN_HOST.
    case 2006:  // CR_SERVER_GONE_ERROR.
    case 2013:  // CR_SERVER_LOST.
    case 2055:  // CR_SERVER_LOST_EXTENDED.
    case 1927:  // ER_CONNECTION_KILLED (MariaDB).
    case 4031:  // ER_CLIENT_INTERACTION_TIMEOUT (MySQL 8: idle session closed).
    case 1053:  // ER_SERVER_SHUTDOWN.
    case 1040:  // ER_CON_COUNT_ERROR: too many connections.
    // Galera: "WSREP has not yet prepared node for application use" — the node left the
    // primary component or is not Synced; this session can do nothing useful until it
    // is, so it is replaced (on another node when the pool has several, ADR 0025).
    case 1047:
      return true;
    default:
      return false;
  }
}

bool IsReadOnlyServerError(int error_code, absl::string_view message) {
  if (error_code == 1836) return true;  // ER_READ_ONLY_MODE.
  // ER_OPTION_PREVENTS_STATEMENT also names other options (--secure-file-priv, ...).
  return error_code == 1290 &&
         (absl::StrContains(message, "read-only") || absl::StrContains(message, "read_only"));
}

bool IsSchemaObjectExistsError(int error_code) {
  return error_code == kErTableExists || error_code == kErDupFieldName ||
         error_code == kErDupKeyName;
}

bool IsSchemaObjectExists(const absl::Status& status) {
  return status.code() == absl::StatusCode::kAlreadyExists &&
         absl::StrContains(status.message(), kSchemaObjectExists);
}

absl::Status MysqlErrorToStatus(int error_code, absl::string_view sqlstate,
                                absl::string_view message) {
  const std::string suffix = CodeSuffix(error_code, sqlstate);
  switch (error_code) {
    case kErDupEntry:
    case kErDupEntryWithKeyName: {
      std::string key = DuplicateKeyName(message);
      if (key.empty())
        return absl::AlreadyExistsError(absl::StrCat("duplicate entry (", suffix, ")"));
      return absl::AlreadyExistsError(
          absl::StrCat("duplicate entry for key '", key, "' (", suffix, ")"));
    }
    case kErLockDeadlock:
      return absl::AbortedError(
          absl::StrCat("deadlock; the transaction was rolled back, retry it (", suffix, ")"));
    case kErLockWaitTimeout:
      return absl::AbortedError(
          absl::StrCat("lock wait timeout; retry the transaction (", suffix, ")"));
    case kTiDbWriteConflict:
    case kTiDbRetryableKvError:
    case kErTransactionRollbackDuringCommit:
      return absl::AbortedError(
          absl::StrCat("transaction conflict; retry it (", suffix, "): ", message));
    case kErRowIsReferenced2:
      return absl::FailedPreconditionError(
          absl::StrCat("row is still referenced by a foreign key (", suffix, "): ", message));
    case kErNoReferencedRow2:
      return absl::FailedPreconditionError(
          absl::StrCat("referenced row does not exist (", suffix, "): ", message));
    case kErDataTooLong:
    case kErTruncatedWrongValueForField:
    case kErWarnDataOutOfRange:
    case kErWarnDataTruncated:
    case kErTruncatedWrongValue:
    case kErBadNullError: {
      // The server text may quote the offending value: only the column name is kept.
      std::string column = ColumnName(message);
      if (column.empty()) {
        return absl::InvalidArgumentError(
            absl::StrCat("value does not fit its column (", suffix, ")"));
      }
      return absl::InvalidArgumentError(
          absl::StrCat("value does not fit column '", column, "' (", suffix, ")"));
    }
    case kErTableExists:
    case kErDupFieldName:
    case kErDupKeyName:
      // Names a table, column or index, never a row's value: the server text is kept.
      return absl::AlreadyExistsError(
          absl::StrCat(kSchemaObjectExists, " (", suffix, "): ", message));
    default:
      break;
  }
  if (IsReadOnlyServerError(error_code, message)) {
    return absl::UnavailableError(absl::StrCat(
        "the database server is read-only, e.g. a cluster secondary (", suffix, "): ", message));
  }
  if (IsConnectionLostError(error_code)) {
    return absl::UnavailableError(
        absl::StrCat("database connection lost or unavailable (", suffix, "): ", message));
  }
  return absl::InternalError(absl::StrCat(suffix, ": ", message));
}

}  // namespace gongkai::db
