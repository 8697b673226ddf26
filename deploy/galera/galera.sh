#!/usr/bin/env bash
# A three-node MariaDB Galera cluster on loopback, for tests and for trying the suite on
# a distributed database (issue 17). Debian 12's galera-4 and mariadb-server; rsync SST.
#
#   deploy/galera/galera.sh start DIR [BASE_PORT]   bootstrap node 1, join 2 and 3, wait
#                                                   until wsrep_cluster_size=3, all Synced
#   deploy/galera/galera.sh stop DIR                clean shutdown, node 3 first
#   deploy/galera/galera.sh status DIR              one line per node (pid, port, state)
#   deploy/galera/galera.sh hosts DIR               127.0.0.1:P1,127.0.0.1:P2,127.0.0.1:P3
#                                                   (a GONGKAI_DB_HOST value)
#   deploy/galera/galera.sh kill-node DIR N         SIGKILL node N (a crash, for tests)
#   deploy/galera/galera.sh start-node DIR N        (re)start node N; it rejoins (IST/SST)
#   deploy/galera/galera.sh wait DIR SIZE [SECONDS] until SIZE nodes are Synced
#   deploy/galera/galera.sh create-admin DIR USER PASSWORD
#   deploy/galera/galera.sh ensure-db DIR DATABASE USER PASSWORD
#   deploy/galera/galera.sh sql DIR N               SQL on stdin as root on node N
#
# DIR holds node1/ node2/ node3/, each laid out like a ./gongkai MariaDB instance
# (data/, mariadb.sock, mariadb.pid, mariadb.log; deploy/scripts/mariadb.sh), plus
# ports (the BASE_PORT it was started with). Ports, from BASE_PORT (default 4400), for
# node N: client BASE+N, group communication BASE+10+N, IST BASE+20+N, SST BASE+30+N.
# Users and databases are created on the first Synced node and replicate (CREATE USER/GRANT are
# replicated by Galera like DDL).
set -euo pipefail

GONGKAI_ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
# shellcheck source=deploy/scripts/common.sh
source "$GONGKAI_ROOT/deploy/scripts/common.sh"
# shellcheck source=deploy/scripts/mariadb.sh
source "$GONGKAI_ROOT/deploy/scripts/mariadb.sh"

GALERA_PROVIDER=${GONGKAI_GALERA_PROVIDER:-/usr/lib/galera/libgalera_smm.so}
GALERA_NODES=3
# The rsync state transfer runs an rsync daemon on the joiner; started by root it drops
# to `nobody` and cannot write the data directory. So under root the nodes run as the
# `mysql` user that mariadb-server creates (and own their directories).
if [[ $(id -u) == 0 ]]; then GALERA_USER=mysql; else GALERA_USER=$(id -un); fi

galera_base_port() {
  local dir=$1
  if [[ -s $dir/ports ]]; then cat "$dir/ports"; else printf '%s\n' "${2:-4400}"; fi
}
client_port() { echo $(($(galera_base_port "$1") + $2)); }
gcomm_port() { echo $(($(galera_base_port "$1") + 10 + $2)); }
ist_port() { echo $(($(galera_base_port "$1") + 20 + $2)); }
sst_port() { echo $(($(galera_base_port "$1") + 30 + $2)); }

cluster_address() {
  local dir=$1 n list=""
  for ((n = 1; n <= GALERA_NODES; n++)); do
    list+="${list:+,}127.0.0.1:$(gcomm_port "$dir" "$n")"
  done
  printf 'gcomm://%s\n' "$list"
}

# status_var DIR N NAME: a SHOW STATUS value of node N (empty when it does not answer).
status_var() {
  mariadb --no-defaults --socket="$(mariadb_socket "$1/node$2")" --user=root \
    --connect-timeout=2 --batch --skip-column-names \
    -e "SHOW STATUS LIKE '$3'" 2>/dev/null | cut -f2 || true
}

check_prerequisites() {
  [[ -r $GALERA_PROVIDER ]] || die "Galera provider $GALERA_PROVIDER not found (apt-get install galera-4)"
  command -v rsync >/dev/null || die "rsync is needed for state transfers (apt-get install rsync)"
  command -v mariadbd >/dev/null || die "mariadbd not found (apt-get install mariadb-server)"
}

