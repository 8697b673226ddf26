#!/usr/bin/env bash
# Starts the whole suite from the images deploy/container/build.sh made and checks it:
# `./gongkai images --test` (builds first), or this script alone on built images.
#
#   tests/containers/run.sh [--tag TAG] [--keep]
#
# - a throw-away MariaDB on the host (deploy/scripts/mariadb.sh, as ./gongkai test does),
#   one database and user per service (service_ensure_db);
# - every service and the gateway in its own container: --read-only, --user 65532:65532,
#   --cap-drop ALL, no-new-privileges; settings as the GONGKAI_* variables ./gongkai up
#   gives the processes (services/<name>/service.env, deploy/scripts/services.sh), secrets
#   as files in a read-only volume /run/secrets (as k8s/base mounts them);
#   --network host with free ports (no bridge network plugin is needed);
# - checks: each container runs as uid 65532 with a read-only root filesystem, each
#   service's gRPC health check (the image's own gongkai-healthcheck) answers SERVING,
#   the gateway's /readyz is 200, and one REST call through the gateway with an API key
#   (GET /v1/disclosure-requests, served by the catalog from MariaDB) answers 200.
# Prints one line per check and writes them to build/containers/run.txt.
set -euo pipefail

GONGKAI_ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
TAG=0.1.0
KEEP=0
while (($#)); do
  case $1 in
    --tag) TAG=$2; shift 2 ;;
    --keep) KEEP=1; shift ;;
    *) echo "run.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
export CONTAINERS_CONF="$GONGKAI_ROOT/deploy/container/containers.conf"

# The state ./gongkai keeps in .gongkai/, here in a throw-away directory.
GONGKAI_STATE=$(mktemp -d /var/tmp/gongkai-containers-test.XXXXXX)
GONGKAI_MARIADB_DIR="$GONGKAI_STATE/mariadb"
GONGKAI_SECRETS="$GONGKAI_STATE/secrets"
GONGKAI_LOGS="$GONGKAI_STATE/logs"
GONGKAI_RUN="$GONGKAI_STATE/run"
GONGKAI_BUILD_DIR="$GONGKAI_STATE/no-build"
GONGKAI_JWT_SECRET_FILE="$GONGKAI_SECRETS/jwt-hs256.key"
GONGKAI_JWT_ISSUER=gongkai-dev
GONGKAI_JWT_AUDIENCE=gongkai
# shellcheck source=deploy/scripts/common.sh
source "$GONGKAI_ROOT/deploy/scripts/common.sh"
# shellcheck source=deploy/scripts/mariadb.sh
source "$GONGKAI_ROOT/deploy/scripts/mariadb.sh"
# shellcheck source=deploy/scripts/services.sh
source "$GONGKAI_ROOT/deploy/scripts/services.sh"

OUT="$GONGKAI_ROOT/build/containers"
RESULTS=()
FAILED=0
CONTAINERS=()
MYSQL_PORT=""
dev_mysql_port() { printf '%s\n' "$MYSQL_PORT"; }

check() { # check WHAT OK(0/1) DETAIL
  local line
  if (($2 == 0)); then line="PASS $1: $3"; else line="FAIL $1: $3"; FAILED=1; fi
  RESULTS+=("$line")
  printf '%s\n' "$line" >&2
}

