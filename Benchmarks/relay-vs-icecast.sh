#!/usr/bin/env bash
# Benchmark (not a test): `loa-controller` (release build) relaying an upstream radio stream
# ("tiếp sóng") beside Debian's `icecast2` relaying the same mount, in the same run.
#
#   usage: Benchmarks/relay-vs-icecast.sh [RUNS] [WINDOW_SECONDS] [LISTENERS]   (default 3, 60 s, 100)
#          Benchmarks/relay-vs-icecast.sh soak [SECONDS]                        (default 1200 s)
#   env:   LOA_BIN_DIR     use the executables in this folder instead of the release build (to try
#                          the script out; the figures in docs/PERFORMANCE.md are release builds)
#          SOAK_LISTENERS  listeners on each side during the soak (default 100)
#
# One upstream `icecast2` carries the mount /vov1.mp3, fed by `ffmpeg -re` with a 440 Hz sine
# (44.1 kHz stereo, 128 kbit/s MP3, as IcecastRelayTests). Two relays pull it:
#   icecast2:       a second `icecast2` with a <relay> of /vov1.mp3 as /relay.mp3 (on-demand 0); it
#                   copies the upstream's bytes to its listeners (128 kbit/s each).
#   loa-controller: POST /api/v1/live with relayUrl: FFmpeg decodes the upstream, LAME re-encodes
#                   it to the deployment format (24 kHz mono 48 kbit/s), sends it to the area's
#                   one gateway and the listeners read it on the Icecast-compatible port
#                   (live.icecast_listen, GET /live/ID?key=…). The gateway is a real `loa-gateway`
#                   (a relay needs one in its area) whose ALSA `type file` PCM writes into a FIFO
#                   read at 24 kHz mono S16 real time by a small python3 loudspeaker, which also
#                   counts the seconds of sound that reached it.
# Listeners on both sides are the same client: one python3 process per side holding LISTENERS
# sockets (HTTP/1.0 GET, epoll, bytes read and discarded), which also counts what each receives.
#
# Per run both relay processes start fresh. After a warm-up, three windows, each sampling VmRSS
# every second and utime+stime (/proc/PID/stat) at its ends, both processes at once:
#   idle      the process up, no relay (icecast2 without its <relay> block; the controller with
#             its areas, no live stream)
#   relay     the relay on (icecast2 re-reads its config with the <relay> on SIGHUP; the controller
#             gets POST /api/v1/live) and on air, no listener
#   listeners the same with LISTENERS listeners on each side, all receiving
# Derived per run: CPU and RSS per relay (relay − idle), per 100 listeners
# ((listeners − relay) × 100 / LISTENERS). Medians over the runs, loa/icecast2 ratios.
# Not measured: the upstream icecast2 and its ffmpeg source, the listener clients (their CPU is
# printed, not compared), the gateway and its loudspeaker.
#
# The soak relays for SECONDS with SOAK_LISTENERS listeners on each side and samples both
# processes' RSS every second: first-minute median, last-minute median, max; listeners cut.
set -euo pipefail
cd "$(dirname "$0")/.."
source Benchmarks/lib.sh
if [[ ${1:-} == soak ]]; then
    mode=soak
    soak_seconds=${2:-1200}
    listeners=${SOAK_LISTENERS:-100}
    ((soak_seconds >= 120)) || { echo "a soak needs at least 120 s (a first and a last minute)" >&2; exit 64; }
else
    mode=bench
    runs=${1:-3}
    window=${2:-60}
    listeners=${3:-100}
fi
warmup=20
results=Benchmarks/out/relay-vs-icecast
mkdir -p "$results"

bash scripts/setup-debian.sh
bench_binaries
bench_workdir loa-relay-bench
chmod 755 "$work"   # icecast2 runs as its own user when started by root (changeowner)

