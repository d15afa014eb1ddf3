#!/usr/bin/env bash
# Benchmark: the replay probe reading a topic whole on loopback, side by side with `kcat -C` reading the same range,
# and the CPU each costs per 100 MB/s.
#
#   tests/bench/probe-bench.sh [MB]
#
# On the running test cluster (tests/cluster/cluster.sh start; KAFKA_VERSION as for it): writes MB (default 500) of
# 1,000-byte records into bench-replay (12 partitions, RF 3) with Kafka's own ProducerPerformance when the topic is not
# there yet, then reads it all, one run each after a warm-up read: the probe with one fetcher and with four, and kcat.
# Throughput is record bytes over the process's whole wall time (connecting included), CPU is user + system time.
set -euo pipefail
cd "$(dirname "$0")/../.."
MB=${1:-500}
B=127.0.0.1:19091,127.0.0.1:19092,127.0.0.1:19093
KAFKA_VERSION=${KAFKA_VERSION:-$(cat "${KP_CLUSTER_DIR:-/tmp/kafka-planner-cluster}/version" 2>/dev/null || echo 4.3.1)}
LIBS=${KP_CACHE_DIR:-$HOME/.cache/kafka-planner}/kafka-$KAFKA_VERSION/libs
CLI=build/dev/ui/kafka-planner
TOPIC=bench-replay

if ! $CLI snapshot --bootstrap "$B" --no-groups --no-log-dirs | grep -q "\"$TOPIC\""; then
    java -cp "$LIBS/*" -Dlog4j.configuration=file:/dev/null org.apache.kafka.tools.TopicCommand --bootstrap-server "$B" \
        --create --topic "$TOPIC" --partitions 12 --replication-factor 3 >/dev/null
    java -cp "$LIBS/*" -Dlog4j.configuration=file:/dev/null org.apache.kafka.tools.ProducerPerformance \
        --topic "$TOPIC" --num-records $((MB * 1000)) --record-size 1000 --throughput -1 \
        --producer-props bootstrap.servers="$B" acks=1 linger.ms=20 batch.size=262144 >/dev/null
fi
BYTES=$($CLI probe replay --bootstrap "$B" --topic "^$TOPIC\$" --earliest --max-bytes 1TB --max-seconds 600 2>/dev/null |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["bytes"])') # also the warm-up
echo "topic $TOPIC: $BYTES record bytes, Apache Kafka $KAFKA_VERSION, $(nproc) cores"

measure() {
    local name=$1
    shift
    local times
    times=$(mktemp)
    /usr/bin/time -o "$times" -f '%e %U %S' "$@" >/dev/null 2>&1
    python3 - "$name" "$BYTES" $(tail -1 "$times") <<'PY'
import sys
name, b, wall, user, sys_ = sys.argv[1], int(sys.argv[2]), *map(float, sys.argv[3:6])
mbps = b / 1e6 / wall
cpu = (user + sys_) / wall
print(f"{name:<44} {wall:6.2f} s  {mbps:7.1f} MB/s  CPU {cpu * 100:5.1f}% of a core  "
      f"= {cpu / (mbps / 100) * 100:5.1f}% of a core per 100 MB/s")
PY
    rm -f "$times"
}
measure "kafka-planner probe replay (1 fetcher)" $CLI probe replay --bootstrap "$B" --topic "^$TOPIC\$" --earliest \
    --max-bytes 1TB --max-seconds 600
measure "kafka-planner probe replay (4 fetchers)" $CLI probe replay --bootstrap "$B" --topic "^$TOPIC\$" --earliest \
    --max-bytes 1TB --max-seconds 600 --fetchers 4
measure "kcat -C -o beginning -e (same range)" kcat -C -b "$B" -t "$TOPIC" -o beginning -e -q
