#!/usr/bin/env bash
# The tests' OpenLineage endpoint: a real HTTP receiver on loopback that parses every event it is sent with the
# official OpenLineage Java client (io.openlineage:openlineage-java 1.54.0, OpenLineageClientUtils.runEventFromJson).
#
#   receiver.sh resolve                 resolve the client's jars from Maven Central (once; the test command calls it)
#   receiver.sh run PORT OUTFILE        serve POST /api/v1/lineage on 127.0.0.1:PORT until killed: each event parsed
#                                       is answered 201 and appended to OUTFILE as one line
#                                       {"authorization": HEADER, "event": <the event as the client re-serialises it>};
#                                       one it cannot parse is answered 400 and appended to OUTFILE.rejected
#
# Environment: KP_CACHE_DIR (resolved jars, default ~/.cache/kafka-planner).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CACHE_DIR=${KP_CACHE_DIR:-$HOME/.cache/kafka-planner}
LIBS="$CACHE_DIR/openlineage-java-1.54.0"

resolve() {
    [[ -f "$LIBS/.complete" ]] && return 0
    echo "receiver: resolving openlineage-java 1.54.0 from Maven Central into $LIBS" >&2
    mkdir -p "$LIBS"
    mvn -q -B -f "$HERE/pom.xml" dependency:copy-dependencies -DincludeScope=runtime "-DoutputDirectory=$LIBS" >&2
    touch "$LIBS/.complete"
}

case ${1:-} in
resolve) resolve ;;
run)
    [[ $# -eq 3 ]] || { echo "usage: receiver.sh run PORT OUTFILE" >&2; exit 2; }
    resolve
    exec java -cp "$LIBS/*" "$HERE/LineageReceiver.java" "$2" "$3"
    ;;
*)
    sed -n '2,12p' "$0" >&2
    exit 2
    ;;
esac