# --- icecast2: a config per server ----------------------------------------------------
# icecast_xml NAME PORT [RELAY_PORT]: $work/NAME.xml, with a <relay> of the upstream's
# /vov1.mp3 as /relay.mp3 when RELAY_PORT is given.
icecast_xml() {
    local name=$1 port=$2 relay=""
    [[ -n ${3:-} ]] && relay="<relay><server>127.0.0.1</server><port>$3</port><mount>/vov1.mp3</mount><local-mount>/relay.mp3</local-mount><on-demand>0</on-demand><relay-shoutcast-metadata>0</relay-shoutcast-metadata></relay>"
    local owner=""
    ((EUID == 0)) && owner="<changeowner><user>icecast2</user><group>icecast</group></changeowner>"
    mkdir -p "$work/$name-log"
    chmod 777 "$work/$name-log"
    cat >"$work/$name.xml.new" <<XML
<icecast>
  <limits><clients>$((listeners + 20))</clients><sources>4</sources><source-timeout>10</source-timeout></limits>
  <authentication><source-password>loa-bench</source-password><relay-password>loa-bench</relay-password><admin-user>admin</admin-user><admin-password>loa-bench</admin-password></authentication>
  <hostname>127.0.0.1</hostname>
  <listen-socket><port>$port</port><bind-address>127.0.0.1</bind-address></listen-socket>
  $relay
  <fileserve>0</fileserve>
  <paths><basedir>/usr/share/icecast2</basedir><logdir>$work/$name-log</logdir><webroot>/usr/share/icecast2/web</webroot><adminroot>/usr/share/icecast2/admin</adminroot></paths>
  <logging><accesslog>access.log</accesslog><errorlog>error.log</errorlog><loglevel>3</loglevel></logging>
  <security><chroot>0</chroot>$owner</security>
</icecast>
XML
    chmod 644 "$work/$name.xml.new"
    mv "$work/$name.xml.new" "$work/$name.xml"
}
# mount_up PORT MOUNT: the mount is listed on the server's status page.
mount_up() {
    python3 -c 'import json, sys, urllib.request
s = json.load(urllib.request.urlopen("http://127.0.0.1:%s/status-json.xsl" % sys.argv[1], timeout=2))["icestats"].get("source", [])
s = s if isinstance(s, list) else [s]
sys.exit(0 if any(x.get("listenurl", "").endswith(sys.argv[2]) for x in s) else 1)' "$1" "$2" 2>/dev/null
}
wait_mount() { for _ in $(seq 150); do mount_up "$1" "$2" && return 0; sleep 0.2; done; echo "mount $2 not up on port $1" >&2; return 1; }

# --- the listener client (the same for both sides) ------------------------------------
# listen.py HOST PORT PATH N STATUS: N HTTP/1.0 GETs, read and discarded; every second STATUS
# gets "open ok closed bytes time" (ok: answered 200; closed: the server ended the connection;
# time: when the count was taken, for rates).
cat >"$work/listen.py" <<'PY'
import os, selectors, signal, socket, sys, time
host, port, path, n, status = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), sys.argv[5]
signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
request = f"GET {path} HTTP/1.0\r\nHost: {host}:{port}\r\nUser-Agent: loa-bench\r\n\r\n".encode()
sel = selectors.DefaultSelector()
head, ok, closed, total = {}, 0, 0, 0
for i in range(n):
    s = socket.create_connection((host, port), timeout=10)
    s.sendall(request)
    s.setblocking(False)
    sel.register(s, selectors.EVENT_READ, i)
    head[i] = b""
def report():
    with open(status + ".new", "w") as f:
        f.write(f"{n - closed} {ok} {closed} {total} {time.time():.3f}\n")
    os.replace(status + ".new", status)
next_report = 0.0
while True:
    for key, _ in sel.select(timeout=0.5):
        try:
            data = key.fileobj.recv(65536)
        except (BlockingIOError, InterruptedError):
            continue
        except OSError:
            data = b""
        if not data:
            sel.unregister(key.fileobj); key.fileobj.close(); closed += 1
            continue
        total += len(data)
        i = key.data
        if head.get(i) is not None:
            head[i] += data
            if b"\n" in head[i]:
                ok += b" 200" in head[i].split(b"\n", 1)[0]
                head[i] = None
    if time.monotonic() >= next_report:
        report(); next_report = time.monotonic() + 1
