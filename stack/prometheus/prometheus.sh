# shellcheck shell=bash
# Prometheus from Debian, scraping itself, the staging services and Alertmanager, evaluating the alert
# rules of stack/prometheus/rules/ and sending what fires to the stack's Alertmanager. Sourced by stack.sh.
PROMETHEUS_PORT="${PROMETHEUS_PORT:-19090}"
ALERTMANAGER_PORT="${ALERTMANAGER_PORT:-19193}"

prometheus_config() {
  local dir="$STACK_STATE/prometheus"
  cat <<YML
global:
  scrape_interval: 5s
  evaluation_interval: 5s
rule_files:
  - '$dir/rules/*.yml'
alerting:
  alertmanagers:
    - static_configs:
        - targets: ['127.0.0.1:$ALERTMANAGER_PORT']
scrape_configs:
  - job_name: prometheus
    static_configs:
      - targets: ['127.0.0.1:$PROMETHEUS_PORT']
  - job_name: alertmanager
    static_configs:
      - targets: ['127.0.0.1:$ALERTMANAGER_PORT']
  - job_name: staging
    file_sd_configs:
      - files: ['$dir/targets.json']
        refresh_interval: 5s
YML
}

# Writes the configuration and the rules; true when anything changed. The rules are checked with
# promtool first, so a broken rule file never reaches a running Prometheus.
prometheus_write_config() {
  local dir="$STACK_STATE/prometheus" changed=1 conf f
  mkdir -p "$dir/data" "$dir/logs" "$dir/rules"
  # Scrape targets come from a file the staging system writes, so the config never needs editing.
  [ -f "$dir/targets.json" ] || echo '[]' > "$dir/targets.json"
  if command -v promtool >/dev/null; then
    promtool check rules "$STACK_ROOT"/stack/prometheus/rules/*.yml >"$dir/logs/promtool.log" 2>&1 \
      || die "prometheus: the alert rules do not check: $(tail -5 "$dir/logs/promtool.log")"
  fi
  for f in "$STACK_ROOT"/stack/prometheus/rules/*.yml; do
    cmp -s "$f" "$dir/rules/$(basename "$f")" && continue
    cp "$f" "$dir/rules/$(basename "$f").tmp" && mv "$dir/rules/$(basename "$f").tmp" "$dir/rules/$(basename "$f")"
    changed=0
  done
  conf=$(prometheus_config)
  if [ "$(cat "$dir/prometheus.yml" 2>/dev/null)" != "$conf" ]; then
    printf '%s\n' "$conf" > "$dir/prometheus.yml"
    changed=0
  fi
  return $changed
}

prometheus_reloaded() {
  curl -fsS --max-time 5 "http://127.0.0.1:$PROMETHEUS_PORT/api/v1/status/config" 2>/dev/null | grep -q "$ALERTMANAGER_PORT"
}

prometheus_up() {
  local dir="$STACK_STATE/prometheus"
  command -v prometheus >/dev/null || apt_install prometheus
  if pid_alive "$dir/pid" && port_open "$PROMETHEUS_PORT"; then
    if prometheus_write_config; then
      # Started with --web.enable-lifecycle: a new configuration or rule file is loaded without a restart.
      curl -fsS --max-time 30 -X POST "http://127.0.0.1:$PROMETHEUS_PORT/-/reload" >/dev/null \
        || die "prometheus: reloading the new configuration failed; see $dir/logs/prometheus.log"
      wait_until 10 "prometheus configuration" prometheus_reloaded || die "prometheus did not take the new configuration; see $dir/logs/prometheus.log"
      log "prometheus: configuration and rules reloaded"
    else
      log "prometheus: already running on 127.0.0.1:$PROMETHEUS_PORT"
    fi
    return 0
  fi
  port_open "$PROMETHEUS_PORT" && die "prometheus: port $PROMETHEUS_PORT is taken; set PROMETHEUS_PORT to another port"
  prometheus_write_config || true
  start_daemon prometheus "$dir/pid" "$dir/logs/prometheus.log" \
    prometheus --config.file="$dir/prometheus.yml" --storage.tsdb.path="$dir/data" \
      --web.listen-address="127.0.0.1:$PROMETHEUS_PORT" --web.enable-lifecycle --log.level=warn
  wait_until 60 "prometheus on 127.0.0.1:$PROMETHEUS_PORT" curl -fsS "http://127.0.0.1:$PROMETHEUS_PORT/-/ready" \
    || die "prometheus did not become ready within 60s; see $dir/logs/prometheus.log"
}

prometheus_down() { stop_daemon prometheus "$STACK_STATE/prometheus/pid"; }

prometheus_status() {
  if pid_alive "$STACK_STATE/prometheus/pid" && port_open "$PROMETHEUS_PORT"; then
    echo "prometheus: running  url=http://127.0.0.1:$PROMETHEUS_PORT  alertmanager=127.0.0.1:$ALERTMANAGER_PORT"
  else
    echo "prometheus: stopped"; return 3
  fi
}
