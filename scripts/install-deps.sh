#!/usr/bin/env bash
# Installs what building, testing and the demo need (Debian 12 packages). A no-op when everything is there.
set -euo pipefail
PACKAGES=(
    build-essential cmake ninja-build pkg-config git python3
    qt6-base-dev qt6-base-dev-tools libqt6sql6-sqlite libqt6sql6-psql libgl-dev
    libqcustomplot-dev librdkafka-dev libcurl4-openssl-dev libzstd-dev nlohmann-json3-dev libsqlite3-dev qtkeychain-qt6-dev
    libjemalloc-dev
    openjdk-17-jdk-headless maven kcat openssl
    xvfb xauth x11-apps imagemagick appstream desktop-file-utils dpkg-dev file fonts-dejavu-core
    dbus gnome-keyring libsecret-1-0
    postgresql prometheus
    clang libclang-rt-14-dev clang-format libbenchmark-dev
)
missing=()
for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
    exit 0
fi
echo "install-deps: installing ${missing[*]}" >&2
SUDO=()
[[ $(id -u) -eq 0 ]] || SUDO=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
