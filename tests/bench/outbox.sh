#!/usr/bin/env bash
# tests/bench/outbox.sh — the transactional outbox's figures (libs/outbox, ADR 0024).
#
# Sourced by tests/bench/run.sh after its MariaDB is up (one line there), it defines and
# the caller runs `phase_outbox`, which adds its rows to the bench table. Run alone,
#   tests/bench/outbox.sh [--no-build]
# it starts a throw-away MariaDB of its own and prints the same rows.
#
# Figures (gongkai-outbox-bench, one run, never asserted): business commits/s with an
# outbox event vs without, producers unthrottled (issue 9: ≥ 0.5×); the delivery lag
# create → receiver call at half that rate (issue 9: p99 ≤ 1 s; at the saturating rate
# the producers outrun the receiver's calls and the lag only says how long the run was,
# so it is printed, not compared); CPU per commit in this process and in mariadbd.
# Settings: GONGKAI_BENCH_DURATION (8s), GONGKAI_BENCH_WRITE_CONCURRENCY (8 producers),
# GONGKAI_BENCH_OUTBOX_HANDLER_DELAY (2ms: the receiver's call),
# GONGKAI_BENCH_OUTBOX_DELIVERY_THREADS (8, the relay's default).

phase_outbox() {
  local bin="$BUILD/tests/bench/gongkai-outbox-bench" out password db_pid
  if ((DO_BUILD)); then
    log "outbox: building gongkai-outbox-bench"
    flock /tmp/gongkai-build.lock cmake --build "$BUILD" -j2 --target gongkai-outbox-bench \
      >"$RUN_DIR/outbox-build.log" 2>&1 ||
      { show_log_tail "$RUN_DIR/outbox-build.log" 40; broken "outbox bench build failed"; return 0; }
  fi
  if [[ ! -x $bin ]]; then
    broken "outbox: $bin is not built"
    return 0
  fi
  password=$(cat "$DB_PASSWORD_FILE")
  db_pid=$(mariadb_pid "$BENCH_MARIADB" || echo 0)
  log "outbox: commits with and without an event, delivery lag (${DURATION:-8s} each)"
  if ! out=$(GONGKAI_TEST_MYSQL_HOST=127.0.0.1 GONGKAI_TEST_MYSQL_PORT="$DB_PORT" \
    GONGKAI_TEST_MYSQL_USER="$DB_USER" GONGKAI_TEST_MYSQL_PASSWORD="$password" \
    "$bin" --duration="${DURATION:-8s}" --producers="${WRITE_CONCURRENCY:-8}" \
    --handler_delay="${GONGKAI_BENCH_OUTBOX_HANDLER_DELAY:-2ms}" \
    --delivery_threads="${GONGKAI_BENCH_OUTBOX_DELIVERY_THREADS:-8}" --db_pid="$db_pid" 2>"$RUN_DIR/outbox.log"); then
    show_log_tail "$RUN_DIR/outbox.log" 20
    broken "outbox bench failed"
    return 0
  fi
  log "outbox: $out"
  field() { sed -nE "s/.* $1=([^ ]+).*/\1/p" <<<" $out"; }
  local reference outbox ratio_value p50 p99 duplicates pending
  reference=$(field reference_commits_per_s)
  outbox=$(field outbox_commits_per_s)
  ratio_value=$(field ratio)
  p50=$(field lag_p50_ms)
  p99=$(field lag_p99_ms)
  duplicates=$(field duplicates)
  pending=$(field pending)
  row "outbox: commits/s with an event / without" "$outbox / $reference (${ratio_value}×)" \
    "≥ 0.5×" "$(at_least "$ratio_value" 0.5)"
  row "outbox delivery lag at $(field paced_commits_per_s) commits/s" "p50 $p50 ms, p99 $p99 ms" \
    "p99 ≤ 1000 ms" "$(at_most "$p99" 1000)"
  row "outbox delivery lag, producers unthrottled" \
    "p50 $(field saturated_lag_p50_ms) ms, p99 $(field saturated_lag_p99_ms) ms" "–" "–"
  row "outbox CPU µs/commit client, mariadbd" \
    "$(field client_cpu_us_per_commit_outbox), $(field db_cpu_us_per_commit_outbox) (without: $(field client_cpu_us_per_commit_reference), $(field db_cpu_us_per_commit_reference))" \
    "–" "–"
  [[ $duplicates == 0 ]] || note "outbox: $duplicates events delivered twice (at-least-once; expected 0 without failures)"
  [[ $pending == 0 ]] || broken "outbox: $pending events still pending after the drain"
}

# Run alone: a MariaDB of our own, then the phase, then the rows.
if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
  set -euo pipefail
  GONGKAI_ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
  # shellcheck source=deploy/scripts/common.sh
  source "$GONGKAI_ROOT/deploy/scripts/common.sh"
  # shellcheck source=deploy/scripts/mariadb.sh
  source "$GONGKAI_ROOT/deploy/scripts/mariadb.sh"
  BUILD="$GONGKAI_ROOT/build"
  DO_BUILD=1
  [[ ${1:-} == --no-build ]] && DO_BUILD=0
  DURATION=${GONGKAI_BENCH_DURATION:-8s}
  WRITE_CONCURRENCY=${GONGKAI_BENCH_WRITE_CONCURRENCY:-8}
  RUN_DIR=$(mktemp -d "${TMPDIR:-/tmp}/gongkai-outbox-bench.XXXXXX")
  BENCH_MARIADB="$RUN_DIR/mariadb"
  DB_USER=gongkai_bench
  RESULT_ROWS=()
  NOTES=()
  BROKEN=()
  row() { RESULT_ROWS+=("$1|$2|$3|$4"); }
  note() { NOTES+=("$*"); }
  broken() {
    warn "BROKEN: $*"
    BROKEN+=("$*")
  }
  at_least() { awk -v v="$1" -v l="$2" 'BEGIN { print (v + 0 >= l + 0) ? "met" : "MISSED" }'; }
  at_most() { awk -v v="$1" -v l="$2" 'BEGIN { print (v + 0 <= l + 0) ? "met" : "MISSED" }'; }
  cleanup() {
    local rc=$?
    mariadb_stop "$BENCH_MARIADB" || true
    rm -rf "$RUN_DIR"
    exit "$rc"
  }
  trap cleanup EXIT
  DB_PORT=${GONGKAI_BENCH_MYSQL_PORT:-3490}
  while port_in_use "$DB_PORT"; do DB_PORT=$((DB_PORT + 1)); done
  mariadb_init "$BENCH_MARIADB"
  mariadb_start "$BENCH_MARIADB" "$DB_PORT" --max-connections=200
  DB_PASSWORD_FILE="$RUN_DIR/db-password"
  write_secret "$DB_PASSWORD_FILE" "$(random_hex 16)"
  mariadb_create_admin "$BENCH_MARIADB" "$DB_USER" "$(cat "$DB_PASSWORD_FILE")"
  phase_outbox
  printf '%-44s %-60s %-16s %s\n' FIGURE VALUE TARGET VERDICT
  for line in "${RESULT_ROWS[@]}"; do
    IFS='|' read -r figure value target verdict <<<"$line"
    printf '%-44s %-60s %-16s %s\n' "$figure" "$value" "$target" "$verdict"
  done
  ((${#NOTES[@]} == 0)) || printf '  %s\n' "${NOTES[@]}"
  ((${#BROKEN[@]} == 0)) || { printf 'BROKEN: %s\n' "${BROKEN[@]}"; exit 1; }
fi
