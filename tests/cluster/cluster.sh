#!/usr/bin/env bash
# A real 3-node Apache Kafka cluster (KRaft, combined broker+controller) on loopback for tests and the demo.
#
#   cluster.sh start [--fresh]     start (idempotent); --fresh wipes the data first
#   cluster.sh stop                stop every node and remove the data directory
#   cluster.sh stop-broker N       stop node N (1..3) only, keeping its data
#   cluster.sh kill-broker N       SIGKILL node N (a crash: no controlled shutdown)
#   cluster.sh start-broker N      start node N again
#   cluster.sh freeze-broker N     SIGSTOP node N: its connections stay open and nothing answers (a hung machine)
#   cluster.sh thaw-broker N       SIGCONT node N (harmless when it is not frozen)
#   cluster.sh add-broker N RACK   a broker-only node N (4..9) on RACK joins the cluster, empty
#   cluster.sh remove-broker N     stop broker-only node N, unregister it, remove its data
#   cluster.sh reassign-partitions ARGS  Kafka's kafka-reassign-partitions on this cluster (--bootstrap-server given)
#   cluster.sh status              print which nodes run
#   cluster.sh seed-4x             (after kp-seed seed) on 4.x: the KIP-848 groups and the tiered topic, see below
#   cluster.sh kip848-churn SECS   on 4.x: a KIP-848 group whose members join and leave for SECS, then deleted
#   cluster.sh tiered-stall [remove]  on 4.x: a tiered topic whose uploads to the remote tier fail (or its removal)
#
# Environment: KAFKA_VERSION (default 4.3.1; 3.9.1 runs the 3.x line), KP_CLUSTER_DIR (data, default
# /tmp/kafka-planner-cluster), KP_CACHE_DIR (resolved jars, default ~/.cache/kafka-planner), KP_BROKER_HEAP (each
# broker's -Xmx, default 512m; large benchmark clusters need more).
#
# Listeners per node N: PLAINTEXT 127.0.0.1:1909N, SASL_PLAINTEXT (SCRAM-SHA-512, and OAUTHBEARER with Kafka's
# unsecured JWT validator) 127.0.0.1:1919N,
# controller 127.0.0.1:1929N, SSL 127.0.0.1:1939N, SASL_SSL (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512) 127.0.0.1:1949N,
# OIDC (SASL_PLAINTEXT, OAUTHBEARER with Kafka's secured validator: RS256 tokens checked against the signing key in
# $KP_CLUSTER_DIR/oidc/jwks.json) 127.0.0.1:1959N. The token endpoint for it runs on 127.0.0.1:19590 (oidc-server.py:
# clients kp-admin/kp-admin-secret and kp-inspector/kp-inspector-secret, paths for the fault tests).
# On 4.x, tiered storage is on (LocalTieredStorage in $KP_CLUSTER_DIR/remote-storage) for topics that ask for it.
# TLS: a throwaway CA made at start, $KP_CLUSTER_DIR/tls/ca.pem (and other-ca.pem, a CA nobody uses, for tests). Users: admin/admin-secret (super user), inspector/inspector-secret (Describe only; the
# ACLs are created by the seed tool), limited/limited-secret (Describe on topics only),
# reader/reader-secret (Describe and Read on topics: no cluster rights, so sizes are estimated).
set -euo pipefail

CLUSTER_DIR=${KP_CLUSTER_DIR:-/tmp/kafka-planner-cluster}
# A running cluster keeps the version it was started with, so that start-broker never mixes jars with its data.
if [[ -z ${KAFKA_VERSION:-} && -f "$CLUSTER_DIR/version" && ${1:-} != start ]]; then
    KAFKA_VERSION=$(cat "$CLUSTER_DIR/version")
fi
KAFKA_VERSION=${KAFKA_VERSION:-4.3.1}
CACHE_DIR=${KP_CACHE_DIR:-$HOME/.cache/kafka-planner}
LIBS="$CACHE_DIR/kafka-$KAFKA_VERSION/libs"
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# base64url of the 16 bytes "KafkaPlannerTest": a fixed, valid KRaft cluster id
CLUSTER_ID=S2Fma2FQbGFubmVyVGVzdA
RACKS=(az-a az-b az-c)
PLAIN_PORT=1909
SASL_PORT=1919
CTRL_PORT=1929
SSL_PORT=1939
SASL_SSL_PORT=1949
OIDC_PORT=1959
TOKEN_PORT=19590
OIDC_DIR="$CLUSTER_DIR/oidc"
TLS_DIR="$CLUSTER_DIR/tls"

