#!/usr/bin/env bash
# A MariaDB instance of its own for the resilience tests (tests/resilience/), which kill
# and restart it: laid out like ./gongkai's instances (deploy/scripts/mariadb.sh) in a
# directory the caller owns, with gongkai.cnf's production settings (every commit on
# disk), never the shared test instance of `./gongkai test`.
#
#   mariadb_instance.sh start DIR PORT [relaxed]      init once, start, wait until it answers
#                                                     (relaxed: commits flushed once a second,
#                                                     for scenarios that do not kill it)
#   mariadb_instance.sh stop DIR                      clean shutdown
#   mariadb_instance.sh create-admin DIR USER PASSWORD
#   mariadb_instance.sh sql DIR                       SQL on stdin as root
#
# The SIGKILL itself is sent by the test to the pid in DIR/mariadb.pid.
set -euo pipefail
GONGKAI_ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
# shellcheck source=deploy/scripts/common.sh
source "$GONGKAI_ROOT/deploy/scripts/common.sh"
# shellcheck source=deploy/scripts/mariadb.sh
source "$GONGKAI_ROOT/deploy/scripts/mariadb.sh"

command=${1:?usage: mariadb_instance.sh start|stop|create-admin|sql DIR ...}
dir=${2:?DIR missing}
case $command in
  start)
    mariadb_init "$dir"
    options=(--innodb-buffer-pool-size=64M --max-connections=200)
    if [[ ${4:-} == relaxed ]]; then
      options+=(--innodb-flush-log-at-trx-commit=2 --innodb-doublewrite=0 --sync-binlog=0)
    fi
    mariadb_start "$dir" "${3:?PORT missing}" "${options[@]}"
    ;;
  stop) mariadb_stop "$dir" ;;
  create-admin) mariadb_create_admin "$dir" "${3:?USER missing}" "${4:?PASSWORD missing}" ;;
  sql) mariadb_sql "$dir" ;;
  *) die "unknown command $command" ;;
esac
