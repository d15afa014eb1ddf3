#!/usr/bin/env bash
# Packaging check: `cmake --install` puts the executable, the .desktop file, the AppStream metainfo and the icon under
# one application id; the metainfo and desktop file validate; CPack builds a .deb whose dependencies dpkg resolves,
# which installs, starts (offscreen, on the bundled demo snapshot) and uninstalls cleanly.
#   tests/packaging/check-package.sh BUILD_DIR
set -euo pipefail
BUILD=$(realpath "$1")
APP_ID=io.github.kafkaplanner.KafkaPlanner
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

DESTDIR="$WORK/root" cmake --install "$BUILD" --prefix /usr >/dev/null
for f in usr/bin/kafka-planner "usr/share/applications/$APP_ID.desktop" "usr/share/metainfo/$APP_ID.metainfo.xml" \
    "usr/share/icons/hicolor/scalable/apps/$APP_ID.svg"; do
    [[ -f "$WORK/root/$f" ]] || { echo "check-package: cmake --install did not install /$f" >&2; exit 1; }
done
appstreamcli validate --no-net --pedantic "$WORK/root/usr/share/metainfo/$APP_ID.metainfo.xml"
desktop-file-validate "$WORK/root/usr/share/applications/$APP_ID.desktop"
grep -q "^Icon=$APP_ID$" "$WORK/root/usr/share/applications/$APP_ID.desktop"

(cd "$WORK" && cpack --config "$BUILD/CPackConfig.cmake" -B "$WORK/deb" >/dev/null)
DEB=$(ls "$WORK"/deb/kafka-planner_*.deb)
# Captured first: `grep -q` stops reading early, and under pipefail the writer's SIGPIPE would fail the check.
INFO=$(dpkg-deb -I "$DEB")
CONTENTS=$(dpkg-deb -c "$DEB")
# librdkafka is the system's (a dependency) or one linked statically (scripts/librdkafka.sh: then its own libraries,
# libcurl among them, are).
if readelf -d "$WORK/root/usr/bin/kafka-planner" | grep -q "NEEDED.*librdkafka"; then
    grep -q "Depends: .*librdkafka" <<<"$INFO" || { echo "check-package: no librdkafka dependency" >&2; exit 1; }
else
    grep -q "Depends: .*libcurl" <<<"$INFO" ||
        { echo "check-package: librdkafka is linked statically but its libcurl is no dependency" >&2; exit 1; }
fi
grep -q "./usr/share/metainfo/$APP_ID.metainfo.xml" <<<"$CONTENTS" ||
    { echo "check-package: the metainfo is not in the package" >&2; exit 1; }

# Install it for real, start it, remove it. Needs root (CI is); elsewhere it says so and fails.
SUDO=()
[[ $(id -u) -eq 0 ]] || SUDO=(sudo -n)
if dpkg-query -W -f='${Status}' kafka-planner 2>/dev/null | grep -q "install ok installed"; then
    echo "check-package: a kafka-planner package is already installed here; not touching it" >&2
    exit 1
fi
"${SUDO[@]}" dpkg -i "$DEB" >/dev/null
VERSION=$(/usr/bin/kafka-planner --version)
grep -q "^kafka-planner [0-9]" <<<"$VERSION" || { echo "check-package: --version said: $VERSION" >&2; exit 1; }
trap '"${SUDO[@]}" dpkg -r kafka-planner >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT
HOME="$WORK/home" QT_QPA_PLATFORM=offscreen timeout 60 /usr/bin/kafka-planner --demo --screenshot "$WORK/started.png" \
    2> >(grep -v propagateSizeHints >&2)
[[ -s "$WORK/started.png" ]] || { echo "check-package: the installed app did not start" >&2; exit 1; }
# The sampler's service unit, as installed: systemd's own check (an instance of the template).
[[ -f /usr/lib/systemd/system/kafka-planner-watch@.service ]] ||
    { echo "check-package: the .deb has no kafka-planner-watch@.service" >&2; exit 1; }
systemd-analyze verify /usr/lib/systemd/system/kafka-planner-watch@check.service
"${SUDO[@]}" dpkg -r kafka-planner >/dev/null
[[ ! -e /usr/bin/kafka-planner ]] || { echo "check-package: dpkg -r left /usr/bin/kafka-planner" >&2; exit 1; }
echo "check-package: $(basename "$DEB") installs, starts and uninstalls"
