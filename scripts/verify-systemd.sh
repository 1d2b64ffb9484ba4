#!/usr/bin/env bash
# Checks the systemd units with `systemd-analyze verify`, against the binaries just built
# (units name /usr/bin/…; a copy points them at the build folder so verify can find them).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v systemd-analyze >/dev/null || { echo "verify-systemd: systemd-analyze not installed; skipped"; exit 0; }
bin=$(swift build --show-bin-path)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for unit in Systemd/*.service; do
    sed "s|/usr/bin/loa-|$bin/loa-|" "$unit" >"$tmp/$(basename "$unit")"
done
# `loa` may not exist on a build machine; verify reports a missing user as a warning only.
# verify exits 0 on some mistakes (an unknown key, a bad value "ignoring"), so any output fails too.
out=$(SYSTEMD_LOG_LEVEL=warning systemd-analyze verify --man=no "$tmp"/*.service 2>&1) || { echo "$out"; exit 1; }
[[ -z $out ]] || { echo "$out"; echo "verify-systemd: the units have problems" >&2; exit 1; }
echo "systemd-analyze verify: $(ls Systemd/*.service | wc -l) units OK"