cleanup() {
  local rc=$? c
  trap - EXIT INT TERM
  if ((KEEP)); then
    log "--keep: containers ${CONTAINERS[*]} and $GONGKAI_STATE left running"
    exit "$rc"
  fi
  for c in "${CONTAINERS[@]}"; do
    podman logs "$c" >"$GONGKAI_LOGS/$c.log" 2>&1 || true
    podman rm -f -t 10 "$c" >/dev/null 2>&1 || true
  done
  mariadb_stop "$GONGKAI_MARIADB_DIR" >/dev/null 2>&1 || true
  if ((rc != 0 || FAILED)); then
    mkdir -p "$OUT/run-logs"
    cp -r "$GONGKAI_LOGS/." "$OUT/run-logs/" 2>/dev/null || true
    log "container logs kept in $OUT/run-logs"
  fi
  rm -rf "$GONGKAI_STATE"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

free_port() { # free_port FROM: the first port from FROM that nothing listens on
  local port=$1
  while port_in_use "$port"; do port=$((port + 1)); done
  printf '%s\n' "$port"
}

for image in $(service_names); do
  podman image exists "gongkai/$image:$TAG" ||
    die "image gongkai/$image:$TAG is missing; build it with ./gongkai images"
done

mkdir -p "$GONGKAI_MARIADB_DIR" "$GONGKAI_SECRETS" "$GONGKAI_LOGS" "$GONGKAI_RUN" "$OUT"
write_secret "$GONGKAI_JWT_SECRET_FILE" "$(random_hex 32)"

MYSQL_PORT=$(free_port 43306)
mariadb_init "$GONGKAI_MARIADB_DIR"
mariadb_start "$GONGKAI_MARIADB_DIR" "$MYSQL_PORT" --innodb-flush-log-at-trx-commit=2

# Free ports for every process, exported as the overrides services.sh reads.
next=44051
for name in $(service_names); do
  if [[ $name == gateway ]]; then
    GONGKAI_GATEWAY_HTTP_PORT=$(free_port "$next"); next=$((GONGKAI_GATEWAY_HTTP_PORT + 1))
    export GONGKAI_GATEWAY_HTTP_PORT
  else
    var=$(_service_env_name "$name" GRPC_PORT)
    printf -v "$var" '%s' "$(free_port "$next")"; next=$((${!var} + 1)); export "${var?}"
  fi
  var=$(_service_env_name "$name" METRICS_PORT)
  printf -v "$var" '%s' "$(free_port "$next")"; next=$((${!var} + 1)); export "${var?}"
done

for name in $(service_names); do
  [[ $name == gateway ]] || service_ensure_db "$name"
done

# The gateway's API keys: made with the gateway image's own gongkai-api-key.
key_out=$(podman run --rm --read-only --user 65532:65532 --network none \
  --entrypoint /usr/local/bin/gongkai-api-key "gongkai/gateway:$TAG" \
  --name=containers-test --subject=system:containers-test --unit-id=1 --roles=OFFICE)
API_KEY=$(sed -n 1p <<<"$key_out")
write_secret "$GONGKAI_SECRETS/api-keys.json" "{\"keys\":[$(sed -n 2p <<<"$key_out")]}"

# The secrets as the containers see them: /run/secrets, readable by 65532 only.
SECRETS_MOUNT="$GONGKAI_STATE/run-secrets"
secrets_for_containers() {
  rm -rf "$SECRETS_MOUNT" && cp -r "$GONGKAI_SECRETS" "$SECRETS_MOUNT"
  chown -R 65532:65532 "$SECRETS_MOUNT"
  chmod 0500 "$SECRETS_MOUNT" && chmod 0400 "$SECRETS_MOUNT"/*
}

write_env() { # write_env NAME: its environment file (makes its secrets on first use)
  local name=$1 envfile="$GONGKAI_RUN/$1.env"
  if [[ $name == gateway ]]; then
    local backends=() other
    for other in $(service_names); do
      [[ $other == gateway ]] || backends+=("$other=127.0.0.1:$(service_grpc_port "$other")")
    done
    # ./gongkai's gateway settings, with every image as a backend (gateway_env lists
    # only the services built in build/).
    {
      gateway_env | grep -v '^GONGKAI_BACKENDS='
      echo "GONGKAI_BACKENDS=$(IFS=,; echo "${backends[*]}")"
    } >"$envfile.host"
  else
    service_env "$name" >"$envfile.host"
  fi
  # Host secret paths -> the read-only volume.
  sed "s|$GONGKAI_SECRETS/|/run/secrets/|" "$envfile.host" >"$envfile"
}

start_container() { # start_container NAME: the process from its image
  local name=$1 envfile="$GONGKAI_RUN/$1.env" container="gongkai-ct-$1-$$"
  CONTAINERS+=("$container")
  podman run -d --name "$container" --network host \
    --read-only --user 65532:65532 --cap-drop ALL --security-opt no-new-privileges \
    --env-file "$envfile" -v "$SECRETS_MOUNT:/run/secrets:ro" \
    "gongkai/$name:$TAG" >/dev/null
}

container_checks() { # container_checks NAME: non-root and read-only, from the runtime
  local container="gongkai-ct-$1-$$" pid uid ro
  pid=$(podman inspect --format '{{.State.Pid}}' "$container")
  uid=$(stat -c %u "/proc/$pid" 2>/dev/null || echo "?")
  ro=$(podman inspect --format '{{.HostConfig.ReadonlyRootfs}}' "$container")
  check "$1 non-root" "$([[ $uid == 65532 ]]; echo $?)" "process uid $uid"
  check "$1 read-only root" "$([[ $ro == true ]]; echo $?)" "ReadonlyRootfs=$ro"
}

wait_serving() { # wait_serving NAME: the image's own health check says SERVING
  local name=$1 container="gongkai-ct-$1-$$" answer="" deadline=$((SECONDS + 90))
  while ((SECONDS < deadline)); do
    answer=$(podman exec "$container" /usr/local/bin/gongkai-healthcheck \
      --addr="127.0.0.1:$(service_grpc_port "$name")" --timeout=2s 2>&1 || true)
    [[ $answer == *SERVING* && $answer != *NOT_SERVING* ]] && break
    [[ $(podman inspect --format '{{.State.Running}}' "$container") == true ]] || break
    sleep 0.5
  done
  check "$name health" "$([[ $answer == *" SERVING"* ]]; echo $?)" "${answer:-no answer}"
}

for name in $(service_names); do write_env "$name"; done
secrets_for_containers
start=$SECONDS
for name in $(service_names); do
  [[ $name == gateway ]] || start_container "$name"
done
for name in $(service_names); do
  [[ $name == gateway ]] || { container_checks "$name"; wait_serving "$name"; }
done
start_container gateway
container_checks gateway
gw="127.0.0.1:$(service_grpc_port gateway)"
code=000
for ((i = 0; i < 60; i++)); do
  code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 3 "http://$gw/readyz" || true)
  [[ $code == 200 ]] && break
  sleep 0.5
done
check "gateway /readyz" "$([[ $code == 200 ]]; echo $?)" "HTTP $code"
body="$GONGKAI_STATE/rest.json"
code=$(curl -s -o "$body" -w '%{http_code}' --max-time 10 -H "X-Api-Key: $API_KEY" \
  "http://$gw/v1/disclosure-requests?pageSize=1" || true)
check "REST GET /v1/disclosure-requests through the gateway" "$([[ $code == 200 ]]; echo $?)" \
  "HTTP $code $(head -c 120 "$body" 2>/dev/null | tr '\n' ' ')"
elapsed=$((SECONDS - start))

{
  echo "# tests/containers/run.sh $(date -u +%FT%TZ), tag $TAG: suite up and checked in ${elapsed} s"
  printf '%s\n' "${RESULTS[@]}"
} | tee "$OUT/run.txt"
((FAILED == 0)) || die "container run check failed (see above)"
log "container run check passed"
