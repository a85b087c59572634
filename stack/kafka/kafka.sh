# shellcheck shell=bash
# Apache Kafka brokers (single-node KRaft) from Maven Central. Sourced by stack.sh.
# kafka  : KAFKA_VERSION (4.3.1) on KAFKA_PORT (19092), controller KAFKA_CONTROLLER_PORT (19093),
#          plus SASL/SCRAM on KAFKA_SASL_PORT (19094) and TLS on KAFKA_SSL_PORT (19095).
# kafka39: KAFKA39_VERSION (3.9.1) on KAFKA39_PORT (29092), for compatibility tests (opt-in).

KAFKA_VERSION="${KAFKA_VERSION:-4.3.1}"
KAFKA39_VERSION="${KAFKA39_VERSION:-3.9.1}"
KAFKA_PORT="${KAFKA_PORT:-19092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-19093}"
KAFKA_SASL_PORT="${KAFKA_SASL_PORT:-19094}"
KAFKA_SSL_PORT="${KAFKA_SSL_PORT:-19095}"
KAFKA39_PORT="${KAFKA39_PORT:-29092}"
KAFKA39_CONTROLLER_PORT="${KAFKA39_CONTROLLER_PORT:-29093}"
KAFKA_SCRATCH_PORT="${KAFKA_SCRATCH_PORT:-39192}"
KAFKA_SCRATCH_CONTROLLER_PORT="${KAFKA_SCRATCH_CONTROLLER_PORT:-39193}"
# The SCRAM user the auth tests log in with; the password is local-only test material.
KAFKA_SCRAM_USER="${KAFKA_SCRAM_USER:-cc-checker}"
KAFKA_SCRAM_PASSWORD="${KAFKA_SCRAM_PASSWORD:-cc-local-scram-pw-7f3a}"

# The cache key includes the pom, so a change of dependencies resolves afresh.
kafka_lib() { echo "$COMMAND_CENTER_CACHE/kafka/$1-$(sha256sum "$STACK_ROOT/stack/kafka/pom.xml" | cut -c1-12)/lib"; }

kafka_install() {
  local version=$1 lib; lib=$(kafka_lib "$version")
  if [ -f "$lib/.complete" ]; then return 0; fi
  command -v java >/dev/null || apt_install openjdk-17-jre-headless
  command -v mvn >/dev/null || apt_install maven
  log "resolving Apache Kafka $version from Maven Central"
  rm -rf "$lib"; mkdir -p "$lib"
  mvn -B -q -Dstyle.color=never -f "$STACK_ROOT/stack/kafka/pom.xml" -Dkafka.version="$version" \
    org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$lib" || die "could not resolve Kafka $version from Maven Central"
  touch "$lib/.complete"
}

# kafka_tls_material <dir>: a self-signed CA and a broker keystore for 127.0.0.1/localhost (keytool, JDK).
# Made in a scratch folder and moved into place only when complete, so an interrupted run never
# leaves a keystore without its CA (or the other way round); material found incomplete is rebuilt.
kafka_tls_material() {
  local dir=$1 pass=cc-local-tls
  if kafka_tls_complete "$dir"; then return 0; fi
  if [ -e "$dir" ]; then log "kafka: TLS material in $dir is incomplete (an interrupted run?): rebuilding it"; fi
  local tmp="$dir.tmp-$$" log="$dir.keytool.log"
  rm -rf "$tmp"; mkdir -p "$tmp"; : >"$log"
  local steps=(
    "-genkeypair -alias ca -keyalg RSA -keysize 2048 -dname CN=command-center-local-ca -ext bc:c -validity 3650 -keystore $tmp/ca.p12 -storetype PKCS12 -storepass $pass -keypass $pass"
    "-exportcert -rfc -alias ca -keystore $tmp/ca.p12 -storepass $pass -file $tmp/ca.pem"
    "-genkeypair -alias broker -keyalg RSA -keysize 2048 -dname CN=localhost -validity 3650 -keystore $tmp/broker.p12 -storetype PKCS12 -storepass $pass -keypass $pass"
    "-certreq -alias broker -keystore $tmp/broker.p12 -storepass $pass -file $tmp/broker.csr"
    "-gencert -alias ca -keystore $tmp/ca.p12 -storepass $pass -infile $tmp/broker.csr -outfile $tmp/broker.crt -ext SAN=dns:localhost,ip:127.0.0.1 -validity 3650 -rfc"
    "-importcert -noprompt -alias ca -file $tmp/ca.pem -keystore $tmp/broker.p12 -storepass $pass"
    "-importcert -noprompt -alias broker -file $tmp/broker.crt -keystore $tmp/broker.p12 -storepass $pass"
  )
  local step
  for step in "${steps[@]}"; do
    # The arguments hold no spaces (paths under the state folder): split on purpose.
    # shellcheck disable=SC2086
    keytool $step >>"$log" 2>&1 || { rm -rf "$tmp"; die "keytool $step failed (log: $log)"; }
  done
  kafka_tls_complete "$tmp" || { rm -rf "$tmp"; die "the TLS material made in $tmp is incomplete (log: $log)"; }
  rm -rf "$dir"; mv "$tmp" "$dir"; rm -f "$log"
}

