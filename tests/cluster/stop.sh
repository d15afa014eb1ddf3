#!/usr/bin/env bash
# Stops every node of the test cluster and removes its data directory.
exec "$(dirname "$0")/cluster.sh" stop
