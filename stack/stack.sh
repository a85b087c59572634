#!/usr/bin/env bash
# The local real-server stack: stack.sh up|down|status [component...]
# Components (default: kafka prometheus git redis redis-replica postgres postgres-standby alertmanager
# staging kube forge, plus kafka39 unless STACK_KAFKA39=0):
#   kafka       Apache Kafka 4.3.1, KRaft, 127.0.0.1:${KAFKA_PORT:-19092} (+SASL 19094, TLS 19095)
#   kafka39     Apache Kafka 3.9.1 on 127.0.0.1:${KAFKA39_PORT:-29092} (compatibility tests; STACK_KAFKA39=0 skips it)
#   kafka-scratch  a throwaway 4.3.1 broker on ${KAFKA_SCRATCH_PORT:-39192} that failure tests kill (not default)
#   prometheus  Prometheus (Debian) on 127.0.0.1:${PROMETHEUS_PORT:-19090}, alert rules of stack/prometheus/rules
#   redis       Redis 7 (Debian) primary on 127.0.0.1:${REDIS_PORT:-16379} (+TLS ${REDIS_TLS_PORT:-16381}); ACL users,
#               passwords in $STACK_STATE/redis/passwords (stack/redis/redis.sh)
#   redis-replica  its replica on 127.0.0.1:${REDIS_REPLICA_PORT:-16380}
#   postgres    PostgreSQL 15 (Debian) primary on 127.0.0.1:${PG_PORT:-15432}, database staging; roles,
#               passwords in $STACK_STATE/postgres/passwords (stack/postgres/postgres.sh)
#   postgres-standby  its streaming standby on 127.0.0.1:${PG_STANDBY_PORT:-15433}
#   alertmanager  Alertmanager (Debian) on http://127.0.0.1:${ALERTMANAGER_PORT:-19193}, fed by Prometheus
#   git         a bare repository serving as origin
#   staging     the stand-in staging services (examples/staging) with live traffic on their topics
#   kube        a real Kubernetes control plane (kube-apiserver, etcd, controllers, scheduler; KWOK nodes)
#               on https://127.0.0.1:${KUBE_APISERVER_PORT:-16443}, plus Helm 3 and 4 (stack/kube/)
#   forge       Gitea 1.27.3 built from the Go module proxy on http://127.0.0.1:${FORGE_PORT:-13000}
#               (API /api/v1; admin and token in $STACK_STATE/forge; stack/forge/)
# State lives in $STACK_STATE (default .stack/); downloads are cached in $COMMAND_CENTER_CACHE.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$STACK_ROOT/stack/kafka/kafka.sh"
source "$STACK_ROOT/stack/prometheus/prometheus.sh"
source "$STACK_ROOT/stack/git/git.sh"
source "$STACK_ROOT/stack/staging/staging.sh"
source "$STACK_ROOT/stack/forge/forge.sh"
source "$STACK_ROOT/stack/redis/redis.sh"
source "$STACK_ROOT/stack/postgres/postgres.sh"
source "$STACK_ROOT/stack/alertmanager/alertmanager.sh"

cmd=${1:-status}; shift || true
# The stores and Alertmanager come before staging, whose services use them.
default_components=(kafka prometheus git redis redis-replica postgres postgres-standby alertmanager staging kube forge)
# The 3.9 broker proves the actions work across the 3.x -> 4.x protocol change; STACK_KAFKA39=0 leaves it out.
[ "${STACK_KAFKA39:-1}" = 1 ] && default_components+=(kafka39)
components=("$@"); (( ${#components[@]} )) || components=("${default_components[@]}")

up_one() {
  case $1 in
    kafka) kafka_up kafka "$KAFKA_VERSION" "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT" 1 ;;
    kafka39) kafka_up kafka39 "$KAFKA39_VERSION" "$KAFKA39_PORT" "$KAFKA39_CONTROLLER_PORT" 0 ;;
    # A throwaway broker that failure tests may kill (never started by default).
    kafka-scratch) kafka_up kafka-scratch "$KAFKA_VERSION" "$KAFKA_SCRATCH_PORT" "$KAFKA_SCRATCH_CONTROLLER_PORT" 0 ;;
    prometheus) prometheus_up ;;
    git) git_up ;;
    staging) staging_up ;;
    kube) bash "$STACK_ROOT/stack/kube/build.sh" && bash "$STACK_ROOT/stack/kube/up.sh" ;;
    forge) forge_up ;;
    redis) redis_up_one primary redis ;;
    redis-replica) redis_up_one replica redis-replica ;;
    postgres) pg_up_primary ;;
    postgres-standby) pg_up_standby ;;
    alertmanager) alertmanager_up ;;
    *) die "unknown component '$1' (known: kafka, kafka39, kafka-scratch, prometheus, git, redis, redis-replica, postgres, postgres-standby, alertmanager, staging, kube, forge)" ;;
  esac
}
down_one() {
  case $1 in
    kafka|kafka39|kafka-scratch) kafka_down "$1" ;;
    prometheus) prometheus_down ;;
    git) git_down ;;
    staging) staging_down ;;
    kube) bash "$STACK_ROOT/stack/kube/down.sh" ;;
    forge) forge_down ;;
    redis) redis_down_one primary redis ;;
    redis-replica) redis_down_one replica redis-replica ;;
    postgres) pg_stop primary postgres ;;
    postgres-standby) pg_stop standby postgres-standby ;;
    alertmanager) alertmanager_down ;;
    *) die "unknown component '$1'" ;;
  esac
}
status_one() {
  case $1 in
    kafka) kafka_status kafka "$KAFKA_PORT" ;;
    kafka39) kafka_status kafka39 "$KAFKA39_PORT" ;;
    kafka-scratch) kafka_status kafka-scratch "$KAFKA_SCRATCH_PORT" ;;
    prometheus) prometheus_status ;;
    git) git_status ;;
    staging) staging_status ;;
    kube) bash "$STACK_ROOT/stack/kube/status.sh" ;;
    forge) forge_status ;;
    redis) redis_status_one primary redis ;;
    redis-replica) redis_status_one replica redis-replica ;;
    postgres) pg_status_one primary postgres ;;
    postgres-standby) pg_status_one standby postgres-standby ;;
    alertmanager) alertmanager_status ;;
    *) die "unknown component '$1'" ;;
  esac
}

case $cmd in
  up)
    mkdir -p "$STACK_STATE"
    ensure_node_modules
    for c in "${components[@]}"; do up_one "$c"; done
    log "stack is up (state: $STACK_STATE)"
    ;;
  down)
    for (( i=${#components[@]}-1; i>=0; i-- )); do down_one "${components[$i]}"; done
    # Also stop the opt-in broker if it was started, so `down` leaves nothing behind.
    if [ $# -eq 0 ]; then
      for extra in kafka39 kafka-scratch; do pid_alive "$STACK_STATE/$extra/pid" && kafka_down "$extra"; done
    fi
    true
    ;;
  status)
    rc=0
    for c in "${components[@]}"; do status_one "$c" || rc=3; done
    exit $rc
    ;;
  *) die "usage: stack.sh up|down|status [component...]" ;;
esac
