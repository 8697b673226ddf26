#!/usr/bin/env bash
# tests/bench/memory.sh — resident memory of every process of the suite (issue 14, P4:
# each ≤ 20 MiB idle and ≤ 64 MiB under load), called by `./gongkai bench` or alone:
#
#   tests/bench/memory.sh [--no-build]
#
# Starts the six services and the gateway as `./gongkai up` does (same scripts, same
# settings) but on free ports, a MariaDB and state of its own under .gongkai/bench-memory,
# waits until every process is idle, and prints per process VmRSS with its parts from
# /proc/PID/smaps_rollup: anonymous (heap, stacks, arenas) and file-backed (the binary
# and its shared libraries), with the thread count. Then a load on every process at
# once for GONGKAI_BENCH_DURATION (default 8s): the gRPC health Check with
# gongkai-loadgen on each service (16 in flight) and GET /v1/documents/{id} through the
# gateway with wrk (16 connections), sampling VmRSS every 100 ms; prints each peak.
# GONGKAI_BENCH_BUILD: binaries of another build tree (e.g. main's, for a before/after);
# GONGKAI_BENCH_GATEWAY_BIN: another gongkai-gateway. GONGKAI_BENCH_MAPS=N: also the N
# largest resident mappings of each process when idle (which file, heap or stack holds
# the memory).
set -euo pipefail

GONGKAI_ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
GONGKAI_BUILD_DIR="${GONGKAI_BENCH_BUILD:-$GONGKAI_ROOT/build}"
GONGKAI_STATE="$GONGKAI_ROOT/.gongkai/bench-memory"
GONGKAI_MARIADB_DIR="$GONGKAI_STATE/mariadb"
GONGKAI_SECRETS="$GONGKAI_STATE/secrets"
GONGKAI_LOGS="$GONGKAI_STATE/logs"
GONGKAI_RUN="$GONGKAI_STATE/run"
GONGKAI_JWT_SECRET_FILE="$GONGKAI_SECRETS/jwt-hs256.key"
GONGKAI_JWT_ISSUER=gongkai-bench-memory
GONGKAI_JWT_AUDIENCE=gongkai
GONGKAI_HEALTHCHECK="$GONGKAI_BUILD_DIR/libs/server/gongkai-healthcheck"
# shellcheck source=deploy/scripts/common.sh
source "$GONGKAI_ROOT/deploy/scripts/common.sh"
# shellcheck source=deploy/scripts/mariadb.sh
source "$GONGKAI_ROOT/deploy/scripts/mariadb.sh"
# shellcheck source=deploy/scripts/services.sh
source "$GONGKAI_ROOT/deploy/scripts/services.sh"

# GONGKAI_BENCH_GATEWAY_BIN: another gongkai-gateway (the other processes from the tree).
if [[ -n ${GONGKAI_BENCH_GATEWAY_BIN:-} ]]; then
  eval "$(declare -f service_binary | sed '1s/service_binary/_tree_service_binary/')"
  service_binary() {
    if [[ $1 == gateway ]]; then echo "$GONGKAI_BENCH_GATEWAY_BIN"; else _tree_service_binary "$1"; fi
  }
fi

DURATION=${GONGKAI_BENCH_DURATION:-8s}
# The load comes from one address: the gateway's rate limits would answer it with 429s.
export GONGKAI_RATE_LIMIT_ANONYMOUS_READ=0:0 GONGKAI_RATE_LIMIT_AUTHENTICATED=0:0
LOADGEN="$GONGKAI_BUILD_DIR/tests/bench/gongkai-loadgen"
DO_BUILD=1
[[ ${1:-} == --no-build ]] && DO_BUILD=0

