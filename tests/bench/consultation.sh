#!/usr/bin/env bash
# tests/bench/consultation.sh — the consultation service's figures (issue 10), run by
# tests/bench/run.sh or alone. Prints figures (requests/s and CPU time per request);
# never asserts: a missed target is reported, not a failure. Exits non-zero only when
# something broke (a build, MariaDB, a process, failed calls).
#
# In one run, on one MariaDB (durable: innodb_flush_log_at_trx_commit=1):
#   1. PostComment through the gateway (anonymous POST /v1/consultations/{id}/comments,
#      a different text each time, wrk) vs `sysbench oltp_insert` at the same
#      concurrency: target ≥ 0.4×.
#   2. ListComments of a consultation holding GONGKAI_BENCH_COMMENTS (100,000) comments,
#      pages at random keyset positions: p99 target ≤ 20 ms.
#   3. Grouping a new comment against those 100,000 (six SimHash band rows each): the
#      PostComment p99 on that consultation, target ≤ 20 ms.
#   4. The same with near-identical copies of 200 campaign texts, which join their
#      groups (the path a mass campaign takes), target ≤ 20 ms.
#
# Settings: GONGKAI_BENCH_DURATION=8s, GONGKAI_BENCH_WRITE_CONCURRENCY=8,
# GONGKAI_BENCH_COMMENTS=100000, GONGKAI_BENCH_CONSULTATION_MYSQL_PORT=3560.
set -euo pipefail

GONGKAI_ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
# shellcheck source=deploy/scripts/common.sh
source "$GONGKAI_ROOT/deploy/scripts/common.sh"
# shellcheck source=deploy/scripts/mariadb.sh
source "$GONGKAI_ROOT/deploy/scripts/mariadb.sh"

BUILD="$GONGKAI_ROOT/build"
CATALOG_BIN="$BUILD/services/catalog/gongkai-catalog"
CONSULTATION_BIN="$BUILD/services/consultation/gongkai-consultation"
GATEWAY_BIN="$BUILD/gateway/gongkai-gateway"
TOKEN_BIN="$BUILD/libs/auth/gongkai-token"
HEALTH_BIN="$BUILD/libs/server/gongkai-healthcheck"
DURATION=${GONGKAI_BENCH_DURATION:-8s}
SECONDS_RUN=${DURATION%s}
CONCURRENCY=${GONGKAI_BENCH_WRITE_CONCURRENCY:-8}
COMMENTS=${GONGKAI_BENCH_COMMENTS:-100000}
ISSUER=gongkai-bench
AUDIENCE=gongkai
DB_USER=gongkai_bench
CLK_TCK=$(getconf CLK_TCK)

[[ ${1:-} == --no-build ]] || with_build_lock cmake --build "$BUILD" -j2 --target \
  gongkai-catalog gongkai-consultation gongkai-gateway gongkai-token gongkai-healthcheck

RUN_DIR=$(mktemp -d "${TMPDIR:-/tmp}/gongkai-bench-consultation.XXXXXX")
MARIADB_DIR="$RUN_DIR/mariadb"
PIDS=()
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do stop_pid bench "$pid" 20 || true; done
  mariadb_stop "$MARIADB_DIR" || true
}
trap cleanup EXIT

free_port() {
  local port=$1
  while port_in_use "$port"; do port=$((port + 1)); done
  printf '%s\n' "$port"
}
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
sum_ticks() {
  local total=0 pid
  for pid in "$@"; do total=$((total + $(cpu_ticks "$pid"))); done
  echo "$total"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 == 0) print 0; else printf "%.2f", a / b }'; }
verdict() { awk -v v="$1" -v l="$2" -v op="$3" 'BEGIN {
  ok = (op == ">=") ? (v + 0 >= l + 0) : (v + 0 <= l + 0); print ok ? "met" : "MISSED" }'; }
ROWS=()
row() { ROWS+=("$1|$2|$3|$4"); }