major=${KAFKA_VERSION%%.*}

log() { printf 'cluster: %s\n' "$*" >&2; }

resolve_jars() {
    [[ -f "$LIBS/.complete" ]] && return 0
    log "resolving Apache Kafka $KAFKA_VERSION from Maven Central into $LIBS"
    mkdir -p "$LIBS"
    local profile=()
    [[ $major -ge 4 ]] && profile=(-Dkafka4)
    mvn -q -B -f "$HERE/pom.xml" "-Dkafka.version=$KAFKA_VERSION" "${profile[@]}" \
        dependency:copy-dependencies -DincludeScope=runtime "-DoutputDirectory=$LIBS" >&2
    touch "$LIBS/.complete"
}

node_dir() { echo "$CLUSTER_DIR/node$1"; }
pid_file() { echo "$CLUSTER_DIR/node$1.pid"; }

node_running() {
    local pf
    pf=$(pid_file "$1")
    [[ -f "$pf" ]] && kill -0 "$(cat "$pf")" 2>/dev/null
}

# A throwaway CA and one certificate for 127.0.0.1 that every broker presents (PEM key and chain in one file).
make_tls() {
    [[ -f "$TLS_DIR/broker.pem" ]] && return 0
    command -v openssl >/dev/null || { log "openssl not found: install openssl"; exit 1; }
    mkdir -p "$TLS_DIR"
    (
        cd "$TLS_DIR"
        openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=kafka-planner test CA" \
            -keyout ca.key -out ca.pem 2>/dev/null
        openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=some other CA" \
            -keyout other-ca.key -out other-ca.pem 2>/dev/null
        openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" -keyout broker.key -out broker.csr 2>/dev/null
        printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' >san.ext
        openssl x509 -req -in broker.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 30 -extfile san.ext \
            -out broker.crt 2>/dev/null
        openssl pkcs8 -topk8 -nocrypt -in broker.key -out broker.p8
        cat broker.p8 broker.crt ca.pem >broker.pem
    )
}

# The token endpoint's signing key, its public half as the JWKS the brokers trust (a file URL: the brokers read it at
# start, whether or not the endpoint runs), and a key nobody trusts.
make_oidc_keys() {
    [[ -f "$OIDC_DIR/jwks.json" ]] && return 0
    mkdir -p "$OIDC_DIR"
    openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$OIDC_DIR/key.pem" 2>/dev/null
    openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$OIDC_DIR/other-key.pem" 2>/dev/null
    local modulus
    modulus=$(openssl rsa -in "$OIDC_DIR/key.pem" -noout -modulus 2>/dev/null | cut -d= -f2)
    python3 - "$modulus" >"$OIDC_DIR/jwks.json" <<'PY'
import base64, json, sys
n = base64.urlsafe_b64encode(bytes.fromhex(sys.argv[1])).rstrip(b"=").decode()
print(json.dumps({"keys": [{"kty": "RSA", "kid": "kp-test", "use": "sig", "alg": "RS256", "n": n, "e": "AQAB"}]}))
PY
}

token_server_running() { [[ -f "$OIDC_DIR/server.pid" ]] && kill -0 "$(cat "$OIDC_DIR/server.pid")" 2>/dev/null; }

start_token_server() {
    token_server_running && return 0
    nohup python3 "$HERE/oidc-server.py" "$OIDC_DIR" "$TOKEN_PORT" >"$OIDC_DIR/server.log" 2>&1 </dev/null &
    echo $! >"$OIDC_DIR/server.pid"
    for _ in $(seq 1 50); do
        python3 -c "import socket,sys; socket.create_connection(('127.0.0.1', int(sys.argv[1])), 0.2)" "$TOKEN_PORT" \
            2>/dev/null && return 0
        sleep 0.1
    done
    cat "$OIDC_DIR/server.log" >&2
    log "the OIDC token endpoint did not start on 127.0.0.1:$TOKEN_PORT"
    return 1
}