STARTED=()
SAMPLERS=()
cleanup() {
  local rc=$? name pid
  trap - EXIT INT TERM
  for pid in "${SAMPLERS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for ((i = ${#STARTED[@]} - 1; i >= 0; i--)); do service_stop "${STARTED[i]}" || true; done
  mariadb_stop "$GONGKAI_MARIADB_DIR" || true
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

dev_mysql_port() { cat "$GONGKAI_STATE/mysql-port"; }

# Free ports for every process (GONGKAI_<NAME>_GRPC_PORT / _METRICS_PORT, as ./gongkai).
# Below the kernel's ephemeral range (32768–60999), so no outgoing connection takes one.
next_port=23000
PORT=""
take_port() {
  while port_in_use "$next_port"; do next_port=$((next_port + 1)); done
  PORT=$next_port
  next_port=$((next_port + 1))
}

if ((DO_BUILD)); then
  targets=(gongkai-gateway gongkai-api-key gongkai-healthcheck gongkai-loadgen)
  for name in $(service_names); do [[ $name == gateway ]] || targets+=("gongkai-$name"); done
  log "building ${targets[*]}"
  flock /tmp/gongkai-build.lock cmake --build "$GONGKAI_BUILD_DIR" -j2 --target "${targets[@]}" \
    >/dev/null || die "build failed"
fi

mkdir -p "$GONGKAI_SECRETS" "$GONGKAI_LOGS" "$GONGKAI_RUN"
chmod 700 "$GONGKAI_STATE" "$GONGKAI_SECRETS"
[[ -s $GONGKAI_JWT_SECRET_FILE ]] || write_secret "$GONGKAI_JWT_SECRET_FILE" "$(random_hex 32)"
mariadb_stop "$GONGKAI_MARIADB_DIR" || true
mariadb_init "$GONGKAI_MARIADB_DIR"
take_port
echo "$PORT" >"$GONGKAI_STATE/mysql-port"
mariadb_start "$GONGKAI_MARIADB_DIR" "$(dev_mysql_port)"

for name in $(service_names); do
  var=$(_service_env_name "$name" GRPC_PORT)
  [[ $name == gateway ]] && var=GONGKAI_GATEWAY_HTTP_PORT
  take_port
  printf -v "$var" '%s' "$PORT"
  export "${var?}"
  var=$(_service_env_name "$name" METRICS_PORT)
  take_port
  printf -v "$var" '%s' "$PORT"
  export "${var?}"
done

for name in $(service_names); do
  [[ $name == gateway ]] && continue
  [[ -x $(service_binary "$name") ]] || die "$(service_binary "$name") is not built"
  service_ensure_db "$name"
  service_start "$name"
  STARTED+=("$name")
done
for name in "${STARTED[@]}"; do service_wait_healthy "$name"; done
gateway_ensure_api_key
service_start gateway
STARTED+=(gateway)
service_wait_healthy gateway

# A published document to read through the gateway (the catalog's demo data).
if demo=$(service_demo_binary catalog) && [[ -x $demo ]]; then
  "$demo" --target="127.0.0.1:$(service_grpc_port catalog)" --secret-file="$GONGKAI_JWT_SECRET_FILE" \
    --issuer="$GONGKAI_JWT_ISSUER" --audience="$GONGKAI_JWT_AUDIENCE" \
    >"$GONGKAI_LOGS/demo.log" 2>&1 || warn "catalog demo data not loaded; see $GONGKAI_LOGS/demo.log"
fi

# mem_row NAME PID: "RSS anon file threads" in MiB from smaps_rollup and status.
mem_of() {
  awk '$1 == "Rss:" { r = $2 } $1 == "Anonymous:" { a = $2 } END { printf "%.1f %.1f %.1f", r / 1024, a / 1024, (r - a) / 1024 }' \
    "/proc/$1/smaps_rollup"
  awk '$1 == "Threads:" { printf " %d\n", $2 }' "/proc/$1/status"
}

# maps_of PID: the resident KiB of each mapped file (and of [heap], [stack], anonymous
# mappings), largest first, from /proc/PID/smaps.
maps_of() {
  awk '/^[0-9a-f]+-[0-9a-f]+ / { name = (NF >= 6 ? $6 : "[anon]") }
       $1 == "Rss:" { rss[name] += $2 }
       END { for (n in rss) if (rss[n] > 0) printf "%8d KiB  %s\n", rss[n], n }' \
    "/proc/$1/smaps" | sort -rn | awk -v n="${GONGKAI_BENCH_MAPS:-0}" 'NR <= n'
}

sleep "${GONGKAI_BENCH_IDLE_WAIT:-5}"
declare -A PIDS IDLE MAPS
for name in "${STARTED[@]}"; do
  PIDS[$name]=$(service_pid "$name")
  IDLE[$name]=$(mem_of "${PIDS[$name]}")
  if ((${GONGKAI_BENCH_MAPS:-0} > 0)); then MAPS[$name]=$(maps_of "${PIDS[$name]}"); fi
done

# Load on every process at once; VmRSS sampled every 100 ms.
for name in "${STARTED[@]}"; do
  pid=${PIDS[$name]}
  (
    max=0
    while [[ -r /proc/$pid/status ]]; do
      kb=$(awk '$1 == "VmRSS:" { print $2 }' "/proc/$pid/status" 2>/dev/null || echo 0)
      if [[ -n $kb ]] && ((kb > max)); then max=$kb && echo "$max" >"$GONGKAI_RUN/$name.rss-max"; fi
      sleep 0.1
    done
  ) </dev/null >/dev/null 2>&1 &
  SAMPLERS+=($!)
done
loads=()
for name in "${STARTED[@]}"; do
  [[ $name == gateway ]] && continue
  "$LOADGEN" health --target="127.0.0.1:$(service_grpc_port "$name")" --duration="$DURATION" \
    --warmup=1s --threads=1 --channels=2 --concurrency=16 >"$GONGKAI_LOGS/load-$name.txt" 2>&1 &
  loads+=($!)
done
url="http://127.0.0.1:$(service_grpc_port gateway)/v1/documents/1"
curl -fsS -o /dev/null "$url" || url="http://127.0.0.1:$(service_grpc_port gateway)/healthz"
wrk -t2 -c16 -d"${DURATION%s}"s "$url" >"$GONGKAI_LOGS/load-gateway.txt" 2>&1 &
loads+=($!)
for pid in "${loads[@]}"; do wait "$pid" || warn "a load run failed (logs in $GONGKAI_LOGS)"; done
sleep 0.3

echo
echo "gongkai memory — $(date -u +%FT%TZ) — $(nproc) cores; idle after start, peak under load"
echo "  (health Check × 16 in flight on every service and GET ${url#http://*/} × 16 through the gateway, all at once, $DURATION)"
printf '%-16s %-44s %-14s %-12s %s\n' PROCESS "IDLE RSS (anon + file), threads" "PEAK LOAD" TARGET VERDICT
for name in "${STARTED[@]}"; do
  read -r rss anon file threads <<<"${IDLE[$name]}"
  peak=$(awk '{ printf "%.1f", $1 / 1024 }' "$GONGKAI_RUN/$name.rss-max" 2>/dev/null || echo 0)
  verdict=$(awk -v i="$rss" -v p="$peak" 'BEGIN { print (i <= 20 ? "met" : "MISSED") "/" (p <= 64 ? "met" : "MISSED") }')
  printf '%-16s %-44s %-14s %-12s %s\n' "$name" "$rss MiB ($anon + $file), $threads threads" \
    "$peak MiB" "≤ 20 / ≤ 64" "$verdict"
done
if ((${GONGKAI_BENCH_MAPS:-0} > 0)); then
  for name in "${STARTED[@]}"; do
    echo
    echo "$name, idle: the ${GONGKAI_BENCH_MAPS} largest resident mappings"
    printf '%s\n' "${MAPS[$name]}"
  done
fi
