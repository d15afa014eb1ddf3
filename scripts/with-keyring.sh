#!/usr/bin/env bash
# Runs a command inside the current D-Bus session with a fresh, unlocked gnome-keyring, as a desktop would have.
# Used by run-tests.sh as: dbus-run-session -- scripts/with-keyring.sh COMMAND...
set -euo pipefail
export XDG_DATA_HOME=${XDG_DATA_HOME:-$(mktemp -d)} # the test keyring lives in a throwaway directory
printf 'kp-test-keyring\n' | gnome-keyring-daemon --unlock --components=secrets >/dev/null
export KP_TEST_KEYRING=1
exec "$@"