# Node N's configuration: by default one of the three combined broker+controller nodes (rack az-a, az-b, az-c for
# 1, 2, 3); `write_config N RACK` writes a broker-only node on RACK that joins their quorum (add-broker).
write_config() {
    local n=$1 rack=${2:-} dir roles=broker,controller controller_listener=",CONTROLLER://127.0.0.1:${CTRL_PORT}$n"
    dir=$(node_dir "$n")
    if [[ -n $rack ]]; then
        roles=broker
        controller_listener=
    else
        rack=${RACKS[$((n - 1))]}
    fi
    mkdir -p "$dir/data"
    cat >"$dir/server.properties" <<EOF
process.roles=$roles
node.id=$n
controller.quorum.voters=1@127.0.0.1:${CTRL_PORT}1,2@127.0.0.1:${CTRL_PORT}2,3@127.0.0.1:${CTRL_PORT}3
listeners=PLAINTEXT://127.0.0.1:${PLAIN_PORT}$n,SASL_PLAINTEXT://127.0.0.1:${SASL_PORT}$n${controller_listener},SSL://127.0.0.1:${SSL_PORT}$n,SASL_SSL://127.0.0.1:${SASL_SSL_PORT}$n,OIDC://127.0.0.1:${OIDC_PORT}$n
advertised.listeners=PLAINTEXT://127.0.0.1:${PLAIN_PORT}$n,SASL_PLAINTEXT://127.0.0.1:${SASL_PORT}$n,SSL://127.0.0.1:${SSL_PORT}$n,SASL_SSL://127.0.0.1:${SASL_SSL_PORT}$n,OIDC://127.0.0.1:${OIDC_PORT}$n
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT,SSL:SSL,SASL_SSL:SASL_SSL,OIDC:SASL_PLAINTEXT
sasl.enabled.mechanisms=SCRAM-SHA-512
listener.name.sasl_plaintext.sasl.enabled.mechanisms=SCRAM-SHA-512,OAUTHBEARER
listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
listener.name.sasl_plaintext.oauthbearer.sasl.jaas.config=org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required unsecuredLoginStringClaim_sub="admin";
listener.name.oidc.sasl.enabled.mechanisms=OAUTHBEARER
listener.name.oidc.oauthbearer.sasl.jaas.config=org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required;
listener.name.oidc.oauthbearer.sasl.server.callback.handler.class=org.apache.kafka.common.security.oauthbearer.OAuthBearerValidatorCallbackHandler
sasl.oauthbearer.jwks.endpoint.url=file://$OIDC_DIR/jwks.json
sasl.oauthbearer.expected.audience=kafka-planner-test
sasl.oauthbearer.expected.issuer=http://127.0.0.1:${TOKEN_PORT}
listener.name.sasl_ssl.sasl.enabled.mechanisms=PLAIN,SCRAM-SHA-256,SCRAM-SHA-512
listener.name.sasl_ssl.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required user_admin="admin-secret" user_inspector="inspector-secret" user_limited="limited-secret" user_reader="reader-secret";
listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
ssl.keystore.type=PEM
ssl.keystore.location=$TLS_DIR/broker.pem
ssl.truststore.type=PEM
ssl.truststore.location=$TLS_DIR/ca.pem
ssl.client.auth=none
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
super.users=User:admin;User:ANONYMOUS
allow.everyone.if.no.acl.found=false
log.dirs=$dir/data
broker.rack=$rack
num.partitions=3
default.replication.factor=3
min.insync.replicas=1
offsets.topic.replication.factor=3
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=3
transaction.state.log.min.isr=2
group.initial.rebalance.delay.ms=0
unclean.leader.election.enable=false
auto.create.topics.enable=false
log.segment.bytes=16777216
log.retention.check.interval.ms=2000
num.network.threads=2
num.io.threads=4
log.cleaner.threads=1
log.cleaner.dedupe.buffer.size=8388608
controlled.shutdown.enable=true
# Leaders move back to their preferred replicas within seconds of a broker's return (Kafka checks every 300 s): the
# tests that stop a broker wait for that, so that no later test sees a leader move it did not cause.
leader.imbalance.check.interval.seconds=5
leader.imbalance.per.broker.percentage=0
EOF
    if [[ $major -ge 4 ]]; then
        # Tiered storage (KIP-405) with Kafka's LocalTieredStorage (the kafka-storage test jar) on a folder shared by
        # the three brokers; uploads checked every second. Topics opt in with remote.storage.enable=true.
        cat >>"$dir/server.properties" <<EOF
remote.log.storage.system.enable=true
remote.log.storage.manager.class.name=org.apache.kafka.server.log.remote.storage.LocalTieredStorage
rsm.config.dir=$CLUSTER_DIR/remote-storage
rsm.config.delete.on.close=false
remote.log.metadata.manager.listener.name=PLAINTEXT
rlmm.config.remote.log.metadata.topic.num.partitions=3
rlmm.config.remote.log.metadata.topic.replication.factor=3
remote.log.manager.task.interval.ms=1000
EOF
    else
        # Follower fetching (KIP-392) on the 3.x line: a consumer that names its rack reads from the replica there, so
        # that the probe's and the Traffic model's follower paths are tested against a real cluster (the 4.x line keeps
        # leaders serving every read).
        echo "replica.selector.class=org.apache.kafka.common.replica.RackAwareReplicaSelector" >>"$dir/server.properties"
    fi
    if [[ $major -ge 4 ]]; then
        cat >"$dir/log4j2.properties" <<EOF
status = error
appender.file.type = File
appender.file.name = file
appender.file.fileName = $dir/server.log
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = WARN
rootLogger.appenderRef.file.ref = file
EOF
    else
        cat >"$dir/log4j.properties" <<EOF
log4j.rootLogger=WARN, file
log4j.appender.file=org.apache.log4j.FileAppender
log4j.appender.file.File=$dir/server.log
log4j.appender.file.layout=org.apache.log4j.PatternLayout
log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n
EOF
    fi
}