# True when <dir> holds the CA certificate and a broker keystore with both the CA and the broker's key.
kafka_tls_complete() {
  local dir=$1
  [ -s "$dir/ca.pem" ] && [ -s "$dir/broker.p12" ] || return 1
  local listing
  listing=$(keytool -list -keystore "$dir/broker.p12" -storepass cc-local-tls 2>/dev/null) || return 1
  grep -q '^ca,' <<<"$listing" && grep -q '^broker,.*PrivateKeyEntry' <<<"$listing"
}

# kafka_config <name> <port> <controller-port> <with-auth:0|1>
kafka_config() {
  local name=$1 port=$2 ctl=$3 auth=$4 dir="$STACK_STATE/$1"
  mkdir -p "$dir/data" "$dir/logs"
  local listeners="PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$ctl"
  local protocols="PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"
  if [ "$auth" = 1 ]; then
    listeners="$listeners,SASL_PLAINTEXT://127.0.0.1:$KAFKA_SASL_PORT,SSL://127.0.0.1:$KAFKA_SSL_PORT"
    protocols="$protocols,SASL_PLAINTEXT:SASL_PLAINTEXT,SSL:SSL"
  fi
  cat > "$dir/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$ctl
listeners=$listeners
advertised.listeners=${listeners/,CONTROLLER:\/\/127.0.0.1:$ctl/}
listener.security.protocol.map=$protocols
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
log.dirs=$dir/data
num.partitions=3
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
log.retention.hours=168
PROPS
  if [ "$auth" = 1 ]; then
    kafka_tls_material "$dir/tls"
    cat >> "$dir/server.properties" <<PROPS
sasl.enabled.mechanisms=SCRAM-SHA-256,SCRAM-SHA-512,PLAIN
listener.name.sasl_plaintext.scram-sha-256.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
listener.name.sasl_plaintext.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required user_$KAFKA_SCRAM_USER="$KAFKA_SCRAM_PASSWORD";
ssl.keystore.type=PKCS12
ssl.keystore.location=$dir/tls/broker.p12
ssl.keystore.password=cc-local-tls
ssl.key.password=cc-local-tls
ssl.client.auth=none
PROPS
  fi
  cat > "$dir/log4j2.properties" <<PROPS
status = warn
appender.file.type = File
appender.file.name = FILE
appender.file.fileName = $dir/logs/server.log
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = FILE
logger.kafka.name = kafka
logger.kafka.level = WARN
logger.apache.name = org.apache.kafka
logger.apache.level = WARN
PROPS
}

# kafka_up <name> <version> <port> <controller-port> <with-auth>
kafka_up() {
  local name=$1 version=$2 port=$3 ctl=$4 auth=$5 dir="$STACK_STATE/$1"
  if pid_alive "$dir/pid" && port_open "$port"; then log "$name: already running on 127.0.0.1:$port"; return 0; fi
  port_open "$port" && die "$name: port $port is taken by another process; move it with the port variables in stack/kafka/kafka.sh"
  kafka_install "$version"
  local lib; lib=$(kafka_lib "$version")
  kafka_config "$name" "$port" "$ctl" "$auth"
  if [ ! -f "$dir/data/meta.properties" ]; then
    local id; id=$(java -cp "$lib/*" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -1)
    local scram=()
    [ "$auth" = 1 ] && scram=(--add-scram "SCRAM-SHA-256=[name=$KAFKA_SCRAM_USER,password=$KAFKA_SCRAM_PASSWORD]" --add-scram "SCRAM-SHA-512=[name=$KAFKA_SCRAM_USER,password=$KAFKA_SCRAM_PASSWORD]")
    java -cp "$lib/*" kafka.tools.StorageTool format -t "$id" -c "$dir/server.properties" "${scram[@]}" >"$dir/logs/format.log" 2>&1 \
      || die "$name: formatting the log dir failed: $(tail -3 "$dir/logs/format.log")"
  fi
  start_daemon "$name" "$dir/pid" "$dir/logs/stdout.log" \
    java -Xms256m -Xmx512m -XX:+UseG1GC -Dlog4j2.configurationFile="$dir/log4j2.properties" -cp "$lib/*" kafka.Kafka "$dir/server.properties"
  wait_until 90 "$name $version on 127.0.0.1:$port" "$NODE24" "$STACK_ROOT/stack/kafka/ping.mjs" "127.0.0.1:$port" \
    || die "$name did not answer within 90s; see $dir/logs/"
}

kafka_down() { stop_daemon "$1" "$STACK_STATE/$1/pid"; }

kafka_status() {
  local name=$1 port=$2
  if pid_alive "$STACK_STATE/$name/pid" && port_open "$port"; then
    echo "$name: running  bootstrap=127.0.0.1:$port  logs=$STACK_STATE/$name/logs"
  else
    echo "$name: stopped"; return 3
  fi
}
