#!/usr/bin/env bash
# Installs what is missing, builds, starts the demo Kafka cluster with its seeded data, a live consumer and a living
# workload (tests/tools/kp-workload.cpp: producers whose rates swing, a tailing group, a lagging group, a refresh wave
# every three minutes), and opens Kafka Planner connected to it. Close the window to stop the workload;
# `tests/cluster/cluster.sh stop` stops the cluster.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
if tests/cluster/cluster.sh status | grep -q "node1 running"; then
    echo "demo: reusing the running cluster" >&2
else
    tests/cluster/cluster.sh start --fresh
    build/dev/tests/kp-seed seed 2> >(grep -v GETPID >&2)
    tests/cluster/cluster.sh seed-4x
fi
BOOTSTRAP=$(tests/cluster/cluster.sh bootstrap)
# The kp-active group's live member and the living workload, for as long as the app is open (each stops when this
# shell, and so its stdin, goes away).
exec 3> >(build/dev/tests/kp-seed hold >/dev/null)
exec 4> >(build/dev/tests/kp-workload --bootstrap "$BOOTSTRAP" --stdin >/dev/null 2>/tmp/kp-workload.log)
if [[ -z ${DISPLAY:-} && -z ${WAYLAND_DISPLAY:-} ]]; then
    echo "demo: no display; running under Xvfb (screenshot with: import -display :99 -window root shot.png)" >&2
    exec xvfb-run -n 99 -s "-screen 0 1600x1000x24 -ac" build/dev/ui/kafka-planner --bootstrap "$BOOTSTRAP" --name "Living demo"
fi
exec build/dev/ui/kafka-planner --bootstrap "$BOOTSTRAP" --name "Living demo"
