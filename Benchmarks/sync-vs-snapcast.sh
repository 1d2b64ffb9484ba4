#!/usr/bin/env bash
# Benchmark (not a test): how closely two loudspeakers play in step, and how late after the
# source, for Loa (a real loa-controller and two real loa-gateways) and Snapcast (snapserver and
# two snapclients, Debian 0.26, at their defaults), in the same run, over a LAN-like and a
# 4G-like link (issue 11, "What it must show" 2-4).
#
#   usage: Benchmarks/sync-vs-snapcast.sh [PROFILES] [LONG_SECONDS]   (default "lan 4g", 1800)
#          Benchmarks/sync-vs-snapcast.sh short                       ("lan 4g", 180: to try it)
#   env:   LOA_BIN_DIR   use the executables in this folder instead of the release build
#          SKEW_PPM      gateway A's output clock runs +SKEW_PPM, B's -SKEW_PPM (whole ppm) during the long
#                        stream (default 100), through the gateway key `[audio] simulated_skew_ppm`;
#                        skipped, with a message, when the gateway does not know that key
#          DELAYS        the controller's `[live] delay_ms` values tried below the default 2000
#                        (default "1000 500 300 200"; 200 is the controller's minimum)
#          SEARCH_SECONDS  length of each of those streams (default 20)
#   needs: pulseaudio, libasound2-plugins, snapserver, snapclient, ffmpeg, curl, python3 with
#          numpy (`apt-get install -y python3-numpy`; installed here when missing — the CI image
#          need not have it, this is not part of `.ci/run`)
#   results: Benchmarks/out/sync-vs-snapcast/ (results-PROFILE.json, summary.txt, skew.svg)
#
# The room. One private PulseAudio server with one 4-channel null sink ("room", 48 kHz) and four
# `module-remap-sink` mono sinks on its channels: loa_a (front-left), loa_b (front-right),
# snap_a (rear-left), snap_b (rear-right). Each player reaches its sink through ALSA's `pulse`
# PCM with PULSE_SINK set in its environment, so Loa's and Snapcast's pairs play at the same time
# from the same source into one recording: `parec` of room.monitor (recorder.py). Skew is
# measured within a pair, on one clock, by cross-correlation (skew.py).
#
# The links. Every player reaches its server through its own delaying TCP proxy
# (sync/delay-proxy.py, both directions, byte order kept): `lan` 0.2 ms; `4g` 40 ms ± 20 ms per
# chunk and 1 % of chunks stalled 300 ms more, seeded differently per player and direction.
#
# The source. sync/clicktrack.py: a click every second over a never-repeating noise bed. For
# live, two feeders start at the same wall-clock instant: one writes 48 kHz mono into ffmpeg,
# which encodes MP3 (64 kbit/s, no input probing) and PUTs it to the controller's /api/v1/live/ID/source; the other
# writes the same samples (stereo, snapserver's default 48000:16:2) into snapserver's pipe source.
#
# Time line. A feeder writes each 20 ms chunk when its last sample is "captured" (a microphone's
# period): source sample i happened at t0 + i/48000 on CLOCK_MONOTONIC (t0 in its start file).
# Recording sample n is at R0 + n/48000, where R0 is the smallest (read time - frames read / 48000)
# over parec's 10 ms reads within 30 s of it (the null sink's pace wandered by ~150 ppm against
# CLOCK_MONOTONIC on a loaded machine): a sample cannot be read before it was rendered, so the
# mapping is late by at most the fastest delivery (skew.py prints how the reads spread). What it
# does not bound: the null sink renders a block ahead of its clock (its latency, printed from
# `pactl`), so a latency can read up to that much short of when a real card would sound. Latency =
# recording time - source time of the same sample, found by cross-correlating the known source.
#
# Scenarios per profile (Loa and Snapcast together unless said):
#   a  bulletin start: Loa: the click track uploaded as a bulletin, scheduled on both gateways (an
#      area schedule, a few seconds ahead); skew of its first click and its start against the
#      schedule. Snapcast: the same audio fed into its pipe at the same instant (a stream start).
#   b  live start: skew of the first click of a live stream (ffmpeg into /api/v1/live/ID/source;
#      the pipe for Snapcast), and its latency from the source.
#   c  long live stream (LONG_SECONDS): skew every 10 s; gateway output clocks at ±SKEW_PPM when
#      the gateway supports it (Snapcast's output clocks are not skewed: no such knob).
#   d  latency through the live streams, for Loa at the default `[live] delay_ms` (the long stream)
#      and at each of DELAYS (a controller restarted with LOA_CTL_LIVE_DELAY_MS, SEARCH_SECONDS
#      each), with gaps: 10 ms blocks under -50 dBFS in the recording from just after each
#      channel's first sound, a start that is not the content's first sample (skipped or stalled),
#      and the gateways' lost/late payload counters (control socket). Snapcast at its defaults
#      (the long stream). The lowest gap-free delay: going down DELAYS until a stream has a gap.
# Runtime: per profile about LONG_SECONDS + 2 min + DELAYS x (SEARCH_SECONDS + 20 s); short mode
# about 15 min for both profiles. Every process started is in $pids, stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
source Benchmarks/lib.sh
if [[ ${1:-} == short ]]; then
    profiles="lan 4g"; long=180
