#!/usr/bin/env bash
# Installs the Debian packages Loa builds and tests with. Idempotent; needs root.
set -euo pipefail
packages=(
    # build: the C libraries behind LoaAudio
    libasound2-dev libmp3lame-dev libmpg123-dev libsqlite3-dev pkg-config
    # the zone files schedules expand from (LoaSchedule's ZoneRules reads /usr/share/zoneinfo)
    tzdata
    # eSpeak NG for bulletins typed as text (LoaSpeech; the voices come with espeak-ng-data)
    libespeak-ng-dev espeak-ng-data
    # FFmpeg's libraries, for relaying upstream radio (LoaUpstream)
    libavformat-dev libavcodec-dev libswresample-dev libavutil-dev
    # independent checkers and tools used by the tests, the demo and the benchmarks
    mpg123 ffmpeg sox libsox-fmt-mp3 espeak-ng alsa-utils lame
    # a real Icecast server for the relay tests (started by the test with its own config), and a
    # studio encoder speaking Icecast's source protocol
    icecast2 darkice
    # a paced ALSA device with a hardware mixer for the volume and real-time tests
    pulseaudio libasound2-plugins
    # the web console's browser test (headless Chromium driven by Selenium)
    chromium chromium-driver
    # the Debian packages: build and check; libcurl.so for linking loactl's FoundationNetworking statically
    dpkg-dev fakeroot lintian libcurl4-openssl-dev man-db
)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
    echo "setup: installing ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# Python tools for the checks: the OpenAPI validator, Selenium for the console test and
# Schemathesis for the API fuzzing run.
python_tools=(openapi-spec-validator selenium schemathesis)
if ! python3 -c "import openapi_spec_validator, selenium, schemathesis" 2>/dev/null; then
    echo "setup: installing ${python_tools[*]} (PyPI)" >&2
    python3 -m pip install -q --disable-pip-version-check "${python_tools[@]}" 2>&1 | grep -v "WARNING: Running pip as" >&2 || true
    python3 -c "import openapi_spec_validator, selenium, schemathesis"
fi
command -v swift >/dev/null || { echo "setup: swift (6.x) is not on PATH; see README.md" >&2; exit 1; }
