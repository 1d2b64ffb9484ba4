#!/usr/bin/env bash
# The hostile-client suite (issue 13): a real loa-controller on loopback and an independent
# client of docs/PROTOCOL.md (Tests/hostile, Python) that sends each class of bad frame and
# checks the documented error and that a legitimate gateway still gets in after each; then
# SIGTERM with 1 000 connected gateways must exit within systemd's TimeoutStopSec (15 s).
# The 10 000-gateway version is Benchmarks/fleet-shutdown.py (docs/PERFORMANCE.md). Last, 300
# loa-bench gateways held for 15 s at a 5 s heartbeat: none closed, clock round trips' p99
# under 1 s (Benchmarks/fleet-scale.py --check; the long runs are in docs/PERFORMANCE.md).
# Part of README's test command.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${LOA_TEST_CONTROLLER_BIN:-.build/debug/loa-controller}
python3 Tests/hostile/test_hostile.py "$bin"
python3 Benchmarks/fleet-shutdown.py --gateways "${LOA_HOSTILE_FLEET:-1000}" --binary "$bin" --limit 15
python3 Benchmarks/fleet-scale.py --gateways "${LOA_HOSTILE_BENCH:-300}" --hold 15 --heartbeat 5 --rate 0 \
    --bin "$(dirname "$bin")" --out /tmp/loa-fleet-scale --check
