#!/usr/bin/env bash
# tests/bench/assessment.sh — issue 13's figure: one full assessment run over 40 units x
# 15 inspection items, the evidence calls made in parallel (target <= 5 s), with the
# CPU time the assessment and the catalog spent per run. Prints figures, never asserts;
# exits non-zero only when something broke (build, MariaDB, a service, a run that did
# not complete). Called from tests/bench/run.sh; runs on its own too:
#
#   tests/bench/assessment.sh [--no-build]
#
# Starts its own MariaDB (data under .gongkai/bench-assessment), gongkai-catalog and
# gongkai-assessment on free ports. The units and their documents are created through
# the catalog's API. Items of services that are not running on this tree
# (consultation, interpretation, opinion, website) are answered by a stand-in
# evidence service the driver hosts, so every one of the 15 items is fetched over gRPC;
# to measure against the real services, start them and set
#   GONGKAI_BENCH_PEERS="consultation=...,interpretation=...,opinion=...,website=..."
# Settings: GONGKAI_BENCH_UNITS=40, GONGKAI_BENCH_RUNS=3, GONGKAI_BENCH_PARALLEL_CALLS=16.
set -euo pipefail

GONGKAI_ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
# shellcheck source=deploy/scripts/common.sh
source "$GONGKAI_ROOT/deploy/scripts/common.sh"
# shellcheck source=deploy/scripts/mariadb.sh
source "$GONGKAI_ROOT/deploy/scripts/mariadb.sh"

BUILD="$GONGKAI_ROOT/build"
STATE="$GONGKAI_ROOT/.gongkai/bench-assessment"
MARIADB_DIR="$STATE/mariadb"
CATALOG_BIN="$BUILD/services/catalog/gongkai-catalog"
ASSESSMENT_BIN="$BUILD/services/assessment/gongkai-assessment"
DRIVER_BIN="$BUILD/services/assessment/gongkai-assessment-bench"
HEALTH_BIN="$BUILD/libs/server/gongkai-healthcheck"
UNITS=${GONGKAI_BENCH_UNITS:-40}
RUNS=${GONGKAI_BENCH_RUNS:-3}
PARALLEL=${GONGKAI_BENCH_PARALLEL_CALLS:-16}
ISSUER=gongkai-bench
AUDIENCE=gongkai
DB_USER=gongkai_bench

BUILD_FIRST=1
[[ ${1:-} == --no-build ]] && BUILD_FIRST=0
[[ -z ${1:-} || ${1:-} == --no-build ]] || die "usage: tests/bench/assessment.sh [--no-build]"

RUN_DIR=$(mktemp -d)
CATALOG_PID=""
ASSESSMENT_PID=""

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  [[ -n $ASSESSMENT_PID ]] && { stop_pid gongkai-assessment "$ASSESSMENT_PID" 30 || true; }
  [[ -n $CATALOG_PID ]] && { stop_pid gongkai-catalog "$CATALOG_PID" 30 || true; }
  mariadb_stop "$MARIADB_DIR" || true
  rm -rf "$RUN_DIR"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

free_port() {
  local port=$1
  while port_in_use "$port"; do
    ((port < $1 + 200)) || die "no free port in $1..$((port))"
    port=$((port + 1))
  done
  printf '%s\n' "$port"
}

if ((BUILD_FIRST)); then
  log "building gongkai-catalog gongkai-assessment gongkai-assessment-bench gongkai-healthcheck"
  flock /tmp/gongkai-build.lock cmake --build "$BUILD" -j2 --target gongkai-catalog \
    gongkai-assessment gongkai-assessment-bench gongkai-healthcheck >"$RUN_DIR/build.log" 2>&1 ||
    { show_log_tail "$RUN_DIR/build.log" 40; die "build failed"; }
fi

# MariaDB, one database per service.
mkdir -p "$STATE"
mariadb_stop "$MARIADB_DIR" || true
rm -rf "$MARIADB_DIR"  # A fresh data set every time: the run's figure is for N units.
mariadb_init "$MARIADB_DIR"
DB_PORT=$(free_port 3560)
mariadb_start "$MARIADB_DIR" "$DB_PORT" --max-connections=300
DB_PASSWORD=$(random_hex 16)
write_secret "$RUN_DIR/db-password" "$DB_PASSWORD"
write_secret "$RUN_DIR/jwt.key" "$(random_hex 32)"
write_secret "$RUN_DIR/applicant.key" "$(random_hex 32)"
mariadb_sql "$MARIADB_DIR" <<SQL || die "could not create the bench databases"
CREATE USER IF NOT EXISTS '$DB_USER'@'127.0.0.1' IDENTIFIED BY '$DB_PASSWORD';
GRANT ALL PRIVILEGES ON *.* TO '$DB_USER'@'127.0.0.1';
CREATE DATABASE bench_catalog CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE DATABASE bench_assessment CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
SQL

