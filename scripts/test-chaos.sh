#!/usr/bin/env bash
# The proof-of-play chaos test (issue 19), short version: a real loa-controller and two
# loa-gateways on loopback, dense one-off schedules through a paced PulseAudio null sink, at
# least 30 SIGKILLs of gateways and controller at chosen moments (during a play, just before a
# start, right after a play's end — before its acknowledgement —, twice in a row, down for whole
# windows), then every scheduled occurrence checked against the test's own record
# (Tests/chaos/chaos.py). Seeded: LOA_CHAOS_SEED=N replays a run. The long version (≥ 100
# kills) is Benchmarks/chaos-long.sh. Part of README's test command.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 Tests/chaos/chaos.py --bin "${LOA_TEST_BIN:-.build/debug}" --seed "${LOA_CHAOS_SEED:-19}" \
    --duration "${LOA_CHAOS_DURATION:-150}" --min-kills 30 --gateways 2
