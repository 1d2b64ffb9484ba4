#!/usr/bin/env bash
# README's main command. On a fresh Debian 12 machine (as root): installs what is missing,
# builds Loa, and runs a controller and two gateways of one commune on this machine with their
# embedded defaults. Everything is then done the way an operator does it, with `loactl` over
# the controller's HTTP API: log in, create the commune, enrol the two gateways, upload a
# spoken Vietnamese bulletin (espeak-ng; checked, loudness-normalised, encoded to 24 kHz mono
# 48 kbit/s MP3), approve it and schedule it a few seconds ahead. Each gateway fetches the
# schedule and the content over the gateway protocol and plays it through real ALSA. Without a
# sound card each gateway plays into its own `type file` PCM; LOA_DEVICE=default (or hw:0,
# plughw:1,0 …) sends gateway 1 to a real card.
# On a terminal it then keeps running (web console, API) until Ctrl-C, which stops everything
# cleanly; without a terminal it stops after LOA_DEMO_LINGER seconds (default 5).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-debian.sh
if [[ -n ${LOA_DEMO_BIN:-} ]]; then
    bin=$LOA_DEMO_BIN  # binaries built elsewhere (e.g. swift build --scratch-path …)
else
    echo "== building Loa (first build takes several minutes)"
    swift build --product loa-controller 2>&1 | tail -1
    swift build --product loa-gateway 2>&1 | tail -1
    swift build --product loactl 2>&1 | tail -1
    bin=$(swift build --show-bin-path)
fi

work=${LOA_DEMO_DIR:-$(mktemp -d /tmp/loa-demo.XXXXXX)}
mkdir -p "$work"
port=${LOA_DEMO_PORT:-7420}
http_port=${LOA_DEMO_HTTP_PORT:-8080}
api="http://127.0.0.1:$http_port"
password=${LOA_ADMIN_PASSWORD:-$(head -c 12 /dev/urandom | base64 | tr -d '/+=')}
pids=()
stop_all() {
    trap - INT TERM EXIT
    echo
    echo "== stopping (SIGTERM: the gateways log what was cut, the controller drains)"
    for pid in "${pids[@]}" ${sleeper:-}; do kill -TERM "$pid" 2>/dev/null || true; done
    wait "${pids[@]}" 2>/dev/null || true
    echo "== stopped; logs, database and audio are in $work"
}
trap 'stop_all; exit 130' INT TERM
trap stop_all EXIT
# The demo's own loactl session (not ~/.config/loa), and no LOA_* from the caller's shell:
# loa-gateway reads LOA_CONTROLLER as its controller list.
for v in $(compgen -e | grep '^LOA_' || true); do [[ $v == LOA_DEVICE || $v == LOA_DEMO_* ]] || unset "$v"; done
loactl() { LOA_CONFIG_DIR="$work/loactl" "$bin/loactl" "$@"; }

cat >"$work/controller.toml" <<TOML
[gateways]
listen_host = "127.0.0.1"
listen_port = $port
schedule_recheck_seconds = 5
[http]
listen = "127.0.0.1:$http_port"
[state]
directory = "$work/controller"
[bulletins]
approval_required = true
[log]
level = "info"
TOML

echo "== 1. the controller"
LOA_ADMIN_PASSWORD=$password "$bin/loa-controller" --config "$work/controller.toml" >"$work/controller.out" 2>"$work/controller.log" &
pids+=($!)
for _ in $(seq 1 300); do
    (: >"/dev/tcp/127.0.0.1/$http_port") 2>/dev/null && break
    kill -0 "${pids[0]}" 2>/dev/null || { echo "the controller exited; see $work/controller.log" >&2; tail -5 "$work/controller.log" >&2; exit 1; }
    sleep 0.2
done
echo "API:      $api/api/v1   (OpenAPI: docs/openapi.yaml)"
echo "console:  http://127.0.0.1:$http_port/"
echo "login:    admin / $password"
echo "loactl:   LOA_CONFIG_DIR=$work/loactl $bin/loactl gateways"
echo "$password" | loactl login --controller "$api" --user admin --password-stdin

