#!/usr/bin/env bash
# loa-gateway links FoundationEssentials, never full Foundation (issue 18): Foundation brings
# FoundationInternationalization and ICU's data, about 6.5 MB resident before a line of Loa runs
# (docs/PERFORMANCE.md). A target the gateway links that imports Foundation again — or a package
# that does, as TOMLKit did — puts libFoundation.so back among the binary's needed libraries;
# this check reads them (direct and through ldd) and the binary's symbols.
# Usage: scripts/check-gateway-links.sh [PATH-TO-loa-gateway]   (default: the debug build's)
set -euo pipefail
cd "$(dirname "$0")/.."
binary="${1:-$(swift build --show-bin-path)/loa-gateway}"
[ -x "$binary" ] || { echo "check-gateway-links: no executable at $binary (build first)" >&2; exit 1; }
forbidden='libFoundation\.so|libFoundationInternationalization\.so|lib_FoundationICU\.so|libicu'
needed=$(readelf -d "$binary" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
closure=$(ldd "$binary" | awk '{print $1}')
bad=$(printf '%s\n%s\n' "$needed" "$closure" | grep -E "^($forbidden)" | sort -u || true)
# Symbols of Foundation's own module (mangled $s10Foundation…), FoundationInternationalization's
# or ICU's: undefined ones in a dynamically linked build, defined ones in the release build
# (--static-swift-stdlib links Foundation into the executable, so ldd cannot see it).
symbols=$( { nm "$binary" 2>/dev/null; nm -D "$binary" 2>/dev/null; } \
    | grep -cE '\$s10Foundation|\$s28FoundationInternationalization|\bicudt[0-9]+|\bucol_open|\budat_open' || true)
if [ -n "$bad" ] || [ "$symbols" -gt 0 ]; then
    echo "check-gateway-links: $binary needs full Foundation or ICU again:" >&2
    [ -n "$bad" ] && printf '  %s\n' $bad >&2
    [ "$symbols" -gt 0 ] && echo "  $symbols Foundation/ICU symbols" >&2
    echo "  find the target: readelf -p .swift1_autolink_entries on its .o files shows -lFoundation" >&2
    exit 1
fi
echo "check-gateway-links: $(basename "$binary") needs $(printf '%s\n' "$needed" | grep -c .) libraries, Foundation only as FoundationEssentials"
