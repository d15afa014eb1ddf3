#!/usr/bin/env bash
# Stall benchmark (issue 17): the window on a large live cluster with bench_stalls' probe on its GUI thread (a 5 ms
# timer; how late it fires is how long the window froze), while it connects, shows the cluster, records a sample every
# 10 s, refreshes every 30 s and shows the next page every 4 s. Prints the lateness (p50, p99, max), the stalls over
# 16 ms and what the bench did just before the worst of them. It asserts nothing.
#
#   tests/bench/stall-bench.sh [SECONDS] [--reuse] [--topics N --partitions P --rf R --groups G] [--history MINUTES]
#                              [--history-store DIR] [--idle] [--perf DIR]
#
# --idle: no page changes or refreshes, the Lag page shown: what the window costs between samples when left alone.
# --history MINUTES: the window opens on a store that already holds that many minutes of 10-second samples, made from a
# snapshot of the cluster with a fifth of the partitions moving (synthetic: see bench_stalls.cpp); up to 10080, a week
# (its first six days at a sample a minute, compacted as the store keeps them).
# --history-store DIR: the recorded history is kept in DIR as a template: recorded there at the first run (a week takes
# about 20 minutes), topped up to now at each run after, and copied into the window's temporary home, so that the
# window's own samples of the live cluster (where the bench topics do not move) never land in it. DIR belongs to the
# cluster it was recorded on: on a cluster started afresh (another cluster id) the run refuses; delete DIR to record
# again.
# --perf DIR: perf records the GUI thread's stacks into a ring buffer (on the CPU at 2 kHz, and each time it leaves the
# CPU; DWARF stacks), written out into DIR at each stall over 50 ms (one every 2 s at most); tests/bench/stall-stacks.py
# DIR then names what held each: the functions on the CPU, and where the thread waited (a lock, the disk, its turn).
# SECONDS: 120 by default. Without --reuse it starts the test cluster fresh and seeds it as snapshot-bench.sh does
# (default 500 x 100 partitions, RF 1, 2,000 groups: 50,122 partitions, 2,003 groups; KP_BROKER_HEAP=3g is advised).
# The window runs offscreen (QT_QPA_PLATFORM; set it to xcb under a display to paint on a real one) with a store of
# its own (a temporary HOME).
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/bench/bench-cluster.sh
HISTORY=0 TEMPLATE= PERF_DIR= ARGS=() PROBE_ARGS=()
while [[ $# -gt 0 ]]; do
    case $1 in
    --history) HISTORY=$2; shift 2 ;;
    --history-store) TEMPLATE=$2; shift 2 ;;
    --idle) PROBE_ARGS+=(--idle); shift ;;
    --perf) PERF_DIR=$2; shift 2 ;;
    *) ARGS+=("$1"); shift ;;
    esac
done
bench_args 500 100 1 2000 "${ARGS[@]}"
SECONDS_TO_RUN=${COUNT:-120}
bench_cluster 0
HOME_DIR=$(mktemp -d)
trap 'rm -rf "$HOME_DIR"' EXIT
HISTORY_ARGS=()
if ((HISTORY > 0)); then
    build/dev/ui/kafka-planner snapshot --bootstrap "$B" --output "$HOME_DIR/cluster.kpsnap.json" >/dev/null
    if [[ -n $TEMPLATE ]]; then
        mkdir -p "$TEMPLATE"
        if [[ -f $TEMPLATE/cluster.kpsnap.json ]]; then
            cluster_of() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["clusterId"])' "$1"; }
            was=$(cluster_of "$TEMPLATE/cluster.kpsnap.json") now=$(cluster_of "$HOME_DIR/cluster.kpsnap.json")
            if [[ $was != "$now" ]]; then
                echo "stall-bench: $TEMPLATE holds the history of cluster $was; the cluster at $B is $now" \
                    "(started afresh): delete $TEMPLATE to record it again" >&2
                exit 1
            fi
        else
            mv "$HOME_DIR/cluster.kpsnap.json" "$TEMPLATE/"
        fi
        # Topped up in place (the window never opens on it), then copied for the window.
        HOME=$TEMPLATE XDG_DATA_HOME=$TEMPLATE/data XDG_CONFIG_HOME=$TEMPLATE/config QT_QPA_PLATFORM=offscreen \
            build/dev/tests/bench_stalls --bootstrap "$B" --record-only \
            --history-from "$TEMPLATE/cluster.kpsnap.json" --history-minutes "$HISTORY"
        cp -a "$TEMPLATE/." "$HOME_DIR/"
    fi
    HISTORY_ARGS=(--history-from "$HOME_DIR/cluster.kpsnap.json" --history-minutes "$HISTORY")
fi
echo "stall probe: $SECONDS_TO_RUN s on $B, $(nproc) cores"
run_probe() {
    HOME=$HOME_DIR XDG_DATA_HOME=$HOME_DIR/data XDG_CONFIG_HOME=$HOME_DIR/config \
        QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-offscreen} \
        build/dev/tests/bench_stalls --bootstrap "$B" --seconds "$SECONDS_TO_RUN" "${HISTORY_ARGS[@]}" "${PROBE_ARGS[@]}"
}
if [[ -z $PERF_DIR ]]; then
    run_probe
    exit
fi
command -v perf >/dev/null || { echo "stall-bench: --perf needs perf (linux-perf)" >&2; exit 1; }
mkdir -p "$PERF_DIR"
rm -f "$PERF_DIR"/perf.data* "$PERF_DIR"/perf.pid
export KP_STALL_PERF_PIDFILE=$PERF_DIR/perf.pid
run_probe 2> >(tee "$PERF_DIR/bench.stderr" >&2) &
probe=$!
gui=
for _ in $(seq 100); do
    gui=$(pgrep -P "$probe" -x bench_stalls) && break
    sleep 0.1
done
[[ -n $gui ]] || { echo "stall-bench: bench_stalls did not start" >&2; exit 1; }
# The GUI thread is the process's first (its id is the pid); 32 MB of ring holds about 2,000 events with 16 kB stacks.
perf record -q -o "$PERF_DIR/perf.data" --overwrite --switch-output=signal -e cpu-clock/freq=2000/ \
    -e sched:sched_switch --call-graph dwarf,16384 -m 32M -t "$gui" 2>"$PERF_DIR/perf.stderr" &
echo $! >"$KP_STALL_PERF_PIDFILE"
rc=0
wait "$probe" || rc=$?
kill -INT "$(cat "$KP_STALL_PERF_PIDFILE")" 2>/dev/null || true
wait || true
echo "stall stacks: tests/bench/stall-stacks.py $PERF_DIR"
exit $rc
