#!/usr/bin/env bash
# Runs every libFuzzer target of tests/fuzz and prints executions and crashes per target.
#
#   tests/fuzz/run.sh [SECONDS]          each target for SECONDS (default 120)
#   tests/fuzz/run.sh --runs N [SECONDS] each target until N executions (SECONDS caps it)
#   tests/fuzz/run.sh --only NAME ...    one target (page_token, jwt, gateway_request, ...)
#
# Builds build-fuzz/ first (clang -O1 for speed, GONGKAI_FUZZ=ON, the fuzz targets only;
# under the build lock) unless --bin-dir names a folder with the binaries (the short runs
# of ./gongkai test use the -O0 targets of build-sanitize/). Each target starts from its
# seed corpus tests/fuzz/<name>/corpus/ and writes what it finds to a scratch folder
# (${GONGKAI_FUZZ_WORK:-build-fuzz/work}/<name>/), never into the repository. A crash
# leaves crash-<sha1> there and makes the script exit non-zero; add the input to the
# corpus as regression-<what>.txt once the bug is fixed. --smoke (used by the CTest
# tests fuzz_<name>_smoke) only changes the output to one line per target.
set -euo pipefail

FUZZ_DIR="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
ROOT="$(cd "$FUZZ_DIR/../.." && pwd)"
BUILD_DIR="$ROOT/build-fuzz"
TARGETS=(page_token search_terms calendar_data metrics_labels jwt path_template transcoder
  gateway_request)

seconds=120 runs=0 only="" bin_dir="" smoke=0
while (($#)); do
  case $1 in
    --runs) runs=$2; shift ;;
    --only) only=$2; shift ;;
    --bin-dir) bin_dir=$2; shift ;;
    --smoke) smoke=1 ;;
    -h | --help) sed -n '2,16p' "$0"; exit 0 ;;
    *[!0-9]* | "") echo "run.sh: unknown argument $1" >&2; exit 2 ;;
    *) seconds=$1 ;;
  esac
  shift
done
if [[ -n $only ]]; then TARGETS=("$only"); fi

if [[ -z $bin_dir ]]; then
  bin_dir="$BUILD_DIR/tests/fuzz"
  lock="${TMPDIR:-/tmp}/gongkai-build.lock"
  flock "$lock" cmake -S "$ROOT" -B "$BUILD_DIR" -DCMAKE_CXX_COMPILER=clang++ -DGONGKAI_FUZZ=ON \
    -DGONGKAI_TESTS=none -DCMAKE_BUILD_TYPE=None "-DCMAKE_CXX_FLAGS=-O1 -gline-tables-only" \
    >/dev/null
  flock "$lock" cmake --build "$BUILD_DIR" -j"$(nproc)" --target "${TARGETS[@]/#/fuzz_}" >/dev/null
fi
work="${GONGKAI_FUZZ_WORK:-$(dirname "$bin_dir")/../work}"
mkdir -p "$work"
work="$(cd "$work" && pwd)"

failed=0
((smoke)) || printf '%-16s %12s %10s %8s %8s %s\n' TARGET EXECUTIONS EXEC/S CORPUS CRASHES SECONDS
for name in "${TARGETS[@]}"; do
  binary="$bin_dir/fuzz_$name"
  [[ -x $binary ]] || { echo "run.sh: $binary is not built" >&2; exit 2; }
  out="$work/$name"
  rm -rf "$out"
  mkdir -p "$out/corpus" "$out/artifacts"
  flags=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2560 -print_final_stats=1
    -artifact_prefix="$out/artifacts/" -close_fd_mask=1)
  ((runs > 0)) && flags+=(-runs="$runs")
  start=$SECONDS
  rc=0
  # New inputs go to the first folder (scratch); the seeds are only read.
  "$binary" "${flags[@]}" "$out/corpus" "$FUZZ_DIR/$name/corpus" >"$out/log" 2>&1 || rc=$?
  executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/log" | tail -1)
  per_second=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$out/log" | tail -1)
  corpus=$(find "$FUZZ_DIR/$name/corpus" "$out/corpus" -type f | wc -l)
  crashes=$(find "$out/artifacts" -type f | wc -l)
  if ((rc != 0 && crashes == 0)); then crashes=1; fi
  if ((crashes > 0)); then
    failed=1
    grep -E 'ERROR|FUZZ_CHECK|runtime error|SUMMARY' "$out/log" | head -5 >&2 || true
    echo "run.sh: $name: log $out/log, inputs in $out/artifacts/" >&2
  fi
  if ((smoke)); then
    echo "fuzz_$name: ${executions:-0} executions in $((SECONDS - start)) s, $crashes crashes"
  else
    printf '%-16s %12s %10s %8s %8s %s\n' "$name" "${executions:-0}" "${per_second:-0}" \
      "$corpus" "$crashes" "$((SECONDS - start))"
  fi
done
exit "$failed"
