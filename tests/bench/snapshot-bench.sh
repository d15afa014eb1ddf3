#!/usr/bin/env bash
# Benchmark: a full CLI snapshot of a seeded cluster with >= 2,000 partitions and >= 100 consumer groups, side by side
# with `kcat -L` (metadata only) and Kafka's own ConsumerGroupCommand --describe --all-groups from the same jars.
#
#   tests/bench/snapshot-bench.sh [RUNS] [--reuse] [--topics N --partitions P --rf R --groups G]
#
# RUNS: 5 by default; it prints the median and min in milliseconds. It restarts the test cluster fresh and seeds it
# (KAFKA_VERSION as for cluster.sh) with the test seed plus N bench topics of P partitions (RF R, 10 records each) and
# G groups, default 20 x 100, RF 2, 100 groups; unless --reuse says the running cluster is already seeded for it. It
# leaves the cluster running for inspection. The 50,000-partition measurement in the README:
#   KP_BROKER_HEAP=3g tests/bench/snapshot-bench.sh 3 --topics 500 --partitions 100 --rf 1 --groups 500
# (RF 1 keeps each broker's replicas, and so its open files and index maps, within this machine's default limits.)
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/bench/bench-cluster.sh
bench_args 20 100 2 100 "$@"
RUNS=${COUNT:-5}
# Large clusters: no records (writing 10 to each of 50,000 partitions takes longer than reading them all).
MESSAGES=10
((TOPICS * PARTITIONS > 10000)) && MESSAGES=0
KAFKA_VERSION=${KAFKA_VERSION:-4.3.1}
LIBS=${KP_CACHE_DIR:-$HOME/.cache/kafka-planner}/kafka-$KAFKA_VERSION/libs
bench_cluster "$MESSAGES"

ms() { date +%s%3N; }
bench() {
    local name=$1
    shift
    local times=()
    "$@" >/dev/null 2>&1 || { echo "$name failed: $*" >&2; return 1; } # warm-up (JIT, page cache, connections)
    for _ in $(seq 1 "$RUNS"); do
        local t0 t1
        t0=$(ms)
        "$@" >/dev/null 2>&1
        t1=$(ms)
        times+=($((t1 - t0)))
    done
    local sorted
    sorted=$(printf '%s\n' "${times[@]}" | sort -n)
    printf '%-58s median %6d ms   min %6d ms   (%s)\n' "$name" "$(echo "$sorted" | sed -n "$(((RUNS + 1) / 2))p")" \
        "$(echo "$sorted" | head -1)" "$(echo "${times[@]}")"
}

SNAP=$(mktemp)
build/dev/ui/kafka-planner snapshot --bootstrap "$B" --output "$SNAP"
python3 - "$SNAP" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
parts = sum(len(t["partitions"]) for t in s["topics"])
print(f"cluster: {len(s['brokers'])} brokers, {len(s['topics'])} topics, {parts} partitions, {len(s['groups'])} groups, "
      f"{len(s['problems'])} problems; snapshot file {len(open(sys.argv[1]).read()) // 1024} KiB")
print("collector steps:", ", ".join(f"{t['step']} {t['ms']} ms" for t in s["timings"]))
PY
rm -f "$SNAP"
echo "runs: $RUNS each, Apache Kafka $KAFKA_VERSION, $(nproc) cores"
bench "kafka-planner snapshot (everything, JSON)" build/dev/ui/kafka-planner snapshot --bootstrap "$B" --output /dev/null
bench "kcat -L (metadata only)" kcat -L -b "$B"
bench "ConsumerGroupCommand --describe --all-groups" java -cp "$LIBS/*" -Dlog4j.configuration=file:/dev/null \
    org.apache.kafka.tools.consumer.group.ConsumerGroupCommand --bootstrap-server "$B" --describe --all-groups
