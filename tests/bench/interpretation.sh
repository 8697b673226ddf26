#!/usr/bin/env bash
# tests/bench/interpretation.sh — the INT-3 figures of `./gongkai bench`, sourced by
# tests/bench/run.sh (its helpers, MariaDB, keys and table) and run as one phase:
#
#   publish with interpretation / publish without   (same run, same catalog; target ≥ 0.5)
#   outbox delivery lag p99                         (commit → delivered; target ≤ 1 s)
#   CPU time per publication of each kind           (catalog, interpretation, mariadbd)
#
# It starts gongkai-catalog and gongkai-interpretation on fresh databases, each naming
# the other in GONGKAI_PEERS, and runs gongkai-interpretation-bench against them
# (GONGKAI_BENCH_INTERPRETATION_DOCS documents of each kind, default 1000; client threads
# GONGKAI_BENCH_WRITE_CONCURRENCY). Figures are printed, never asserted.
# shellcheck shell=bash

INTERPRETATION_BIN="$BUILD/services/interpretation/gongkai-interpretation"
INTERPRETATION_BENCH_BIN="$BUILD/tests/bench/gongkai-interpretation-bench"
INTERPRETATION_DOCS=${GONGKAI_BENCH_INTERPRETATION_DOCS:-1000}

phase_interpretation() {
  local bin
  if ((DO_BUILD)); then
    flock /tmp/gongkai-build.lock cmake --build "$BUILD" -j2 --target gongkai-interpretation \
      gongkai-interpretation-bench >>"$RUN_DIR/build.log" 2>&1 || broken "interpretation: build failed"
  fi
  for bin in "$INTERPRETATION_BIN" "$INTERPRETATION_BENCH_BIN"; do
    if [[ ! -x $bin ]]; then
      broken "interpretation: $bin is not built"
      return 0
    fi
  done
  log "interpretation: publishing with the interpretation vs without (INT-3), outbox lag"
  recreate_database bench_interp_catalog
  recreate_database bench_interpretation
  local interp_port logfile="$RUN_DIR/interpretation.log" deadline=$((SECONDS + 60))
  interp_port=$(free_port 50152)
  CATALOG_PEERS="interpretation=127.0.0.1:$interp_port" \
    start_catalog bench_interp_catalog "$RUN_DIR/catalog-interpretation.log"
  env GONGKAI_GRPC_ADDRESS="127.0.0.1:$interp_port" GONGKAI_METRICS_ADDRESS=127.0.0.1:0 \
    GONGKAI_DB_HOST=127.0.0.1 GONGKAI_DB_PORT="$DB_PORT" GONGKAI_DB_NAME=bench_interpretation \
    GONGKAI_DB_USER="$DB_USER" GONGKAI_DB_PASSWORD_FILE="$DB_PASSWORD_FILE" \
    GONGKAI_JWT_HS256_SECRET_FILE="$RUN_DIR/jwt.key" GONGKAI_JWT_ISSUER="$ISSUER" \
    GONGKAI_JWT_AUDIENCE="$AUDIENCE" GONGKAI_PEERS="catalog=$CATALOG_GRPC" \
    GONGKAI_CALENDAR_ADDRESS="$CATALOG_GRPC" \
    "$INTERPRETATION_BIN" serve </dev/null >"$logfile" 2>&1 &
  local interp_pid=$!
  until grep -q '"interpretation listening"' "$logfile" 2>/dev/null; do
    if ! process_running "$interp_pid" || ((SECONDS >= deadline)); then
      show_log_tail "$logfile"
      broken "gongkai-interpretation did not start; see $logfile"
      stop_catalog
      return 0
    fi
    sleep 0.1
  done
  if ! "$HEALTH_BIN" --addr="127.0.0.1:$interp_port" --wait=120s >/dev/null 2>&1; then
    broken "gongkai-interpretation did not become SERVING; see $logfile"
    stop_pid gongkai-interpretation "$interp_pid" 30 || true
    stop_catalog
    return 0
  fi

  local out db_pid
  db_pid=$(mariadb_pid "$BENCH_MARIADB" || echo 0)
  if ! out=$("$INTERPRETATION_BENCH_BIN" --catalog="$CATALOG_GRPC" \
    --interpretation="127.0.0.1:$interp_port" --catalog_metrics="$CATALOG_METRICS" \
    --secret_file="$RUN_DIR/jwt.key" --issuer="$ISSUER" --audience="$AUDIENCE" \
    --documents="$INTERPRETATION_DOCS" --concurrency="$WRITE_CONCURRENCY" \
    --pids="$CATALOG_PID,$interp_pid,$db_pid" 2>"$RUN_DIR/interpretation-bench.log"); then
    broken "gongkai-interpretation-bench failed; see $RUN_DIR/interpretation-bench.log"
  else
    local plain interpreted lag plain_rps int_rps plain_cpu int_cpu p99 released
    plain=$(grep 'RESULT kind=plain' <<<"$out")
    interpreted=$(grep 'RESULT kind=interpreted' <<<"$out")
    lag=$(grep 'RESULT outbox_lag' <<<"$out")
    plain_rps=$(sed -E 's/.* rps=([0-9.]+).*/\1/' <<<"$plain")
    plain_cpu=$(sed -E 's/.* cpu_ms=([0-9.]+).*/\1/' <<<"$plain")
    int_rps=$(sed -E 's/.* rps=([0-9.]+).*/\1/' <<<"$interpreted")
    int_cpu=$(sed -E 's/.* cpu_ms=([0-9.]+).*/\1/' <<<"$interpreted")
    released=$(sed -E 's/.* released=([0-9]+).*/\1/' <<<"$interpreted")
    p99=$(sed -E 's/.* p99_ms=([0-9.]+).*/\1/' <<<"$lag")
    local r
    r=$(ratio "$int_rps" "$plain_rps")
    row "publish with interpretation / without (INT-3)" \
      "$int_rps/s vs $plain_rps/s = $r" "≥ 0.5" "$(at_least "$r" 0.5)"
    local int_split plain_split
    int_split=$(grep -oE '(catalog|interpretation|mariadb)_ms=[0-9.]+' <<<"$interpreted" | tr '\n' ' ')
    plain_split=$(grep -oE '(catalog|interpretation|mariadb)_ms=[0-9.]+' <<<"$plain" | tr '\n' ' ')
    row "CPU per publication (catalog+interpretation+mariadb)" \
      "$int_cpu ms with (${int_split% }), $plain_cpu ms without (${plain_split% })" "—" "figure"
    row "outbox delivery lag p99 (commit → delivered)" "$p99 ms ($released released)" \
      "≤ 1000 ms" "$(at_most "$p99" 1000)"
  fi
  stop_pid gongkai-interpretation "$interp_pid" 30 || true
  wait "$interp_pid" 2>/dev/null || true
  stop_catalog
}

# Run alone: `tests/bench/interpretation.sh [--no-build]` takes run.sh's helpers (every
# line but its last, which runs all the phases), starts the bench MariaDB and runs this
# phase only, then prints its rows (for iterating on issue 9's figures).
if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
  INTERPRETATION_BENCH_ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
  # shellcheck disable=SC1090
  source <(sed -e '$d' -e "s|^GONGKAI_ROOT=.*|GONGKAI_ROOT=\"$INTERPRETATION_BENCH_ROOT\"|" \
    "$INTERPRETATION_BENCH_ROOT/tests/bench/run.sh") "$@"
  INTERPRETATION_BIN="$BUILD/services/interpretation/gongkai-interpretation"
  INTERPRETATION_BENCH_BIN="$BUILD/tests/bench/gongkai-interpretation-bench"
  RUN_DIR=$(mktemp -d "${TMPDIR:-/tmp}/gongkai-bench.XXXXXX")
  write_secret "$RUN_DIR/jwt.key" "$(random_hex 32)"
  write_secret "$RUN_DIR/applicant.key" "$(random_hex 32)"
  start_mariadb
  phase_interpretation
  print_table
  ((${#BROKEN[@]} == 0))
fi
