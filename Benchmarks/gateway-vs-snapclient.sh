#!/usr/bin/env bash
# Benchmark (not a test): memory and CPU of `loa-gateway` (release build) beside `snapclient`
# (Debian's snapcast), idle and while playing the same 24 kHz mono speech.
#
#   usage: Benchmarks/gateway-vs-snapclient.sh [RUNS] [WINDOW_SECONDS]   (default 3 runs, 60 s)
#   env:   SNAP_CODEC  snapserver's transport codec (default flac, snapcast's default)
#          LOA_BIN_DIR use the executables in this folder instead of the release build (to try
#                      the script out; the figures in docs/PERFORMANCE.md are release builds)
#
# Both play in real time through the same path: ALSA's `pulse` PCM into a private PulseAudio
# server with a null sink (ALSA `type file` PCMs are not paced, see AUDIO-FACTS).
#   loa-gateway: a real loa-controller serves it a 10-minute bulletin (espeak-ng speech,
#                ingested to 24 kHz mono 48 kbit/s MP3), scheduled after the idle window; the
#                gateway downloads it, decodes it with libmpg123 and plays it.
#   snapclient:  a snapserver pipe source (24000:16:1) fed with the same MP3 decoded by
#                mpg123; snapclient receives it (flac by default) and plays it.
# Per run both start fresh; after a warm-up, VmRSS (/proc/PID/status) is sampled every second
# and utime+stime (/proc/PID/stat) read at the ends of a window while idle, then of a window
# while playing; at each window's end RssAnon/RssFile, threads, PSS and USS (smaps_rollup)
# show what the memory is. Only the two client processes are measured (not the controller, snapserver,
# the mpg123 feeding it, or PulseAudio). Medians over the runs and gateway/snapclient ratios.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
window=${2:-60}
codec=${SNAP_CODEC:-flac}
warmup=20
results=Benchmarks/out/gateway-vs-snapclient
mkdir -p "$results"

bash scripts/setup-debian.sh
if ! command -v snapserver >/dev/null || ! command -v snapclient >/dev/null; then
    echo "installing snapserver snapclient (Debian)" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends snapserver snapclient >/dev/null
fi
if [[ -n ${LOA_BIN_DIR:-} ]]; then
    bin=$LOA_BIN_DIR
else
    echo "== release build (scratch .build-release)"
    swift build -c release --static-swift-stdlib --scratch-path .build-release 2>&1 | tail -1
    bin=$(swift build -c release --scratch-path .build-release --show-bin-path)
fi

