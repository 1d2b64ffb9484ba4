#!/usr/bin/env bash
# Builds the LoaProtocol frame/message fuzzer with libFuzzer + ASan and runs it.
# Usage: scripts/fuzz-protocol.sh [SECONDS]   (default 60)
# The pure decode core (Sources/LoaProtocol/Core, no NIO, no Crypto) is compiled with the
# entry point; `swift build -Xswiftc -sanitize=fuzzer` does not link executables here.
set -euo pipefail
seconds="${1:-60}"
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${FUZZ_OUT:-/tmp/loa-fuzz}"
mkdir -p "$out/corpus" "$out/artifacts"
cp -n "$root"/Fuzz/corpus/* "$out/corpus/" 2>/dev/null || true
swiftc -sanitize=fuzzer,address -parse-as-library -O \
    "$root/Fuzz/FrameFuzzer.swift" "$root"/Sources/LoaProtocol/Core/*.swift "$root"/Sources/LoaProtocol/Core/Messages/*.swift \
    -o "$out/frame-fuzzer"
"$out/frame-fuzzer" "$out/corpus" -max_total_time="$seconds" -max_len=4096 -rss_limit_mb=2048 \
    -artifact_prefix="$out/artifacts/" -print_final_stats=1
