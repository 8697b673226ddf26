#!/usr/bin/env bash
# Checks the service discovery of deploy/scripts/services.sh on a made-up tree: what a
# services/<name>/service.env gives ./gongkai (order, ports, overrides, environment,
# secrets, demo loader) and that a malformed one stops it with the file named.
# Run by CTest (services_discovery_test, label unit); needs bash only.
#
# The snippets are run by the inner shell, so single quotes are meant (SC2016);
# EXTRA_ENV is split into VAR=value words on purpose (SC2086).
# shellcheck disable=SC2016,SC2086

set -euo pipefail

SCRIPTS="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/gongkai-services-test.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
failures=0

fail() {
  printf 'FAIL: %s\n' "$*" >&2
  failures=$((failures + 1))
}

expect_eq() {
  [[ $2 == "$3" ]] || fail "$1: expected [$3], got [$2]"
}

# run ROOT SNIPPET: sources the scripts as ./gongkai does, with ROOT as the checkout,
# then runs SNIPPET; prints its output (stderr too).
run() {
  local root=$1 snippet=$2
  env -i PATH="$PATH" HOME="$WORK" ${EXTRA_ENV:-} bash -c '
    set -euo pipefail
    GONGKAI_ROOT=$1 GONGKAI_BUILD_DIR=$1/build GONGKAI_SECRETS=$1/secrets
    GONGKAI_RUN=$1/run GONGKAI_LOGS=$1/logs GONGKAI_JWT_SECRET_FILE=$1/secrets/jwt
    GONGKAI_JWT_ISSUER=iss GONGKAI_JWT_AUDIENCE=aud
    mkdir -p "$GONGKAI_SECRETS"
    dev_mysql_port() { echo 3399; }
    source "$2/common.sh"; source "$2/mariadb.sh"; source "$2/services.sh"
    eval "$3"' _ "$root" "$SCRIPTS" "$snippet" 2>&1
}

# A tree with three services, written out of port order.
good="$WORK/good"
mkdir -p "$good/services/zeta" "$good/services/opinion-response" "$good/services/alpha" \
  "$good/services/no-manifest"
printf 'DB=gongkai_zeta\nGRPC_PORT=50052\nMETRICS_PORT=9102\n' >"$good/services/zeta/service.env"
cat >"$good/services/opinion-response/service.env" <<'ENV'
# comment
DB="gongkai_opinion"
GRPC_PORT=50054
METRICS_PORT = 9104
SECRETS=signing-key:GONGKAI_SIGNING_KEY_FILE other:GONGKAI_OTHER_FILE
DEMO=gongkai-opinion-response-demo
ENV
printf 'DB=gongkai_alpha\nGRPC_PORT=50051\nMETRICS_PORT=9101\nSECRETS=\nDEMO=\n' \
  >"$good/services/alpha/service.env"

expect_eq "order" "$(run "$good" 'service_names | tr "\n" " "')" "alpha zeta opinion-response gateway "
expect_eq "table" "$(run "$good" 'printf "%s|" "${GONGKAI_SERVICES[@]}"')" \
  "alpha gongkai_alpha 50051 9101|zeta gongkai_zeta 50052 9102|opinion-response gongkai_opinion 50054 9104|gateway - 8080 9100|"
expect_eq "ports" "$(run "$good" 'echo $(service_grpc_port opinion-response) $(service_metrics_port opinion-response) $(service_grpc_port gateway)')" \
  "50054 9104 8080"
expect_eq "override" "$(EXTRA_ENV='GONGKAI_OPINION_RESPONSE_GRPC_PORT=1234 GONGKAI_GATEWAY_HTTP_PORT=8181' \
  run "$good" 'echo $(service_grpc_port opinion-response) $(service_grpc_port gateway)')" "1234 8181"
env_out=$(run "$good" 'service_env opinion-response')
expect_eq "env db" "$(grep '^GONGKAI_DB_NAME=' <<<"$env_out")" "GONGKAI_DB_NAME=gongkai_opinion"
expect_eq "env port" "$(grep '^GONGKAI_GRPC_ADDRESS=' <<<"$env_out")" "GONGKAI_GRPC_ADDRESS=127.0.0.1:50054"
expect_eq "env secret" "$(grep '^GONGKAI_SIGNING_KEY_FILE=' <<<"$env_out")" \
  "GONGKAI_SIGNING_KEY_FILE=$good/secrets/opinion-response.signing-key"
expect_eq "env peers" "$(grep '^GONGKAI_PEERS=' <<<"$env_out")" \
  "GONGKAI_PEERS=alpha=127.0.0.1:50051,zeta=127.0.0.1:50052"
expect_eq "env other secret" "$(grep -c '^GONGKAI_OTHER_FILE=' <<<"$env_out")" "1"
[[ -s $good/secrets/opinion-response.signing-key ]] || fail "the secret file was not made"
expect_eq "no extra secrets" "$(run "$good" 'service_env alpha | grep -c _FILE=')" "2"
expect_eq "demo" "$(run "$good" 'service_demo_binary opinion-response')" \
  "$good/build/services/opinion-response/gongkai-opinion-response-demo"
expect_eq "no demo" "$(run "$good" 'service_demo_binary alpha || echo none')" "none"
expect_eq "gateway backends" "$(run "$good" 'cd "$GONGKAI_ROOT"; mkdir -p build/services/zeta; touch build/services/zeta/gongkai-zeta; chmod +x build/services/zeta/gongkai-zeta; gateway_env | grep BACKENDS')" \
  "GONGKAI_BACKENDS=zeta=127.0.0.1:50052"

# Malformed files stop everything, naming the file.
bad() {
  local what=$1 content=$2 expected=$3 root="$WORK/bad-$RANDOM"
  mkdir -p "$root/services/svc" "$root/services/other"
  printf 'DB=gongkai_other\nGRPC_PORT=50059\nMETRICS_PORT=9109\n' >"$root/services/other/service.env"
  printf '%b' "$content" >"$root/services/svc/service.env"
  local out rc=0
  out=$(run "$root" 'echo reached') || rc=$?
  ((rc != 0)) || fail "$what: accepted"
  [[ $out == *"services/svc/service.env"*"$expected"* ]] || fail "$what: message [$out]"
}
bad "bad db" 'DB=Bad-Name\nGRPC_PORT=50051\nMETRICS_PORT=9101\n' "DB must be"
bad "missing port" 'DB=x\nMETRICS_PORT=9101\n' "must be numbers"
bad "duplicate port" 'DB=x\nGRPC_PORT=50059\nMETRICS_PORT=9101\n' "already another service"
bad "bad secret" 'DB=x\nGRPC_PORT=50051\nMETRICS_PORT=9101\nSECRETS=key\n' "SECRETS entry 'key'"
bad "bad demo" 'DB=x\nGRPC_PORT=50051\nMETRICS_PORT=9101\nDEMO=../evil\n' "DEMO must be"

# The real tree: the catalog, then the gateway.
expect_eq "repository" "$(run "$(cd "$SCRIPTS/../.." && pwd)" 'printf "%s|" "${GONGKAI_SERVICES[@]}"' | grep -o '^catalog gongkai_catalog 50051 9101|')" \
  "catalog gongkai_catalog 50051 9101|"

if ((failures)); then
  echo "$failures check(s) failed" >&2
  exit 1
fi
echo "services discovery: all checks passed"
