#!/usr/bin/env bash
# Sets up a fresh Debian machine and runs every test. This is README's test command.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-debian.sh
swift build --build-tests
bash scripts/check-openapi.sh
bash scripts/verify-systemd.sh
swift test --skip-build 2>&1 | tee /tmp/loa-test.log
bash scripts/test-console.sh                                          # the web console in headless Chromium
bash Deploy/build-packages.sh && bash scripts/verify-packages.sh   # release build (.build-release) and the .debs, checked