echo "== 2. the commune and its two loudspeaker clusters"
loactl areas add tinh-demo --kind province --name "Tỉnh Demo"
loactl areas add xa-tan-lap --kind commune --parent tinh-demo --name "Xã Tân Lập"
for n in 1 2; do
    loactl gateways add "xa-tan-lap-0$n" --area xa-tan-lap --name "Cụm loa $n" --secret-file "$work/gateway$n.secret" | head -1
done

echo "== 3. a spoken bulletin, uploaded and approved"
espeak-ng -v vi -s 150 -w "$work/source.wav" \
    "Kính thưa bà con nhân dân xã Tân Lập. Ủy ban nhân dân xã thông báo: sáng thứ bảy tuần này, tiêm phòng cho gia súc và gia cầm tại nhà văn hóa các thôn."
line=$(loactl bulletins upload "$work/source.wav" --title "Thông báo tiêm phòng")
sha=${line%% *}
loactl bulletins approve "$sha"

echo "== 4. the gateways"
for n in 1 2; do
    device="pcm = \"loafile\"
alsa_config = 'pcm.loafile { type file slave { pcm { type null } } file \"$work/gateway$n.raw\" format \"raw\" perm 0644 }'"
    if [[ $n == 1 && -n ${LOA_DEVICE:-} ]]; then device="pcm = \"$LOA_DEVICE\""; fi
    cat >"$work/gateway$n.toml" <<TOML
[gateway]
id = "xa-tan-lap-0$n"
secret_file = "$work/gateway$n.secret"
state_directory = "$work/gateway$n"
[controller]
hosts = ["127.0.0.1:$port"]
tls = false
reconnect_base_ms = 500
[audio]
$device
[amplifier]
mode = "none"
[health]
interval_seconds = 10
[control]
socket = "$work/gateway$n.sock"
TOML
    "$bin/loa-gateway" --config "$work/gateway$n.toml" >"$work/gateway$n.log" 2>&1 &
    pids+=($!)
done
for _ in $(seq 1 150); do
    (($(loactl gateways --json | grep -c '"online": true' || true) == 2)) && break
    sleep 0.4
done
loactl gateways

echo "== 5. scheduled for the whole commune, 20 seconds from now (local time, Asia/Ho_Chi_Minh)"
loactl schedule add --bulletin "$sha" --area xa-tan-lap --in 20
loactl schedule preview --area xa-tan-lap --to +1h

echo "== 6. waiting for both gateways to play (as-played log from the controller)"
deadline=$((SECONDS + 120))
played=()
while ((SECONDS < deadline)); do
    log=$(loactl log 2>/dev/null || true)
    played=()
    for n in 1 2; do
        if grep -Eq "xa-tan-lap-0$n +finished" <<<"$log"; then played+=("$n"); fi
    done
    ((${#played[@]} == 2)) && break
    sleep 1
done
loactl log
for n in 1 2; do
    if [[ " ${played[*]} " == *" $n "* ]]; then
        at=$(loactl log --gateway "xa-tan-lap-0$n" | awk '$4 == "started" { print $1 " " $2 " (UTC+7)"; exit }')
        bytes=$(stat -c %s "$work/gateway$n.raw" 2>/dev/null || echo 0)
        echo "gateway $n played \"Thông báo tiêm phòng\" (${sha:0:12}) at $at: $((bytes / 2)) samples at 24 kHz = $(awk -v b="$bytes" 'BEGIN { printf "%.2f", b / 48000 }') s into $work/gateway$n.raw"
    else
        echo "gateway $n did not report a play within 120 s; see $work/gateway$n.log" >&2
        exit 1
    fi
done
sleep 2
echo "== health of each gateway"
loactl gateways
echo "== gateway 1 from its own control socket (what a technician sees on the board)"
loactl gateway status --socket "$work/gateway1.sock"

if [[ -t 0 ]]; then
    echo "== running: console http://127.0.0.1:$http_port/ (admin / $password). Ctrl-C stops everything."
    # A waited background sleep: bash runs the trap as soon as the signal arrives.
    while true; do sleep 3600 & sleeper=$!; wait "$sleeper" || true; done
else
    echo "== done. Stopping in ${LOA_DEMO_LINGER:-5} s"
    sleep "${LOA_DEMO_LINGER:-5}"
fi
