#!/usr/bin/env bash
# Sets up a fresh Debian machine and runs every test. This is README's test command.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-debian.sh
swift build --build-tests
bash scripts/check-openapi.sh
bash scripts/verify-systemd.sh
swift test --skip-build 2>&1 | tee /tmp/loa-test.log
