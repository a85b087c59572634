# shellcheck shell=bash
# The staging stand-in (examples/staging): constitution, policy-engine and orchestrator services,
# their four Kafka topics, steady background traffic, and Prometheus scrape targets. Sourced by stack.sh.
#   constitution  127.0.0.1:${CONSTITUTION_PORT:-18082}
#   policy-engine 127.0.0.1:${POLICY_ENGINE_PORT:-18081}
#   orchestrator  127.0.0.1:${ORCHESTRATOR_PORT:-18083}
#   traffic       STAGING_TRAFFIC_RATE user actions per second (default 2; 0 = no background traffic)
# Needs the kafka, redis and postgres components. Also installs the suites' Python packages and the pnpm workspace.

POLICY_ENGINE_PORT="${POLICY_ENGINE_PORT:-18081}"
CONSTITUTION_PORT="${CONSTITUTION_PORT:-18082}"
ORCHESTRATOR_PORT="${ORCHESTRATOR_PORT:-18083}"
STAGING_TRAFFIC_RATE="${STAGING_TRAFFIC_RATE:-2}"
export POLICY_ENGINE_PORT CONSTITUTION_PORT ORCHESTRATOR_PORT

STAGING_SRC="$STACK_ROOT/examples/staging"
# Start order: the policy engine checks signatures with the constitution service's key at start-up,
# the orchestrator asks the policy engine.
STAGING_SERVICES=(constitution policy-engine orchestrator)

staging_port() {
  case $1 in
    policy-engine) echo "$POLICY_ENGINE_PORT" ;;
    constitution) echo "$CONSTITUTION_PORT" ;;
    orchestrator) echo "$ORCHESTRATOR_PORT" ;;
  esac
}

staging_squad() {
  case $1 in
    policy-engine|constitution) echo "Governance Core" ;;
    orchestrator) echo "Runtime & Training" ;;
  esac
}

# staging_stamp_ok <stamp-file> <input-file>: true when the input is unchanged since the stamp was written.
staging_stamp_ok() { [ -f "$1" ] && [ "$(cat "$1")" = "$(sha256sum "$2" | cut -d' ' -f1)" ]; }
staging_stamp() { sha256sum "$2" | cut -d' ' -f1 > "$1"; }

staging_install() {
  local dir="$STACK_STATE/staging"
  mkdir -p "$dir"
  command -v python3 >/dev/null || apt_install python3 python3-pip
  python3 -m pip --version >/dev/null 2>&1 || apt_install python3-pip
  if ! staging_stamp_ok "$dir/requirements.sha" "$STAGING_SRC/requirements.txt" \
     || ! python3 -c 'import importlib.util as u, sys; sys.exit(not all(u.find_spec(m) for m in ("pytest", "requests", "confluent_kafka", "cryptography")))' >/dev/null 2>&1; then
    log "staging: installing the suites' Python packages (pip)"
    local pip=(python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore -r "$STAGING_SRC/requirements.txt")
    # Debian's own Python refuses global installs (PEP 668); the suites run with the machine's python3.
    "${pip[@]}" 2>"$dir/pip.log" || "${pip[@]}" --break-system-packages 2>>"$dir/pip.log" \
      || die "staging: pip install -r examples/staging/requirements.txt failed: $(tail -3 "$dir/pip.log")"
    staging_stamp "$dir/requirements.sha" "$STAGING_SRC/requirements.txt"
  fi
  if ! staging_stamp_ok "$dir/pnpm-lock.sha" "$STAGING_SRC/pnpm-lock.yaml" || [ ! -d "$STAGING_SRC/node_modules/.pnpm" ]; then
    log "staging: installing the pnpm workspace (examples/staging)"
    (cd "$STAGING_SRC" && PATH="$(dirname "$NODE24"):$PATH" "$STACK_ROOT/node_modules/.bin/pnpm" install --frozen-lockfile --reporter=silent) >"$dir/pnpm.log" 2>&1 \
      || die "staging: pnpm install in examples/staging failed: $(tail -5 "$dir/pnpm.log")"
    staging_stamp "$dir/pnpm-lock.sha" "$STAGING_SRC/pnpm-lock.yaml"
  fi
}

staging_write_targets() {
  local file="$STACK_STATE/prometheus/targets.json" sep="" svc
  mkdir -p "$(dirname "$file")"
  {
    echo "["
    for svc in "${STAGING_SERVICES[@]}"; do
      printf '%s  {"targets": ["127.0.0.1:%s"], "labels": {"service": "%s", "squad": "%s"}}\n' "$sep" "$(staging_port "$svc")" "$svc" "$(staging_squad "$svc")"
      sep=","
    done
    echo "]"
  } > "$file.tmp"
  mv "$file.tmp" "$file"
}

staging_healthy() { curl -fsS --max-time 2 "http://127.0.0.1:$1/health" >/dev/null 2>&1; }