work=$(mktemp -d /tmp/loa-bench.XXXXXX)
pids=()
stop_pid() { kill -TERM "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }
cleanup() {
    for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    echo "logs in $work"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# --- PulseAudio with a null sink, on a private socket -------------------------------
mkdir -p "$work/pulse"
HOME=$work/pulse PULSE_RUNTIME_PATH=$work/pulse/run PULSE_STATE_PATH=$work/pulse/state \
    pulseaudio -n --daemonize=no --exit-idle-time=-1 --use-pid-file=no --disable-shm=yes \
    --log-target=stderr -L 'module-null-sink sink_name=bench' \
    -L "module-native-protocol-unix socket=$work/pulse/native auth-anonymous=1" \
    </dev/null >"$work/pulse.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do [[ -S $work/pulse/native ]] && break; sleep 0.1; done
[[ -S $work/pulse/native ]] || { cat "$work/pulse.log"; echo "pulseaudio did not start" >&2; exit 1; }
export PULSE_SERVER=unix:$work/pulse/native    # both clients use ALSA's `pulse` PCM → this server
sink_inputs() { pactl list short sink-inputs 2>/dev/null | wc -l; }

# --- the controller, a commune, a gateway and a 10-minute bulletin ------------------
port=$(free_port)
cat >"$work/controller.toml" <<TOML
[gateways]
listen_host = "127.0.0.1"
listen_port = $port
schedule_recheck_seconds = 2
[state]
directory = "$work/controller"
[log]
level = "warning"
TOML
# The HTTP API is not needed; keep it off the default port when this build has one.
http_port=$(free_port)
printf '[http]\nlisten = "127.0.0.1:%s"\n' "$http_port" >>"$work/controller.toml"
"$bin/loa-controller" --check-config "$work/controller.toml" >/dev/null 2>&1 || sed -i '/^\[http\]/,$d' "$work/controller.toml"
admin() { local group=$1 action=$2; shift 2; "$bin/loa-controller" admin "$group" "$action" --config "$work/controller.toml" "$@"; }
admin area add tinh-bench --kind province >/dev/null
admin area add xa-bench --kind commune --parent tinh-bench >/dev/null
admin gateway add gw-bench --area xa-bench | sed -n 's/^secret[^:]*: //p' >"$work/gateway.secret"

speech=Benchmarks/out/speech-10min.wav
if [[ ! -s $speech ]]; then
    espeak-ng -v vi -s 150 -w "$work/phrase.wav" \
        "Kính thưa bà con nhân dân trong xã. Sau đây là bản tin thời sự buổi sáng. Ủy ban nhân dân xã thông báo lịch tiêm phòng cho gia súc, gia cầm vào ngày thứ bảy tuần này tại nhà văn hóa các thôn."
    sox "$work/phrase.wav" -r 24000 -b 16 "$work/phrase24.wav"
    sox "$work/phrase24.wav" "$speech" repeat 200 trim 0 600
fi
echo "== ingesting $(soxi -d "$speech") of speech"
line=$(admin bulletin add "$speech" --title "Bench 10 min" --approve)
sha=${line%% *}
mp3=$work/controller/content/${sha:0:2}/$sha.mp3
[[ -s $mp3 ]] || { echo "bulletin MP3 not found at $mp3" >&2; exit 1; }
echo "bulletin $line"
echo "content: $(ffprobe -v error -show_entries stream=sample_rate,channels,bit_rate -of csv=p=0 "$mp3")"

"$bin/loa-controller" --config "$work/controller.toml" >"$work/controller.log" 2>&1 &
pids+=($!)

# --- snapserver: a pipe source of the same audio ------------------------------------
snap_port=$(free_port)
: >"$work/snapserver.conf"   # not /etc/snapserver.conf, whose default source would take the client
snapserver --config="$work/snapserver.conf" --server.datadir="$work/snapserver" --http.enabled=false --tcp.enabled=false \
    --stream.bind_to_address=127.0.0.1 --stream.port="$snap_port" --stream.codec="$codec" \
    --stream.source="pipe://$work/snapfifo?name=loa&sampleformat=24000:16:1&mode=create" \
    --logging.sink=stderr >"$work/snapserver.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do [[ -p $work/snapfifo ]] && break; sleep 0.1; done
[[ -p $work/snapfifo ]] || { cat "$work/snapserver.log"; echo "snapserver did not create its pipe" >&2; exit 1; }

# --- sampling -----------------------------------------------------------------------
ticks=$(getconf CLK_TCK)
cpu_ticks() { local s; s=$(<"/proc/$1/stat"); s=${s##*) }; set -- $s; echo $((${12} + ${13})); }  # utime + stime (fields 14, 15)
rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }
median() { sort -n | awk '{ a[NR] = $1 } END { if (NR == 0) print "nan"; else print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2) }'; }
# measure LABEL PID… : one window; appends "LABEL NAME rss_median_kb cpu_percent" per pid
measure() {
    local label=$1; shift
    local -A start rss
    for pid in "$@"; do start[$pid]=$(cpu_ticks "$pid"); rss[$pid]=""; done
    local t0=$SECONDS
    for ((i = 0; i < window; i++)); do
        for pid in "$@"; do rss[$pid]+="$(rss_kb "$pid") "; done
        sleep 1
    done
    local elapsed=$((SECONDS - t0))
    for pid in "$@"; do
        local name used
        name=$(cat "/proc/$pid/comm")
        used=$(($(cpu_ticks "$pid") - ${start[$pid]}))
        # What the resident memory is at the end of the window: anonymous (heap, stacks) vs
        # file-backed (the executable and libraries), the thread count, and PSS / USS
        # (file pages shared with other processes counted in part / not at all).
        printf '%s %s %s %s %s %s %s %s %s\n' "$label" "$name" "$(tr ' ' '\n' <<<"${rss[$pid]}" | grep . | median)" \
            "$(awk -v u="$used" -v t="$ticks" -v e="$elapsed" 'BEGIN { printf "%.3f", 100 * u / t / e }')" \
            "$(awk '/^RssAnon:/ { print $2 }' "/proc/$pid/status")" "$(awk '/^RssFile:/ { print $2 }' "/proc/$pid/status")" \
            "$(awk '/^Threads:/ { print $2 }' "/proc/$pid/status")" "$(awk '/^Pss:/ { print $2 }' "/proc/$pid/smaps_rollup")" \
            "$(awk '/^Private_(Clean|Dirty):/ { n += $2 } END { print n }' "/proc/$pid/smaps_rollup")"
        # The largest resident mappings, for the report.
        awk '/^[0-9a-f]+-[0-9a-f]+ / { name = ($6 == "" ? "[anon]" : $6) } /^Rss:/ { rss[name] += $2 }
             END { for (n in rss) if (rss[n] >= 256) printf "%8d kB %s\n", rss[n], n }' "/proc/$pid/smaps" \
            | sort -rn | head -8 | sed "s|^|$label $name |" >>"$work/mappings"
    done | tee -a "$work/samples"
}

: >"$work/samples"; : >"$work/mappings"
for ((run = 1; run <= runs; run++)); do
    echo "== run $run/$runs"
    # Scheduled to start after the warm-up and the idle window (local time of the commune).
    start_at=$((SECONDS + warmup + window + 10))
    at=$(TZ=Asia/Ho_Chi_Minh date -d "+$((warmup + window + 10)) seconds" +%H:%M:%S)
    day=$(TZ=Asia/Ho_Chi_Minh date -d "+$((warmup + window + 10)) seconds" +%F)
    admin schedule add --bulletin "$sha" --gateway gw-bench --once "$day" --at "$at" >/dev/null
    cat >"$work/gateway$run.toml" <<TOML
[gateway]
id = "gw-bench"
secret_file = "$work/gateway.secret"
state_directory = "$work/gateway$run"
[controller]
hosts = ["127.0.0.1:$port"]
tls = false
[audio]
pcm = "pulse"
[amplifier]
mode = "none"
TOML
    "$bin/loa-gateway" --config "$work/gateway$run.toml" 2>"$work/gateway$run.log" &
    gateway=$!
    pids+=($gateway)
    snapclient --host 127.0.0.1 --port "$snap_port" --hostID "bench$run" --player alsa --soundcard pulse \
        --logsink=stderr 2>"$work/snapclient$run.log" >/dev/null &
    snap=$!
    pids+=($snap)
    sleep "$warmup"
    measure idle "$gateway" "$snap"

    # Playing: the gateway starts on its schedule; the same audio goes into snapserver's pipe.
    while ((SECONDS < start_at)); do sleep 0.2; done
    mpg123 -q -s "$mp3" >"$work/snapfifo" 2>/dev/null &
    feeder=$!
    pids+=($feeder)
    # Wait for the gateway's as-played "started" to reach the controller, then settle.
    started() { "$bin/loa-controller" admin log --gateway gw-bench --config "$work/controller.toml" 2>/dev/null | grep -c "gw-bench started" || true; }
    for ((i = 0; i < 30; i++)); do
        (($(started) >= run)) && break
        sleep 1
    done
    (($(started) >= run)) || echo "  warning: no 'started' from the gateway in the controller's log after 30 s" >&2
    sleep 3
    playing=$(sink_inputs)
    ((playing == 2)) || echo "  warning: $playing streams reach PulseAudio (expected 2: gateway and snapclient)" >&2
    measure playing "$gateway" "$snap"
    echo "  streams at PulseAudio during the window: $playing (gateway + snapclient = 2)"
    stop_pid "$feeder"; stop_pid "$gateway"; stop_pid "$snap"
done

# --- medians and ratios -------------------------------------------------------------
{
    echo "loa-gateway vs snapclient $(snapclient --version 2>&1 | head -1) (codec $codec), $runs runs x $window s, $(date -u +%F) on $(nproc) cores"
    printf '%-8s %-14s %12s %10s %12s %12s %8s %10s %10s\n' phase process "RSS median" "CPU %" "anon" "file" threads PSS USS
    col() { awk -v p="$1" -v n="$2" -v c="$3" '$1 == p && $2 == n { print $c }' "$work/samples" | median; }
    for phase in idle playing; do
        for name in loa-gateway snapclient; do
            rss=$(col $phase $name 3); cpu=$(col $phase $name 4)
            mb() { awk -v k="$1" 'BEGIN { print k / 1024 }'; }
            printf '%-8s %-14s %9.1f MB %9.2f %% %9.1f MB %9.1f MB %8s %7.1f MB %7.1f MB\n' "$phase" "$name" "$(mb "$rss")" "$cpu" \
                "$(mb "$(col $phase $name 5)")" "$(mb "$(col $phase $name 6)")" "$(col $phase $name 7)" \
                "$(mb "$(col $phase $name 8)")" "$(mb "$(col $phase $name 9)")"
            eval "${phase}_${name//-/_}_rss=$rss ${phase}_${name//-/_}_cpu=$cpu"
        done
        printf '%-8s ratio gateway/snapclient: RSS %.2f, CPU %.2f\n' "$phase" \
            "$(eval "awk -v a=\$${phase}_loa_gateway_rss -v b=\$${phase}_snapclient_rss 'BEGIN { print a / b }'")" \
            "$(eval "awk -v a=\$${phase}_loa_gateway_cpu -v b=\$${phase}_snapclient_cpu 'BEGIN { print (b > 0 ? a / b : 0) }'")"
    done
} | tee "$results/summary.txt"
cp "$work/samples" "$results/samples.txt"
cp "$work/mappings" "$results/mappings.txt"
echo "largest resident mappings at the end of the last playing window:"
grep "^playing" "$work/mappings" | tail -16
