# The data-cost rig, shared by Benchmarks/data-cost.sh and Benchmarks/flapping-link.sh; `source`
# it after Benchmarks/lib.sh, with $work, $bin and $pids set (bench_workdir, bench_binaries).
#
#   rig_start TLS [GATEWAY_TOML_EXTRA] [PROXY_ARGS…]
#       TLS is off or on. A loa-controller on loopback (with a self-signed CA and a server
#       certificate for 127.0.0.1 when on), the commune xa-bench with the gateway gw-bench
#       enrolled through loactl, a counting proxy (datacost/count-proxy.py) in front of the
#       controller's gateway port, and the gateway dialling the proxy, its loudspeaker an ALSA
#       `type file` PCM into a FIFO read at real time (datacost/paced-sink.py). Sets $base,
#       $token, $http_port, $gw_port, $proxy_port, $ctl (the proxy's control socket), $events.
#       The gateway is not started: rig_gateway does that.
#   rig_gateway          start the gateway (again)
#   lc ARGS…             loactl against this controller (logged in)
#   stats                the proxy's counters now (a JSON line)
#   linked               the gateway says its link is up
#   wait_linked [SECONDS], wait_quiet QUIET_SECONDS [MAX_SECONDS]   (no traffic on the link for a while)
#   gw_status            the gateway's control-socket status (JSON)

dc=Benchmarks/datacost

rig_certificates() {
    local d=$work/tls
    mkdir -p "$d"
    openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=Loa bench CA" \
        -keyout "$d/ca.key" -out "$d/ca.pem" 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" -keyout "$d/server.key" -out "$d/server.csr" 2>/dev/null
    printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n' >"$d/ext"
    openssl x509 -req -in "$d/server.csr" -CA "$d/ca.pem" -CAkey "$d/ca.key" -CAcreateserial -days 2 \
        -extfile "$d/ext" -out "$d/server.pem" 2>/dev/null
}

lc() { LOA_CONFIG_DIR=$work/loactl "$bin/loactl" "$@"; }
stats() { python3 $dc/count-proxy.py ctl "$ctl" stats; }
gw_status() { "$bin/loactl" gateway status --socket "$work/gw.sock" --json 2>/dev/null || echo '{}'; }
linked() {
    gw_status | python3 -c 'import json, sys
s = json.load(sys.stdin).get("status") or {}
sys.exit(0 if (s.get("link") or {}).get("connected") else 1)'
}
wait_linked() {
    local i
    for i in $(seq $((${1:-60} * 5))); do linked && return 0; sleep 0.2; done
    echo "the gateway did not link: $(tail -3 "$work/gw.log")" >&2
    return 1
}
# wait_quiet QUIET [MAX]: until the link's counters stay still QUIET seconds (at most MAX, default 120)
wait_quiet() {
    local quiet=$1 max=${2:-120} last="" now since=$SECONDS start=$SECONDS
    while ((SECONDS - start < max)); do
        now=$(stats | python3 -c 'import json, sys; t = json.load(sys.stdin); print(t["up_segs"], t["down_segs"])')
        [[ $now != "$last" ]] && { last=$now; since=$SECONDS; }
        ((SECONDS - since >= quiet)) && return 0
        sleep 0.5
    done
    echo "the link did not go quiet within $max s" >&2
    return 1
}

rig_start() {
    local tls=$1 extra=${2:-}; shift 2 || shift $#
    gw_port=$(free_port); http_port=$(free_port); proxy_port=$(free_port)
    base=http://127.0.0.1:$http_port
    ctl=$work/proxy.ctl
    events=$work/events.jsonl
    {
        controller_toml "$gw_port" "$http_port" "$work/controller"
        [[ $tls == on ]] && { rig_certificates; printf 'tls_certificate = "%s"\ntls_private_key = "%s"\n' "$work/tls/server.pem" "$work/tls/server.key"; }
        printf '[log]\nlevel = "notice"\n'
    } >"$work/controller.toml"
    # controller_toml ends with [state]; the TLS keys belong to [gateways]: move them there.
    python3 - "$work/controller.toml" <<'PY'
import sys
lines = open(sys.argv[1]).read().splitlines()
tls = [l for l in lines if l.startswith("tls_")]
out = []
for l in lines:
    if l.startswith("tls_"):
        continue
    out.append(l)
    if l == "[gateways]":
        out += tls
open(sys.argv[1], "w").write("\n".join(out) + "\n")
PY
    LOA_ADMIN_PASSWORD="bench password 1" "$bin/loa-controller" --config "$work/controller.toml" \
        >>"$work/controller.out" 2>>"$work/controller.log" &
    pids+=($!)
    wait_port "$http_port"
    token=$(curl -sf "$base/api/v1/login" -H 'Content-Type: application/json' \
        -d '{"username":"admin","password":"bench password 1"}' | json token)
    echo "bench password 1" | lc login --controller "$base" --user admin --password-stdin >/dev/null
    lc areas add tinh-bench --kind province --name Bench >/dev/null
    lc areas add xa-bench --kind commune --parent tinh-bench --name "Xã Bench" >/dev/null
    lc gateways add gw-bench --area xa-bench --secret-file "$work/gw.secret" >/dev/null

    python3 $dc/count-proxy.py --listen "$proxy_port" --target "127.0.0.1:$gw_port" --control "$ctl" \
        --events "$events" "$@" 2>>"$work/proxy.err" &
    pids+=($!)
    wait_port "$proxy_port"
    python3 $dc/paced-sink.py "$work/speaker.fifo" 2>>"$work/sink.err" &
    pids+=($!)

    cat >"$work/gw.toml" <<TOML
[gateway]
id = "gw-bench"
secret_file = "$work/gw.secret"
state_directory = "$work/gw-state"
[controller]
hosts = ["127.0.0.1:$proxy_port"]
tls = $([[ $tls == on ]] && echo true || echo false)
$([[ $tls == on ]] && echo "ca_file = \"$work/tls/ca.pem\"")
[audio]
pcm = "loafile"
alsa_config = '''pcm.loafile { type file slave { pcm { type null } } file "$work/speaker.fifo" format "raw" }'''
[amplifier]
mode = "none"
[control]
socket = "$work/gw.sock"
group = ""
$extra
TOML
    "$bin/loa-gateway" --check-config "$work/gw.toml" >/dev/null
}

rig_gateway() {
    [[ -n ${gateway_pid:-} ]] && stop_pid "$gateway_pid"
    "$bin/loa-gateway" --config "$work/gw.toml" >>"$work/gw.out" 2>>"$work/gw.log" &
    gateway_pid=$!
    pids+=($gateway_pid)
}
