#!/usr/bin/env bash
# tests/bench/run.sh — the gongkai benchmark, run by `./gongkai bench [ARGS]`.
#
# Prints figures and compares them with the targets in docs/performance.md; a missed
# target is reported, not a failure. Exits non-zero only when something broke: a
# build, MariaDB or a service that would not start, or calls that failed under load.
#
#   tests/bench/run.sh [--no-build] [--skip-scale | --scale-only | --catalog-only | --gateway-only]
#
# Self-contained: builds its targets in build/ (through the shared build lock), starts
# its own MariaDB on a free port (data under .gongkai/bench/mariadb, kept between runs
# so the large data set is loaded once), starts gongkai-catalog on free ports with a
# temporary JWT secret, and stops everything on exit.
#
# Phase 1 (a fresh, almost empty database): health Check vs GetDocument req/s,
# CreateDocument vs `sysbench oltp_insert` (durable commits, same concurrency), the
# service's resident memory idle and under that load; then the REST gateway in front of
# the same service: GetDocument as GET /v1/documents/{id} with wrk against the same
# call made directly over gRPC (throughput at the same concurrency, and the median
# at one client, where the difference is the latency the gateway adds).
# --catalog-only: phase 1's catalog figures alone (no gateway, other services' phases
# or scale phase), for iterating on the catalog.
# --gateway-only: phase 1's seeding, then only the gateway figures (tests/bench/gateway.sh:
# direct gRPC, gongkai-gateway and the grpc-gateway peer, CPU per request and memory).
# Phase 2 (GONGKAI_BENCH_DOCS documents, default 1,000,000; 0 skips it): ListDocuments
# and SearchDocuments with GONGKAI_BENCH_SCALE_CONCURRENCY clients (issue 14 P5: 32),
# twice: with the service's cache of public list pages and search results turned off
# (GONGKAI_DOCUMENT_LIST_CACHE_BYTES=0: every call reads the database), then on.
#
# Settings (environment):
#   GONGKAI_BENCH_DOCS=1000000          documents in the scale phase (0: skip it)
#   GONGKAI_BENCH_DURATION=8s           each measurement (after GONGKAI_BENCH_WARMUP=2s)
#   GONGKAI_BENCH_THREADS=2 GONGKAI_BENCH_CHANNELS=4 GONGKAI_BENCH_CONCURRENCY=16
#                                       load generator shape for health / GetDocument
#   GONGKAI_BENCH_WRITE_CONCURRENCY=8   CreateDocument calls and sysbench threads
#   GONGKAI_BENCH_SCALE_CONCURRENCY=2   clients for the list and search runs
#   GONGKAI_BENCH_SCALE_CACHE=both      list/search cache in the scale phase: off, on or both
#   GONGKAI_BENCH_QUERIES=通知,环境保护,宅基地审批,青龙镇
#   GONGKAI_BENCH_MYSQL_PORT=3480       first port tried for the bench MariaDB
#   GONGKAI_BENCH_BUFFER_POOL=4G        InnoDB buffer pool of the bench MariaDB (1G without
#                                       the scale phase)
#   GONGKAI_BENCH_CATALOG_BIN=...       another gongkai-catalog binary (before/after runs)
#   GONGKAI_BENCH_MARIADB_ARGS=""       extra mariadbd options, for experiments, e.g.
#                                       --optimizer-switch=index_merge_intersection=off
set -euo pipefail

GONGKAI_ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
# shellcheck source=deploy/scripts/common.sh
source "$GONGKAI_ROOT/deploy/scripts/common.sh"
# shellcheck source=deploy/scripts/mariadb.sh
source "$GONGKAI_ROOT/deploy/scripts/mariadb.sh"

# GONGKAI_BENCH_BUILD: binaries of another build tree (with --no-build), e.g. main's.
BUILD="${GONGKAI_BENCH_BUILD:-$GONGKAI_ROOT/build}"
BENCH_STATE="$GONGKAI_ROOT/.gongkai/bench"
BENCH_MARIADB="$BENCH_STATE/mariadb"
# GONGKAI_BENCH_CATALOG_BIN: another build of the service (e.g. main's) for a before/after
# comparison with the same load generator and database.
CATALOG_BIN="${GONGKAI_BENCH_CATALOG_BIN:-$BUILD/services/catalog/gongkai-catalog}"
TOKEN_BIN="$BUILD/libs/auth/gongkai-token"
HEALTH_BIN="$BUILD/libs/server/gongkai-healthcheck"
GATEWAY_BIN="$BUILD/gateway/gongkai-gateway"
LOADGEN_BIN="$BUILD/tests/bench/gongkai-loadgen"
DATAGEN_BIN="$BUILD/tests/bench/gongkai-bench-datagen"
# The gateway phase (phase_gateway, the grpc-gateway peer; GONGKAI_BENCH_GATEWAY_BIN).
# shellcheck source=tests/bench/gateway.sh
source "$GONGKAI_ROOT/tests/bench/gateway.sh"

