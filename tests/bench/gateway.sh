# tests/bench/gateway.sh — the gateway phase of tests/bench/run.sh (sourced; uses its
# helpers: load, row, note, broken, cpu_ticks, ratio, at_least, at_most, mib, ...).
#
# Issue 3 and issue 14 (P2, P4) in one run, in front of the catalog phase 1 started:
#   1. GetDocument directly over gRPC with gongkai-loadgen (the reference);
#   2. GET /v1/documents/{id} through gongkai-gateway with wrk;
#   3. the same GET through grpc-gateway (Go, Debian's v1.6.4; tests/bench/grpc_gateway_peer)
#      in front of the same catalog, with the same wrk settings;
# each with the CPU time per request of every process on the path (read from /proc),
# so the targets are checked per request as well as in requests/s:
#   gateway CPU per GET ≤ 0.5 × grpc-gateway's; ≤ 0.8 × the catalog's own CPU for the
#   call; gateway req/s ≥ 0.6 × direct; resident memory ≤ 20 MiB idle, ≤ 64 MiB under load.
# Then the median at one client (the latency the gateway adds, issue 3).
#
# Settings: GONGKAI_BENCH_GATEWAY_BIN (another gongkai-gateway, for before/after runs),
# GONGKAI_BENCH_PEER=0 (skip the grpc-gateway peer; it installs Go packages on first use),
# GONGKAI_BENCH_SYSCALLS=1 (also count the system calls of the process in front of the
# catalog per request with `perf stat` on the syscall tracepoints: futex wake-ups and
# waits, epoll waits, socket reads and writes; needs perf and root. Off by default:
# counting costs a little CPU), GONGKAI_BENCH_GATEWAY_PROFILE="perf record -g -o FILE -p"
# (a command run with the gateway's PID appended during its measured 16-connection load
# and stopped with SIGINT after it, for profiles under the bench's own load; its
# figures are then not the gateway's undisturbed ones).

GATEWAY_BIN="${GONGKAI_BENCH_GATEWAY_BIN:-$GATEWAY_BIN}"
PEER_PID=""
PEER_HTTP=""

# µs of CPU per request: gw_us TICKS REQUESTS
gw_us() { awk -v t="$1" -v n="$2" -v hz="$CLK_TCK" 'BEGIN { if (n > 0) printf "%.0f", t * 1e6 / hz / n; else print 0 }'; }

