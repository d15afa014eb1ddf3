#!/usr/bin/env bash
# Builds the wire-decoder fuzz target with clang's libFuzzer + ASan + UBSan and runs it.
#   tests/fuzz/run-fuzz.sh [SECONDS]   (default 60). Needs clang and libclang-rt-14-dev (Debian).
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_TO_RUN=${1:-60}
OUT=build/fuzz
mkdir -p "$OUT/corpus"
CXX=$(command -v clang++ || command -v clang++-14 || true)
[[ -n $CXX ]] || { echo "run-fuzz: clang++ not found (apt-get install clang libclang-rt-14-dev)" >&2; exit 1; }
"$CXX" -std=c++20 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
    -Iapp/kafka/wire tests/fuzz/fuzz_wire.cpp app/kafka/wire/wirebuffer.cpp app/kafka/wire/messages.cpp \
    -o "$OUT/fuzz_wire"
# Seeds: one valid DescribeLogDirs v4 response (selector 3 = v4) and one ApiVersions response.
printf '\x03\x00\x00\x00\x00\x00\x00\x02\x00\x08/data/a\x02\x07orders\x02\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x03\xe8\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00' \
    >"$OUT/corpus/seed-logdirs-v4"
printf '\x04\x00\x00\x00\x00\x00\x01\x00\x12\x00\x00\x00\x03' >"$OUT/corpus/seed-apiversions"
status=0
"$OUT/fuzz_wire" -max_total_time="$SECONDS_TO_RUN" -max_len=4096 -print_final_stats=1 "$OUT/corpus" \
    >"$OUT/fuzz.log" 2>&1 || status=$?
grep -E "DONE|stat::number_of_executed_units|stat::peak_rss_mb|ERROR|SUMMARY|crash-" "$OUT/fuzz.log" || true
if ((status != 0)); then
    tail -n 40 "$OUT/fuzz.log" >&2
    echo "run-fuzz: the fuzzer found a failure (exit $status); the input is in $OUT" >&2
fi
exit $status
