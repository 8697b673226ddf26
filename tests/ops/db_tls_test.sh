#!/usr/bin/env bash
# TLS to the database (GONGKAI_DB_TLS_CA_FILE, db::DbConfig::tls_ca_file; the prod
# overlay sets it): a real service binary (`gongkai-catalog migrate`) against a
# throw-away MariaDB serving TLS with a certificate from a CA made here, whose database
# user REQUIRES SSL — so a plain connection is refused and a successful one proves TLS.
#   with the CA                        -> migrates (TLS used, certificate verified)
#   without the CA (plain TCP)         -> refused by the server (the user requires SSL)
#   with another CA                    -> refused by the client (certificate not trusted)
#   with the CA, a server without TLS  -> refused by the client (sslEnforce); ./gongkai
#                                         test's MariaDB when GONGKAI_TEST_MYSQL_* is set
# Usage: db_tls_test.sh CATALOG_BINARY
set -euo pipefail
catalog=$1
GONGKAI_ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
# shellcheck source=deploy/scripts/common.sh
source "$GONGKAI_ROOT/deploy/scripts/common.sh"
# shellcheck source=deploy/scripts/mariadb.sh
source "$GONGKAI_ROOT/deploy/scripts/mariadb.sh"
work=$(mktemp -d "${TMPDIR:-/tmp}/gongkai-db-tls.XXXXXX")
cleanup() {
  mariadb_stop "$work/db" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

cd "$work"
quiet() { "$@" >/dev/null 2>&1; }
quiet openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 \
  -subj "/CN=gongkai test database CA"
quiet openssl req -x509 -newkey rsa:2048 -nodes -keyout other.key -out other.pem -days 2 \
  -subj "/CN=another CA"
quiet openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj "/CN=127.0.0.1"
printf 'subjectAltName=IP:127.0.0.1\n' >server.ext
quiet openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial \
  -out server.pem -days 2 -extfile server.ext
chmod 644 ./*.pem ./*.key

port=0
for candidate in $(seq $((24000 + RANDOM % 2000)) 26100); do
  port_in_use "$candidate" || { port=$candidate; break; }
done
mariadb_init "$work/db" 2>/dev/null
mariadb_start "$work/db" "$port" --ssl-ca="$work/ca.pem" --ssl-cert="$work/server.pem" \
  --ssl-key="$work/server.key" --innodb-buffer-pool-size=64M 2>/dev/null
password=$(random_hex 16)
mariadb_sql "$work/db" <<SQL
CREATE DATABASE gongkai_tls CHARACTER SET utf8mb4;
CREATE USER 'gongkai_tls'@'127.0.0.1' IDENTIFIED BY '$password' REQUIRE SSL;
GRANT ALL PRIVILEGES ON gongkai_tls.* TO 'gongkai_tls'@'127.0.0.1';
SQL

failures=0
# expect OUTCOME WHAT HOST PORT USER PASSWORD [CA_FILE]: runs `migrate`, which retries
# a database it cannot reach: the outcome is its first answer in the log — "migrations
# applied" (ok), or a refused connection, retried or fatal (refused).
expect() {
  local outcome=$1 what=$2 host=$3 db_port=$4 user=$5 db_password=$6 ca=${7:-} pid got=""
  env GONGKAI_DB_HOST="$host" GONGKAI_DB_PORT="$db_port" GONGKAI_DB_NAME=gongkai_tls \
    GONGKAI_DB_USER="$user" GONGKAI_DB_PASSWORD="$db_password" GONGKAI_DB_TLS_CA_FILE="$ca" \
    "$catalog" migrate >"$work/run.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 600); do
    if grep -q '"migrations applied"' "$work/run.log"; then
      got=ok
    elif grep -q 'not possible yet\|migration failed\|cannot connect' "$work/run.log"; then
      got=refused
    elif ! kill -0 "$pid" 2>/dev/null; then
      # It may have written its success and exited since the first grep.
      if grep -q '"migrations applied"' "$work/run.log"; then got=ok; else got=refused; fi
    fi
    [[ -n $got ]] && break
    sleep 0.1
  done
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  if [[ $got == "$outcome" ]]; then
    echo "PASS: $what ($outcome): $(grep -o '"status[a-z_]*":"[^"]*' "$work/run.log" | head -1)"
  else
    echo "FAIL: $what: expected $outcome, got ${got:-nothing in 60 s}"
    tail -5 "$work/run.log"
    failures=$((failures + 1))
  fi
}
expect ok "TLS with the server's CA" 127.0.0.1 "$port" gongkai_tls "$password" "$work/ca.pem"
expect refused "plain TCP to a user that requires SSL" 127.0.0.1 "$port" gongkai_tls "$password"
expect refused "TLS with another CA" 127.0.0.1 "$port" gongkai_tls "$password" "$work/other.pem"
if [[ -n ${GONGKAI_TEST_MYSQL_PORT:-} ]]; then
  expect refused "the CA set, a server without TLS" "${GONGKAI_TEST_MYSQL_HOST:-127.0.0.1}" \
    "$GONGKAI_TEST_MYSQL_PORT" "$GONGKAI_TEST_MYSQL_USER" "$GONGKAI_TEST_MYSQL_PASSWORD" \
    "$work/ca.pem"
fi
((failures == 0))
