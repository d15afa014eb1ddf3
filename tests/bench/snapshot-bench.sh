#!/usr/bin/env bash
# Benchmark: a full CLI snapshot of a seeded cluster with >= 2,000 partitions and >= 100 consumer groups, side by side
# with `kcat -L` (metadata only) and Kafka's own ConsumerGroupCommand --describe --all-groups from the same jars.
#
#   tests/bench/snapshot-bench.sh [RUNS] [--reuse]   (default 5 runs each; prints the median and min in milliseconds)
#
# It restarts the test cluster fresh and seeds it (KAFKA_VERSION as for cluster.sh), unless --reuse says the running
# cluster is already seeded for it; it leaves the cluster running for inspection.
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS=5
[[ ${1:-} =~ ^[0-9]+$ ]] && RUNS=$1
KAFKA_VERSION=${KAFKA_VERSION:-3.9.1}
LIBS=${KP_CACHE_DIR:-$HOME/.cache/kafka-planner}/kafka-$KAFKA_VERSION/libs
scripts/build.sh >/dev/null
B=$(tests/cluster/cluster.sh bootstrap)
if [[ ${1:-} != --reuse && ${2:-} != --reuse ]]; then
    tests/cluster/cluster.sh start --fresh >/dev/null
    build/dev/tests/kp-seed seed 2> >(grep -v GETPID >&2)
    build/dev/tests/kp-seed scale --topics 20 --partitions 100 --groups 100 --messages 10 2> >(grep -v GETPID >&2)
fi

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
