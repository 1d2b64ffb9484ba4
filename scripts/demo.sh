#!/usr/bin/env bash
# README's main command. On a fresh Debian 12 machine (as root): installs what is missing,
# builds Loa, and runs a controller and two gateways of one commune on this machine with their
# embedded defaults. A spoken Vietnamese bulletin (espeak-ng) is ingested (checked, loudness-
# normalised, encoded to 24 kHz mono 48 kbit/s MP3), approved and scheduled a few seconds
# ahead; each gateway fetches the schedule and the content over the gateway protocol and plays
# it through real ALSA. Without a sound card each gateway plays into its own `type file` PCM;
# LOA_DEVICE=default (or hw:0, plughw:1,0 …) sends gateway 1 to a real card.
# Ctrl-C stops everything cleanly.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-debian.sh
echo "== building Loa (first build takes several minutes)"
swift build --product loa-controller 2>&1 | tail -1
swift build --product loa-gateway 2>&1 | tail -1
swift build --product loactl 2>&1 | tail -1
bin=$(swift build --show-bin-path)

work=${LOA_DEMO_DIR:-$(mktemp -d /tmp/loa-demo.XXXXXX)}
mkdir -p "$work"
port=${LOA_DEMO_PORT:-7420}
pids=()
stop_all() {
    trap - INT TERM EXIT
    for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    echo "== stopped; logs and audio are in $work"
}
trap stop_all INT TERM EXIT

cat >"$work/controller.toml" <<TOML
[gateways]
listen_host = "127.0.0.1"
listen_port = $port
[state]
directory = "$work/controller"
[bulletins]
approval_required = true
[log]
level = "info"
TOML
admin() { # admin GROUP [ACTION] ARGS…: the state options go after the (sub)command
    local words=("$1"); shift
    if [[ ${words[0]} != log ]]; then words+=("$1"); shift; fi
    "$bin/loa-controller" admin "${words[@]}" --config "$work/controller.toml" "$@"
}

echo "== 1. the commune and its two loudspeaker clusters"
# The first admin command creates the database and the admin user, and prints its password once.
admin area add tinh-demo --kind province --name "Tỉnh Demo" | grep -i password || true
admin area add xa-tan-lap --kind commune --parent tinh-demo --name "Xã Tân Lập" >/dev/null
for n in 1 2; do
    admin gateway add "xa-tan-lap-0$n" --area xa-tan-lap --name "Cụm loa $n" | sed -n 's/^secret[^:]*: //p' >"$work/gateway$n.secret"
    echo "gateway xa-tan-lap-0$n enrolled (secret in $work/gateway$n.secret)"
done

echo "== 2. a spoken bulletin, ingested and approved"
espeak-ng -v vi -s 150 -w "$work/source.wav" \
    "Kính thưa bà con nhân dân xã Tân Lập. Ủy ban nhân dân xã thông báo: sáng thứ bảy tuần này, tiêm phòng cho gia súc và gia cầm tại nhà văn hóa các thôn."
line=$(admin bulletin add "$work/source.wav" --title "Thông báo tiêm phòng" --approve)
sha=${line%% *}
echo "bulletin $line"

echo "== 3. scheduled for the whole commune, 25 seconds from now (Asia/Ho_Chi_Minh)"
at=$(TZ=Asia/Ho_Chi_Minh date -d '+25 seconds' +%H:%M:%S)
today=$(TZ=Asia/Ho_Chi_Minh date -d '+25 seconds' +%F)
admin schedule add --bulletin "$sha" --area xa-tan-lap --once "$today" --at "$at"
echo "plays at $at local time"

echo "== 4. the controller and the gateways"
"$bin/loa-controller" --config "$work/controller.toml" >"$work/controller.log" 2>&1 &
pids+=($!)
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
[audio]
$device
[amplifier]
mode = "none"
TOML
    "$bin/loa-gateway" --config "$work/gateway$n.toml" >"$work/gateway$n.log" 2>&1 &
    pids+=($!)
done
echo "controller on 127.0.0.1:$port (database $work/controller/), gateways xa-tan-lap-01 and -02"
grep -m1 -i "password" "$work/controller.log" 2>/dev/null || true

echo "== 5. waiting for both gateways to play (as-played log from the controller)"
deadline=$((SECONDS + 90))
played=()
while ((SECONDS < deadline)); do
    log=$(admin log 2>/dev/null || true)
    played=()
    for n in 1 2; do
        if grep -q "xa-tan-lap-0$n finished" <<<"$log"; then played+=("$n"); fi
    done
    ((${#played[@]} == 2)) && break
    sleep 2
done
admin log
for n in 1 2; do
    if [[ " ${played[*]} " == *" $n "* ]]; then
        bytes=$(stat -c %s "$work/gateway$n.raw" 2>/dev/null || echo 0)
        echo "gateway $n played \"Thông báo tiêm phòng\" ($sha): $((bytes / 2)) samples at 24 kHz = $(awk -v b="$bytes" 'BEGIN { printf "%.2f", b / 48000 }') s into $work/gateway$n.raw"
    else
        echo "gateway $n did not report a play within 90 s; see $work/gateway$n.log" >&2
        exit 1
    fi
done
echo "== done. Ctrl-C or wait: stopping in 5 s"
sleep 5
