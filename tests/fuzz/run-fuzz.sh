#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan, UBSan) and runs each for SECONDS (default 60), one after the other.
#   tests/fuzz/run-fuzz.sh [SECONDS] [TARGET ...]   targets: wire snapshot laghistory planoptions plan pricing review
#                                                   template properties probe (default: all)
# KP_FUZZ_RUNS=N stops each target after N executions instead (SECONDS then bounds it as well).
# Needs clang and libclang-rt-14-dev (Debian). Each target's corpus grows in build/fuzz/corpus/TARGET, seeded from the
# project's own files; a finding fails the run and leaves the input in build/fuzz (crash-*, leak-*, timeout-*).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
SECONDS_TO_RUN=${1:-60}
shift || true
TARGETS=("$@")
((${#TARGETS[@]})) || TARGETS=(wire snapshot laghistory planoptions plan pricing review template properties probe)
OUT=$ROOT/build/fuzz
CXX=$(command -v clang++ || command -v clang++-14 || true)
[[ -n $CXX ]] || { echo "run-fuzz: clang++ not found (apt-get install clang libclang-rt-14-dev)" >&2; exit 1; }
# One configure and build for all targets; concurrent callers (ctest -j) wait for each other.
mkdir -p "$OUT"
(
    flock 9
    [[ -f $OUT/build.ninja ]] || cmake -S tests/fuzz -B "$OUT" -G Ninja -DCMAKE_CXX_COMPILER="$CXX" >/dev/null
    cmake --build "$OUT" >"$OUT/build.log" 2>&1 || { tail -n 40 "$OUT/build.log" >&2; exit 1; }
) 9>"$OUT/.lock"

seed() { # TARGET FILE...: copies seeds into the target's corpus
    local dir=$OUT/corpus/$1
    shift
    mkdir -p "$dir"
    for f in "$@"; do [[ -f $f ]] && cp -n "$f" "$dir/seed-$(basename "$f")"; done
    return 0
}
seed_text() { # TARGET NAME TEXT
    mkdir -p "$OUT/corpus/$1"
    printf '%s' "$3" >"$OUT/corpus/$1/seed-$2"
}

status=0
for t in "${TARGETS[@]}"; do
    max_len=65536
    case $t in
    wire)
        max_len=4096
        mkdir -p "$OUT/corpus/wire"
        # One valid DescribeLogDirs v4 response (selector 3 = v4) and one ApiVersions response.
        printf '\x03\x00\x00\x00\x00\x00\x00\x02\x00\x08/data/a\x02\x07orders\x02\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x03\xe8\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00' \
            >"$OUT/corpus/wire/seed-logdirs-v4"
        printf '\x04\x00\x00\x00\x00\x00\x01\x00\x12\x00\x00\x00\x03' >"$OUT/corpus/wire/seed-apiversions"
        # An OIDC token endpoint's answer (selector 19), its JWT claims {"sub":"admin","exp":1764003600}.
        printf '\x13{"access_token":"eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhZG1pbiIsImV4cCI6MTc2NDAwMzYwMH0.c2ln","token_type":"Bearer","expires_in":3600}' \
            >"$OUT/corpus/wire/seed-token"
        ;;
    snapshot) seed snapshot tests/data/*.kpsnap.json ;;
    laghistory) seed laghistory tests/data/lag-history.json ;;
    planoptions)
        seed_text planoptions workload '{"writeMBps": 20, "replicationFactor": 3, "partitions": 60, "pricing": "p.json", "zoneLocalRouting": false}'
        seed_text planoptions scenario '{"scenarios": ["replay", "scale"], "replayDays": 2, "addBrokers": -1}'
        ;;
    plan)
        seed_text plan plan '{"format": "kafka-planner-plan", "version": 1, "pricing": "aws-us-east-1", "workload": {"writeMBps": 100, "peakWriteMBps": 150, "retentionHours": 168, "replicationFactor": 3, "partitions": 300, "consumerGroups": 2, "azs": 3, "storedGB": -1, "source": "by hand"}, "settings": {"existingBrokers": 6, "wal": "s3", "zoneLocalRouting": false}}'
        ;;
    pricing) seed pricing resources/pricing/*.json ;;
    review) # a review file as `review new` writes it, where the app is built
        mkdir -p "$OUT/corpus/review"
        [[ -x build/dev/ui/kafka-planner && ! -f $OUT/corpus/review/seed-review.json ]] &&
            build/dev/ui/kafka-planner review new "$OUT/corpus/review/seed-review.json" >/dev/null 2>&1
        seed review tests/data/*.review.json
        ;;
    template) seed template resources/review/readiness.json ;;
    properties) seed properties tests/data/*.properties ;;
    probe) seed probe tests/data/probe-result.json ;;
    *) echo "run-fuzz: no target named $t" >&2; exit 2 ;;
    esac
    mkdir -p "$OUT/corpus/$t" "$OUT/findings/$t"
    log=$OUT/fuzz_$t.log
    rc=0
    "$OUT/fuzz_$t" -max_total_time="$SECONDS_TO_RUN" -runs="${KP_FUZZ_RUNS:--1}" -max_len=$max_len -timeout=10 -print_final_stats=1 \
        -artifact_prefix="$OUT/findings/$t/" "$OUT/corpus/$t" >"$log" 2>&1 || rc=$?
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
    secs=$(grep -o 'Done [0-9]* runs in [0-9]* second' "$log" | grep -o '[0-9]* second' | grep -o '[0-9]*' || echo "$SECONDS_TO_RUN")
    echo "fuzz_$t: $runs executions in $secs s$( ((rc == 0)) && echo ", no finding")"
    if ((rc != 0)); then
        tail -n 40 "$log" >&2
        echo "run-fuzz: fuzz_$t found a failure (exit $rc); the input is in $OUT/findings/$t" >&2
        status=$rc
    fi
done
exit $status
