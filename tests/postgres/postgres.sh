#!/usr/bin/env bash
# A throwaway PostgreSQL server for the store tests, from Debian's packages: its own data folder, on loopback only,
# run by a non-root user (the package's `postgres` when this runs as root), password logins (SCRAM) for the test
# superuser `kp`. Nothing of the machine's own PostgreSQL is touched.
#   postgres.sh start   initdb (first time) and start; prints nothing, exit 0 once it accepts connections
#   postgres.sh stop    stop and delete the data folder
#   postgres.sh env     the environment the tests read: KP_TEST_POSTGRES (a URL without the database) and PGPASSWORD
# KP_POSTGRES_DIR (default /tmp/kafka-planner-postgres) and KP_POSTGRES_PORT (default 15432) move it.
set -euo pipefail
DIR=${KP_POSTGRES_DIR:-/tmp/kafka-planner-postgres}
PORT=${KP_POSTGRES_PORT:-15432}
PASSWORD=kp-test-secret
BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)

as_owner() {
    if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

cmd_start() {
    [[ -x "$BIN/initdb" ]] || { echo "postgres.sh: PostgreSQL is not installed (apt install postgresql)" >&2; exit 1; }
    if [[ ! -f "$DIR/data/PG_VERSION" ]]; then
        mkdir -p "$DIR"
        [[ $(id -u) -eq 0 ]] && chown postgres: "$DIR"
        as_owner bash -c "printf '%s\n' '$PASSWORD' >'$DIR/pw' && chmod 600 '$DIR/pw'"
        as_owner "$BIN/initdb" -D "$DIR/data" -U kp --pwfile="$DIR/pw" --auth-host=scram-sha-256 \
            --auth-local=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$DIR/initdb.log" 2>&1 ||
            { cat "$DIR/initdb.log" >&2; exit 1; }
    fi
    if as_owner "$BIN/pg_ctl" -D "$DIR/data" status >/dev/null 2>&1; then
        return 0
    fi
    as_owner "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -c port=$PORT -c unix_socket_directories=$DIR -c fsync=off" start \
        >/dev/null || { tail -n 30 "$DIR/server.log" >&2; exit 1; }
}

cmd_stop() {
    if [[ -f "$DIR/data/PG_VERSION" ]]; then
        as_owner "$BIN/pg_ctl" -D "$DIR/data" -m immediate stop >/dev/null 2>&1 || true
    fi
    rm -rf "$DIR"
}

case "${1:-}" in
start) cmd_start ;;
stop) cmd_stop ;;
env)
    echo "export KP_TEST_POSTGRES=postgresql://kp@127.0.0.1:$PORT"
    echo "export PGPASSWORD=$PASSWORD"
    ;;
*)
    echo "usage: postgres.sh start|stop|env" >&2
    exit 2
    ;;
esac
