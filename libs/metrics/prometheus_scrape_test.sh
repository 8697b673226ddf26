#!/usr/bin/env bash
# A real Prometheus server scrapes our exposer and must find the target up, with no
# scrape error, and read back the values we exported (escaped labels included).
# Usage: prometheus_scrape_test.sh <metrics_sample binary>
set -euo pipefail
sample="$1"
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

# The exposer runs until its stdin closes.
mkfifo "$work/stdin"
"$sample" --serve < "$work/stdin" > "$work/port" &
sample_pid=$!
exec 3> "$work/stdin"
for _ in $(seq 50); do [ -s "$work/port" ] && break; sleep 0.1; done
target_port=$(head -n1 "$work/port")
[ -n "$target_port" ] || { echo "FAIL: exposer did not start"; exit 1; }

prom_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > "$work/prometheus.yml" <<YAML
global:
  scrape_interval: 1s
  scrape_timeout: 1s
scrape_configs:
  - job_name: gongkai
    static_configs:
      - targets: ['127.0.0.1:${target_port}']
YAML
"$prometheus" --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/data" \
  --web.listen-address="127.0.0.1:${prom_port}" --log.level=warn > "$work/prometheus.log" 2>&1 &
prom_pid=$!

query() {
  curl -sf --get "http://127.0.0.1:${prom_port}/api/v1/query" --data-urlencode "query=$1" |
    python3 -c 'import json,sys; r=json.load(sys.stdin)["data"]["result"]; print(r[0]["value"][1] if r else "")'
}
up=""
for _ in $(seq 60); do
  up=$(query 'up{job="gongkai"}' 2>/dev/null || true)
  [ "$up" = "1" ] && break
  sleep 0.5
done
if [ "$up" != "1" ]; then
  echo "FAIL: target not up (up=$up)"
  curl -s "http://127.0.0.1:${prom_port}/api/v1/targets" || true
  cat "$work/prometheus.log"
  exit 1
fi
last_error=$(curl -sf "http://127.0.0.1:${prom_port}/api/v1/targets" |
  python3 -c 'import json,sys; t=json.load(sys.stdin)["data"]["activeTargets"][0]; print(t["health"], t["lastError"])')
[ "$last_error" = "up " ] || { echo "FAIL: target health: $last_error"; exit 1; }

check() {  # <promql> <expected value>
  local got
  got=$(query "$1")
  if [ "$got" != "$2" ]; then echo "FAIL: $1 = '$got', expected '$2'"; exit 1; fi
  echo "ok: $1 = $got"
}
check 'catalog_documents{state="PUBLISHED"}' 12
check 'catalog_returned_submissions_total{cause="quote\" back\\slash\nnewline"}' 2
check 'grpc_server_handled_total{grpc_service="grpc.health.v1.Health",grpc_method="Check",grpc_code="OK"}' 3
check 'catalog_search_seconds_count' 2
check 'catalog_search_seconds_bucket{le="+Inf"}' 2
check 'catalog_search_seconds_bucket{le="0.025"}' 1
check 'count(process_resident_memory_bytes > 0)' 1
echo "PASS: a real Prometheus server scraped the exposer"
