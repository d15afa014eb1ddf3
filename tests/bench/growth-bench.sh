#!/usr/bin/env bash
# Benchmark: how the cost of a snapshot and of `lag` grows with the cluster (issue 17, target 6). One fresh 3-broker
# cluster (the test seed plus bench topics of 100 partitions, RF 1) grown through 2,000, 20,000 and 50,000 bench
# partitions; at each size the bench groups (each with committed offsets on every partition of one bench topic) are
# set to 200, 2,000 and 10,000 (`kp-seed scale` tops them up or trims them). Each cell: the median wall time of RUNS
# runs and the peak RSS of `kafka-planner snapshot` and of `kafka-planner lag`, printed as a Markdown table row.
#
#   tests/bench/growth-bench.sh [RUNS] [--sizes "20 200 500"] [--groups "200 2000 10000"]
#
# RUNS: 3 by default. Sizes are bench topic counts (x 100 partitions). It leaves the cluster running at the last size.
# The broker heap is 3 GB (KP_BROKER_HEAP) unless set: 50,000 partitions need it.
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS=3 SIZES="20 200 500" GROUPS_LIST="200 2000 10000"
while [[ $# -gt 0 ]]; do
    case $1 in
    --sizes) SIZES=$2; shift ;;
    --groups) GROUPS_LIST=$2; shift ;;
    [0-9]*) RUNS=$1 ;;
    --help | -h) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "growth-bench.sh: unknown argument $1" >&2; exit 2 ;;
    esac
    shift
done
export KP_BROKER_HEAP=${KP_BROKER_HEAP:-3g}
scripts/build.sh >/dev/null
B=$(tests/cluster/cluster.sh bootstrap)
tests/cluster/cluster.sh start --fresh >/dev/null
build/dev/tests/kp-seed seed 2> >(grep -v GETPID >&2) >/dev/null
APP=build/dev/ui/kafka-planner

# "median_ms peak_MB" of RUNS runs of the command (after one warm-up run).
measure() {
    "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; return 1; }
    local times=() peaks=() out
    out=$(mktemp)
    for _ in $(seq 1 "$RUNS"); do
        /usr/bin/time -f '%e %M' -o "$out" "$@" >/dev/null 2>&1
        times+=("$(awk '{printf "%d", $1 * 1000}' "$out")")
        peaks+=("$(awk '{printf "%d", $2 / 1024}' "$out")")
    done
    rm -f "$out"
    local mid=$(((RUNS + 1) / 2))
    echo "$(printf '%s\n' "${times[@]}" | sort -n | sed -n "${mid}p") $(printf '%s\n' "${peaks[@]}" | sort -n | tail -1)"
}

echo "runs: $RUNS each (median time, largest peak RSS), Apache Kafka ${KAFKA_VERSION:-4.3.1}, $(nproc) cores"
echo "| partitions | groups | committed offsets | snapshot | snapshot memory | lag | lag memory |"
echo "|---:|---:|---:|---:|---:|---:|---:|"
for topics in $SIZES; do
    for groups in $GROUPS_LIST; do
        build/dev/tests/kp-seed scale --topics "$topics" --partitions 100 --rf 1 --groups "$groups" --messages 0 \
            2> >(grep -v GETPID >&2) >&2
        counts=$($APP snapshot --bootstrap "$B" 2>/dev/null | python3 -c '
import json, sys
s = json.load(sys.stdin)
print(sum(len(t["partitions"]) for t in s["topics"]), len(s["groups"]), sum(len(g["offsets"]) for g in s["groups"]))')
        read -r parts ngroups offsets <<<"$counts"
        read -r snap_ms snap_mb <<<"$(measure $APP snapshot --bootstrap "$B" --output /dev/null)"
        read -r lag_ms lag_mb <<<"$(measure $APP lag --bootstrap "$B" --output /dev/null)"
        printf '| %s | %s | %s | %s ms | %s MB | %s ms | %s MB |\n' "$parts" "$ngroups" "$offsets" "$snap_ms" \
            "$snap_mb" "$lag_ms" "$lag_mb"
    done
done