else
    profiles=${1:-lan 4g}; long=${2:-1800}
fi
skew_ppm=${SKEW_PPM:-100}
[[ $skew_ppm =~ ^[0-9]+$ ]] || { echo "SKEW_PPM is a whole number of ppm (A gets +, B gets -)" >&2; exit 64; }
delays=${DELAYS:-1000 500 300 200}
search_seconds=${SEARCH_SECONDS:-20}
results=Benchmarks/out/sync-vs-snapcast
sync=Benchmarks/sync
mkdir -p "$results"
for p in $profiles; do [[ $p == lan || $p == 4g ]] || { echo "unknown profile '$p' (lan, 4g)" >&2; exit 64; }; done

missing=()
command -v snapserver >/dev/null || missing+=(snapserver)
command -v snapclient >/dev/null || missing+=(snapclient)
python3 -c 'import numpy' 2>/dev/null || missing+=(python3-numpy)
if ((${#missing[@]})); then
    echo "installing ${missing[*]} (Debian)" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
bench_binaries
bench_workdir loa-sync-bench
echo "work directory $work ($built_from)"

start_pulse "$work/pulse" \
    -L 'module-null-sink sink_name=room rate=48000 channels=4 channel_map=front-left,front-right,rear-left,rear-right' \
    -L 'module-remap-sink sink_name=loa_a master=room channels=1 master_channel_map=front-left channel_map=mono remix=no' \
    -L 'module-remap-sink sink_name=loa_b master=room channels=1 master_channel_map=front-right channel_map=mono remix=no' \
    -L 'module-remap-sink sink_name=snap_a master=room channels=1 master_channel_map=rear-left channel_map=mono remix=no' \
    -L 'module-remap-sink sink_name=snap_b master=room channels=1 master_channel_map=rear-right channel_map=mono remix=no'

# Each sink lands in its own channel: a second of tone into each, one after another.
check_room() {
    python3 $sync/clicktrack.py wav 0.3 "$work/check.wav"
    python3 $sync/recorder.py room.monitor 4 "$work/check.raw" "$work/check.timing" &
    local rec=$! sink
    sleep 1
    for sink in loa_a loa_b snap_a snap_b; do PULSE_SINK=$sink aplay -q -D pulse "$work/check.wav"; done
    sleep 0.5
    stop_pid "$rec"
    python3 - "$work/check.raw" <<'PY'
import sys, numpy as np
x = np.fromfile(sys.argv[1], dtype="<i2").reshape(-1, 4).astype(float)
first = [int(np.argmax(np.abs(x[:, c]) > 3000)) if (np.abs(x[:, c]) > 3000).any() else None for c in range(4)]
if None in first or first != sorted(first):
    sys.exit(f"the sinks do not land in their own channels in order: first click per channel {first}")
print("room check: loa_a, loa_b, snap_a, snap_b each in its own channel, in order (first sound at",
      ", ".join(f"{f / 48000:.2f} s" for f in first) + ")")
PY
}
check_room

# Does this gateway know the simulated output clock skew?
skew_key=no
printf '[gateway]\nid = "probe"\nsecret = "x"\nstate_directory = "%s/probe"\n[controller]\nhosts = ["127.0.0.1:1"]\n[audio]\nsimulated_skew_ppm = 100.0\n' \
    "$work" >"$work/probe.toml"
if "$bin/loa-gateway" --check-config "$work/probe.toml" >/dev/null 2>&1; then
    skew_key=yes
else
    echo "NOTE: this loa-gateway does not know '[audio] simulated_skew_ppm' ($("$bin/loa-gateway" --check-config "$work/probe.toml" 2>&1 | head -1)):" \
        "the long stream runs with both output clocks at the null sink's pace (no ±$skew_ppm ppm)" >&2
fi

python3 $sync/clicktrack.py wav 12 "$work/bulletin.wav"

# event JSON: one scenario for skew.py
event() { printf '%s\n' "$1" >>"$run/events.jsonl"; }
# start_feeder NAME CHANNELS SECONDS AT OUT: a paced clicktrack writer → $feeder
start_feeder() {
    python3 $sync/clicktrack.py feed "$3" --channels "$2" --at "$4" --out "$5" --start-file "$run/$1.start" 2>"$run/$1.log" &
    feeder=$!
    pids+=($feeder)
}
epoch_in() { python3 -c "import time; print(f'{time.time() + $1:.3f}')"; }
# loa_status SIDE: the gateway's control-socket status (JSON)
loa_status() { "$bin/loactl" gateway status --socket "$run/gw-$1.sock" --json 2>/dev/null || echo '{}'; }
reception() {   # reception SIDE: "received lost late" of the last live stream
    loa_status "$1" | python3 -c 'import json, sys
s = json.load(sys.stdin); s = s.get("status", s)
r = s.get("liveReception") or s.get("lastLiveReception") or {}
print(r.get("receivedPayloads", "?"), r.get("lostPayloads", "?"), r.get("latePayloads", "?"))'
}

# start_controller [ENV…]: a fresh or restarted loa-controller on $http_port / $gw_port → $controller
start_controller() {
    env "$@" LOA_ADMIN_PASSWORD="bench password 1" "$bin/loa-controller" --config "$run/controller.toml" \
        >>"$run/controller.out" 2>>"$run/controller.log" &
    controller=$!
    pids+=($controller)
    wait_port "$http_port"
    token=$(curl -sf "$base/api/v1/login" -H 'Content-Type: application/json' \
        -d '{"username":"admin","password":"bench password 1"}' | json token)
}
online() { [[ $(api GET "/api/v1/gateways/gw-$1?history=0" | json gateway online) == True ]]; }
# linked SIDE: the gateway process itself says its link is up (after a restart the controller may
# still show the previous session online)
linked() {
    loa_status "$1" | python3 -c 'import json, sys
s = json.load(sys.stdin).get("status") or {}
sys.exit(0 if (s.get("link") or {}).get("connected") else 1)'
}
wait_online() {
    for _ in $(seq 150); do online a && online b && linked a && linked b && return 0; sleep 0.2; done
    echo "the gateways did not come online: $(tail -3 "$run/gw-a.log" "$run/gw-b.log")" >&2
    return 1
}
# live STREAM_SECONDS LABEL [long]: one live stream on both systems from the same instant (the
# Snapcast side only when LABEL says so), its events; waits until it has played out
live() {
    local seconds=$1 label=$2 long=${3:-} created id key at is_long=false
    [[ -n $long ]] && is_long=true
    created=$(api POST /api/v1/live '{"areaId":"xa-bench","title":"Sync bench"}')
    id=$(json id <<<"$created"); key=$(json sourceKey <<<"$created")
    rm -f "$run/source.fifo"; mkfifo "$run/source.fifo"
    # No probing of the input: by default ffmpeg holds its first ~1.1 s of input before it opens the
    # output, which would anchor the stream (and its latency) 1 s late at the controller.
    ffmpeg -hide_banner -loglevel error -probesize 32 -analyzeduration 0 -fflags nobuffer \
        -f s16le -ar 48000 -ac 1 -i "$run/source.fifo" -c:a libmp3lame -b:a 64k \
        -f mp3 -flush_packets 1 -method PUT "http://source:$key@127.0.0.1:$http_port/api/v1/live/$id/source" \
        </dev/null >"$run/ffmpeg-$label.log" 2>&1 &
    local ff=$!
    pids+=($ff)
    at=$(epoch_in 2)
    start_feeder "loa-$label" 1 "$seconds" "$at" "$run/source.fifo"; local f1=$feeder
    local f2=""
    if [[ -n $long ]]; then start_feeder "snap-$label" 2 "$seconds" "$at" "$work/snapfifo"; f2=$feeder; fi
    wait "$f1" || true
    [[ -n $f2 ]] && { wait "$f2" || true; }
    wait "$ff" || echo "  ffmpeg: $(tail -2 "$run/ffmpeg-$label.log")" >&2
    sleep $((delay_ms / 1000 + 4))
    local ra rb
    ra=$(reception a); rb=$(reception b)
    echo "  live $label: stream $id $(api GET "/api/v1/live/$id" | json state); payloads received/lost/late: A $ra, B $rb"
    event "{\"label\":\"loa-$label\",\"system\":\"loa\",\"profile\":\"$profile\",\"pair\":[0,1],\"start_file\":\"$run/loa-$label.start\",\"seconds\":$seconds,\"delay_ms\":$delay_ms,\"long\":$is_long,\"skew_ppm\":$applied_ppm,\"reception\":{\"A\":\"$ra\",\"B\":\"$rb\"}}"
    [[ -n $long ]] && event "{\"label\":\"snap-$label\",\"system\":\"snapcast\",\"profile\":\"$profile\",\"pair\":[2,3],\"start_file\":\"$run/snap-$label.start\",\"seconds\":$seconds,\"long\":true,\"skew_ppm\":0}"
    return 0
}

for profile in $profiles; do
    echo "== profile $profile"
    run=$work/$profile
    mkdir -p "$run"
    : >"$run/events.jsonl"
    first_pid=${#pids[@]}
    gw_port=$(free_port); http_port=$(free_port); snap_port=$(free_port)
    base=http://127.0.0.1:$http_port
    delay_ms=2000
    applied_ppm=0
    seed=0
    declare -A proxy_port
    for link in gw-a gw-b snap-a snap-b; do
        seed=$((seed + 1))
        proxy_port[$link]=$(free_port)
        target=$gw_port; [[ $link == snap-* ]] && target=$snap_port
        python3 $sync/delay-proxy.py --listen "${proxy_port[$link]}" --target "127.0.0.1:$target" --profile "$profile" \
            --seed "$profile$seed" --log "$run/proxy-$link.log" 2>>"$run/proxy-$link.err" &
        pids+=($!)
    done
    for link in gw-a gw-b snap-a snap-b; do wait_port "${proxy_port[$link]}"; done

    { controller_toml "$gw_port" "$http_port" "$run/controller"; printf '[log]\nlevel = "notice"\n'; } >"$run/controller.toml"
    start_controller
    api POST /api/v1/areas '{"id":"tinh-bench","name":"Bench","kind":"province"}' >/dev/null
    api POST /api/v1/areas '{"id":"xa-bench","name":"Xã Bench","kind":"commune","parentId":"tinh-bench"}' >/dev/null
    for side in a b; do
        api POST /api/v1/gateways "{\"id\":\"gw-$side\",\"name\":\"Loa $side\",\"areaId\":\"xa-bench\"}" | json secret >"$run/gw-$side.secret"
    done
    # start_gateways [SKEW]: both gateways (again), B's clock at -SKEW ppm, A's at +SKEW
    start_gateways() {
        local side ppm
        for side in a b; do
            [[ -n ${gateway[$side]:-} ]] && stop_pid "${gateway[$side]}"
            ppm=${1:-0}; [[ $side == b ]] && ppm=$((-ppm))
            cat >"$run/gw-$side.toml" <<TOML
[gateway]
id = "gw-$side"
secret_file = "$run/gw-$side.secret"
state_directory = "$run/gw-$side"
[controller]
hosts = ["127.0.0.1:${proxy_port[gw-$side]}"]
tls = false
[audio]
pcm = "pulse"
$([[ -n ${1:-} ]] && echo "simulated_skew_ppm = $ppm.0")
[amplifier]
mode = "none"
[control]
socket = "$run/gw-$side.sock"
group = ""
TOML
            PULSE_SINK=loa_$side "$bin/loa-gateway" --config "$run/gw-$side.toml" >>"$run/gw-$side.out" 2>>"$run/gw-$side.log" &
            gateway[$side]=$!
            pids+=($!)
        done
        wait_online
    }
    declare -A gateway=()
    start_gateways

    : >"$run/snapserver.conf"   # not /etc/snapserver.conf, whose default source would take the clients
    snapserver --config="$run/snapserver.conf" --server.datadir="$run/snapserver" --http.enabled=false --tcp.enabled=false \
        --stream.bind_to_address=127.0.0.1 --stream.port="$snap_port" \
        --stream.source="pipe://$work/snapfifo?name=bench&mode=create" \
        --logging.sink=stderr >"$run/snapserver.log" 2>&1 &
    pids+=($!)
    wait_port "$snap_port"
    for side in a b; do
        PULSE_SINK=snap_$side snapclient --host 127.0.0.1 --port "${proxy_port[snap-$side]}" --hostID "bench-$side" \
            --player alsa --soundcard pulse --logsink=stderr 2>"$run/snapclient-$side.log" >/dev/null &
        pids+=($!)
    done

    python3 $sync/recorder.py room.monitor 4 "$run/rec.raw" "$run/rec.timing" &
    recorder=$!
    pids+=($recorder)
    sleep 5

    # a: the bulletin, scheduled on both gateways; the same audio into snapserver at that instant
    sha=$(curl -sf -X POST "$base/api/v1/bulletins?title=Sync%20bench" -H "Authorization: Bearer $token" \
        -H 'Content-Type: audio/wav' --data-binary "@$work/bulletin.wav" | json sha256)
    api POST "/api/v1/bulletins/$sha/approve" >/dev/null
    lead=20; [[ $profile == 4g ]] && lead=30
    at=$(($(date +%s) + lead))
    api POST /api/v1/schedules "{\"bulletin\":\"$sha\",\"areas\":[\"xa-bench\"],\"recurrence\":\"once\",\"at\":\"$(TZ=Asia/Ho_Chi_Minh date -d "@$at" +%T)\",\"from\":\"$(TZ=Asia/Ho_Chi_Minh date -d "@$at" +%F)\"}" >/dev/null
    start_feeder snap-bulletin 2 12 "$at" "$work/snapfifo"
    echo "  bulletin $sha scheduled at $(TZ=Asia/Ho_Chi_Minh date -d "@$at" +%T) (+$lead s)"
    wait "$feeder" || true
    sleep 6
    event "{\"label\":\"loa-bulletin\",\"system\":\"loa\",\"profile\":\"$profile\",\"pair\":[0,1],\"scheduled_realtime\":$at,\"seconds\":12}"
    event "{\"label\":\"snap-bulletin\",\"system\":\"snapcast\",\"profile\":\"$profile\",\"pair\":[2,3],\"start_file\":\"$run/snap-bulletin.start\",\"seconds\":12}"

    # b, c, d: the long live stream (its start is b), with the skewed clocks when supported
    if [[ $skew_key == yes ]]; then
        start_gateways "$skew_ppm"
        applied_ppm=$skew_ppm
    fi
    echo "  long live stream: $long s (gateway clocks ±$applied_ppm ppm)"
    live "$long" long long
    applied_ppm=0
    [[ $skew_key == yes ]] && start_gateways

    # d: lower live delays, Loa only
    for d in $delays; do
        stop_pid "$controller"
        delay_ms=$d
        start_controller LOA_CTL_LIVE_DELAY_MS="$d"
        wait_online
        sleep 2
        live "$search_seconds" "delay$d"
    done
    pactl list sinks | awk '/Name: room/ { on = 1 } on && /Latency:/ { print "  null sink latency:" $0; exit }' | tee "$run/sink-latency.txt"

    for pid in "${pids[@]:first_pid}"; do stop_pid "$pid"; done
    pids=("${pids[@]:0:first_pid}")
    unset gateway proxy_port
    echo "  analysing"
    python3 $sync/skew.py analyse "$run" >"$results/results-$profile.json"
    cp "$run/events.jsonl" "$results/events-$profile.jsonl"
    for f in "$run"/skew-*.csv; do cp "$f" "$results/$profile-${f##*/}"; done
done

python3 $sync/skew.py plot "$results/skew.svg" $(for p in $profiles; do echo "$work/$p"; done)
python3 $sync/report.py "$results" $profiles | tee "$results/summary.txt"
