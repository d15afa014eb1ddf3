#!/usr/bin/env bash
# Runs every test on both Kafka lines: installs what is missing, builds, then for each line starts a fresh 3-broker
# Kafka cluster, seeds it and runs the tests with ctest, and stops the cluster again.
#   - Kafka 4.3.1 (the default line): every test: unit, the store on PostgreSQL (a throwaway server,
#     tests/postgres/postgres.sh), integration, UI (OpenLineage events through tests/openlineage/receiver.sh), the demo's
#     workload, fuzz, packaging;
#   - Kafka 3.9.1: the tests that talk to the cluster (integration and UI).
# KP_KAFKA_LINES="4.3.1 3.9.1" chooses the lines (the first runs everything); arguments go to ctest (e.g. -R tst_cli).
# Tests run in a private D-Bus session with an unlocked gnome-keyring. Note: it replaces a demo cluster running on the
# same ports.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
read -r -a LINES <<<"${KP_KAFKA_LINES:-4.3.1 3.9.1}"
scripts/install-deps.sh
scripts/build.sh
trap '"$ROOT/tests/cluster/cluster.sh" stop || true; "$ROOT/tests/postgres/postgres.sh" stop || true' EXIT
# The store tests on PostgreSQL (label postgres) run against a throwaway server of their own on loopback.
tests/postgres/postgres.sh stop
tests/postgres/postgres.sh start
eval "$(tests/postgres/postgres.sh env)"
# The OpenLineage tests' receiver parses events with the official Java client: its jars resolved once, here.
tests/openlineage/receiver.sh resolve

# One line: a fresh cluster of that version, seeded, and ctest with the given arguments.
run_line() {
    local version=$1
    shift
    echo "run-tests: Apache Kafka $version" >&2
    KAFKA_VERSION=$version tests/cluster/cluster.sh start --fresh >/dev/null
    if ! build/dev/tests/kp-seed seed 2> >(grep -v GETPID >&2); then
        tail -n 40 "${KP_CLUSTER_DIR:-/tmp/kafka-planner-cluster}"/node*/server.log >&2 || true
        return 1
    fi
    tests/cluster/cluster.sh seed-4x
    # A private D-Bus session with an unlocked keyring, so that the QtKeychain path is tested for real.
    (cd build/dev && KP_TEST_CLUSTER=1 KAFKA_VERSION=$version \
        dbus-run-session -- "$ROOT/scripts/with-keyring.sh" ctest --output-on-failure --timeout 600 "$@")
}

failed=()
run_line "${LINES[0]}" "$@" || failed+=("${LINES[0]}")
for version in "${LINES[@]:1}"; do
    run_line "$version" -L 'integration|ui' "$@" || failed+=("$version")
done
if ((${#failed[@]})); then
    echo "run-tests: FAILED on Apache Kafka ${failed[*]}" >&2
    exit 1
fi
echo "run-tests: every test passed on Apache Kafka ${LINES[*]}" >&2