DOCS=${GONGKAI_BENCH_DOCS:-1000000}
DURATION=${GONGKAI_BENCH_DURATION:-8s}
WARMUP=${GONGKAI_BENCH_WARMUP:-2s}
THREADS=${GONGKAI_BENCH_THREADS:-2}
CHANNELS=${GONGKAI_BENCH_CHANNELS:-4}
CONCURRENCY=${GONGKAI_BENCH_CONCURRENCY:-16}
WRITE_CONCURRENCY=${GONGKAI_BENCH_WRITE_CONCURRENCY:-8}
SCALE_CONCURRENCY=${GONGKAI_BENCH_SCALE_CONCURRENCY:-2}
SCALE_CACHE=${GONGKAI_BENCH_SCALE_CACHE:-both}
QUERIES=${GONGKAI_BENCH_QUERIES:-通知,环境保护,宅基地审批,青龙镇}
ISSUER=gongkai-bench
AUDIENCE=gongkai
DB_USER=gongkai_bench

DO_BUILD=1
DO_SERVICE=1
DO_SCALE=1
DO_OTHERS=1
DO_GATEWAY_ONLY=0
for arg in "$@"; do
  case $arg in
    --no-build) DO_BUILD=0 ;;
    --skip-scale) DO_SCALE=0 ;;
    --scale-only) DO_SERVICE=0 ;;
    --catalog-only) DO_SCALE=0 DO_OTHERS=0 ;;
    --gateway-only) DO_SCALE=0 DO_OTHERS=0 DO_GATEWAY_ONLY=1 ;;
    -h | --help)
      sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'
      exit 0
      ;;
    *) die "bench: unknown argument $arg (use --no-build, --skip-scale, --scale-only, --catalog-only, --gateway-only)" ;;
  esac
done
[[ $DOCS =~ ^[0-9]+$ ]] || die "GONGKAI_BENCH_DOCS must be a number, not \"$DOCS\""
[[ $SCALE_CACHE =~ ^(off|on|both)$ ]] ||
  die "GONGKAI_BENCH_SCALE_CACHE must be off, on or both, not \"$SCALE_CACHE\""
((DOCS > 0)) || DO_SCALE=0
# The scale phase's working set (the documents table, 0.85 GiB with its indexes, and the
# searched terms' index ranges) must fit in memory, as it would on a production database
# server; 4 GiB of the machine's 24 is allocated only as pages are read.
BUFFER_POOL=${GONGKAI_BENCH_BUFFER_POOL:-$( ((DO_SCALE)) && echo 4G || echo 1G)}

# ---------------------------------------------------------------------------- state

RUN_DIR=""
CATALOG_PID=""
GATEWAY_PID=""
SAMPLER_PID=""
BROKEN=()         # what broke; any entry makes the exit status 1
RESULT_ROWS=()    # "figure|value|target|verdict" for the final table
NOTES=()          # lines printed under the table

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  stop_sampler
  stop_peer
  stop_gateway
  stop_catalog
  mariadb_stop "$BENCH_MARIADB" || true
  [[ -n $RUN_DIR ]] && rm -rf "$RUN_DIR"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

broken() {
  warn "BROKEN: $*"
  BROKEN+=("$*")
}

# row FIGURE VALUE TARGET VERDICT
row() { RESULT_ROWS+=("$1|$2|$3|$4"); }
note() { NOTES+=("$*"); }

# at_least VALUE LIMIT / at_most VALUE LIMIT: "met" or "MISSED" (floats).
at_least() { awk -v v="$1" -v l="$2" 'BEGIN { print (v + 0 >= l + 0) ? "met" : "MISSED" }'; }
at_most() { awk -v v="$1" -v l="$2" 'BEGIN { print (v + 0 <= l + 0) ? "met" : "MISSED" }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 == 0) print 0; else printf "%.2f", a / b }'; }
# seconds_of 8s → 8 (GONGKAI_BENCH_DURATION for sysbench, which wants whole seconds).
seconds_of() {
  [[ $1 =~ ^([0-9]+)s?$ ]] || die "durations must be whole seconds like 8s, not \"$1\""
  printf '%s\n' "${BASH_REMATCH[1]}"
}
mib() { awk -v kb="$1" 'BEGIN { printf "%.1f", kb / 1024 }'; }

free_port() {
  local port=$1
  while port_in_use "$port"; do
    ((port < $1 + 200)) || die "no free port in $1..$((port))"
    port=$((port + 1))
  done
  printf '%s\n' "$port"
}

# ---------------------------------------------------------------------------- build

build_targets() {
  local targets=(gongkai-catalog gongkai-token gongkai-healthcheck gongkai-loadgen
    gongkai-bench-datagen gongkai-gateway)
  if [[ ! -f $BUILD/CMakeCache.txt ]] || ! grep -q gongkai-loadgen "$BUILD/Makefile" 2>/dev/null; then
    log "configuring $BUILD"
    flock /tmp/gongkai-build.lock cmake -S "$GONGKAI_ROOT" -B "$BUILD" \
      -DCMAKE_BUILD_TYPE=Release >"$RUN_DIR/configure.log" 2>&1 ||
      { show_log_tail "$RUN_DIR/configure.log" 40; die "cmake configure failed"; }
  fi
  # Built only where Google Benchmark is installed (libbenchmark-dev, in ./gongkai's list).
  if grep -q gongkai-metrics-bench "$BUILD/Makefile" 2>/dev/null; then
    targets+=(gongkai-metrics-bench)
  fi
  log "building ${targets[*]}"
  flock /tmp/gongkai-build.lock cmake --build "$BUILD" -j2 --target "${targets[@]}" \
    >"$RUN_DIR/build.log" 2>&1 || { show_log_tail "$RUN_DIR/build.log" 40; die "build failed"; }
}

