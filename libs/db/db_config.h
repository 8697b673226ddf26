// Connection settings for one MySQL-compatible database (MySQL 8, MariaDB 10.11, TiDB,
// a MariaDB Galera cluster).
//
// Filled in by the binary's main() from its configuration and passed down; nothing in
// libs/db reads flags or the environment.
//
//   db::DbConfig c;
//   c.host = "mariadb.gongkai.svc";
//   c.database = "catalog";
//   c.user = "catalog";
//   c.password = secret;
//   RETURN_IF_ERROR(c.Validate());
//
// Several servers (a Galera cluster, ADR 0025): `host` may list comma-separated
// `host[:port]` entries, "db-0:3306,db-1:3306,db-2"; an entry without a port uses `port`
// (an IPv6 address with a port is written "[::1]:3306"). The pool connects to the first
// entry that answers and is ready, and moves on to the next one when a connection to
// it breaks (connection_pool.h). One entry is the single-server case, as before.
//
// A plain value type: copy it freely.
#ifndef GONGKAI_LIBS_DB_DB_CONFIG_H_
#define GONGKAI_LIBS_DB_DB_CONFIG_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace gongkai::db {

// One server of a DbConfig: where a connection is opened.
struct DbEndpoint {
  std::string host;
  int port = 3306;

  // "host:port", or "[v6]:port" for an IPv6 address.
  std::string ToString() const;
  friend bool operator==(const DbEndpoint& a, const DbEndpoint& b) {
    return a.host == b.host && a.port == b.port;
  }
};

struct DbConfig {
  // One server, or several as "host[:port],host[:port],..." (see the file comment).
  std::string host = "127.0.0.1";
  // The port of every `host` entry that names none.
  int port = 3306;
  // Schema to USE. May be empty for administrative pools (CREATE DATABASE ...).
  std::string database;
  std::string user;
  std::string password;

  // TLS to the server: a PEM file of the CA that signed the server's certificate. Empty:
  // plain TCP. Set: every connection must use TLS (Connector/C++ sslEnforce) and the
  // server's certificate must verify against this CA and name the host connected to
  // (sslVerify) — a server without TLS or with another certificate is refused.
  std::string tls_ca_file;

  // Name used in errors and metric labels; defaults to `database` when empty.
  std::string pool_name;
  // Upper bound on open connections (in use + idle).
  int pool_size = 8;
  // How long Acquire() without an explicit timeout waits for a free connection.
  absl::Duration acquire_timeout = absl::Seconds(5);

  // Driver timeouts. MySQL takes whole seconds: each is rounded up to at least 1s. The
  // read timeout bounds every statement, so it must exceed the slowest query;
  // absl::InfiniteDuration() sets none (MigrationDbConfig: a migration's index build
  // on a large table may take far longer than any query).
  absl::Duration connect_timeout = absl::Seconds(5);
  absl::Duration read_timeout = absl::Seconds(30);
  absl::Duration write_timeout = absl::Seconds(30);

  // An idle connection that has not been used for this long is pinged before it is
  // handed out (and replaced when the ping fails). Zero pings on every Acquire().
  absl::Duration validation_interval = absl::Milliseconds(500);

  // The effective pool name (pool_name, else database, else "mysql").
  std::string EffectivePoolName() const;

  // The servers `host` and `port` name, in the order given. INVALID_ARGUMENT for an
  // empty list or entry, a bad port, or the same server twice.
  absl::StatusOr<std::vector<DbEndpoint>> Endpoints() const;

  // A copy of this config naming only `endpoint` (what one connection is opened with).
  DbConfig ForEndpoint(const DbEndpoint& endpoint) const;

  // INVALID_ARGUMENT naming the first bad setting (empty or malformed host list, user
  // empty, port out of range, pool_size < 1, non-positive timeouts).
  absl::Status Validate() const;
};

// The settings of the Migrator's own pool, from the service's `config`: the same
// server, schema and credentials, no read timeout (a DDL statement runs as long as it
// takes), 2 connections, pool name "<name>_migrations".
DbConfig MigrationDbConfig(const DbConfig& config);

}  // namespace gongkai::db

#endif  // GONGKAI_LIBS_DB_DB_CONFIG_H_
