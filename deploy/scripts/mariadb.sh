# shellcheck shell=bash
# MariaDB instances owned by ./gongkai: the dev instance under .gongkai/mariadb and the
# throw-away test instance in a temporary directory. Never touches the system service.
# Sourced by ./gongkai.
#
# An instance is a directory DIR holding data/, mariadb.sock, mariadb.pid and
# mariadb.log (the socket moves to /tmp when DIR is too long for a unix socket path).

GONGKAI_MARIADB_CNF="$GONGKAI_ROOT/deploy/mariadb/gongkai.cnf"

# mariadb_socket DIR: the socket path of the instance in DIR.
mariadb_socket() {
  local dir=$1 socket="$1/mariadb.sock"
  # sun_path holds 108 bytes; a deep checkout would overflow it.
  if ((${#socket} > 100)); then
    socket="${TMPDIR:-/tmp}/gongkai-mariadb-$(printf '%s' "$dir" | md5sum | cut -c1-12).sock"
  fi
  printf '%s\n' "$socket"
}

# mariadb_pid DIR: prints the pid of the running instance in DIR, fails if none.
mariadb_pid() {
  pid_from_file "$1/mariadb.pid" mariadbd
}

# mariadb_init DIR: creates DIR/data once (root@localhost over the socket only).
mariadb_init() {
  local dir=$1
  [[ -f $dir/initialized ]] && return 0
  rm -rf "$dir/data"
  mkdir -p "$dir/data"
  chmod 700 "$dir"
  log "initialising MariaDB data directory $dir/data"
  if ! mariadb-install-db --defaults-file="$GONGKAI_MARIADB_CNF" --user="$(id -un)" \
    --auth-root-authentication-method=normal --skip-test-db \
    --datadir="$dir/data" >"$dir/install-db.log" 2>&1; then
    show_log_tail "$dir/install-db.log"
    die "mariadb-install-db failed; see $dir/install-db.log"
  fi
  : >"$dir/initialized.pending"
}

# mariadb_start DIR PORT [MARIADBD_OPTION...]: starts the instance and waits until it
# answers a ping. Fails with the log tail if it dies or does not answer in 60 s.
mariadb_start() {
  local dir=$1 port=$2
  shift 2
  local socket
  socket=$(mariadb_socket "$dir")
  if port_in_use "$port"; then
    die "port $port on 127.0.0.1 is already in use by another process (./gongkai up: set GONGKAI_MYSQL_PORT)"
  fi
  log "starting MariaDB on 127.0.0.1:$port (log: $dir/mariadb.log)"
  # bash -c records the real pid even if setsid has to fork.
  # shellcheck disable=SC2016  # $$ and $@ belong to the inner shell.
  setsid bash -c 'echo $$ >"$0"; exec "$@"' "$dir/mariadbd.launch-pid" \
    mariadbd --defaults-file="$GONGKAI_MARIADB_CNF" \
    --skip-networking=0 --bind-address=127.0.0.1 --port="$port" \
    --socket="$socket" --pid-file="$dir/mariadb.pid" --datadir="$dir/data" \
    --log-error="$dir/mariadb.log" --user="$(id -un)" "$@" \
    </dev/null >>"$dir/mariadb.log" 2>&1 &
  await_ready MariaDB "$dir/mariadbd.launch-pid" "$dir/mariadb.log" 60 answer \
    mariadb_ping "$dir"
  printf '%s\n' "$port" >"$dir/mariadb.port"
  if [[ -f $dir/initialized.pending ]]; then
    # TCP root logins without a password are not wanted, even on loopback.
    mariadb_sql "$dir" <<SQL
DROP USER IF EXISTS 'root'@'127.0.0.1', 'root'@'::1', 'root'@'$(uname -n)';
DELETE FROM mysql.proxies_priv WHERE Host <> 'localhost';
FLUSH PRIVILEGES;
SQL
    mv "$dir/initialized.pending" "$dir/initialized"
  fi
}

# mariadb_ping DIR: succeeds when the instance answers on its socket.
mariadb_ping() {
  mariadb-admin --no-defaults --socket="$(mariadb_socket "$1")" --user=root \
    --connect-timeout=2 ping >/dev/null 2>&1
}

# mariadb_sql DIR: runs the SQL on stdin as root over the socket (batch, no headers).
mariadb_sql() {
  mariadb --no-defaults --socket="$(mariadb_socket "$1")" --user=root \
    --batch --skip-column-names
}

# mariadb_stop DIR: clean shutdown, then SIGTERM, then SIGKILL after a timeout.
mariadb_stop() {
  local dir=$1 pid
  pid=$(mariadb_pid "$dir") || return 0
  log "stopping MariaDB (pid $pid)"
  mariadb-admin --no-defaults --socket="$(mariadb_socket "$dir")" --user=root \
    --connect-timeout=5 shutdown >/dev/null 2>&1 || true
  wait_pid_exit "$pid" 60 || stop_pid MariaDB "$pid" 30
  rm -f "$dir/mariadb.port" "$dir/mariadbd.launch-pid"
}

# mariadb_ensure_service_db DIR DATABASE USER PASSWORD: database plus a user that may
# use only that database. Safe to repeat; resets the password to PASSWORD.
mariadb_ensure_service_db() {
  local dir=$1 db=$2 user=$3 password=$4
  [[ $db =~ ^[a-z0-9_]+$ && $user =~ ^[a-z0-9_]+$ && $password =~ ^[a-f0-9]+$ ]] ||
    die "refusing unsafe database name, user or password for $db"
  mariadb_sql "$dir" <<SQL || die "could not create database $db and user $user"
CREATE DATABASE IF NOT EXISTS \`$db\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS '$user'@'127.0.0.1' IDENTIFIED BY '$password';
ALTER USER '$user'@'127.0.0.1' IDENTIFIED BY '$password';
GRANT ALL PRIVILEGES ON \`$db\`.* TO '$user'@'127.0.0.1';
SQL
}

# mariadb_create_admin DIR USER PASSWORD: a user that may create and drop databases,
# create users and grant (for tests), reachable over TCP and the socket.
mariadb_create_admin() {
  local dir=$1 user=$2 password=$3
  mariadb_sql "$dir" <<SQL || die "could not create MariaDB user $user"
CREATE USER '$user'@'127.0.0.1' IDENTIFIED BY '$password';
CREATE USER '$user'@'localhost' IDENTIFIED BY '$password';
GRANT ALL PRIVILEGES ON *.* TO '$user'@'127.0.0.1' WITH GRANT OPTION;
GRANT ALL PRIVILEGES ON *.* TO '$user'@'localhost' WITH GRANT OPTION;
SQL
}
