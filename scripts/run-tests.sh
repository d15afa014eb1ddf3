#!/usr/bin/env bash
# Runs every test: installs what is missing, builds, starts a fresh 3-broker Kafka cluster (KAFKA_VERSION, default
# 3.9.1; e.g. KAFKA_VERSION=4.1.0 for the 4.x line), seeds it, runs unit, integration and UI tests with ctest, and stops
# the cluster again. Tests run in a private D-Bus session with an unlocked gnome-keyring. Note: it replaces a demo cluster running on the same ports.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
scripts/install-deps.sh
scripts/build.sh
trap '"$ROOT/tests/cluster/cluster.sh" stop || true' EXIT
tests/cluster/cluster.sh start --fresh
if ! build/dev/tests/kp-seed seed 2> >(grep -v GETPID >&2); then
    tail -n 40 "${KP_CLUSTER_DIR:-/tmp/kafka-planner-cluster}"/node*/server.log >&2 || true
    exit 1
fi
export KP_TEST_CLUSTER=1
cd build/dev
# A private D-Bus session with an unlocked keyring, so that the QtKeychain path is tested for real.
dbus-run-session -- "$ROOT/scripts/with-keyring.sh" ctest --output-on-failure --timeout 600 "$@"
