#!/usr/bin/env bash
# Stall benchmark (issue 17): the window on a large live cluster with bench_stalls' probe on its GUI thread (a 5 ms
# timer; how late it fires is how long the window froze), while it connects, shows the cluster, records a sample every
# 10 s, refreshes every 30 s and shows the next page every 4 s. Prints the lateness (p50, p99, max), the stalls over
# 16 ms and what the bench did just before the worst of them. It asserts nothing.
#
#   tests/bench/stall-bench.sh [SECONDS] [--reuse] [--topics N --partitions P --rf R --groups G] [--history MINUTES]
#                              [--history-store DIR] [--idle]
#
# --idle: no page changes or refreshes, the Lag page shown: what the window costs between samples when left alone.
# --history MINUTES: the window opens on a store that already holds that many minutes of 10-second samples, made from a
# snapshot of the cluster with a fifth of the partitions moving (synthetic: see bench_stalls.cpp); up to 10080, a week
# (its first six days at a sample a minute, compacted as the store keeps them).
# --history-store DIR: the window's home (store and settings) is DIR, kept after the run, instead of a temporary one;
# a store there is topped up to now rather than recorded again (a week takes about half an hour to record).
# SECONDS: 120 by default. Without --reuse it starts the test cluster fresh and seeds it as snapshot-bench.sh does
# (default 500 x 100 partitions, RF 1, 2,000 groups: 50,122 partitions, 2,003 groups; KP_BROKER_HEAP=3g is advised).
# The window runs offscreen (QT_QPA_PLATFORM; set it to xcb under a display to paint on a real one) with a store of
# its own (a temporary HOME).
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/bench/bench-cluster.sh
HISTORY=0 HOME_DIR= ARGS=() PROBE_ARGS=()
while [[ $# -gt 0 ]]; do
    case $1 in
    --history) HISTORY=$2; shift 2 ;;
    --history-store) HOME_DIR=$2; shift 2 ;;
    --idle) PROBE_ARGS+=(--idle); shift ;;
    *) ARGS+=("$1"); shift ;;
    esac
done
bench_args 500 100 1 2000 "${ARGS[@]}"
SECONDS_TO_RUN=${COUNT:-120}
bench_cluster 0
if [[ -z $HOME_DIR ]]; then
    HOME_DIR=$(mktemp -d)
    trap 'rm -rf "$HOME_DIR"' EXIT
fi
mkdir -p "$HOME_DIR"
HISTORY_ARGS=()
if ((HISTORY > 0)); then
    build/dev/ui/kafka-planner snapshot --bootstrap "$B" --output "$HOME_DIR/cluster.kpsnap.json" >/dev/null
    HISTORY_ARGS=(--history-from "$HOME_DIR/cluster.kpsnap.json" --history-minutes "$HISTORY")
fi
echo "stall probe: $SECONDS_TO_RUN s on $B, $(nproc) cores"
HOME=$HOME_DIR XDG_DATA_HOME=$HOME_DIR/data XDG_CONFIG_HOME=$HOME_DIR/config \
    QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-offscreen} \
    build/dev/tests/bench_stalls --bootstrap "$B" --seconds "$SECONDS_TO_RUN" "${HISTORY_ARGS[@]}" "${PROBE_ARGS[@]}"
