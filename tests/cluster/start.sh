#!/usr/bin/env bash
# Starts the test cluster (idempotent), waits until all three brokers serve metadata, prints the bootstrap addresses.
# Same as cluster.sh start; pass --fresh to wipe the data first.
exec "$(dirname "$0")/cluster.sh" start "$@"