# start_node DIR N [--wsrep-new-cluster]: launches node N and returns once mariadbd is
# running (joining happens in the background; `wait` checks it).
start_node() {
  local dir=$1 n=$2 bootstrap=${3:-} node="$1/node$2" port
  port=$(client_port "$dir" "$n")
  if mariadb_pid "$node" >/dev/null; then
    log "galera node $n already running (pid $(mariadb_pid "$node"))"
    return 0
  fi
  port_in_use "$port" && die "port $port is in use; choose another BASE_PORT"
  mkdir -p "$node/data"
  chmod 700 "$node"
  if [[ -n $bootstrap && ! -f $node/initialized ]]; then
    galera_init "$node"
  fi
  [[ $(id -u) == 0 ]] && chown -R "$GALERA_USER:" "$node"
  local provider_options
  # Loopback timings: a crashed node is suspected after 3 s and evicted after 6 s
  # (defaults 5 s / 15 s), so a test sees the cluster recover quickly.
  provider_options="base_host=127.0.0.1;base_port=$(gcomm_port "$dir" "$n");ist.recv_addr=127.0.0.1:$(ist_port "$dir" "$n");gcache.size=64M;evs.keepalive_period=PT1S;evs.inactive_check_period=PT1S;evs.suspect_timeout=PT3S;evs.inactive_timeout=PT6S;evs.install_timeout=PT6S"
  log "starting galera node $n on 127.0.0.1:$port${bootstrap:+ (bootstrapping a new cluster)} (log: $node/mariadb.log)"
  # shellcheck disable=SC2016  # $$ and $@ belong to the inner shell.
  setsid bash -c 'echo $$ >"$0"; exec "$@"' "$node/mariadbd.launch-pid" \
    mariadbd --defaults-file="$GONGKAI_MARIADB_CNF" \
    --skip-networking=0 --bind-address=127.0.0.1 --port="$port" \
    --socket="$(mariadb_socket "$node")" --pid-file="$node/mariadb.pid" --datadir="$node/data" \
    --log-error="$node/mariadb.log" --user="$GALERA_USER" \
    --innodb-buffer-pool-size=128M --innodb-flush-log-at-trx-commit=2 \
    --binlog-format=ROW --default-storage-engine=InnoDB --innodb-autoinc-lock-mode=2 \
    --wsrep-on=ON --wsrep-provider="$GALERA_PROVIDER" \
    --wsrep-cluster-name=gongkai --wsrep-node-name="node$n" \
    --wsrep-cluster-address="$(cluster_address "$dir")" \
    --wsrep-node-address="127.0.0.1:$(gcomm_port "$dir" "$n")" \
    --wsrep-node-incoming-address="127.0.0.1:$port" \
    --wsrep-sst-receive-address="127.0.0.1:$(sst_port "$dir" "$n")" \
    --wsrep-sst-method=rsync --wsrep-slave-threads=2 \
    --wsrep-provider-options="$provider_options" \
    ${bootstrap:+--wsrep-new-cluster} \
    </dev/null >>"$node/mariadb.log" 2>&1 &
  await_ready "galera node $n" "$node/mariadbd.launch-pid" "$node/mariadb.log" 60 start \
    test -s "$node/mariadb.pid"
}

# galera_init NODE_DIR: the first node's data directory (the others receive theirs by
# state transfer). As mariadb_init, but owned by GALERA_USER.
galera_init() {
  local node=$1
  rm -rf "$node/data"
  mkdir -p "$node/data"
  [[ $(id -u) == 0 ]] && chown -R "$GALERA_USER:" "$node"
  log "initialising MariaDB data directory $node/data"
  if ! mariadb-install-db --defaults-file="$GONGKAI_MARIADB_CNF" --user="$GALERA_USER" \
    --auth-root-authentication-method=normal --skip-test-db \
    --datadir="$node/data" >"$node/install-db.log" 2>&1; then
    show_log_tail "$node/install-db.log"
    die "mariadb-install-db failed; see $node/install-db.log"
  fi
  : >"$node/initialized.pending"
}

node_synced() {
  [[ $(status_var "$1" "$2" wsrep_local_state_comment) == Synced ]]
}

# wait_cluster DIR SIZE TIMEOUT: until SIZE running nodes report Synced and a cluster
# size of SIZE.
wait_cluster() {
  local dir=$1 size=$2 timeout=${3:-180} deadline n synced
  deadline=$((SECONDS + timeout))
  while true; do
    synced=0
    for ((n = 1; n <= GALERA_NODES; n++)); do
      mariadb_pid "$dir/node$n" >/dev/null || continue
      if node_synced "$dir" "$n" && [[ $(status_var "$dir" "$n" wsrep_cluster_size) == "$size" ]]; then
        synced=$((synced + 1))
      fi
    done
    ((synced == size)) && return 0
    if ((SECONDS >= deadline)); then
      for ((n = 1; n <= GALERA_NODES; n++)); do show_log_tail "$dir/node$n/mariadb.log" 8; done
      die "galera cluster in $dir: $synced of $size nodes Synced after ${timeout}s"
    fi
    sleep 0.5
  done
}

# The node that may bootstrap after a full stop: the one grastate.dat marks safe, else 1.
bootstrap_node() {
  local dir=$1 n
  for ((n = 1; n <= GALERA_NODES; n++)); do
    if grep -qs '^safe_to_bootstrap: 1' "$dir/node$n/data/grastate.dat"; then
      echo "$n"
      return
    fi
  done
  echo 1
}

any_node_running() {
  local dir=$1 n
  for ((n = 1; n <= GALERA_NODES; n++)); do
    mariadb_pid "$dir/node$n" >/dev/null && return 0
  done
  return 1
}

