#!/usr/bin/env bash
# tests/bench/catalog_ab.sh — two gongkai-catalog builds side by side (issue 14): A and B
# on one MariaDB and one database, the same loads alternated, so both see the same
# machine, database size and noise. On this shared 2-core machine CPU per call moves
# 20–30 % between runs minutes apart; alternating A and B inside one run is what makes a
# 10 % difference visible. Prints figures, asserts nothing.
#
#   GONGKAI_BENCH_AB_A=/work/main/build/services/catalog/gongkai-catalog \
#   GONGKAI_BENCH_AB_B=build/services/catalog/gongkai-catalog tests/bench/catalog_ab.sh
#
# Per round and binary: health Check and GetDocument of a cached published document (16
# in flight each) and CreateDocument (GONGKAI_BENCH_WRITE_CONCURRENCY, 8 in flight), each GONGKAI_BENCH_WARMUP
# + GONGKAI_BENCH_DURATION (2 s + 8 s): calls/s, p99 and CPU per call of the catalog and
# MariaDB; VmRSS and threads of both when idle and after the rounds.
# Settings: GONGKAI_BENCH_AB_ROUNDS=4 (about 4 minutes); GONGKAI_BENCH_AB_ENV_A / _ENV_B: extra VAR=value
# settings (space-separated) for A or B, e.g. GONGKAI_MAX_POLLING_THREADS=2 to compare
# settings of one binary. The tools (loadgen, token, healthcheck) come from
# GONGKAI_BENCH_BUILD (default build/); nothing is built.
set -euo pipefail

# run.sh sourced defines the bench's functions (MariaDB, catalog start, load) only.
# shellcheck source=tests/bench/run.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/run.sh" --no-build --catalog-only
ROUNDS=${GONGKAI_BENCH_AB_ROUNDS:-4}
BIN_A=${GONGKAI_BENCH_AB_A:?set GONGKAI_BENCH_AB_A to a gongkai-catalog binary}
BIN_B=${GONGKAI_BENCH_AB_B:-$BUILD/services/catalog/gongkai-catalog}
read -r -a ENV_A <<<"${GONGKAI_BENCH_AB_ENV_A:-}"
read -r -a ENV_B <<<"${GONGKAI_BENCH_AB_ENV_B:-}"
for bin in "$BIN_A" "$BIN_B" "$TOKEN_BIN" "$HEALTH_BIN" "$LOADGEN_BIN"; do
  [[ -x $bin ]] || die "$bin is not built"
done

PID_A="" PID_B=""
ab_cleanup() {
  local rc=$?
  trap - EXIT
  for CATALOG_PID in "$PID_A" "$PID_B"; do stop_catalog; done
  mariadb_stop "$BENCH_MARIADB" || true
  [[ -n $RUN_DIR ]] && rm -rf "$RUN_DIR"
  exit "$rc"
}
trap ab_cleanup EXIT

status_of() { awk '/^(VmRSS|Threads):/ { printf "%s %s ", $1, $2 }' "/proc/$1/status"; }

RUN_DIR=$(mktemp -d "${TMPDIR:-/tmp}/gongkai-bench-ab.XXXXXX")
write_secret "$RUN_DIR/jwt.key" "$(random_hex 32)"
write_secret "$RUN_DIR/applicant.key" "$(random_hex 32)"
start_mariadb
recreate_database bench_service
CATALOG_BIN=$BIN_A CATALOG_EXTRA_ENV=("${ENV_A[@]}")
start_catalog bench_service "$RUN_DIR/catalog-a.log"
PID_A=$CATALOG_PID GRPC_A=$CATALOG_GRPC CATALOG_PID=""
CATALOG_BIN=$BIN_B CATALOG_EXTRA_ENV=("${ENV_B[@]}")
start_catalog bench_service "$RUN_DIR/catalog-b.log"
PID_B=$CATALOG_PID GRPC_B=$CATALOG_GRPC CATALOG_PID=""

admin=$(mint --sub=bench-admin --unit-id=1 --roles=ADMIN)
reviewer=$(mint --sub=bench-reviewer --unit-id=1 --roles=ADMIN)
seed=$("$LOADGEN_BIN" seed --target="$GRPC_A" --token="$admin" --reviewer_token="$reviewer") ||
  die "seeding a unit and a published document failed"
unit_id=$(sed -E 's/.*unit_id=([0-9]+).*/\1/' <<<"$seed")
document_id=$(sed -E 's/.* document_id=([0-9]+).*/\1/' <<<"$seed")
staff=$(mint --sub=bench-staff --unit-id="$unit_id" --roles=STAFF)
sleep 2
echo "A: $BIN_A ${ENV_A[*]}"
echo "B: $BIN_B ${ENV_B[*]}"
echo "idle: A $(status_of "$PID_A")  B $(status_of "$PID_B")"
shape=(--threads="$THREADS" --channels="$CHANNELS" --concurrency="$CONCURRENCY")
for ((round = 1; round <= ROUNDS; round++)); do
  for side in A B; do
    if [[ $side == A ]]; then CATALOG_PID=$PID_A CATALOG_GRPC=$GRPC_A; else CATALOG_PID=$PID_B CATALOG_GRPC=$GRPC_B; fi
    load "health-$side" health "${shape[@]}" 2>/dev/null
    echo "round $round $side health Check: $RPS/s, p99 $P99 ms; $CPU"
    load "get-$side" get-document --id="$document_id" "${shape[@]}" 2>/dev/null
    echo "round $round $side GetDocument: $RPS/s, p99 $P99 ms; $CPU"
    load "create-$side" create-document --token="$staff" --unit_id="$unit_id" --threads=1 \
      --channels=2 --concurrency="$WRITE_CONCURRENCY" 2>/dev/null
    echo "round $round $side CreateDocument: $RPS/s, p99 $P99 ms; $CPU"
  done
done
CATALOG_PID=""
echo "after the rounds: A $(status_of "$PID_A")  B $(status_of "$PID_B")"
((${#BROKEN[@]} == 0)) || die "broken: ${BROKEN[*]}"