java_log_opts() {
    local dir
    dir=$(node_dir "$1")
    if [[ $major -ge 4 ]]; then
        echo "-Dlog4j2.configurationFile=$dir/log4j2.properties"
    else
        echo "-Dlog4j.configuration=file:$dir/log4j.properties"
    fi
}

format_node() {
    local n=$1 dir
    dir=$(node_dir "$n")
    [[ -f "$dir/data/meta.properties" ]] && return 0
    if ((n > 3)); then # a broker-only node: the users live in the quorum's metadata already
        # shellcheck disable=SC2046
        java -cp "$LIBS/*" $(java_log_opts "$n") kafka.tools.StorageTool format -t "$CLUSTER_ID" \
            -c "$dir/server.properties" >"$dir/format.log" 2>&1 || { cat "$dir/format.log" >&2; return 1; }
        return 0
    fi
    # shellcheck disable=SC2046
    java -cp "$LIBS/*" $(java_log_opts "$n") kafka.tools.StorageTool format -t "$CLUSTER_ID" -c "$dir/server.properties" \
        --add-scram 'SCRAM-SHA-512=[name=admin,password=admin-secret]' \
        --add-scram 'SCRAM-SHA-512=[name=inspector,password=inspector-secret]' \
        --add-scram 'SCRAM-SHA-512=[name=limited,password=limited-secret]' \
        --add-scram 'SCRAM-SHA-512=[name=reader,password=reader-secret]' \
        --add-scram 'SCRAM-SHA-256=[name=admin,password=admin-secret]' \
        --add-scram 'SCRAM-SHA-256=[name=inspector,password=inspector-secret]' >"$dir/format.log" 2>&1 ||
        { cat "$dir/format.log" >&2; return 1; }
}

start_node() {
    local n=$1 dir
    node_running "$n" && return 0
    dir=$(node_dir "$n")
    # shellcheck disable=SC2046
    # Kafka 3.9.1 and 4.x fetch OAUTHBEARER keys only from URLs this property allows.
    nohup java -Xms256m -Xmx"${KP_BROKER_HEAP:-512m}" -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -Djava.awt.headless=true \
        "-Dorg.apache.kafka.sasl.oauthbearer.allowed.urls=file://$OIDC_DIR/jwks.json" $(java_log_opts "$n") -cp "$LIBS/*" kafka.Kafka "$dir/server.properties" \
        >"$dir/stdout.log" 2>&1 </dev/null &
    echo $! >"$(pid_file "$n")"
}

stop_node() {
    local n=$1 pf pid
    pf=$(pid_file "$n")
    [[ -f "$pf" ]] || return 0
    pid=$(cat "$pf")
    if kill -0 "$pid" 2>/dev/null; then
        kill "$pid" 2>/dev/null || true
        for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
        kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$pf"
}

# Waits until a node's PLAINTEXT listener serves metadata listing `want` brokers.
wait_for_metadata() {
    local want=$1 deadline=$((SECONDS + 120)) port n
    while ((SECONDS < deadline)); do
        for n in 1 2 3; do
            node_running "$n" || continue
            port=${PLAIN_PORT}$n
            if kcat -L -b "127.0.0.1:$port" -m 3 -t __kp_none 2>/dev/null | grep -q "^ $want brokers:"; then
                return 0
            fi
        done
        sleep 0.5
    done
    log "timed out waiting for $want brokers; see $CLUSTER_DIR/node*/server.log"
    return 1
}