cmd_start() {
  local dir=$1 base=${2:-4400} first n
  check_prerequisites
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  # The nodes' user must be able to reach its directory.
  [[ $(id -u) == 0 ]] && chmod o+x "$dir"
  [[ -s $dir/ports ]] || printf '%s\n' "$base" >"$dir/ports"
  if any_node_running "$dir"; then
    for ((n = 1; n <= GALERA_NODES; n++)); do start_node "$dir" "$n"; done
  else
    first=$(bootstrap_node "$dir")
    start_node "$dir" "$first" --wsrep-new-cluster
    wait_cluster "$dir" 1 120
    if [[ -f $dir/node$first/initialized.pending ]]; then
      # TCP root logins without a password are not wanted, even on loopback.
      mariadb_sql "$dir/node$first" <<SQL
DROP USER IF EXISTS 'root'@'127.0.0.1', 'root'@'::1', 'root'@'$(uname -n)';
FLUSH PRIVILEGES;
SQL
      mv "$dir/node$first/initialized.pending" "$dir/node$first/initialized"
    fi
    for ((n = 1; n <= GALERA_NODES; n++)); do
      ((n == first)) || start_node "$dir" "$n"
    done
  fi
  wait_cluster "$dir" "$GALERA_NODES" 240
  log "galera cluster up: $(cmd_hosts "$dir")"
}

cmd_stop() {
  local dir=$1 n
  for ((n = GALERA_NODES; n >= 1; n--)); do
    [[ -d $dir/node$n ]] && mariadb_stop "$dir/node$n"
  done
  return 0
}

cmd_hosts() {
  local dir=$1 n list=""
  for ((n = 1; n <= GALERA_NODES; n++)); do
    list+="${list:+,}127.0.0.1:$(client_port "$dir" "$n")"
  done
  printf '%s\n' "$list"
}

cmd_status() {
  local dir=$1 n pid
  printf '%-6s %-8s %-16s %-10s %s\n' NODE PID ADDRESS STATE CLUSTER_SIZE
  for ((n = 1; n <= GALERA_NODES; n++)); do
    if pid=$(mariadb_pid "$dir/node$n"); then
      printf '%-6s %-8s %-16s %-10s %s\n' "node$n" "$pid" "127.0.0.1:$(client_port "$dir" "$n")" \
        "$(status_var "$dir" "$n" wsrep_local_state_comment)" "$(status_var "$dir" "$n" wsrep_cluster_size)"
    else
      printf '%-6s %-8s %-16s %-10s %s\n' "node$n" - "127.0.0.1:$(client_port "$dir" "$n")" DOWN -
    fi
  done
}

# The first running node (statements replicate from any of them).
running_node() {
  local dir=$1 n
  for ((n = 1; n <= GALERA_NODES; n++)); do
    if mariadb_pid "$dir/node$n" >/dev/null && node_synced "$dir" "$n"; then
      echo "$n"
      return 0
    fi
  done
  die "no galera node in $dir is running and Synced"
}

cmd_kill_node() {
  local dir=$1 n=$2 pid
  pid=$(mariadb_pid "$dir/node$n") || die "galera node $n is not running"
  log "SIGKILL galera node $n (pid $pid)"
  kill -KILL "$pid"
  wait_pid_exit "$pid" 30 || die "galera node $n (pid $pid) survived SIGKILL"
}

main() {
  local cmd=${1:-help}
  (($#)) && shift
  case $cmd in
    start) (($# >= 1)) || die "usage: start DIR [BASE_PORT]"; cmd_start "$@" ;;
    stop) (($# == 1)) || die "usage: stop DIR"; cmd_stop "$1" ;;
    status) (($# == 1)) || die "usage: status DIR"; cmd_status "$1" ;;
    hosts) (($# == 1)) || die "usage: hosts DIR"; cmd_hosts "$1" ;;
    kill-node) (($# == 2)) || die "usage: kill-node DIR N"; cmd_kill_node "$1" "$2" ;;
    start-node) (($# == 2)) || die "usage: start-node DIR N"; check_prerequisites; start_node "$1" "$2" ;;
    wait) (($# >= 2)) || die "usage: wait DIR SIZE [SECONDS]"; wait_cluster "$1" "$2" "${3:-180}" ;;
    create-admin) (($# == 3)) || die "usage: create-admin DIR USER PASSWORD"; mariadb_create_admin "$1/node$(running_node "$1")" "$2" "$3" ;;
    ensure-db) (($# == 4)) || die "usage: ensure-db DIR DATABASE USER PASSWORD"; mariadb_ensure_service_db "$1/node$(running_node "$1")" "$2" "$3" "$4" ;;
    sql) (($# == 2)) || die "usage: sql DIR N"; mariadb_sql "$1/node$2" ;;
    help | -h | --help) sed -n '2,24p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' ;;
    *) die "unknown command $cmd (see: $0 help)" ;;
  esac
}

main "$@"
