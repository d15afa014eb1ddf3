#!/usr/bin/env bash
# Prints the install prefix of a librdkafka that can log in with SCRAM to Kafka 4.x (>= 2.6.1, librdkafka#4895), or
# nothing when the system's own librdkafka already is one.
#
# Debian 12 ships librdkafka 2.0.2. Then this builds Debian 13's librdkafka source package once into the cache
# ($KP_CACHE_DIR/librdkafka-VERSION) and the app links it statically. The source comes through apt with a private
# configuration kept in $KP_CACHE_DIR/apt: the user's apt sources and lists stay as they are, and apt checks the
# archive's signature (Debian's keyring) and every file's hash against the signed index.
#
# Environment: KP_CACHE_DIR (default ~/.cache/kafka-planner), KP_RDKAFKA_DEBIAN_VERSION (default 2.8.0-1, the
# version of Debian 13 "trixie"; if the archive no longer serves it, the newest trixie version is taken).
set -euo pipefail
CACHE_DIR=${KP_CACHE_DIR:-$HOME/.cache/kafka-planner}
WANTED=${KP_RDKAFKA_DEBIAN_VERSION:-2.8.0-1}
MIN_VERSION=2.6.1
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg

log() { printf 'librdkafka: %s\n' "$*" >&2; }

# Version numbers compare field by field as numbers ("2.10.0" is newer than "2.6.1").
at_least() { [[ $(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n 1) == "$2" ]]; }

system_version=$(pkg-config --modversion rdkafka 2>/dev/null || echo 0)
if at_least "$system_version" "$MIN_VERSION"; then
    exit 0
fi

prefix_of() { echo "$CACHE_DIR/librdkafka-${1%-*}"; }
for done_marker in "$CACHE_DIR"/librdkafka-*/.complete; do
    [[ -f $done_marker ]] || continue
    dir=$(dirname "$done_marker")
    at_least "${dir##*/librdkafka-}" "$MIN_VERSION" && { echo "$dir"; exit 0; }
done

log "the system's librdkafka $system_version cannot log in with SCRAM to Kafka 4.x; building Debian 13's $WANTED into $CACHE_DIR"
[[ -r $KEYRING ]] || { log "$KEYRING is missing: install debian-archive-keyring"; exit 1; }
for tool in apt-get dpkg-source make cc pkg-config; do
    command -v "$tool" >/dev/null || { log "$tool not found: run scripts/install-deps.sh"; exit 1; }
done
for lib in libssl libcurl libzstd zlib; do
    pkg-config --exists "$lib" || { log "$lib development files not found: run scripts/install-deps.sh"; exit 1; }
done

APT_DIR="$CACHE_DIR/apt"
mkdir -p "$APT_DIR/lists/partial" "$APT_DIR/archives/partial"
printf 'deb-src [signed-by=%s] http://deb.debian.org/debian trixie main\n' "$KEYRING" >"$APT_DIR/sources.list"
APT=(apt-get -q -o "Dir::Etc::SourceList=$APT_DIR/sources.list" -o Dir::Etc::SourceParts=/dev/null
    -o "Dir::State::Lists=$APT_DIR/lists" -o "Dir::Cache=$APT_DIR" -o "Dir::Cache::Archives=$APT_DIR/archives"
    -o Debug::NoLocking=1)
[[ $(id -u) -eq 0 ]] && APT+=(-o APT::Sandbox::User=root)
"${APT[@]}" update >"$APT_DIR/update.log" 2>&1 || { cat "$APT_DIR/update.log" >&2; log "apt-get update failed"; exit 1; }

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
if ! "${APT[@]}" source --download-only "librdkafka=$WANTED" >source.log 2>&1; then
    log "Debian no longer serves librdkafka $WANTED; taking the newest trixie version"
    "${APT[@]}" source --download-only librdkafka >>source.log 2>&1 || { cat source.log >&2; exit 1; }
fi
dsc=$(ls librdkafka_*.dsc)
version=${dsc#librdkafka_}
version=${version%.dsc}
at_least "${version%-*}" "$MIN_VERSION" || { log "Debian serves librdkafka $version, older than $MIN_VERSION"; exit 1; }
# apt has checked each file's hash against the signed index; dpkg-source checks them against the .dsc.
dpkg-source -x "$dsc" src >unpack.log 2>&1 || { cat unpack.log >&2; exit 1; }

PREFIX=$(prefix_of "$version")
rm -rf "$PREFIX"
(
    cd src
    # No GSSAPI (the app names Kerberos as unsupported), the bundled LZ4; TLS, OIDC (libcurl), zstd and zlib from Debian.
    ./configure --prefix="$PREFIX" --disable-gssapi --disable-lz4-ext --disable-syslog \
        --enable-ssl --enable-curl --enable-zstd --enable-zlib
    make -j"$(nproc)" libs
    make -C src install
) >"$WORK/build.log" 2>&1 || { tail -n 40 "$WORK/build.log" >&2; log "building librdkafka $version failed"; exit 1; }
rm -f "$PREFIX"/lib/librdkafka.so*
touch "$PREFIX/.complete"
log "built librdkafka $version into $PREFIX"
echo "$PREFIX"
