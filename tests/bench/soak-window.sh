#!/usr/bin/env bash
# Soak benchmark: the window open on a large live cluster, sampling every 10 s, every page visited in turn, with its
# resident memory and CPU printed over time. Memory must level off (well under 500 MB at 20,000 partitions and 2,000
# groups); it is a benchmark, not a test: it prints, it asserts nothing.
#
#   tests/bench/soak-window.sh [MINUTES] [--reuse] [--topics N --partitions P --rf R --groups G]
#
# MINUTES: 30 by default. Without --reuse it starts the test cluster fresh and seeds it as snapshot-bench.sh does
# (default 200 x 100 partitions, RF 2, 2,000 groups: 20,119 partitions, 2,003 groups; KP_BROKER_HEAP=3g is advised).
# The app runs offscreen with a store of its own (a temporary HOME), shows the next page every 20 s, and is stopped at
# the end. Each line: minutes since start, RSS in MB, CPU % of one core over the last interval, samples recorded.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/bench/bench-cluster.sh
bench_args 200 100 2 2000 "$@"
MINUTES=${COUNT:-30}
bench_cluster 0
HOME_DIR=$(mktemp -d)
trap 'kill "$APP" 2>/dev/null || true; rm -rf "$HOME_DIR"' EXIT
HOME=$HOME_DIR XDG_DATA_HOME=$HOME_DIR/data XDG_CONFIG_HOME=$HOME_DIR/config QT_QPA_PLATFORM=offscreen \
    build/dev/ui/kafka-planner --bootstrap "$B" --cycle-tabs 20 >"$HOME_DIR/app.log" 2>&1 &
APP=$!
TICKS=$(getconf CLK_TCK)
cpu() { awk '{print $14 + $15}' "/proc/$APP/stat"; }
rss() { awk '/VmRSS/ {print int($2 / 1024)}' "/proc/$APP/status"; }
samples() {
    local db
    db=$(find "$HOME_DIR" -name kafka-planner.sqlite 2>/dev/null | head -n 1)
    [[ -n $db ]] && python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select count(*) from samples').fetchone()[0])" "$db" 2>/dev/null || echo 0
}
printf '%8s %8s %8s %8s\n' minutes rss_mb cpu_pct samples
start=$(date +%s) last_cpu=$(cpu) last_t=$start peak=0
while (($(date +%s) - start < MINUTES * 60)); do
    sleep 30
    kill -0 "$APP" 2>/dev/null || { echo "soak-window: the app exited; its log:" >&2; cat "$HOME_DIR/app.log" >&2; exit 1; }
    now=$(date +%s) c=$(cpu) r=$(rss)
    ((r > peak)) && peak=$r
    awk -v m="$((now - start))" -v r="$r" -v dc="$((c - last_cpu))" -v t="$TICKS" -v dt="$((now - last_t))" \
        -v n="$(samples)" 'BEGIN { printf "%8.1f %8d %8.1f %8s\n", m / 60, r, dc * 100 / t / dt, n }'
    last_cpu=$c last_t=$now
done
echo "peak RSS ${peak} MB over ${MINUTES} min"
