# Shell shared by the benchmarks; `source` it after `set -euo pipefail` and `cd` to the repository.
#
#   bench_workdir PREFIX      a fresh $work under /tmp, $pids, and an EXIT trap that stops every
#                             process in $pids (add each one you start: pids+=($!))
#   bench_binaries            $bin: LOA_BIN_DIR, or the release build (.build-release); $built_from
#   start_pulse DIR ARGS…     a private PulseAudio server (root, no shm) whose socket is DIR/native,
#                             loading the modules ARGS (`-L 'module-… …'`); exports PULSE_SERVER
#   free_port, accepts PORT, wait_port PORT, json KEY…, median, stop_pid PID
#   api METHOD PATH [JSON]    the controller's HTTP API at $base with $token; fails on an HTTP error
#   controller_toml GW_PORT HTTP_PORT STATE_DIR   the head of a loopback controller's config (stdout)

bench_workdir() {
    work=$(mktemp -d "/tmp/$1.XXXXXX")
    pids=()
    trap bench_cleanup EXIT
    trap 'exit 130' INT TERM
}
bench_cleanup() {
    local pid
    for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    echo "logs in $work"
}
stop_pid() { kill -TERM "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

bench_binaries() {
    if [[ -n ${LOA_BIN_DIR:-} ]]; then
        bin=$LOA_BIN_DIR
        built_from="binaries from $bin"
        return
    fi
    echo "== release build (scratch .build-release)"
    local build
    if ! build=$(swift build -c release --static-swift-stdlib --scratch-path .build-release 2>&1); then
        grep -E 'error' <<<"$build" | head -20 >&2
        exit 1
    fi
    tail -1 <<<"$build"
    bin=$(swift build -c release --scratch-path .build-release --show-bin-path)
    # What was built: the commit, and whether the working tree's sources differed from it.
    built_from="release build of $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- Sources Package.swift || echo ' + uncommitted changes in Sources')"
}

start_pulse() {
    local dir=$1; shift
    mkdir -p "$dir"
    HOME=$dir PULSE_RUNTIME_PATH=$dir/run PULSE_STATE_PATH=$dir/state \
        pulseaudio -n --daemonize=no --exit-idle-time=-1 --use-pid-file=no --disable-shm=yes \
        --log-target=stderr "$@" -L "module-native-protocol-unix socket=$dir/native auth-anonymous=1" \
        </dev/null >"$dir.log" 2>&1 &
    pids+=($!)
    for _ in $(seq 100); do [[ -S $dir/native ]] && break; sleep 0.1; done
    [[ -S $dir/native ]] || { cat "$dir.log"; echo "pulseaudio did not start" >&2; exit 1; }
    export PULSE_SERVER=unix:$dir/native
}

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
accepts() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
wait_port() { for _ in $(seq 100); do accepts "$1" && return 0; sleep 0.1; done; echo "nothing listens on port $1" >&2; return 1; }
json() { python3 -c 'import json, sys; v = json.load(sys.stdin); [v := v[k] for k in sys.argv[1:]]; print(v)' "$@"; }
median() { sort -n | awk '{ a[NR] = $1 } END { if (NR == 0) print "nan"; else print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2) }'; }

api() {
    local out code
    out=$(curl -s -w '\n%{http_code}' -X "$1" "$base$2" -H "Authorization: Bearer $token" \
        ${3:+-H 'Content-Type: application/json' --data-binary "$3"})
    code=${out##*$'\n'}
    ((code < 300)) || { echo "$1 $2: HTTP $code ${out%$'\n'*}" >&2; return 1; }
    printf '%s\n' "${out%$'\n'*}"
}

controller_toml() {
    cat <<TOML
[gateways]
listen_host = "127.0.0.1"
listen_port = $1
[http]
listen = "127.0.0.1:$2"
[state]
directory = "$3"
TOML
}
