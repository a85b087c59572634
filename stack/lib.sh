# shellcheck shell=bash
# Shared helpers for the local stack scripts (sourced, not run).
set -euo pipefail

STACK_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STACK_STATE="${STACK_STATE:-$STACK_ROOT/.stack}"
COMMAND_CENTER_CACHE="${COMMAND_CENTER_CACHE:-$HOME/.cache/command-center}"
NODE24="$STACK_ROOT/node_modules/node/bin/node"
export STACK_STATE COMMAND_CENTER_CACHE

log() { printf '[stack %s] %s\n' "$(date +%H:%M:%S)" "$*"; }
die() { printf '[stack] error: %s\n' "$*" >&2; exit 1; }

# True when something accepts TCP connections on 127.0.0.1:$1.
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# True when the pid file names a live process of this stack: its command line must point into the
# stack's state folder or the project. After a reboot a stale pid file can name an unrelated process,
# which must never be reported as ours, let alone stopped.
pid_alive() {
  [ -f "$1" ] || return 1
  local pid
  pid=$(tr -dc '0-9' <"$1")
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  [ -r "/proc/$pid/cmdline" ] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -e "$STACK_STATE" -e "$STACK_ROOT"
}

# wait_until <seconds> <description> <command...>: polls until the command succeeds.
wait_until() {
  local limit=$1 what=$2; shift 2
  local start=$SECONDS
  until "$@" >/dev/null 2>&1; do
    if (( SECONDS - start >= limit )); then return 1; fi
    sleep 0.5
  done
  log "$what ready after $(( SECONDS - start ))s"
}

# start_daemon <name> <pidfile> <logfile> <command...>: runs detached in its own session.
start_daemon() {
  local name=$1 pidfile=$2 logfile=$3; shift 3
  mkdir -p "$(dirname "$pidfile")" "$(dirname "$logfile")"
  setsid nohup "$@" >>"$logfile" 2>&1 < /dev/null &
  echo $! > "$pidfile"
  log "$name started (pid $(cat "$pidfile")), log: $logfile"
}

# stop_daemon <name> <pidfile>: TERM the process group, then KILL after 15 s; only a process of this
# stack (pid_alive), so a stale pid file never stops an unrelated process group.
stop_daemon() {
  local name=$1 pidfile=$2
  if ! pid_alive "$pidfile"; then rm -f "$pidfile"; log "$name: not running"; return 0; fi
  local pid; pid=$(cat "$pidfile")
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  local i=0
  while kill -0 "$pid" 2>/dev/null && (( i < 30 )); do sleep 0.5; i=$((i + 1)); done
  if kill -0 "$pid" 2>/dev/null; then kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true; fi
  rm -f "$pidfile"
  log "$name stopped"
}

apt_install() {
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  (( ${#missing[@]} == 0 )) && return 0
  log "installing from Debian: ${missing[*]}"
  local sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq || log "apt-get update failed; trying the install anyway"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

ensure_node_modules() {
  if [ ! -x "$NODE24" ] || [ ! -d "$STACK_ROOT/node_modules/kafkajs" ]; then
    log "installing npm dependencies (npm ci)"
    (cd "$STACK_ROOT" && npm ci --no-fund --no-audit --loglevel=error)
  fi
}

# ensure_password <file>: a random password made once (0600; hex, so it is safe in any config syntax).
# Never printed: callers read it from the file.
ensure_password() {
  [ -s "$1" ] && return 0
  mkdir -p "$(dirname "$1")"
  command -v openssl >/dev/null || apt_install openssl
  (umask 077 && openssl rand -hex 24 > "$1.tmp") || die "could not make a password in $1"
  mv "$1.tmp" "$1"
}

# ensure_server_tls <dir>: a CA and a server certificate for 127.0.0.1 and localhost, made once in a
# scratch folder and moved into place when complete (an interrupted run never leaves half a set):
# <dir>/ca.pem, <dir>/server.pem, <dir>/server.key (0600).
ensure_server_tls() {
  local dir=$1 tmp
  [ -s "$dir/ca.pem" ] && [ -s "$dir/server.pem" ] && [ -s "$dir/server.key" ] && return 0
  command -v openssl >/dev/null || apt_install openssl
  tmp=$(mktemp -d "$(dirname "$dir")/.tls.XXXXXX")
  (
    umask 077
    openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=Command Center local CA" \
      -keyout "$tmp/ca.key" -out "$tmp/ca.pem" &&
    openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" -keyout "$tmp/server.key" -out "$tmp/server.csr" &&
    printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n' > "$tmp/ext.cnf" &&
    openssl x509 -req -in "$tmp/server.csr" -CA "$tmp/ca.pem" -CAkey "$tmp/ca.key" -CAcreateserial \
      -days 3650 -extfile "$tmp/ext.cnf" -out "$tmp/server.pem"
  ) >"$tmp/openssl.log" 2>&1 || { local why; why=$(tail -3 "$tmp/openssl.log"); rm -rf "$tmp"; die "making TLS material for $dir failed: $why"; }
  chmod 755 "$tmp"; chmod 644 "$tmp/ca.pem" "$tmp/server.pem"
  rm -f "$tmp/server.csr" "$tmp/ext.cnf" "$tmp/openssl.log" "$tmp/ca.srl"
  rm -rf "$dir"; mv "$tmp" "$dir"
}
