#!/usr/bin/env bash
# tests/bench/website.sh — the website-supervision prober's figures (issue 12), run by
# tests/bench/run.sh (./gongkai bench) or alone:
#
#   tests/bench/website.sh [--no-build]
#
# Prints figures, asserts none. Everything runs on loopback:
#   1. gongkai-website-bench --mode=serve: GONGKAI_BENCH_WEBSITE_SITES (10,000) local
#      sites on GONGKAI_BENCH_WEBSITE_ORIGINS (25) ports, each a home page with 3 links
#      (one dead) and 5 columns of 20 dated items;
#   2. gongkai-website-bench --mode=probe on its own MariaDB (started here, data under
#      .gongkai/bench/website-mariadb): the 10,000 sites registered with 5 columns each,
#      all due, then the service's ProbeScheduler for GONGKAI_BENCH_WEBSITE_SECONDS (60):
#      site checks a minute (target >= 1,000), pages a second, CPU time per check, peak
#      memory (target <= 64 MiB);
#   3. Debian's linkchecker on the same pages (GONGKAI_BENCH_LINKCHECK_SITES home pages,
#      recursion 1: each home page and the pages it links), pages a second — installed
#      here with apt-get when missing (the bench only needs it).
# The per-host pause is GONGKAI_BENCH_WEBSITE_HOST_INTERVAL_MS (0 here: 25 origins stand
# for thousands of hosts; production keeps GONGKAI_PROBER_HOST_INTERVAL=1s per host).
set -euo pipefail

GONGKAI_ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
# shellcheck source=deploy/scripts/common.sh
source "$GONGKAI_ROOT/deploy/scripts/common.sh"
# shellcheck source=deploy/scripts/mariadb.sh
source "$GONGKAI_ROOT/deploy/scripts/mariadb.sh"

BUILD="$GONGKAI_ROOT/build"
BENCH_BIN="$BUILD/services/website/gongkai-website-bench"
STATE="$GONGKAI_ROOT/.gongkai/bench/website-mariadb"
SITES=${GONGKAI_BENCH_WEBSITE_SITES:-10000}
ORIGINS=${GONGKAI_BENCH_WEBSITE_ORIGINS:-25}
SECONDS_RUN=${GONGKAI_BENCH_WEBSITE_SECONDS:-60}
WORKERS=${GONGKAI_BENCH_WEBSITE_WORKERS:-16}
CONCURRENCY=${GONGKAI_BENCH_WEBSITE_CONCURRENCY:-32}
HOST_INTERVAL_MS=${GONGKAI_BENCH_WEBSITE_HOST_INTERVAL_MS:-0}
LINKCHECK_SITES=${GONGKAI_BENCH_LINKCHECK_SITES:-50}
DO_BUILD=1
for arg in "$@"; do
  case $arg in
    --no-build) DO_BUILD=0 ;;
    *) die "website bench: unknown argument $arg (use --no-build)" ;;
  esac
done

RUN_DIR=$(mktemp -d "${TMPDIR:-/tmp}/gongkai-website-bench.XXXXXX")
SERVE_PID=""
cleanup() {
  [[ -n $SERVE_PID ]] && kill "$SERVE_PID" 2>/dev/null && wait "$SERVE_PID" 2>/dev/null
  mariadb_stop "$STATE" >/dev/null 2>&1 || true
  rm -rf "$RUN_DIR"
}
trap cleanup EXIT

free_port() {
  local port=$1
  while port_in_use "$port"; do port=$((port + 1)); done
  printf '%s\n' "$port"
}

if ((DO_BUILD)); then
  log "website bench: building gongkai-website-bench"
  with_build_lock cmake --build "$BUILD" -j2 --target gongkai-website-bench \
    >"$RUN_DIR/build.log" 2>&1 || { show_log_tail "$RUN_DIR/build.log" 40; die "build failed"; }
fi
[[ -x $BENCH_BIN ]] || die "$BENCH_BIN is not built (run without --no-build)"

