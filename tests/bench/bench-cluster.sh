# Sourced by the benchmarks that need a seeded cluster (snapshot-bench.sh, soak-window.sh): reads their common
# arguments and starts and seeds the test cluster, unless --reuse says the running one already is.
#   bench_args DEFAULT_TOPICS DEFAULT_PARTITIONS DEFAULT_RF DEFAULT_GROUPS "$@"   sets COUNT (a bare number), REUSE,
#                                                                               TOPICS, PARTITIONS, RF, NGROUPS
#   bench_cluster MESSAGES                                                      sets B (the bootstrap servers)
bench_args() {
    TOPICS=$1 PARTITIONS=$2 RF=$3 NGROUPS=$4 REUSE=0 COUNT=
    shift 4
    while [[ $# -gt 0 ]]; do
        case $1 in
        --reuse) REUSE=1 ;;
        --topics) TOPICS=$2; shift ;;
        --partitions) PARTITIONS=$2; shift ;;
        --rf) RF=$2; shift ;;
        --groups) NGROUPS=$2; shift ;;
        [0-9]*) COUNT=$1 ;;
        *) echo "$(basename "$0"): unknown argument $1" >&2; exit 2 ;;
        esac
        shift
    done
}

bench_cluster() {
    scripts/build.sh >/dev/null
    B=$(tests/cluster/cluster.sh bootstrap)
    if ((!REUSE)); then
        tests/cluster/cluster.sh start --fresh >/dev/null
        build/dev/tests/kp-seed seed 2> >(grep -v GETPID >&2)
        build/dev/tests/kp-seed scale --topics "$TOPICS" --partitions "$PARTITIONS" --rf "$RF" --groups "$NGROUPS" \
            --messages "$1" 2> >(grep -v GETPID >&2)
    fi
}
