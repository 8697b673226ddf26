#!/usr/bin/env bash
# tests/bench/opinion.sh — the opinion service's bench (issue 11), called by run.sh.
#
# Prints figures, asserts nothing. Self-contained: builds its targets (through the
# shared build lock), starts its own MariaDB (.gongkai/bench-opinion/mariadb), the
# catalog (the calendar and units the opinion service reads) and gongkai-opinion on free
# ports with a temporary JWT secret, and stops everything on exit.
#
#   1. Writes GONGKAI_BENCH_OPINION_EVENTS (default 100,000) open events, each with a
#      running clock, straight into the service's database (gongkai-opinion-bench load);
#      GONGKAI_BENCH_OPINION_DUE (default 2,000) of them fall due evenly over 20 s,
#      starting 45 s later.
#   2. Idle scheduler: the service's CPU time (utime+stime from /proc) over 20 s while
#      nothing is due, as a share of one core (target: under 2 %).
#   3. Breaches: after the window, how late each breach was recorded after its deadline
#      (p50, p99, max; target p99 within 1 s), and whether any was recorded twice.
#
#   tests/bench/opinion.sh [--no-build]
set -euo pipefail

GONGKAI_ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
# shellcheck source=deploy/scripts/common.sh
source "$GONGKAI_ROOT/deploy/scripts/common.sh"
# shellcheck source=deploy/scripts/mariadb.sh
source "$GONGKAI_ROOT/deploy/scripts/mariadb.sh"

BUILD="$GONGKAI_ROOT/build"
STATE="$GONGKAI_ROOT/.gongkai/bench-opinion"
MARIADB_DIR="$STATE/mariadb"
CATALOG_BIN="$BUILD/services/catalog/gongkai-catalog"
OPINION_BIN="$BUILD/services/opinion/gongkai-opinion"
BENCH_BIN="$BUILD/services/opinion/gongkai-opinion-bench"
HEALTH_BIN="$BUILD/libs/server/gongkai-healthcheck"
EVENTS=${GONGKAI_BENCH_OPINION_EVENTS:-100000}
DUE=${GONGKAI_BENCH_OPINION_DUE:-2000}
IDLE_SECONDS=${GONGKAI_BENCH_OPINION_IDLE:-20}
DB_USER=gongkai_bench

if [[ ${1:-} != --no-build ]]; then
  with_build_lock cmake --build "$BUILD" -j2 --target gongkai-catalog gongkai-opinion \
    gongkai-opinion-bench gongkai-healthcheck
fi

RUN_DIR=$(mktemp -d)
PIDS=()
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do stop_pid service "$pid" 30 || true; done
  mariadb_stop "$MARIADB_DIR" || true
  rm -rf "$RUN_DIR"
}
trap cleanup EXIT

free_port() {
  local port=$1
  while port_in_use "$port"; do port=$((port + 1)); done
  echo "$port"
}

mkdir -p "$STATE"
mariadb_stop "$MARIADB_DIR" || true
mariadb_init "$MARIADB_DIR"
DB_PORT=$(free_port 3580)
mariadb_start "$MARIADB_DIR" "$DB_PORT" --innodb-buffer-pool-size=512M --max-connections=200
PASSWORD=$(random_hex 16)
write_secret "$RUN_DIR/db-password" "$PASSWORD"
write_secret "$RUN_DIR/jwt.key" "$(random_hex 32)"
write_secret "$RUN_DIR/applicant.key" "$(random_hex 32)"
mariadb_sql "$MARIADB_DIR" <<SQL
CREATE USER IF NOT EXISTS '$DB_USER'@'127.0.0.1' IDENTIFIED BY '$PASSWORD';
ALTER USER '$DB_USER'@'127.0.0.1' IDENTIFIED BY '$PASSWORD';
GRANT ALL PRIVILEGES ON *.* TO '$DB_USER'@'127.0.0.1';
DROP DATABASE IF EXISTS bench_catalog;
CREATE DATABASE bench_catalog CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
DROP DATABASE IF EXISTS bench_opinion;
CREATE DATABASE bench_opinion CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
SQL

