# shellcheck shell=bash
# Prometheus from Debian, scraping itself and the staging services. Sourced by stack.sh.
PROMETHEUS_PORT="${PROMETHEUS_PORT:-19090}"

prometheus_config() {
  local dir="$STACK_STATE/prometheus"
  mkdir -p "$dir/data" "$dir/logs"
  # Scrape targets come from a file the staging system writes, so the config never needs editing.
  [ -f "$dir/targets.json" ] || echo '[]' > "$dir/targets.json"
  cat > "$dir/prometheus.yml" <<YML
global:
  scrape_interval: 5s
  evaluation_interval: 5s
scrape_configs:
  - job_name: prometheus
    static_configs:
      - targets: ['127.0.0.1:$PROMETHEUS_PORT']
  - job_name: staging
    file_sd_configs:
      - files: ['$dir/targets.json']
        refresh_interval: 5s
YML
}

prometheus_up() {
  local dir="$STACK_STATE/prometheus"
  if pid_alive "$dir/pid" && port_open "$PROMETHEUS_PORT"; then log "prometheus: already running on 127.0.0.1:$PROMETHEUS_PORT"; return 0; fi
  port_open "$PROMETHEUS_PORT" && die "prometheus: port $PROMETHEUS_PORT is taken; set PROMETHEUS_PORT to another port"
  command -v prometheus >/dev/null || apt_install prometheus
  prometheus_config
  start_daemon prometheus "$dir/pid" "$dir/logs/prometheus.log" \
    prometheus --config.file="$dir/prometheus.yml" --storage.tsdb.path="$dir/data" \
      --web.listen-address="127.0.0.1:$PROMETHEUS_PORT" --web.enable-lifecycle --log.level=warn
  wait_until 60 "prometheus on 127.0.0.1:$PROMETHEUS_PORT" curl -fsS "http://127.0.0.1:$PROMETHEUS_PORT/-/ready" \
    || die "prometheus did not become ready within 60s; see $dir/logs/prometheus.log"
}

prometheus_down() { stop_daemon prometheus "$STACK_STATE/prometheus/pid"; }

prometheus_status() {
  if pid_alive "$STACK_STATE/prometheus/pid" && port_open "$PROMETHEUS_PORT"; then
    echo "prometheus: running  url=http://127.0.0.1:$PROMETHEUS_PORT"
  else
    echo "prometheus: stopped"; return 3
  fi
}
