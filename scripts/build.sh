#!/usr/bin/env bash
# Configures and builds the dev preset into build/dev, with a librdkafka that logs in with SCRAM to Kafka 4.x
# (scripts/librdkafka.sh: the system's where it is new enough, else one built once into the cache).
set -euo pipefail
cd "$(dirname "$0")/.."
RDKAFKA_PREFIX=$(scripts/librdkafka.sh)
configured=$(sed -n 's/^KP_RDKAFKA_PREFIX:PATH=//p' build/dev/CMakeCache.txt 2>/dev/null || true)
if [[ ! -f build/dev/build.ninja || $configured != "$RDKAFKA_PREFIX" ]]; then
    cmake --preset dev "-DKP_RDKAFKA_PREFIX=$RDKAFKA_PREFIX" >/dev/null
fi
cmake --build build/dev