# ---------------------------------------------------------------------------- MariaDB

DB_PORT=""
DB_PASSWORD_FILE=""

start_mariadb() {
  mkdir -p "$BENCH_STATE"
  chmod 700 "$GONGKAI_ROOT/.gongkai" 2>/dev/null || true
  # An instance left over by an interrupted run holds the data directory.
  mariadb_stop "$BENCH_MARIADB" || true
  mariadb_init "$BENCH_MARIADB"
  DB_PORT=$(free_port "${GONGKAI_BENCH_MYSQL_PORT:-3480}")
  # Durable as in production (gongkai.cnf: innodb-flush-log-at-trx-commit=1, sync_binlog
  # left at its default); only the cache is larger, so the data set's indexes fit.
  local extra=()
  read -r -a extra <<<"${GONGKAI_BENCH_MARIADB_ARGS:-}"
  mariadb_start "$BENCH_MARIADB" "$DB_PORT" --innodb-buffer-pool-size="$BUFFER_POOL" \
    --innodb-log-file-size=512M --max-connections=500 "${extra[@]}"
  local password
  password=$(random_hex 16)
  DB_PASSWORD_FILE="$RUN_DIR/db-password"
  write_secret "$DB_PASSWORD_FILE" "$password"
  mariadb_sql "$BENCH_MARIADB" <<SQL || die "could not create the MariaDB user $DB_USER"
CREATE USER IF NOT EXISTS '$DB_USER'@'127.0.0.1' IDENTIFIED BY '$password';
ALTER USER '$DB_USER'@'127.0.0.1' IDENTIFIED BY '$password';
GRANT ALL PRIVILEGES ON *.* TO '$DB_USER'@'127.0.0.1';
SQL
}