bootstrap() { echo "127.0.0.1:${PLAIN_PORT}1,127.0.0.1:${PLAIN_PORT}2,127.0.0.1:${PLAIN_PORT}3"; }
sasl_bootstrap() { echo "127.0.0.1:${SASL_PORT}1,127.0.0.1:${SASL_PORT}2,127.0.0.1:${SASL_PORT}3"; }
ssl_bootstrap() { echo "127.0.0.1:${SSL_PORT}1,127.0.0.1:${SSL_PORT}2,127.0.0.1:${SSL_PORT}3"; }
oidc_bootstrap() { echo "127.0.0.1:${OIDC_PORT}1,127.0.0.1:${OIDC_PORT}2,127.0.0.1:${OIDC_PORT}3"; }
sasl_ssl_bootstrap() { echo "127.0.0.1:${SASL_SSL_PORT}1,127.0.0.1:${SASL_SSL_PORT}2,127.0.0.1:${SASL_SSL_PORT}3"; }

running_count() {
    local c=0
    for n in 1 2 3 4 5 6 7 8 9; do node_running "$n" && c=$((c + 1)); done
    echo $c
}

cmd_start() {
    command -v java >/dev/null || { log "java not found: install openjdk-17-jre-headless"; exit 1; }
    command -v kcat >/dev/null || { log "kcat not found: install kcat"; exit 1; }
    if [[ ${1:-} == --fresh ]]; then cmd_stop; fi
    resolve_jars
    mkdir -p "$CLUSTER_DIR"
    echo "$KAFKA_VERSION" >"$CLUSTER_DIR/version"
    make_tls
    make_oidc_keys
    start_token_server
    for n in 1 2 3; do
        write_config "$n"
        format_node "$n"
    done
    for n in 1 2 3; do start_node "$n"; done
    wait_for_metadata 3
    log "Apache Kafka $KAFKA_VERSION running (3 brokers, racks az-a az-b az-c)"
    echo "PLAINTEXT=$(bootstrap)"
    echo "SASL_PLAINTEXT=$(sasl_bootstrap)"
    echo "SSL=$(ssl_bootstrap)"
    echo "SASL_SSL=$(sasl_ssl_bootstrap)"
    echo "OIDC=$(oidc_bootstrap) (token endpoint http://127.0.0.1:$TOKEN_PORT/token)"
    echo "CA=$TLS_DIR/ca.pem"
}

# The java command line for Kafka's own tools from the same jars, logging errors only (to stderr).
tools_java() {
    [[ -f $CLUSTER_DIR/tools-log4j2.properties ]] ||
        printf '%s\n' 'status = error' 'appender.console.type = Console' 'appender.console.name = console' \
        'appender.console.target = SYSTEM_ERR' 'appender.console.layout.type = PatternLayout' \
        'appender.console.layout.pattern = [%d] %p %m (%c)%n' 'rootLogger.level = ERROR' \
        'rootLogger.appenderRef.console.ref = console' >"$CLUSTER_DIR/tools-log4j2.properties"
    echo "java -Xmx$1 -Dlog4j2.configurationFile=$CLUSTER_DIR/tools-log4j2.properties -cp $LIBS/*"
}

# The consumer groups of the KIP-848 protocol (group.protocol=consumer) on the 4.x line, made by Kafka's own console
# consumer from the same jars, on the seeded single-partition topic audit-log (500 messages, no other group):
#   kp848-lagging  read the first 120 messages one poll at a time and left: Empty, committed 120, lag 380;
#   kp848-live     one member (client id kp848-live-consumer) that stays until the cluster stops: Stable, lag 0.
# The 3.x line runs the classic protocol only: nothing to do there.
KIP848_LIVE_PID="$CLUSTER_DIR/kp848-live.pid"
cmd_kip848_groups() {
    if ((major < 4)); then
        log "Apache Kafka $KAFKA_VERSION: no KIP-848 groups on the 3.x line"
        return 0
    fi
    [[ -f $KIP848_LIVE_PID ]] && kill -0 "$(cat "$KIP848_LIVE_PID")" 2>/dev/null && return 0
    local java
    read -r -a java <<<"$(tools_java 128m)"
    local consumer=("${java[@]}" org.apache.kafka.tools.consumer.ConsoleConsumer --bootstrap-server "$(bootstrap)"
        --topic audit-log --from-beginning --consumer-property group.protocol=consumer)
    "${consumer[@]}" --group kp848-lagging --max-messages 120 --consumer-property max.poll.records=1 \
        --consumer-property client.id=kp848-lagging-consumer >/dev/null 2>"$CLUSTER_DIR/kp848-lagging.log" ||
        { cat "$CLUSTER_DIR/kp848-lagging.log" >&2; log "the kp848-lagging consumer failed"; return 1; }
    nohup "${consumer[@]}" --group kp848-live --consumer-property client.id=kp848-live-consumer \
        --consumer-property auto.commit.interval.ms=200 >/dev/null 2>"$CLUSTER_DIR/kp848-live.log" </dev/null &
    echo $! >"$KIP848_LIVE_PID"
    # Ready once the live member has committed the end of the topic.
    local deadline=$((SECONDS + 90))
    while ((SECONDS < deadline)); do
        if "${java[@]}" org.apache.kafka.tools.consumer.group.ConsumerGroupCommand --bootstrap-server "$(bootstrap)" \
            --describe --group kp848-live 2>/dev/null | grep -Eq "^kp848-live +audit-log +0 +500 +500 +0 +[^-]"; then
            log "KIP-848 groups kp848-lagging (lag 380) and kp848-live (a live member, caught up) are ready"
            return 0
        fi
        kill -0 "$(cat "$KIP848_LIVE_PID")" 2>/dev/null || break
        sleep 1
    done
    cat "$CLUSTER_DIR/kp848-live.log" >&2
    log "the kp848-live consumer did not catch up"
    return 1
}