# ---------------------------------------------------------------------- MariaDB, processes
mariadb_init "$MARIADB_DIR"
DB_PORT=$(free_port "${GONGKAI_BENCH_CONSULTATION_MYSQL_PORT:-3560}")
mariadb_start "$MARIADB_DIR" "$DB_PORT" --innodb-buffer-pool-size=512M --max-connections=300
PASSWORD=$(random_hex 16)
write_secret "$RUN_DIR/db-password" "$PASSWORD"
write_secret "$RUN_DIR/jwt.key" "$(random_hex 32)"
mariadb_sql "$MARIADB_DIR" <<SQL
CREATE USER '$DB_USER'@'127.0.0.1' IDENTIFIED BY '$PASSWORD';
GRANT ALL PRIVILEGES ON *.* TO '$DB_USER'@'127.0.0.1';
CREATE DATABASE bench_catalog CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE DATABASE bench_consultation CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE DATABASE bench_sysbench;
SQL
MARIADB_PID=$(mariadb_pid "$MARIADB_DIR")

# The comment rule set with the per-client limit raised: 256 clients post everything.
mkdir -p "$RUN_DIR/rules"
cat >"$RUN_DIR/rules/consultation.comments.v2.json" <<'JSON'
{"name": "consultation.comments", "version": 2, "effective_from": "2020-01-02",
 "basis": "benchmark: one client posts everything",
 "rules": {"comment.max_chars": {"value": 5000}, "comment.per_client_per_day": {"value": 100000},
           "grouping.max_distance_bits": {"value": 5}}}
JSON

common_env=(GONGKAI_GRPC_ADDRESS=127.0.0.1:0 GONGKAI_METRICS_ADDRESS=127.0.0.1:0
  GONGKAI_DB_HOST=127.0.0.1 GONGKAI_DB_PORT="$DB_PORT" GONGKAI_DB_USER="$DB_USER"
  GONGKAI_DB_PASSWORD_FILE="$RUN_DIR/db-password" GONGKAI_JWT_HS256_SECRET_FILE="$RUN_DIR/jwt.key"
  GONGKAI_JWT_ISSUER="$ISSUER" GONGKAI_JWT_AUDIENCE="$AUDIENCE")

# start NAME LISTENING_MSG ENV...: sets STARTED_PID and STARTED_LINE.
start() {
  local name=$1 msg=$2 logfile="$RUN_DIR/$1.log" deadline=$((SECONDS + 90))
  shift 2
  env "$@" </dev/null >"$logfile" 2>&1 &
  STARTED_PID=$!
  PIDS+=("$STARTED_PID")
  until STARTED_LINE=$(grep -m1 "\"$msg\"" "$logfile" 2>/dev/null); do
    process_running "$STARTED_PID" || { show_log_tail "$logfile"; die "$name exited"; }
    ((SECONDS < deadline)) || die "$name did not start"
    sleep 0.1
  done
}
start catalog "catalog listening" "${common_env[@]}" GONGKAI_DB_NAME=bench_catalog \
  GONGKAI_APPLICANT_KEY_SECRET="$(random_hex 32)" GONGKAI_PEERS=interpretation=127.0.0.1:1 \
  "$CATALOG_BIN" serve
CATALOG="127.0.0.1:$(jq -r .grpc_port <<<"$STARTED_LINE")"
"$HEALTH_BIN" --addr="$CATALOG" --wait=120s >/dev/null || die "catalog not SERVING"
start consultation "consultation listening" "${common_env[@]}" \
  GONGKAI_DB_NAME=bench_consultation GONGKAI_DB_POOL_SIZE=16 GONGKAI_CALENDAR_ADDRESS="$CATALOG" \
  GONGKAI_PEERS="catalog=$CATALOG" GONGKAI_RULES_DIR="$RUN_DIR/rules" "$CONSULTATION_BIN" serve
CONSULTATION_PID=$STARTED_PID
CONSULTATION="127.0.0.1:$(jq -r .grpc_port <<<"$STARTED_LINE")"
"$HEALTH_BIN" --addr="$CONSULTATION" --wait=120s >/dev/null || die "consultation not SERVING"
start gateway "gateway listening" GONGKAI_HTTP_ADDRESS=127.0.0.1:0 GONGKAI_METRICS_ADDRESS=127.0.0.1:0 \
  GONGKAI_BACKENDS="catalog=$CATALOG,consultation=$CONSULTATION" \
  GONGKAI_JWT_HS256_SECRET_FILE="$RUN_DIR/jwt.key" GONGKAI_JWT_ISSUER="$ISSUER" \
  GONGKAI_JWT_AUDIENCE="$AUDIENCE" GONGKAI_RATE_LIMIT_ANONYMOUS_READ=0:0 \
  GONGKAI_RATE_LIMIT_ANONYMOUS_WRITE=0:0 GONGKAI_RATE_LIMIT_AUTHENTICATED=0:0 \
  GONGKAI_ACCESS_LOG=false "$GATEWAY_BIN"