PY
start_listeners() {  # start_listeners SIDE PORT PATH → pid in $listener
    rm -f "$work/listen-$1.status"
    python3 "$work/listen.py" 127.0.0.1 "$2" "$3" "$listeners" "$work/listen-$1.status" 2>"$work/listen-$1.log" &
    listener=$!
    pids+=($listener)
}
listen_status() { cat "$work/listen-$1.status" 2>/dev/null || echo "0 0 0 0 0"; }  # open ok closed bytes time
wait_listeners() {  # wait_listeners SIDE: all answered 200 and bytes flowing
    local before after
    for _ in $(seq 60); do
        read -r _ okay _ before _ < <(listen_status "$1")
        ((okay == listeners)) && break
        sleep 0.5
    done
    sleep 2
    read -r _ okay _ after _ < <(listen_status "$1")
    ((okay == listeners && after > before)) || { echo "  warning: $1 listeners: $okay of $listeners answered 200, $((after - before)) bytes in 2 s" >&2; }
}

# --- upstream: icecast2 with /vov1.mp3 from ffmpeg ------------------------------------
up_port=$(free_port)
icecast_xml upstream "$up_port"
icecast2 -c "$work/upstream.xml" >"$work/upstream.log" 2>&1 &
pids+=($!)
wait_port "$up_port"
ffmpeg -hide_banner -loglevel error -re -f lavfi -i sine=frequency=440:sample_rate=44100 -ac 2 -c:a libmp3lame -b:a 128k \
    -content_type audio/mpeg -f mp3 "icecast://source:loa-bench@127.0.0.1:$up_port/vov1.mp3" \
    </dev/null >"$work/ffmpeg-source.log" 2>&1 &
pids+=($!)
wait_mount "$up_port" /vov1.mp3
upstream=http://127.0.0.1:$up_port/vov1.mp3
echo "upstream $upstream ($(icecast2 -v 2>&1 | head -1), ffmpeg sine 440 Hz, 44.1 kHz stereo 128 kbit/s MP3)"

# --- the two relays -------------------------------------------------------------------
# start_icecast_relay RUN [with-relay]: the peer icecast2 → $ice (pid), $ice_port
start_icecast_relay() {
    ice_port=$(free_port)
    icecast_xml "relay$1" "$ice_port" ${2:+"$up_port"}
    icecast2 -c "$work/relay$1.xml" >"$work/relay$1.log" 2>&1 &
    ice=$!
    pids+=($ice)
    wait_port "$ice_port"
}
# start_controller RUN: a fresh loa-controller → $loa (pid), $base, $loa_ice_port, $token
start_controller() {
    local http_port gw_port
    http_port=$(free_port); gw_port=$(free_port); loa_ice_port=$(free_port)
    { controller_toml "$gw_port" "$http_port" "$work/controller$1"; cat <<TOML; } >"$work/controller$1.toml"
[live]
icecast_listen = "127.0.0.1:$loa_ice_port"
max_listeners = $((listeners + 10 > 200 ? listeners + 10 : 200))
[log]
level = "notice"
TOML
    LOA_ADMIN_PASSWORD="bench password 1" "$bin/loa-controller" --config "$work/controller$1.toml" \
        >"$work/controller$1.out" 2>"$work/controller$1.log" &
    loa=$!
    pids+=($loa)
    base=http://127.0.0.1:$http_port
    wait_port "$http_port"
    wait_port "$loa_ice_port"
    token=$(curl -sf "$base/api/v1/login" -H 'Content-Type: application/json' \
        -d '{"username":"admin","password":"bench password 1"}' | json token)
    api POST /api/v1/areas '{"id":"ha-tinh","name":"Hà Tĩnh","kind":"province"}' >/dev/null
    api POST /api/v1/areas '{"id":"xa-tan-lap","name":"Xã Tân Lập","kind":"commune","parentId":"ha-tinh"}' >/dev/null
    start_gateway "$gw_port" "gateway$1"
}
# The loudspeaker of the gateway: paced.py FIFO STATUS reads the FIFO at 48 000 bytes/s (24 kHz
# mono S16; a file PCM alone is not paced) and writes "bytes sounding_bytes" to STATUS each second.
cat >"$work/paced.py" <<'PY'
import fcntl, os, signal, sys, time
fifo, status = sys.argv[1], sys.argv[2]
signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
fd = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
fcntl.fcntl(fd, 1031, 4096)  # F_SETPIPE_SZ: one page, the gateway at most ~40 ms ahead
total = sounding = 0
budget, last, next_report = 0.0, time.monotonic(), 0.0
while True:
    now = time.monotonic()
    budget = min(budget + (now - last) * 48000, 0.2 * 48000)
    last = now
    want = int(budget) & ~1
    if want > 0:
        try:
            data = os.read(fd, want)
        except BlockingIOError:
            data = b""
        budget -= len(data)
        total += len(data)
        sounding += len(data) - data.count(0)
    if now >= next_report:
        with open(status + ".new", "w") as f:
            f.write(f"{total} {sounding}\n")
        os.replace(status + ".new", status)
        next_report = now + 1
    time.sleep(0.01)
