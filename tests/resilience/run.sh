#!/usr/bin/env bash
# The long forms of the fault tests (issue 15, tests/resilience/resilience_test.cc):
# MariaDB SIGKILLed under 8 writers for ~50 s, the catalog killed three times behind the
# gateway, a rolling SIGTERM restart of every built service and the gateway (three
# rounds each), 10,000 creates sent three times each by 9 concurrent clients, and
# deadlines under a held row lock and a slow insert. Prints the figures (lines starting
# with "[resilience]") for docs/reliability.md; the correctness checks still fail the run.
#
#   tests/resilience/run.sh                       every scenario, long form
#   tests/resilience/run.sh DatabaseKilled        the scenarios whose name matches
#   GONGKAI_RESILIENCE_RETRY_CREATES=20000 tests/resilience/run.sh Retried
#
# Knobs (GONGKAI_RESILIENCE_*): WRITERS, LOAD_BEFORE_SECONDS, OUTAGE_SECONDS,
# LOAD_AFTER_SECONDS, KILL_ROUNDS, SERVICE_DOWN_SECONDS, SIGTERM_ROUNDS, SIGTERM_CLIENTS,
# RETRY_CREATES, RETRY_COPIES, RETRY_CLIENTS_PER_COPY, LOCKED_CALLS, DEADLINE_MS,
# OBSERVE_SECONDS, SLOW_QUERY_SECONDS. Each scenario starts a MariaDB of its own
# (tests/resilience/mariadb_instance.sh); ./gongkai test's instance is not needed.
# Needs a built tree: cmake --build build --target resilience_test (under the build lock).
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
build=${GONGKAI_BUILD_DIR:-$root/build}
binary="$build/tests/resilience/resilience_test"
[[ -x $binary ]] || {
  echo "resilience run: $binary is not built (cmake --build build --target resilience_test)" >&2
  exit 1
}
filter="ResilienceTest.*${1:-}*"
log=$(mktemp "${TMPDIR:-/tmp}/gongkai-resilience-run.XXXXXX.log")
echo "resilience run (long forms): $(date -u +%FT%TZ), commit $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo ?), machine: $(nproc) cores; full log $log"
rc=0
start=$(date +%s)
GONGKAI_RESILIENCE_LONG=1 "$binary" --gtest_filter="$filter" >"$log" 2>&1 || rc=$?
grep -E '^\[resilience\]|^\[  (PASSED|FAILED|SKIPPED)|^\[ +(OK|FAILED) +\]|Failure' "$log" || true
echo "resilience run: $(($(date +%s) - start)) s wall"
if ((rc != 0)); then
  echo "resilience run: FAILED (exit $rc); see $log" >&2
fi
exit "$rc"
