# shellcheck shell=bash
# The service processes ./gongkai runs locally: their discovery, environment, start,
# stop and health. Sourced by ./gongkai after common.sh and mariadb.sh.

# The services are discovered, not listed: every services/<name>/service.env registers
# one (its database, default ports, extra secrets, demo loader; the keys are described
# in services/catalog/service.env). Source in services/<name>/, binary
# build/services/<name>/gongkai-<name>. Ports are overridable with
# GONGKAI_<NAME>_GRPC_PORT and GONGKAI_<NAME>_METRICS_PORT (NAME upper-cased, - as _).
#
# GONGKAI_SERVICES holds one line per service, "name database grpc_port metrics_port",
# in gRPC port order (the start order), then the gateway. The gateway is built in: it
# starts after the services it forwards to, has no database, listens on HTTP (its port
# column is the HTTP port; override with GONGKAI_GATEWAY_HTTP_PORT) and is healthy when
# GET /readyz answers 200.
GONGKAI_GATEWAY_LINE="gateway - 8080 9100"
# The suite's one calendar owner (docs/adr/0021-one-calendar-owner.md): every other
# service reads the working-day calendar from it (GONGKAI_CALENDAR_ADDRESS) and stays
# NOT_SERVING until it can, so `up` refuses to start one without the owner built.
GONGKAI_CALENDAR_OWNER=catalog