PY
# start_gateway RUN: registers gw-bench in the commune and starts it → $gateway (pid), $sink
start_gateway() {
    local gw_port=$1 name=$2
    api POST /api/v1/gateways '{"id":"gw-bench","name":"Cụm loa bench","areaId":"xa-tan-lap"}' | json secret >"$work/$name.secret"
    rm -f "$work/$name.fifo"; mkfifo "$work/$name.fifo"
    python3 "$work/paced.py" "$work/$name.fifo" "$work/$name.sink" 2>"$work/$name-sink.log" &
    sink=$!
    pids+=($sink)
    for _ in $(seq 50); do [[ -s $work/$name.sink ]] && break; sleep 0.1; done
    cat >"$work/$name.toml" <<TOML
[gateway]
id = "gw-bench"
secret_file = "$work/$name.secret"
state_directory = "$work/$name-state"
[controller]
hosts = ["127.0.0.1:$gw_port"]
tls = false
[audio]
pcm = "loafile"
alsa_config = '''pcm.loafile { type file slave { pcm { type null } } file "$work/$name.fifo" format "raw" }'''
[amplifier]
mode = "none"
[control]
socket = ""
TOML
    "$bin/loa-gateway" --config "$work/$name.toml" >"$work/$name.out" 2>"$work/$name.log" &
    gateway=$!
    pids+=($gateway)
    for _ in $(seq 100); do
        [[ $(api GET "/api/v1/gateways/gw-bench?history=0" | json gateway online) == True ]] && return 0
        sleep 0.2
    done
    echo "the gateway did not come online: $(tail -5 "$work/$name.log")" >&2
    return 1
}
sounded() { awk '{ printf "%.1f", $2 / 48000 }' "$work/$1.sink"; }   # seconds of sound at the loudspeaker (non-zero bytes)
# start_loa_relay: POST /api/v1/live with relayUrl → $live_id, $loa_path (the Icecast-port path)
start_loa_relay() {
    local created key
    created=$(api POST /api/v1/live "{\"areaId\":\"xa-tan-lap\",\"title\":\"Tiếp sóng VOV1\",\"relayUrl\":\"$upstream\"}")
    live_id=$(json id <<<"$created")
    key=$(json listenPath <<<"$created"); key=${key#*key=}
    loa_path="/live/$live_id?key=$key"
    for _ in $(seq 100); do
        [[ $(api GET "/api/v1/live/$live_id" | json state) == on-air ]] && return 0
        sleep 0.2
    done
    echo "the relay did not go on air: $(api GET "/api/v1/live/$live_id")" >&2
    return 1
}
metric() { curl -sf "$base/metrics" | awk -v m="$1" '$1 == m { s += $2 } END { print s + 0 }'; }

# --- sampling -------------------------------------------------------------------------
ticks=$(getconf CLK_TCK)
cpu_ticks() { local s; s=$(<"/proc/$1/stat"); s=${s##*) }; set -- $s; echo $((${12} + ${13})); }  # utime + stime (fields 14, 15)
rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }
since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { print b - a }'; }   # seconds since an $EPOCHREALTIME
# measure RUN PHASE NAME:PID… : one window; appends "RUN PHASE NAME rss_median_kb cpu_percent anon_kb threads"
measure() {
    local run=$1 phase=$2; shift 2
    local -A pid start rss
    local entry name
    for entry in "$@"; do name=${entry%%:*}; pid[$name]=${entry#*:}; start[$name]=$(cpu_ticks "${pid[$name]}"); rss[$name]=""; done
    local -A bytes0 stamp0
    for side in loa icecast2; do read -r _ _ _ "bytes0[$side]" "stamp0[$side]" < <(listen_status "$side"); done
    local t0=$EPOCHREALTIME
    for ((i = 0; i < window; i++)); do
        for name in "${!pid[@]}"; do rss[$name]+="$(rss_kb "${pid[$name]}") "; done
        sleep 1
    done
    local elapsed
    elapsed=$(since "$t0")
    for entry in "$@"; do
        name=${entry%%:*}
        local p=${pid[$name]} used
        used=$(($(cpu_ticks "$p") - ${start[$name]}))
        printf '%s %s %s %s %s %s %s\n' "$run" "$phase" "$name" "$(tr ' ' '\n' <<<"${rss[$name]}" | grep . | median)" \
            "$(awk -v u="$used" -v t="$ticks" -v e="$elapsed" 'BEGIN { printf "%.3f", 100 * u / t / e }')" \
            "$(awk '/^RssAnon:/ { print $2 }' "/proc/$p/status")" "$(awk '/^Threads:/ { print $2 }' "/proc/$p/status")"
    done | tee -a "$work/samples"
    # What each side's listeners got in the window: "RUN PHASE SIDE open ok closed kbit/s-per-listener"
    if [[ $phase == listeners ]]; then
        for side in loa icecast2; do
            read -r open okay gone bytes stamp < <(listen_status "$side")
            printf '%s %s %s %s %s %s %s\n' "$run" "$phase" "$side" "$open" "$okay" "$gone" \
                "$(awk -v b="$((bytes - ${bytes0[$side]}))" -v e="$(awk -v a="${stamp0[$side]}" -v b="$stamp" 'BEGIN { print b - a }')" \
                    -v n="$listeners" 'BEGIN { printf "%.1f", 8 * b / 1000 / e / n }')"
        done | tee -a "$work/deliveries"
    fi
}

# --- soak -----------------------------------------------------------------------------
if [[ $mode == soak ]]; then
    echo "== soak: $soak_seconds s, $listeners listeners on each side"
    start_icecast_relay soak with-relay
    start_controller soak
    wait_mount "$ice_port" /relay.mp3
    start_loa_relay
    start_listeners loa "$loa_ice_port" "$loa_path"; listen_loa=$listener
    start_listeners icecast2 "$ice_port" /relay.mp3; listen_ice=$listener
    if ((listeners > 0)); then wait_listeners loa; wait_listeners icecast2; fi
    sleep 10
    echo "loa-controller pid $loa (relay $live_id), icecast2 pid $ice; sampling every second"
    loa0=$(cpu_ticks "$loa"); ice0=$(cpu_ticks "$ice"); t0=$EPOCHREALTIME
    read -r _ _ _ lbytes0 lstamp0 < <(listen_status loa); read -r _ _ _ ibytes0 istamp0 < <(listen_status icecast2)
    : >"$work/soak"
    for ((i = 0; i < soak_seconds; i++)); do
        read -r lopen _ lgone _ < <(listen_status loa)
        read -r iopen _ igone _ < <(listen_status icecast2)
        echo "$i $(rss_kb "$loa") $(rss_kb "$ice") $lopen $lgone $iopen $igone" >>"$work/soak"
        ((i % 60 == 59)) && tail -1 "$work/soak" | awk '{ printf "  %4d s: loa-controller %.1f MB, icecast2 %.1f MB, listeners open %d / %d\n", $1 + 1, $2 / 1024, $3 / 1024, $4, $6 }'
        sleep "$(awk -v t="$t0" -v i="$i" -v now="$EPOCHREALTIME" 'BEGIN { d = t + i + 1 - now; print (d > 0 ? d : 0) }')"   # on the second
    done
    elapsed=$(since "$t0")
    read -r _ _ _ lbytes lstamp < <(listen_status loa); read -r _ _ _ ibytes istamp < <(listen_status icecast2)
    loa_cpu=$(awk -v u="$(($(cpu_ticks "$loa") - loa0))" -v t="$ticks" -v e="$elapsed" 'BEGIN { printf "%.2f", 100 * u / t / e }')
    ice_cpu=$(awk -v u="$(($(cpu_ticks "$ice") - ice0))" -v t="$ticks" -v e="$elapsed" 'BEGIN { printf "%.2f", 100 * u / t / e }')
    state=$(api GET "/api/v1/live/$live_id")
    {
        echo "soak: loa-controller relay vs icecast2 relay, $soak_seconds s, $listeners listeners each, $(date -u +%F) on $(nproc) cores, $built_from"
        python3 - "$work/soak" <<'PY'
import statistics, sys
rows = [list(map(int, l.split())) for l in open(sys.argv[1])]
for name, col in (("loa-controller", 1), ("icecast2", 2)):
    rss = [r[col] / 1024 for r in rows]
    first, last = statistics.median(rss[:60]), statistics.median(rss[-60:])
    print(f"{name:15s} RSS first minute {first:6.1f} MB, last minute {last:6.1f} MB, growth {last - first:+5.1f} MB ({100 * (last - first) / first:+.1f} %), max {max(rss):6.1f} MB, min {min(rss):6.1f} MB")
minutes = [statistics.median(r[1] for r in rows[m:m + 60]) / 1024 for m in range(0, len(rows) - 59, 60)]
print("loa-controller RSS median per minute (MB): " + " ".join(f"{m:.1f}" for m in minutes))
print(f"listeners at the end: loa {rows[-1][3]} open, {rows[-1][4]} cut; icecast2 {rows[-1][5]} open, {rows[-1][6]} cut")
PY
        awk -v l="$((lbytes - lbytes0))" -v i="$((ibytes - ibytes0))" -v el="$lstamp" -v sl="$lstamp0" -v ei="$istamp" -v si="$istamp0" -v n="$listeners" \
            'BEGIN { if (n > 0) printf "received per listener over the soak: loa %.1f kbit/s, icecast2 %.1f kbit/s\n", 8 * l / 1000 / (el - sl) / n, 8 * i / 1000 / (ei - si) / n }'
        echo "load average at the end (other work on the machine): $(cut -d' ' -f1-3 /proc/loadavg)"
        echo "CPU over the soak: loa-controller $loa_cpu %, icecast2 $ice_cpu % (of one core)"
        echo "relay at the end: state $(json state <<<"$state"), gateways $(json gateways <<<"$state"), listeners $(json listeners <<<"$state"), bytesReceived $(json bytesReceived <<<"$state")"
        echo "the gateway's loudspeaker: $(sounded gatewaysoak) s of sound since the relay began"
        echo "metrics: loa_live_listeners_cut_total $(metric loa_live_listeners_cut_total), loa_live_payloads_dropped_total $(metric loa_live_payloads_dropped_total)"
    } | tee "$results/soak.txt"
    cp "$work/soak" "$results/soak-samples.txt"
    exit 0
fi

# --- runs -----------------------------------------------------------------------------
: >"$work/samples"; : >"$work/deliveries"; : >"$work/clients"
for ((run = 1; run <= runs; run++)); do
    echo "== run $run/$runs"
    start_icecast_relay "$run"
    start_controller "$run"
    sleep "$warmup"
    measure "$run" idle "loa-controller:$loa" "icecast2:$ice"

    # The relays: icecast2 re-reads its config, now with the <relay>; the controller gets a relay.
    icecast_xml "relay$run" "$ice_port" "$up_port"
    kill -HUP "$ice"
    start_loa_relay
    wait_mount "$ice_port" /relay.mp3
    sleep 10
    measure "$run" relay "loa-controller:$loa" "icecast2:$ice"

    start_listeners loa "$loa_ice_port" "$loa_path"; listen_loa=$listener
    start_listeners icecast2 "$ice_port" /relay.mp3; listen_ice=$listener
    wait_listeners loa; wait_listeners icecast2
    sleep 5
    c0=$(cpu_ticks "$listen_loa"); c1=$(cpu_ticks "$listen_ice"); t0=$EPOCHREALTIME
    measure "$run" listeners "loa-controller:$loa" "icecast2:$ice"
    awk -v a="$(($(cpu_ticks "$listen_loa") - c0))" -v b="$(($(cpu_ticks "$listen_ice") - c1))" -v t="$ticks" -v e="$(since "$t0")" \
        'BEGIN { printf "%.2f %.2f\n", 100 * a / t / e, 100 * b / t / e }' >>"$work/clients"
    echo "  loa relay $live_id: $(api GET "/api/v1/live/$live_id" | json state), gateways $(api GET "/api/v1/live/$live_id" | json gateways)," \
        "listeners (API) $(api GET "/api/v1/live/$live_id" | json listeners), gateway loudspeaker $(sounded "gateway$run") s of sound;" \
        "listeners_cut_total $(metric loa_live_listeners_cut_total), payloads_dropped_total $(metric loa_live_payloads_dropped_total)"
    stop_pid "$listen_loa"; stop_pid "$listen_ice"
    api DELETE "/api/v1/live/$live_id" >/dev/null
    stop_pid "$ice"; stop_pid "$gateway"; stop_pid "$sink"; stop_pid "$loa"
done

# --- medians and ratios ---------------------------------------------------------------
{
    echo "loa-controller relay vs $(icecast2 -v 2>&1 | head -1) relay, $runs runs x $window s, $listeners listeners, $(date -u +%F) on $(nproc) cores, $built_from"
    echo "load average at the end (other work on the machine): $(cut -d' ' -f1-3 /proc/loadavg)"
    python3 - "$work/samples" "$work/deliveries" "$work/clients" "$listeners" <<'PY'
import statistics, sys
samples, deliveries, clients, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
rss, cpu, anon, threads = {}, {}, {}, {}
for line in open(samples):
    run, phase, name, r, c, a, t = line.split()
    key = (name, phase, run)
    rss[key], cpu[key], anon[key], threads[key] = float(r) / 1024, float(c), float(a) / 1024, int(t)
runs = sorted({k[2] for k in rss})
names = ("loa-controller", "icecast2")
med = lambda xs: statistics.median(xs) if xs else float("nan")
def per_run(table, name, f):
    return med([f(lambda p: table[(name, p, r)]) for r in runs])
derived = {
    "idle": lambda v: v("idle"),
    "relay, 0 listeners": lambda v: v("relay"),
    f"relay, {n} listeners": lambda v: v("listeners"),
    "per relay (relay - idle)": lambda v: v("relay") - v("idle"),
    "per 100 listeners": lambda v: (v("listeners") - v("relay")) * 100 / n,
}
ratio = lambda a, b, floor=0: f"{a / b:.2f}" if b > floor else "n/a"   # n/a: the peer's figure is ~0
print(f"{'':28s} {'loa RSS':>9s} {'ice RSS':>9s} {'ratio':>6s}   {'loa CPU':>8s} {'ice CPU':>8s} {'ratio':>6s}")
for label, f in derived.items():
    lr, ir = per_run(rss, names[0], f), per_run(rss, names[1], f)
    lc, ic = per_run(cpu, names[0], f), per_run(cpu, names[1], f)
    print(f"{label:28s} {lr:6.1f} MB {ir:6.1f} MB {ratio(lr, ir, 0.1):>6s}   {lc:6.2f} % {ic:6.2f} % {ratio(lc, ic):>6s}")
print("(medians over the runs; CPU in % of one core; derived rows are medians of per-run differences)")
for name in names:
    print(f"{name}: anon RSS " + ", ".join(f"{p} {med([anon[(name, p, r)] for r in runs]):.1f} MB" for p in ("idle", "relay", "listeners"))
          + "; threads " + ", ".join(f"{p} {med([threads[(name, p, r)] for r in runs]):.0f}" for p in ("idle", "relay", "listeners")))
for side in ("loa", "icecast2"):
    rows = [l.split() for l in open(deliveries) if l.split()[2] == side]
    print(f"{side} listeners in the window: open {min(int(r[3]) for r in rows)}-{max(int(r[3]) for r in rows)} of {n}, answered 200 {min(int(r[4]) for r in rows)}, "
          f"cut {max(int(r[5]) for r in rows)}, received {med([float(r[6]) for r in rows]):.1f} kbit/s each (median of runs)")
cl = [list(map(float, l.split())) for l in open(clients)]
print(f"listener clients' CPU (not compared): loa side {med([c[0] for c in cl]):.2f} %, icecast2 side {med([c[1] for c in cl]):.2f} %")
PY
} | tee "$results/summary.txt"
cp "$work/samples" "$results/samples.txt"
cp "$work/deliveries" "$results/deliveries.txt"
