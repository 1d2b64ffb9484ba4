#!/usr/bin/env bash
# Builds the release binaries (static Swift standard library) and two Debian packages:
#   loa-controller  loa-controller, loactl, its systemd unit, sysusers.d, /etc/loa/controller.toml
#   loa-gateway     loa-gateway, loactl, its systemd unit, sysusers.d, /etc/loa/gateway.toml
# The maintainer scripts create the `loa` user and the state directory and enable nothing.
# Both packages carry loactl (a technician needs it on a gateway, an operator on the
# controller); each installs it as /usr/lib/PACKAGE/loactl and points /usr/bin/loactl at it
# with update-alternatives, so both packages can be installed on one machine.
#
#   usage: bash Deploy/build-packages.sh [OUTDIR]        (default Deploy/out, git-ignored)
#   env:   LOA_VERSION   package version (default: Deploy/VERSION + "+git<commit time>.<hash>")
#          LOA_MAINTAINER  "Name <address>" for the Maintainer field
#          LOA_BIN_DIR   package the executables already in this folder instead of building
#
# The release build has its own scratch path (.build-release), so the debug build and the
# tests' builds are never touched. Needs dpkg-dev (dpkg-shlibdeps) and binutils (strip); no
# fakeroot: `dpkg-deb --root-owner-group` makes every file root's.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
out=${1:-Deploy/out}
mkdir -p "$out"
out=$(cd "$out" && pwd)

for tool in swift dpkg-deb dpkg-shlibdeps strip; do
    command -v "$tool" >/dev/null || { echo "build-packages: '$tool' not found; run scripts/setup-debian.sh (dpkg-dev, binutils)" >&2; exit 1; }
done

# --- version -------------------------------------------------------------------------
base=$(tr -d ' \n' <Deploy/VERSION)
[[ $base =~ ^[0-9][0-9A-Za-z.+~]*$ ]] || { echo "build-packages: Deploy/VERSION must start with a digit, e.g. 0.1.0 (found '$base')" >&2; exit 1; }
if [[ -n ${LOA_VERSION:-} ]]; then
    version=$LOA_VERSION
elif git rev-parse --git-dir >/dev/null 2>&1; then
    # Commit time first, so that later builds sort higher for dpkg (upgrades); "+dirty" marks
    # a build from uncommitted changes.
    version="$base+git$(TZ=UTC git log -1 --date=format-local:%Y%m%d%H%M%S --format=%cd).$(git rev-parse --short=8 HEAD)"
    git diff --quiet HEAD -- Sources Package.swift Systemd Deploy 2>/dev/null || version+=".dirty"
else
    version=$base
fi
[[ $version =~ ^[0-9][0-9A-Za-z.+~]*$ ]] || { echo "build-packages: version '$version' is not a Debian version" >&2; exit 1; }
maintainer=${LOA_MAINTAINER:-"Loa maintainers <$(git log -1 --format=%ae 2>/dev/null || echo loa@localhost)>"}
arch=$(dpkg --print-architecture)

# --- release binaries ----------------------------------------------------------------
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [[ -n ${LOA_BIN_DIR:-} ]]; then
    bin=$LOA_BIN_DIR
    echo "build-packages: packaging the executables in $bin (LOA_BIN_DIR; not built here)"
else
    echo "build-packages: swift build -c release --static-swift-stdlib (scratch .build-release)"
    started=$SECONDS
    if ! swift build -c release --static-swift-stdlib --scratch-path .build-release >"$work/build.log" 2>&1; then
        grep -E "error:" "$work/build.log" | head -20 >&2 || tail -40 "$work/build.log" >&2
        echo "build-packages: the release build failed" >&2
        exit 1
    fi
    bin=$(swift build -c release --scratch-path .build-release --show-bin-path)
    echo "build-packages: release build took $((SECONDS - started)) s"
fi
for exe in loa-controller loa-gateway loactl; do
    [[ -x $bin/$exe ]] || { echo "build-packages: $bin/$exe was not built" >&2; exit 1; }
done

# Depends: from the shared libraries the binaries link (dpkg-shlibdeps needs a debian/control).
shlibs_for() { # shlibs_for FILE… → "libc6 (>= 2.34), libasound2 (>= 1.0.16), …"
    local dir=$work/shlibs
    mkdir -p "$dir/debian"
    printf 'Source: loa\n\nPackage: loa\nArchitecture: any\n' >"$dir/debian/control"
    local files=()
    for f in "$@"; do files+=("$(realpath "$f")"); done
    (cd "$dir" && dpkg-shlibdeps -O -e"${files[@]}" 2>/dev/null) | sed -n 's/^shlibs:Depends=//p'
}

