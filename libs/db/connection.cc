#include "libs/db/connection.h"

#include <cppconn/connection.h>
#include <cppconn/datatype.h>
#include <cppconn/driver.h>
#include <cppconn/exception.h>
#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>
#include <cppconn/resultset_metadata.h>
#include <cppconn/statement.h>

#include <exception>
#include <utility>
#include <variant>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "libs/db/mysql_errors.h"
#include "libs/db/statement_watchdog.h"

namespace gongkai::db {
namespace {

constexpr size_t kMaxCachedStatements = 64;
constexpr size_t kMaxSqlInMessage = 160;

constexpr char kSessionSqlMode[] =
    "SET SESSION sql_mode = 'STRICT_TRANS_TABLES,ONLY_FULL_GROUP_BY,NO_ZERO_IN_DATE,"
    "NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION', time_zone = '+00:00'";
// Standard syntax: MySQL 8 renamed tx_isolation and MariaDB 10.x lacks
// transaction_isolation, but all of them (and TiDB) accept this statement.
constexpr char kSessionIsolation[] = "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED";

// Driver calls are made only after this: get_driver_instance() initializes the client
// library, which is not thread-safe the first time.
sql::Driver* Driver() {
  static sql::Driver* const driver = get_driver_instance();
  return driver;
}

int WholeSeconds(absl::Duration d) {
  int64_t s = absl::ToInt64Seconds(absl::Ceil(d, absl::Seconds(1)));
  return static_cast<int>(s < 1 ? 1 : s);
}

std::string ShortSql(absl::string_view sql) {
  if (sql.size() <= kMaxSqlInMessage) return std::string(sql);
  return absl::StrCat(sql.substr(0, kMaxSqlInMessage), "...");
}

// Status for the exception being handled; `lost` is set when the session is gone.
absl::Status MapCurrentException(absl::string_view sql, bool* lost) {
  try {
    throw;
  } catch (const sql::SQLException& e) {
    // Error 0 is raised by the driver itself (closed connection, bad argument): the
    // session state is unknown, so it is not reused either.
    // A read-only server (a cluster secondary) is no use for this pool either: the
    // session is replaced, on another server when the pool has several.
    *lost = IsConnectionLostError(e.getErrorCode()) || e.getErrorCode() == 0 ||
            IsReadOnlyServerError(e.getErrorCode(), e.what());
    absl::Status status = MysqlErrorToStatus(e.getErrorCode(), e.getSQLState(), e.what());
    if (status.code() == absl::StatusCode::kInternal && !sql.empty()) {
      return absl::Status(status.code(),
                          absl::StrCat(status.message(), " [sql: ", ShortSql(sql), "]"));
    }
    return status;
  } catch (const std::exception& e) {
    *lost = true;
    return absl::InternalError(absl::StrCat("MySQL driver failure: ", e.what()));
  } catch (...) {
    *lost = true;
    return absl::InternalError("MySQL driver failure: unknown exception");
  }
}

void Bind(sql::PreparedStatement& stmt, absl::Span<const Value> params) {
  for (size_t i = 0; i < params.size(); ++i) {
    const unsigned int index = static_cast<unsigned int>(i + 1);
    struct Binder {
      sql::PreparedStatement& stmt;
      unsigned int index;
      void operator()(std::monostate) const { stmt.setNull(index, sql::DataType::VARCHAR); }
      void operator()(int64_t v) const { stmt.setInt64(index, v); }
      void operator()(uint64_t v) const { stmt.setUInt64(index, v); }
      void operator()(double v) const { stmt.setDouble(index, v); }
      void operator()(bool v) const { stmt.setBoolean(index, v); }
      void operator()(const std::string& v) const { stmt.setString(index, sql::SQLString(v)); }
    };
    std::visit(Binder{stmt, index}, params[i].data());
  }
}

ResultSet Materialize(sql::ResultSet& rs) {
  sql::ResultSetMetaData* meta = rs.getMetaData();
  const unsigned int count = meta->getColumnCount();
  auto columns = std::make_shared<internal::Columns>();
  enum class Kind { kSigned, kUnsigned, kFloat, kText };
  std::vector<Kind> kinds;
  columns->names.reserve(count);
  kinds.reserve(count);
  for (unsigned int c = 1; c <= count; ++c) {
    columns->names.push_back(meta->getColumnLabel(c).asStdString());
    switch (meta->getColumnType(c)) {
      case sql::DataType::BIT:
        kinds.push_back(Kind::kUnsigned);
        break;
      case sql::DataType::TINYINT:
      case sql::DataType::SMALLINT:
      case sql::DataType::MEDIUMINT:
      case sql::DataType::INTEGER:
      case sql::DataType::BIGINT:
      case sql::DataType::YEAR:
        kinds.push_back(meta->isSigned(c) ? Kind::kSigned : Kind::kUnsigned);
        break;
      case sql::DataType::REAL:
      case sql::DataType::DOUBLE:
        kinds.push_back(Kind::kFloat);
        break;
      default:
        kinds.push_back(Kind::kText);
        break;
    }
  }
  std::vector<Row> rows;
  rows.reserve(rs.rowsCount());
  while (rs.next()) {
    std::vector<Row::Cell> cells;
    cells.reserve(count);
    for (unsigned int c = 1; c <= count; ++c) {
      if (rs.isNull(c)) {
        cells.emplace_back(std::monostate());
        continue;
      }
      switch (kinds[c - 1]) {
        case Kind::kSigned:
          cells.emplace_back(static_cast<int64_t>(rs.getInt64(c)));
          break;
        case Kind::kUnsigned:
          cells.emplace_back(static_cast<uint64_t>(rs.getUInt64(c)));
          break;
        case Kind::kFloat:
          cells.emplace_back(static_cast<double>(rs.getDouble(c)));
          break;
        case Kind::kText:
          cells.emplace_back(rs.getString(c).asStdString());
          break;
      }
    }
    rows.emplace_back(columns, std::move(cells));
  }
  return ResultSet(std::move(columns), std::move(rows));
}

}  // namespace

Connection::Connection(std::unique_ptr<sql::Connection> conn) : conn_(std::move(conn)) {}

Connection::~Connection() {
  // Statements first: they refer to the session.
  try {
    statements_.clear();
    if (conn_ != nullptr && !conn_->isClosed()) conn_->close();
  } catch (...) {
    // Closing a dead session can fail; there is nothing left to release.
  }
}

absl::StatusOr<std::unique_ptr<Connection>> Connection::Open(const DbConfig& config) {
  absl::Status valid = config.Validate();
  if (!valid.ok()) return valid;
  absl::StatusOr<std::vector<DbEndpoint>> endpoints = config.Endpoints();
  if (!endpoints.ok()) return endpoints.status();
  absl::Status last;
  for (const DbEndpoint& endpoint : *endpoints) {
    absl::StatusOr<std::unique_ptr<Connection>> conn = OpenEndpoint(config, endpoint);
    if (conn.ok() || conn.status().code() != absl::StatusCode::kUnavailable) return conn;
    last = conn.status();
  }
  return last;
}

absl::StatusOr<std::unique_ptr<Connection>> Connection::OpenEndpoint(const DbConfig& config,
                                                                     const DbEndpoint& endpoint) {
  std::unique_ptr<sql::Connection> raw;
  try {
    sql::ConnectOptionsMap options;
    options["hostName"] = sql::SQLString(absl::StrCat("tcp://", endpoint.ToString()));
    options["userName"] = sql::SQLString(config.user);
    options["password"] = sql::SQLString(config.password);
    if (!config.database.empty()) options["schema"] = sql::SQLString(config.database);
    options["OPT_CHARSET_NAME"] = sql::SQLString("utf8mb4");
    options["OPT_CONNECT_TIMEOUT"] = WholeSeconds(config.connect_timeout);
    if (config.read_timeout != absl::InfiniteDuration()) {
      options["OPT_READ_TIMEOUT"] = WholeSeconds(config.read_timeout);
    }
    options["OPT_WRITE_TIMEOUT"] = WholeSeconds(config.write_timeout);
    options["OPT_RECONNECT"] = false;
    if (!config.tls_ca_file.empty()) {
      options["sslCA"] = sql::SQLString(config.tls_ca_file);
      options["sslEnforce"] = true;
      options["sslVerify"] = true;
    }
    raw.reset(Driver()->connect(options));
  } catch (...) {
    bool lost = false;
    absl::Status status = MapCurrentException("", &lost);
    return absl::Status(status.code(), absl::StrCat("cannot connect to MySQL at ",
                                                    endpoint.ToString(), ": ", status.message()));
  }
  std::unique_ptr<Connection> conn(new Connection(std::move(raw)));
  conn->endpoint_ = endpoint.ToString();
  for (const char* statement : {kSessionSqlMode, kSessionIsolation}) {
    absl::Status status = conn->ExecuteUnprepared(statement);
    if (!status.ok()) return status;
  }
  if (absl::Status ready = conn->CheckGaleraNodeReady(); !ready.ok()) return ready;
  absl::StatusOr<ResultSet> id = conn->Query("SELECT CONNECTION_ID()");
  if (!id.ok()) return id.status();
  absl::StatusOr<uint64_t> value = (*id)[0].GetUint64(0);
  if (!value.ok()) return value.status();
  conn->server_connection_id_ = *value;
  return conn;
}

absl::Status Connection::CheckGaleraNodeReady() {
  // Galera (ADR 0025): a node outside the primary component, or still joining, answers
  // every statement with error 1047; such a node is skipped like an unreachable one.
  // MySQL 8 and TiDB have no wsrep variables (empty results); a MariaDB without a
  // Galera provider has wsrep_on OFF (and wsrep_ready OFF too, hence both reads).
  absl::StatusOr<ResultSet> on = Query("SHOW VARIABLES LIKE 'wsrep_on'");
  if (!on.ok()) {
    return on.status().code() == absl::StatusCode::kUnavailable ? on.status() : absl::OkStatus();
  }
  if (on->empty() || !absl::EqualsIgnoreCase((*on)[0].GetString(1).value_or(""), "ON")) {
    return absl::OkStatus();
  }
  absl::StatusOr<ResultSet> ready = Query("SHOW STATUS LIKE 'wsrep_ready'");
  if (!ready.ok()) return ready.status();
  const std::string value = ready->empty() ? "" : (*ready)[0].GetString(1).value_or("");
  if (!absl::EqualsIgnoreCase(value, "ON")) {
    return absl::UnavailableError(absl::StrCat(
        "MySQL at ", endpoint_, " is a Galera node not ready for clients (wsrep_ready=", value,
        "): not Synced, or cut off from the primary component"));
  }
  return absl::OkStatus();
}

absl::Status Connection::BrokenStatus() const {
  return absl::UnavailableError(
      absl::StrCat("database connection ", server_connection_id_,
                   " was lost earlier; release the lease and acquire a new one"));
}

absl::Status Connection::FromCurrentException(absl::string_view sql) {
  bool lost = false;
  absl::Status status = MapCurrentException(sql, &lost);
  if (lost) {
    broken_ = true;
    // A statement of an unknown state must not be reused.
    statements_.erase(std::string(sql));
  }
  return status;
}

absl::StatusOr<sql::PreparedStatement*> Connection::Prepare(absl::string_view sql) {
  auto it = statements_.find(std::string(sql));
  if (it != statements_.end()) return it->second.get();
  if (statements_.size() >= kMaxCachedStatements) statements_.clear();
  std::unique_ptr<sql::PreparedStatement> stmt(
      conn_->prepareStatement(sql::SQLString(std::string(sql))));
  sql::PreparedStatement* result = stmt.get();
  statements_.emplace(std::string(sql), std::move(stmt));
  return result;
}

absl::StatusOr<ResultSet> Connection::Query(absl::string_view sql, absl::Span<const Value> params) {
  StatementWatch watch(*this);
  absl::StatusOr<ResultSet> result = QueryUnwatched(sql, params);
  if (absl::Status stopped = watch.Finish(sql); !stopped.ok()) return stopped;
  return result;
}

absl::Status Connection::QueryEach(absl::string_view sql, absl::Span<const Value> params,
                                   absl::FunctionRef<absl::Status(const RowCursor&)> on_row) {
  StatementWatch watch(*this);
  absl::Status result = QueryEachUnwatched(sql, params, on_row);
  if (absl::Status stopped = watch.Finish(sql); !stopped.ok()) return stopped;
  return result;
}

absl::StatusOr<ExecResult> Connection::Execute(absl::string_view sql,
                                               absl::Span<const Value> params) {
  StatementWatch watch(*this);
  absl::StatusOr<ExecResult> result = ExecuteUnwatched(sql, params);
  if (absl::Status stopped = watch.Finish(sql); !stopped.ok()) return stopped;
  return result;
}

absl::StatusOr<ResultSet> Connection::QueryUnwatched(absl::string_view sql,
                                                     absl::Span<const Value> params) {
  if (broken_) return BrokenStatus();
  try {
    absl::StatusOr<sql::PreparedStatement*> stmt = Prepare(sql);
    if (!stmt.ok()) return stmt.status();
    (*stmt)->clearParameters();
    Bind(**stmt, params);
    std::unique_ptr<sql::ResultSet> rs((*stmt)->executeQuery());
    return Materialize(*rs);
  } catch (...) {
    return FromCurrentException(sql);
  }
}

absl::Status Connection::QueryEachUnwatched(
    absl::string_view sql, absl::Span<const Value> params,
    absl::FunctionRef<absl::Status(const RowCursor&)> on_row) {
  if (broken_) return BrokenStatus();
  std::unique_ptr<sql::ResultSet> rs;
  size_t columns = 0;
  try {
    absl::StatusOr<sql::PreparedStatement*> stmt = Prepare(sql);
    if (!stmt.ok()) return stmt.status();
    (*stmt)->clearParameters();
    Bind(**stmt, params);
    rs.reset((*stmt)->executeQuery());
    columns = rs->getMetaData()->getColumnCount();
  } catch (...) {
    return FromCurrentException(sql);
  }
  // The rows are in client memory now (prepared statements store their results):
  // the cursor's getters report their own errors without touching the session.
  RowCursor cursor(*rs, columns);
  while (true) {
    bool more = false;
    try {
      more = rs->next();
    } catch (...) {
      return FromCurrentException(sql);
    }
    if (!more) return absl::OkStatus();
    if (absl::Status status = on_row(cursor); !status.ok()) return status;
  }
}

absl::StatusOr<ExecResult> Connection::ExecuteUnwatched(absl::string_view sql,
                                                        absl::Span<const Value> params) {
  if (broken_) return BrokenStatus();
  ExecResult result;
  try {
    absl::StatusOr<sql::PreparedStatement*> stmt = Prepare(sql);
    if (!stmt.ok()) return stmt.status();
    (*stmt)->clearParameters();
    Bind(**stmt, params);
    result.affected_rows = (*stmt)->executeUpdate();
  } catch (...) {
    return FromCurrentException(sql);
  }
  return result;
}

absl::StatusOr<ExecResult> Connection::ExecuteInsert(absl::string_view sql,
                                                     absl::Span<const Value> params) {
  absl::StatusOr<ExecResult> result = Execute(sql, params);
  if (!result.ok()) return result;
  // Read straight from the driver's result: no ResultSet (column names, cells) is built
  // for the one number, which is most of this round trip's client-side cost.
  constexpr char kLastInsertId[] = "SELECT LAST_INSERT_ID()";
  try {
    absl::StatusOr<sql::PreparedStatement*> stmt = Prepare(kLastInsertId);
    if (!stmt.ok()) return stmt.status();
    std::unique_ptr<sql::ResultSet> rs((*stmt)->executeQuery());
    if (!rs->next()) return absl::InternalError("SELECT LAST_INSERT_ID() returned no row");
    result->last_insert_id = rs->getUInt64(1);
  } catch (...) {
    return FromCurrentException(kLastInsertId);
  }
  return result;
}

absl::Status Connection::ExecuteUnprepared(absl::string_view sql) {
  if (broken_) return BrokenStatus();
  try {
    std::unique_ptr<sql::Statement> stmt(conn_->createStatement());
    if (stmt->execute(sql::SQLString(std::string(sql)))) {
      // Read and free the rows so the session is ready for the next command.
      std::unique_ptr<sql::ResultSet> rs(stmt->getResultSet());
    }
    return absl::OkStatus();
  } catch (...) {
    return FromCurrentException(sql);
  }
}

bool Connection::Ping() {
  if (broken_) return false;
  try {
    if (conn_->isValid()) return true;
  } catch (...) {
    // Same as invalid.
  }
  broken_ = true;
  return false;
}

absl::Status Connection::Begin() {
  absl::Status status = ExecuteUnprepared("START TRANSACTION");
  if (status.ok()) in_transaction_ = true;
  return status;
}

absl::Status Connection::Commit() {
  in_transaction_ = false;
  return ExecuteUnprepared("COMMIT");
}

absl::Status Connection::Rollback() {
  in_transaction_ = false;
  absl::Status status = ExecuteUnprepared("ROLLBACK");
  // A session whose rollback failed may still hold locks: never reuse it.
  if (!status.ok()) broken_ = true;
  return status;
}

}  // namespace gongkai::db