common_env() {
  COMMON_ENV=(GONGKAI_METRICS_ADDRESS=127.0.0.1:0 GONGKAI_DB_HOST=127.0.0.1
    GONGKAI_DB_PORT="$DB_PORT" GONGKAI_DB_USER="$DB_USER"
    GONGKAI_DB_PASSWORD_FILE="$RUN_DIR/db-password"
    GONGKAI_JWT_HS256_SECRET_FILE="$RUN_DIR/jwt.key" GONGKAI_JWT_ISSUER="$ISSUER"
    GONGKAI_JWT_AUDIENCE="$AUDIENCE")
}

# start NAME PID_VAR ENV...: starts build/services/NAME, waits until SERVING, sets the
# address in ${NAME^^}_GRPC.
start_service() {
  local name=$1 bin=$2 logfile="$RUN_DIR/$1.log" line deadline=$((SECONDS + 120)) pid
  shift 2
  common_env
  env "${COMMON_ENV[@]}" "$@" "$bin" serve </dev/null >"$logfile" 2>&1 &
  pid=$!
  until line=$(grep -m1 "\"$name listening\"" "$logfile" 2>/dev/null); do
    process_running "$pid" || { show_log_tail "$logfile"; die "gongkai-$name exited during start"; }
    ((SECONDS < deadline)) || die "gongkai-$name did not start listening"
    sleep 0.1
  done
  local address="127.0.0.1:$(jq -r .grpc_port <<<"$line")"
  "$HEALTH_BIN" --addr="$address" --wait=120s >/dev/null 2>&1 ||
    { show_log_tail "$logfile"; die "gongkai-$name did not become SERVING"; }
  printf -v "${name^^}_GRPC" '%s' "$address"
  printf -v "${name^^}_PID" '%s' "$pid"
  log "gongkai-$name (pid $pid) serving on $address"
}

CATALOG_PORT=$(free_port 50551)
start_service catalog "$CATALOG_BIN" GONGKAI_GRPC_ADDRESS="127.0.0.1:$CATALOG_PORT" \
  GONGKAI_DB_NAME=bench_catalog GONGKAI_APPLICANT_KEY_SECRET_FILE="$RUN_DIR/applicant.key" \
  GONGKAI_PEERS=interpretation=127.0.0.1:1

STAND_IN_PORT=0
if [[ -n ${GONGKAI_BENCH_PEERS:-} ]]; then
  PEERS="catalog=$CATALOG_GRPC,$GONGKAI_BENCH_PEERS"
  STAND_IN_WHAT="the real services ($GONGKAI_BENCH_PEERS)"
else
  STAND_IN_PORT=$(free_port 50590)
  PEERS="catalog=$CATALOG_GRPC"
  for peer in consultation interpretation opinion website; do
    PEERS+=",$peer=127.0.0.1:$STAND_IN_PORT"
  done
  STAND_IN_WHAT="a stand-in evidence service for consultation, interpretation, opinion, website"
fi
start_service assessment "$ASSESSMENT_BIN" GONGKAI_GRPC_ADDRESS=127.0.0.1:0 \
  GONGKAI_DB_NAME=bench_assessment GONGKAI_PEERS="$PEERS" \
  GONGKAI_CALENDAR_ADDRESS="$CATALOG_GRPC" GONGKAI_ASSESSMENT_POLL=50ms \
  GONGKAI_ASSESSMENT_PARALLEL_CALLS="$PARALLEL" GONGKAI_DB_POOL_SIZE=16

log "assessment bench: $UNITS units, $RUNS runs, $PARALLEL parallel evidence calls, $STAND_IN_WHAT"
"$DRIVER_BIN" --catalog="$CATALOG_GRPC" --assessment="$ASSESSMENT_GRPC" \
  --secret_file="$RUN_DIR/jwt.key" --issuer="$ISSUER" --audience="$AUDIENCE" \
  --units="$UNITS" --runs="$RUNS" --stand_in_port="$STAND_IN_PORT" \
  --assessment_pid="$ASSESSMENT_PID" --catalog_pid="$CATALOG_PID" ||
  { show_log_tail "$RUN_DIR/assessment.log" 40; die "the assessment bench broke"; }