# --- one package ---------------------------------------------------------------------
# build_package NAME CONFFILE DESCRIPTION-SUMMARY DESCRIPTION-BODY
build_package() {
    local name=$1 conffile=$2 summary=$3 body=$4
    local unit=$name.service
    local tree=$work/$name
    install -d "$tree/DEBIAN" "$tree/usr/bin" "$tree/usr/lib/$name" "$tree/lib/systemd/system" \
        "$tree/usr/lib/sysusers.d" "$tree/etc/loa" "$tree/usr/share/doc/$name"

    # Binaries, stripped as dh_strip does (symbols only; Swift metadata sections stay).
    install -m 0755 "$bin/$name" "$tree/usr/bin/$name"
    install -m 0755 "$bin/loactl" "$tree/usr/lib/$name/loactl"
    strip --remove-section=.comment --remove-section=.note "$tree/usr/bin/$name" "$tree/usr/lib/$name/loactl"
    install -m 0644 "Systemd/$unit" "$tree/lib/systemd/system/$unit"
    install -m 0644 Systemd/loa.sysusers.conf "$tree/usr/lib/sysusers.d/$name.conf"
    install -m 0644 "Deploy/$conffile" "$tree/etc/loa/${conffile#loa-}"
    printf '/etc/loa/%s\n' "${conffile#loa-}" >"$tree/DEBIAN/conffiles"

    # Manual pages: the daemon's in section 8; loactl's beside its binary, linked into
    # /usr/share/man by the same alternative that provides /usr/bin/loactl (postinst).
    install -d "$tree/usr/share/man/man8"
    gzip -9n <"Deploy/man/$name.8" >"$tree/usr/share/man/man8/$name.8.gz"
    gzip -9n <Deploy/man/loactl.1 >"$tree/usr/lib/$name/loactl.1.gz"
    chmod 0644 "$tree/usr/share/man/man8/$name.8.gz" "$tree/usr/lib/$name/loactl.1.gz"

    # Documentation the unit's Documentation= names, and the copyright / changelog Debian wants.
    local doc=$tree/usr/share/doc/$name
    install -m 0644 README.md "$doc/README.md"
    install -m 0644 docs/DEPLOY.md "$doc/DEPLOY.md"
    install -m 0644 "docs/CONFIG-${name#loa-}.md" "$doc/CONFIG.md"
    install -m 0644 Deploy/debian/copyright "$doc/copyright"
    {
        printf '%s (%s) unstable; urgency=medium\n\n' "$name" "$version"
        printf '  * Built from commit %s.\n\n' "$(git rev-parse --short=12 HEAD 2>/dev/null || echo "(no git)")"
        printf ' -- %s  %s\n' "$maintainer" "$(date -R -d "@$(git log -1 --format=%ct 2>/dev/null || date +%s)")"
    } | gzip -9n >"$doc/changelog.gz"
    chmod 0644 "$doc/changelog.gz"

    for script in postinst prerm postrm; do
        sed -e "s|@PACKAGE@|$name|g" -e "s|@UNIT@|$unit|g" -e "s|@CONFFILE@|${conffile#loa-}|g" \
            "Deploy/debian/$script.in" >"$tree/DEBIAN/$script"
        chmod 0755 "$tree/DEBIAN/$script"
    done

    local depends
    depends=$(shlibs_for "$tree/usr/bin/$name" "$tree/usr/lib/$name/loactl")
    [[ -n $depends ]] || depends="libc6, libstdc++6, libasound2, libmp3lame0, libmpg123-0, libsqlite3-0"
    # Packed relative relocations (DT_RELR, Package.swift) need glibc 2.36, a version tag
    # (GLIBC_ABI_DT_RELR) that dpkg-shlibdeps does not map to a libc6 version.
    if readelf -V "$tree/usr/bin/$name" "$tree/usr/lib/$name/loactl" 2>/dev/null | grep GLIBC_ABI_DT_RELR >/dev/null; then
        depends=$(sed -E 's/libc6( \(>= [0-9.]+\))?/libc6 (>= 2.36)/' <<<"$depends")
    fi
    local size
    size=$(du -sk --exclude=DEBIAN "$tree" | cut -f1)
    cat >"$tree/DEBIAN/control" <<CONTROL
Package: $name
Version: $version
Architecture: $arch
Maintainer: $maintainer
Installed-Size: $size
Depends: $depends, passwd, tzdata
Recommends: systemd
Section: net
Priority: optional
Description: $summary
$body
CONTROL
    # gzip, not xz: xz over ~100 MB of binaries takes minutes on a busy 2-core machine.
    dpkg-deb --build --root-owner-group -Zgzip "$tree" "$out/${name}_${version}_${arch}.deb" >/dev/null
    echo "build-packages: $out/${name}_${version}_${arch}.deb ($(du -h "$out/${name}_${version}_${arch}.deb" | cut -f1); Depends: $depends)"
}

rm -f "$out"/loa-controller_*.deb "$out"/loa-gateway_*.deb
build_package loa-controller loa-controller.toml \
    "Loa IP radio: central controller for commune loudspeakers" \
    " Loa is an open IP radio system for Vietnamese commune loudspeakers. The
 controller keeps the bulletins, schedules, gateways and the as-played log in
 SQLite, serves the gateways over the Loa gateway protocol (optionally TLS) and
 offers an HTTP API and a web console. Includes the loactl command-line client.
 .
 The service is installed but neither enabled nor started; see
 /usr/share/doc/loa-controller/DEPLOY.md."
build_package loa-gateway loa-gateway.toml \
    "Loa IP radio: gateway daemon beside a loudspeaker cluster" \
    " Loa is an open IP radio system for Vietnamese commune loudspeakers. The
 gateway plays the commune's schedule and announcements through ALSA on time,
 even for days without a link to the controller, switches the amplifier and
 reports its health. Includes the loactl command-line client for the technician
 on site.
 .
 The service is installed but neither enabled nor started; see
 /usr/share/doc/loa-gateway/DEPLOY.md."
echo "$version" >"$out/VERSION"