recreate_database() {
  mariadb_sql "$BENCH_MARIADB" <<SQL || die "could not recreate database $1"
DROP DATABASE IF EXISTS \`$1\`;
CREATE DATABASE \`$1\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
SQL
}

# ---------------------------------------------------------------------------- catalog

CATALOG_GRPC=""
CATALOG_METRICS=""
CATALOG_EXTRA_ENV=()  # More VAR=value settings for the next start_catalog.

# The service's settings for DATABASE, as `env` arguments.
catalog_env() {
  CATALOG_ENV=(GONGKAI_GRPC_ADDRESS=127.0.0.1:0 GONGKAI_METRICS_ADDRESS=127.0.0.1:0
    GONGKAI_DB_HOST=127.0.0.1 GONGKAI_DB_PORT="$DB_PORT" GONGKAI_DB_NAME="$1"
    GONGKAI_DB_USER="$DB_USER" GONGKAI_DB_PASSWORD_FILE="$DB_PASSWORD_FILE"
    GONGKAI_JWT_HS256_SECRET_FILE="$RUN_DIR/jwt.key" GONGKAI_JWT_ISSUER="$ISSUER"
    GONGKAI_JWT_AUDIENCE="$AUDIENCE" GONGKAI_APPLICANT_KEY_SECRET_FILE="$RUN_DIR/applicant.key"
    GONGKAI_PEERS="${CATALOG_PEERS:-interpretation=127.0.0.1:1}" "${CATALOG_EXTRA_ENV[@]}")
}

# start_catalog DATABASE LOGFILE: starts the service and waits until it is SERVING.
start_catalog() {
  local db=$1 logfile=$2 line deadline=$((SECONDS + 60))
  catalog_env "$db"
  # A simple command, so $! is the service itself (env execs it).
  env "${CATALOG_ENV[@]}" "$CATALOG_BIN" serve </dev/null >"$logfile" 2>&1 &
  CATALOG_PID=$!
  until line=$(grep -m1 '"catalog listening"' "$logfile" 2>/dev/null); do
    if ! process_running "$CATALOG_PID"; then
      show_log_tail "$logfile"
      die "gongkai-catalog exited during start; see $logfile"
    fi
    ((SECONDS < deadline)) || die "gongkai-catalog did not start listening within 60s"
    sleep 0.1
  done
  CATALOG_GRPC="127.0.0.1:$(jq -r .grpc_port <<<"$line")"
  CATALOG_METRICS="127.0.0.1:$(jq -r .metrics_port <<<"$line")"
  if ! "$HEALTH_BIN" --addr="$CATALOG_GRPC" --wait=120s >/dev/null 2>&1; then
    show_log_tail "$logfile"
    die "gongkai-catalog did not become SERVING within 120s; see $logfile"
  fi
  log "gongkai-catalog (pid $CATALOG_PID) serving on $CATALOG_GRPC, metrics $CATALOG_METRICS"
}

stop_catalog() {
  [[ -n $CATALOG_PID ]] || return 0
  stop_pid gongkai-catalog "$CATALOG_PID" 30 || true
  wait "$CATALOG_PID" 2>/dev/null || true
  CATALOG_PID=""
}

# start_gateway LOGFILE: the gateway in front of the running catalog, rate limits off
# (the benchmark is one client address), waiting for /readyz.
start_gateway() {
  local logfile=$1 line deadline=$((SECONDS + 60))
  env GONGKAI_HTTP_ADDRESS=127.0.0.1:0 GONGKAI_METRICS_ADDRESS=127.0.0.1:0 \
    GONGKAI_BACKENDS="catalog=$CATALOG_GRPC" GONGKAI_JWT_HS256_SECRET_FILE="$RUN_DIR/jwt.key" \
    GONGKAI_JWT_ISSUER="$ISSUER" GONGKAI_JWT_AUDIENCE="$AUDIENCE" \
    GONGKAI_RATE_LIMIT_ANONYMOUS_READ=0:0 GONGKAI_RATE_LIMIT_AUTHENTICATED=0:0 \
    "$GATEWAY_BIN" </dev/null >"$logfile" 2>&1 &
  GATEWAY_PID=$!
  until line=$(grep -m1 '"gateway listening"' "$logfile" 2>/dev/null); do
    if ! process_running "$GATEWAY_PID"; then
      show_log_tail "$logfile"
      die "gongkai-gateway exited during start; see $logfile"
    fi
    ((SECONDS < deadline)) || die "gongkai-gateway did not start listening within 60s"
    sleep 0.1
  done
  GATEWAY_HTTP="127.0.0.1:$(jq -r .http_port <<<"$line")"
  until curl -fsS --max-time 2 "http://$GATEWAY_HTTP/readyz" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || die "gongkai-gateway did not become ready within 60s"
    sleep 0.2
  done
  log "gongkai-gateway (pid $GATEWAY_PID) on http://$GATEWAY_HTTP"
}

stop_gateway() {
  [[ -n $GATEWAY_PID ]] || return 0
  stop_pid gongkai-gateway "$GATEWAY_PID" 30 || true
  wait "$GATEWAY_PID" 2>/dev/null || true
  GATEWAY_PID=""
}

# Resident memory of the service in kB: VmRSS, or VmHWM (the peak since start).
proc_kb() { awk -v k="$1:" '$1 == k { print $2 }' "/proc/$CATALOG_PID/status"; }

# process_resident_memory_bytes from /metrics, in kB.
metrics_rss_kb() {
  curl -fsS --max-time 5 "http://$CATALOG_METRICS/metrics" |
    awk '$1 == "process_resident_memory_bytes" { printf "%d\n", $2 / 1024 }'
}

# Samples the catalog's VmRSS every 100 ms into $RUN_DIR/rss-max until stop_sampler
# (start_rss_sampler is in tests/bench/gateway.sh).
start_sampler() {
  SAMPLER_PID=$(start_rss_sampler "$CATALOG_PID" "$RUN_DIR/rss-max")
}

stop_sampler() {
  [[ -n $SAMPLER_PID ]] || return 0
  kill "$SAMPLER_PID" 2>/dev/null || true
  wait "$SAMPLER_PID" 2>/dev/null || true
  SAMPLER_PID=""
}

# ---------------------------------------------------------------------------- load

# CPU time (user + system) a process has used, in clock ticks.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
CLK_TCK=$(getconf CLK_TCK)

# load NAME LOADGEN_ARGS...: runs gongkai-loadgen against the service and sets RPS,
# P50, P90, P99 (ms) from its RESULT line, and CPU: the service's and MariaDB's CPU
# time per call ("catalog N µs + db M µs"); records a broken run.
RPS=0 P50=0 P90=0 P99=0 CPU=""
load() {
  local name=$1 out="$RUN_DIR/load-$1.txt" rc=0 result db_pid cat0 db0 cat1 db1 completed
  shift
  log "load: $name"
  db_pid=$(mariadb_pid "$BENCH_MARIADB")
  cat0=$(cpu_ticks "$CATALOG_PID") db0=$(cpu_ticks "$db_pid")
  "$LOADGEN_BIN" "$@" --target="$CATALOG_GRPC" --duration="$DURATION" --warmup="$WARMUP" \
    >"$out" 2>&1 || rc=$?
  cat1=$(cpu_ticks "$CATALOG_PID") db1=$(cpu_ticks "$db_pid")
  sed 's/^/    /' "$out" >&2
  RPS=0 P50=0 P90=0 P99=0 CPU=""
  if ! result=$(grep '^RESULT ' "$out"); then
    broken "$name: the load generator failed (exit $rc)"
    return 0
  fi
  ((rc == 0)) || broken "$name: calls failed under load ($(grep -m1 'first error' "$out" || true))"
  field() { sed -E "s/.* $1=([0-9.]+).*/\1/" <<<"$result"; }
  RPS=$(field rps) P50=$(field p50_ms) P90=$(field p90_ms) P99=$(field p99_ms)
  completed=$(field completed)
  # The probe calls before the run are a handful; ignored.
  CPU=$(awk -v c=$((cat1 - cat0)) -v d=$((db1 - db0)) -v n="$completed" -v hz="$CLK_TCK" \
    'BEGIN { if (n > 0) printf "CPU/call: catalog %.0f µs + db %.0f µs", c * 1e6 / hz / n, d * 1e6 / hz / n }')
  log "$name: $CPU"
  note "$name: $RPS calls/s, p50 $P50 ms, p90 $P90 ms, p99 $P99 ms; $CPU"
}

mint() {
  "$TOKEN_BIN" --secret-file="$RUN_DIR/jwt.key" --issuer="$ISSUER" --audience="$AUDIENCE" \
    --ttl=86400 "$@"
}

# sysbench_insert THREADS: durable single-row INSERTs (autocommit) per second on a
# scratch database of the same MariaDB; sets SB_TPS.
SB_TPS=0 SB_CPU=""
sysbench_insert() {
  local threads=$1 out="$RUN_DIR/sysbench.txt" password db_pid db0 db1 events
  password=$(cat "$DB_PASSWORD_FILE")
  recreate_database bench_sysbench
  local common=(--db-driver=mysql --mysql-host=127.0.0.1 --mysql-port="$DB_PORT"
    --mysql-user="$DB_USER" --mysql-password="$password" --mysql-db=bench_sysbench
    --tables=1 --table-size=10000)
  log "sysbench oltp_insert, $threads threads"
  # sysbench 1.0 has no warm-up option: a short unmeasured run first.
  db_pid=$(mariadb_pid "$BENCH_MARIADB")
  if ! sysbench oltp_insert "${common[@]}" prepare >"$out" 2>&1 ||
    ! sysbench oltp_insert "${common[@]}" --threads="$threads" --time=2 run >/dev/null 2>&1 ||
    ! { db0=$(cpu_ticks "$db_pid") && sysbench oltp_insert "${common[@]}" --threads="$threads" \
      --time="$(seconds_of "$DURATION")" run >"$out" 2>&1 && db1=$(cpu_ticks "$db_pid"); }; then
    show_log_tail "$out"
    broken "sysbench oltp_insert failed"
    SB_TPS=0
  else
    SB_TPS=$(awk '/transactions:/ { gsub(/[(]/, "", $3); print $3 }' "$out")
    events=$(awk '/transactions:/ { print $2 }' "$out")
    SB_CPU=$(awk -v d=$((db1 - db0)) -v n="$events" -v hz="$CLK_TCK" \
      'BEGIN { if (n > 0) printf "CPU/insert: db %.0f µs", d * 1e6 / hz / n }')
    note "sysbench oltp_insert: $SB_TPS inserts/s, $threads threads; $SB_CPU"
    grep -E 'transactions:|95th|avg:' "$out" | sed 's/^/    /' >&2
  fi
  mariadb_sql "$BENCH_MARIADB" <<<'DROP DATABASE IF EXISTS bench_sysbench;' || true
}

# ---------------------------------------------------------------------------- phase 1

phase_service() {
  log "phase 1: throughput, durable writes and memory on a fresh database"
  recreate_database bench_service
  start_catalog bench_service "$RUN_DIR/catalog-service.log"

  local admin reviewer seed unit_id document_id policy_id staff
  admin=$(mint --sub=bench-admin --unit-id=1 --roles=ADMIN)
  # CAT-4: the author never passes its own confidentiality review.
  reviewer=$(mint --sub=bench-reviewer --unit-id=1 --roles=ADMIN)
  if ! seed=$("$LOADGEN_BIN" seed --target="$CATALOG_GRPC" --token="$admin" \
    --reviewer_token="$reviewer"); then
    broken "seeding a unit and a published document failed"
    stop_catalog
    return 0
  fi
  unit_id=$(sed -E 's/.*unit_id=([0-9]+).*/\1/' <<<"$seed")
  document_id=$(sed -E 's/.* document_id=([0-9]+).*/\1/' <<<"$seed")
  policy_id=$(sed -E 's/.*policy_document_id=([0-9]+).*/\1/' <<<"$seed")
  staff=$(mint --sub=bench-staff --unit-id="$unit_id" --roles=STAFF)

  sleep 2
  local idle_kb metrics_kb
  idle_kb=$(proc_kb VmRSS)
  metrics_kb=$(metrics_rss_kb || echo 0)
  log "idle resident memory: VmRSS $(mib "$idle_kb") MiB, /metrics $(mib "$metrics_kb") MiB"
  note "catalog idle: VmRSS $(mib "$idle_kb") MiB = RssAnon $(mib "$(proc_kb RssAnon)") MiB" \
    "(heap, stacks) + RssFile $(mib "$(proc_kb RssFile)") MiB (mapped binary and shared" \
    "libraries), $(proc_kb Threads) threads"

  start_sampler
  local shape=(--threads="$THREADS" --channels="$CHANNELS" --concurrency="$CONCURRENCY")
  # GetDocument reads one published document again and again: after the first call it
  # is served from the service's cache of published documents (phase 2 measures misses).
  load health health "${shape[@]}"
  local health_rps=$RPS
  row "health Check (c=$CONCURRENCY)" "$health_rps req/s, p99 $P99 ms; ${CPU#CPU/call: }" "—" "—"
  load get-document-anonymous get-document --id="$document_id" "${shape[@]}"
  local get_anon_rps=$RPS
  row "GetDocument anonymous" "$get_anon_rps req/s, p99 $P99 ms; ${CPU#CPU/call: }" "—" "—"
  # NAT-10: a published policy document in force, cached on a lease of
  # GONGKAI_DOCUMENT_CACHE_MAX_STALENESS (1 s by default): reloaded about twice a second.
  load get-document-policy get-document --id="$policy_id" "${shape[@]}"
  local get_policy_rps=$RPS
  row "GetDocument policy doc in force, anonymous" \
    "$get_policy_rps req/s, p99 $P99 ms; ${CPU#CPU/call: }" "—" "—"
  load get-document get-document --id="$document_id" --token="$staff" "${shape[@]}"
  local get_rps=$RPS
  row "GetDocument with JWT" "$get_rps req/s, p99 $P99 ms" "—" "—"
  local r
  r=$(ratio "$get_rps" "$health_rps")
  row "GetDocument (JWT) / health" "$r" "≥ 0.6" "$(at_least "$r" 0.6)"
  r=$(ratio "$get_anon_rps" "$health_rps")
  row "GetDocument (anonymous) / health" "$r" "≥ 0.6" "$(at_least "$r" 0.6)"
  r=$(ratio "$get_policy_rps" "$health_rps")
  row "GetDocument policy (anonymous) / health" "$r" "≥ 0.6" "$(at_least "$r" 0.6)"

  # Issue 3 and 14 (P2/P4): direct, gongkai-gateway and grpc-gateway (tests/bench/gateway.sh).
  if ((DO_GATEWAY_ONLY)); then phase_gateway "$document_id"; stop_catalog; return 0; fi
  ((DO_OTHERS == 0)) || phase_gateway "$document_id"

  load create-document create-document --token="$staff" --unit_id="$unit_id" \
    --threads=1 --channels=2 --concurrency="$WRITE_CONCURRENCY"
  local create_rps=$RPS create_p99=$P99 create_cpu=${CPU#CPU/call: }
  stop_sampler
  local peak_kb hwm_kb
  peak_kb=$(cat "$RUN_DIR/rss-max")
  hwm_kb=$(proc_kb VmHWM)
  # Threads gRPC keeps for the next calls after the load (GONGKAI_MAX_POLLING_THREADS).
  note "catalog after the loads: VmRSS $(mib "$(proc_kb VmRSS)") MiB, $(proc_kb Threads) threads"
  stop_catalog

  sysbench_insert "$WRITE_CONCURRENCY"
  row "CreateDocument (c=$WRITE_CONCURRENCY)" "$create_rps req/s, p99 $create_p99 ms; $create_cpu" \
    "—" "—"
  row "sysbench oltp_insert (threads=$WRITE_CONCURRENCY)" "$SB_TPS inserts/s; ${SB_CPU#CPU/insert: }" \
    "—" "—"
  r=$(ratio "$create_rps" "$SB_TPS")
  row "CreateDocument / durable INSERT" "$r" "≥ 0.4" "$(at_least "$r" 0.4)"

  row "catalog RSS idle" "$(mib "$idle_kb") MiB (/metrics $(mib "$metrics_kb"))" "≤ 20 MiB" \
    "$(at_most "$(mib "$idle_kb")" 20)"
  row "catalog RSS peak under load" "$(mib "$peak_kb") MiB (VmHWM $(mib "$hwm_kb"))" \
    "≤ 64 MiB" "$(at_most "$(mib "$peak_kb")" 64)"
}

# ---------------------------------------------------------------------------- phase 2

# The cached data set is valid while what the generator writes (its rows and the terms
# the service's tokenizer makes of them, checked on a deterministic sample of 2,000
# documents: the generator binary itself changes with any catalog code it links), the
# migrations and the size are unchanged. Migrations added later that the cache lacks
# would be applied by the service at start like on any database, but any change to the
# migration files reloads.
dataset_key() {
  local sample
  sample=$(mktemp -d "${TMPDIR:-/tmp}/gongkai-datagen-sample.XXXXXX")
  "$DATAGEN_BIN" --docs=2000 --out="$sample" >/dev/null || die "the data generator failed"
  {
    cat "$sample"/*.tsv | sha256sum
    cat "$GONGKAI_ROOT"/services/catalog/migrations/*.sql
    echo "docs=$DOCS"
  } | sha256sum | cut -d' ' -f1
  rm -rf "$sample"
}

load_dataset() {
  local key tsv="$BENCH_STATE/tsv" start=$SECONDS
  key=$(dataset_key)
  if [[ -f $BENCH_STATE/dataset.key && $(cat "$BENCH_STATE/dataset.key") == "$key" ]] &&
    [[ $(mariadb_sql "$BENCH_MARIADB" <<<"SELECT COUNT(*) FROM bench_docs.documents" 2>/dev/null) == "$DOCS" ]]; then
    log "reusing the loaded data set of $DOCS documents (bench_docs)"
    return 0
  fi
  rm -f "$BENCH_STATE/dataset.key"
  log "loading $DOCS documents into bench_docs (once; cached under $BENCH_STATE)"
  recreate_database bench_docs
  catalog_env bench_docs
  env "${CATALOG_ENV[@]}" "$CATALOG_BIN" migrate >"$RUN_DIR/migrate.log" 2>&1 ||
    { show_log_tail "$RUN_DIR/migrate.log"; die "migrating bench_docs failed"; }
  rm -rf "$tsv"
  mkdir -p "$tsv"
  "$DATAGEN_BIN" --docs="$DOCS" --out="$tsv" --report_queries="$QUERIES" |
    tee "$BENCH_STATE/dataset.txt" | sed 's/^/    /' >&2 ||
    die "generating the data set failed"
  log "generated in $((SECONDS - start))s; loading (LOAD DATA into the empty tables)"
  # Empty tables with unique and foreign key checks off take MariaDB's bulk-insert
  # path (sorted index builds, no per-row undo).
  mariadb --no-defaults --socket="$(mariadb_socket "$BENCH_MARIADB")" --user=root \
    --local-infile=1 bench_docs <<SQL || die "loading the data set failed"
SET SESSION unique_checks = 0, foreign_key_checks = 0;
LOAD DATA LOCAL INFILE '$tsv/units.tsv' INTO TABLE units CHARACTER SET utf8mb4
  (id, code, name, level, parent_id, create_time);
LOAD DATA LOCAL INFILE '$tsv/documents.tsv' INTO TABLE documents CHARACTER SET utf8mb4
  (id, title, body, document_number, drafting_unit_id, issuing_authority,
   is_policy_document, key_area, category_id, disclosure_attribute, nondisclosure_reason,
   legal_basis, publication_limit_working_days, state, return_cause, review_outcome,
   review_note, reviewer, publication_due, publication_deadline, calendar_versions,
   create_time, update_time, publish_time, created_by, version);
LOAD DATA LOCAL INFILE '$tsv/document_terms.tsv' INTO TABLE document_terms
  CHARACTER SET utf8mb4 (term, document_id);
ANALYZE TABLE units, documents, document_terms;
SQL
  rm -rf "$tsv"
  printf '%s\n' "$key" >"$BENCH_STATE/dataset.key"
  log "data set loaded in $((SECONDS - start))s"
}

phase_scale() {
  log "phase 2: list and search with $DOCS documents"
  load_dataset
  local sizes
  sizes=$(mariadb_sql "$BENCH_MARIADB" <<'SQL'
SELECT CONCAT(table_name, ' rows~', table_rows, ' data=', ROUND(data_length / 1048576),
              'MiB index=', ROUND(index_length / 1048576), 'MiB')
FROM information_schema.tables WHERE table_schema = 'bench_docs'
  AND table_name IN ('documents', 'document_terms');
SQL
  )
  printf '%s\n' "$sizes" | sed 's/^/    /' >&2
  case $SCALE_CACHE in
    both) scale_pass off && scale_pass on ;;
    *) scale_pass "$SCALE_CACHE" ;;
  esac
}

# scale_pass off|on: the list and search runs on a fresh catalog process, with the cache
# of public list pages and search results off (every call reads MariaDB) or on (a page
# is read again at most twice per GONGKAI_DOCUMENT_CACHE_MAX_STALENESS, 1 s).
# Issue 14 P5 targets, with 32 clients: a search ≥ 2,000/s at p99 ≤ 50 ms, a list
# page ≥ 4,000/s at p99 ≤ 20 ms.
scale_pass() {
  local cache=$1 label
  label="cache $cache"
  CATALOG_EXTRA_ENV=()
  [[ $cache == on ]] || CATALOG_EXTRA_ENV=(GONGKAI_DOCUMENT_LIST_CACHE_BYTES=0)
  start_catalog bench_docs "$RUN_DIR/catalog-scale-$cache.log"
  CATALOG_EXTRA_ENV=()
  sleep 2
  local idle_kb
  idle_kb=$(proc_kb VmRSS)
  start_sampler
  local shape=(--threads=1 --channels="$SCALE_CONCURRENCY" --concurrency="$SCALE_CONCURRENCY")
  list_row() {
    row "$1 ($label)" "$RPS req/s, p50 $P50 ms, p99 $P99 ms; ${CPU#CPU/call: }" \
      "≥ 4000/s, p99 ≤ 20 ms" "$(at_least "$RPS" 4000)/$(at_most "$P99" 20)"
  }
  load "list-first-$cache" list-documents "${shape[@]}"
  list_row "ListDocuments first page (${DOCS} docs, c=$SCALE_CONCURRENCY)"
  load "list-key-area-$cache" list-documents --key_area=9 "${shape[@]}"
  list_row "ListDocuments key_area=EDUCATION"
  load "list-deep-$cache" list-documents --after_id=$((DOCS / 2)) "${shape[@]}"
  list_row "ListDocuments page token at id $((DOCS / 2))"
  if [[ $cache == off ]]; then
    # Random ids over the whole table: nearly every read misses the service's cache of
    # published documents (an INSPECTOR may read every state).
    local inspector
    inspector=$(mint --sub=bench-inspector --unit-id=1 --roles=INSPECTOR)
    load get-random get-document --id=1 --id_max="$DOCS" --token="$inspector" "${shape[@]}"
    row "GetDocument random id (cache misses)" \
      "$RPS req/s, p50 $P50 ms, p99 $P99 ms; ${CPU#CPU/call: }" "—" "—"
  fi
  local query matches n=0
  IFS=',' read -r -a query_list <<<"$QUERIES"
  for query in "${query_list[@]}"; do
    n=$((n + 1))
    matches=$(sed -nE "s/^QUERY \"$query\" matches=([0-9]+)$/\1/p" "$BENCH_STATE/dataset.txt" 2>/dev/null || true)
    load "search-$n-$cache" search --query="$query" "${shape[@]}"
    row "SearchDocuments \"$query\"${matches:+ ($matches matches)} ($label)" \
      "$RPS req/s, p50 $P50 ms, p99 $P99 ms; ${CPU#CPU/call: }" "≥ 2000/s, p99 ≤ 50 ms" \
      "$(at_least "$RPS" 2000)/$(at_most "$P99" 50)"
  done
  stop_sampler
  row "catalog RSS idle / peak, $DOCS docs ($label)" \
    "$(mib "$idle_kb") / $(mib "$(cat "$RUN_DIR/rss-max")") MiB" "≤ 20 / ≤ 64 MiB" \
    "$(at_most "$(mib "$idle_kb")" 20)/$(at_most "$(mib "$(cat "$RUN_DIR/rss-max")")" 64)"
  stop_catalog
}

# ---------------------------------------------------------------------------- main

print_table() {
  local line figure value target verdict
  echo
  echo "gongkai bench — $(date -u +%FT%TZ) — $(nproc) cores, $(uname -r)"
  printf '%-48s %-44s %-16s %s\n' FIGURE VALUE TARGET VERDICT
  for line in "${RESULT_ROWS[@]}"; do
    IFS='|' read -r figure value target verdict <<<"$line"
    printf '%-48s %-44s %-16s %s\n' "$figure" "$value" "$target" "$verdict"
  done
  if ((${#NOTES[@]})); then
    echo
    printf '  %s\n' "${NOTES[@]}"
  fi
  if ((${#BROKEN[@]})); then
    echo
    echo "BROKEN:"
    printf '  %s\n' "${BROKEN[@]}"
  fi
}

# The per-call cost of the metrics every RPC and HTTP request updates (prometheus-cpp,
# ADR 0017), in one thread; printed as it comes, not part of the ratio table.
phase_metrics() {
  local bin="$BUILD/tests/bench/gongkai-metrics-bench"
  if [[ ! -x $bin ]]; then
    log "metrics: $bin is not built (libbenchmark-dev missing?); skipped"
    return 0
  fi
  log "metrics: per-call cost of the metric updates (ns per operation)"
  "$bin" --benchmark_min_time=0.2 --benchmark_repetitions=3 \
    --benchmark_report_aggregates_only=true 2>&1 | grep -E '^(Benchmark|-|.*_median)' ||
    BROKEN+=("metrics bench failed")
}

main() {
  RUN_DIR=$(mktemp -d "${TMPDIR:-/tmp}/gongkai-bench.XXXXXX")
  if ((DO_BUILD)); then build_targets; fi
  local bin
  local needed=("$CATALOG_BIN" "$TOKEN_BIN" "$HEALTH_BIN" "$LOADGEN_BIN")
  ((DO_SCALE == 0)) || needed+=("$DATAGEN_BIN")
  # --scale-only runs no gateway.
  ((DO_SERVICE == 0 || (DO_OTHERS == 0 && DO_GATEWAY_ONLY == 0))) || needed+=("$GATEWAY_BIN")
  for bin in "${needed[@]}"; do
    [[ -x $bin ]] || die "$bin is not built (run without --no-build)"
  done
  command -v sysbench >/dev/null || die "sysbench is missing (apt-get install sysbench)"
  write_secret "$RUN_DIR/jwt.key" "$(random_hex 32)"
  write_secret "$RUN_DIR/applicant.key" "$(random_hex 32)"
  start_mariadb
  if ((DO_SERVICE)); then
    phase_service
  fi
  if ((DO_SERVICE && DO_OTHERS)); then
    phase_metrics
    source "$GONGKAI_ROOT/tests/bench/outbox.sh" && phase_outbox  # libs/outbox alone
    source "$GONGKAI_ROOT/tests/bench/interpretation.sh" && phase_interpretation
  fi
  if ((DO_SCALE)); then phase_scale; fi
  if ((DO_SERVICE && DO_OTHERS)); then "$GONGKAI_ROOT/tests/bench/website.sh" $( ((DO_BUILD)) || echo --no-build) || BROKEN+=("website bench failed"); fi
  mkdir -p "$BENCH_STATE/results"
  local report
  report="$BENCH_STATE/results/$(date -u +%Y%m%dT%H%M%SZ).txt"
  print_table | tee "$report"
  log "results saved to $report"
  ((DO_SERVICE == 0 || DO_OTHERS == 0)) || "$GONGKAI_ROOT/tests/bench/opinion.sh" $( ((DO_BUILD)) || echo --no-build) || BROKEN+=("opinion bench")
  if ((DO_SERVICE && DO_OTHERS)); then "$GONGKAI_ROOT/tests/bench/assessment.sh" "$( ((DO_BUILD)) || echo --no-build)" | tee -a "$report" || BROKEN+=("assessment bench failed"); fi
  if ((DO_SERVICE && DO_OTHERS)); then bash "$GONGKAI_ROOT/tests/bench/consultation.sh" "$( ((DO_BUILD)) || echo --no-build)" || broken "consultation bench"; fi
  # Issue 14 P4: every process's resident memory, idle and under load (its own MariaDB).
  if ((DO_SERVICE && DO_OTHERS)); then "$GONGKAI_ROOT/tests/bench/memory.sh" $( ((DO_BUILD)) || echo --no-build) | tee -a "$report" || broken "memory bench"; fi
  ((${#BROKEN[@]} == 0))
}

# Sourced (tests/bench/catalog_ab.sh), it only defines the functions and settings.
[[ ${BASH_SOURCE[0]} != "$0" ]] || main