GATEWAY_PID=$STARTED_PID
HTTP="127.0.0.1:$(jq -r .http_port <<<"$STARTED_LINE")"
until curl -fsS "http://$HTTP/readyz" >/dev/null 2>&1; do sleep 0.2; done

ADMIN=$("$TOKEN_BIN" --secret-file="$RUN_DIR/jwt.key" --sub=bench-admin --roles=ADMIN \
  --issuer="$ISSUER" --audience="$AUDIENCE")
post() { curl -fsS -X POST -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' \
  "http://$HTTP$1" -d "$2"; }
UNIT=$(post /v1/units '{"code":"BENCH-CITY","name":"基准测试市","level":"UNIT_LEVEL_CITY"}' | jq -r .id)
sleep 1.2  # The unit directory re-reads the catalog on a miss at most once a second.
TODAY=$(TZ=Asia/Shanghai date +%Y-%m-%d)
draft() {
  jq -nc --arg unit "$UNIT" --arg rid "$1" --arg d "$TODAY" '{requestId: $rid, consultation: {
    unitId: $unit, title: "基准测试征求意见", draft: "草案", basis: "依据",
    category: "WELFARE_POLICIES", domain: "bench", decisionType: "NORMATIVE_DOCUMENT",
    methods: ["COMMENT_SOLICITATION"], channels: ["GOVERNMENT_WEBSITE"],
    opensOn: {year: ($d[0:4]|tonumber), month: ($d[5:7]|tonumber), day: ($d[8:10]|tonumber)},
    periodDays: 7}}'
}
POST_ID=$(post /v1/consultations "$(draft bench-post)" | jq -r .id)
BIG_ID=$(post /v1/consultations "$(draft bench-big)" | jq -r .id)
[[ $POST_ID =~ ^[0-9]+$ && $BIG_ID =~ ^[0-9]+$ ]] || die "could not create the consultations"

# 256 signed-in citizens (no role, no unit): a client each, so the per-client daily
# limit (counted per client) stays what it is in production, not one client's millions.
for ((i = 0; i < 256; i++)); do
  "$TOKEN_BIN" --secret-file="$RUN_DIR/jwt.key" --sub="citizen-$i" --roles= \
    --issuer="$ISSUER" --audience="$AUDIENCE" --ttl=3600