# A KIP-848 group whose member keeps joining and leaving, for the fault tests: for SECONDS, console consumers of the
# group kp848-churn on audit-log one after another, each closing (leaving the group) after a second without records;
# then the group is deleted, so that no later test sees it.
cmd_kip848_churn() {
    local seconds=${1:?usage: cluster.sh kip848-churn SECONDS}
    if ((major < 4)); then
        log "Apache Kafka $KAFKA_VERSION: no KIP-848 groups on the 3.x line"
        return 0
    fi
    local java i=0
    read -r -a java <<<"$(tools_java 128m)"
    local deadline=$((SECONDS + seconds))
    while ((SECONDS < deadline)); do
        "${java[@]}" org.apache.kafka.tools.consumer.ConsoleConsumer --bootstrap-server "$(bootstrap)" --topic audit-log \
            --from-beginning --group kp848-churn --consumer-property group.protocol=consumer \
            --consumer-property client.id=kp848-churn-$i --timeout-ms 1000 >/dev/null \
            2>>"$CLUSTER_DIR/kp848-churn.log" || true
        i=$((i + 1))
    done
    for _ in $(seq 1 60); do
        if "${java[@]}" org.apache.kafka.tools.consumer.group.ConsumerGroupCommand --bootstrap-server "$(bootstrap)" \
            --delete --group kp848-churn 2>&1 | grep -q "Deletion of requested consumer groups ('kp848-churn') was successful"; then
            log "kp848-churn: $i members joined and left; the group is deleted"
            return 0
        fi
        sleep 1
    done
    log "kp848-churn could not be deleted"
    return 1
}

# The tiered topic of the 4.x line: tiered-events, 1 partition, RF 3, remote.storage.enable=true, 1 MiB segments and a
# local retention of one second, with 20,000 records of 512 bytes from Kafka's own producer-perf-test. Ready once every
# replica keeps only its active segment: everything before it lives in the remote tier only.
TIERED_TOPIC=tiered-events
TIERED_RECORDS=20000
cmd_tiered_topic() {
    if ((major < 4)); then
        log "Apache Kafka $KAFKA_VERSION: no tiered topic on the 3.x line"
        return 0
    fi
    local java
    read -r -a java <<<"$(tools_java 256m)"
    if ! ls -d "$CLUSTER_DIR"/node1/data/$TIERED_TOPIC-0 >/dev/null 2>&1; then
        "${java[@]}" org.apache.kafka.tools.TopicCommand --bootstrap-server "$(bootstrap)" --create --topic $TIERED_TOPIC \
            --partitions 1 --replication-factor 3 --config remote.storage.enable=true --config segment.bytes=1048576 \
            --config local.retention.ms=1000 --config retention.ms=-1 >"$CLUSTER_DIR/tiered.log" 2>&1 ||
            { cat "$CLUSTER_DIR/tiered.log" >&2; log "creating $TIERED_TOPIC failed"; return 1; }
        "${java[@]}" org.apache.kafka.tools.ProducerPerformance --topic $TIERED_TOPIC --num-records $TIERED_RECORDS \
            --record-size 512 --throughput -1 --producer-props "bootstrap.servers=$(bootstrap)" acks=all \
            compression.type=none >>"$CLUSTER_DIR/tiered.log" 2>&1 ||
            { cat "$CLUSTER_DIR/tiered.log" >&2; log "producing to $TIERED_TOPIC failed"; return 1; }
    fi
    # Settled once every replica keeps only its active segment (never uploaded, never deleted), above offset 0: from
    # then on the first local offset no longer moves, and two snapshots agree on it.
    local deadline=$((SECONDS + 120)) n logs
    while ((SECONDS < deadline)); do
        local tiered=0
        for n in 1 2 3; do
            logs=$(ls "$CLUSTER_DIR/node$n/data/$TIERED_TOPIC-0/" 2>/dev/null | grep '\.log$' || true)
            [[ $(wc -l <<<"$logs") -eq 1 && -n $logs && $logs != 00000000000000000000.log ]] && tiered=$((tiered + 1))
        done
        if ((tiered == 3)); then
            log "$TIERED_TOPIC: $TIERED_RECORDS records, the first ones in the remote tier only"
            return 0
        fi
        sleep 1
    done
    tail -n 20 "$CLUSTER_DIR"/node*/server.log >&2
    log "$TIERED_TOPIC: the replicas still held closed local segments after 120 s"
    return 1
}