common_env=(GONGKAI_GRPC_ADDRESS=127.0.0.1:0 GONGKAI_METRICS_ADDRESS=127.0.0.1:0
  GONGKAI_DB_HOST=127.0.0.1 GONGKAI_DB_PORT="$DB_PORT" GONGKAI_DB_USER="$DB_USER"
  GONGKAI_DB_PASSWORD_FILE="$RUN_DIR/db-password" GONGKAI_JWT_HS256_SECRET_FILE="$RUN_DIR/jwt.key"
  GONGKAI_JWT_ISSUER=gongkai-bench GONGKAI_JWT_AUDIENCE=gongkai)

# start NAME LOGFILE ENV...: starts build/services/NAME/gongkai-NAME, waits for SERVING;
# sets STARTED_PID and STARTED_GRPC.
start() {
  local name=$1 logfile=$2 line deadline=$((SECONDS + 120))
  shift 2
  env "${common_env[@]}" "$@" "$BUILD/services/$name/gongkai-$name" serve </dev/null >"$logfile" 2>&1 &
  STARTED_PID=$!
  PIDS+=("$STARTED_PID")
  until line=$(grep -m1 "\"$name listening\"" "$logfile" 2>/dev/null); do
    process_running "$STARTED_PID" || { show_log_tail "$logfile"; die "gongkai-$name exited"; }
    ((SECONDS < deadline)) || die "gongkai-$name did not start listening"
    sleep 0.1
  done
  STARTED_GRPC="127.0.0.1:$(jq -r .grpc_port <<<"$line")"
  "$HEALTH_BIN" --addr="$STARTED_GRPC" --wait=120s >/dev/null 2>&1 ||
    { show_log_tail "$logfile"; die "gongkai-$name did not become SERVING"; }
}

start catalog "$STATE/catalog.log" GONGKAI_DB_NAME=bench_catalog \
  GONGKAI_APPLICANT_KEY_SECRET_FILE="$RUN_DIR/applicant.key" GONGKAI_PEERS=interpretation=127.0.0.1:1
CATALOG_GRPC=$STARTED_GRPC
start opinion "$STATE/opinion.log" GONGKAI_DB_NAME=bench_opinion \
  GONGKAI_CALENDAR_ADDRESS="$CATALOG_GRPC" GONGKAI_PEERS="catalog=$CATALOG_GRPC,interpretation=127.0.0.1:1" \
  GONGKAI_OPINION_REPLICA=bench
OPINION_PID=$STARTED_PID

bench_db=(--db_port="$DB_PORT" --db_name=bench_opinion --db_user="$DB_USER" --db_password="$PASSWORD")
load_start=$SECONDS
DUE_FROM=$((IDLE_SECONDS + 25))
"$BENCH_BIN" --mode=load "${bench_db[@]}" --events="$EVENTS" --due="$DUE" \
  --due_from="${DUE_FROM}s" --due_spread=20s
loaded_at=$SECONDS
log "loaded in $((loaded_at - load_start))s"

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
sleep 2
ticks_before=$(cpu_ticks "$OPINION_PID")
sleep "$IDLE_SECONDS"
ticks_after=$(cpu_ticks "$OPINION_PID")
hz=$(getconf CLK_TCK)
idle_pct=$(awk -v t=$((ticks_after - ticks_before)) -v hz="$hz" -v s="$IDLE_SECONDS" \
  'BEGIN { printf "%.2f", 100 * t / hz / s }')

# Wait until 5 s past the end of the window.
sleep $((loaded_at + DUE_FROM + 20 + 5 - SECONDS))
ticks_end=$(cpu_ticks "$OPINION_PID")
report=$("$BENCH_BIN" --mode=report "${bench_db[@]}")
busy_cpu_ms=$(awk -v t=$((ticks_end - ticks_after)) -v hz="$hz" 'BEGIN { printf "%.0f", 1000 * t / hz }')
per_breach_ms=$(awk -v ms="$busy_cpu_ms" -v n="$DUE" 'BEGIN { if (n > 0) printf "%.2f", ms / n; else print 0 }')

printf '\n== opinion: clock scheduler (%s open events, %s breaches in 20 s) ==\n' "$EVENTS" "$DUE"
printf 'idle scheduler CPU            %s %% of one core over %ss   (target < 2 %%)\n' "$idle_pct" "$IDLE_SECONDS"
printf 'breach recording              %s   (target p99 <= 1000 ms)\n' "$report"
printf 'CPU during the breach window  %s ms, %s ms per breach recorded\n' "$busy_cpu_ms" "$per_breach_ms"
