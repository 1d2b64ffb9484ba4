#!/usr/bin/env bash
# Benchmark (not a test): three concurrent hour-long WAV uploads to a real `loa-controller`
# (release build, loopback, a temporary state directory), while /healthz is polled every 100 ms
# and the controller's RSS is sampled. Prints the RSS peak (VmHWM and sampled VmRSS), /healthz
# p50/p99/max, each upload's wall time, and the `lame` CLI encoding the same WAV as a peer.
#
# The uploads are 60 minutes of speech-band noise with a syllable-rate tremolo, 22.05 kHz mono
# 16-bit (159 MB each): 44.1 kHz stereo would be 635 MB, over the default upload limit. The
# limit (http.max_upload_bytes, 100 MiB by default) is raised to 200 MiB (= audio.max_upload_bytes)
# in the benchmark's config so that an hour fits.
#   usage: Benchmarks/ingest-concurrent.sh [MINUTES]     (default 60)
set -euo pipefail
cd "$(dirname "$0")/.."
minutes=${1:-60}
out=Benchmarks/out/ingest
mkdir -p "$out"
swift build -c release --product loa-controller >/dev/null
controller=$(swift build -c release --show-bin-path)/loa-controller

for n in 1 2 3; do
    wav=$out/upload-${minutes}min-$n.wav
    if [[ ! -s $wav ]]; then
        # A different tremolo rate per file, so each is a new upload (not a repeat).
        sox -n -r 22050 -c 1 -b 16 "$wav" synth $((minutes * 60)) pinknoise band 300 2500 tremolo "3.$n" 90 vol 0.5
    fi
done
echo "input: 3 × $(soxi -d "$out/upload-${minutes}min-1.wav") of $(soxi -r "$out/upload-${minutes}min-1.wav") Hz mono, $(stat -c %s "$out/upload-${minutes}min-1.wav") bytes each"

state=$(mktemp -d /tmp/loa-ingest-bench.XXXXXX)
cat >"$state/controller.toml" <<TOML
[gateways]
listen_host = "127.0.0.1"
listen_port = 0
[http]
listen = "127.0.0.1:0"
max_upload_bytes = 209715200
[audio]
max_upload_bytes = 209715200
[state]
directory = "$state/state"
TOML
LOA_ADMIN_PASSWORD="bench password 1" "$controller" --config "$state/controller.toml" >"$state/out.log" 2>"$state/err.log" &
pid=$!
cleanup() { kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$state"; }
trap cleanup EXIT
port=""
for _ in $(seq 1 300); do
    port=$(grep 'listening for HTTP' "$state/err.log" 2>/dev/null | grep -o 'listen.port=[0-9]*' | head -1 | cut -d= -f2 || true)
    [[ -n $port ]] && break
    sleep 0.1
done
[[ -n $port ]] || { echo "controller did not start:"; cat "$state/err.log"; exit 1; }
base=http://127.0.0.1:$port
token=$(curl -sf "$base/api/v1/login" -H 'Content-Type: application/json' \
    -d '{"username":"admin","password":"bench password 1"}' | sed -E 's/.*"token":"([^"]+)".*/\1/')
echo "controller pid $pid on $base, idle RSS $(awk '/VmRSS/ {print $2}' /proc/$pid/status) kB"

# Samplers: RSS every 100 ms; /healthz every 100 ms (10 s timeout, as the reviewer's probe).
( while kill -0 "$pid" 2>/dev/null; do awk '/VmRSS/ {print $2}' /proc/$pid/status; sleep 0.1; done ) >"$state/rss" 2>/dev/null &
rss_sampler=$!
( while true; do
    curl -s -o /dev/null --max-time 10 -w '%{http_code} %{time_total}\n' "$base/healthz" || echo "000 10"
    sleep 0.1
  done ) >"$state/healthz" &
health_sampler=$!

start=$(date +%s.%N)
uploads=()
for n in 1 2 3; do
    curl -s -o "$state/upload-$n.json" -w "upload $n: HTTP %{http_code} in %{time_total} s\n" --max-time 3600 \
        -H "Authorization: Bearer $token" -H 'Content-Type: audio/wav' \
        --data-binary "@$out/upload-${minutes}min-$n.wav" "$base/api/v1/bulletins?title=bench-$n" >"$state/upload-$n.time" &
    uploads+=($!)
done
wait "${uploads[@]}"
end=$(date +%s.%N)
kill "$health_sampler" "$rss_sampler" 2>/dev/null || true
cat "$state"/upload-*.time
for n in 1 2 3; do echo "  $(head -c 300 "$state/upload-$n.json")"; done
printf 'all three ingested in %.1f s (wall, from the first byte sent)\n' "$(awk -v s="$start" -v e="$end" 'BEGIN { print e - s }')"
echo "RSS peak: VmHWM $(awk '/VmHWM/ {print $2}' /proc/$pid/status) kB; sampled VmRSS max $(sort -n "$state/rss" | tail -1) kB"
bad=$(awk '$1 != "200"' "$state/healthz" | wc -l)
awk '{ print $2 * 1000 }' "$state/healthz" | sort -n | awk -v bad="$bad" '
    { a[NR] = $1 }
    END { p50 = int(NR * 0.50) + 1; p99 = int(NR * 0.99) + 1; if (p99 > NR) p99 = NR
          printf "/healthz: %d probes, p50 %.1f ms, p99 %.1f ms, max %.1f ms, %d not 200\n", NR, a[p50], a[p99], a[NR], bad }'

# The peer: the lame CLI encoding one of the same WAVs to the deployment format (no loudness passes).
lame_start=$(date +%s.%N)
lame --quiet --noreplaygain -q 3 -b 48 --cbr -m m --resample 24 "$out/upload-${minutes}min-1.wav" "$state/lame.mp3"
lame_end=$(date +%s.%N)
lame_s=$(awk -v s="$lame_start" -v e="$lame_end" 'BEGIN { print e - s }')
printf 'lame CLI, one file: %.1f s\n' "$lame_s"
fastest=$(cat "$state"/upload-*.time | grep -o 'in [0-9.]*' | cut -d' ' -f2 | sort -n | head -1)
printf 'ratio fastest upload (receive + 2-pass ingest) / lame: %.2f\n' "$(awk -v a="$fastest" -v b="$lame_s" 'BEGIN { print a / b }')"