# Its own MariaDB; the bench creates (and drops) a fresh database on it.
mkdir -p "$(dirname "$STATE")"
mariadb_stop "$STATE" >/dev/null 2>&1 || true
mariadb_init "$STATE"
DB_PORT=$(free_port 3580)
mariadb_start "$STATE" "$DB_PORT" --max-connections=200
PASSWORD=$(random_hex 16)
mariadb_sql "$STATE" <<SQL || die "could not create the bench user"
CREATE USER IF NOT EXISTS 'webbench'@'127.0.0.1' IDENTIFIED BY '$PASSWORD';
ALTER USER 'webbench'@'127.0.0.1' IDENTIFIED BY '$PASSWORD';
GRANT ALL PRIVILEGES ON *.* TO 'webbench'@'127.0.0.1';
SQL

log "website bench: serving $SITES local sites on $ORIGINS loopback ports"
"$BENCH_BIN" --mode=serve --origins="$ORIGINS" --sites="$SITES" \
  --ports_file="$RUN_DIR/ports" >"$RUN_DIR/serve.log" 2>&1 &
SERVE_PID=$!
for _ in $(seq 1 100); do [[ -s $RUN_DIR/ports ]] && break; sleep 0.2; done
[[ -s $RUN_DIR/ports ]] || { show_log_tail "$RUN_DIR/serve.log"; die "local sites did not start"; }

log "website bench: probing for ${SECONDS_RUN}s ($WORKERS workers, $CONCURRENCY in flight)"
GONGKAI_TEST_MYSQL_HOST=127.0.0.1 GONGKAI_TEST_MYSQL_PORT=$DB_PORT \
  GONGKAI_TEST_MYSQL_USER=webbench GONGKAI_TEST_MYSQL_PASSWORD=$PASSWORD \
  "$BENCH_BIN" --mode=probe --ports_file="$RUN_DIR/ports" --sites="$SITES" \
  --seconds="$SECONDS_RUN" --workers="$WORKERS" --concurrency="$CONCURRENCY" \
  --host_interval_ms="$HOST_INTERVAL_MS" 2>"$RUN_DIR/probe.log" | tee "$RUN_DIR/probe.out" ||
  { show_log_tail "$RUN_DIR/probe.log"; die "the prober bench failed"; }
OURS=$(awk '/^PAGES_PER_SECOND/ {print $2}' "$RUN_DIR/probe.out")

# The same link check by Debian's linkchecker, on the same pages.
if ! command -v linkchecker >/dev/null; then
  log "website bench: installing Debian's linkchecker (bench only)"
  (apt-get install -y linkchecker >"$RUN_DIR/apt.log" 2>&1 ||
    { apt-get update >>"$RUN_DIR/apt.log" 2>&1 && apt-get install -y linkchecker >>"$RUN_DIR/apt.log" 2>&1; }) ||
    warn "linkchecker could not be installed; see the comparison as missing"
fi
if command -v linkchecker >/dev/null; then
  read -r -a PORTS <"$RUN_DIR/ports"
  : >"$RUN_DIR/urls"
  for ((k = 0; k < LINKCHECK_SITES; k++)); do
    printf 'http://127.0.0.1:%s/s%d/\n' "${PORTS[k % ${#PORTS[@]}]}" "$k" >>"$RUN_DIR/urls"
  done
  start=$(date +%s.%N)
  # Recursion 1: each home page and every page it links (columns, articles, dead link).
  # CSV on stdout, every URL checked (--verbose; run as root, linkchecker drops to
  # nobody, who cannot write here).
  linkchecker --no-status --verbose -r 1 -t 10 --check-extern --stdin -o csv \
    <"$RUN_DIR/urls" >"$RUN_DIR/linkchecker.csv" 2>"$RUN_DIR/linkchecker.log" || true
  end=$(date +%s.%N)
  # One CSV row per URL checked (comment lines start with '#', the header with urlname).
  checked=$(grep -v -e '^#' -e '^urlname' -e '^$' "$RUN_DIR/linkchecker.csv" 2>/dev/null | wc -l)
  theirs=$(awk -v n="$checked" -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", n / (b - a) }')
  printf 'linkchecker (Debian %s): %s URLs from %s home pages in %.1f s = %s pages a second\n' \
    "$(linkchecker --version 2>/dev/null | head -1 | awk '{print $2}')" "$checked" \
    "$LINKCHECK_SITES" "$(awk -v a="$start" -v b="$end" 'BEGIN {print b - a}')" "$theirs"
  printf 'website prober: %s pages a second; ratio prober/linkchecker = %s\n' "$OURS" \
    "$(awk -v o="$OURS" -v t="$theirs" 'BEGIN { if (t > 0) printf "%.1f", o / t; else print "n/a" }')"
fi