# A tiered topic whose uploads fail (4.x), for the fault tests: tiered-stalled, 1 partition, RF 3,
# remote.storage.enable=true, 1 MiB segments, local.retention.bytes 1 MiB. Before any record, a file takes the place
# of the partition's folder in LocalTieredStorage's directory, so that every upload of its segments fails; then 20,000
# records of 512 bytes. Ready once a broker has logged a failed copy of the partition. `tiered-stall remove` deletes
# the topic and the file.
STALL_TOPIC=tiered-stalled
cmd_tiered_stall() {
    if ((major < 4)); then
        log "Apache Kafka $KAFKA_VERSION: no tiered storage on the 3.x line"
        return 0
    fi
    local java id store="$CLUSTER_DIR/remote-storage/kafka-tiered-storage" out="$CLUSTER_DIR/tiered-stall.log"
    read -r -a java <<<"$(tools_java 256m)"
    if [[ ${1:-} == remove ]]; then
        "${java[@]}" org.apache.kafka.tools.TopicCommand --bootstrap-server "$(bootstrap)" --delete --if-exists \
            --topic $STALL_TOPIC >>"$out" 2>&1 || { cat "$out" >&2; log "deleting $STALL_TOPIC failed"; return 1; }
        for _ in $(seq 1 60); do
            if ! "${java[@]}" org.apache.kafka.tools.TopicCommand --bootstrap-server "$(bootstrap)" --list 2>/dev/null |
                grep -qx $STALL_TOPIC; then
                find "$store" -maxdepth 1 -type f -name "$STALL_TOPIC-0-*" -delete 2>/dev/null || true
                log "$STALL_TOPIC deleted"
                return 0
            fi
            sleep 1
        done
        log "$STALL_TOPIC was still listed after 60 s"
        return 1
    fi
    "${java[@]}" org.apache.kafka.tools.TopicCommand --bootstrap-server "$(bootstrap)" --create --topic $STALL_TOPIC \
        --partitions 1 --replication-factor 3 --config remote.storage.enable=true --config segment.bytes=1048576 \
        --config local.retention.bytes=1048576 --config retention.ms=-1 >"$out" 2>&1 ||
        { cat "$out" >&2; log "creating $STALL_TOPIC failed"; return 1; }
    id=$("${java[@]}" org.apache.kafka.tools.TopicCommand --bootstrap-server "$(bootstrap)" --describe \
        --topic $STALL_TOPIC 2>>"$out" | sed -n 's/.*TopicId: \([^[:space:]]*\).*/\1/p' | head -n 1)
    [[ -n $id ]] || { cat "$out" >&2; log "no topic id for $STALL_TOPIC"; return 1; }
    mkdir -p "$store"
    : >"$store/$STALL_TOPIC-0-$id" # LocalTieredStorage cannot make the partition's folder: every upload fails
    "${java[@]}" org.apache.kafka.tools.ProducerPerformance --topic $STALL_TOPIC --num-records $TIERED_RECORDS \
        --record-size 512 --throughput -1 --producer-props "bootstrap.servers=$(bootstrap)" acks=all \
        compression.type=none >>"$out" 2>&1 || { cat "$out" >&2; log "producing to $STALL_TOPIC failed"; return 1; }
    for _ in $(seq 1 60); do
        if grep -q "Error occurred while copying log segments of partition: $id:$STALL_TOPIC-0" \
            "$CLUSTER_DIR"/node*/server.log 2>/dev/null; then
            log "$STALL_TOPIC: $TIERED_RECORDS records; uploads of its segments fail"
            return 0
        fi
        sleep 1
    done
    log "$STALL_TOPIC: no broker logged a failed upload within 60 s"
    return 1
}