done >"$RUN_DIR/citizens.txt" || die "minting citizen tokens failed"
# wrk script: a different comment text for every request (no two in the same group).
{ echo "local citizens = {}"
  echo "for line in io.lines(\"$RUN_DIR/citizens.txt\") do citizens[#citizens + 1] = line end"
} >"$RUN_DIR/post.lua"
cat >>"$RUN_DIR/post.lua" <<'LUA'
local counter = 0
local words = {"停车", "绿地", "公交", "学校", "医院", "菜市场", "路灯", "排水", "电梯", "噪音"}
request = function()
  counter = counter + 1
  local text = ""
  for i = 1, 12 do text = text .. words[math.random(#words)] end
  text = text .. tostring(math.random(1, 1000000000)) .. tostring(counter)
  local headers = {["Content-Type"] = "application/json",
                   ["Authorization"] = "Bearer " .. citizens[counter % #citizens + 1]}
  return wrk.format("POST", wrk.path, headers,
                    '{"text":"建议' .. text .. '","name":"市民"}')
end
LUA
# wrk_run NAME URL_PATH SCRIPT: sets RPS, P99 (ms), CPU_US (service + gateway + db per request).
wrk_run() {
  local out="$RUN_DIR/wrk-$1.txt" t0 t1 requests s0 g0 m0
  wrk -t1 -c"$CONCURRENCY" -d2s -s "$3" "http://$HTTP$2" >/dev/null 2>&1 || true
  s0=$(cpu_ticks "$CONSULTATION_PID") g0=$(cpu_ticks "$GATEWAY_PID") m0=$(cpu_ticks "$MARIADB_PID")
  t0=$(sum_ticks "$CONSULTATION_PID" "$GATEWAY_PID" "$MARIADB_PID")
  wrk -t2 -c"$CONCURRENCY" -d"$DURATION" --latency -s "$3" "http://$HTTP$2" >"$out" 2>&1 ||
    die "wrk $1 failed: $(cat "$out")"
  t1=$(sum_ticks "$CONSULTATION_PID" "$GATEWAY_PID" "$MARIADB_PID")
  if grep -q "Non-2xx" "$out"; then die "$1: non-2xx answers: $(grep Non-2xx "$out")"; fi
  RPS=$(awk '/Requests\/sec/ { printf "%.0f", $2 }' "$out")
  P99=$(awk '$1 == "99%" { v = $2; if (v ~ /us$/) { sub(/us/, "", v); v /= 1000 }
    else if (v ~ /ms$/) { sub(/ms/, "", v) } else if (v ~ /s$/) { sub(/s/, "", v); v *= 1000 }
    printf "%.2f", v }' "$out")
  requests=$(awk '/requests in/ { print $1 }' "$out")
  CPU_US=$(awk -v d=$((t1 - t0)) -v n="$requests" -v hz="$CLK_TCK" \
    'BEGIN { if (n > 0) printf "%.0f", d * 1e6 / hz / n; else print 0 }')
  CPU_SPLIT=$(awk -v s=$(($(cpu_ticks "$CONSULTATION_PID") - s0)) -v g=$(($(cpu_ticks "$GATEWAY_PID") - g0)) \
    -v m=$(($(cpu_ticks "$MARIADB_PID") - m0)) -v n="$requests" -v hz="$CLK_TCK" \
    'BEGIN { if (n > 0) printf "service %.0f, gateway %.0f, db %.0f", s * 1e6 / hz / n, g * 1e6 / hz / n, m * 1e6 / hz / n }')
  log "$1: $RPS req/s, p99 $P99 ms, CPU $CPU_US µs/request ($CPU_SPLIT)"
}

# ---------------------------------------------------------------------- 1. posting vs sysbench
wrk_run post "/v1/consultations/$POST_ID/comments" "$RUN_DIR/post.lua"
POST_RPS=$RPS POST_P99=$P99 POST_CPU=$CPU_US POST_SPLIT=$CPU_SPLIT
# Search terms are written by the background indexer: the work left when wrk stops is
# waited for and its CPU added, so the CPU per comment includes indexing.
pending() {
  mariadb_sql "$MARIADB_DIR" <<<"SELECT COUNT(*) FROM bench_consultation.comments WHERE search_pending = TRUE"
}
POSTED=$(mariadb_sql "$MARIADB_DIR" <<<"SELECT COUNT(*) FROM bench_consultation.comments WHERE consultation_id = $POST_ID")
BACKLOG=$(pending)
t0=$(sum_ticks "$CONSULTATION_PID" "$MARIADB_PID") drain_start=$SECONDS
until [[ $(pending) == 0 ]]; do
  ((SECONDS - drain_start < 120)) || die "the search indexer did not catch up in 120 s"
  sleep 0.2
done
DRAIN_S=$((SECONDS - drain_start))
t1=$(sum_ticks "$CONSULTATION_PID" "$MARIADB_PID")
POST_CPU_ALL=$(awk -v c="$POST_CPU" -v d=$((t1 - t0)) -v n="$POSTED" -v hz="$CLK_TCK" \
  'BEGIN { printf "%.0f", c + (n > 0 ? d * 1e6 / hz / n : 0) }')
log "search indexer: $BACKLOG comments pending when wrk stopped, indexed in ${DRAIN_S}s; CPU with indexing $POST_CPU_ALL µs/comment"
sb=(--db-driver=mysql --mysql-host=127.0.0.1 --mysql-port="$DB_PORT" --mysql-user="$DB_USER"
  --mysql-password="$PASSWORD" --mysql-db=bench_sysbench --tables=1 --table-size=10000)
sysbench oltp_insert "${sb[@]}" prepare >/dev/null 2>&1 || die "sysbench prepare failed"
sysbench oltp_insert "${sb[@]}" --threads="$CONCURRENCY" --time=2 run >/dev/null 2>&1 || true
d0=$(cpu_ticks "$MARIADB_PID")
sysbench oltp_insert "${sb[@]}" --threads="$CONCURRENCY" --time="$SECONDS_RUN" run \
  >"$RUN_DIR/sysbench.txt" 2>&1 || die "sysbench run failed"
d1=$(cpu_ticks "$MARIADB_PID")
SB_TPS=$(awk '/transactions:/ { gsub(/[(]/, "", $3); printf "%.0f", $3 }' "$RUN_DIR/sysbench.txt")
SB_N=$(awk '/transactions:/ { print $2 }' "$RUN_DIR/sysbench.txt")
SB_CPU=$(awk -v d=$((d1 - d0)) -v n="$SB_N" -v hz="$CLK_TCK" 'BEGIN { printf "%.0f", d * 1e6 / hz / n }')
log "sysbench oltp_insert: $SB_TPS inserts/s, db CPU $SB_CPU µs/insert"
R=$(ratio "$POST_RPS" "$SB_TPS")
row "PostComment via gateway (c=$CONCURRENCY)" "$POST_RPS req/s, p99 $POST_P99 ms, CPU $POST_CPU µs/req" "—" "—"
row "  CPU µs/request by process" "$POST_SPLIT" "—" "—"
row "  search terms left to the indexer" "$BACKLOG at the end, done in ${DRAIN_S}s; CPU incl. $POST_CPU_ALL µs" "—" "—"
row "sysbench oltp_insert (t=$CONCURRENCY)" "$SB_TPS inserts/s, db CPU $SB_CPU µs/insert" "—" "—"
row "PostComment / oltp_insert" "$R" "≥ 0.4" "$(verdict "$R" 0.4 ">=")"

# ---------------------------------------------------------------------- 2./3. 100,000 comments
log "seeding $COMMENTS comments (distinct texts and fingerprints) into consultation $BIG_ID"
mariadb_sql "$MARIADB_DIR" <<SQL || die "seeding failed"
USE bench_consultation;
SET SESSION max_recursive_iterations = 10000000;
CREATE TEMPORARY TABLE seq (n INT PRIMARY KEY);
INSERT INTO seq WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < $COMMENTS)
  SELECT n FROM s;
INSERT INTO comment_groups (id, consultation_id, representative_comment_id, member_count)
  SELECT 1000000 + n, $BIG_ID, 1000000 + n, 1 FROM seq;
INSERT INTO comments (id, consultation_id, group_id, text, name, contact, show_name, client_key,
    created_on, visibility, create_time)
  SELECT 1000000 + n, $BIG_ID, 1000000 + n, CONCAT('建议增设公共停车位，编号', n, '，',
    SHA2(n, 256)), '', '', FALSE, SHA2(CONCAT('seed', n % 5000), 256), CURRENT_DATE, 1, NOW(6)
  FROM seq;
INSERT INTO comment_fingerprint_bands (consultation_id, band_key, fingerprint, group_id)
  SELECT $BIG_ID, b.n * 2048 + ((f.fp >> b.shift) & b.mask), f.fp, 1000000 + f.n
  FROM (SELECT n, CAST(CONV(SUBSTRING(SHA2(CONCAT('fp', n), 256), 1, 15), 16, 10) AS SIGNED) AS fp
        FROM seq) AS f
  CROSS JOIN (SELECT 0 AS n, 0 AS shift, 2047 AS mask UNION ALL SELECT 1, 11, 2047
              UNION ALL SELECT 2, 22, 2047 UNION ALL SELECT 3, 33, 2047
              UNION ALL SELECT 4, 44, 1023 UNION ALL SELECT 5, 54, 1023) AS b;
ANALYZE TABLE comments, comment_groups, comment_fingerprint_bands;
SQL

# Keyset page tokens spread over the whole list: walk it once with 100-comment pages.
TOKENS="$RUN_DIR/tokens.txt"
: >"$TOKENS"
token=""
for ((page = 0; page < COMMENTS / 100; page++)); do
  token=$(curl -fsS -G "http://$HTTP/v1/consultations/$BIG_ID/comments" --data-urlencode "pageSize=100" \
    --data-urlencode "pageToken=$token" | jq -r '.nextPageToken // ""')
  [[ -n $token ]] || break
  ((page % 10 == 0)) && printf '%s\n' "$token" >>"$TOKENS"
done
log "$(wc -l <"$TOKENS") page tokens over the list"
{
  echo 'local tokens = {}'
  echo "for line in io.lines(\"$TOKENS\") do tokens[#tokens + 1] = line end"
  echo 'request = function()'
  echo '  local t = tokens[math.random(#tokens)]'
  echo '  return wrk.format("GET", wrk.path .. "?pageSize=20&pageToken=" .. t)'
  echo 'end'
} >"$RUN_DIR/list.lua"
CONCURRENCY=2 wrk_run list "/v1/consultations/$BIG_ID/comments" "$RUN_DIR/list.lua"
row "ListComments, $COMMENTS comments (c=2)" "$RPS req/s, CPU $CPU_US µs/req" "—" "—"
row "ListComments p99" "$P99 ms" "≤ 20 ms" "$(verdict "$P99" 20 "<=")"
CONCURRENCY=2 wrk_run group "/v1/consultations/$BIG_ID/comments" "$RUN_DIR/post.lua"
row "PostComment grouped against $COMMENTS (c=2)" "$RPS req/s, CPU $CPU_US µs/req" "—" "—"
row "grouping a new comment p99" "$P99 ms" "≤ 20 ms" "$(verdict "$P99" 20 "<=")"

# 4. Near-identical comments joining existing groups among the same 100,000: 200 campaign
# texts are posted through the API (real SimHash fingerprints), then wrk posts copies
# with other punctuation (identical after normalisation) and with one word changed
# (near-identical: a few bits apart), which find their group through the band index.
# Signed-in citizens again: one anonymous client would count its own thousands of
# comments against the daily limit on every post.
{ echo "local citizens = {}"
  echo "for line in io.lines(\"$RUN_DIR/citizens.txt\") do citizens[#citizens + 1] = line end"
} >"$RUN_DIR/near.lua"
cat >>"$RUN_DIR/near.lua" <<'LUA'
local words = {"停车", "绿地", "公交", "学校", "医院", "菜市场", "路灯", "排水", "电梯", "噪音"}
function campaign(k)
  local text = "关于"
  for i = 1, 20 do text = text .. words[(k * 7 + i * 3) % #words + 1] end
  return text .. "的建议，请市政府认真研究并尽快答复，第" .. k .. "号"
end
local counter = 0
request = function()
  counter = counter + 1
  local k = math.random(1, 200)
  local text = campaign(k)
  if counter % 2 == 0 then text = text .. "！！" else text = string.gsub(text, "请市政府", "望市政府") end
  local headers = {["Content-Type"] = "application/json",
                   ["Authorization"] = "Bearer " .. citizens[counter % #citizens + 1]}
  return wrk.format("POST", wrk.path, headers, '{"text":"' .. text .. '"}')
end
LUA
# The same 200 texts as campaign(k) in near.lua.
NEAR_WORDS=(停车 绿地 公交 学校 医院 菜市场 路灯 排水 电梯 噪音)
NEAR_BASE=$(for ((k = 1; k <= 200; k++)); do
  text=关于
  for ((i = 1; i <= 20; i++)); do text+=${NEAR_WORDS[$(((k * 7 + i * 3) % 10))]}; done
  printf '%s的建议，请市政府认真研究并尽快答复，第%s号\n' "$text" "$k"
done)
if [[ -n $NEAR_BASE ]]; then
  while IFS= read -r text; do
    curl -fsS -X POST -H 'Content-Type: application/json' \
      "http://$HTTP/v1/consultations/$BIG_ID/comments" -d "$(jq -nc --arg t "$text" '{text: $t}')" \
      >/dev/null || die "seeding campaign texts failed"
  done <<<"$NEAR_BASE"
  GROUPS_BEFORE=$(mariadb_sql "$MARIADB_DIR" <<<"SELECT COUNT(*) FROM bench_consultation.comment_groups WHERE consultation_id = $BIG_ID")
  CONCURRENCY=2 wrk_run near "/v1/consultations/$BIG_ID/comments" "$RUN_DIR/near.lua"
  GROUPS_AFTER=$(mariadb_sql "$MARIADB_DIR" <<<"SELECT COUNT(*) FROM bench_consultation.comment_groups WHERE consultation_id = $BIG_ID")
  row "PostComment near-identical, joins a group (c=2)" "$RPS req/s, CPU $CPU_US µs/req; new groups $((GROUPS_AFTER - GROUPS_BEFORE))" "—" "—"
  row "near-identical grouping p99" "$P99 ms" "≤ 20 ms" "$(verdict "$P99" 20 "<=")"
fi

printf '\n%-44s | %-52s | %-8s | %s\n' "consultation figure" "value" "target" "verdict"
for r in "${ROWS[@]}"; do
  IFS='|' read -r a b c d <<<"$r"
  printf '%-44s | %-52s | %-8s | %s\n' "$a" "$b" "$c" "$d"
done