# service_manifest_value FILE KEY: KEY's value in a service.env (empty when absent);
# surrounding quotes are dropped.
service_manifest_value() {
  local value
  value=$(sed -n "s/^[[:space:]]*$2[[:space:]]*=[[:space:]]*//p" "$1" | tail -n 1)
  value=${value%"${value##*[![:space:]]}"}
  if [[ $value == \"*\" || $value == \'*\' ]]; then value=${value:1:${#value}-2}; fi
  printf '%s\n' "$value"
}

# discover_services: fills GONGKAI_SERVICES from services/*/service.env, checking each
# file (a bad one stops every command with its path, not a half-started suite).
discover_services() {
  local file name db grpc metrics pair env_pairs lines=() seen_ports=" "
  for file in "$GONGKAI_ROOT"/services/*/service.env; do
    [[ -f $file ]] || continue
    name=$(basename "$(dirname "$file")")
    db=$(service_manifest_value "$file" DB)
    grpc=$(service_manifest_value "$file" GRPC_PORT)
    metrics=$(service_manifest_value "$file" METRICS_PORT)
    [[ $name =~ ^[a-z][a-z0-9-]*$ && $name != gateway ]] ||
      die "$file: the folder name must be lower-case letters, digits and -"
    [[ $db =~ ^[a-z0-9_]+$ ]] || die "$file: DB must be [a-z0-9_]+ (got '$db')"
    [[ $grpc =~ ^[0-9]+$ && $metrics =~ ^[0-9]+$ ]] ||
      die "$file: GRPC_PORT and METRICS_PORT must be numbers"
    [[ $seen_ports != *" $grpc "* && $seen_ports != *" $metrics "* ]] ||
      die "$file: port $grpc or $metrics is already another service's"
    for pair in $(service_manifest_value "$file" SECRETS); do
      [[ $pair =~ ^[a-z0-9-]+:[A-Z][A-Z0-9_]*$ ]] ||
        die "$file: SECRETS entry '$pair' is not <secret>:<ENV_VAR>"
    done
    [[ $(service_manifest_value "$file" DEMO) =~ ^[A-Za-z0-9._-]*$ ]] ||
      die "$file: DEMO must be a file name in build/services/$name/"
    read -ra env_pairs <<<"$(service_manifest_value "$file" ENV)"  # No glob expansion.
    for pair in "${env_pairs[@]}"; do
      [[ $pair =~ ^[A-Z][A-Z0-9_]*=[^[:space:]]*$ ]] ||
        die "$file: ENV entry '$pair' is not <ENV_VAR>=<value>"
    done
    seen_ports+="$grpc $metrics "
    lines+=("$grpc $name $db $grpc $metrics")
  done
  GONGKAI_SERVICES=()
  local line
  while read -r line; do
    [[ -n $line ]] && GONGKAI_SERVICES+=("${line#* }")
  done < <(printf '%s\n' "${lines[@]}" | sort -n)
  GONGKAI_SERVICES+=("$GONGKAI_GATEWAY_LINE")
}
discover_services

# service_manifest NAME: the path of NAME's service.env.
service_manifest() { printf '%s\n' "$GONGKAI_ROOT/services/$1/service.env"; }

# service_secrets NAME: its extra secrets, one "<secret> <ENV_VAR>" line each (checked
# by discover_services).
service_secrets() {
  local pair
  [[ $1 == gateway ]] && return 0
  for pair in $(service_manifest_value "$(service_manifest "$1")" SECRETS); do
    printf '%s %s\n' "${pair%%:*}" "${pair#*:}"
  done
}

# service_demo_binary NAME: the path of its demo loader; fails when it has none.
service_demo_binary() {
  local demo
  [[ $1 == gateway ]] && return 1
  demo=$(service_manifest_value "$(service_manifest "$1")" DEMO)
  [[ -n $demo ]] || return 1
  printf '%s\n' "$GONGKAI_BUILD_DIR/services/$1/$demo"
}

# The environment one service process gets (KEY=VALUE lines): the common settings, then
# one *_FILE variable per secret its service.env lists in SECRETS, then its ENV pairs.
service_env() {
  local name=$1 db secret var
  if [[ $name == gateway ]]; then
    gateway_env
    return 0
  fi
  db=$(service_db "$name")
  printf '%s\n' \
    "GONGKAI_GRPC_ADDRESS=127.0.0.1:$(service_grpc_port "$name")" \
    "GONGKAI_METRICS_ADDRESS=127.0.0.1:$(service_metrics_port "$name")" \
    "GONGKAI_DB_HOST=127.0.0.1" \
    "GONGKAI_DB_PORT=$(dev_mysql_port)" \
    "GONGKAI_DB_NAME=$db" \
    "GONGKAI_DB_USER=$db" \
    "GONGKAI_DB_PASSWORD_FILE=$GONGKAI_SECRETS/$name.db-password" \
    "GONGKAI_JWT_HS256_SECRET_FILE=$GONGKAI_JWT_SECRET_FILE" \
    "GONGKAI_JWT_ISSUER=$GONGKAI_JWT_ISSUER" \
    "GONGKAI_JWT_AUDIENCE=$GONGKAI_JWT_AUDIENCE"
  if [[ $name != "$GONGKAI_CALENDAR_OWNER" ]] &&
    printf '%s\n' "${GONGKAI_SERVICES[@]}" | grep -q "^$GONGKAI_CALENDAR_OWNER "; then
    echo "GONGKAI_CALENDAR_ADDRESS=127.0.0.1:$(service_grpc_port "$GONGKAI_CALENDAR_OWNER")"
  fi
  service_peers_env "$name"
  while read -r secret var; do
    echo "$var=$(service_secret "$name" "$secret")"
  done < <(service_secrets "$name")
  local pair env_pairs
  read -ra env_pairs <<<"$(service_manifest_value "$(service_manifest "$name")" ENV)"
  for pair in "${env_pairs[@]}"; do echo "$pair"; done
}

# service_peers_env NAME: GONGKAI_PEERS with every other registered service, built or
# not (a service whose peer is missing starts and answers UNAVAILABLE where it needs it;
# libs/server/peers.h). Nothing when there is no other service.
service_peers_env() {
  local peers=() other
  for other in $(service_names); do
    [[ $other == gateway || $other == "$1" ]] && continue
    peers+=("$other=127.0.0.1:$(service_grpc_port "$other")")
  done
  ((${#peers[@]} == 0)) || echo "GONGKAI_PEERS=$(IFS=,; echo "${peers[*]}")"
}

# The gateway's environment: every built service as a backend, the dev JWT secret
# (it verifies tokens and signs the ones it forwards for API-key callers), the dev API
# keys and the CORS origins of local front-end dev servers.
gateway_env() {
  local backends=() other
  for other in $(service_names); do
    [[ $other == gateway ]] && continue
    if [[ -x $(service_binary "$other") ]]; then
      backends+=("$other=127.0.0.1:$(service_grpc_port "$other")")
    fi
  done
  printf '%s\n' \
    "GONGKAI_HTTP_ADDRESS=127.0.0.1:$(service_grpc_port gateway)" \
    "GONGKAI_METRICS_ADDRESS=127.0.0.1:$(service_metrics_port gateway)" \
    "GONGKAI_BACKENDS=$(IFS=,; echo "${backends[*]}")" \
    "GONGKAI_JWT_HS256_SECRET_FILE=$GONGKAI_JWT_SECRET_FILE" \
    "GONGKAI_JWT_ISSUER=$GONGKAI_JWT_ISSUER" \
    "GONGKAI_JWT_AUDIENCE=$GONGKAI_JWT_AUDIENCE" \
    "GONGKAI_API_KEYS_FILE=$GONGKAI_SECRETS/api-keys.json" \
    "GONGKAI_CORS_ALLOWED_ORIGINS=${GONGKAI_CORS_ALLOWED_ORIGINS:-http://localhost:5173,http://localhost:3000}"
}

# gateway_ensure_api_key: a dev API key for a system-to-system caller (the general
# office's OA system, role OFFICE), made once; the key is in $GONGKAI_SECRETS/demo-api-key.
gateway_ensure_api_key() {
  local tool="$GONGKAI_BUILD_DIR/gateway/gongkai-api-key" out
  [[ -s $GONGKAI_SECRETS/api-keys.json ]] && return 0
  [[ -x $tool ]] || die "$tool is not built"
  out=$("$tool" --name=demo-oa-system --subject=system:demo-oa --unit-id=1 --roles=OFFICE) ||
    die "gongkai-api-key failed"
  write_secret "$GONGKAI_SECRETS/demo-api-key" "$(sed -n 1p <<<"$out")"
  write_secret "$GONGKAI_SECRETS/api-keys.json" "{\"keys\":[$(sed -n 2p <<<"$out")]}"
}

service_names() {
  local line
  for line in "${GONGKAI_SERVICES[@]}"; do
    # shellcheck disable=SC2086
    set -- $line
    printf '%s\n' "$1"
  done
}

# service_field NAME N: the Nth column (1-based) of NAME's table line.
service_field() {
  local name=$1 n=$2 line
  for line in "${GONGKAI_SERVICES[@]}"; do
    # shellcheck disable=SC2086
    set -- $line
    if [[ $1 == "$name" ]]; then
      printf '%s\n' "${!n}"
      return 0
    fi
  done
  die "unknown service: $name"
}

service_db() { service_field "$1" 2; }

_service_env_name() {
  local upper=${1^^}
  printf 'GONGKAI_%s_%s\n' "${upper//-/_}" "$2"
}

service_grpc_port() {
  local var
  var=$(_service_env_name "$1" GRPC_PORT)
  [[ $1 == gateway ]] && var=GONGKAI_GATEWAY_HTTP_PORT
  printf '%s\n' "${!var:-$(service_field "$1" 3)}"
}

service_metrics_port() {
  local var
  var=$(_service_env_name "$1" METRICS_PORT)
  printf '%s\n' "${!var:-$(service_field "$1" 4)}"
}

service_binary() {
  if [[ $1 == gateway ]]; then
    printf '%s\n' "$GONGKAI_BUILD_DIR/gateway/gongkai-gateway"
  else
    printf '%s\n' "$GONGKAI_BUILD_DIR/services/$1/gongkai-$1"
  fi
}
service_log() { printf '%s\n' "$GONGKAI_LOGS/$1.log"; }
service_pidfile() { printf '%s\n' "$GONGKAI_RUN/$1.pid"; }

# A service is present once its source folder exists; it gets a database then.
service_present() {
  if [[ $1 == gateway ]]; then [[ -d $GONGKAI_ROOT/gateway ]]; else [[ -d $GONGKAI_ROOT/services/$1 ]]; fi
}

# service_address NAME: where it serves (gRPC, or HTTP for the gateway) while running.
service_address() {
  local key=GONGKAI_GRPC_ADDRESS
  [[ $1 == gateway ]] && key=GONGKAI_HTTP_ADDRESS
  service_recorded "$1" "$key"
}

# service_pid NAME: the pid of the running service, fails if it is not running.
service_pid() { pid_from_file "$(service_pidfile "$1")" "gongkai-$1"; }

# service_recorded NAME KEY: a value from the environment the running process got.
service_recorded() {
  local file="$GONGKAI_RUN/$1.env"
  [[ -f $file ]] || return 1
  sed -n "s/^$2=//p" "$file" | head -n 1
}

_binary_stamp() { stat -c '%Y %s %i' "$1"; }

# service_secret NAME WHAT: the path of a random secret of the service, made on first use
# and kept (a changed secret can orphan data keyed with it).
service_secret() {
  local file="$GONGKAI_SECRETS/$1.$2"
  if [[ ! -s $file ]]; then
    write_secret "$file" "$(random_hex 32)"
  fi
  printf '%s\n' "$file"
}

# service_ensure_db NAME: the service's database and user with its own password.
service_ensure_db() {
  local name=$1 db password_file password
  db=$(service_db "$name")
  [[ $db == - ]] && return 0
  password_file="$GONGKAI_SECRETS/$name.db-password"
  if [[ ! -s $password_file ]]; then
    write_secret "$password_file" "$(random_hex 24)"
  fi
  password=$(<"$password_file")
  mariadb_ensure_service_db "$GONGKAI_MARIADB_DIR" "$db" "$db" "$password"
}

# service_start NAME: starts the built binary in the background unless the same
# binary is already running; restarts it when the binary changed since its start.
service_start() {
  local name=$1 bin pidfile pid stampfile
  bin=$(service_binary "$name")
  pidfile=$(service_pidfile "$name")
  stampfile="$GONGKAI_RUN/$name.binary"
  if pid=$(service_pid "$name"); then
    if [[ -f $stampfile && $(<"$stampfile") == "$(_binary_stamp "$bin")" ]]; then
      log "$name already running (pid $pid)"
      return 0
    fi
    log "$name binary changed since it started; restarting"
    service_stop "$name"
  fi
  local port
  for port in "$(service_grpc_port "$name")" "$(service_metrics_port "$name")"; do
    if port_in_use "$port"; then
      die "$name: port $port on 127.0.0.1 is used by another process" \
        "(set $(_service_env_name "$name" GRPC_PORT) / $(_service_env_name "$name" METRICS_PORT))"
    fi
  done
  local env_lines=()
  mapfile -t env_lines < <(service_env "$name")
  printf '%s\n' "${env_lines[@]}" >"$GONGKAI_RUN/$name.env"
  _binary_stamp "$bin" >"$stampfile"
  rm -f "$pidfile"
  log "starting $name (log: $(service_log "$name"))"
  printf '\n=== %s starting %s\n' "$(date -u +%FT%TZ)" "$bin" >>"$(service_log "$name")"
  (
    cd "$GONGKAI_ROOT" || exit 1
    # shellcheck disable=SC2016  # $$ and $@ belong to the inner shell.
    setsid bash -c 'echo $$ >"$0"; exec "$@"' "$pidfile" env "${env_lines[@]}" "$bin" \
      </dev/null >>"$(service_log "$name")" 2>&1 &
  )
}

# service_health NAME: prints SERVING, NOT_SERVING, LISTENING (no health checker
# built yet, but the port accepts connections) or DOWN. Succeeds only when usable.
service_health() {
  local name=$1 addr
  addr=$(service_address "$name") || addr="127.0.0.1:$(service_grpc_port "$name")"
  if [[ $name == gateway ]]; then
    if curl -fsS --max-time 5 "http://$addr/readyz" >/dev/null 2>&1; then
      echo SERVING
      return 0
    fi
    if port_in_use "${addr##*:}"; then echo NOT_SERVING; else echo DOWN; fi
    return 1
  fi
  if [[ -x $GONGKAI_HEALTHCHECK ]]; then
    if timeout 5 "$GONGKAI_HEALTHCHECK" --addr="$addr" >/dev/null 2>&1; then
      echo SERVING
      return 0
    fi
    if port_in_use "${addr##*:}"; then echo NOT_SERVING; else echo DOWN; fi
    return 1
  fi
  if port_in_use "${addr##*:}"; then
    echo LISTENING
    return 0
  fi
  echo DOWN
  return 1
}

# service_wait_healthy NAME: waits for SERVING; on death or timeout, fails pointing
# at the log.
service_wait_healthy() {
  local name=$1 timeout=${GONGKAI_START_TIMEOUT:-60}
  if [[ ! -x $GONGKAI_HEALTHCHECK ]]; then
    warn "$GONGKAI_HEALTHCHECK is not built; only checking that $name accepts connections"
  fi
  await_ready "$name" "$(service_pidfile "$name")" "$(service_log "$name")" "$timeout" \
    "report SERVING" service_health "$name"
  log "$name is $(service_health "$name")"
}

# service_stop NAME: SIGTERM, then SIGKILL after GONGKAI_STOP_TIMEOUT (default 20 s).
service_stop() {
  local name=$1 pid
  if pid=$(service_pid "$name"); then
    log "stopping $name (pid $pid)"
    stop_pid "$name" "$pid" "${GONGKAI_STOP_TIMEOUT:-20}"
  fi
  rm -f "$(service_pidfile "$name")" "$GONGKAI_RUN/$name.binary"
}