# A broker-only node N (4..9) on RACK joins the running cluster, empty (partitions reach it only by reassignment):
# for the test that executes a reassignment plan. Its listeners follow the numbering above (PLAINTEXT 1909N).
cmd_add_broker() {
    local n=${1:?usage: cluster.sh add-broker N RACK} rack=${2:?usage: cluster.sh add-broker N RACK}
    [[ $n =~ ^[4-9]$ ]] || { log "add-broker: N is 4..9 (1..3 are the quorum)"; return 2; }
    resolve_jars
    write_config "$n" "$rack"
    format_node "$n"
    KP_BROKER_HEAP=${KP_BROKER_HEAP:-256m} start_node "$n"
    wait_for_metadata "$(running_count)"
    log "broker $n (broker only, rack $rack) joined: PLAINTEXT 127.0.0.1:${PLAIN_PORT}$n"
}

# Node N stopped, unregistered from the cluster (Kafka's kafka-cluster.sh unregister) and its data removed: the
# cluster is the three nodes it was. Move its partitions away first (a stopped broker keeps its replicas assigned).
cmd_remove_broker() {
    local n=${1:?usage: cluster.sh remove-broker N} java
    [[ $n =~ ^[4-9]$ ]] || { log "remove-broker: N is 4..9 (1..3 are the quorum)"; return 2; }
    stop_node "$n"
    read -r -a java <<<"$(tools_java 128m)"
    "${java[@]}" org.apache.kafka.tools.ClusterTool unregister --bootstrap-server "$(bootstrap)" --id "$n" >&2 ||
        { log "unregistering broker $n failed"; return 1; }
    rm -rf "$(node_dir "$n")"
    wait_for_metadata "$(running_count)"
}

cmd_stop() {
    [[ -f $KIP848_LIVE_PID ]] && kill "$(cat "$KIP848_LIVE_PID")" 2>/dev/null || true
    # All at once: the data goes anyway, and a last broker alone waits in vain for a controlled shutdown.
    for n in 1 2 3 4 5 6 7 8 9; do
        [[ -f "$(pid_file "$n")" ]] && kill "$(cat "$(pid_file "$n")")" 2>/dev/null || true
    done
    for n in 9 8 7 6 5 4 3 2 1; do stop_node "$n"; done
    token_server_running && kill "$(cat "$OIDC_DIR/server.pid")" 2>/dev/null || true
    rm -rf "$CLUSTER_DIR"
}

case "${1:-}" in
start) shift; cmd_start "$@" ;;
stop) cmd_stop ;;
stop-broker) stop_node "${2:?node 1..3}" ;;
kill-broker)
    # SIGKILL: the broker vanishes without a controlled shutdown, as a crashed machine would.
    pf=$(pid_file "${2:?node 1..3}")
    if [[ -f "$pf" ]]; then
        pid=$(cat "$pf")
        kill -9 "$pid" 2>/dev/null || true
        for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        rm -f "$pf"
    fi
    ;;
freeze-broker | thaw-broker)
    pf=$(pid_file "${2:?node 1..3}")
    if [[ -f "$pf" ]]; then kill "-$([[ $1 == freeze-broker ]] && echo STOP || echo CONT)" "$(cat "$pf")" 2>/dev/null || true; fi
    ;;
start-broker)
    resolve_jars
    start_node "${2:?node 1..3}"
    wait_for_metadata "$(running_count)"
    ;;
add-broker) cmd_add_broker "${2:-}" "${3:-}" ;;
remove-broker) cmd_remove_broker "${2:-}" ;;
reassign-partitions)
    # Kafka's own kafka-reassign-partitions on this cluster: cluster.sh reassign-partitions --reassignment-json-file F
    # --execute|--verify ...
    shift
    read -r -a java <<<"$(tools_java 256m)"
    "${java[@]}" org.apache.kafka.tools.reassign.ReassignPartitionsCommand --bootstrap-server "$(bootstrap)" "$@"
    ;;
status)
    for n in 1 2 3; do
        if node_running "$n"; then echo "node$n running (pid $(cat "$(pid_file "$n")"))"; else echo "node$n stopped"; fi
    done
    ;;
bootstrap) bootstrap ;;
kip848-groups) cmd_kip848_groups ;;
kip848-churn) cmd_kip848_churn "${2:-}" ;;
tiered-topic) cmd_tiered_topic ;;
tiered-stall) cmd_tiered_stall "${2:-}" ;;
seed-4x)
    cmd_kip848_groups
    cmd_tiered_topic
    ;;
*)
    awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"
    exit 2
    ;;
esac
