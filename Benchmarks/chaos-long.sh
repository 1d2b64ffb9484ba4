#!/usr/bin/env bash
# The long proof-of-play chaos run (issue 19): three gateways, ten minutes of kills, at least
# 100 of them; the same checks as scripts/test-chaos.sh. Figures in docs/RELIABILITY.md.
#   bash Benchmarks/chaos-long.sh [seed]      (after swift build; LOA_TEST_BIN picks the binaries)
set -euo pipefail
cd "$(dirname "$0")/.."
python3 Tests/chaos/chaos.py --bin "${LOA_TEST_BIN:-.build/debug}" --seed "${1:-2026}" \
    --duration "${LOA_CHAOS_DURATION:-600}" --min-kills 100 --gateways 3
