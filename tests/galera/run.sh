#!/usr/bin/env bash
# The longer Galera run (issue 17): the same test as the CTest galera_failover_e2e_test
# (tests/e2e/galera_failover_e2e_test.cc) with more writers, a longer load and more
# same-request-id pairs; prints its figures (never asserts on them). The correctness
# checks (nothing acknowledged lost or doubled, both replicas serving after the kill)
# still fail the run. Record the figures in docs/scaling.md.
#
#   tests/galera/run.sh                  8 writers, 60 s of load, 200 pairs
#   GONGKAI_GALERA_WRITERS=16 GONGKAI_GALERA_LOAD_SECONDS=120 tests/galera/run.sh
#   tests/galera/run.sh suite [CTEST_ARGS...]
#        every integration and e2e test (ctest -L 'integration|e2e') against node 1
#        of a fresh three-node cluster instead of ./gongkai test's single MariaDB
#
# Needs a built tree (./gongkai up or the build lock + cmake --build build) and Debian's
# galera-4, mariadb-server and rsync. Does not need ./gongkai test's MariaDB.
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
build=${GONGKAI_BUILD_DIR:-$root/build}
binary="$build/tests/e2e/galera_failover_e2e_test"
[[ ${1:-} == suite || -x $binary ]] || {
  echo "galera run: $binary is not built (cmake --build build --target galera_failover_e2e_test)" >&2
  exit 1
}
if [[ ${1:-} == suite ]]; then
  shift
  dir=$(mktemp -d "${TMPDIR:-/tmp}/gongkai-galera-suite.XXXXXX")
  script="$root/deploy/galera/galera.sh"
  trap 'bash "$script" stop "$dir" >/dev/null 2>&1 || true; rm -rf "$dir"' EXIT
  base=$((20000 + RANDOM % 400 * 100))
  bash "$script" start "$dir" "$base"
  password=$(head -c 16 /dev/urandom | od -An -v -tx1 | tr -d ' \n')
  bash "$script" create-admin "$dir" gongkai_test "$password"
  echo "galera suite: integration and e2e tests against node 1 (127.0.0.1:$((base + 1)))"
  GONGKAI_TEST_MYSQL_HOST=127.0.0.1 GONGKAI_TEST_MYSQL_PORT=$((base + 1)) \
    GONGKAI_TEST_MYSQL_USER=gongkai_test GONGKAI_TEST_MYSQL_PASSWORD="$password" \
    GONGKAI_BUILD_DIR="$build" GONGKAI_SOURCE_DIR="$root" \
    ctest --test-dir "$build" -L 'integration|e2e' -E galera_failover --output-on-failure \
    -j1 --timeout 900 "$@"
  exit $?
fi

export GONGKAI_GALERA_WRITERS=${GONGKAI_GALERA_WRITERS:-8}
export GONGKAI_GALERA_LOAD_SECONDS=${GONGKAI_GALERA_LOAD_SECONDS:-60}
export GONGKAI_GALERA_CONFLICT_PAIRS=${GONGKAI_GALERA_CONFLICT_PAIRS:-200}
log=$(mktemp "${TMPDIR:-/tmp}/gongkai-galera-run.XXXXXX.log")
echo "galera run: $GONGKAI_GALERA_WRITERS writers, ${GONGKAI_GALERA_LOAD_SECONDS}s load, $GONGKAI_GALERA_CONFLICT_PAIRS pairs; machine: $(nproc) cores; full log $log"
rc=0
"$binary" >"$log" 2>&1 || rc=$?
grep -E '^\[galera\]|^\[  (PASSED|FAILED|SKIPPED)|Failure|error' "$log" | grep -v '^{' || true
if ((rc != 0)); then
  echo "galera run: FAILED (exit $rc); see $log" >&2
fi
exit "$rc"
