#!/usr/bin/env bash
# A real Prometheus server scrapes our exposer and must find the target up and read back
# the values we exported (escaped labels included).
# Usage: prometheus_scrape_test.sh <metrics_sample binary>
#
# Written for a loaded, shared CI machine: nothing is timed, every step waits for its
# condition (up to WAIT_S seconds, then fails saying what it waited for), and no port is
# chosen in advance: the exposer and Prometheus both bind port 0 and report the port
# they got. A slow scrape may fail now and then; the test waits for a successful one
# (the target's health "up") and polls each value until a scrape has delivered it.
set -euo pipefail
sample="$1"
readonly WAIT_S=60
readonly POLL_S=0.2
prometheus=$(command -v prometheus || true)
[ -n "$prometheus" ] || { echo "FAIL: prometheus server not installed (Debian package prometheus)"; exit 1; }
work=$(mktemp -d)
cleanup() {
  [ -n "${prom_pid:-}" ] && kill "$prom_pid" 2>/dev/null || true
  exec 3>&- 2>/dev/null || true
  [ -n "${sample_pid:-}" ] && kill "$sample_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# Runs `$@` every POLL_S seconds until it succeeds; after WAIT_S seconds, or as soon as the
# process `pid` has exited, prints "FAIL: <what>" and returns 1.
wait_for() {  # <what> <pid> <command...>
  local what=$1 pid=$2
  shift 2
  local deadline=$((SECONDS + WAIT_S))
  until "$@"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "FAIL: $what (the process exited)"
      return 1
    fi
    if ((SECONDS >= deadline)); then
      echo "FAIL: $what (waited ${WAIT_S} s)"
      return 1
    fi
    sleep "$POLL_S"
  done
}

# The exposer binds 127.0.0.1:0, prints the port it got on its first line and runs until
# its stdin closes.
mkfifo "$work/stdin"
"$sample" --serve < "$work/stdin" > "$work/port" 2> "$work/sample.log" &
sample_pid=$!
exec 3> "$work/stdin"
port_printed() { [ "$(wc -l < "$work/port")" -ge 1 ]; }
wait_for "the exposer printing its port" "$sample_pid" port_printed ||
  { cat "$work/sample.log"; exit 1; }
target_port=$(head -n1 "$work/port")
[[ "$target_port" =~ ^[0-9]+$ ]] || { echo "FAIL: exposer printed '$target_port', not a port"; exit 1; }

# The scrape timeout may not exceed the interval; both are several times a normal scrape.
cat > "$work/prometheus.yml" <<YAML
global:
  scrape_interval: 5s
  scrape_timeout: 5s
scrape_configs:
  - job_name: gongkai
    static_configs:
      - targets: ['127.0.0.1:${target_port}']
YAML
# Prometheus binds 127.0.0.1:0 too and logs the address it got:
#   ... component=web msg="Listening on" address=127.0.0.1:38053
"$prometheus" --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/data" \
  --web.listen-address="127.0.0.1:0" --log.level=info > "$work/prometheus.log" 2>&1 &
prom_pid=$!
prom_port=""
prometheus_listening() {
  prom_port=$(sed -n 's/.*msg="Listening on" address=127\.0\.0\.1:\([0-9][0-9]*\).*/\1/p' \
    "$work/prometheus.log" | head -n1)
  [ -n "$prom_port" ]
}
wait_for "Prometheus logging its listening address" "$prom_pid" prometheus_listening ||
  { cat "$work/prometheus.log"; exit 1; }

api() {  # <path> [curl args...]: the JSON answer of the Prometheus HTTP API
  local path=$1
  shift
  curl -sf --max-time 10 "$@" "http://127.0.0.1:${prom_port}/api/v1/${path}"
}
query() {  # <promql>: the value of the first series, "" when there is none
  api query --get --data-urlencode "query=$1" |
    python3 -c 'import json,sys; r=json.load(sys.stdin)["data"]["result"]; print(r[0]["value"][1] if r else "")'
}
target_health() {  # "<health> <lastError>" of the one target
  api targets |
    python3 -c 'import json,sys; t=json.load(sys.stdin)["data"]["activeTargets"]; print(t[0]["health"], t[0]["lastError"]) if t else print("none")'
}

# A successful scrape: the target is "up" (its last scrape had no error).
health=""
target_up() {
  health=$(target_health 2>/dev/null || true)
  [ "${health%% *}" = "up" ]
}
if ! wait_for "a successful scrape of the exposer" "$prom_pid" target_up; then
  echo "last target health and error: ${health:-no answer from the API}"
  api targets || true
  echo
  cat "$work/prometheus.log"
  exit 1
fi
echo "ok: target health: $health"

# Each value is polled: a scrape that fails after a good one marks the series stale,
# and the next good scrape brings them back.
check() {  # <promql> <expected value>
  local got=""
  value_is() {
    got=$(query "$1" 2>/dev/null || true)
    [ "$got" = "$2" ]
  }
  if ! wait_for "$1 = '$2'" "$prom_pid" value_is "$1" "$2"; then
    echo "last value: '$got'; target health: $(target_health 2>/dev/null || echo unknown)"
    exit 1
  fi
  echo "ok: $1 = $got"
}
check 'up{job="gongkai"}' 1
check 'catalog_documents{state="PUBLISHED"}' 12
check 'catalog_returned_submissions_total{cause="quote\" back\\slash\nnewline"}' 2
check 'grpc_server_handled_total{grpc_service="grpc.health.v1.Health",grpc_method="Check",grpc_code="OK"}' 3
check 'catalog_search_seconds_count' 2
check 'catalog_search_seconds_bucket{le="+Inf"}' 2
check 'catalog_search_seconds_bucket{le="0.025"}' 1
check 'count(process_resident_memory_bytes > 0)' 1
echo "PASS: a real Prometheus server scraped the exposer"
