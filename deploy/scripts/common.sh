# shellcheck shell=bash
# Helpers shared by the ./gongkai subcommands: messages, randomness, ports, processes.
# Sourced by ./gongkai (which sets GONGKAI_ROOT and `set -euo pipefail`); not run alone.

log() { printf 'gongkai: %s\n' "$*" >&2; }
warn() { printf 'gongkai: warning: %s\n' "$*" >&2; }
die() {
  printf 'gongkai: error: %s\n' "$*" >&2
  exit 1
}

# Prints the last lines of a log file to stderr, indented, to explain a failure.
show_log_tail() {
  local file=$1 lines=${2:-20}
  [[ -s $file ]] || return 0
  printf 'gongkai: last %s lines of %s:\n' "$lines" "$file" >&2
  tail -n "$lines" "$file" | sed 's/^/    /' >&2
}

# random_hex N: 2N lowercase hex characters from the kernel's CSPRNG.
random_hex() {
  head -c "$1" /dev/urandom | od -An -v -tx1 | tr -d ' \n'
}

# Writes a value to a file readable only by the owner, without a trailing newline.
write_secret() {
  local file=$1 value=$2
  (umask 077 && printf '%s' "$value" >"$file.tmp")
  mv -f "$file.tmp" "$file"
  chmod 600 "$file"
}

# Succeeds when something accepts TCP connections on 127.0.0.1:PORT.
port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Succeeds while PID is a live process (zombies count as gone).
process_running() {
  local pid=$1 state
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  [[ -r /proc/$pid/stat ]] || return 1
  state=$(sed 's/^.*) //' "/proc/$pid/stat" 2>/dev/null | cut -d' ' -f1) || return 1
  [[ -n $state && $state != Z && $state != X ]]
}

# pid_from_file FILE [WORD]: prints the pid recorded in FILE if that process is alive
# and, when WORD is given, its command line contains WORD (guards against pid reuse).
pid_from_file() {
  local file=$1 word=${2:-} pid
  [[ -s $file ]] || return 1
  read -r pid <"$file" || true
  process_running "$pid" || return 1
  if [[ -n $word ]]; then
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$word" || return 1
  fi
  printf '%s\n' "$pid"
}

# stop_pid NAME PID TIMEOUT_SECONDS: SIGTERM, wait, then SIGKILL.
stop_pid() {
  local name=$1 pid=$2 timeout=$3
  process_running "$pid" || return 0
  kill -TERM "$pid" 2>/dev/null || true
  wait_pid_exit "$pid" "$timeout" && return 0
  warn "$name (pid $pid) still running ${timeout}s after SIGTERM; sending SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
  wait_pid_exit "$pid" 10 || die "$name (pid $pid) survived SIGKILL"
}

# wait_pid_exit PID TIMEOUT_SECONDS: succeeds once PID is gone, fails on timeout.
wait_pid_exit() {
  local pid=$1 timeout=$2 deadline
  deadline=$((SECONDS + timeout))
  while process_running "$pid"; do
    ((SECONDS < deadline)) || return 1
    sleep 0.2
  done
}

# await_ready NAME PIDFILE LOGFILE TIMEOUT_SECONDS WHAT CHECK...: runs CHECK until it
# succeeds. Dies, showing the end of LOGFILE, when the process recorded in PIDFILE
# exits first or TIMEOUT_SECONDS pass ("NAME did not WHAT within ...").
await_ready() {
  local name=$1 pidfile=$2 logfile=$3 timeout=$4 what=$5 deadline pid=""
  shift 5
  deadline=$((SECONDS + timeout))
  while ! "$@" >/dev/null; do
    if [[ -z $pid && -s $pidfile ]]; then
      read -r pid <"$pidfile" || true
    fi
    if [[ -n $pid ]] && ! process_running "$pid"; then
      show_log_tail "$logfile"
      die "$name exited during start; see $logfile"
    fi
    if ((SECONDS >= deadline)); then
      show_log_tail "$logfile"
      die "$name did not $what within ${timeout}s; see $logfile"
    fi
    sleep 0.3
  done
}

# Runs a command under the team-wide build lock (one build at a time on the machine).
with_build_lock() {
  local lock="${TMPDIR:-/tmp}/gongkai-build.lock"
  (
    exec 9>>"$lock"
    if ! flock -n 9; then
      log "waiting for the build lock $lock (another build is running)"
      flock 9
    fi
    "$@"
  )
}
