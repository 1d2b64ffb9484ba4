#!/usr/bin/env bash
# Builds the LoaProtocol frame/message fuzzer with libFuzzer + ASan and runs it.
# Usage: scripts/fuzz-protocol.sh [SECONDS]   (default 60)
# The NIO-free, Crypto-free parts (frame parser, codec, messages, session state machines,
# clock maths, handshake transcript) are compiled with the entry point and Fuzz/HMACStub.swift;
# `swift build -Xswiftc -sanitize=fuzzer` does not link executables here.
set -euo pipefail
seconds="${1:-60}"
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${FUZZ_OUT:-/tmp/loa-fuzz}"
mkdir -p "$out/corpus" "$out/artifacts"
cp -n "$root"/Fuzz/corpus/* "$out/corpus/" 2>/dev/null || true
src="$root/Sources/LoaProtocol"
swiftc -sanitize=fuzzer,address -parse-as-library -O -module-name LoaProtocolFuzz \
    "$root/Fuzz/FrameFuzzer.swift" "$root/Fuzz/HMACStub.swift" \
    "$src"/Core/*.swift "$src"/Core/Messages/*.swift "$src"/Session/*.swift "$src"/Clock/*.swift \
    "$src/Handshake/HandshakeProof.swift" "$src/Handshake/GatewaySecret.swift" \
    -o "$out/frame-fuzzer"
"$out/frame-fuzzer" "$out/corpus" -max_total_time="$seconds" -max_len=4096 -rss_limit_mb=2048 \
    -artifact_prefix="$out/artifacts/" -print_final_stats=1
