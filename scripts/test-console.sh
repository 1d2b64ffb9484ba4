#!/usr/bin/env bash
# The web console's browser test: Tests/console/test_console.py drives headless Chromium
# (Selenium) against a real loa-controller and loa-gateway started from the debug build.
# Binaries: LOA_BIN_DIR (default .build/debug), or LOA_TEST_CONTROLLER_BIN / LOA_TEST_GATEWAY_BIN.
# Screenshots: LOA_CONSOLE_SCREENSHOTS (default a new temp dir, printed at the end).
set -euo pipefail
cd "$(dirname "$0")/.."
bin_dir=${LOA_BIN_DIR:-.build/debug}
export LOA_TEST_CONTROLLER_BIN=${LOA_TEST_CONTROLLER_BIN:-$bin_dir/loa-controller}
export LOA_TEST_GATEWAY_BIN=${LOA_TEST_GATEWAY_BIN:-$bin_dir/loa-gateway}
for tool in chromium chromedriver; do
    command -v "$tool" >/dev/null || { echo "test-console: $tool missing; run scripts/setup-debian.sh" >&2; exit 1; }
done
python3 -c "import selenium" 2>/dev/null || { echo "test-console: Python selenium missing; run scripts/setup-debian.sh" >&2; exit 1; }
exec python3 -B Tests/console/test_console.py
