#!/usr/bin/env bash
# Benchmark (not a test): a gateway on a flapping link (issue 18, part 4). Its link drops for
# FLAP_DOWN seconds every FLAP_PERIOD seconds while it has a bulletin to play every
# FLAP_PLAY_EVERY seconds: does it keep its schedule and play on time (the controller's play log:
# started within 1 s of each scheduled instant; a play during an outage is reported after it),
# reconnect without a storm (attempts the proxy sees per outage, the gateway's backoff), and what
# do the reconnects cost.
#
#   usage: Benchmarks/flapping-link.sh [smoke]   smoke: 3 minutes, a 20 s outage every 60 s,
#                                                a play every 25 s
#   env:   LOA_BIN_DIR      use the executables in this folder instead of the release build
#          FLAP_MINUTES     how long the link flaps (default 60)
#          FLAP_PERIOD      seconds from one outage to the next (default 300)
#          FLAP_DOWN        seconds each outage lasts (default 30)
#          FLAP_PLAY_EVERY  seconds between scheduled plays of a 10 s bulletin (default 120)
#          FLAP_TLS         on or off (default on)
#   results: Benchmarks/out/flapping-link/ (summary.md, play-log.json, events.jsonl)
#
# The rig is data-cost.sh's (Benchmarks/datacost/rig.sh): a real controller and gateway on
# loopback, the gateway's link through the counting proxy (datacost/count-proxy.py). An outage
# closes both sides of the connection (FIN, as a carrier ending the session) and answers every
# new attempt with a reset until it ends; each such attempt is counted. The plays are one
# `loactl schedule add --once DAY --at HH:MM:SS` each, made before the flapping starts (the
# gateway has the whole schedule and the bulletin cached), the first 45 s after it starts.
set -euo pipefail
cd "$(dirname "$0")/.."
source Benchmarks/lib.sh
if [[ ${1:-} == smoke ]]; then
    minutes=3; period=60; down=20; every=25
else
    minutes=${FLAP_MINUTES:-60}; period=${FLAP_PERIOD:-300}; down=${FLAP_DOWN:-30}; every=${FLAP_PLAY_EVERY:-120}
fi
tls=${FLAP_TLS:-on}
results=Benchmarks/out/flapping-link
mkdir -p "$results"
bench_binaries
bench_workdir loa-flap
source Benchmarks/datacost/rig.sh
echo "work directory $work ($built_from); $minutes min, down $down s every $period s, a play every $every s, TLS $tls"

rig_start "$tls" ""
sox -n -r 24000 -c 1 -b 16 "$work/bulletin.wav" synth 10 sine 440 vol 0.3 2>/dev/null
sha=$(lc bulletins upload "$work/bulletin.wav" --title "Flap" --approve --json | json sha256)
rig_gateway
wait_linked
wait_quiet 5

flap_at=$(( $(date +%s) + 40 ))   # the schedule pushes and the download first
end_at=$(( flap_at + minutes * 60 ))
: >"$work/instants"
# The first play 45 s in: with the defaults (every 120 s, down 30 s of 300 s) every fifth play falls
# 15 s into an outage (from 30 s in, they fell exactly on an outage's start).
for ((t = flap_at + 45; t + 15 <= end_at; t += every)); do
    lc schedule add --bulletin "$sha" --area xa-bench --once "$(TZ=Asia/Ho_Chi_Minh date -d "@$t" +%F)" \
        --at "$(TZ=Asia/Ho_Chi_Minh date -d "@$t" +%T)" --on-busy queue >/dev/null
    echo "$t" >>"$work/instants"
done
echo "  $(wc -l <"$work/instants") plays scheduled"
for _ in $(seq 150); do [[ -f $work/gw-state/cache/$sha ]] && break; sleep 0.2; done
[[ -f $work/gw-state/cache/$sha ]] || { echo "the gateway did not download $sha" >&2; exit 1; }
while (($(date +%s) < flap_at)); do sleep 0.2; done
stats >"$work/before.json"
python3 $dc/count-proxy.py ctl "$ctl" "flap $period,$down" >/dev/null
echo "  flapping from $(date -u +%T) for $minutes min"
sleep $((end_at - $(date +%s)))
python3 $dc/count-proxy.py ctl "$ctl" steady >/dev/null
wait_linked 120
wait_quiet 12 120 || true   # the last reconnect and the play events held during the outage
stats >"$work/after.json"
lc log --all --json --gateway gw-bench >"$work/play-log.json"
cp "$work/play-log.json" "$work/events.jsonl" "$results/"
grep -h 'reconnecting\|link closed\|session ready' "$work/gw.log" >"$results/gateway-link.log" || true
python3 $dc/flap.py "$work/events.jsonl" "$work/play-log.json" "$work/instants" "$work/before.json" "$work/after.json" \
    "$work/gw.log" "$minutes" "$period" "$down" "$every" "$tls" "$built_from" | tee "$results/summary.md"