# staging_start <name> <bundle> <health-port|-> [args...]: (re)starts a process when it is down or
# its bundle, arguments or Kafka address changed since it was started.
staging_start() {
  local name=$1 bundle=$2 port=$3; shift 3
  local dir="$STACK_STATE/staging" want
  want=$({ cat "$bundle"; printf '%s\n' "$port" "$KAFKA_BROKERS" "$@"; } | sha256sum | cut -c1-16)
  if pid_alive "$dir/$name.pid"; then
    if [ "$(cat "$dir/$name.hash" 2>/dev/null)" = "$want" ] && { [ "$port" = - ] || staging_healthy "$port"; }; then
      if [ "$port" = - ]; then log "$name: already running"; else log "$name: already running on 127.0.0.1:$port"; fi
      return 0
    fi
    log "$name: code or settings changed, or not healthy; restarting"
    stop_daemon "$name" "$dir/$name.pid"
  fi
  if [ "$port" != - ] && port_open "$port"; then
    die "$name: port $port is taken by another process; set $(echo "${name^^}" | tr - _)_PORT to another port"
  fi
  start_daemon "$name" "$dir/$name.pid" "$dir/logs/$name.log" "$NODE24" "$bundle" "$@"
  echo "$want" > "$dir/$name.hash"
  if [ "$port" != - ]; then
    wait_until 45 "$name on 127.0.0.1:$port" staging_healthy "$port" || die "$name did not become healthy within 45s; see $dir/logs/$name.log"
  fi
}

staging_up() {
  local dir="$STACK_STATE/staging" bin="$STACK_STATE/staging/bin"
  port_open "$KAFKA_PORT" || die "staging needs Kafka on 127.0.0.1:$KAFKA_PORT: start it first (bash stack/stack.sh up kafka staging)"
  # The orchestrator keeps sessions in Redis, the policy engine its decision audit in PostgreSQL: without
  # them neither becomes healthy, so say so now rather than after a 45 s wait.
  port_open "$REDIS_PORT" || die "staging needs Redis on 127.0.0.1:$REDIS_PORT: start it first (bash stack/stack.sh up redis postgres staging)"
  port_open "$PG_PORT" || die "staging needs PostgreSQL on 127.0.0.1:$PG_PORT: start it first (bash stack/stack.sh up redis postgres staging)"
  export KAFKA_BROKERS="127.0.0.1:$KAFKA_PORT"
  mkdir -p "$dir/logs"
  staging_install
  # Rebuild only when the sources or the locked dependencies changed since the last build.
  local sources
  sources=$(cd "$STACK_ROOT" && find examples/staging/services examples/staging/traffic -name '*.ts' -print0 | sort -z \
    | xargs -0 sha256sum | cat - examples/staging/build.mjs package-lock.json | sha256sum | cut -d' ' -f1)
  if [ ! -f "$bin/traffic.mjs" ] || [ "$(cat "$dir/build.sha" 2>/dev/null)" != "$sources" ]; then
    "$NODE24" "$STAGING_SRC/build.mjs" "$bin" >/dev/null || die "staging: building the service bundles failed"
    echo "$sources" > "$dir/build.sha"
  fi
  "$NODE24" "$bin/create-topics.mjs" > "$dir/logs/topics.log" 2>&1 || die "staging: creating the topics failed: $(tail -3 "$dir/logs/topics.log")"
  log "staging topics: $(paste -sd';' "$dir/logs/topics.log" | sed 's/;/; /g')"
  local svc
  for svc in "${STAGING_SERVICES[@]}"; do staging_start "$svc" "$bin/$svc.mjs" "$(staging_port "$svc")"; done
  staging_write_targets
  if [ "$STAGING_TRAFFIC_RATE" != 0 ]; then
    staging_start staging-traffic "$bin/traffic.mjs" - --duration 0 --rate "$STAGING_TRAFFIC_RATE" --report-every 60
  else
    stop_daemon staging-traffic "$dir/staging-traffic.pid"
  fi
}

staging_down() {
  local dir="$STACK_STATE/staging" i
  stop_daemon staging-traffic "$dir/staging-traffic.pid"
  for (( i=${#STAGING_SERVICES[@]}-1; i>=0; i-- )); do stop_daemon "${STAGING_SERVICES[$i]}" "$dir/${STAGING_SERVICES[$i]}.pid"; done
}

staging_status() {
  local dir="$STACK_STATE/staging" rc=0 svc port
  for svc in "${STAGING_SERVICES[@]}"; do
    port=$(staging_port "$svc")
    if pid_alive "$dir/$svc.pid" && staging_healthy "$port"; then
      echo "$svc: running  url=http://127.0.0.1:$port  logs=$dir/logs/$svc.log"
    else
      echo "$svc: stopped"; rc=3
    fi
  done
  if pid_alive "$dir/staging-traffic.pid"; then
    echo "staging-traffic: running  logs=$dir/logs/staging-traffic.log"
  else
    echo "staging-traffic: stopped"; [ "$STAGING_TRAFFIC_RATE" = 0 ] || rc=3
  fi
  return $rc
}