# "RSS x MiB (anon a + file f)" of a process, from /proc/PID/status.
mem_of() {
  awk '$1 == "VmRSS:" { r = $2 } $1 == "RssAnon:" { a = $2 } $1 == "RssFile:" { f = $2 }
    $1 == "Threads:" { t = $2 }
    END { printf "%.1f MiB (anon %.1f + file %.1f), %d threads", r / 1024, a / 1024, f / 1024, t }' \
    "/proc/$1/status"
}
rss_mib_of() { awk '$1 == "VmRSS:" { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }

# Peak VmRSS of PID, sampled every 100 ms into FILE until the sampler is killed.
start_rss_sampler() {
  local pid=$1 out=$2
  echo 0 >"$out"
  (
    max=0
    while [[ -r /proc/$pid/status ]]; do
      kb=$(awk '$1 == "VmRSS:" { print $2 }' "/proc/$pid/status" 2>/dev/null || echo 0)
      if [[ -n $kb ]] && ((kb > max)); then
        max=$kb
        echo "$max" >"$out"
      fi
      sleep 0.1
    done
  ) </dev/null >/dev/null 2>&1 &
  echo $!
}

start_peer() {
  local logfile=$1 line deadline=$((SECONDS + 30)) bin
  if ! bin=$("$GONGKAI_ROOT/tests/bench/grpc_gateway_peer/build.sh" "$BENCH_STATE/grpc-gateway-peer" \
    2>"$RUN_DIR/peer-build.log"); then
    show_log_tail "$RUN_DIR/peer-build.log" 30
    broken "building the grpc-gateway peer failed (see tests/bench/grpc_gateway_peer/build.sh)"
    return 1
  fi
  "$bin" --backend="$CATALOG_GRPC" --listen=127.0.0.1:0 </dev/null >"$logfile" 2>&1 &
  PEER_PID=$!
  until line=$(grep -m1 '"grpc-gateway listening"' "$logfile" 2>/dev/null); do
    if ! process_running "$PEER_PID"; then
      show_log_tail "$logfile"
      broken "the grpc-gateway peer exited during start"
      PEER_PID=""
      return 1
    fi
    ((SECONDS < deadline)) || { broken "grpc-gateway peer did not listen within 30s"; return 1; }
    sleep 0.1
  done
  PEER_HTTP="127.0.0.1:$(jq -r .http_port <<<"$line")"
  log "grpc-gateway peer (pid $PEER_PID) on http://$PEER_HTTP"
}

stop_peer() {
  [[ -n $PEER_PID ]] || return 0
  stop_pid grpc-gateway-peer "$PEER_PID" 10 || true
  wait "$PEER_PID" 2>/dev/null || true
  PEER_PID=""
}

# wrk_through NAME CONNECTIONS URL GATEWAY_PID: sets RPS, P50 (ms), REQUESTS, GW_US and
# CAT_US (CPU µs per request of the gateway process and of the catalog).
wrk_through() {
  local name=$1 connections=$2 url=$3 gw_pid=$4 out="$RUN_DIR/wrk-$1.txt" threads=$THREADS
  ((connections < threads)) && threads=$connections
  log "load: $name (wrk, $connections connections)"
  # Warm-up: connections, the catalog's document cache, the gateway's caches.
  wrk -t1 -c1 -d"$(seconds_of "$WARMUP")"s "$url" >/dev/null 2>&1 || true
  local gw0 cat0 gw1 cat1 perf_pid="" perf_out="$RUN_DIR/perf-$name.csv"
  if [[ ${GONGKAI_BENCH_SYSCALLS:-0} != 0 ]]; then
    perf stat -x, -o "$perf_out" -p "$gw_pid" -e syscalls:sys_enter_futex \
      -e syscalls:sys_enter_epoll_wait -e syscalls:sys_enter_epoll_pwait \
      -e syscalls:sys_enter_read -e syscalls:sys_enter_recvmsg -e syscalls:sys_enter_recvfrom \
      -e syscalls:sys_enter_write -e syscalls:sys_enter_sendmsg -e syscalls:sys_enter_sendto \
      -e syscalls:sys_enter_writev -e raw_syscalls:sys_enter -e context-switches \
      </dev/null >/dev/null 2>&1 &
    perf_pid=$!
  fi
  local profiler_pid=""
  if [[ -n ${GONGKAI_BENCH_GATEWAY_PROFILE:-} && $name == gateway-get-document ]]; then
    # shellcheck disable=SC2086 # a command with its arguments
    ${GONGKAI_BENCH_GATEWAY_PROFILE} "$gw_pid" </dev/null >"$RUN_DIR/profile.log" 2>&1 &
    profiler_pid=$!
  fi
  gw0=$(cpu_ticks "$gw_pid") cat0=$(cpu_ticks "$CATALOG_PID")
  RPS=0 P50=0 REQUESTS=0 GW_US=0 CAT_US=0
  if ! wrk -t"$threads" -c"$connections" -d"$(seconds_of "$DURATION")"s --latency "$url" \
    >"$out" 2>&1; then
    broken "$name: wrk failed"
    local pid
    for pid in $perf_pid $profiler_pid; do
      kill -INT "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
    done
    return 0
  fi
  gw1=$(cpu_ticks "$gw_pid") cat1=$(cpu_ticks "$CATALOG_PID")
  local pid
  for pid in $perf_pid $profiler_pid; do
    kill -INT "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  sed 's/^/    /' "$out" >&2
  grep -q 'Non-2xx or 3xx responses' "$out" && broken "$name: $(grep 'Non-2xx' "$out" | xargs)"
  RPS=$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$out")
  P50=$(awk '$1 == "50%" { v = $2; u = v; gsub(/[0-9.]/, "", u); sub(/[a-z]+$/, "", v);
    f = (u == "us") ? 0.001 : (u == "s") ? 1000 : 1; printf "%.3f", v * f }' "$out")
  REQUESTS=$(awk '/requests in/ { print $1 }' "$out")
  GW_US=$(gw_us $((gw1 - gw0)) "$REQUESTS")
  CAT_US=$(gw_us $((cat1 - cat0)) "$REQUESTS")
  note "$name: $RPS req/s, p50 $P50 ms; CPU/request: gateway process $GW_US µs + catalog $CAT_US µs"
  if [[ -n $perf_pid && -s $perf_out ]]; then
    # wrk's request count; perf counted a moment longer (its start and stop), so these
    # are slight over-estimates.
    note "$name: system calls per request: $(awk -F, -v n="$REQUESTS" '
      $3 ~ /^(syscalls|raw_syscalls):/ || $3 == "context-switches" {
        name = $3; sub(/^syscalls:sys_enter_/, "", name); sub(/^raw_syscalls:sys_enter$/, "all", name)
        if ($1 + 0 > 0 && n > 0) printf "%s%s %.2f", sep, name, $1 / n; if ($1 + 0 > 0) sep = ", " }' \
      "$perf_out")"
  fi
}

# phase_gateway DOCUMENT_ID: issue 3 and issue 14 P2/P4 figures (see the top).
phase_gateway() {
  local document_id=$1 r
  start_gateway "$RUN_DIR/gateway.log"
  local url="http://$GATEWAY_HTTP/v1/documents/$document_id"
  curl -fsS "$url" >"$RUN_DIR/gateway-body.json" || broken "GET $url failed before the load"
  sleep 1
  local gw_idle gw_idle_mib
  gw_idle=$(mem_of "$GATEWAY_PID") gw_idle_mib=$(rss_mib_of "$GATEWAY_PID")
  local peer_ok=0
  if [[ ${GONGKAI_BENCH_PEER:-1} != 0 ]] && start_peer "$RUN_DIR/peer.log"; then
    peer_ok=1
    curl -fsS "http://$PEER_HTTP/v1/documents/$document_id" >"$RUN_DIR/peer-body.json" ||
      broken "GET through grpc-gateway failed before the load"
    note "response body for the same document: gongkai-gateway $(wc -c <"$RUN_DIR/gateway-body.json")" \
      "bytes, grpc-gateway $(wc -c <"$RUN_DIR/peer-body.json") bytes (both with default-valued fields)"
  fi

  # 1. Direct gRPC, adjacent to the gateway runs (the catalog's own CPU for the call).
  load gateway-direct get-document --id="$document_id" --threads="$THREADS" \
    --channels="$CHANNELS" --concurrency="$CONCURRENCY"
  local direct_rps=$RPS direct_cat_us
  direct_cat_us=$(sed -E 's/.*catalog ([0-9]+) µs.*/\1/' <<<"$CPU")
  row "GetDocument direct gRPC (loadgen, c=$CONCURRENCY)" \
    "$direct_rps req/s; catalog $direct_cat_us µs/call" "—" "—"

  # 2. Through gongkai-gateway.
  local sampler peak_file="$RUN_DIR/gateway-rss-max"
  sampler=$(start_rss_sampler "$GATEWAY_PID" "$peak_file")
  wrk_through gateway-get-document "$CONCURRENCY" "$url" "$GATEWAY_PID"
  local gateway_rps=$RPS gateway_us=$GW_US gateway_cat_us=$CAT_US
  row "GET /v1/documents/{id} via gongkai-gateway (c=$CONCURRENCY)" \
    "$gateway_rps req/s; gateway $gateway_us + catalog $gateway_cat_us µs/req" "—" "—"

  # 3. Through grpc-gateway, same catalog, same wrk shape.
  local peer_rps=0 peer_us=0 peer_cat_us=0 peer_peak=0 peer_idle=""
  if ((peer_ok)); then
    peer_idle=$(mem_of "$PEER_PID")
    local peer_sampler peer_peak_file="$RUN_DIR/peer-rss-max"
    peer_sampler=$(start_rss_sampler "$PEER_PID" "$peer_peak_file")
    wrk_through grpc-gateway-get-document "$CONCURRENCY" \
      "http://$PEER_HTTP/v1/documents/$document_id" "$PEER_PID"
    peer_rps=$RPS peer_us=$GW_US peer_cat_us=$CAT_US
    kill "$peer_sampler" 2>/dev/null || true
    wait "$peer_sampler" 2>/dev/null || true
    peer_peak=$(cat "$peer_peak_file")
    row "GET /v1/documents/{id} via grpc-gateway (Go, c=$CONCURRENCY)" \
      "$peer_rps req/s; grpc-gateway $peer_us + catalog $peer_cat_us µs/req" "—" "—"
    note "grpc-gateway peer memory: idle $peer_idle; peak under load $(mib "$peer_peak") MiB"
    stop_peer
  fi

  r=$(ratio "$gateway_rps" "$direct_rps")
  row "gateway GET / direct gRPC GetDocument (req/s)" "$r" "≥ 0.6" "$(at_least "$r" 0.6)"
  if ((peer_ok)) && ((peer_us > 0)); then
    r=$(ratio "$gateway_us" "$peer_us")
    row "gateway CPU/GET ÷ grpc-gateway CPU/GET" "$r ($gateway_us / $peer_us µs)" "≤ 0.5" \
      "$(at_most "$r" 0.5)"
    r=$(ratio "$gateway_rps" "$peer_rps")
    row "gongkai-gateway req/s ÷ grpc-gateway req/s" "$r" "—" "—"
  fi
  r=$(ratio "$gateway_us" "$direct_cat_us")
  row "gateway CPU/GET ÷ catalog CPU/GetDocument" "$r ($gateway_us / $direct_cat_us µs)" "≤ 0.8" \
    "$(at_most "$r" 0.8)"

  # The median at one client: what a single user waits for (issue 3).
  load get-document-c1 get-document --id="$document_id" --threads=1 --channels=1 --concurrency=1
  local direct_p50=$P50
  wrk_through gateway-get-document-c1 1 "$url" "$GATEWAY_PID"
  local gateway_p50=$P50 added
  added=$(awk -v g="$gateway_p50" -v d="$direct_p50" 'BEGIN { printf "%.3f", g - d }')
  row "median, 1 client: direct gRPC / via gateway" "$direct_p50 ms / $gateway_p50 ms" "—" "—"
  row "latency the gateway adds at the median" "$added ms" "< 1 ms" "$(at_most "$added" 0.999)"

  kill "$sampler" 2>/dev/null || true
  wait "$sampler" 2>/dev/null || true
  local peak_kb
  peak_kb=$(cat "$peak_file")
  row "gateway RSS idle" "$gw_idle" "≤ 20 MiB" "$(at_most "$gw_idle_mib" 20)"
  row "gateway RSS peak under load" "$(mib "$peak_kb") MiB; after: $(mem_of "$GATEWAY_PID")" \
    "≤ 64 MiB" "$(at_most "$(mib "$peak_kb")" 64)"
  stop_gateway
}
